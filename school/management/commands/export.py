"""flipchart export --school ID [--output FILE]: the school's whole data as JSON."""

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.models import School
from school.portability import export_school


class Command(BaseCommand):
    help = (
        "Write a school's whole data as JSON (docs/data-protection.md): to FILE, created "
        "readable by its owner only, or to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", type=int, required=True, help="The school's id")
        parser.add_argument("--output", help="File to write (default: standard output)")

    def handle(self, *args, school, output=None, **options):
        school_obj = School.objects.filter(pk=school).first()
        if school_obj is None:
            known = ", ".join(f"{s.id} ({s.name})" for s in School.objects.order_by("id")[:20])
            raise CommandError(f"No school with id {school}. Schools here: {known or 'none'}.")
        text = json.dumps(export_school(school_obj), ensure_ascii=False, indent=1)
        if not output or output == "-":
            self.stdout.write(text)
            return
        # Personal data: the file is the owner's alone from the moment it exists.
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        sys.stderr.write(f"Exported {school_obj.name} to {output}.\n")
