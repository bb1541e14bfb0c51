"""A real meeting on the live board: a projector and three phones, write, reveal, live
updates, a note kept through a lock, and reconnection after the server restarts."""

from __future__ import annotations

from playwright.sync_api import expect

from board.models import Note
from tests import factory
from tests.browser.conftest import allow_errors, check_page, login_as


def _meeting(app_server):
    school = factory.school()
    leader = factory.leader(school)
    team = factory.team(leader, members=3)
    audit = factory.audit(team, anonymous=True)
    links = [factory.invitation(audit, m).url for m in team.members.all()]
    return leader, audit, links


def _phone_on_board(make_context, link, audit):
    page = make_context(phone=True).new_page()
    page.goto(link)
    page.goto(f"/take/{audit.id}/board/")
    expect(page.locator("[data-conn]")).to_have_text("Live")
    return page


def _write(page, chart_label, text):
    page.get_by_role("radio", name=chart_label).check()
    page.get_by_label("One idea per note").fill(text)
    page.get_by_role("button", name="Add note").click()


def test_it_runs_a_meeting_live_on_a_projector_and_three_phones(app_server, make_context):
    leader, audit, links = _meeting(app_server)
    projector = make_context().new_page()
    login_as(projector, app_server.url, leader)
    projector.goto(f"/audits/{audit.id}/board/")
    expect(projector.locator("[data-conn]")).to_have_text("Live")
    check_page(projector)
    phones = [_phone_on_board(make_context, link, audit) for link in links]
    check_page(phones[0])

    _write(phones[0], "Strengths", "Mini whiteboards in every lesson")
    _write(phones[1], "Areas for improvement", "Fading scaffolds for LAP")
    _write(phones[2], "Strengths", "Cold calling <b>everyone</b>")
    # Before the reveal: each phone sees only its own note; the projector shows counts only.
    expect(phones[0].locator(".note")).to_have_count(1)
    expect(phones[1].locator(".note")).to_have_count(1)
    expect(projector.locator("[data-chart=strength] .counts-only")).to_contain_text("2 notes")
    expect(projector.locator("[data-notes=strength] .note")).to_have_count(0)

    projector.get_by_role("button", name="Next: Reveal").click()
    for page in [projector, *phones]:
        expect(page.locator(".note")).to_have_count(3)
    # Escaped everywhere: the markup is shown as text, not run.
    expect(projector.locator(".note-text", has_text="Cold calling <b>everyone</b>")).to_be_visible()
    check_page(projector)

    _write(phones[1], "Strengths", "Great seating plans")
    for page in [projector, phones[0], phones[2]]:
        expect(page.locator(".note-text", has_text="Great seating plans")).to_be_visible()
    check_page(phones[1])


def test_it_keeps_a_note_through_a_lock_and_sends_it_after(app_server, make_context):
    leader, audit, links = _meeting(app_server)
    projector = make_context().new_page()
    login_as(projector, app_server.url, leader)
    projector.goto(f"/audits/{audit.id}/board/")
    phone = _phone_on_board(make_context, links[0], audit)
    allow_errors(phone, "409 (Conflict)")  # a send racing the lock is refused and kept
    projector.get_by_role("button", name="Lock the board").click()
    expect(phone.locator("[data-phase-help]")).to_contain_text("locked")
    phone.get_by_label("One idea per note").fill("Written while locked")
    phone.get_by_role("button", name="Keep note for later").click()
    expect(phone.locator("[data-outbox]")).to_contain_text("kept")
    phone.reload()  # still kept on the phone after a reload
    expect(phone.locator("[data-outbox]")).to_contain_text("kept")
    assert Note.objects.count() == 0
    projector.get_by_role("button", name="Unlock the board").click()
    expect(phone.locator(".note")).to_have_count(1)
    assert list(Note.objects.values_list("text", flat=True)) == ["Written while locked"]


def test_it_keeps_a_half_written_note_across_a_reload(app_server, make_context):
    _, audit, links = _meeting(app_server)
    phone = _phone_on_board(make_context, links[0], audit)
    phone.get_by_label("One idea per note").fill("Half-writ")
    phone.reload()
    expect(phone.get_by_label("One idea per note")).to_have_value("Half-writ")


def test_it_reconnects_after_a_server_restart_and_catches_up(app_server, make_context):
    leader, audit, links = _meeting(app_server)
    phone = _phone_on_board(make_context, links[0], audit)
    other = _phone_on_board(make_context, links[1], audit)
    for page in (phone, other):
        allow_errors(page, "WebSocket", "ERR_CONNECTION_REFUSED", "Failed to load resource")
    _write(phone, "Strengths", "Before the restart")
    expect(phone.locator(".note")).to_have_count(1)
    app_server.stop()
    expect(phone.locator("[data-conn]")).to_contain_text("Reconnecting")
    _write(phone, "Strengths", "Written while the server was down")
    app_server.start()
    expect(phone.locator("[data-conn]")).to_have_text("Live", timeout=20_000)
    expect(phone.locator(".note")).to_have_count(2, timeout=20_000)
    assert Note.objects.filter(board__audit=audit).count() == 2
    # The other phone, revealed to after the restart, sees both exactly once.
    factory_board = audit.board
    factory_board.phase = "reveal"
    factory_board.save()
    other.reload()
    expect(other.locator(".note")).to_have_count(2)


def test_the_join_page_sends_a_known_phone_straight_to_the_board(app_server, make_context):
    _, audit, links = _meeting(app_server)
    stranger = make_context(phone=True).new_page()
    stranger.goto(f"/audits/{audit.id}/join/")
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Join the meeting board")
    check_page(stranger)
    member = make_context(phone=True).new_page()
    member.goto(links[0])
    member.goto(f"/audits/{audit.id}/join/")
    expect(member).to_have_url(f"{app_server.url}/take/{audit.id}/board/")
