"""The board's live events: small typed classes with dotted names, numbered per board, saved in
the same transaction as the change and broadcast only after commit.

The channel layer is at-most-once: it carries hints, the Event table is the record, and a
client that misses one asks again with `since` (RELIABILITY.md §2).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import ClassVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from board.models import Board, Event, Note
from board.visibility import note_data

log = logging.getLogger("flipchart.board")


def group_name(audit_id: int) -> str:
    return f"board-{audit_id}"


@dataclass
class BoardEvent:
    type: ClassVar[str]
    note: Note | None = None
    payload: dict = field(default_factory=dict)


class NoteCreated(BoardEvent):
    type = "note.created"


class NoteUpdated(BoardEvent):
    type = "note.updated"


class NoteDeleted(BoardEvent):
    type = "note.deleted"


class BoardUpdated(BoardEvent):
    type = "board.updated"


class ThemesUpdated(BoardEvent):
    type = "themes.updated"


class MatchesUpdated(BoardEvent):
    """Someone was asked to pair up, or answered: clients fetch the matches again."""

    type = "matches.updated"


class ActionsUpdated(BoardEvent):
    type = "actions.updated"


def board_state(board: Board) -> dict:
    return {
        "phase": board.phase,
        "locked": board.locked,
        "timer_ends_at": board.timer_ends_at.isoformat() if board.timer_ends_at else None,
    }


def next_seq(board: Board) -> int:
    """Take the board's next event number. Call inside the writing transaction: the row lock
    (PostgreSQL) or the IMMEDIATE write lock (SQLite) keeps numbers gap-free and unique."""
    Board.objects.filter(pk=board.pk).update(seq=F("seq") + 1)
    board.seq = Board.objects.values_list("seq", flat=True).get(pk=board.pk)
    return board.seq


def record(board: Board, event: BoardEvent, *, named: bool) -> Event:
    """Number and save an event, and broadcast it once the transaction commits."""
    seq = next_seq(board)
    if event.note is not None:
        Note.objects.filter(pk=event.note.pk).update(seq=seq)
        event.note.seq = seq
    row = Event.objects.create(
        board=board, seq=seq, type=event.type, note=event.note, payload=event.payload
    )
    message = {
        "type": "board.event",
        "seq": seq,
        "event_type": event.type,
        "revealed": board.revealed,
        "note": note_data(event.note, named=named) if event.note is not None else None,
        "board": event.payload.get("board"),
    }
    transaction.on_commit(lambda: broadcast(board.audit_id, message))
    return row


def broadcast(audit_id: int, message: dict) -> None:
    """Send a hint to every socket on the board. A failure loses nothing: clients catch up."""
    try:
        async_to_sync(get_channel_layer().group_send)(group_name(audit_id), message)
    except Exception:  # Redis down, channel full: the database still has the event
        log.warning(
            "broadcast failed for board %s seq %s", audit_id, message.get("seq"), exc_info=True
        )
