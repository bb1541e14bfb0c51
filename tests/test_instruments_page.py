"""The questionnaires page: importing a school's own instrument, and renewing a lost link."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audits.models import Instrument, Invitation
from tests import factory

GOOD = b"""slug: our-audit
title: Our own audit
scale:
  - {value: 1, label: Rarely}
  - {value: 2, label: Often}
areas:
  - key: questioning
    title: Questioning
    question: Across our department, how consistently do we question well?
    statements:
      - I ask questions that make everyone think.
"""


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_imports_a_yaml_file_for_the_school_only(world):
    client = _client(world.leader)
    upload = SimpleUploadedFile("audit.yaml", GOOD, content_type="application/x-yaml")
    response = client.post("/instruments/", {"upload": upload}, follow=True)
    assert "Imported “Our own audit” (version 1)" in response.content.decode()
    made = Instrument.objects.get(slug="our-audit")
    assert made.school == world.leader.school
    other = _client(world.other_leader).get("/instruments/").content.decode()
    assert "Our own audit" not in other


def test_it_lists_every_problem_with_its_line_and_imports_nothing(world):
    bad = GOOD.replace(b"title: Questioning", b"titel: Questioning")
    response = _client(world.leader).post("/instruments/", {"pasted": bad.decode()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page
    assert "Line 8" in page and "did you mean" in page
    assert not Instrument.objects.filter(slug="our-audit").exists()


def test_it_refuses_an_empty_form_with_a_clear_message(world):
    page = _client(world.leader).post("/instruments/", {}).content.decode()
    assert "Choose a file or paste the questionnaire." in page


def test_it_makes_a_new_link_and_kills_the_old_one(world):
    member = world.members[0]
    old = world.tokens[0]
    response = _client(world.leader).post(f"/audits/{world.audit.id}/links/{member.id}/renew/")
    assert response.status_code == 302
    assert Client().get(f"/i/{old}").status_code == 404
    fresh = Invitation.objects.active().get(audit=world.audit, member=member)
    assert Client().get(f"/i/{fresh.token}").status_code == 302


def test_it_keeps_other_leaders_away_from_links(world):
    member = world.members[0]
    response = _client(world.outsider).post(f"/audits/{world.audit.id}/links/{member.id}/renew/")
    assert response.status_code == 404
    assert factory.invitation(world.audit, member).token == world.tokens[0]
