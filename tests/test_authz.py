"""Who may reach what: every API route (from the OpenAPI document) × every kind of stranger.

Anonymous callers get 401, participants 403 on leaders' routes, and leaders of other teams —
same school or another — 404 on every object route, as if it did not exist. Nobody gets the
data. And in an anonymous round no payload ties a name or member id to an answer.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import Client

from audits.models import Answer, AuditStatus, Invitation
from tests import factory
from tests.openapi_routes import fill_path, openapi_document, routes, valid_body, world_hints

DOCUMENT = openapi_document()
ROUTES = routes(DOCUMENT)
LEADER_ROUTES = [r for r in ROUTES if not r.is_shared]
SHARED_ROUTES = [r for r in ROUTES if r.is_shared and not r.is_participant_only]
OBJECT_ROUTES = [r for r in ROUTES if r.is_object_route]
MARK = "Qz7-secret"


def _ids(routes_list):
    return [r.id for r in routes_list]


def call(route, path, body, token=None, client=None):
    client = client or Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs = {"headers": headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, route.method.lower())(path, **kwargs)


def _create_child(world, param: str, ids: dict, hints: dict) -> int:
    """An object of the world's round for a path parameter such as {note}: made by the leader
    through the collection's POST route, so routes added later get a real object too."""
    for creator in ROUTES:
        if creator.method == "POST" and any(
            r.path.startswith(creator.path + "/{" + param + "}") for r in ROUTES
        ):
            body = valid_body(DOCUMENT, creator, hints)
            r = call(creator, fill_path(creator, ids), body, world.leader_token)
            if r.status_code in (200, 201) and isinstance(r.json(), dict) and "id" in r.json():
                return r.json()["id"]
    return 1


@pytest.fixture
def setup(world):
    """The world's round with private data in it, and ids for every path parameter."""
    world.team.name = f"Team {MARK}"
    world.team.save()
    world.audit.title = f"Round {MARK}"
    world.audit.save()
    for index, member in enumerate(world.members):
        factory.answer_all(world.audit, member, lambda item, i=index: 1 + (item.id + i) % 4)
    statement = factory.statements(world.audit)[0]
    hints = {**world_hints(world, statement.id), "text": f"Note {MARK}"}
    ids = {"team": world.team.id, "audit": world.audit.id, "member": world.members[-1].id}
    for route in ROUTES:
        for param in route.params:
            if param not in ids:
                ids[param] = _create_child(world, param, ids, hints)
    secrets = [MARK, *world.tokens]
    secrets += [m.name for m in world.members] + [m.email for m in world.members]
    return SimpleNamespace(world=world, ids=ids, hints=hints, secrets=secrets)


def assert_nothing_leaks(route, response, secrets):
    text = response.content.decode("utf-8", "replace")
    for secret in secrets:
        assert secret not in text, f"{route.id} -> {response.status_code} shows {secret!r}"


def assert_world_unchanged(world):
    world.audit.refresh_from_db()
    assert world.audit.status == AuditStatus.OPEN
    assert world.team.members.current().count() == len(world.members)
    assert Invitation.objects.filter(audit=world.audit, revoked__isnull=False).count() == 0
    assert Answer.objects.filter(response__audit=world.audit).count() > 0


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_it_asks_anonymous_callers_to_authenticate(setup, route):
    body = valid_body(DOCUMENT, route, setup.hints)
    r = call(route, fill_path(route, setup.ids), body)
    assert r.status_code == 401, (route.id, r.status_code)
    assert_nothing_leaks(route, r, setup.secrets)
    assert_world_unchanged(setup.world)


@pytest.mark.parametrize("route", LEADER_ROUTES, ids=_ids(LEADER_ROUTES))
def test_it_forbids_participants_leader_routes(setup, route):
    body = valid_body(DOCUMENT, route, setup.hints)
    for token in (setup.world.tokens[0], _stranger_participant(setup.world)):
        r = call(route, fill_path(route, setup.ids), body, token)
        assert r.status_code == 403, (route.id, r.status_code, r.content[:200])
        assert_nothing_leaks(route, r, setup.secrets)
    assert_world_unchanged(setup.world)


def _stranger_participant(world) -> str:
    """A participant of another school's round."""
    team = factory.team(world.other_leader, members=1, name="Elsewhere")
    audit = factory.audit(team)
    return factory.invitation(audit, team.members.get()).token


