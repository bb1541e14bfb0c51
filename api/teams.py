"""Teams and their members."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from accounts.models import Member, Team
from api.auth import AUTH, require_leader
from api.errors import ApiError
from audits.access import team_for_leader
from audits.rounds import add_members_to_open_rounds

router = Router(tags=["teams"], auth=AUTH)


class TeamIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["department", "phase", "leaders"] = "department"


class TeamOut(Schema):
    id: int
    name: str
    kind: str


class MemberIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)

    @field_validator("name")
    @classmethod
    def name_has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("A name is needed.")
        return value

    @field_validator("email")
    @classmethod
    def email_is_valid(cls, value: str | None) -> str | None:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValueError(f"'{value}' is not an e-mail address.") from None
        return value or None


class MembersIn(Schema):
    members: list[MemberIn] = Field(min_length=1, max_length=500)


class MemberOut(Schema):
    id: int
    name: str
    email: str


@router.get("", response=list[TeamOut])
def list_teams(request):
    """The teams you lead."""
    return Team.objects.for_leader(require_leader(request))


@router.post("", response={201: TeamOut})
def create_team(request, payload: TeamIn):
    """Create a team (department, phase or leaders' group) in your school."""
    user = require_leader(request)
    team = Team.objects.create(
        school=user.school, leader=user, name=payload.name.strip(), kind=payload.kind
    )
    return Status(201, team)


@router.get("/{team}/members", response=list[MemberOut])
def list_members(request, team: int):
    """The current members of one of your teams."""
    return team_for_leader(require_leader(request), team).members.current()


@router.post("/{team}/members", response={201: list[MemberOut]})
def add_members(request, team: int, payload: MembersIn):
    """Add members; all or nothing. Members join any open round of the team at once.
    An e-mail address already in the team, or given twice, is refused (422)."""
    team_obj = team_for_leader(require_leader(request), team)
    existing = {e.lower() for e in team_obj.members.current().values_list("email", flat=True) if e}
    errors, given = [], set()
    for index, member in enumerate(payload.members):
        email = (member.email or "").lower()
        if not email:
            continue
        if email in existing:
            msg = f"{email} is already in the team."
        elif email in given:
            msg = f"{email} is given twice."
        else:
            given.add(email)
            continue
        errors.append({"loc": ["body", "members", index, "email"], "msg": msg})
    if errors:
        raise ApiError(422, errors[0]["msg"], errors)
    with transaction.atomic():
        created = Member.objects.bulk_create(
            [
                Member(team=team_obj, name=" ".join(m.name.split()), email=(m.email or "").lower())
                for m in payload.members
            ]
        )
        add_members_to_open_rounds(team_obj)
    return Status(201, created)
