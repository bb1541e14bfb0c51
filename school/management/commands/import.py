"""flipchart import FILE [--dry-run]: load a school exported by `flipchart export`."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from school.portability import ImportRefused, import_school


class Command(BaseCommand):
    help = (
        "Load a school's export into this installation, all or nothing. Refused if the "
        "school or any of its leaders already exist here."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export (JSON); - reads standard input")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, then change nothing"
        )

    def handle(self, *args, file, dry_run=False, **options):
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as f:
                    data = json.load(f)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}.") from None
        try:
            report = import_school(data, dry_run=dry_run)
        except ImportRefused as exc:
            lines = "\n".join(f"  - {e}" for e in exc.errors)
            raise CommandError(f"Nothing was imported:\n{lines}") from None
        counts = ", ".join(f"{n} {table}" for table, n in report.counts.items() if n)
        if dry_run:
            self.stdout.write(f"Dry run: {report.school.name} would be imported ({counts}).")
        else:
            self.stdout.write(
                f"Imported {report.school.name} as school {report.school.id} ({counts})."
            )
