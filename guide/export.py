"""A leader's guide notes as one Markdown document, in the guide's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date

from guide.course import Guide, Step, Unit
from guide.models import ReflectionNote


@dataclass(frozen=True)
class NoteGroup:
    unit: Unit | None  # None: steps no longer in the guide
    entries: tuple[tuple[Step | None, ReflectionNote], ...]


def notes_in_guide_order(guide: Guide, notes: list[ReflectionNote]) -> list[NoteGroup]:
    """Notes grouped by unit in reading order; notes on steps since removed come last."""
    by_step = {n.step: n for n in notes}
    groups = []
    for unit in guide.units:
        entries = tuple((s, by_step.pop(s.id)) for s in unit.steps if s.id in by_step)
        if entries:
            groups.append(NoteGroup(unit, entries))
    if by_step:
        groups.append(NoteGroup(None, tuple((None, n) for n in by_step.values())))
    return groups


def _when(moment: datetime) -> str:
    return format_date(timezone.localtime(moment), "j F Y, H:i")


def notes_markdown(guide: Guide, notes: list[ReflectionNote], leader_name: str) -> str:
    lines = [
        "# My notes from the Flipchart facilitator's guide",
        "",
        f"{leader_name} · exported {_when(timezone.now())}",
        "",
    ]
    groups = notes_in_guide_order(guide, notes)
    if not groups:
        lines += ["You have not written any notes yet.", ""]
    for group in groups:
        if group.unit is None:
            lines += ["## Steps no longer in the guide", ""]
        else:
            lines += [f"## Unit {group.unit.number}: {group.unit.title}", ""]
        for step, note in group.entries:
            title = (
                f"Step {group.unit.number}.{step.number}: {step.title}"
                if step and group.unit
                else note.step
            )
            lines += [f"### {title}", "", note.text, "", f"_Last edited {_when(note.updated)}_", ""]
    return "\n".join(lines).rstrip() + "\n"
