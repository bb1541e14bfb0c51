"""Marking answers to step questions and checkpoint quizzes. Pure functions over guide.course."""

from __future__ import annotations

from dataclasses import dataclass

from guide.course import Checkpoint, Question


@dataclass(frozen=True)
class Marked:
    """One answer, marked. `score` runs from 0 to 1; only a full score is correct."""

    question: Question
    chosen: frozenset[str]
    score: float

    @property
    def correct(self) -> bool:
        return self.score >= 1

    @property
    def answered(self) -> bool:
        return bool(self.chosen)

    @property
    def right_chosen(self) -> int:
        return len(self.chosen & self.question.correct_keys)

    @property
    def wrong_chosen(self) -> int:
        return len(self.chosen - self.question.correct_keys)

    @property
    def right_total(self) -> int:
        return len(self.question.correct_keys)

    @property
    def chosen_texts(self) -> list[str]:
        return [c.text for c in self.question.choices if c.key in self.chosen]


def mark(question: Question, chosen: set[str] | frozenset[str] | list[str]) -> Marked:
    """Mark an answer. Keys that are not choices of the question are ignored.

    Single choice and true/false: 1 for the right choice, else 0 (choosing several is wrong).
    Multiple choice earns partial credit: each right choice found adds 1/n of the n right ones,
    each wrong choice takes 1/n away, never below 0 — so ticking everything scores nothing.
    """
    valid = {c.key for c in question.choices}
    picked = frozenset(k for k in chosen if k in valid)
    right = question.correct_keys
    if not question.is_multiple:
        score = 1.0 if picked == right else 0.0
    else:
        found, wrong = len(picked & right), len(picked - right)
        score = max(0.0, (found - wrong) / len(right))
    return Marked(question, picked, round(score, 4))


@dataclass(frozen=True)
class QuizResult:
    marks: tuple[Marked, ...]
    pass_mark: int

    @property
    def score(self) -> float:
        """The share of the quiz's points earned, from 0 to 1."""
        return round(sum(m.score for m in self.marks) / len(self.marks), 4) if self.marks else 0.0

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_mark

    @property
    def correct_count(self) -> int:
        return sum(m.correct for m in self.marks)


def mark_checkpoint(checkpoint: Checkpoint, answers: dict[str, list[str]]) -> QuizResult:
    """Mark every question of a checkpoint; `answers` maps question key → chosen keys.
    An unanswered question scores 0."""
    return QuizResult(
        tuple(mark(q, answers.get(q.key, [])) for q in checkpoint.questions),
        checkpoint.pass_mark,
    )
