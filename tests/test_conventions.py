"""Project conventions that are easy to forget: migrations, and a documented API."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.openapi_routes import openapi_document, routes

ROUTES = routes()


def test_it_has_no_model_change_without_a_migration(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"A migration is missing (exit {exc.code}):\n{out.getvalue()}")


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_it_documents_every_api_route(route):
    operation = route.operation
    assert operation.get("summary", "").strip(), f"{route.id} has no summary"
    description = operation.get("description", "").strip()
    assert len(description) >= 15, (
        f"{route.id} has no description: give its view function a docstring saying what it "
        "does and who may call it"
    )
    assert operation.get("tags"), f"{route.id} has no tag"


def test_it_describes_every_route_with_a_distinct_operation_id():
    ids = [r.operation.get("operationId") for r in ROUTES]
    assert all(ids)
    assert len(set(ids)) == len(ids)


def test_it_publishes_its_title_and_version():
    info = openapi_document()["info"]
    assert info["title"] == "Flipchart API"
    assert info["version"] == "1"
    assert info.get("description")
