"""Hostile input on every API route (enumerated from the OpenAPI document): malformed JSON,
wrong types, huge numbers, oversized bodies, control characters. Always 4xx, never a 500.
And the rate limit on failed token look-ups, which never touches valid tokens."""

from __future__ import annotations

import json
import traceback
from types import SimpleNamespace

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flipchart import throttle
from tests import factory
from tests.openapi_routes import (
    fill_path,
    openapi_document,
    resolve,
    routes,
    valid_body,
    world_hints,
)

DOCUMENT = openapi_document()
ROUTES = routes(DOCUMENT)
WRITE_ROUTES = [r for r in ROUTES if r.takes_body]
BODY_ROUTES = [r for r in ROUTES if r.operation.get("requestBody")]
JSON_ROUTES = [r for r in BODY_ROUTES if r.body_schema(DOCUMENT) is not None]
PATH_ROUTES = [r for r in ROUTES if r.params]
HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _ids(routes_list):
    return [r.id for r in routes_list]


def send(method, path, *, raw=None, token=None, content_type="application/json", **meta):
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs = {"headers": headers, **meta}
    if raw is not None:
        kwargs.update(data=raw, content_type=content_type)
    response = getattr(client, method.lower())(path, **kwargs)
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        response.trace = "".join(traceback.format_exception(*response.exc_info))
    return response


def explain(route, response, sent=None) -> str:
    trace = getattr(response, "trace", "")
    return f"{route.id} sent {sent!r:.300} -> {response.status_code}\n{trace}"


@pytest.fixture
def setup(world):
    """Paths filled with the world's own ids and the token each route is meant for."""
    statement = factory.statements(world.audit)[0]
    ids = {
        "team": world.team.id,
        "audit": world.audit.id,
        "member": world.members[-1].id,
        "note": 1,
    }
    hints = world_hints(world, statement.id)

    def token_for(route):
        return world.tokens[0] if route.is_participant_only else world.leader_token

    return SimpleNamespace(world=world, ids=ids, hints=hints, token_for=token_for)


