"""Retention: `flipchart purge-expired` removes rounds closed more than RETENTION_YEARS ago."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.utils import timezone

from audits.models import Answer, Audit, AuditStatus, Response
from board.models import Board, Chart, Note
from board.notes import board_for
from school.erasure import erase_member
from school.retention import expired_rounds, years_before
from tests import factory


def closed_round(team, title: str, *, years_ago: float, by_date: bool = False) -> Audit:
    audit = factory.audit(team, title=title)
    for n, member in enumerate(team.members.all()):
        factory.answer_all(audit, member, lambda item, n=n: 1 + (item.id + n) % 4)
        Note.objects.create(
            board=board_for(audit),
            chart=Chart.STRENGTH,
            text="Modelling",
            author_member=member,
            client_id=f"{audit.id}-{n}",
        )
    when = timezone.now() - timedelta(days=365.25 * years_ago)
    if by_date:  # nobody pressed "close": its closing date passed
        Audit.objects.filter(pk=audit.pk).update(closes_at=when)
    else:
        Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.CLOSED, closed_at=when)
    return audit


@pytest.fixture
def rounds(db):
    team = factory.team(factory.leader(), members=3)
    return {
        "old": closed_round(team, "Three years ago", years_ago=3),
        "lapsed": closed_round(team, "Lapsed", years_ago=2.5, by_date=True),
        "recent": closed_round(team, "Last year", years_ago=1),
        "open": factory.audit(team, title="Open now"),
    }


def test_it_removes_rounds_closed_before_the_retention_period(rounds, settings, capsys):
    settings.RETENTION_YEARS = 2
    call_command("purge-expired")
    out = capsys.readouterr().out
    assert "Removed 2 round(s)" in out and "Three years ago" in out and "Lapsed" in out
    left = set(Audit.objects.values_list("title", flat=True))
    assert left == {"Last year", "Open now"}
    old_ids = [rounds["old"].id, rounds["lapsed"].id]
    assert not Response.objects.filter(audit_id__in=old_ids).exists()
    assert not Answer.objects.filter(response__audit_id__in=old_ids).exists()
    assert not Board.objects.filter(audit_id__in=old_ids).exists()
    assert Note.objects.filter(board__audit=rounds["recent"]).count() == 3
    assert rounds["recent"].team.members.count() == 3  # people stay; only rounds go


def test_it_lists_and_keeps_everything_on_a_dry_run(rounds, settings, capsys):
    settings.RETENTION_YEARS = 2
    call_command("purge-expired", "--dry-run")
    out = capsys.readouterr().out
    assert "Would remove 2 round(s)" in out and "audits.Answer" in out
    assert Audit.objects.count() == 4


def test_it_keeps_everything_when_retention_is_off(rounds, settings, capsys):
    settings.RETENTION_YEARS = 0
    call_command("purge-expired")
    assert "Retention is off" in capsys.readouterr().out
    assert Audit.objects.count() == 4
    call_command("purge-expired", "--years", "1", "--dry-run")
    assert "Would remove 3 round(s)" in capsys.readouterr().out


def test_it_removes_erased_members_placeholders_with_their_rounds(rounds, settings):
    settings.RETENTION_YEARS = 2
    member = rounds["old"].team.members.first()
    erase_member(member)
    team = rounds["old"].team
    assert team.members.filter(name="Erased member").count() > 1
    call_command("purge-expired")
    # The recent round keeps its placeholder; the old rounds' placeholders are gone.
    assert team.members.filter(name="Erased member").count() == 1


def test_it_counts_years_by_the_calendar():
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert years_before(leap, 1) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert years_before(datetime(2030, 6, 1, tzinfo=UTC), 5) == datetime(2025, 6, 1, tzinfo=UTC)


def test_it_finds_nothing_expired_when_retention_is_off(rounds):
    assert not expired_rounds(0).exists()
    assert expired_rounds(2).count() == 2


def test_it_warns_about_a_negative_retention_period(settings):
    settings.RETENTION_YEARS = -1
    assert "school.E001" in [m.id for m in run_checks()]
    settings.RETENTION_YEARS = 3
    assert "school.E001" not in [m.id for m in run_checks()]
