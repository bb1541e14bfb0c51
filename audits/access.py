"""Who may reach which team, round or invitation — written once, used by pages, API and sockets.

Outsiders get 404, never 403: another school's objects do not exist for them.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import Team, User
from audits.models import Audit, Invitation


def team_for_leader(user: User, team_id: int) -> Team:
    team = (
        Team.objects.for_leader(user).filter(pk=team_id).first() if user.is_authenticated else None
    )
    if team is None:
        raise Http404("No such team.")
    return team


def audit_for_leader(user: User, audit_id: int) -> Audit:
    audit = None
    if user.is_authenticated:
        audit = (
            Audit.objects.for_leader(user)
            .select_related("team", "instrument")
            .filter(pk=audit_id)
            .first()
        )
    if audit is None:
        raise Http404("No such audit round.")
    return audit


def audit_for_participant(invitation: Invitation | None, audit_id: int) -> Audit:
    """A participant reaches only the round their own invitation is for."""
    if invitation is None or invitation.audit_id != audit_id:
        raise Http404("No such audit round.")
    return invitation.audit


SESSION_INVITATIONS = "invitations"


def session_invitation(session, audit_id: int | None = None) -> Invitation | None:
    """The invitation a browser opened via its link: for `audit_id`, else the latest opened."""
    ids: dict = session.get(SESSION_INVITATIONS) or {}
    if audit_id is not None:
        chosen = ids.get(str(audit_id))
    else:
        chosen = list(ids.values())[-1] if ids else None
    if chosen is None:
        return None
    return (
        Invitation.objects.active()
        .select_related("audit__team", "audit__instrument", "member")
        .filter(pk=chosen, member__removed__isnull=True)
        .first()
    )


def remember_invitation(session, invitation: Invitation) -> None:
    ids: dict = dict(session.get(SESSION_INVITATIONS) or {})
    ids.pop(str(invitation.audit_id), None)
    ids[str(invitation.audit_id)] = invitation.id
    session[SESSION_INVITATIONS] = ids
