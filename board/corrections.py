"""People correcting the automatic grouping: move, merge, split, rename, reset.

A correction is stored as a pin on each note it touches (Note.theme) or a label on the board,
so no later automatic pass undoes it. Each correction is one numbered `themes.updated` event.
"""

from __future__ import annotations

from django.db import transaction

from board.events import NoteUpdated, ThemesUpdated, record
from board.models import Board, Note, Phase
from board.notes import BoardError
from board.themes import compute_themes, new_custom_key
from board.visibility import Viewer

MAX_LABEL = 80


def _may_correct(board: Board, viewer: Viewer) -> None:
    if board.phase == Phase.CLOSED:
        raise BoardError(409, "The board is closed.")
    if board.locked and not viewer.facilitator:
        raise BoardError(409, "The facilitator has locked the board for now.")
    if not viewer.facilitator and board.phase != Phase.GROUP:
        raise BoardError(
            403,
            "Themes can be changed by everyone while grouping, and by the facilitator at any time.",
        )


def _themes_by_key(board: Board) -> dict:
    return {t.key: t for t in compute_themes(board)}


def _label(text: str) -> str:
    text = " ".join((text or "").split())
    if not text or len(text) > MAX_LABEL:
        raise BoardError(
            422, f"A theme's name needs 1 to {MAX_LABEL} characters.", ["body", "label"]
        )
    return text


def _pin(board: Board, notes: list[Note], key: str) -> None:
    named = not board.audit.anonymous
    for note in notes:
        note.theme = key
        note.save(update_fields=["theme"])
        record(board, NoteUpdated(note), named=named)


def _done(board: Board) -> None:
    record(board, ThemesUpdated(), named=not board.audit.anonymous)


def rename(board: Board, viewer: Viewer, key: str, label: str) -> None:
    _may_correct(board, viewer)
    if key not in _themes_by_key(board):
        raise BoardError(404, "No such theme.")
    with transaction.atomic():
        labels = dict(board.theme_labels or {})
        labels[key] = _label(label)
        Board.objects.filter(pk=board.pk).update(theme_labels=labels)
        board.theme_labels = labels
        _done(board)


def merge(board: Board, viewer: Viewer, key: str, into: str) -> None:
    """Move every note of theme `key` into theme `into` (same chart)."""
    _may_correct(board, viewer)
    themes = _themes_by_key(board)
    if key not in themes or into not in themes:
        raise BoardError(404, "No such theme.")
    if themes[key].chart != themes[into].chart:
        raise BoardError(422, "Themes can only be merged within one chart.", ["body", "into"])
    with transaction.atomic():
        # Pin the target's notes too, so the merged theme stays whole on the next pass.
        ids = [*themes[key].note_ids, *themes[into].note_ids]
        _pin(board, list(Note.objects.filter(board=board, pk__in=ids)), into)
        _done(board)


def split(board: Board, viewer: Viewer, note_ids: list[int], label: str) -> str:
    """Make a new theme from some notes of one chart; returns its key."""
    _may_correct(board, viewer)
    label = _label(label)
    notes = list(Note.objects.live().filter(board=board, pk__in=note_ids, hidden=False))
    if not notes or len(notes) != len(set(note_ids)):
        raise BoardError(422, "Choose notes that are on the board.", ["body", "notes"])
    if len({n.chart for n in notes}) > 1:
        raise BoardError(422, "A theme holds notes of one chart only.", ["body", "notes"])
    with transaction.atomic():
        key = new_custom_key(board)
        labels = dict(board.theme_labels or {})
        labels[key] = label
        Board.objects.filter(pk=board.pk).update(theme_labels=labels)
        board.theme_labels = labels
        _pin(board, notes, key)
        _done(board)
    return key


def move(board: Board, viewer: Viewer, note: Note, key: str) -> None:
    """Put one note into an existing theme of its chart."""
    _may_correct(board, viewer)
    theme = _themes_by_key(board).get(key)
    if theme is None or theme.chart != note.chart:
        raise BoardError(422, "Choose a theme on the note's own chart.", ["body", "theme"])
    with transaction.atomic():
        _pin(board, [note], key)
        _done(board)


def reset(board: Board, viewer: Viewer) -> None:
    """The facilitator returns to the automatic grouping (corrections and names cleared)."""
    if not viewer.facilitator:
        raise BoardError(403, "Only the facilitator can reset the grouping.")
    with transaction.atomic():
        pinned = list(Note.objects.filter(board=board).exclude(theme=""))
        Board.objects.filter(pk=board.pk).update(theme_labels={})
        board.theme_labels = {}
        for note in pinned:
            note.theme = ""
            note.save(update_fields=["theme"])
            record(board, NoteUpdated(note), named=not board.audit.anonymous)
        _done(board)
