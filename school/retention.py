"""Removing closed rounds after the school's retention period (settings.RETENTION_YEARS).

A round is closed when its leader closed it, or when its closing date passed. Removing a round
removes everything in it: invitations, responses and answers, the board with its notes,
events, pairings and agreed actions. Teams and members stay; members already erased lose the
placeholders their anonymous answers were kept under.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Member
from audits.models import Audit, AuditStatus
from school.erasure import ERASED_NAME


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def expired_rounds(years: int, now: datetime | None = None) -> QuerySet[Audit]:
    """Rounds closed more than `years` years ago. `years` of 0 means keep everything."""
    if years <= 0:
        return Audit.objects.none()
    cutoff = years_before(now or timezone.now(), years)
    closed = Q(status=AuditStatus.CLOSED, closed_at__lt=cutoff)
    lapsed = Q(closed_at__isnull=True, closes_at__lt=cutoff)
    return Audit.objects.filter(closed | lapsed)


def purge_expired(years: int, *, dry_run: bool = False, now: datetime | None = None) -> dict:
    """Delete expired rounds in one transaction; return what was (or would be) removed,
    as {"rounds": [(id, team, title, closed)], "deleted": {model label: count}}."""
    with transaction.atomic():
        rounds = list(
            expired_rounds(years, now)
            .select_related("team")
            .order_by("closed_at", "closes_at", "id")
        )
        listed = [(a.id, a.team.name, a.title, a.closed_at or a.closes_at) for a in rounds]
        _, deleted = Audit.objects.filter(pk__in=[a.id for a in rounds]).delete()
        _, orphans = _empty_erased_members().delete()
        deleted = {**deleted, **{k: deleted.get(k, 0) + v for k, v in orphans.items()}}
        if dry_run:
            transaction.set_rollback(True)
    return {"rounds": listed, "deleted": {k: v for k, v in sorted(deleted.items()) if v}}


def _empty_erased_members() -> QuerySet[Member]:
    """Erased members with nothing left under them."""
    return Member.objects.filter(
        name=ERASED_NAME,
        email="",
        removed__isnull=False,
        responses__isnull=True,
        notes__isnull=True,
        invitations__isnull=True,
        mentoring__isnull=True,
    )
