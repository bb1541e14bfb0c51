"""The facilitator's guide in a real browser.

A new leader opens the guide, reads step 1, saves a note, answers the step question wrong then
right, passes the checkpoint quiz, follows a step's button into creating a round and sees
progress advance. Every page passes axe and fits a 390px screen; it all works by keyboard and,
with plain form posts, without JavaScript.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guide.models import CheckpointResult, ReflectionNote, StepAnswer
from tests import factory
from tests.browser.conftest import check_page, login_as

pytestmark = pytest.mark.browser

STEP_1 = "Decide why you are auditing, and say so"


def overall_progress(page) -> int:
    return int(page.get_by_label("Your progress through the guide").get_attribute("value"))


def answer_checkpoint(page, answers: list[list[str]]) -> None:
    """Tick `answers[i]` (choice labels) in question i, clearing what was ticked before."""
    for i, labels in enumerate(answers):
        group = page.locator("form.quiz fieldset").nth(i)
        for box in group.get_by_role("checkbox").all():
            box.uncheck()
        for label in labels:
            group.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Check my answers").click()


PREPARING_RIGHT = [
    ["False"],
    ["As many as possible"],
    ["3 people"],
    [
        "Tell the team why you are doing the audit.",
        "Book the meeting where you will discuss the results.",
    ],
]


def test_a_new_leader_works_through_the_guide(page, live_server_url):
    leader = factory.leader(factory.school("Hillside Academy"), name="Nia New")
    team = factory.team(leader, members=4, name="Geography")
    login_as(page, live_server_url, leader)

    # Open the guide from the top bar.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Facilitator's guide")
    check_page(page)
    start = overall_progress(page)
    assert start == 1  # the team with members already completes "Set up your team"

    # Read step 1.
    page.get_by_role("link", name=f"Continue: {STEP_1}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STEP_1)
    expect(page.get_by_role("heading", name="What to do")).to_be_visible()
    expect(page.get_by_role("heading", name="Why it matters")).to_be_visible()
    expect(page.get_by_text("Time needed: about 15 minutes")).to_be_visible()
    menu = page.get_by_role("navigation", name="Course menu")
    expect(menu.locator("[aria-current=page]")).to_have_text(STEP_1)
    check_page(page)

    # Save a note: it saves itself while typing.
    page.get_by_label("Your reflection on this step").fill("Say plainly: this is not appraisal.")
    expect(page.get_by_role("status").filter(has_text="Saved at")).to_be_visible()
    assert ReflectionNote.objects.get(leader=leader).text == "Say plainly: this is not appraisal."
    page.reload()
    expect(page.get_by_label("Your reflection on this step")).to_have_value(
        "Say plainly: this is not appraisal."
    )

    # The step question: wrong, then right.
    question = page.locator("#question")
    expect(question.get_by_role("group")).to_contain_text("support other members of staff")
    question.get_by_label("False", exact=True).check()
    question.get_by_role("button", name="Check my answer").click()
    feedback = page.locator("#question-feedback")
    expect(feedback).to_contain_text("Not quite.")
    expect(feedback).to_contain_text("Hint:")
    check_page(page)
    question.get_by_label("True", exact=True).check()
    question.get_by_role("button", name="Check my answer").click()
    expect(feedback).to_contain_text("Correct.")
    expect(feedback).to_contain_text("Middle leaders are responsible for the quality of teaching")
    assert StepAnswer.objects.get(leader=leader, step="purpose").attempts == 2
    check_page(page)

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("You marked this step as complete.")).to_be_visible()
    expect(menu.locator("li.is-done").filter(has_text=STEP_1)).to_have_count(1)

    # The checkpoint quiz: a fail, a pass with a multiple-choice answer half right, full marks.
    menu.get_by_role("link", name="Checkpoint quiz").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkpoint: Preparing the audit")
    check_page(page)
    answer_checkpoint(page, [["True"], ["A small, representative sample"], *PREPARING_RIGHT[2:]])
    result = page.locator("#quiz-result")
    expect(result).to_contain_text("Your result: 50%")
    expect(result).to_contain_text("The pass mark is 75%")
    check_page(page)
    answer_checkpoint(page, [*PREPARING_RIGHT[:3], PREPARING_RIGHT[3][:1]])
    expect(result).to_contain_text("Your result: 88%")
    expect(result).to_contain_text("You passed this checkpoint.")
    expect(result).to_contain_text("Partly right.")
    answer_checkpoint(page, PREPARING_RIGHT)
    expect(result).to_contain_text("Your result: 100%")
    expect(result).to_contain_text("Best score: 100% · attempts: 3")
    check_page(page)
    row = CheckpointResult.objects.get(leader=leader, unit="preparing")
    assert row.passed and row.best_percent == 100

    # Follow the round step's button into creating a round.
    menu.get_by_role("link", name="Create the audit round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create the audit round")
    before = overall_progress(page)
    assert before == start + 2  # step 1 and the checkpoint
    page.get_by_role("article").get_by_role("link", name="Create the audit round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Start an audit round for {team.name}"
    )
    page.get_by_label("Name of the round").fill("Autumn audit")
    page.get_by_label("Anonymous").check()
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn audit")

    # Back in the guide, the round step has completed itself.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Guide").click()
    assert overall_progress(page) == before + 1
    unit_1 = page.locator(".menu-unit").first
    expect(unit_1.locator("p.meta")).to_have_text("4 of 5 done")
    expect(unit_1.locator("li.is-done").filter(has_text="Create the audit round")).to_have_count(1)
    expect(
        page.get_by_role("link", name=re.compile(r"^Continue: Book the meeting slot"))
    ).to_be_visible()
    check_page(page)

    # My notes, and its Markdown download.
    page.get_by_role("link", name="My notes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My notes")
    expect(page.get_by_text("Say plainly: this is not appraisal.")).to_be_visible()
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Markdown").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert "## Unit 1: Preparing the audit" in text
    assert "Say plainly: this is not appraisal." in text


def test_the_guide_works_on_a_phone_by_keyboard(phone, live_server_url):
    leader = factory.leader(name="Kim Keys")
    login_as(phone, live_server_url, leader)
    phone.goto("/guide/preparing/round/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Create the audit round")
    check_page(phone)
    # With no team yet, the button leads to the teams page.
    expect(
        phone.get_by_role("article").get_by_role("link", name="Create the audit round")
    ).to_have_attribute("href", "/")

    first = phone.locator("#question input[type=checkbox]").first
    first.focus()
    phone.keyboard.press("Space")  # tick "You see only figures for the team as a whole."
    phone.keyboard.press("Tab")
    phone.keyboard.press("Space")  # and "No figure is shown when fewer than 3 people answered."
    phone.locator("#question button[type=submit]").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#question-feedback")).to_contain_text("Correct.")

    phone.get_by_label("Your reflection on this step").focus()
    phone.keyboard.type("Anonymous for the first round.")
    phone.keyboard.press("Tab")  # leaving the box saves it
    expect(phone.get_by_role("status").filter(has_text="Saved at")).to_be_visible()

    phone.get_by_role("link", name=re.compile(r"^Next")).focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Book the meeting slot")
    check_page(phone)


def test_the_guide_works_without_javascript(make_context, live_server_url):
    leader = factory.leader(name="Noor NoScript")
    page = make_context(java_script_enabled=False).new_page()
    login_as(page, live_server_url, leader)
    page.goto("/guide/preparing/purpose/")

    page.get_by_label("Your reflection on this step").fill("Written without scripts.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    expect(page.get_by_label("Your reflection on this step")).to_have_value(
        "Written without scripts."
    )

    page.locator("#question").get_by_label("False", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#question-feedback")).to_contain_text("Not quite.")
    page.locator("#question").get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#question-feedback")).to_contain_text("Correct.")

    page.goto("/guide/preparing/checkpoint/")
    answer_checkpoint(page, PREPARING_RIGHT)
    expect(page.locator("#quiz-result")).to_contain_text("You passed this checkpoint.")
