"""The guide as the pages use it: units of steps, each with a question, and a checkpoint quiz.

Plain frozen data, built by guide.content from the content files.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field


class QuestionKind(enum.StrEnum):
    TRUE_FALSE = "true_false"
    SINGLE = "single"
    MULTIPLE = "multiple"


@dataclass(frozen=True)
class Choice:
    key: str  # "true"/"false", or "a", "b", … by position
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    key: str  # unique in the whole guide: "step:<step>" or "quiz:<unit>:<id>"
    kind: QuestionKind
    text: str
    choices: tuple[Choice, ...]
    explanation: str
    hint: str = ""

    @property
    def correct_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.choices if c.correct)

    @property
    def is_multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE

    @property
    def field_name(self) -> str:
        return "choice-" + self.key.replace(":", "-")


@dataclass(frozen=True)
class Action:
    label: str
    target: str


@dataclass(frozen=True)
class Step:
    id: str
    unit_id: str
    number: int  # 1-based within its unit
    title: str
    minutes: int
    what: str
    why: str
    question: Question
    action: Action | None = None
    done_when: str | None = None
    line: int = field(default=0, compare=False)  # where its id is, for error messages


@dataclass(frozen=True)
class Checkpoint:
    pass_mark: int  # percent
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Unit:
    id: str
    number: int
    title: str
    summary: str
    steps: tuple[Step, ...]
    checkpoint: Checkpoint
    source: str  # the file it came from
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Guide:
    units: tuple[Unit, ...]
    source_dir: str

    @functools.cached_property
    def steps(self) -> dict[str, Step]:
        return {s.id: s for u in self.units for s in u.steps}

    @functools.cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    @functools.cached_property
    def pages(self) -> tuple[tuple[Unit, Step | None], ...]:
        """Reading order for Go back / Next: each unit's steps, then its checkpoint (None)."""
        return tuple((u, s) for u in self.units for s in (*u.steps, None))

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.steps.values())
