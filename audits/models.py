"""Instruments (questionnaires), audit rounds, invitations and answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Member, School, Team, User, hash_token


class Instrument(models.Model):
    """A questionnaire. Never edited once saved: importing the same slug makes a new version."""

    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instruments",
        help_text="Empty for the built-in instrument every school sees.",
    )
    slug = models.SlugField(max_length=64)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    scale = models.JSONField(help_text="[{value, label}] for statements")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "slug", "version"], name="instrument_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Area(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=64)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    vocabulary = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="area_key")]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    QUESTION = "question", "Department-level question"
    STATEMENT = "statement", "Statement about my practice"


class Item(models.Model):
    """A question or a statement: both are answered the same way and share one id space."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    text = models.TextField()
    scale = models.JSONField(null=True, blank=True, help_text="Overrides the instrument's scale")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["area__position", "position"]

    def __str__(self) -> str:
        return self.text[:60]


class AuditStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AuditQuerySet(models.QuerySet):
    def for_leader(self, user: User):
        """Rounds of the teams this leader runs."""
        return self.filter(team__leader=user, team__school_id=user.school_id)


class Audit(models.Model):
    """One audit round of a team: the questionnaire, then its meeting."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="audits")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="audits")
    title = models.CharField(max_length=200)
    anonymous = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=AuditStatus.choices, default=AuditStatus.OPEN)
    closes_at = models.DateTimeField(null=True, blank=True)
    meeting_starts_at = models.DateTimeField(null=True, blank=True)
    meeting_ends_at = models.DateTimeField(null=True, blank=True)
    meeting_location = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        if self.status != AuditStatus.OPEN:
            return False
        return self.closes_at is None or self.closes_at > timezone.now()

    def close(self) -> None:
        if self.status != AuditStatus.CLOSED:
            self.status = AuditStatus.CLOSED
            self.closed_at = timezone.now()
            self.save(update_fields=["status", "closed_at"])


def _derive_token(nonce: str) -> str:
    """The link token is derived from a stored nonce and the server's secret.

    So the leader can be shown a link again, while the database alone (without SECRET_KEY)
    cannot rebuild any link. 192 bits, URL-safe.
    """
    key = hashlib.sha256(("flipchart.invitation:" + settings.SECRET_KEY).encode()).digest()
    mac = hmac.new(key, nonce.encode(), hashlib.sha256).digest()[:24]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


class InvitationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked__isnull=True)

    def by_token(self, token: str):
        """The live invitation for a link token, or None. Looks up by digest only."""
        if not token or len(token) > 64:
            return None
        return (
            self.active()
            .select_related("audit__team", "audit__instrument", "member")
            .filter(digest=hash_token(token), member__removed__isnull=True)
            .first()
        )


class Invitation(models.Model):
    """A member's personal link to one round: /i/<token>."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    nonce = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    revoked = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    reminded = models.DateTimeField(null=True, blank=True)
    opened = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "member"],
                condition=models.Q(revoked__isnull=True),
                name="one_live_invitation",
            )
        ]

    @classmethod
    def issue(cls, audit: Audit, member: Member) -> Invitation:
        nonce = secrets.token_hex(16)
        return cls.objects.create(
            audit=audit, member=member, nonce=nonce, digest=hash_token(_derive_token(nonce))
        )

    @property
    def token(self) -> str:
        return _derive_token(self.nonce)

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}/i/{self.token}"

    def revoke_and_reissue(self) -> Invitation:
        """Revoking a link makes a new one (API.md)."""
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])
        return Invitation.issue(self.audit, self.member)


class Response(models.Model):
    """A member's answers to one round. In anonymous rounds the link to the member is kept
    only so they can resume and edit; no page or payload ever shows it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="responses")
    submitted = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(default=timezone.now)
    support_areas = models.JSONField(
        default=list, blank=True, help_text="Area keys where the member would value support"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "member"], name="one_response_per_member")
        ]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="null = not applicable"
    )
    comment = models.TextField(blank=True, max_length=1000)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")
        ]
