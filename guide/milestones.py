"""Milestones: things a leader has done in Flipchart that complete a guide step by themselves.

A step names one in its `done_when` key. All of them are answered in one query, so the course
menu costs the same however many steps the guide has.
"""

from __future__ import annotations

from django.db.models import Exists, F

from accounts.models import Team, User
from audits.models import Audit, AuditStatus, Invitation, Response
from board.models import PHASE_ORDER, Board, Phase
from board.models import Note as BoardNote


def _phase_at_least(phase: str) -> list[str]:
    return PHASE_ORDER[PHASE_ORDER.index(phase) :]


# name → what the leader sees once it has happened ("Done: Flipchart saw that …").
MILESTONES: dict[str, str] = {
    "team_created": "you have created a team",
    "team_has_members": "your team has members",
    "round_started": "you have started an audit round",
    "meeting_booked": "you have booked the meeting slot",
    "invitations_sent": "you have e-mailed the personal links",
    "responses_received": "responses have come in",
    "round_closed": "you have closed a round",
    "board_opened": "you have opened the meeting board",
    "notes_written": "notes have been written on the meeting board",
    "notes_revealed": "the notes have been revealed on the board",
    "themes_found": "the board has moved on from grouping to finding",
    "meeting_closed": "you have closed the meeting board",
    "second_round": "a team has had a second round",
}


def reached_milestones(user: User) -> frozenset[str]:
    """The milestones this leader has reached, from their own teams and rounds only."""
    if not user.is_authenticated:
        return frozenset()
    teams = Team.objects.for_leader(user)
    audits = Audit.objects.for_leader(user)
    boards = Board.objects.filter(audit__in=audits)
    conditions = {
        "team_created": teams,
        "team_has_members": teams.filter(members__removed__isnull=True),
        "round_started": audits,
        "meeting_booked": audits.filter(meeting_starts_at__isnull=False),
        "invitations_sent": Invitation.objects.filter(audit__in=audits, sent__isnull=False),
        "responses_received": Response.objects.filter(audit__in=audits, submitted__isnull=False),
        "round_closed": audits.filter(status=AuditStatus.CLOSED),
        "board_opened": boards,
        "notes_written": BoardNote.objects.live().filter(board__audit__in=audits),
        "notes_revealed": boards.filter(phase__in=_phase_at_least(Phase.REVEAL)),
        "themes_found": boards.filter(phase__in=_phase_at_least(Phase.FIND)),
        "meeting_closed": boards.filter(phase=Phase.CLOSED),
        # A round of a team that already had an earlier one.
        "second_round": audits.filter(team__audits__created__lt=F("created")),
    }
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(**{f"m_{name}": Exists(qs) for name, qs in conditions.items()})
        .values(*(f"m_{name}" for name in conditions))
        .first()
    ) or {}
    return frozenset(name for name in conditions if row.get(f"m_{name}"))