def test_it_serves_the_openapi_document_these_tests_enumerate(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    served = {(m.upper(), p) for p, ops in r.json()["paths"].items() for m in ops}
    assert served == {(route.method, route.path) for route in ROUTES}
    assert len(ROUTES) >= 15


MALFORMED = [
    b"{",
    b'{"name": ',
    b"{'name': 'single quotes'}",
    b"[1, 2,]",
    b'{"a": 1}{"b": 2}',
    b"nul",
    b"\xff\xfe\x00{",
    b'{"name": "\xc3\x28"}',  # invalid UTF-8 inside a string
    b"\x00\x01\x02",
    b"NaN",
]


@pytest.mark.parametrize("route", BODY_ROUTES, ids=_ids(BODY_ROUTES))
def test_it_answers_malformed_json_with_400(setup, route):
    path = fill_path(route, setup.ids)
    for raw in MALFORMED:
        r = send(route.method, path, raw=raw, token=setup.token_for(route))
        if raw == b"NaN":  # not JSON, though Python's reader takes it: refused either way
            assert r.status_code in (400, 422), explain(route, r, raw)
        else:
            assert r.status_code == 400, explain(route, r, raw)
        assert r.json()["detail"], explain(route, r, raw)


TOP_LEVEL_WRONG = [[], [{}], "text", 12, 10**40, None, True, 1.5, "\u0000"]


@pytest.mark.parametrize("route", BODY_ROUTES, ids=_ids(BODY_ROUTES))
def test_it_answers_a_wrong_typed_body_with_4xx(setup, route):
    path = fill_path(route, setup.ids)
    for value in TOP_LEVEL_WRONG:
        r = send(route.method, path, raw=json.dumps(value), token=setup.token_for(route))
        assert 400 <= r.status_code < 500, explain(route, r, value)
        assert "detail" in r.json()


# Lax readers may take "12" or true for a number, and a field that does not apply (an action's
# `match` unless it is a pair) may ignore any number; the API's own ids and ratings are strict
# (tested with their routes), so here these need only not fail.
LENIENT = [(str, "12"), (bool, True), (int, 10**40), (int, -(10**40))]


def _lenient(value) -> bool:
    return any(type(value) is kind and value == v for kind, v in LENIENT)


def _wrong_values(schema: dict) -> list:
    """Values of the wrong JSON type for a field of this schema."""
    schema = resolve(DOCUMENT, schema)
    options = [resolve(DOCUMENT, s) for s in schema.get("anyOf", [schema])]
    kinds = {s.get("type") for s in options}
    if "enum" in schema or any("enum" in s for s in options):
        return ["no-such-choice", 12, [], {}]
    wrong = []
    if kinds & {"integer", "number"}:
        wrong += ["twelve", "12", "", [], {}, 1.5, True, 10**40, -(10**40)]
    if "string" in kinds:
        wrong += [12, 1.5, [], {}, True]
        limit = max((s.get("maxLength", 0) for s in options), default=0)
        if limit:
            wrong.append("x" * (limit + 1))
    if "boolean" in kinds:
        wrong += ["maybe", 2, [], {}]
    if "array" in kinds:
        wrong += [{}, "list", 3, [None], [[]], ["x" * 10]]
    if "object" in kinds or any("properties" in s for s in options):
        wrong += [[], "object", 3]
    if "null" not in kinds and schema.get("default", "missing") is not None:
        wrong.append(None)
    return wrong


@pytest.mark.parametrize("route", JSON_ROUTES, ids=_ids(JSON_ROUTES))
def test_it_answers_each_wrong_typed_field_with_4xx(setup, route):
    schema = route.body_schema(DOCUMENT)
    good = valid_body(DOCUMENT, route, setup.hints)
    path = fill_path(route, setup.ids)
    fields = dict(schema.get("properties", {}))
    for key, sub in fields.items():
        for wrong in _wrong_values(sub):
            body = {**good, key: wrong}
            r = send(route.method, path, raw=json.dumps(body), token=setup.token_for(route))
            assert r.status_code < 500, explain(route, r, body)
            if not _lenient(wrong):
                assert 400 <= r.status_code < 500, explain(route, r, body)
            errors = r.json().get("errors", [])
            if r.status_code == 422 and errors:
                assert all(e["loc"][:1] == ["body"] for e in errors), explain(route, r, body)
    # Nested lists of objects (members, answers): every field of one element.
    for key, sub in fields.items():
        sub = resolve(DOCUMENT, sub)
        items = resolve(DOCUMENT, sub.get("items", {}))
        if sub.get("type") != "array" or "properties" not in items:
            continue
        element = dict(good.get(key, [{}])[0]) if good.get(key) else {}
        for inner, inner_schema in items["properties"].items():
            for wrong in _wrong_values(inner_schema):
                body = {**good, key: [{**element, inner: wrong}]}
                r = send(route.method, path, raw=json.dumps(body), token=setup.token_for(route))
                assert r.status_code < 500, explain(route, r, body)
                if _lenient(wrong):
                    continue
                assert 400 <= r.status_code < 500, explain(route, r, body)
                if r.status_code == 422 and r.json()["errors"]:
                    assert r.json()["errors"][0]["loc"][:3] == ["body", key, 0], explain(
                        route, r, body
                    )


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=_ids(WRITE_ROUTES))
def test_it_refuses_a_body_over_one_mib_with_413(setup, route):
    path = fill_path(route, setup.ids)
    big = json.dumps({"name": "x" * (1024 * 1024 + 1)})
    r = send(route.method, path, raw=big, token=setup.token_for(route))
    assert r.status_code == 413, explain(route, r)
    assert r.json()["detail"]


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=_ids(WRITE_ROUTES))
def test_it_refuses_an_oversized_body_even_without_credentials(world, route):
    r = send(route.method, fill_path(route, {}), raw="[" + "1," * 600_000 + "1]")
    assert r.status_code == 413, explain(route, r)


