"""flipchart createleader --email E --name N --school S [--password P].

Prints a new API token as the last word of its output.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import ApiToken, School, User


class Command(BaseCommand):
    help = "Create a leader (and their school if new); print a new API token as the last word."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--school", required=True, help="School name (created if new)")
        parser.add_argument("--password", help="Omit to sign in only after a password reset")
        parser.add_argument("--senior", action="store_true", help="A senior leader")

    @transaction.atomic
    def handle(self, *args, email, name, school, password=None, senior=False, **options):
        email = email.strip().lower()
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A leader with e-mail {email} already exists.")
        school_obj = School.objects.filter(name=school).first() or School.objects.create(
            name=school
        )
        user = User.objects.create_user(
            email, password, name=name, school=school_obj, role="senior" if senior else "leader"
        )
        if not password:
            user.set_unusable_password()
            user.save()
        _, secret = ApiToken.issue(user, "Created on the command line")
        self.stdout.write(f"Leader {user.name} <{user.email}> at {school_obj.name}.")
        self.stdout.write(f"API token: {secret}")
