"""The meeting report in a browser: the leader opens it from the round, it passes axe and fits a
phone, and the PDF button downloads a real PDF. The history page too."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import check_page, login_as
from tests.test_reports_content import STRENGTH_TEXTS, meeting


def test_it_downloads_the_report_pdf_from_the_report_page(page, live_server_url, tmp_path):
    world = meeting(anonymous=True)
    login_as(page, live_server_url, world.leader)
    page.goto(f"{live_server_url}/audits/{world.audit.id}/")
    page.get_by_role("link", name="Meeting report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting report: Autumn audit")
    expect(page.get_by_text(STRENGTH_TEXTS[0] + " (0)")).to_be_visible()
    check_page(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == "science-autumn-audit-report-draft.pdf"
    saved = Path(tmp_path) / download.suggested_filename
    download.save_as(saved)
    body = saved.read_bytes()
    assert body.startswith(b"%PDF-")
    assert b"%%EOF" in body[-1024:]


def test_it_shows_the_history_page(page, live_server_url):
    world = meeting(anonymous=True)
    from tests import factory

    factory.audit(world.team, title="Spring audit")
    login_as(page, live_server_url, world.leader)
    page.goto(f"{live_server_url}/teams/{world.team.id}/")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History: Science")
    expect(page.get_by_role("heading", name="Spring audit beside Autumn audit")).to_be_visible()
    check_page(page)
