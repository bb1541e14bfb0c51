"""The guide's pages: overview and course menu, steps, notes, questions and checkpoint quizzes.

Every page works with plain form posts; the JSON (autosave) and htmx (fragment) answers are
tested beside them. A leader only ever reaches their own notes and progress.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guide.models import CheckpointResult, CompletedStep, ReflectionNote, StepAnswer
from tests import factory
from tests.test_guide_content import unit_yaml, write_units

STEP_URL = "/guide/preparing/purpose/"
ROUND_URL = "/guide/preparing/round/"
QUIZ_URL = "/guide/preparing/checkpoint/"
PREPARING_RIGHT = {  # the preparing unit's checkpoint, all right
    "choice-quiz-preparing-appraisal": ["false"],
    "choice-quiz-preparing-who-takes-part": ["b"],
    "choice-quiz-preparing-anonymous-threshold": ["c"],
    "choice-quiz-preparing-before-you-start": ["a", "b"],
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def newcomer(db):
    """A leader who has just signed up: no team, no round."""
    return factory.leader(factory.school("Newtown Primary"), name="Nia New")


@pytest.fixture
def leader(world):
    return client_for(world.leader)


def text_of(response) -> str:
    return response.content.decode()


def unit_done(html: str, number: int) -> str:
    """What the course menu says about one unit: "2 of 5" (steps done, plus a passed quiz)."""
    found = re.search(rf"Unit {number}: [^<]*</h3>\s*<p class=\"meta\">(\d+ of \d+) done", html)
    return found.group(1)


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/guide/", STEP_URL, QUIZ_URL, "/guide/my-notes/", "/guide/my-notes.md"],
)
def test_it_asks_visitors_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_posts_from_visitors(client, db):
    response = client.post(STEP_URL + "note/", {"text": "hello"})
    assert response.status_code == 302 and ReflectionNote.objects.count() == 0


def test_it_adds_the_guide_to_the_navigation(leader):
    assert '<a href="/guide/">Guide</a>' in text_of(leader.get("/"))


def test_it_404s_for_unknown_units_and_steps(leader):
    assert leader.get("/guide/nope/purpose/").status_code == 404
    assert leader.get("/guide/preparing/nope/").status_code == 404
    assert leader.get("/guide/running/purpose/").status_code == 404  # step of another unit
    assert leader.get("/guide/nope/checkpoint/").status_code == 404
    assert leader.post("/guide/running/purpose/note/", {"text": "x"}).status_code == 404


# --- Overview, course menu and steps ----------------------------------------------------------


def test_it_shows_the_overview_with_every_unit(client, newcomer):
    response = client_for(newcomer).get("/guide/")
    html = text_of(response)
    assert response.status_code == 200
    for title in [
        "Preparing the audit",
        "Running the audit",
        "The meeting with the two flipcharts",
        "Finding matches and recurring themes",
        "Agreeing actions",
        "Following up",
    ]:
        assert title in html
    assert "0% complete" in html
    assert 'href="/guide/preparing/purpose/">Start the guide</a>' in html


def test_it_shows_a_step_with_what_why_time_and_button(leader, world):
    html = text_of(leader.get(ROUND_URL))
    assert '<h1 id="step-h">Create the audit round</h1>' in html
    assert "What to do" in html and "Why it matters" in html
    assert "Time needed: about 10 minutes" in html
    assert f'href="/teams/{world.team.id}/audits/new/">Create the audit round</a>' in html


def test_it_links_buttons_to_home_when_the_leader_has_nothing_yet(newcomer):
    html = text_of(client_for(newcomer).get(ROUND_URL))
    assert 'href="/">Create the audit round</a>' in html


def test_it_links_the_board_step_to_the_latest_rounds_board(leader, world):
    html = text_of(leader.get("/guide/meeting/set-up-room/"))
    assert f'href="/audits/{world.audit.id}/board/">Open the meeting board</a>' in html


def test_it_shows_where_i_am_in_the_course_menu(leader):
    html = text_of(leader.get(ROUND_URL))
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == [ROUND_URL]
    html = text_of(leader.get(QUIZ_URL))
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == [QUIZ_URL]


def test_it_offers_go_back_and_next(leader):
    html = text_of(leader.get(STEP_URL))
    assert re.search(r'href="/guide/" rel="prev">Go back', html)
    assert re.search(r'href="/guide/preparing/team/" rel="next">Next', html)
    html = text_of(leader.get("/guide/preparing/meeting-slot/"))
    assert re.search(r'href="/guide/preparing/checkpoint/" rel="next">Next', html)
    html = text_of(leader.get(QUIZ_URL))
    assert re.search(r'href="/guide/running/introduce/" rel="next">Next', html)
    html = text_of(leader.get("/guide/following-up/checkpoint/"))
    assert re.search(r'href="/guide/" rel="next">Next', html)


@pytest.mark.parametrize(
    "url", ["/guide/", STEP_URL, QUIZ_URL, "/guide/my-notes/", "/guide/following-up/reflect/"]
)
def test_it_has_one_h1_and_no_inline_script_or_style(leader, world, url):
    ReflectionNote.objects.create(leader=world.leader, step="purpose", text="A note")
    html = text_of(leader.get(url))
    assert html.count("<h1") == 1
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html


def test_it_labels_every_choice_inside_a_fieldset(leader):
    html = text_of(leader.get("/guide/preparing/round/"))
    form = html[html.index('id="question"') :]
    assert "<fieldset" in form and "<legend>" in form
    assert form.count('type="checkbox"') == 3  # multiple choice
    assert 'aria-live="polite"' in form


# --- Marking steps complete, by hand and by milestones ----------------------------------------


def test_it_marks_a_step_complete_and_not_complete(leader, world):
    response = leader.post(STEP_URL + "done/", {"done": "1"})
    assert response.status_code == 302 and response.url == STEP_URL
    assert CompletedStep.objects.filter(leader=world.leader, step="purpose").exists()
    html = text_of(leader.get(STEP_URL))
    assert "You marked this step as complete." in html
    leader.post(STEP_URL + "done/", {"done": "0"})
    assert not CompletedStep.objects.filter(leader=world.leader).exists()


def test_it_completes_steps_when_their_action_happens(newcomer):
    from audits.models import Invitation

    client = client_for(newcomer)
    assert unit_done(text_of(client.get("/guide/")), 1) == "0 of 5"
    team = factory.team(newcomer, members=3)
    html = text_of(client.get("/guide/preparing/team/"))
    assert "Flipchart saw that your team has members." in html
    audit = factory.audit(team)
    html = text_of(client.get("/guide/"))
    assert unit_done(html, 1) == "2 of 5"  # team and round, of 4 steps and the checkpoint
    assert "2 of 21 steps done" in html
    member = team.members.first()
    factory.answer_all(audit, member, lambda item: 3)
    Invitation.objects.filter(audit=audit).update(sent=audit.created)
    audit.close()
    html = text_of(client.get("/guide/"))
    assert unit_done(html, 2) == "3 of 5"  # links sent, responses, round closed
    for step in ("links", "encourage", "close-and-read"):
        assert "Flipchart saw that" in text_of(client.get(f"/guide/running/{step}/"))


def test_it_completes_meeting_steps_from_the_board(world):
    from board.models import Board, Phase
    from board.models import Note as BoardNote

    client = client_for(world.leader)

    def done_steps() -> set[str]:
        html = text_of(client.get("/guide/"))
        return set(re.findall(r'<li class="is-done"><a href="/guide/[a-z-]+/([a-z-]+)/"', html))

    assert not done_steps() & {"set-up-room", "write", "reveal", "group", "record"}
    board = Board.objects.create(audit=world.audit)
    assert "set-up-room" in done_steps()
    BoardNote.objects.create(
        board=board, chart="strength", text="Questioning", author_user=world.leader, client_id="1"
    )
    assert "write" in done_steps()
    board.phase = Phase.FIND
    board.save()
    assert {"reveal", "group"} <= done_steps() and "record" not in done_steps()
    board.phase = Phase.CLOSED
    board.save()
    assert "record" in done_steps()


def test_it_counts_only_the_leaders_own_teams(world):
    """The outsider works at the same school; Hannah's team and round are not theirs."""
    html = text_of(client_for(world.outsider).get("/guide/"))
    assert "0% complete" in html and unit_done(html, 1) == "0 of 5"
    html = text_of(client_for(world.leader).get("/guide/"))
    assert unit_done(html, 1) == "2 of 5"


