"""Results: the API's aggregates against a computation written here from the raw Answer rows,
the anonymity threshold, submitted-only counting and the talking points."""

from __future__ import annotations

import math

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Member
from audits.answers import AnswerIn, save_answers
from audits.models import Answer, Area, Item, ItemKind
from tests import factory

FIGURES = {"n", "mean", "median", "distribution", "spread", "people", "not_applicable"}
MISSING = "missing"  # the statement was not answered at all
NA = None  # answered "not applicable"


# --- the reference computation: plain Python over the raw rows -------------------------------


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _pstdev(values: list[int]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def reference_results(audit) -> dict:
    """What the results must be, from the database's Answer rows and nothing else."""
    instrument = audit.instrument
    items = list(Item.objects.filter(area__instrument=instrument).select_related("area"))
    rows = [
        (a.response.member_id, a.item_id, a.rating)
        for a in Answer.objects.filter(response__audit=audit).select_related("response")
        if a.response.submitted is not None
    ]
    submitted = audit.responses.exclude(submitted=None).count()

    def figures(ratings: list[tuple[int, int | None]], scale: list[dict]) -> dict:
        values = [r for _, r in ratings if r is not None]
        raters = {m for m, r in ratings if r is not None}
        return {
            "raters": len(raters),
            "n": len(values),
            "not_applicable": sum(1 for _, r in ratings if r is None),
            "distribution": {str(p["value"]): values.count(p["value"]) for p in scale},
            "mean": sum(values) / len(values) if values else None,
            "median": _median(values) if values else None,
            "spread": _pstdev(values) if len(values) > 1 else 0.0,
        }

    statements = {}
    for item in items:
        ratings = [(m, r) for m, i, r in rows if i == item.id]
        statements[item.id] = figures(ratings, item.scale or instrument.scale)
    areas = {}
    for area in Area.objects.filter(instrument=instrument):
        ids = {i.id for i in items if i.area_id == area.id and i.kind == ItemKind.STATEMENT}
        ratings = [(m, r) for m, i, r in rows if i in ids and r is not None]
        areas[area.key] = figures(ratings, instrument.scale)
    return {"responses": submitted, "statements": statements, "areas": areas}


def assert_matches_reference(audit, got: dict) -> None:
    want = reference_results(audit)
    assert got["responses"] == want["responses"]
    assert {row["id"] for row in got["statements"]} == set(want["statements"])
    assert {row["key"] for row in got["areas"]} == set(want["areas"])
    rows = [(row, want["statements"][row["id"]]) for row in got["statements"]]
    rows += [(row, want["areas"][row["key"]]) for row in got["areas"]]
    for row, ref in rows:
        if audit.anonymous and ref["raters"] < 3:
            assert row["suppressed"] is True, row
            assert not FIGURES & set(row), row
            continue
        assert row["suppressed"] is False, row
        assert row["distribution"] == ref["distribution"], row
        assert row["n"] == ref["n"]
        if ref["mean"] is None:
            assert row["mean"] is None and row["median"] is None
        else:
            assert row["mean"] == pytest.approx(ref["mean"])
            assert row["median"] == pytest.approx(ref["median"])
        if "key" in row:  # an area
            assert row["spread"] == pytest.approx(ref["spread"])
            assert row["people"] == ref["raters"]
        else:
            assert row["not_applicable"] == ref["not_applicable"]
    shown = [a for a in got["areas"] if not a["suppressed"] and a["mean"] is not None]
    points = got["talking_points"]
    means = sorted((a["mean"] for a in shown), reverse=True)
    assert [p["mean"] for p in points["strongest"]] == pytest.approx(means[:3])
    assert [p["mean"] for p in points["weakest"]] == pytest.approx(sorted(means)[:3])
    spreads = sorted((a["spread"] for a in shown if a["spread"] > 0), reverse=True)
    assert [p["spread"] for p in points["widest_disagreement"]] == pytest.approx(spreads[:3])
    shown_keys = {a["key"] for a in shown}
    for kind in ("strongest", "weakest", "widest_disagreement"):
        assert {p["key"] for p in points[kind]} <= shown_keys


# --- property: any rating matrix ----------------------------------------------------------

CELL = st.sampled_from([MISSING, MISSING, MISSING, NA, 1, 2, 3, 4])
PERSON = st.tuples(st.booleans(), st.lists(CELL, min_size=40, max_size=40))


def _items_under_test(audit) -> list[Item]:
    """The first three areas' items (question and statements): enough to meet every case."""
    areas = list(Area.objects.filter(instrument=audit.instrument)[:3])
    return list(Item.objects.filter(area__in=areas))


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(PERSON, min_size=0, max_size=6))
def test_it_aggregates_exactly_as_the_raw_answers_say(world, api, anonymous, people):
    leader = api(world.leader_token)
    with transaction.atomic():
        team = factory.team(world.leader, members=len(people), name="Property")
        audit = factory.audit(team, anonymous=anonymous)
        items = _items_under_test(audit)
        for member, (submit, cells) in zip(team.members.all(), people, strict=True):
            answers = [
                AnswerIn(item.id, cell)
                for item, cell in zip(items, cells, strict=False)
                if cell != MISSING
            ]
            if answers or submit:
                save_answers(audit, member.id, answers, submit=submit)
        r = leader.get(f"/api/v1/audits/{audit.id}/results")
        assert r.status_code == 200, r.content
        assert_matches_reference(audit, r.json())
        transaction.set_rollback(True)


# --- the threshold, submitted-only counting, talking points ---------------------------------


