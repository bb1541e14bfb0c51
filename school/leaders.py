"""The cross-department round: a senior leader with the school's middle leaders.

It runs as an ordinary round of an ordinary team, of kind "leaders", whose leader is the
senior leader and whose members are the middle leaders (from their accounts).
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import Member, Role, Team, TeamKind, User
from audits.rounds import add_members_to_open_rounds

LEADERS_TEAM_NAME = "Middle leaders"


def middle_leaders(senior: User):
    """The school's active middle leaders, who take part in the cross-department round."""
    return User.objects.filter(
        school_id=senior.school_id, role=Role.LEADER, is_active=True
    ).order_by("name", "id")


@transaction.atomic
def leaders_team(senior: User) -> tuple[Team, int]:
    """The senior leader's leaders' group, created if needed, with every middle leader in it.

    Returns the team and how many people were added. A middle leader already in the team —
    or removed from it on purpose — is not added again (matched by e-mail address).
    """
    team = (
        Team.objects.filter(school_id=senior.school_id, leader=senior, kind=TeamKind.LEADERS)
        .order_by("created", "id")
        .first()
    )
    if team is None:
        team = Team.objects.create(
            school_id=senior.school_id,
            leader=senior,
            name=LEADERS_TEAM_NAME,
            kind=TeamKind.LEADERS,
        )
    known = {e.lower() for e in team.members.exclude(email="").values_list("email", flat=True)}
    new = [
        Member(team=team, name=user.name or user.email, email=user.email)
        for user in middle_leaders(senior)
        if user.email.lower() not in known
    ]
    Member.objects.bulk_create(new)
    if new:
        add_members_to_open_rounds(team)
    return team, len(new)