def test_it_keeps_the_course_menu_queries_flat(leader, settings, tmp_path):
    """The menu costs the same number of queries for 2 steps as for 60."""
    small = write_units(tmp_path / "small", {"01.yaml": unit_yaml("a", ("a1", "a2"))})
    big = write_units(
        tmp_path / "big",
        {
            f"{u:02}.yaml": unit_yaml(f"u{u}", tuple(f"u{u}-s{s}" for s in range(10)))
            for u in range(6)
        },
    )
    counts = {}
    for name, folder, step_url in [
        ("small", small, "/guide/a/a1/"),
        ("big", big, "/guide/u3/u3-s4/"),
    ]:
        settings.GUIDE_CONTENT_DIR = folder
        leader.get("/guide/")  # load the content once
        for url in ("/guide/", step_url):
            with CaptureQueriesContext(connection) as queries:
                assert leader.get(url).status_code == 200
            counts[(name, url.count("/"))] = len(queries)
    assert counts[("small", 2)] == counts[("big", 2)]
    assert counts[("small", 4)] == counts[("big", 4)]
    assert counts[("big", 2)] <= 6


# --- Notes ------------------------------------------------------------------------------------


def test_it_saves_a_note_without_javascript(leader, world):
    response = leader.post(STEP_URL + "note/", {"text": "Explain it is not appraisal."})
    assert response.status_code == 302 and response.url == STEP_URL + "#note"
    note = ReflectionNote.objects.get(leader=world.leader, step="purpose")
    assert note.text == "Explain it is not appraisal."
    html = text_of(leader.get(STEP_URL))
    assert "Explain it is not appraisal.</textarea>" in html
    assert "Note saved." in html


