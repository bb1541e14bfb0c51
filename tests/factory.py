"""A plain test factory: small functions that make the objects tests need."""

from __future__ import annotations

import itertools

from accounts.models import ApiToken, Member, School, Team, User
from audits.answers import AnswerIn, save_answers
from audits.instruments import builtin_instrument
from audits.models import Audit, Invitation, Item, ItemKind
from audits.rounds import MeetingSlot, start_round

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"


def school(name: str = "") -> School:
    return School.objects.create(name=name or f"School {next(_seq)}")


def leader(school_obj: School | None = None, *, role: str = "leader", name: str = "") -> User:
    n = next(_seq)
    return User.objects.create_user(
        f"leader{n}@example.org",
        PASSWORD,
        name=name or f"Leader {n}",
        school=school_obj or school(),
        role=role,
    )


def token_for(user: User) -> str:
    return ApiToken.issue(user)[1]


def team(owner: User, *, members: int = 0, name: str = "Science", kind: str = "department") -> Team:
    team_obj = Team.objects.create(school=owner.school, leader=owner, name=name, kind=kind)
    for i in range(members):
        Member.objects.create(
            team=team_obj,
            name=f"Teacher {i + 1}",
            email=f"teacher{i + 1}.{team_obj.id}@example.org",
        )
    return team_obj


def audit(
    team_obj: Team,
    *,
    anonymous: bool = True,
    title: str = "Autumn audit",
    meeting: MeetingSlot | None = None,
) -> Audit:
    return start_round(team_obj, builtin_instrument(), title, anonymous=anonymous, meeting=meeting)


def invitation(audit_obj: Audit, member: Member) -> Invitation:
    return audit_obj.invitations.active().get(member=member)


def statements(audit_obj: Audit) -> list[Item]:
    return list(
        Item.objects.filter(
            area__instrument=audit_obj.instrument, kind=ItemKind.STATEMENT
        ).select_related("area")
    )


def answer_all(audit_obj: Audit, member: Member, rating_for, *, submit: bool = True) -> None:
    """Answer every statement and question with rating_for(item) (None = not applicable)."""
    items = Item.objects.filter(area__instrument=audit_obj.instrument)
    save_answers(
        audit_obj, member.id, [AnswerIn(i.id, rating_for(i)) for i in items], submit=submit
    )
