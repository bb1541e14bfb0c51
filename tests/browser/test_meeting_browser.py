"""A whole meeting in the browser: write, reveal, automatic themes, a correction by drag and
drop, the find view, a consent accepted on a phone, and actions agreed."""

from __future__ import annotations

import contextlib

from playwright.sync_api import expect

from board.models import Action, Match
from tests import factory
from tests.browser.conftest import check_page, login_as

NOTES = [
    (0, "Strengths", "Mini whiteboards in every lesson"),
    (1, "Strengths", "Cold calling and show-me boards"),
    (2, "Strengths", "Great sentence stems for EAL"),
    (0, "Areas for improvement", "Fading scaffolds like writing frames"),
    (1, "Areas for improvement", "Pupils rely on sentence starters too long"),
    (3, "Areas for improvement", "Using mini whiteboards to check quiet pupils understand"),
]


def _capture(page, payloads: list[str]) -> None:
    """Keep every JSON answer and WebSocket frame this page receives."""

    def on_response(response):
        if "json" in (response.headers.get("content-type") or ""):
            # A body already gone (the page navigated on) has nothing to read.
            with contextlib.suppress(Exception):
                payloads.append(response.text())

    page.on("response", on_response)
    page.on(
        "websocket", lambda ws: ws.on("framereceived", lambda frame: payloads.append(str(frame)))
    )


def _write(page, chart, text):
    page.get_by_role("radio", name=chart).check()
    page.get_by_label("One idea per note").fill(text)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".note-text", has_text=text)).to_be_visible()


def test_it_runs_a_whole_meeting(app_server, make_context):
    leader = factory.leader(factory.school())
    team = factory.team(leader, members=4)
    audit = factory.audit(team, anonymous=True)
    members = list(team.members.all())
    projector = make_context().new_page()
    payloads: list[str] = []
    _capture(projector, payloads)
    login_as(projector, app_server.url, leader)
    projector.goto(f"/audits/{audit.id}/board/")
    phones = []
    for member in members:
        page = make_context(phone=True).new_page()
        _capture(page, payloads)
        page.goto(factory.invitation(audit, member).url)
        page.goto(f"/take/{audit.id}/board/")
        expect(page.locator("[data-conn]")).to_have_text("Live")
        phones.append(page)
    for who, chart, text in NOTES:
        _write(phones[who], chart, text)

    projector.get_by_role("button", name="Next: Reveal").click()
    projector.get_by_role("button", name="Next: Group").click()
    themes = projector.locator("[data-themes=strength] .theme")
    expect(themes.first).to_be_visible()
    check_page(projector)
    # The automatic grouping puts whiteboards and show-me boards together.
    checking = projector.locator(
        "[data-themes=strength] .theme",
        has=projector.locator(".note-text", has_text="Mini whiteboards"),
    )
    expect(checking.locator(".note-text", has_text="Cold calling")).to_be_visible()
    expect(checking.locator(".theme-meta")).to_contain_text("recurring")

    # One correction by drag and drop: the EAL note joins the whiteboards theme.
    stems = projector.locator(
        ".theme .note", has=projector.locator(".note-text", has_text="sentence stems for EAL")
    )
    stems.drag_to(checking)
    expect(checking.locator(".note-text", has_text="sentence stems for EAL")).to_be_visible()
    # ...and it shows on a phone too, live.
    phone_theme = phones[3].locator(
        "[data-themes=strength] .theme",
        has=phones[3].locator(".note-text", has_text="Mini whiteboards"),
    )
    expect(phone_theme.locator(".note-text", has_text="sentence stems for EAL")).to_be_visible()
    check_page(phones[3])

    projector.get_by_role("button", name="Next: Find").click()
    expect(projector.get_by_role("heading", name="Recurring strengths — celebrate")).to_be_visible()
    expect(
        projector.get_by_role("heading", name="Training needs, most shared first")
    ).to_be_visible()
    expect(projector.locator(".matches li").first).to_be_visible()
    check_page(projector)
    # Anonymous round: until two people agree to pair up, no payload names anyone.
    assert len(payloads) > 50
    for member in members:
        assert not any(member.name in body for body in payloads), member.name
    assert not any('"author"' in body for body in payloads)
    match = Match.objects.filter(board__audit=audit).order_by("-score").first()
    assert match is not None, "no match was suggested"
    projector.locator(
        ".matches li", has=projector.get_by_role("button", name="Ask them privately")
    ).first.get_by_role("button", name="Ask them privately").click()
    match.refresh_from_db()
    mentor_phone = phones[members.index(match.mentor)]
    learner_phone = phones[members.index(match.improvement_note.author_member)]
    for phone in (mentor_phone, learner_phone):
        phone.get_by_role("button", name="Yes, happy to").click()
        expect(phone.get_by_text("Thank you — you said yes")).to_be_attached()
    match.refresh_from_db()
    assert match.status == "accepted"

    projector.get_by_role("button", name="Next: Agree").click()
    projector.get_by_role("button", name="Agree the pair").first.click()
    expect(projector.get_by_role("heading", name="Agreed actions")).to_be_visible()
    expect(projector.locator(".actions-list li")).to_have_count(1)
    need_form = projector.locator(".inline-form", has=projector.get_by_label("CPD action")).first
    need_form.get_by_label("Owner").fill("Hannah")
    need_form.get_by_role("button", name="Add action").click()
    expect(projector.locator(".actions-list li")).to_have_count(2)
    assert set(Action.objects.values_list("kind", flat=True)) == {"cpd", "pair"}
    check_page(projector)
