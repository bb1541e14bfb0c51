"""Starting a round, inviting members, participation, and the meeting slot as a calendar file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import Member, Team
from audits.models import Audit, Instrument, Invitation


@dataclass(frozen=True)
class MeetingSlot:
    starts_at: datetime
    ends_at: datetime | None = None
    location: str = ""


@transaction.atomic
def start_round(
    team: Team,
    instrument: Instrument,
    title: str,
    *,
    anonymous: bool,
    closes_at: datetime | None = None,
    meeting: MeetingSlot | None = None,
) -> Audit:
    """Create the round and an invitation for every current member of the team."""
    audit = Audit.objects.create(
        team=team,
        instrument=instrument,
        title=title,
        anonymous=anonymous,
        closes_at=closes_at,
        meeting_starts_at=meeting.starts_at if meeting else None,
        meeting_ends_at=meeting.ends_at if meeting else None,
        meeting_location=meeting.location if meeting else "",
    )
    invite_missing(audit)
    return audit


def invite_missing(audit: Audit) -> list[Invitation]:
    """Invitations for current members who have none yet (members added after the start)."""
    invited = set(audit.invitations.active().values_list("member_id", flat=True))
    return [
        Invitation.issue(audit, member)
        for member in audit.team.members.current()
        if member.id not in invited
    ]


def add_members_to_open_rounds(team: Team) -> None:
    for audit in team.audits.filter(status="open"):
        invite_missing(audit)


def live_invitations(audit: Audit):
    return audit.invitations.active().select_related("member").order_by("member__name", "id")


def participation(audit: Audit) -> dict:
    """`invited` and `responded`; who responded only in named rounds."""
    invitations = list(live_invitations(audit))
    submitted = set(
        audit.responses.filter(submitted__isnull=False).values_list("member_id", flat=True)
    )
    result = {
        "invited": len(invitations),
        "responded": sum(1 for i in invitations if i.member_id in submitted),
    }
    if not audit.anonymous:
        result["who"] = [
            {"member": i.member_id, "name": i.member.name, "responded": i.member_id in submitted}
            for i in invitations
        ]
    return result


def send_invitations(audit: Audit, *, reminder: bool = False) -> int:
    """E-mail each member their link (reminders go only to those who have not submitted).

    Uses Django's mail settings: the console by default, SMTP when EMAIL_HOST is set.
    """
    submitted = set(
        audit.responses.filter(submitted__isnull=False).values_list("member_id", flat=True)
    )
    count = 0
    now = timezone.now()
    for invitation in live_invitations(audit):
        member: Member = invitation.member
        if not member.email or (reminder and member.id in submitted):
            continue
        context = {"audit": audit, "member": member, "url": invitation.url, "reminder": reminder}
        subject = ("Reminder: " if reminder else "") + f"{audit.title} — your audit link"
        send_mail(
            subject,
            render_to_string("audits/email_invitation.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [member.email],
        )
        if reminder:
            invitation.reminded = now
        else:
            invitation.sent = now
        invitation.save(update_fields=["reminded" if reminder else "sent"])
        count += 1
    return count


def meeting_ics(audit: Audit) -> bytes:
    """The meeting slot as an iCalendar file (RFC 5545)."""
    if audit.meeting_starts_at is None:
        raise ValueError("This round has no meeting slot.")
    cal = Calendar()
    cal.add("prodid", "-//Flipchart//Audit meeting//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"audit-{audit.id}-meeting@flipchart")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", audit.meeting_starts_at)
    event.add("dtend", audit.meeting_ends_at or audit.meeting_starts_at + timedelta(hours=1))
    event.add("summary", f"{audit.title}: strengths and areas for improvement")
    if audit.meeting_location:
        event.add("location", audit.meeting_location)
    event.add(
        "description",
        f"Audit meeting for {audit.team.name}. Board: {settings.SITE_URL}/audits/{audit.id}/board/",
    )
    cal.add_component(event)
    return cal.to_ical()
