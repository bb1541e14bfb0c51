"""flipchart erase-member --member ID [--dry-run]: erase one team member's personal data."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Member
from school.erasure import erase_member, is_erased


class Command(BaseCommand):
    help = (
        "Erase a team member's personal data on request: name, e-mail, links, named answers "
        "and notes; anonymous answers stay only as counts (docs/data-protection.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--member", type=int, required=True, help="The member's id")
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing")

    def handle(self, *args, member, dry_run=False, **options):
        person = Member.objects.select_related("team__school").filter(pk=member).first()
        if person is None:
            raise CommandError(f"No member with id {member}.")
        if is_erased(person):
            raise CommandError(f"Member {member} is already erased.")
        where = f"{person.team.name}, {person.team.school.name}"
        report = erase_member(person, dry_run=dry_run)
        self.stdout.write(
            ("Dry run: would erase" if dry_run else "Erased") + f" member {member} ({where})."
        )
        for key, value in report.as_dict().items():
            if key != "member":
                self.stdout.write(f"  {key.replace('_', ' ')}: {value}")
