"""What the meeting agrees: CPD actions for training needs, peer-support pairs from accepted
matches, and the review of the last round's actions when the next round opens."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from board.events import ActionsUpdated, record
from board.models import Action, ActionKind, ActionStatus, Board, Match, MatchStatus
from board.notes import BoardError
from board.visibility import Viewer

EDITABLE = ("title", "owner", "due", "note", "status", "theme", "area")


def _facilitator(viewer: Viewer) -> None:
    if not viewer.facilitator:
        raise BoardError(403, "Only the facilitator records agreed actions.")


def _check(fields: dict) -> None:
    for key in ("title", "owner"):
        if key in fields and not (fields[key] or "").strip():
            raise BoardError(
                422,
                f"Give the action {'a title' if key == 'title' else 'an owner'}.",
                ["body", key],
            )
    if fields.get("status") and fields["status"] not in ActionStatus.values:
        raise BoardError(
            422, f"status must be one of {', '.join(ActionStatus.values)}.", ["body", "status"]
        )


def _changed(board: Board) -> None:
    record(board, ActionsUpdated(), named=not board.audit.anonymous)


def create_action(
    board: Board,
    viewer: Viewer,
    *,
    kind: str,
    title: str,
    owner: str,
    due: date | None = None,
    note: str = "",
    theme: str = "",
    area: str = "",
    match_id: int | None = None,
) -> Action:
    _facilitator(viewer)
    _check({"title": title, "owner": owner})
    match = None
    if kind == ActionKind.PAIR:
        match = Match.objects.filter(board=board, pk=match_id).first() if match_id else None
        if match is None or match.status != MatchStatus.ACCEPTED:
            raise BoardError(
                422, "A peer-support pair needs a match both people accepted.", ["body", "match"]
            )
    with transaction.atomic():
        action = Action.objects.create(
            board=board,
            kind=kind,
            title=title.strip()[:200],
            owner=owner.strip()[:200],
            due=due,
            note=(note or "")[:1000],
            theme=(theme or "")[:100],
            area=(area or "")[:64],
            match=match,
        )
        _changed(board)
    return action


def update_action(board: Board, viewer: Viewer, action: Action, fields: dict) -> Action:
    _facilitator(viewer)
    _check(fields)
    for key, value in fields.items():
        if key in EDITABLE and value is not None:
            setattr(action, key, value.strip() if isinstance(value, str) else value)
    action.updated = timezone.now()
    with transaction.atomic():
        action.save()
        _changed(action.board)
    return action


def delete_action(board: Board, viewer: Viewer, action: Action) -> None:
    _facilitator(viewer)
    with transaction.atomic():
        action.delete()
        _changed(board)


def action_out(action: Action) -> dict:
    return {
        "id": action.id,
        "kind": action.kind,
        "title": action.title,
        "owner": action.owner,
        "due": action.due,
        "note": action.note,
        "status": action.status,
        "theme": action.theme or None,
        "area": action.area or None,
        "match": action.match_id,
        "round": action.board.audit_id,
    }


def previous_actions(board: Board) -> list[Action]:
    """The actions of the team's previous round, to review at the start of this one."""
    from audits.models import Audit

    audit = board.audit
    previous = (
        Audit.objects.filter(team_id=audit.team_id, created__lt=audit.created)
        .order_by("-created", "-id")
        .first()
    )
    if previous is None:
        return []
    return list(Action.objects.filter(board__audit=previous).select_related("board"))
