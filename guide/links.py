"""Where a step's button leads: the matching place in Flipchart for this leader."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Team, User
from audits.models import Audit

# target name (as written in the content files) → what it opens, for docs/guide.md.
TARGETS: dict[str, str] = {
    "home": "the leader's teams and rounds (create a team there)",
    "team": "the leader's most recent team (add members there)",
    "audit-create": "a new audit round for the most recent team",
    "audit": "the most recent audit round (links, participation, results, meeting slot)",
    "board": "the meeting board of the most recent round",
    "my-notes": "the leader's own guide notes",
}


def _latest_team(user: User) -> Team | None:
    return Team.objects.for_leader(user).order_by("-created", "-id").first()


def _latest_audit(user: User) -> Audit | None:
    return Audit.objects.for_leader(user).order_by("-created", "-id").first()


def action_url(target: str, user: User) -> str:
    """The URL behind a step's button; the teams page when the leader has nothing to open yet."""
    if target in ("team", "audit-create"):
        team = _latest_team(user)
        if team is not None:
            return reverse(target, args=[team.id])
    elif target in ("audit", "board"):
        audit = _latest_audit(user)
        if audit is not None:
            return reverse("facilitator-board" if target == "board" else "audit", args=[audit.id])
    elif target == "my-notes":
        return reverse("guide-notes")
    return reverse("home")
