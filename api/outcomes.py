"""The find and agree phases: recurring strengths, training needs, matches with consent,
and the actions the meeting agrees (with the last round's actions to review)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Router, Schema, Status

from api.auth import AUTH, Caller
from api.errors import ApiError
from board import actions as board_actions
from board import matching
from board.access import board_and_viewer
from board.models import Action
from board.notes import BoardError
from board.themes import find_summary

router = Router(tags=["find and agree"], auth=AUTH)


def _board(request, audit: int):
    caller: Caller = request.auth
    board, viewer = board_and_viewer(caller.user, caller.invitation, audit)
    if not board.revealed:
        raise ApiError(409, "Matches and training needs are found from the reveal on.")
    return board, viewer


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except BoardError as exc:
        raise ApiError(exc.status, exc.msg, exc.errors) from None


@router.get("/{audit}/find")
def get_find(request, audit: int):
    """Recurring strengths to celebrate and training needs, ranked."""
    board, _ = _board(request, audit)
    return find_summary(board)


@router.get("/{audit}/matches")
def get_matches(request, audit: int):
    """For each area for improvement, a colleague's matching strength. `mentor` appears only
    once both people agreed, or at once in a named round."""
    board, viewer = _board(request, audit)
    return [matching.match_out(board, viewer, m) for m in matching.refresh_matches(board)]


def _match(board, match_id: int):
    match = board.matches.select_related("mentor", "improvement_note").filter(pk=match_id).first()
    if match is None:
        raise ApiError(404, "Not found.")
    return match


@router.post("/{audit}/matches/{match}/ask")
def ask_match(request, audit: int, match: int):
    """The facilitator asks both people, privately on their phones."""
    board, viewer = _board(request, audit)
    row = _run(matching.ask, board, viewer, _match(board, match))
    return matching.match_out(board, viewer, row)


class ConsentIn(Schema):
    accept: bool


@router.post("/{audit}/matches/{match}/consent")
def consent_match(request, audit: int, match: int, payload: ConsentIn):
    """Say yes or no to one's own part of a match (the mentor or the learner)."""
    board, viewer = _board(request, audit)
    row = _run(matching.answer, board, viewer, _match(board, match), payload.accept)
    return matching.match_out(board, viewer, row)


class ActionIn(Schema):
    kind: Literal["cpd", "pair"]
    title: str = Field(max_length=200)
    owner: str = Field(max_length=200)
    due: date | None = None
    note: str = Field("", max_length=1000)
    theme: str = Field("", max_length=100)
    area: str = Field("", max_length=64)
    match: int | None = None


class ActionPatch(Schema):
    title: str | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=200)
    due: date | None = None
    note: str | None = Field(None, max_length=1000)
    status: Literal["planned", "ongoing", "done", "dropped"] | None = None


@router.get("/{audit}/actions")
def list_actions(request, audit: int):
    """This round's agreed actions, and the previous round's to review."""
    caller: Caller = request.auth
    board, _ = board_and_viewer(caller.user, caller.invitation, audit)
    return {
        "actions": [board_actions.action_out(a) for a in board.actions.select_related("board")],
        "previous": [board_actions.action_out(a) for a in board_actions.previous_actions(board)],
    }


@router.post("/{audit}/actions", response={201: dict})
def create_action(request, audit: int, payload: ActionIn):
    """Record a CPD action or a peer-support pair (facilitator)."""
    caller: Caller = request.auth
    board, viewer = board_and_viewer(caller.user, caller.invitation, audit)
    data = payload.model_dump()
    action = _run(board_actions.create_action, board, viewer, match_id=data.pop("match"), **data)
    return Status(201, board_actions.action_out(action))


def _action(board, action_id: int) -> Action:
    candidates = {a.id: a for a in board_actions.previous_actions(board)}
    candidates.update({a.id: a for a in board.actions.select_related("board")})
    if action_id not in candidates:
        raise ApiError(404, "Not found.")
    return candidates[action_id]


@router.patch("/{audit}/actions/{action}")
def patch_action(request, audit: int, action: int, payload: ActionPatch):
    """Change an action or its status — also the previous round's, when reviewing them."""
    caller: Caller = request.auth
    board, viewer = board_and_viewer(caller.user, caller.invitation, audit)
    row = _action(board, action)
    row = _run(
        board_actions.update_action, board, viewer, row, payload.model_dump(exclude_unset=True)
    )
    return board_actions.action_out(row)


@router.delete("/{audit}/actions/{action}", response={204: None})
def remove_action(request, audit: int, action: int):
    """Delete an action the meeting no longer wants (facilitator)."""
    caller: Caller = request.auth
    board, viewer = board_and_viewer(caller.user, caller.invitation, audit)
    _run(board_actions.delete_action, board, viewer, _action(board, action))
    return Status(204, None)
