"""Audit rounds for leaders: create, invitations, participation, results, close, board phase."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt, model_validator

from api.auth import AUTH, require_leader
from api.errors import ApiError
from audits.access import audit_for_leader, team_for_leader
from audits.instruments import builtin_instrument, visible_instruments
from audits.results import results_for
from audits.rounds import MeetingSlot, live_invitations, participation, start_round

router = Router(tags=["audits"], auth=AUTH)


class MeetingIn(Schema):
    starts_at: datetime
    ends_at: datetime | None = None
    location: str = Field("", max_length=200)

    @model_validator(mode="after")
    def ends_after_start(self):
        if self.ends_at and self.ends_at <= self.starts_at:
            raise ValueError("The meeting must end after it starts.")
        return self


class AuditIn(Schema):
    team: StrictInt
    instrument: StrictInt | None = None
    title: str = Field(min_length=1, max_length=200)
    anonymous: bool = True
    closes_at: datetime | None = None
    meeting: MeetingIn | None = None

    @model_validator(mode="after")
    def times_make_sense(self):
        stamps = [self.closes_at] + (
            [self.meeting.starts_at, self.meeting.ends_at] if self.meeting else []
        )
        if any(t is not None and t.tzinfo is None for t in stamps):
            raise ValueError("Times need an offset, e.g. 2026-03-05T15:30:00+00:00.")
        if self.closes_at and self.closes_at <= timezone.now():
            raise ValueError("The closing date must be in the future.")
        return self


class MeetingOut(Schema):
    starts_at: datetime
    ends_at: datetime | None
    location: str


class AuditOut(Schema):
    id: int
    team: int
    instrument: int
    title: str
    anonymous: bool
    status: str
    closes_at: datetime | None
    meeting: MeetingOut | None


def audit_out(audit) -> dict:
    meeting = None
    if audit.meeting_starts_at:
        meeting = {
            "starts_at": audit.meeting_starts_at,
            "ends_at": audit.meeting_ends_at,
            "location": audit.meeting_location,
        }
    return {
        "id": audit.id,
        "team": audit.team_id,
        "instrument": audit.instrument_id,
        "title": audit.title,
        "anonymous": audit.anonymous,
        "status": audit.status,
        "closes_at": audit.closes_at,
        "meeting": meeting,
    }


class InvitationOut(Schema):
    member: int
    name: str
    url: str
    token: str


@router.get("", response=list[AuditOut])
def list_audits(request):
    """Your audit rounds, newest first (only rounds of teams you lead)."""
    from audits.models import Audit

    return [audit_out(a) for a in Audit.objects.for_leader(require_leader(request))]


@router.post("", response={201: AuditOut})
def create_audit(request, payload: AuditIn):
    """Start a round for one of your teams: every current member gets a personal link."""
    user = require_leader(request)
    team = team_for_leader(user, payload.team)
    if payload.instrument is None:
        instrument = builtin_instrument()
    else:
        builtin_instrument()
        instrument = visible_instruments(user.school).filter(pk=payload.instrument).first()
        if instrument is None:
            raise ApiError(
                422,
                "No such instrument.",
                [{"loc": ["body", "instrument"], "msg": "No such instrument."}],
            )
    meeting = None
    if payload.meeting:
        meeting = MeetingSlot(
            payload.meeting.starts_at, payload.meeting.ends_at, payload.meeting.location.strip()
        )
    audit = start_round(
        team,
        instrument,
        payload.title.strip(),
        anonymous=payload.anonymous,
        closes_at=payload.closes_at,
        meeting=meeting,
    )
    return Status(201, audit_out(audit))


@router.get("/{audit}", response=AuditOut)
def get_audit(request, audit: int):
    """One of your rounds: status, anonymity, closing date and meeting slot."""
    return audit_out(audit_for_leader(require_leader(request), audit))


@router.get("/{audit}/invitations", response=list[InvitationOut])
def invitations(request, audit: int):
    """Each member's personal link (`/i/<token>`), to copy and share; shown again at any time."""
    audit_obj = audit_for_leader(require_leader(request), audit)
    return [
        {"member": i.member_id, "name": i.member.name, "url": i.url, "token": i.token}
        for i in live_invitations(audit_obj)
    ]


@router.post("/{audit}/invitations/{member}/revoke", response=InvitationOut)
def revoke_invitation(request, audit: int, member: int):
    """Revoke a member's link and make a new one (the old link stops working at once)."""
    audit_obj = audit_for_leader(require_leader(request), audit)
    # member__pk, not member_id: an id too large for the column is simply not found.
    invitation = live_invitations(audit_obj).filter(member__pk=member).first()
    if invitation is None:
        raise ApiError(404, "Not found.")
    fresh = invitation.revoke_and_reissue()
    return {
        "member": fresh.member_id,
        "name": fresh.member.name,
        "url": fresh.url,
        "token": fresh.token,
    }


class WhoOut(Schema):
    member: int
    name: str
    responded: bool


class ParticipationOut(Schema):
    invited: int
    responded: int
    who: list[WhoOut] | None = None


@router.get("/{audit}/participation", response=ParticipationOut, exclude_none=True)
def get_participation(request, audit: int):
    """How many were invited and how many submitted; `who` only in named rounds."""
    return participation(audit_for_leader(require_leader(request), audit))


@router.get("/{audit}/results")
def get_results(request, audit: int):
    """Aggregates of submitted answers; in anonymous rounds figures from < 3 people are
    suppressed (`suppressed: true`, no figures)."""
    result = results_for(audit_for_leader(require_leader(request), audit))
    for row in result["areas"] + result["statements"]:
        if row["suppressed"]:
            for key in (
                "n",
                "mean",
                "median",
                "distribution",
                "spread",
                "people",
                "not_applicable",
            ):
                row.pop(key, None)
    return result


class StatusOut(Schema):
    status: str


@router.post("/{audit}/close", response=StatusOut)
def close_audit(request, audit: int):
    """Close the round: answers can no longer change (later PUT /me/answers gives 409)."""
    audit_obj = audit_for_leader(require_leader(request), audit)
    audit_obj.close()
    return {"status": audit_obj.status}
