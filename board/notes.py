"""What people do on the board: write, edit, move, hide and delete notes; move the phase.

Each change and its numbered event are saved in one transaction (events.record)."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from audits.models import Area, Audit
from board.events import (
    BoardUpdated,
    NoteCreated,
    NoteDeleted,
    NoteUpdated,
    board_state,
    record,
)
from board.models import MAX_NOTE, PHASE_ORDER, Board, Chart, Event, Note, Phase
from board.visibility import Viewer, can_see, note_data, note_for, view_event

MAX_TIMER_SECONDS = 3 * 3600


class BoardError(Exception):
    def __init__(self, status: int, msg: str, loc: list | None = None):
        super().__init__(msg)
        self.status, self.msg = status, msg
        self.errors = [{"loc": loc, "msg": msg}] if loc else []


def board_for(audit: Audit) -> Board:
    """A round's board exists from its creation (made on first use)."""
    board, _ = Board.objects.select_related("audit").get_or_create(audit=audit)
    return board


def _writable(board: Board, viewer: Viewer) -> None:
    if board.phase == Phase.CLOSED:
        raise BoardError(409, "The board is closed.")
    if board.locked and not viewer.facilitator:
        raise BoardError(
            409,
            "The facilitator has locked the board for now; "
            "your note is kept on your device until it opens again.",
        )


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise BoardError(422, "Write something on the note first.", ["body", "text"])
    if len(text) > MAX_NOTE:
        raise BoardError(
            422,
            f"A note holds up to {MAX_NOTE} characters; this has {len(text)}. "
            "Split it into two ideas?",
            ["body", "text"],
        )
    return text


def _clean_area(audit: Audit, area: str | None) -> str:
    if not area:
        return ""
    if not Area.objects.filter(instrument_id=audit.instrument_id, key=area).exists():
        raise BoardError(422, f"'{area}' is not an area of this audit.", ["body", "area"])
    return area


def _author_fields(viewer: Viewer) -> dict:
    kind, ident = viewer.author_key[0], int(viewer.author_key[1:])
    return {"author_member_id": ident} if kind == "m" else {"author_user_id": ident}


def _named(board: Board) -> bool:
    return not board.audit.anonymous


def create_note(
    board: Board, viewer: Viewer, *, chart: str, text: str, area: str | None, client_id: str
) -> tuple[Note, bool]:
    """Create a note, or return the one already made with this client_id (created=False)."""
    if not client_id or len(client_id) > 64:
        raise BoardError(422, "client_id must be 1 to 64 characters.", ["body", "client_id"])
    existing = Note.objects.filter(board=board, client_id=client_id).first()
    if existing is not None:
        return _same_author(existing, viewer), False
    _writable(board, viewer)
    if chart not in Chart.values:
        raise BoardError(422, "chart must be 'strength' or 'improvement'.", ["body", "chart"])
    text, area = _clean_text(text), _clean_area(board.audit, area)
    try:
        with transaction.atomic():
            note = Note.objects.create(
                board=board,
                chart=chart,
                text=text,
                area=area,
                client_id=client_id,
                **_author_fields(viewer),
            )
            record(board, NoteCreated(note), named=_named(board))
    except IntegrityError:  # the same client_id raced in from a retry
        existing = Note.objects.get(board=board, client_id=client_id)
        return _same_author(existing, viewer), False
    return note, True


def _same_author(note: Note, viewer: Viewer) -> Note:
    if note.author_key != viewer.author_key:
        raise BoardError(
            409, "This client_id is already used by another note.", ["body", "client_id"]
        )
    return note


def visible_note(board: Board, viewer: Viewer, note_id: int) -> Note:
    note = (
        Note.objects.live()
        .select_related("author_member", "author_user")
        .filter(board=board, pk=note_id)
        .first()
    )
    if note is None or not can_see(viewer, note_data(note, named=False), board.revealed):
        raise BoardError(404, "Not found.")
    return note


