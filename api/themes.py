"""Themes on the board: the automatic grouping and people's corrections to it."""

from __future__ import annotations

from ninja import Field, Router, Schema, Status

from api.auth import AUTH, Caller
from api.errors import ApiError
from board import corrections
from board.access import board_and_viewer
from board.notes import BoardError
from board.themes import themes_for

router = Router(tags=["themes"], auth=AUTH)


def _board(request, audit: int, *, revealed: bool = True):
    caller: Caller = request.auth
    board, viewer = board_and_viewer(caller.user, caller.invitation, audit)
    if revealed and not board.revealed:
        raise ApiError(409, "Themes are found from the reveal on, when everyone's notes are in.")
    return board, viewer


def _run(fn, *args):
    try:
        return fn(*args)
    except BoardError as exc:
        raise ApiError(exc.status, exc.msg, exc.errors) from None


class ThemeOut(Schema):
    id: str = Field(description="A string: 'chart:area:n' automatic, 'custom:n' made by people")
    label: str
    area: str | None = None
    notes: list[int]
    participants: int
    recurring: bool


class ThemesOut(Schema):
    strength: list[ThemeOut]
    improvement: list[ThemeOut]


class RenameIn(Schema):
    label: str = Field(max_length=200)


class MergeIn(Schema):
    into: str = Field(max_length=100)


class SplitIn(Schema):
    label: str = Field(max_length=200)
    notes: list[int] = Field(min_length=1, max_length=500)


@router.get("/{audit}/themes", response=ThemesOut)
def get_themes(request, audit: int):
    """Each chart's notes grouped into themes (computed on request; 409 before the reveal).
    `recurring` is true when a theme's notes come from two or more people."""
    board, _ = _board(request, audit)
    return themes_for(board)


@router.post("/{audit}/themes", response={201: dict})
def split_theme(request, audit: int, payload: SplitIn):
    """Make a new theme from some notes (split); answers its id."""
    board, viewer = _board(request, audit)
    key = _run(corrections.split, board, viewer, payload.notes, payload.label)
    return Status(201, {"id": key})


@router.patch("/{audit}/themes/{theme}", response=ThemesOut)
def rename_theme(request, audit: int, theme: str, payload: RenameIn):
    """Rename a theme, live for everyone."""
    board, viewer = _board(request, audit)
    _run(corrections.rename, board, viewer, theme, payload.label)
    return themes_for(board)


@router.post("/{audit}/themes/{theme}/merge", response=ThemesOut)
def merge_theme(request, audit: int, theme: str, payload: MergeIn):
    """Move every note of this theme into another theme of the same chart."""
    board, viewer = _board(request, audit)
    _run(corrections.merge, board, viewer, theme, payload.into)
    return themes_for(board)


@router.post("/{audit}/themes-reset", response=ThemesOut)
def reset_themes(request, audit: int):
    """The facilitator returns to the automatic grouping."""
    board, viewer = _board(request, audit)
    _run(corrections.reset, board, viewer)
    return themes_for(board)
