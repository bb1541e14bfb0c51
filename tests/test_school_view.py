"""The senior leader's school view: /school/ and GET /api/v1/school."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Member
from audits.models import Answer, Item, ItemKind, Response
from board.models import Chart, Note
from board.notes import board_for
from tests import factory

ORACY, EXPLICIT, SCAFFOLDING = "language-oracy", "explicit-instruction", "scaffolding"


def fill(audit, rating_for, members=None, support=()) -> None:
    """Submitted answers for `members` (default: all), rating_for(member, item), in bulk."""
    items = list(Item.objects.filter(area__instrument=audit.instrument).select_related("area"))
    members = list(audit.team.members.current()) if members is None else members
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [
            Response(audit=audit, member=m, submitted=now, support_areas=list(support))
            for m in members
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(response=r, item=i, rating=rating_for(m, i))
            for r, m in zip(responses, members, strict=True)
            for i in items
        ]
    )


def by_area(ratings: dict, default: int = 3):
    return lambda member, item: ratings.get(item.area.key, default)


def notes(audit, members, chart, text, area="") -> None:
    board = board_for(audit)
    Note.objects.bulk_create(
        [
            Note(
                board=board,
                chart=chart,
                text=text,
                area=area,
                author_member=m,
                client_id=f"c{m.id}",
            )
            for m in members
        ]
    )


@pytest.fixture
def school(db):
    """A senior leader; Science and English (5 each) weak at oracy, strong at explicit
    instruction; Art (2 people) whose figures must never show."""
    s = factory.school("Hillside Academy")
    senior = factory.leader(s, role="senior", name="Sue Senior")
    science = factory.team(factory.leader(s), members=5, name="Science")
    english = factory.team(factory.leader(s), members=5, name="English")
    art = factory.team(factory.leader(s), members=2, name="Art")
    for team, oracy in ((science, 1), (english, 2)):
        audit = factory.audit(team)
        fill(audit, by_area({ORACY: oracy, EXPLICIT: 4}), support=[ORACY])
        people = list(team.members.all())
        notes(audit, people[:3], Chart.IMPROVEMENT, "More talk partners and sentence stems", ORACY)
        notes(audit, people[3:], Chart.IMPROVEMENT, "Fading scaffolds", SCAFFOLDING)
    art_round = factory.audit(art, anonymous=False)
    fill(art_round, lambda m, i: 1, support=[SCAFFOLDING])
    notes(art_round, list(art.members.all()), Chart.IMPROVEMENT, "Scaffolding help", SCAFFOLDING)
    return {"senior": senior, "science": science, "english": english, "art": art}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_ranks_needs_named_by_two_teams_first(school, api):
    r = api(factory.token_for(school["senior"])).get("/api/v1/school")
    assert r.status_code == 200, r.content
    data = r.json()
    first = data["needs"][0]
    assert first["area"] == ORACY
    assert first["named_by"] == ["English", "Science"]
    assert first["recurring"] is True
    assert first["mean"] == pytest.approx(1.5)  # pooled: 5 people at 1, 5 at 2
    assert first["people"] == 10
    assert first["support"] == 10
    # Scaffolding was written by 2 people per team (not a theme any team "named"), and its
    # mean is each team's average (not a weakness): not a need.
    assert SCAFFOLDING not in [n["area"] for n in data["needs"]]
    assert [n["area"] for n in data["needs"]] == [ORACY]


def test_it_shows_where_the_school_is_strong(school, api):
    data = api(factory.token_for(school["senior"])).get("/api/v1/school").json()
    assert data["strengths"][0]["area"] == EXPLICIT
    assert data["strengths"][0]["mean"] == pytest.approx(4.0)
    assert data["strengths"][0]["audit_teams"] == ["English", "Science"]


def test_it_never_uses_a_figure_from_fewer_than_three_people(school, api):
    data = api(factory.token_for(school["senior"])).get("/api/v1/school").json()
    areas = {a["key"]: a for a in data["areas"]}
    # Art's two people rated everything 1 in a named round: nowhere to be seen.
    assert areas[SCAFFOLDING]["mean"] == pytest.approx(3.0)
    assert areas[SCAFFOLDING]["people"] == 10
    assert areas[SCAFFOLDING]["teams"] == 2
    assert all("Art" not in n["team_names"] for n in data["needs"] + data["strengths"])


def test_it_suppresses_everything_when_fewer_than_three_answered(db, api):
    s = factory.school()
    senior = factory.leader(s, role="senior")
    team = factory.team(factory.leader(s), members=6, name="Maths")
    audit = factory.audit(team, anonymous=False)
    fill(audit, lambda m, i: 2, members=list(team.members.all())[:2])
    data = api(factory.token_for(senior)).get("/api/v1/school").json()
    assert all(a["suppressed"] and a["mean"] is None for a in data["areas"])
    assert data["needs"] == data["strengths"] == []
    assert data["teams"][0]["invited"] == 6
    assert data["teams"][0]["responded"] == 2
    page = signed_in(senior).get("/school/").content.decode()
    assert "hidden to protect anonymity" in page
    assert "2.00" not in page


def test_it_shows_each_teams_participation_without_names(school):
    page = signed_in(school["senior"]).get("/school/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "5 of 5" in html and "2 of 2" in html
    names = Member.objects.filter(team__school=school["senior"].school)
    assert not any(m.name in html or m.email in html for m in names)
    assert "Start a round for middle leaders" in html


def test_it_counts_only_live_invitations_of_the_latest_round(school, api):
    team = school["science"]
    latest = factory.audit(team, title="Spring audit")
    member = team.members.first()
    fill(latest, lambda m, i: 3, members=[member])
    data = api(factory.token_for(school["senior"])).get("/api/v1/school").json()
    row = next(t for t in data["teams"] if t["name"] == "Science")
    assert row["round"]["id"] == latest.id
    assert (row["invited"], row["responded"]) == (5, 1)


def test_it_refuses_middle_leaders_with_403(school, api):
    leader = school["science"].leader
    assert api(factory.token_for(leader)).get("/api/v1/school").status_code == 403
    assert signed_in(leader).get("/school/").status_code == 403
    assert signed_in(leader).post("/school/leaders-round/").status_code == 403


def test_it_refuses_participants_and_strangers(school, api):
    audit = school["science"].audits.first()
    token = factory.invitation(audit, school["science"].members.first()).token
    assert api(token).get("/api/v1/school").status_code == 403
    assert api().get("/api/v1/school").status_code == 401
    assert Client().get("/school/").status_code == 302


def test_it_never_shows_another_schools_data(school, api):
    other = factory.leader(factory.school("Elsewhere High"), role="senior")
    data = api(factory.token_for(other)).get("/api/v1/school").json()
    assert data["school"]["name"] == "Elsewhere High"
    assert data["teams"] == data["needs"] == data["strengths"] == []
    html = signed_in(other).get("/school/").content.decode()
    assert "Science" not in html and "Hillside" not in html


def test_it_links_the_school_view_only_for_senior_leaders(school):
    assert 'href="/school/"' in signed_in(school["senior"]).get("/").content.decode()
    assert 'href="/school/"' not in signed_in(school["art"].leader).get("/").content.decode()


def test_it_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/school"]


def _big_school(teams: int, members: int = 15):
    s = factory.school(f"School of {teams}")
    senior = factory.leader(s, role="senior")
    statements = None
    for n in range(teams):
        team = factory.team(factory.leader(s), members=members, name=f"Team {n:02d}")
        audit = factory.audit(team, anonymous=n % 2 == 0)
        if statements is None:
            statements = Item.objects.filter(
                area__instrument=audit.instrument, kind=ItemKind.STATEMENT
            ).count()
        fill(audit, lambda m, i, n=n: 1 + (m.id + i.id + n) % 4, support=[ORACY])
        people = list(team.members.all())
        notes(audit, people[:4], Chart.IMPROVEMENT, "Oracy: talk partners", ORACY)
        notes(audit, people[4:8], Chart.STRENGTH, "Worked examples and modelling", EXPLICIT)
    return senior


def _queries(senior, path: str, **headers) -> int:
    client = signed_in(senior)
    client.get(path, headers=headers)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path, headers=headers)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_it_runs_a_constant_number_of_queries_whatever_the_number_of_teams(db):
    small = _big_school(5)
    few_page, few_api = _queries(small, "/school/"), _queries(small, "/api/v1/school")
    large = _big_school(40)
    many_page, many_api = _queries(large, "/school/"), _queries(large, "/api/v1/school")
    assert many_page == few_page
    assert many_api == few_api
    assert few_page < 25
    data = Client()
    data.force_login(large)
    body = data.get("/api/v1/school").json()
    assert len(body["teams"]) == 40
    assert body["needs"][0]["area"] == ORACY and len(body["needs"][0]["named_by"]) == 40
