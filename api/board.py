"""The meeting board over HTTP: notes, the board's phase, lock and timer."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from api.auth import AUTH, Caller, require_leader
from api.errors import ApiError
from board import corrections
from board.access import board_and_viewer
from board.events import board_state
from board.notes import (
    BoardError,
    change_board,
    counts,
    create_note,
    delete_note,
    notes_since,
    update_note,
    visible_note,
)
from board.suggestions import suggestions_for
from board.visibility import note_data, note_for

router = Router(tags=["board"], auth=AUTH)


def _board(request, audit: int):
    caller: Caller = request.auth
    return board_and_viewer(caller.user, caller.invitation, audit)


def _fail(exc: BoardError):
    return ApiError(exc.status, exc.msg, exc.errors)


class NoteIn(Schema):
    chart: Literal["strength", "improvement"]
    text: str = Field(max_length=2000)
    area: str | None = Field(None, max_length=64)
    client_id: str = Field(min_length=1, max_length=64)


class NotePatch(Schema):
    text: str | None = Field(None, max_length=2000)
    area: str | None = Field(None, max_length=64)
    theme: str | None = Field(None, max_length=100)
    hidden: bool | None = None


class BoardPatch(Schema):
    phase: Literal["write", "reveal", "group", "find", "agree", "closed"] | None = None
    locked: bool | None = None
    timer_seconds: int | None = Field(None, description="Start a phase timer; 0 stops it")


def _note_out(board, viewer, note) -> dict:
    return note_for(viewer, note_data(note, named=not board.audit.anonymous))


@router.post("/{audit}/notes", response={200: dict, 201: dict})
def post_note(request, audit: int, payload: NoteIn):
    """Add a note. The same `client_id` again answers 200 with the same note, never a copy."""
    board, viewer = _board(request, audit)
    try:
        note, created = create_note(
            board,
            viewer,
            chart=payload.chart,
            text=payload.text,
            area=payload.area,
            client_id=payload.client_id,
        )
    except BoardError as exc:
        raise _fail(exc) from None
    return Status(201 if created else 200, _note_out(board, viewer, note))


@router.get("/{audit}/notes")
def get_notes(request, audit: int, since: int = 0):
    """Every note the caller may see, changed after `since` (an event number)."""
    board, viewer = _board(request, audit)
    return {"seq": board.seq, "notes": notes_since(board, viewer, max(since, 0))}


@router.patch("/{audit}/notes/{note}")
def patch_note(request, audit: int, note: int, payload: NotePatch):
    """Change a note: its author the text or area; theme while grouping; the facilitator may
    move any note and hide or show it."""
    board, viewer = _board(request, audit)
    try:
        row = visible_note(board, viewer, note)
        changes = payload.model_dump(exclude_unset=True)
        theme = changes.pop("theme", None)
        row = update_note(board, viewer, row, changes)
        if theme:
            corrections.move(board, viewer, row, theme)
    except BoardError as exc:
        raise _fail(exc) from None
    return _note_out(board, viewer, row)


@router.delete("/{audit}/notes/{note}", response={204: None})
def remove_note(request, audit: int, note: int):
    """Delete one's own note (the facilitator may delete any)."""
    board, viewer = _board(request, audit)
    try:
        delete_note(board, viewer, visible_note(board, viewer, note))
    except BoardError as exc:
        raise _fail(exc) from None
    return HttpResponse(status=204)


@router.get("/{audit}/board")
def get_board(request, audit: int):
    """The board's phase, lock, timer, last event number and note counts."""
    board, _ = _board(request, audit)
    return {**board_state(board), "seq": board.seq, "counts": counts(board)}


@router.patch("/{audit}/board")
def patch_board(request, audit: int, payload: BoardPatch):
    """Move the phase (forward any number, back one), lock or unlock, start the timer."""
    require_leader(request)
    board, _ = _board(request, audit)
    try:
        change_board(
            board, phase=payload.phase, locked=payload.locked, timer_seconds=payload.timer_seconds
        )
    except BoardError as exc:
        raise _fail(exc) from None
    return board_state(board)


@router.get("/{audit}/suggestions")
def get_suggestions(request, audit: int):
    """Note ideas from the caller's own audit answers (participants; leaders get none)."""
    caller: Caller = request.auth
    board, _ = _board(request, audit)
    if caller.invitation is None:
        return []
    return suggestions_for(board.audit, caller.invitation.member_id)
