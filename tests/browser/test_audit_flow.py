"""The audit round in a real browser: a leader sets it up, a teacher answers on a phone, the
leader reads the results. Every page passes axe and fits a 390px screen; forms work by keyboard.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from accounts.models import Member, Team
from audits.models import Answer, Audit, Response
from tests import factory
from tests.browser.conftest import allow_errors, check_page

ROSTER = [
    ("Sam Patel", "s.patel@hillside.example"),
    ("Alex Morgan", "a.morgan@hillside.example"),
    ("Jo Williams", "j.williams@hillside.example"),
    ("Chris Evans", "c.evans@hillside.example"),
]


# --- Steps, each ending on a checked page --------------------------------------------------


def sign_up(page, name="Hannah Head", email="hannah@hillside.example"):
    page.goto("/")
    check_page(page)
    page.get_by_role("link", name="Create a leader account").first.click()
    check_page(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Work e-mail").fill(email)
    page.get_by_label("School name").fill("Hillside Academy")
    page.get_by_label("Password").fill(factory.PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")
    check_page(page)


def create_team(page, name="Science"):
    page.get_by_label("Team name").fill(name)
    page.get_by_label("Department").check()
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    check_page(page)


def paste_members(page, roster=ROSTER):
    page.get_by_label("Paste names and e-mails").fill(
        "\n".join(f"{name} <{email}>" for name, email in roster)
    )
    page.get_by_role("button", name="Add members").click()
    expect(page.get_by_text(f"Added {len(roster)} to")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Members ({len(roster)})")).to_be_visible()
    check_page(page)


def start_round(page, title: str, *, anonymous: bool) -> int:
    page.get_by_role("link", name="Start an audit round").click()
    check_page(page)
    page.get_by_label("Name of the round").fill(title)
    page.get_by_label("Anonymous" if anonymous else "Named").check()
    page.get_by_label("Answers close on").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_label("Meeting date").fill((date.today() + timedelta(days=21)).isoformat())
    page.get_by_label("Starts").fill("15:30")
    page.get_by_label("Ends").fill("16:30")
    page.get_by_label("Place").fill("Science lab 2")
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    check_page(page)
    return int(re.search(r"/audits/(\d+)/", page.url).group(1))


def copy_link(page, member_name: str) -> str:
    """Open the personal links and copy one with its button, as a leader would."""
    page.get_by_text(re.compile(r"^Personal links")).click()
    page.get_by_role("button", name=f"Copy link for {member_name}").click()
    expect(page.get_by_role("button", name=f"Copied link for {member_name}")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    expect(page.get_by_label(f"Link for {member_name}")).to_have_value(copied)
    check_page(page)
    return copied


def answer_area(phone, choice: str) -> None:
    """Choose `choice` for every statement, and the second stage for the team question."""
    groups = phone.locator("fieldset.item")
    question = groups.first
    question.locator("label.choice").nth(1).click()
    for i in range(1, groups.count()):
        groups.nth(i).get_by_label(choice, exact=True).check()


# --- The whole round -----------------------------------------------------------------------


def test_it_runs_a_round_from_signup_to_results(context, page, phone, live_server_url):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server_url)
    sign_up(page)
    create_team(page)
    paste_members(page)
    named_id = start_round(page, "Spring check-in", anonymous=False)
    page.get_by_role("link", name="Science").click()
    anonymous_id = start_round(page, "Autumn audit", anonymous=True)
    link = copy_link(page, "Sam Patel")
    assert link.startswith(f"{live_server_url}/i/")

    # The teacher, on a phone, from the link.
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Autumn audit")
    expect(phone.get_by_text("This round is anonymous")).to_be_visible()
    check_page(phone)
    phone.get_by_role("link", name="Start").click()

    steps = Audit.objects.get(pk=anonymous_id).instrument.areas.count()
    assert steps >= 8
    for step in range(1, steps + 1):
        expect(phone.get_by_text(f"Area {step} of {steps}")).to_be_visible()
        expect(phone.get_by_label("Progress through the areas")).to_have_attribute(
            "value", str(step - 1)
        )
        answer_area(phone, "Usually" if step % 2 else "Consistently")
        expect(phone.get_by_role("status").filter(has_text="Saved")).to_be_visible()
        check_page(phone)
        if step == 1:
            # Leave and come back: what was autosaved is still chosen.
            phone.reload()
            expect(phone.locator("fieldset.item").nth(1).get_by_label("Usually")).to_be_checked()
            phone.goto(link)
            expect(phone.get_by_role("link", name="Continue")).to_be_visible()
            phone.get_by_role("link", name="Continue").click()
            expect(phone.get_by_text(f"Area 2 of {steps}")).to_be_visible()
            phone.get_by_role("button", name="Back").click()
            expect(phone.get_by_text(f"Area 1 of {steps}")).to_be_visible()
            expect(phone.locator("fieldset.item").nth(1).get_by_label("Usually")).to_be_checked()
        label = "Save and continue" if step < steps else "Save and review"
        phone.get_by_role("button", name=label).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Review and submit")
    expect(phone.get_by_text("You have answered everything")).to_be_visible()
    check_page(phone)
    phone.get_by_role("button", name="Submit my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your profile beside the team's")
    expect(phone.locator("svg.chart").first).to_be_visible()
    assert phone.locator("svg.chart").count() == steps
    check_page(phone)

    # The leader: 1 of 4, and nothing shown that fewer than 3 people built.
    page.goto(f"/audits/{anonymous_id}/")
    expect(page.get_by_text("1 of 4")).to_be_visible()
    expect(page.get_by_label("Responses received")).to_have_attribute("value", "1")
    expect(page.get_by_label("Responses received")).to_have_attribute("max", "4")
    suppressed = page.get_by_text("Fewer than 3 answers — hidden to protect anonymity")
    expect(suppressed).to_have_count(steps)
    expect(page.locator("table.results svg")).to_have_count(0)
    expect(page.locator("table.heat")).to_have_count(0)
    check_page(page)

    # The named round: one colleague's answers are shown, by name.
    sam = Member.objects.get(name="Sam Patel")
    factory.answer_all(Audit.objects.get(pk=named_id), sam, lambda item: 4)
    page.goto(f"/audits/{named_id}/")
    expect(page.get_by_text("1 of 4")).to_be_visible()
    expect(page.get_by_text("Sam Patel: done")).to_be_visible()
    expect(page.locator("table.results svg.chart")).to_have_count(steps)
    expect(page.locator("table.results td").filter(has_text="4.00")).to_have_count(steps)
    expect(page.locator("table.heat").get_by_role("rowheader", name="Sam Patel")).to_be_visible()
    check_page(page)


# --- Keyboard only ---------------------------------------------------------------------------


def tab_to(page, predicate: str, *, limit: int = 40, key: str = "Tab") -> None:
    """Press Tab until document.activeElement satisfies the JS predicate `el => ...`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"Never reached {predicate} by {key}; focus is on {focused}")


