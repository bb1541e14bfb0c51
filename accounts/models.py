"""Schools, the leaders who sign in, their teams and the team members who answer audits."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class School(models.Model):
    name = models.CharField(max_length=200)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEADER = "leader", "Middle leader"
    SENIOR = "senior", "Senior leader"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A leader's account. Teachers never have one: they use their invitation link."""

    username = None
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="users", null=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEADER)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]
    objects = UserManager()

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_senior(self) -> bool:
        return self.role == Role.SENIOR


def hash_token(token: str) -> str:
    """Tokens are stored only as a SHA-256 digest: a leaked database holds no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked__isnull=True)


class ApiToken(models.Model):
    """A leader's bearer token for scripts. Shown once, stored hashed."""

    PREFIX = "fcl_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=100, default="API token")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    @classmethod
    def issue(cls, user: User, label: str = "API token") -> tuple[ApiToken, str]:
        """Create a token; returns it with the only copy of its secret."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, label=label[:100], digest=hash_token(secret), hint=secret[:10]
        )
        return token, secret


class TeamKind(models.TextChoices):
    DEPARTMENT = "department", "Department"
    PHASE = "phase", "Phase"
    LEADERS = "leaders", "Leaders' group"


class TeamQuerySet(models.QuerySet):
    def for_leader(self, user: User):
        """Teams this leader runs — the only ones their pages and the API can reach."""
        return self.filter(leader=user, school_id=user.school_id)


class Team(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teams")
    leader = models.ForeignKey(User, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=TeamKind.choices, default=TeamKind.DEPARTMENT)
    created = models.DateTimeField(default=timezone.now)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed__isnull=True)


class Member(models.Model):
    """A person in a team. Personal data: erasable on request."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    removed = models.DateTimeField(null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
