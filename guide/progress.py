"""How far a leader has got: steps done (marked by them, or by a milestone) and checkpoints passed.

`progress_for` costs three queries whatever the size of the guide; `build_progress` is the pure
part, so the rules can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from guide.course import Guide, Step, Unit
from guide.milestones import MILESTONES, reached_milestones
from guide.models import CheckpointResult, CompletedStep


@dataclass(frozen=True)
class CheckpointScore:
    best_percent: int
    attempts: int
    passed: bool


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    done: frozenset[str]  # step ids
    checkpoint: CheckpointScore | None

    @property
    def steps_done(self) -> int:
        return len(self.done)

    @property
    def step_states(self) -> tuple[tuple[Step, bool], ...]:
        """(step, done) in order, for the course menu."""
        return tuple((s, s.id in self.done) for s in self.unit.steps)

    @property
    def passed(self) -> bool:
        return bool(self.checkpoint and self.checkpoint.passed)

    @property
    def items_done(self) -> int:
        """Steps done, plus one for a passed checkpoint."""
        return self.steps_done + self.passed

    @property
    def items_total(self) -> int:
        return len(self.unit.steps) + 1

    @property
    def complete(self) -> bool:
        return self.items_done == self.items_total


@dataclass(frozen=True)
class GuideProgress:
    guide: Guide
    units: tuple[UnitProgress, ...]
    marked: frozenset[str]  # steps the leader marked as complete
    milestones: frozenset[str]

    def is_done(self, step: Step) -> bool:
        return step.id in self.marked or self.done_by_milestone(step)

    def done_by_milestone(self, step: Step) -> bool:
        return step.done_when is not None and step.done_when in self.milestones

    def milestone_text(self, step: Step) -> str:
        return MILESTONES.get(step.done_when or "", "")

    def for_unit(self, unit: Unit) -> UnitProgress:
        return next(u for u in self.units if u.unit.id == unit.id)

    @property
    def items_done(self) -> int:
        return sum(u.items_done for u in self.units)

    @property
    def items_total(self) -> int:
        return sum(u.items_total for u in self.units)

    @property
    def steps_done(self) -> int:
        return sum(u.steps_done for u in self.units)

    @property
    def steps_total(self) -> int:
        return len(self.guide.steps)

    @property
    def checkpoints_passed(self) -> int:
        return sum(u.passed for u in self.units)

    @property
    def percent(self) -> int:
        return round(100 * self.items_done / self.items_total) if self.items_total else 0

    def next_page(self) -> tuple[Unit, Step | None] | None:
        """The first step not done or checkpoint not passed, in reading order; None when all are."""
        for unit, step in self.guide.pages:
            if step is None and not self.for_unit(unit).passed:
                return unit, None
            if step is not None and not self.is_done(step):
                return unit, step
        return None


def build_progress(
    guide: Guide,
    marked: set[str] | frozenset[str],
    milestones: set[str] | frozenset[str],
    checkpoints: dict[str, CheckpointScore],
) -> GuideProgress:
    marked, milestones = frozenset(marked), frozenset(milestones)
    units = tuple(
        UnitProgress(
            unit,
            frozenset(
                s.id
                for s in unit.steps
                if s.id in marked or (s.done_when is not None and s.done_when in milestones)
            ),
            checkpoints.get(unit.id),
        )
        for unit in guide.units
    )
    return GuideProgress(guide, units, marked, milestones)


def progress_for(user: User, guide: Guide) -> GuideProgress:
    """This leader's progress through the guide, from their own rows only."""
    marked = set(CompletedStep.objects.for_leader(user).values_list("step", flat=True))
    checkpoints = {
        row.unit: CheckpointScore(row.best_percent, row.attempts, row.passed)
        for row in CheckpointResult.objects.for_leader(user).only(
            "unit", "best", "attempts", "passed_at"
        )
    }
    return build_progress(guide, marked, reached_milestones(user), checkpoints)