UNANSWERED_RADIO = (
    "el => el.type === 'radio' && !el.form.querySelector(`input[name='${el.name}']:checked`)"
)


def focused_is(selector: str) -> str:
    return f"el => el.matches({selector!r})"


def test_every_form_works_by_keyboard_alone(page, make_context):
    page.goto("/signup/")
    tab_to(page, focused_is("#id_name"))
    page.keyboard.type("Kim Keys")
    page.keyboard.press("Tab")
    page.keyboard.type("kim@keys.example")
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard Academy")
    page.keyboard.press("Tab")
    page.keyboard.type(factory.PASSWORD)
    tab_to(page, "el => el.type === 'submit' && el.textContent.includes('Create account')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Kim Keys")

    # The team form: a text field, a radio group chosen with the arrow keys, a button.
    tab_to(page, focused_is("#id_name"))
    page.keyboard.type("Year 6")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Year 6")
    team = Team.objects.get(name="Year 6")
    assert team.kind == "phase"

    # Members, by typing into the paste box.
    tab_to(page, focused_is("textarea"))
    page.keyboard.type("Pat Lee <pat@keys.example>\nRo Dee <ro@keys.example>")
    tab_to(page, "el => el.textContent.trim() === 'Add members'")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Added 2 to Year 6")).to_be_visible()

    # The round form: the defaults are fine; choose "Named" with the arrow keys.
    tab_to(page, "el => el.textContent.trim() === 'Start an audit round'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start an audit round")
    tab_to(page, focused_is("input[name=anonymous]"))
    page.keyboard.press("ArrowDown")
    tab_to(page, "el => el.type === 'submit'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adaptive teaching audit")
    audit = Audit.objects.get(team=team)
    assert not audit.anonymous

    # A teacher answers the first area by keyboard.
    pat = team.members.get(name="Pat Lee")
    link = factory.invitation(audit, pat).url
    teacher = make_context().new_page()
    teacher.goto(link)
    expect(teacher.get_by_role("heading", level=1)).to_be_visible()
    tab_to(teacher, "el => el.textContent.trim() === 'Start'")
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_text("Area 1 of")).to_be_visible()
    groups = teacher.locator("fieldset.item").count()
    # First group: Tab lands on the first choice; Space picks it; the arrows move on.
    tab_to(teacher, focused_is("fieldset.item input[type=radio]"))
    teacher.keyboard.press("Space")
    teacher.keyboard.press("ArrowDown")
    for _ in range(groups - 1):
        tab_to(teacher, UNANSWERED_RADIO)
        teacher.keyboard.press("ArrowDown")  # moves to and chooses the second point
    tab_to(teacher, "el => el.tagName === 'SUMMARY'")
    teacher.keyboard.press("Enter")  # opens "Add evidence" for the last statement
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("Seen in my Year 6 books")
    tab_to(teacher, focused_is("input[name=support]"))
    teacher.keyboard.press("Space")
    # Autosaved, support included, before any button is pressed.
    first_area = audit.instrument.areas.order_by("position")[0].key
    status = teacher.locator(".autosave-status")
    expect(status).to_have_text("Saved")
    for _ in range(50):
        if Response.objects.get(audit=audit, member=pat).support_areas == [first_area]:
            break
        teacher.wait_for_timeout(100)
    assert Response.objects.get(audit=audit, member=pat).support_areas == [first_area]
    tab_to(teacher, "el => el.textContent.trim() === 'Save and continue'")
    teacher.keyboard.press("Enter")
    expect(teacher.get_by_text("Area 2 of")).to_be_visible()

    response = Response.objects.get(audit=audit, member=pat)
    answers = list(Answer.objects.filter(response=response).order_by("item__position"))
    assert len(answers) == groups
    assert [a.rating for a in answers] == [2] * groups
    assert answers[-1].comment == "Seen in my Year 6 books"
    assert response.support_areas == [first_area]


