"""Who is looking at a board: the round's leader (facilitator) or one of its members."""

from __future__ import annotations

from accounts.models import User
from audits.access import audit_for_leader, audit_for_participant
from audits.models import Invitation
from board.models import Board
from board.notes import board_for
from board.visibility import Viewer


def board_and_viewer(
    user: User | None, invitation: Invitation | None, audit_id: int
) -> tuple[Board, Viewer]:
    """404 for anyone who is neither the round's leader nor invited to it."""
    if user is not None:
        audit = audit_for_leader(user, audit_id)
        return board_for(audit), Viewer(audit.id, True, f"u{user.id}")
    audit = audit_for_participant(invitation, audit_id)
    return board_for(audit), Viewer(audit.id, False, f"m{invitation.member_id}")
