"""The board's pages: the facilitator's projector view, the participant's phone view, and the
join page the projector's QR code points at (it carries no secret)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from audits.access import audit_for_leader, session_invitation
from audits.models import Area
from board.models import Chart, Phase
from board.notes import board_for, counts


def _areas(audit) -> list[dict]:
    return list(Area.objects.filter(instrument_id=audit.instrument_id).values("key", "title"))


def _qr_svg(url: str) -> str:
    """The join address as an inline SVG (drawn here: no third-party service sees it)."""
    svg = segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=True)
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code to join" ', 1))


@login_required
def facilitator_board(request, audit_id: int):
    audit = audit_for_leader(request.user, audit_id)
    board = board_for(audit)
    join_url = settings.SITE_URL + reverse("board-join", args=[audit.id])
    return render(
        request,
        "board/facilitator.html",
        {
            "audit": audit,
            "board": board,
            "counts": counts(board),
            "areas": _areas(audit),
            "phases": Phase.choices,
            "charts": Chart.choices,
            "join_url": join_url,
            "qr": _qr_svg(join_url),
        },
    )


def join(request, audit_id: int):
    """Where the QR code leads: straight onto the board for a member whose phone has opened
    their invitation link before; everyone else is told how to get in."""
    if session_invitation(request.session, audit_id) is not None:
        return redirect("participant-board", audit_id)
    return render(request, "board/join.html", {"audit_id": audit_id})


def participant_board(request, audit_id: int):
    invitation = session_invitation(request.session, audit_id)
    if invitation is None:
        return redirect("board-join", audit_id)
    audit = invitation.audit
    board = board_for(audit)
    return render(
        request,
        "board/participant.html",
        {
            "audit": audit,
            "board": board,
            "member": invitation.member,
            "areas": _areas(audit),
            "charts": Chart.choices,
        },
    )