def test_sign_in_errors_are_announced_and_the_account_page_fits(page):
    leader = factory.leader(name="Lee Leader")
    page.goto("/signup/")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    check_page(page)

    page.goto("/login/")
    check_page(page)
    expect(page.get_by_label("E-mail")).to_be_focused()  # autofocus: type at once
    page.keyboard.type(leader.email)
    page.keyboard.press("Tab")
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page)
    tab_to(page, focused_is("input[type=password]"))
    page.keyboard.type(factory.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Lee Leader")

    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_text("Copy this token now")).to_be_visible()
    check_page(page)


def test_a_teacher_sees_plain_pages_for_a_bad_link_and_a_closed_round(phone):
    phone.goto("/i/not-a-real-token")
    expect(phone.get_by_role("heading", level=1)).to_have_text("This link doesn't work")
    allow_errors(phone, "status of 404")  # the page itself answers 404, as it should
    check_page(phone)

    team = factory.team(factory.leader(), members=3)
    audit = factory.audit(team)
    member = team.members.first()
    factory.answer_all(audit, member, lambda item: 2)
    phone.goto(factory.invitation(audit, member).url)
    audit.close()
    phone.goto(f"/take/{audit.id}/1/")
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone.get_by_role("alert")).to_contain_text("closed")
    check_page(phone)
    phone.goto(f"/take/{audit.id}/")
    phone.get_by_role("link", name="See your profile beside the team's").click()
    expect(phone.locator("svg.chart").first).to_be_visible()
    check_page(phone)
