"""flipchart purge-expired [--dry-run] [--years N]: remove rounds past the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from school.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Delete rounds closed more than RETENTION_YEARS years ago, with their answers, "
        "boards and notes. Run it daily (cron or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing")
        parser.add_argument("--years", type=int, help="Override RETENTION_YEARS for this run")

    def handle(self, *args, dry_run=False, years=None, **options):
        years = settings.RETENTION_YEARS if years is None else years
        if years < 0:
            raise CommandError("--years must be 0 (keep everything) or more.")
        if years == 0:
            self.stdout.write("Retention is off (RETENTION_YEARS=0): nothing is removed.")
            return
        result = purge_expired(years, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {len(result['rounds'])} round(s) closed over {years} year(s) ago."
        )
        for audit_id, team, title, closed in result["rounds"]:
            self.stdout.write(f"  round {audit_id}: {team} — {title} (closed {closed:%d %b %Y})")
        for label, count in result["deleted"].items():
            self.stdout.write(f"  {label}: {count}")