@pytest.mark.parametrize("route", SHARED_ROUTES, ids=_ids(SHARED_ROUTES))
def test_it_keeps_participants_of_other_rounds_out(setup, route):
    body = valid_body(DOCUMENT, route, setup.hints)
    token = _stranger_participant(setup.world)
    r = call(route, fill_path(route, setup.ids), body, token)
    assert r.status_code in (403, 404), (route.id, r.status_code, r.content[:200])
    assert_nothing_leaks(route, r, setup.secrets)
    assert_world_unchanged(setup.world)


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_ids(OBJECT_ROUTES))
@pytest.mark.parametrize("who", ["outsider_token", "other_token"], ids=["same-school", "other"])
def test_it_hides_other_leaders_objects_with_404(setup, route, who):
    body = valid_body(DOCUMENT, route, setup.hints)
    r = call(route, fill_path(route, setup.ids), body, getattr(setup.world, who))
    assert r.status_code == 404, (route.id, r.status_code, r.content[:200])
    assert r.json()["detail"]
    assert_nothing_leaks(route, r, setup.secrets)
    assert_world_unchanged(setup.world)


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_ids(OBJECT_ROUTES))
def test_it_answers_404_alike_for_missing_and_foreign_objects(setup, route):
    """The answer to another school's round is the answer to a round that does not exist."""
    body = valid_body(DOCUMENT, route, setup.hints)
    token = setup.world.other_token
    foreign = call(route, fill_path(route, setup.ids), body, token)
    missing_ids = {k: (10**9 if k in ("team", "audit") else v) for k, v in setup.ids.items()}
    missing = call(route, fill_path(route, missing_ids), body, token)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


COLLECTIONS = [r for r in ROUTES if not r.is_object_route and not r.is_participant_only]


@pytest.mark.parametrize("route", COLLECTIONS, ids=_ids(COLLECTIONS))
@pytest.mark.parametrize("who", ["outsider_token", "other_token"], ids=["same-school", "other"])
def test_it_shows_other_leaders_only_their_own_collections(setup, route, who):
    body = valid_body(DOCUMENT, route, setup.hints)
    r = call(route, fill_path(route, setup.ids), body, getattr(setup.world, who))
    assert r.status_code < 500
    if r.status_code == 200 and isinstance(r.json(), list):
        ours = {setup.world.team.id} if "teams" in route.path else {setup.world.audit.id}
        if "instruments" not in route.path:
            assert not ours & {row.get("id") for row in r.json()}
    # Creating a round on someone else's team is refused like any foreign object.
    if route.method == "POST" and route.path == "/api/v1/audits":
        assert r.status_code == 404
    assert_nothing_leaks(route, r, setup.secrets)
    assert_world_unchanged(setup.world)


def test_it_keeps_another_schools_leader_out_by_session_too(setup):
    browser = Client(raise_request_exception=False)
    browser.force_login(setup.world.other_leader)
    world = setup.world
    for path in (
        f"/api/v1/audits/{world.audit.id}/results",
        f"/api/v1/teams/{world.team.id}/members",
        f"/audits/{world.audit.id}/",
        f"/teams/{world.team.id}/",
        f"/audits/{world.audit.id}/meeting.ics",
    ):
        r = browser.get(path)
        assert r.status_code == 404, path
        assert MARK not in r.content.decode()
    r = browser.post(f"/audits/{world.audit.id}/close/")
    assert r.status_code == 404
    assert_world_unchanged(world)


# --- anonymity ---------------------------------------------------------------------------

# Keys that would say whose something is. (A `name` is fine — a school's, a team's — as long as
# no member's name appears, which is checked on the text.)
TIED_KEYS = {"member", "member_id", "who", "author", "author_id", "email", "mentor"}


def _walk(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path + (key,), key, inner
            yield from _walk(inner, path + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _walk(inner, path + (index,))


def test_it_ties_no_name_or_member_id_to_answers_in_an_anonymous_round(setup):
    world = setup.world
    assert world.audit.anonymous
    captured = {}
    # The leader: every GET about the round, except the link list (names, no answers).
    for route in ROUTES:
        if route.method != "GET" or "{audit}" not in route.path or "invitations" in route.path:
            continue
        r = call(route, fill_path(route, setup.ids), None, world.leader_token)
        if r.status_code == 200 and r["Content-Type"].startswith("application/json"):
            captured[("leader", route.id)] = r.json()
    # Each participant: every GET they may make, about the round.
    for token in world.tokens:
        for route in ROUTES:
            if route.method != "GET" or route.is_participant_only or not route.is_shared:
                continue
            r = call(route, fill_path(route, setup.ids), None, token)
            if r.status_code == 200 and r["Content-Type"].startswith("application/json"):
                captured[("participant", route.id)] = r.json()
    assert ("leader", "GET /api/v1/audits/{audit}/results") in captured
    assert ("leader", "GET /api/v1/audits/{audit}/participation") in captured
    names = [m.name for m in world.members] + [m.email for m in world.members]
    for where, payload in captured.items():
        text = json.dumps(payload)
        for name in names:
            assert name not in text, (where, name)
        for path, key, _ in _walk(payload):
            assert key not in TIED_KEYS, (where, path)


def test_it_shows_a_participant_only_their_own_answers(setup, api):
    world = setup.world
    mine = api(world.tokens[0]).get("/api/v1/me").json()
    own = {a.item_id: a.rating for a in Answer.objects.filter(response__member=world.members[0])}
    assert {a["statement"]: a["rating"] for a in mine["answers"]} == own
    assert mine["member"]["id"] == world.members[0].id
    text = json.dumps(mine)
    for member in world.members[1:]:
        assert member.name not in text
