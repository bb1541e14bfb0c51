"""Shared personas: a leader with a team and a round, a member, an outsider, another school."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from tests import factory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failure counters (rate limits) live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    leader: object
    leader_token: str
    team: object
    audit: object
    members: list
    tokens: list[str]
    outsider: object  # a leader at the same school, not running this team
    outsider_token: str
    other_leader: object  # a leader at another school
    other_token: str


def make_world(anonymous: bool = True, members: int = 5) -> World:
    school = factory.school("Hillside Academy")
    leader = factory.leader(school, name="Hannah Head")
    team = factory.team(leader, members=members)
    audit = factory.audit(team, anonymous=anonymous)
    people = list(team.members.all())
    outsider = factory.leader(school, name="Oscar Outsider")
    other = factory.leader(factory.school("Elsewhere High"), name="Olive Other")
    return World(
        leader=leader,
        leader_token=factory.token_for(leader),
        team=team,
        audit=audit,
        members=people,
        tokens=[factory.invitation(audit, m).token for m in people],
        outsider=outsider,
        outsider_token=factory.token_for(outsider),
        other_leader=other,
        other_token=factory.token_for(other),
    )


@pytest.fixture
def world(db) -> World:
    return make_world(anonymous=True)


@pytest.fixture
def named_world(db) -> World:
    return make_world(anonymous=False)


class ApiClient:
    """JSON requests with a bearer token."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def _headers(self, extra):
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def request(
        self,
        method: str,
        path: str,
        body=None,
        *,
        content_type="application/json",
        raw: bytes | str | None = None,
        headers=None,
    ):
        import json

        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        fn = getattr(self.client, method.lower())
        kwargs = {"headers": self._headers(headers)}
        if data is not None:
            kwargs.update(data=data, content_type=content_type)
        return fn(path, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def api():
    return ApiClient
