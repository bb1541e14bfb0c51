"""A team's history: rounds over time, this round beside the last per area (suppression kept),
which areas moved, and the last round's actions with their status."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.answers import AnswerIn, save_answers
from audits.models import Item
from board.models import Action, Consent, Match, Note
from board.notes import board_for
from reports.history import history_for
from tests import factory
from tests.conftest import make_world

LOW_AREA = "high-expectations"  # rated 1 in the first round, 4 in the second


def rate_round(audit, members, rating_for):
    items = list(Item.objects.filter(area__instrument=audit.instrument).select_related("area"))
    for member in members:
        save_answers(audit, member.id, [AnswerIn(i.id, rating_for(i)) for i in items], submit=True)


def two_rounds(anonymous=True, *, second_people=None):
    world = make_world(anonymous=anonymous, members=5)
    first = world.audit
    rate_round(first, world.members, lambda i: 1 if i.area.key == LOW_AREA else 3)
    board = board_for(first)
    Action.objects.create(
        board=board,
        kind="cpd",
        title="Plan one ambitious goal per unit",
        owner="Hannah Head",
        due=date(2026, 1, 15),
        status="done",
        area=LOW_AREA,
    )
    Action.objects.create(
        board=board,
        kind="cpd",
        title="Visit a partner school",
        owner="Hannah Head",
        status="dropped",
    )
    first.close()
    second = factory.audit(world.team, anonymous=anonymous, title="Spring audit")
    people = world.members if second_people is None else world.members[:second_people]
    rate_round(second, people, lambda i: 4 if i.area.key == LOW_AREA else 3)
    return world, first, second


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_sets_this_round_beside_the_last(db):
    world, first, second = two_rounds()
    history = history_for(world.team)
    assert [r["id"] for r in history["rounds"]] == [first.id, second.id]
    assert history["current"] == second.id and history["previous"] == first.id
    rows = {r["key"]: r for r in history["comparison"]["areas"]}
    low = rows[LOW_AREA]
    assert low["previous"]["mean"] == 1 and low["current"]["mean"] == 4
    assert low["change"] == pytest.approx(3.0)
    assert low["direction"] == "up"
    assert low["previous"]["people"] == low["current"]["people"] == 5
    steady = [r for r in rows.values() if r["key"] != LOW_AREA]
    assert steady and all(r["direction"] == "steady" for r in steady)
    assert [m["key"] for m in history["comparison"]["moved"]] == [LOW_AREA]
    assert history["rounds"][0]["responded"] == 5 and history["rounds"][0]["invited"] == 5


def test_it_says_so_when_either_side_is_suppressed(db):
    world, first, second = two_rounds(second_people=2)
    history = history_for(world.team)
    for row in history["comparison"]["areas"]:
        assert row["change"] is None
        assert row["direction"] is None
        assert row["why"].startswith("Hidden")
        assert row["current"] == {"key": row["key"], "title": row["title"], "suppressed": True}
    assert history["comparison"]["moved"] == []


def test_it_lists_the_last_rounds_actions_with_their_status(db):
    world, first, second = two_rounds()
    history = history_for(world.team)
    titles = {a["title"]: a["status"] for a in history["previous_actions"]}
    assert titles == {
        "Plan one ambitious goal per unit": "done",
        "Visit a partner school": "dropped",
    }
    assert history["previous_actions_by_status"]["done"] == 1
    assert history["previous_actions_by_status"]["dropped"] == 1


def test_it_withholds_a_pair_actions_owner_until_both_agreed(db):
    world, first, second = two_rounds()
    board = board_for(first)
    need = Note.objects.create(
        board=board, chart="improvement", text="Need", client_id="n", author_member=world.members[1]
    )
    match = Match.objects.create(
        board=board,
        improvement_note=need,
        mentor=world.members[0],
        score=1,
        mentor_consent=Consent.YES,
        learner_consent=Consent.NO,
    )
    Action.objects.create(board=board, kind="pair", title="Pair up", owner="Teacher 1", match=match)
    pair = next(a for a in history_for(world.team)["previous_actions"] if a["kind"] == "pair")
    assert pair["owner"] != "Teacher 1"


def test_it_compares_any_round_with_the_one_before(db):
    world, first, second = two_rounds()
    third = factory.audit(world.team, title="Summer audit")
    history = history_for(world.team, second.id)
    assert history["current"] == second.id and history["previous"] == first.id
    assert history_for(world.team)["current"] == third.id
    only = history_for(world.team, first.id)
    assert only["comparison"] is None and only["previous_actions"] == []


def test_it_has_nothing_to_compare_for_a_new_team(db):
    world = make_world()
    assert history_for(world.team)["comparison"] is None
    empty = factory.team(world.leader)
    assert history_for(empty)["rounds"] == []


def test_it_runs_the_same_queries_for_two_rounds_or_six(db):
    world, first, second = two_rounds()

    def count():
        with CaptureQueriesContext(connection) as captured:
            history_for(world.team)
        return len(captured)

    two = count()
    for n in range(4):
        audit = factory.audit(world.team, title=f"Round {n}")
        rate_round(audit, world.members, lambda i: 2)
    assert count() == two


def test_it_shows_the_history_page_with_paired_bars(db):
    world, first, second = two_rounds()
    r = signed_in(world.leader).get(reverse("team-history", args=[world.team.id]))
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<h1") == 1
    assert "Spring audit beside Autumn audit" in html
    assert html.count('class="chart change-bars"') == 11  # one per area
    assert "+3.00" in html
    assert "Plan one ambitious goal per unit" in html
    assert "<style" not in html and " style=" not in html


def test_it_explains_suppression_on_the_page(db):
    world, first, second = two_rounds(second_people=2)
    html = signed_in(world.leader).get(reverse("team-history", args=[world.team.id])).content
    assert b"Hidden: fewer than 3 people answered in one of the rounds" in html
    assert b"hidden: fewer than 3" in html  # inside the picture too


def test_it_hides_the_history_from_other_leaders(db):
    world, first, second = two_rounds()
    url = reverse("team-history", args=[world.team.id])
    for user in (world.outsider, world.other_leader):
        assert signed_in(user).get(url).status_code == 404
    api_path = f"/api/v1/teams/{world.team.id}/history"
    assert Client().get(api_path).status_code == 401


def test_it_answers_the_history_as_json(db, api):
    world, first, second = two_rounds()
    path = f"/api/v1/teams/{world.team.id}/history"
    data = api(world.leader_token).get(path).json()
    assert data["current"] == second.id
    row = next(r for r in data["comparison"]["areas"] if r["key"] == LOW_AREA)
    assert row["change"] == pytest.approx(3.0)
    assert api(world.leader_token).get(f"{path}?round={first.id}").json()["comparison"] is None
    assert api(world.other_token).get(path).status_code == 404
    assert api(world.outsider_token).get(path).status_code == 404
    assert api(world.tokens[0]).get(path).status_code == 403
