"""Marking step questions and checkpoint quizzes, including partial credit for multiple choice."""

from __future__ import annotations

import pytest

from guide.course import Checkpoint, Choice, Question, QuestionKind
from guide.quiz import mark, mark_checkpoint


def question(kind: QuestionKind, right: str, keys: str = "abcd") -> Question:
    return Question(
        key=f"quiz:u:{kind}",
        kind=kind,
        text="?",
        choices=tuple(Choice(k, k.upper(), k in right) for k in keys),
        explanation="Because.",
    )


TRUE_FALSE = Question(
    "step:tf",
    QuestionKind.TRUE_FALSE,
    "Middle leaders need to support other members of staff to differentiate effectively.",
    (Choice("true", "True", True), Choice("false", "False", False)),
    "True.",
)


def test_it_marks_true_false():
    assert mark(TRUE_FALSE, ["true"]).correct
    wrong = mark(TRUE_FALSE, ["false"])
    assert not wrong.correct and wrong.score == 0


def test_it_marks_single_choice_and_refuses_several_picks():
    q = question(QuestionKind.SINGLE, "b")
    assert mark(q, ["b"]).score == 1
    assert mark(q, ["a"]).score == 0
    assert mark(q, ["a", "b"]).score == 0


@pytest.mark.parametrize(
    ("chosen", "score"),
    [
        (["a", "c"], 1.0),  # every right one
        (["a"], 0.5),  # half of the right ones
        (["a", "b"], 0.0),  # one right, one wrong
        (["a", "b", "c"], 0.5),  # both right, one wrong
        (["a", "b", "c", "d"], 0.0),  # ticking everything earns nothing
        (["b", "d"], 0.0),  # never below zero
        ([], 0.0),
    ],
)
def test_it_gives_partial_credit_for_multiple_choice(chosen, score):
    marked = mark(question(QuestionKind.MULTIPLE, "ac"), chosen)
    assert marked.score == score
    assert marked.correct is (score == 1.0)


def test_it_counts_right_and_wrong_picks_for_feedback():
    marked = mark(question(QuestionKind.MULTIPLE, "abc"), ["a", "d"])
    assert (marked.right_chosen, marked.wrong_chosen, marked.right_total) == (1, 1, 3)
    assert marked.chosen_texts == ["A", "D"]


def test_it_ignores_keys_that_are_not_choices():
    marked = mark(question(QuestionKind.SINGLE, "a"), ["a", "zzz", "<script>"])
    assert marked.chosen == {"a"} and marked.correct


def test_it_scores_a_checkpoint_and_applies_the_pass_mark():
    single = question(QuestionKind.SINGLE, "a")
    multiple = Question(
        "quiz:u:m", QuestionKind.MULTIPLE, "?", question(QuestionKind.MULTIPLE, "ab").choices, "."
    )
    quiz = Checkpoint(pass_mark=75, questions=(single, multiple, TRUE_FALSE))
    result = mark_checkpoint(
        quiz, {single.key: ["a"], multiple.key: ["a"], TRUE_FALSE.key: ["true"]}
    )
    assert result.score == pytest.approx(2.5 / 3, abs=1e-4)
    assert result.percent == 83
    assert result.passed
    assert result.correct_count == 2
    failed = mark_checkpoint(quiz, {single.key: ["a"]})  # two unanswered score 0
    assert failed.percent == 33 and not failed.passed
    assert [m.answered for m in failed.marks] == [True, False, False]
