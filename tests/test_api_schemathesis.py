"""Schemathesis against our own OpenAPI document: generated requests to every operation, as a
leader and as a participant, never get a server error or a response that breaks its schema;
and a stateful run that chains operations through their links."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.conftest import make_world

CHECKS = [not_a_server_error, response_schema_conformance]
QUIET = {"deadline": None, "suppress_health_check": list(HealthCheck), "database": None}


@pytest.fixture
def api_schema(transactional_db):
    # WSGI closes the database connection after each request, hence transactional_db.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def headers(transactional_db):
    world = make_world(anonymous=True, members=3)
    return [{"Authorization": f"Bearer {token}"} for token in (world.leader_token, world.tokens[0])]


def test_it_never_fails_on_generated_requests(api_schema, headers):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, **QUIET)
        def check(case):
            for header in headers:
                case.call_and_validate(headers=header, checks=CHECKS)

        check()


def test_the_stateful_run_finds_no_server_error(api_schema, headers):
    machine = api_schema.as_state_machine()

    class Leader(machine):
        def get_call_kwargs(self, case):
            return {"headers": headers[0]}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Leader.run(settings=settings(max_examples=10, stateful_step_count=6, **QUIET))
