"""The questionnaires page in a browser: errors shown accessibly, then a clean import."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import factory
from tests.browser.conftest import check_page, login_as

YAML = """slug: our-audit
title: Our own audit
scale: [{value: 1, label: Rarely}, {value: 2, label: Often}]
areas:
  - key: questioning
    titel: Questioning
    question: Across our department, how consistently do we question well?
    statements: [I ask questions that make everyone think.]
"""


def test_it_shows_import_errors_then_imports(app_server, page):
    leader = factory.leader(factory.school())
    login_as(page, app_server.url, leader)
    page.goto("/instruments/")
    check_page(page)
    page.get_by_label("…or paste it here").fill(YAML)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("did you mean 'title'?")
    check_page(page)
    page.get_by_label("…or paste it here").fill(YAML.replace("titel", "title"))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported “Our own audit”")
    expect(page.get_by_role("cell", name="Our own audit")).to_be_visible()