def _results(world, api) -> dict:
    r = api(world.leader_token).get(f"/api/v1/audits/{world.audit.id}/results")
    assert r.status_code == 200
    return r.json()


def test_it_suppresses_every_figure_from_fewer_than_three_people(world, api):
    for member in world.members[:2]:
        factory.answer_all(world.audit, member, lambda item: 4)
    body = _results(world, api)
    assert body["responses"] == 2
    assert body["areas"] and body["statements"]
    for row in body["areas"] + body["statements"]:
        assert row["suppressed"] is True
        assert not FIGURES & set(row)
    assert body["talking_points"] == {"strongest": [], "weakest": [], "widest_disagreement": []}


def test_it_shows_figures_from_three_people(world, api):
    for member, rating in zip(world.members[:3], [1, 2, 4], strict=True):
        factory.answer_all(world.audit, member, lambda item, rating=rating: rating)
    body = _results(world, api)
    for row in body["statements"]:
        assert row["suppressed"] is False
        assert row["distribution"] == {"1": 1, "2": 1, "3": 0, "4": 1}
        assert row["mean"] == pytest.approx(7 / 3)
        assert row["median"] == 2
    for row in body["areas"]:  # pooled over the area's statements
        assert row["suppressed"] is False
        assert row["people"] == 3
        assert row["mean"] == pytest.approx(7 / 3)
        assert row["distribution"]["3"] == 0
        assert row["distribution"]["1"] == row["distribution"]["2"] == row["distribution"]["4"]
    assert_matches_reference(world.audit, body)


def test_it_does_not_count_not_applicable_towards_the_threshold(world, api):
    target = factory.statements(world.audit)[0]
    for member, rating in zip(world.members[:3], [3, 4, None], strict=True):
        factory.answer_all(
            world.audit, member, lambda item, rating=rating: rating if item == target else 2
        )
    body = _results(world, api)
    row = next(s for s in body["statements"] if s["id"] == target.id)
    assert row["suppressed"] is True
    assert not FIGURES & set(row)
    area = next(a for a in body["areas"] if a["key"] == target.area.key)
    assert area["suppressed"] is False  # three people rated other statements of the area


def test_it_never_suppresses_in_a_named_round(named_world, api):
    factory.answer_all(named_world.audit, named_world.members[0], lambda item: 3)
    body = _results(named_world, api)
    for row in body["areas"] + body["statements"]:
        assert row["suppressed"] is False
        assert row["mean"] == 3
    assert_matches_reference(named_world.audit, body)


def test_it_counts_only_submitted_responses(world, api):
    for member in world.members[:3]:
        factory.answer_all(world.audit, member, lambda item: 4)
    factory.answer_all(world.audit, world.members[3], lambda item: 1, submit=False)
    body = _results(world, api)
    assert body["responses"] == 3
    for row in body["areas"] + body["statements"]:
        assert row["distribution"]["1"] == 0
        assert row["mean"] == 4
    # Submitting later brings the answers in.
    save_answers(world.audit, world.members[3].id, [], submit=True)
    body = _results(world, api)
    assert body["responses"] == 4
    assert body["areas"][0]["distribution"]["1"] > 0
    assert_matches_reference(world.audit, body)


def test_it_counts_not_applicable_separately(named_world, api):
    w = named_world
    target = factory.statements(w.audit)[0]
    ratings = [2, None, 4, None, 3]
    for member, rating in zip(w.members, ratings, strict=True):
        factory.answer_all(w.audit, member, lambda item, rating=rating: rating)
    row = next(s for s in _results(w, api)["statements"] if s["id"] == target.id)
    assert row["not_applicable"] == 2
    assert row["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 1}
    assert row["mean"] == 3
    assert row["median"] == 3


def test_it_names_strongest_weakest_and_widest_disagreement(named_world, api):
    w = named_world
    areas = list(Area.objects.filter(instrument=w.audit.instrument))
    strong, weak, split = areas[0], areas[1], areas[2]

    def rating_for(index):
        def rate(item: Item):
            if item.area_id == strong.id:
                return 4
            if item.area_id == weak.id:
                return 1
            if item.area_id == split.id:
                return 1 if index % 2 else 4
            return 3 if item.kind == ItemKind.STATEMENT else None

        return rate

    for index, member in enumerate(w.members):
        factory.answer_all(w.audit, member, rating_for(index))
    points = _results(w, api)["talking_points"]
    assert points["strongest"][0]["key"] == strong.key
    assert points["strongest"][0]["mean"] == 4
    assert points["weakest"][0]["key"] == weak.key
    assert points["weakest"][0]["mean"] == 1
    assert points["widest_disagreement"][0]["key"] == split.key
    assert all({"key", "title"} <= set(p) for kind in points.values() for p in kind)


def test_it_gives_empty_results_before_anyone_submits(world, api):
    body = _results(world, api)
    assert body["responses"] == 0
    assert all(row["suppressed"] for row in body["areas"])


def test_it_gives_results_with_no_answers_in_a_named_round(named_world, api):
    body = _results(named_world, api)
    assert body["responses"] == 0
    for row in body["areas"]:
        assert row["mean"] is None and row["median"] is None
        assert set(row["distribution"].values()) == {0}


def test_it_keeps_figures_per_member_out_of_results(named_world, api):
    w = named_world
    for member in w.members:
        factory.answer_all(w.audit, member, lambda item: 2)
    text = api(w.leader_token).get(f"/api/v1/audits/{w.audit.id}/results").content.decode()
    for member in Member.objects.filter(team=w.team):
        assert member.name not in text
