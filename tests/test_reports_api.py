"""The report's routes and page: who may download what, in which format, under which name."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.test_reports_content import STRENGTH_TEXTS, meeting

FORMATS = {
    "report.pdf": "application/pdf",
    "report.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "report.csv": "text/csv; charset=utf-8",
    "report": "application/json; charset=utf-8",
}


@pytest.fixture
def anonymous_meeting(db):
    return meeting(anonymous=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_it_serves_each_format_to_the_leader(anonymous_meeting, api, suffix):
    r = api(anonymous_meeting.leader_token).get(
        f"/api/v1/audits/{anonymous_meeting.audit.id}/{suffix}"
    )
    assert r.status_code == 200, r.content[:300]
    assert r["Content-Type"] == FORMATS[suffix]
    if suffix != "report":
        disposition = r["Content-Disposition"]
        extension = suffix.split(".")[1]
        assert re.fullmatch(
            rf'attachment; filename="science-autumn-audit-[a-z-]+\.{extension}"', disposition
        ), disposition
        assert "-draft." in disposition


def test_it_serves_readable_files(anonymous_meeting, api):
    client = api(anonymous_meeting.leader_token)
    base = f"/api/v1/audits/{anonymous_meeting.audit.id}"
    pdf = PdfReader(io.BytesIO(client.get(f"{base}/report.pdf").content))
    assert "Hillside Academy" in pdf.pages[0].extract_text()
    book = load_workbook(io.BytesIO(client.get(f"{base}/report.xlsx").content))
    assert "Summary" in book.sheetnames
    csv_text = client.get(f"{base}/report.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("round,round_title,area,statement")


def test_it_answers_the_report_as_json(anonymous_meeting, api):
    r = api(anonymous_meeting.leader_token).get(
        f"/api/v1/audits/{anonymous_meeting.audit.id}/report"
    )
    data = r.json()
    assert data["draft"] is True
    assert data["school"]["name"] == "Hillside Academy"
    assert {
        "results",
        "participation",
        "flipcharts",
        "recurring_strengths",
        "training_needs",
        "pairs",
        "actions",
    } <= set(data)
    notes = [n for t in data["flipcharts"]["strength"] for n in t["notes"]]
    assert any(STRENGTH_TEXTS[0] in n["text"] for n in notes)
    assert all("author" not in n for n in notes)
    assert data["actions"][0]["due"] == "2026-02-10"


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_it_hides_the_report_from_other_leaders(anonymous_meeting, api, suffix):
    path = f"/api/v1/audits/{anonymous_meeting.audit.id}/{suffix}"
    for token in (anonymous_meeting.outsider_token, anonymous_meeting.other_token):
        r = api(token).get(path)
        assert r.status_code == 404, (token, r.status_code)
        assert b"Teacher" not in r.content


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_it_serves_participants_the_teams_copy(anonymous_meeting, api, suffix):
    """API.md lists the report for participants and leaders alike."""
    path = f"/api/v1/audits/{anonymous_meeting.audit.id}/{suffix}"
    r = api(anonymous_meeting.tokens[0]).get(path)
    assert r.status_code == 200
    # Teacher 1 and 2 agreed to pair up, so they may be named; nobody else is.
    for name in ("Teacher 3", "Teacher 4", "Teacher 5"):
        assert name.encode() not in r.content
    assert api().get(path).status_code == 401


def test_it_never_shows_a_participant_colleagues_own_ratings_in_a_named_round(db, api):
    named = meeting(anonymous=False)
    url = f"/api/v1/audits/{named.audit.id}"
    leader = api(named.leader_token).get(f"{url}/report").json()
    assert leader["heat_map"] is not None and "who" in leader["participation"]
    mine = api(named.tokens[0]).get(f"{url}/report").json()
    assert mine["heat_map"] is None and "who" not in mine["participation"]
    header = api(named.tokens[0]).get(f"{url}/report.csv").content.decode("utf-8-sig")
    assert "member" not in header.splitlines()[0]


def test_it_answers_404_for_a_round_that_does_not_exist(anonymous_meeting, api):
    client = api(anonymous_meeting.leader_token)
    assert client.get("/api/v1/audits/999999/report.pdf").status_code == 404
    assert client.get("/api/v1/audits/99999999999999999999/report").status_code in (404, 422)


def test_it_serves_the_downloads_to_the_browser_session(anonymous_meeting):
    client = signed_in(anonymous_meeting.leader)
    r = client.get(f"/api/v1/audits/{anonymous_meeting.audit.id}/report.pdf")
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF-")


# --- The web page --------------------------------------------------------------------------


def test_it_shows_the_report_page_to_the_leader(anonymous_meeting):
    audit = anonymous_meeting.audit
    r = signed_in(anonymous_meeting.leader).get(reverse("audit-report", args=[audit.id]))
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<h1") == 1
    assert "Draft." in html
    assert STRENGTH_TEXTS[0] in html
    assert '<svg class="chart"' in html  # the results page's pictures
    for suffix in ("report.pdf", "report.xlsx", "report.csv"):
        assert f"/api/v1/audits/{audit.id}/{suffix}" in html
    for name in ("Teacher 3", "Teacher 4", "Teacher 5"):
        assert name not in html
    # CSP: no inline script or style in what browsers get.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)


def test_it_shows_who_wrote_what_in_a_named_round(db):
    world = meeting(anonymous=False)
    html = signed_in(world.leader).get(reverse("audit-report", args=[world.audit.id])).content
    assert b"Who rated what" in html
    assert b"Teacher 3" in html


def test_it_hides_the_report_page_from_others(anonymous_meeting):
    url = reverse("audit-report", args=[anonymous_meeting.audit.id])
    for user in (anonymous_meeting.outsider, anonymous_meeting.other_leader):
        assert signed_in(user).get(url).status_code == 404
    r = Client().get(url)
    assert r.status_code == 302 and "/login" in r["Location"]


def test_it_links_the_report_from_the_round_and_history_from_the_team(anonymous_meeting):
    client = signed_in(anonymous_meeting.leader)
    audit_page = client.get(reverse("audit", args=[anonymous_meeting.audit.id])).content.decode()
    assert reverse("audit-report", args=[anonymous_meeting.audit.id]) in audit_page
    team_page = client.get(reverse("team", args=[anonymous_meeting.team.id])).content.decode()
    assert reverse("team-history", args=[anonymous_meeting.team.id]) in team_page