HOSTILE_TEXT = [
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff\ud800",
    "\x1b[31mred\x1b[0m",
    "\u202egnp.exe",
    "<script>alert(1)</script>",
    "'; DROP TABLE accounts_member; --",
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
    "\r\nSet-Cookie: x=1",
    "🙂" * 50,
    "\ufeff\u200b\u2028\u2029",
    " ",
]


def _string_fields(schema: dict) -> list[str]:
    out = []
    for key, sub in schema.get("properties", {}).items():
        sub = resolve(DOCUMENT, sub)
        kinds = {resolve(DOCUMENT, s).get("type") for s in sub.get("anyOf", [sub])}
        if "string" in kinds and "enum" not in sub:
            out.append(key)
    return out


@pytest.mark.parametrize("route", JSON_ROUTES, ids=_ids(JSON_ROUTES))
def test_it_never_fails_on_hostile_strings(setup, route):
    schema = route.body_schema(DOCUMENT)
    good = valid_body(DOCUMENT, route, setup.hints)
    path = fill_path(route, setup.ids)
    for key in _string_fields(schema):
        for text in HOSTILE_TEXT:
            body = {**good, key: text}
            if "client_id" in good and key != "client_id":
                body["client_id"] = f"hostile-{key}-{HOSTILE_TEXT.index(text)}"
            r = send(route.method, path, raw=json.dumps(body), token=setup.token_for(route))
            assert r.status_code < 500, explain(route, r, body)
            if "\x00" in text or "\ud800" in text or "\udfff" in text:
                # NUL and lone surrogates cannot be stored (PostgreSQL refuses NUL): refused.
                assert 400 <= r.status_code < 500, explain(route, r, body)


@pytest.mark.parametrize("route", PATH_ROUTES, ids=_ids(PATH_ROUTES))
def test_it_never_fails_on_odd_path_numbers(setup, route):
    body = valid_body(DOCUMENT, route, setup.hints)
    raw = json.dumps(body) if body is not None else None
    for odd in ["0", "-1", "99999999999999999999999999", "1e3", "%00", "1.5", "x"]:
        ids = dict.fromkeys(route.params, odd)
        path = fill_path(route, ids)
        r = send(route.method, path, raw=raw, token=setup.token_for(route))
        assert 400 <= r.status_code < 500, explain(route, r, path)
        # One at a time, the others valid.
        for param in route.params:
            path = fill_path(route, {**setup.ids, param: odd})
            r = send(route.method, path, raw=raw, token=setup.token_for(route))
            assert 400 <= r.status_code < 500, explain(route, r, path)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


@pytest.mark.parametrize("route", BODY_ROUTES, ids=_ids(BODY_ROUTES))
@HYPOTHESIS
@given(data=st.data())
def test_it_never_fails_on_random_json(setup, route, data):
    schema = route.body_schema(DOCUMENT) or {}
    good = valid_body(DOCUMENT, route, setup.hints)
    fields = list(schema.get("properties", {}))
    if fields and isinstance(good, dict) and data.draw(st.booleans(), label="mutate one field"):
        key = data.draw(st.sampled_from(fields), label="field")
        body = {**good, key: data.draw(JSON_VALUES, label="value")}
        if "client_id" in body and key != "client_id":
            body["client_id"] = "random-" + str(data.draw(st.integers(0, 10**9)))
    else:
        body = data.draw(JSON_VALUES, label="body")
    path = fill_path(route, setup.ids)
    r = send(route.method, path, raw=json.dumps(body), token=setup.token_for(route))
    assert r.status_code < 500, explain(route, r, body)