def test_it_autosaves_a_note_with_the_csrf_header(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.leader)
    html = text_of(client.get(STEP_URL))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    url = STEP_URL + "note/"
    refused = client.post(url, {"text": "draft"}, headers={"Accept": "application/json"})
    assert refused.status_code == 403
    response = client.post(
        url,
        {"text": "First draft"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["status"].startswith("Saved at ")
    client.post(
        url, {"text": "Second draft"}, headers={"Accept": "application/json", "X-CSRFToken": token}
    )
    notes = ReflectionNote.objects.filter(leader=world.leader)
    assert [n.text for n in notes] == ["Second draft"]


def test_it_clears_a_note_when_emptied(leader, world):
    leader.post(STEP_URL + "note/", {"text": "Something"})
    response = leader.post(
        STEP_URL + "note/", {"text": "  "}, headers={"Accept": "application/json"}
    )
    assert response.json() == {"saved": True, "status": "Note cleared"}
    assert not ReflectionNote.objects.filter(leader=world.leader).exists()


def test_it_refuses_a_note_that_is_too_long(leader, world):
    response = leader.post(
        STEP_URL + "note/", {"text": "x" * 10_001}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not ReflectionNote.objects.exists()


def test_it_lists_my_notes_in_guide_order(leader, world):
    leader.post("/guide/running/introduce/note/", {"text": "Second unit"})
    leader.post(STEP_URL + "note/", {"text": "First unit"})
    ReflectionNote.objects.create(leader=world.leader, step="removed-step", text="Old")
    html = text_of(leader.get("/guide/my-notes/"))
    assert html.index("First unit") < html.index("Second unit") < html.index("Old")
    assert "Step 1.1: Decide why you are auditing, and say so" in html
    assert "Steps no longer in the guide" in html


def test_it_exports_notes_as_markdown(leader, world):
    leader.post(STEP_URL + "note/", {"text": "Say it is **not** appraisal.\n\nAsk Sam."})
    leader.post("/guide/preparing/round/note/", {"text": "Anonymous first time."})
    response = leader.get("/guide/my-notes.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="flipchart-guide-notes-\d{4}-\d\d-\d\d\.md"',
        response["Content-Disposition"],
    )
    body = text_of(response)
    assert body.startswith("# My notes from the Flipchart facilitator's guide\n\nHannah Head")
    assert "## Unit 1: Preparing the audit" in body
    assert "### Step 1.1: Decide why you are auditing, and say so\n\n" in body
    assert "Say it is **not** appraisal.\n\nAsk Sam." in body
    assert body.index("Step 1.1") < body.index("### Step 1.3: Create the audit round")
    assert "_Last edited " in body


def test_it_keeps_notes_private(world):
    hannah, oscar = client_for(world.leader), client_for(world.outsider)
    hannah.post(STEP_URL + "note/", {"text": "Hannah's private thought"})
    note = ReflectionNote.objects.get(leader=world.leader)
    assert "Hannah's private thought" not in text_of(oscar.get("/guide/my-notes/"))
    assert "Hannah's private thought" not in text_of(oscar.get("/guide/my-notes.md"))
    assert "Hannah's private thought" not in text_of(oscar.get(STEP_URL))
    other = client_for(world.other_leader)
    assert other.post(f"/guide/my-notes/{note.id}/delete/").status_code == 404
    assert oscar.post(f"/guide/my-notes/{note.id}/delete/").status_code == 404
    assert ReflectionNote.objects.filter(pk=note.id).exists()


def test_it_deletes_my_note(leader, world):
    leader.post(STEP_URL + "note/", {"text": "Gone soon"})
    note = ReflectionNote.objects.get(leader=world.leader)
    response = leader.post(f"/guide/my-notes/{note.id}/delete/")
    assert response.status_code == 302 and response.url == "/guide/my-notes/"
    assert not ReflectionNote.objects.exists()


# --- Step questions ----------------------------------------------------------------------------


def test_it_answers_the_step_question_without_javascript(leader, world):
    url = STEP_URL + "question/"
    response = leader.post(url, {"choice-step-purpose": "false"})
    assert response.status_code == 302 and response.url == STEP_URL + "#question"
    html = text_of(leader.get(STEP_URL))
    assert "Not quite." in html and "Hint: Think about who" in html
    assert 'value="false" checked' in html
    leader.post(url, {"choice-step-purpose": "true"})
    html = text_of(leader.get(STEP_URL))
    assert "Correct." in html and "Middle leaders are responsible for the quality" in html
    answer = StepAnswer.objects.get(leader=world.leader, step="purpose")
    assert answer.attempts == 2 and answer.score == 1 and answer.correct_at is not None


def test_it_answers_the_step_question_in_place_with_htmx(leader):
    response = leader.post(
        ROUND_URL + "question/",
        {"choice-step-round": ["a", "c"]},
        headers={"HX-Request": "true"},
    )
    html = text_of(response)
    assert response.status_code == 200 and "<html" not in html
    assert "Partly right." not in html  # a + c: one right, one wrong scores 0
    assert "Not quite." in html
    assert "You chose 1 of the 2 right answers and 1 that is not right." in html
    html = text_of(
        leader.post(
            ROUND_URL + "question/", {"choice-step-round": ["a"]}, headers={"HX-Request": "true"}
        )
    )
    assert "Partly right." in html and "You chose 1 of the 2 right answers." in html
    html = text_of(
        leader.post(
            ROUND_URL + "question/",
            {"choice-step-round": ["a", "b"]},
            headers={"HX-Request": "true"},
        )
    )
    assert "Correct." in html and "Tries so far: 3" in html


def test_it_asks_for_an_answer_when_none_is_chosen(leader):
    html = text_of(leader.post(STEP_URL + "question/", {}, headers={"HX-Request": "true"}))
    assert "Choose an answer, then check it." in html
    assert not StepAnswer.objects.exists()


# --- Checkpoint quizzes ------------------------------------------------------------------------


def test_it_shows_the_checkpoint_quiz(leader):
    html = text_of(leader.get(QUIZ_URL))
    assert '<h1 id="quiz-h">Checkpoint: Preparing the audit</h1>' in html
    assert "4 questions · pass mark 75%" in html
    assert html.count("<fieldset") == 4 and html.count("<legend>") == 4


def test_it_scores_the_checkpoint_and_keeps_the_best(leader, world):
    wrong = {**PREPARING_RIGHT, "choice-quiz-preparing-appraisal": ["true"]}
    wrong["choice-quiz-preparing-before-you-start"] = ["a"]  # half of a multiple choice
    response = leader.post(QUIZ_URL, wrong)
    assert response.status_code == 302 and response.url == QUIZ_URL + "#quiz-result"
    html = text_of(leader.get(QUIZ_URL))
    assert "Your result: 62%" in html  # (0 + 1 + 1 + 0.5) / 4
    assert "The pass mark is 75%" in html and "Partly right." in html
    leader.post(QUIZ_URL, PREPARING_RIGHT)
    row = CheckpointResult.objects.get(leader=world.leader, unit="preparing")
    assert (row.best_percent, row.attempts, row.passed) == (100, 2, True)
    leader.post(QUIZ_URL, wrong)  # a worse try keeps the best, and the pass
    row.refresh_from_db()
    assert (round(row.score * 100), row.best_percent, row.attempts, row.passed) == (
        62,
        100,
        3,
        True,
    )
    html = text_of(leader.get("/guide/"))
    assert "Passed · best 100%" in html and "1 of 6 checkpoints passed" in html


def test_it_returns_the_checkpoint_result_in_place_with_htmx(leader):
    response = leader.post(QUIZ_URL, PREPARING_RIGHT, headers={"HX-Request": "true"})
    html = text_of(response)
    assert "<html" not in html
    assert "Your result: 100%" in html and "You passed this checkpoint." in html
    assert "Best score: 100% · attempts: 1" in html


def test_it_asks_for_answers_before_scoring_a_checkpoint(leader):
    html = text_of(leader.post(QUIZ_URL, {}, headers={"HX-Request": "true"}))
    assert "Answer the questions, then check your answers." in html
    assert not CheckpointResult.objects.exists()


def test_it_keeps_progress_per_leader(world):
    client_for(world.leader).post(QUIZ_URL, PREPARING_RIGHT)
    client_for(world.leader).post(STEP_URL + "done/", {"done": "1"})
    html = text_of(client_for(world.outsider).get(QUIZ_URL))
    assert "Your result" not in html and "best so far" not in html
    assert "0% complete" in text_of(client_for(world.outsider).get("/guide/"))


# --- Broken content, migrations ----------------------------------------------------------------


def test_it_shows_a_polite_page_when_the_content_is_broken(leader, settings, tmp_path):
    write_units(tmp_path, {"01.yaml": "id: [\n"})
    settings.GUIDE_CONTENT_DIR = tmp_path
    response = leader.get("/guide/")
    assert response.status_code == 503
    html = text_of(response)
    assert "The guide is not available right now" in html and "01.yaml" not in html


def test_it_has_no_pending_migrations(db):
    call_command("makemigrations", "guide", "--check", "--dry-run", verbosity=0)
