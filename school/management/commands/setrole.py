"""flipchart setrole --email E --role senior|leader: make a leader a senior leader, or back."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User


class Command(BaseCommand):
    help = "Set a leader's role: senior (sees the whole school) or leader (their own teams)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])

    def handle(self, *args, email, role, **options):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No leader with e-mail {email}.")
        user.role = role
        user.save(update_fields=["role"])
        self.stdout.write(f"{user.name} <{user.email}> is now a {user.get_role_display().lower()}.")
