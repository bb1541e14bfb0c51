"""The senior leader's view of the school: GET /school."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.errors import HttpError

from api.auth import AUTH, require_leader
from school.access import school_for_senior
from school.overview import school_overview

router = Router(tags=["school"], auth=AUTH)


class SchoolRef(Schema):
    id: int
    name: str


class RoundRef(Schema):
    id: int
    title: str
    status: str
    anonymous: bool
    created: datetime


class TeamParticipation(Schema):
    id: int
    name: str
    kind: str
    round: RoundRef | None
    invited: int
    responded: int


class Signal(Schema):
    key: str
    title: str
    area: str | None
    teams: int
    team_names: list[str]
    named_by: list[str]
    audit_teams: list[str]
    themes: list[str]
    support: int | None
    mean: float | None
    people: int | None
    recurring: bool


class AreaFigure(Schema):
    key: str
    title: str
    mean: float | None
    people: int | None
    teams: int
    suppressed: bool


class SchoolOut(Schema):
    school: SchoolRef
    min_group: int
    teams: list[TeamParticipation]
    needs: list[Signal]
    strengths: list[Signal]
    areas: list[AreaFigure]


@router.get("/school", response=SchoolOut)
def get_school(request):
    """Senior leaders only (403 for others), and only their own school.

    `needs` are training needs across teams, `strengths` what the school does well: those
    two or more teams point at come first. A team points at an area when its board named it
    (`named_by`, a theme from at least `min_group` people) or when its audit put the area
    among its three weakest (strongest) (`audit_teams`). Every figure is from at least
    `min_group` people or is null.
    """
    user = require_leader(request)
    try:
        school = school_for_senior(user)
    except PermissionDenied:
        raise HttpError(403, "This needs a senior leader.") from None
    return school_overview(school)
