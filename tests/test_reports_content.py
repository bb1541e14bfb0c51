"""The meeting report's content (reports.content.report_for): what it gathers, what it leaves
out in anonymous rounds, and a number of queries that does not grow with the meeting.

`meeting()` here builds a round the other tests/test_reports_*.py files share."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Member
from audits.answers import AnswerIn, save_answers
from audits.models import Item
from audits.results import results_for
from board.models import Action, Board, Consent, Match, Note
from board.notes import board_for
from reports.content import WITHHELD_OWNER, report_for
from tests import factory
from tests.conftest import make_world

SECRET_NOTE = "The photocopier password is swordfish"
DELETED_NOTE = "A note its writer took back"
STRENGTH_TEXTS = [
    "Scaffolded worked examples help everyone reach the same goal",
    "Questioning that lets every pupil attempt the hardest task",
    "Seating plans built from pupil passports",
]
IMPROVEMENT_TEXTS = [
    "Adapting reading for pupils with EAL",
    "Knowing the barriers of pupils with SEND",
    "Checking understanding before moving on",
]


def rating_for(member_index: int):
    def rate(item: Item):
        if (item.position + member_index) % 7 == 6:
            return None  # not applicable now and then
        return 1 + (item.position + member_index) % 4

    return rate


def answer(audit, members, *, submit=True, comment=""):
    items = list(Item.objects.filter(area__instrument=audit.instrument))
    for index, member in enumerate(members):
        rate = rating_for(index)
        save_answers(
            audit,
            member.id,
            [AnswerIn(i.id, rate(i), comment) for i in items],
            submit=submit,
        )


def add_notes(audit, members, count: int, *, phase: str = "agree") -> Board:
    """`count` notes spread over the members and both charts, plus one hidden and one deleted."""
    board = board_for(audit)
    Board.objects.filter(pk=board.pk).update(phase=phase)
    board.refresh_from_db()
    areas = ["high-expectations", "knowing-pupils", ""]
    notes = []
    for n in range(count):
        chart = "strength" if n % 2 == 0 else "improvement"
        texts = STRENGTH_TEXTS if chart == "strength" else IMPROVEMENT_TEXTS
        notes.append(
            Note(
                board=board,
                chart=chart,
                text=f"{texts[n % len(texts)]} ({n})",
                area=areas[n % len(areas)],
                author_member=members[n % len(members)],
                client_id=f"c{n}",
            )
        )
    Note.objects.bulk_create(notes)
    Note.objects.create(
        board=board,
        chart="strength",
        text=SECRET_NOTE,
        author_member=members[0],
        client_id="hidden",
        hidden=True,
    )
    Note.objects.create(
        board=board,
        chart="improvement",
        text=DELETED_NOTE,
        author_member=members[0],
        client_id="deleted",
        deleted=timezone.now(),
    )
    return board


def meeting(anonymous: bool = True, *, members: int = 5, notes: int = 12, pairs: bool = True):
    """A round with answers from everyone, a revealed board with notes, one accepted pair
    (Teacher 1 supports Teacher 2), one pairing still awaiting consent (Teacher 4), a CPD
    action and a pair action."""
    world = make_world(anonymous=anonymous, members=members)
    answer(world.audit, world.members)
    board = add_notes(world.audit, world.members, notes)
    if pairs:
        need = Note.objects.create(
            board=board,
            chart="improvement",
            text="I want better questioning for pupils with SEND",
            area="knowing-pupils",
            author_member=world.members[1],
            client_id="need",
        )
        offer = Note.objects.create(
            board=board,
            chart="strength",
            text="Hinge questions every lesson",
            area="knowing-pupils",
            author_member=world.members[0],
            client_id="offer",
        )
        accepted = Match.objects.create(
            board=board,
            improvement_note=need,
            strength_note=offer,
            mentor=world.members[0],
            score=0.9,
            mentor_consent=Consent.YES,
            learner_consent=Consent.YES,
        )
        Match.objects.create(
            board=board,
            improvement_note=need,
            mentor=world.members[3],
            score=0.5,
            mentor_consent=Consent.ASKED,
        )
        Action.objects.create(
            board=board,
            kind="pair",
            title="Observe each other's questioning",
            owner="Teacher 1",
            due=date(2026, 3, 1),
            match=accepted,
        )
    Action.objects.create(
        board=board,
        kind="cpd",
        title="Twilight session on adapting texts for EAL",
        owner="Hannah Head",
        due=date(2026, 2, 10),
        area="knowing-pupils",
    )
    return world


def all_strings(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)


@pytest.fixture
def anonymous_meeting(db):
    return meeting(anonymous=True)


@pytest.fixture
def named_meeting(db):
    return meeting(anonymous=False)


def test_it_gathers_the_whole_meeting(anonymous_meeting):
    report = report_for(anonymous_meeting.audit)
    assert report["school"]["name"] == "Hillside Academy"
    assert report["team"]["name"] == "Science"
    assert report["draft"] is True
    assert report["participation"]["invited"] == 5
    assert report["participation"]["responded"] == 5
    assert "who" not in report["participation"]
    assert report["heat_map"] is None
    texts = [
        n["text"]
        for c in ("strength", "improvement")
        for t in report["flipcharts"][c]
        for n in t["notes"]
    ]
    assert len(texts) == 12 + 2
    assert any(STRENGTH_TEXTS[0] in t for t in texts)
    assert report["actions"][0]["title"] == "Twilight session on adapting texts for EAL"
    assert report["actions"][0]["owner"] == "Hannah Head"
    assert report["actions"][0]["due"] == date(2026, 2, 10)
    assert report["pairs_awaiting_consent"] == 1


def test_it_uses_the_results_with_the_same_suppression(anonymous_meeting):
    report = report_for(anonymous_meeting.audit)
    results = results_for(anonymous_meeting.audit)
    for mine, theirs in zip(report["results"]["areas"], results["areas"], strict=True):
        assert mine["key"] == theirs["key"]
        assert mine.get("mean") == theirs["mean"]
        assert mine["suppressed"] == theirs["suppressed"]


def test_it_suppresses_figures_from_fewer_than_three_people(db):
    world = make_world(anonymous=True, members=5)
    answer(world.audit, world.members[:2])
    report = report_for(world.audit)
    assert report["results"]["responses"] == 2
    for row in report["results"]["areas"] + report["results"]["statements"]:
        assert row["suppressed"] is True
        assert not {"mean", "median", "distribution", "n", "people"} & set(row)


def test_it_leaves_out_hidden_and_deleted_notes(anonymous_meeting):
    dumped = all_strings(report_for(anonymous_meeting.audit))
    assert SECRET_NOTE not in dumped
    assert DELETED_NOTE not in dumped


def test_it_never_names_a_note_author_in_an_anonymous_round(anonymous_meeting):
    report = report_for(anonymous_meeting.audit)
    for chart in report["flipcharts"].values():
        for theme in chart:
            for note in theme["notes"]:
                assert "author" not in note
    dumped = all_strings(report)
    # Teacher 1 and 2 agreed to be a pair, so they are named; nobody else is.
    for name in ("Teacher 3", "Teacher 4", "Teacher 5"):
        assert name not in dumped


def test_it_names_a_pair_only_once_both_agreed(anonymous_meeting):
    report = report_for(anonymous_meeting.audit)
    assert [(p["mentor"], p["learner"]) for p in report["pairs"]] == [("Teacher 1", "Teacher 2")]
    match = Match.objects.get(mentor_consent=Consent.YES)
    match.learner_consent = Consent.NO
    match.save()
    report = report_for(anonymous_meeting.audit)
    assert report["pairs"] and all(
        "mentor" not in p and "learner" not in p for p in report["pairs"]
    )
    pair_action = next(a for a in report["actions"] if a["kind"] == "pair")
    assert pair_action["owner"] == WITHHELD_OWNER
    assert "Teacher 1" not in all_strings(report)


def test_it_names_authors_and_respondents_in_a_named_round(named_meeting):
    report = report_for(named_meeting.audit)
    authors = {n["author"]["name"] for t in report["flipcharts"]["strength"] for n in t["notes"]}
    assert {"Teacher 1", "Teacher 3"} <= authors
    assert [w["name"] for w in report["participation"]["who"]][:2] == ["Teacher 1", "Teacher 2"]
    assert {r["name"] for r in report["heat_map"]["rows"]} == {f"Teacher {i}" for i in range(1, 6)}


def test_it_shows_no_notes_before_the_reveal(db):
    world = make_world(anonymous=True)
    add_notes(world.audit, world.members, 6, phase="write")
    report = report_for(world.audit)
    assert report["board"]["revealed"] is False
    assert report["flipcharts"] == {"strength": [], "improvement": []}
    assert STRENGTH_TEXTS[0] not in all_strings(report)


def test_it_finds_recurring_strengths_and_ranks_training_needs(anonymous_meeting):
    report = report_for(anonymous_meeting.audit)
    assert report["recurring_strengths"], report["flipcharts"]["strength"]
    assert all(t["participants"] >= 2 for t in report["recurring_strengths"])
    ranks = [t["rank"] for t in report["training_needs"]]
    assert ranks == list(range(1, len(ranks) + 1))
    assert ranks


def test_it_is_final_once_the_round_is_closed(anonymous_meeting):
    anonymous_meeting.audit.close()
    assert report_for(anonymous_meeting.audit)["draft"] is False


def _queries(audit) -> int:
    with CaptureQueriesContext(connection) as captured:
        report_for(audit)
    return len(captured)


@pytest.mark.parametrize("anonymous", [True, False])
def test_it_runs_a_constant_number_of_queries(db, anonymous):
    small = meeting(anonymous=anonymous, members=4, notes=10)
    for i in range(16):
        Member.objects.create(team=small.team, name=f"Extra {i}")
    big = factory.audit(small.team, anonymous=anonymous, title="Bigger")
    people = list(small.team.members.all())
    assert len(people) == 20
    answer(big, people)
    add_notes(big, people, 300)
    few, many = _queries(small.audit), _queries(big)
    assert few == many, (few, many)
    assert many <= 30  # a sanity bound; the point is that it does not grow