@pytest.mark.parametrize("route", BODY_ROUTES, ids=_ids(BODY_ROUTES))
@HYPOTHESIS
@given(raw=st.binary(max_size=200))
def test_it_never_fails_on_random_bytes(setup, route, raw):
    path = fill_path(route, setup.ids)
    r = send(route.method, path, raw=raw, token=setup.token_for(route))
    assert 400 <= r.status_code < 500 or r.status_code < 300, explain(route, r, raw)
    assert r.status_code < 500, explain(route, r, raw)


# --- credentials and the rate limit on failures --------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_it_answers_an_unknown_bearer_token_with_401(world, route):
    body = json.dumps({}) if route.takes_body else None
    for token in ["fcl_" + "x" * 43, "no-such-invitation-token", "x" * 500]:
        r = send(route.method, fill_path(route, {}), raw=body, token=token)
        assert r.status_code == 401, explain(route, r, token)
        assert r.json()["detail"]


@pytest.fixture
def frozen_minute(monkeypatch):
    """All failures in this test fall into one rate-limit window."""
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


def test_it_limits_failed_tokens_per_ip_but_never_valid_ones(world, settings, frozen_minute):
    limit = settings.TOKEN_FAILURES_PER_MINUTE
    for attempt in range(limit):
        r = send("GET", "/api/v1/teams", token=f"fcl_guess{attempt}")
        assert r.status_code == 401, attempt
    assert send("GET", "/api/v1/teams", token="fcl_one-too-many").status_code == 429
    assert send("GET", "/api/v1/me", token="invitation-guess").status_code == 429
    # A valid token from the same address is never limited, however many requests it makes.
    for _ in range(3 * limit):
        assert send("GET", "/api/v1/teams", token=world.leader_token).status_code == 200
        assert send("GET", "/api/v1/me", token=world.tokens[0]).status_code == 200
    # Another address has its own count.
    r = send("GET", "/api/v1/teams", token="fcl_elsewhere", REMOTE_ADDR="203.0.113.9")
    assert r.status_code == 401


def test_it_does_not_count_valid_tokens_towards_the_limit(world, settings, frozen_minute):
    for _ in range(50):
        assert send("GET", "/api/v1/me", token=world.tokens[1]).status_code == 200
    limit = settings.TOKEN_FAILURES_PER_MINUTE
    statuses = [send("GET", "/api/v1/me", token=f"bad{i}").status_code for i in range(limit + 1)]
    assert statuses == [401] * limit + [429]


def test_it_limits_unknown_invitation_links_per_ip(world, settings, frozen_minute):
    limit = settings.TOKEN_FAILURES_PER_MINUTE
    for attempt in range(limit):
        r = Client().get(f"/i/guess-{attempt}")
        assert r.status_code == 404, attempt
        assert world.tokens[0] not in r.content.decode()
    assert Client().get("/i/one-too-many").status_code == 429
    # The real link from the same address still opens.
    r = Client().get(f"/i/{world.tokens[0]}")
    assert r.status_code == 302
    assert r["Location"] == f"/take/{world.audit.id}/"
    # Another address is not affected.
    assert Client(REMOTE_ADDR="198.51.100.7").get("/i/guess-x").status_code == 404


def test_it_does_not_trust_a_forwarded_for_header_by_default(world, settings, frozen_minute):
    limit = settings.TOKEN_FAILURES_PER_MINUTE
    for attempt in range(limit):
        Client().get(f"/i/guess-{attempt}", headers={"X-Forwarded-For": f"10.0.0.{attempt}"})
    r = Client().get("/i/guess-last", headers={"X-Forwarded-For": "10.9.9.9"})
    assert r.status_code == 429


@pytest.mark.parametrize(
    "token", ["", "x" * 65, "../../etc", "%00", "a" * 4000, "\u00e9t\u00e9", "%ff%fe"]
)
def test_it_answers_odd_invitation_links_with_404(world, token):
    r = Client(raise_request_exception=False).get(f"/i/{token}")
    assert r.status_code == 404
