"""Guide content: the built-in units load, and broken files fail with errors that name the file,
the key and the line; `flipchart check` reports them as guide.E001."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from django.core.checks import run_checks

from guide.content import BUILTIN_DIR, GuideContentError, load_guide, parse_unit
from guide.course import QuestionKind
from guide.links import TARGETS
from guide.milestones import MILESTONES
from guide.text import render_text

STEP = """\
  - id: {step_id}
    title: Step {step_id}
    minutes: 5
    what: Do the thing.
    why: Because it helps.
    action:
      label: Go
      target: home
    question:
      kind: true_false
      text: Is this a question?
      answer: true
      explanation: It is.
"""


def unit_yaml(unit_id: str = "unit-a", steps: tuple[str, ...] = ("step-a",)) -> str:
    """A small valid unit, for tests that break one thing in it."""
    body = "".join(STEP.format(step_id=s) for s in steps)
    return f"""\
id: {unit_id}
title: Unit {unit_id}
steps:
{body}checkpoint:
  questions:
    - id: q1
      kind: single
      text: Pick one.
      choices:
        - text: Right
          correct: true
        - text: Wrong
      explanation: Because.
"""


def write_units(folder: Path, units: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in units.items():
        (folder / name).write_text(text)
    return folder


def problems_of(text: str, file: str = "unit.yaml") -> list[str]:
    with pytest.raises(GuideContentError) as caught:
        parse_unit(textwrap.dedent(text), file)
    return [str(p) for p in caught.value.problems]


# --- The built-in guide ------------------------------------------------------------------------


def test_it_loads_the_builtin_guide():
    guide = load_guide(BUILTIN_DIR)
    titles = [u.title for u in guide.units]
    assert titles == [
        "Preparing the audit",
        "Running the audit",
        "The meeting with the two flipcharts",
        "Finding matches and recurring themes",
        "Agreeing actions",
        "Following up",
    ]
    for unit in guide.units:
        assert unit.steps and unit.checkpoint.questions
        for step in unit.steps:
            assert step.minutes > 0 and step.what and step.why and step.question.explanation
            assert step.action is not None and step.action.target in TARGETS
    kinds = {q.kind for s in guide.steps.values() for q in [s.question]}
    assert kinds == set(QuestionKind)


def test_it_asks_whether_middle_leaders_support_staff_to_differentiate():
    step = load_guide(BUILTIN_DIR).steps["purpose"]
    assert "support other members of staff to differentiate" in step.question.text
    assert step.question.kind == QuestionKind.TRUE_FALSE
    assert step.question.correct_keys == {"true"}


def test_it_links_the_round_step_to_creating_a_round():
    step = load_guide(BUILTIN_DIR).steps["round"]
    assert step.action.label == "Create the audit round"
    assert step.action.target == "audit-create"
    assert step.done_when == "round_started"


def test_it_uses_only_known_milestones_and_each_one_somewhere():
    used = {s.done_when for s in load_guide(BUILTIN_DIR).steps.values() if s.done_when}
    assert used <= set(MILESTONES)
    assert {"team_has_members", "round_started", "responses_received", "round_closed"} <= used


def test_it_orders_units_by_file_name(tmp_path):
    folder = write_units(
        tmp_path, {"02-b.yaml": unit_yaml("b", ("b1",)), "01-a.yaml": unit_yaml("a", ("a1",))}
    )
    guide = load_guide(folder)
    assert [u.id for u in guide.units] == ["a", "b"]
    assert [u.number for u in guide.units] == [1, 2]
    assert [(u.id, s.id if s else None) for u, s in guide.pages] == [
        ("a", "a1"),
        ("a", None),
        ("b", "b1"),
        ("b", None),
    ]


# --- Validation errors -------------------------------------------------------------------------


def test_it_reports_bad_yaml_with_its_line():
    problems = problems_of("id: a\ntitle: [unclosed\nsteps: []\n", "broken.yaml")
    assert len(problems) == 1
    assert problems[0].startswith("broken.yaml, line 3")
    assert "not valid YAML" in problems[0]


def test_it_reports_missing_keys():
    text = unit_yaml().replace("    why: Because it helps.\n", "")
    problems = problems_of(text)
    assert problems == ["unit.yaml, line 4, steps[1]: missing required key 'why'."]


def test_it_reports_wrong_types_with_file_key_and_line():
    text = unit_yaml().replace("minutes: 5", "minutes: ten")
    problems = problems_of(text, "01-prep.yaml")
    assert problems == [
        "01-prep.yaml, line 6, steps[1].minutes: must be a whole number from 1 to 600, not 'ten'."
    ]


def test_it_reports_a_true_false_answer_that_is_not_a_boolean():
    text = unit_yaml().replace("answer: true", "answer: 'yes'")
    (problem,) = problems_of(text)
    assert "steps[1].question.answer: must be true or false, not text." in problem
    assert ", line 15," in problem


def test_it_reports_every_problem_at_once():
    text = (
        unit_yaml()
        .replace("minutes: 5", "minutes: 0")
        .replace("title: Step step-a", "title: 42")
        .replace("target: home", "target: nowhere")
    )
    problems = problems_of(text)
    assert len(problems) == 3
    joined = "\n".join(problems)
    assert "steps[1].minutes" in joined
    assert "steps[1].title: must be some text, not a number." in joined
    assert "steps[1].action.target: must be one of home, team, audit-create" in joined


def test_it_suggests_a_fix_for_a_misspelt_key():
    text = unit_yaml().replace("    why: Because", "    whyy: Because")
    problems = problems_of(text)
    assert any("steps[1].whyy: unknown key. Did you mean 'why'?" in p for p in problems)


def test_it_reports_duplicate_keys_in_one_mapping():
    text = unit_yaml().replace("    minutes: 5\n", "    minutes: 5\n    minutes: 6\n")
    (problem,) = problems_of(text)
    assert (
        problem
        == "unit.yaml, line 7, steps[1].minutes: duplicate key: it appears more than once here."
    )


def test_it_reports_duplicate_step_ids_in_one_file(tmp_path):
    write_units(tmp_path, {"01.yaml": unit_yaml("a", ("same", "same"))})
    with pytest.raises(GuideContentError) as caught:
        load_guide(tmp_path)
    (problem,) = caught.value.problems
    assert str(problem) == (
        "01.yaml, line 17, steps[2].id: duplicate step id 'same' (also in 01.yaml)."
    )


def test_it_reports_duplicate_ids_across_files(tmp_path):
    write_units(
        tmp_path,
        {"01.yaml": unit_yaml("a", ("shared",)), "02.yaml": unit_yaml("a", ("shared",))},
    )
    with pytest.raises(GuideContentError) as caught:
        load_guide(tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "02.yaml, line 1, id: duplicate unit id 'a' (also in 01.yaml).",
        "02.yaml, line 4, steps[1].id: duplicate step id 'shared' (also in 01.yaml).",
    ]


def test_it_reports_duplicate_question_ids_in_a_checkpoint():
    text = unit_yaml() + textwrap.indent(
        "- id: q1\n  kind: true_false\n  text: Again?\n  answer: false\n  explanation: No.\n",
        "    ",
    )
    problems = problems_of(text)
    assert any("checkpoint.questions[2].id: duplicate question id 'q1'" in p for p in problems)


def test_it_checks_the_choices_of_single_and_multiple_questions():
    two_right = unit_yaml().replace(
        "        - text: Wrong\n", "        - text: Wrong\n          correct: true\n"
    )
    assert any("exactly one correct choice, not 2" in p for p in problems_of(two_right))
    none_right = (
        unit_yaml()
        .replace("kind: single", "kind: multiple")
        .replace("          correct: true\n", "")
    )
    assert any("at least one correct choice" in p for p in problems_of(none_right))
    one_choice = unit_yaml().replace("        - text: Wrong\n", "")
    assert any("needs from 2 to 8 choices" in p for p in problems_of(one_choice))


def test_it_rejects_unknown_question_kinds_and_milestones():
    text = (
        unit_yaml()
        .replace("kind: true_false", "kind: essay")
        .replace("    question:\n", "    done_when: moon_landing\n    question:\n")
    )
    joined = "\n".join(problems_of(text))
    assert (
        "steps[1].question.kind: must be one of true_false, single, multiple, not 'essay'."
        in joined
    )
    assert "steps[1].done_when: must be one of team_created" in joined


def test_it_rejects_ids_that_would_break_urls():
    text = unit_yaml("Unit A", ("checkpoint",))
    joined = "\n".join(problems_of(text))
    assert (
        "id: must be a short id of lower-case letters, digits and hyphens, not 'Unit A'." in joined
    )
    assert "steps[1].id: 'checkpoint' is reserved" in joined


def test_it_rejects_a_file_that_is_not_a_mapping():
    assert problems_of("- just\n- a list\n") == [
        "unit.yaml, line 1: must be a mapping of keys and values, not a list."
    ]


def test_it_rejects_an_empty_folder_and_a_missing_one(tmp_path):
    with pytest.raises(GuideContentError, match="no .yaml unit files"):
        load_guide(tmp_path)
    with pytest.raises(GuideContentError, match="does not exist"):
        load_guide(tmp_path / "nope")


def test_it_reports_problems_from_every_file(tmp_path):
    write_units(
        tmp_path,
        {
            "01.yaml": unit_yaml("a").replace("minutes: 5", "minutes: -1"),
            "02.yaml": "id: [\n",
            "03.yaml": unit_yaml("c", ("c1",)),
        },
    )
    with pytest.raises(GuideContentError) as caught:
        load_guide(tmp_path)
    files = [p.file for p in caught.value.problems]
    assert files == ["01.yaml", "02.yaml"]


# --- The system check and the setting ----------------------------------------------------------


@pytest.mark.django_db
def test_it_passes_the_system_check_with_the_builtin_content():
    assert not [e for e in run_checks() if e.id == "guide.E001"]


@pytest.mark.django_db
def test_it_reports_invalid_content_as_guide_e001(settings, tmp_path):
    write_units(tmp_path, {"01.yaml": unit_yaml().replace("minutes: 5", "minutes: lots")})
    settings.GUIDE_CONTENT_DIR = tmp_path
    errors = [e for e in run_checks() if e.id == "guide.E001"]
    assert len(errors) == 1
    assert errors[0].msg.startswith("01.yaml, line 6, steps[1].minutes:")
    assert "GUIDE_CONTENT_DIR" in errors[0].hint


def test_it_reads_the_folder_from_the_setting(settings, tmp_path):
    from guide.content import current_guide

    write_units(tmp_path, {"01.yaml": unit_yaml("school-unit", ("s1",))})
    settings.GUIDE_CONTENT_DIR = tmp_path
    assert [u.id for u in current_guide().units] == ["school-unit"]
    # Edited in place: read again without a restart.
    (tmp_path / "01.yaml").write_text(unit_yaml("school-unit", ("s1", "s2")))
    assert list(current_guide().steps) == ["s1", "s2"]


# --- The text format ---------------------------------------------------------------------------


def test_it_renders_paragraphs_lists_and_bold_and_escapes_html():
    html = render_text("First **bold** line\ncontinues.\n\n- one\n- <b>two</b>\n")
    assert html == (
        "<p>First <strong>bold</strong> line continues.</p>\n"
        "<ul><li>one</li><li>&lt;b&gt;two&lt;/b&gt;</li></ul>"
    )