def update_note(board: Board, viewer: Viewer, note: Note, changes: dict) -> Note:
    """Authors change text and area; the facilitator may hide or show any note.
    (Moving a note between themes is board.corrections.move.)"""
    _writable(board, viewer)
    mine = note.author_key == viewer.author_key
    fields = []
    if "text" in changes or "area" in changes:
        if not mine:
            raise BoardError(403, "Only the note's author can change its words or area.")
        if "text" in changes:
            note.text = _clean_text(changes["text"])
            fields.append("text")
        if "area" in changes:
            note.area = _clean_area(board.audit, changes["area"])
            fields.append("area")
    if "hidden" in changes:
        if not viewer.facilitator:
            raise BoardError(403, "Only the facilitator can hide a note.")
        note.hidden = bool(changes["hidden"])
        fields.append("hidden")
    if not fields:
        return note
    note.updated = timezone.now()
    with transaction.atomic():
        note.save(update_fields=[*fields, "updated"])
        record(board, NoteUpdated(note), named=_named(board))
    return note


def delete_note(board: Board, viewer: Viewer, note: Note) -> None:
    _writable(board, viewer)
    if note.author_key != viewer.author_key and not viewer.facilitator:
        raise BoardError(403, "Only the note's author can delete it.")
    note.deleted = timezone.now()
    with transaction.atomic():
        note.save(update_fields=["deleted"])
        record(board, NoteDeleted(note), named=_named(board))


def change_board(
    board: Board,
    *,
    phase: str | None = None,
    locked: bool | None = None,
    timer_seconds: int | None = None,
) -> Board:
    """The facilitator's controls: phase (forward any, back one), lock, phase timer."""
    fields = []
    if phase is not None and phase != board.phase:
        if phase not in PHASE_ORDER:
            raise BoardError(
                422, f"phase must be one of {', '.join(PHASE_ORDER)}.", ["body", "phase"]
            )
        if not board.can_move_to(phase):
            raise BoardError(
                409,
                f"The board can step back only one phase, from "
                f"'{board.phase}' to '{PHASE_ORDER[PHASE_ORDER.index(board.phase) - 1]}'.",
                ["body", "phase"],
            )
        board.phase = phase
        board.timer_ends_at = None
        fields += ["phase", "timer_ends_at"]
    if locked is not None and locked != board.locked:
        board.locked = locked
        fields.append("locked")
    if timer_seconds is not None:
        if not 0 <= timer_seconds <= MAX_TIMER_SECONDS:
            raise BoardError(
                422, "The timer runs from 0 to 3 hours (0 stops it).", ["body", "timer_seconds"]
            )
        board.timer_ends_at = (
            timezone.now() + timedelta(seconds=timer_seconds) if timer_seconds else None
        )
        fields.append("timer_ends_at")
    if not fields:
        return board
    board.updated = timezone.now()
    with transaction.atomic():
        board.save(update_fields=[*set(fields), "updated"])
        record(board, BoardUpdated(payload={"board": board_state(board)}), named=_named(board))
    return board


def notes_since(board: Board, viewer: Viewer, since: int) -> list[dict]:
    """Every note the viewer may see that changed after `since` (deleted ones as {id, deleted})."""
    named = _named(board)
    rows = (
        Note.objects.filter(board=board, seq__gt=since)
        .select_related("author_member", "author_user")
        .order_by("seq")
    )
    out = []
    for note in rows:
        data = note_data(note, named=named)
        visible = can_see(viewer, data, board.revealed)
        if data["_deleted"] or (not visible and board.revealed and data["_hidden"]):
            if since > 0 and (visible or board.revealed):
                out.append({"id": note.id, "seq": note.seq, "deleted": True})
            continue
        if visible:
            out.append(note_for(viewer, data))
    return out


def events_since(board: Board, viewer: Viewer, since: int, until: int | None = None) -> list[dict]:
    """The events after `since` (up to `until`) this viewer may see, for a (re)connecting socket.

    Notes are shown as they are now, so a client that replays converges on the current board.
    """
    named = _named(board)
    rows = (
        Event.objects.filter(board=board, seq__gt=since)
        .select_related("note__author_member", "note__author_user")
        .order_by("seq")
    )
    if until is not None:
        rows = rows.filter(seq__lte=until)
    out = []
    for row in rows:
        event = {
            "seq": row.seq,
            "type": row.type,
            "revealed": board.revealed,
            "note": note_data(row.note, named=named) if row.note_id else None,
            "board": row.payload.get("board"),
        }
        shown = view_event(viewer, event)
        if shown is not None:
            out.append(shown)
    return out


def counts(board: Board) -> dict:
    rows = Note.objects.live().filter(board=board, hidden=False)
    return {chart: rows.filter(chart=chart).count() for chart in Chart.values}
