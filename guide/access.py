"""Which guide pages and notes a request may reach. A note is its leader's alone: 404 for others."""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from guide.course import Guide, Step, Unit
from guide.models import ReflectionNote


def unit_in_guide(guide: Guide, unit_id: str) -> Unit:
    unit = guide.unit_by_id.get(unit_id)
    if unit is None:
        raise Http404("No such unit in the guide.")
    return unit


def step_in_guide(guide: Guide, unit_id: str, step_id: str) -> Step:
    step = guide.steps.get(step_id)
    if step is None or step.unit_id != unit_id:
        raise Http404("No such step in the guide.")
    return step


def note_for_leader(user: User, note_id: int) -> ReflectionNote:
    note = ReflectionNote.objects.for_leader(user).filter(pk=note_id).first()
    if note is None:
        raise Http404("No such note.")
    return note
