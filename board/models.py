"""The meeting board of a round: its phase, its sticky notes and the numbered events that
let every screen catch up exactly (API.md, "Live board")."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import Member, User
from audits.models import Audit

MAX_NOTE = 280


class Phase(models.TextChoices):
    WRITE = "write", "Write"
    REVEAL = "reveal", "Reveal"
    GROUP = "group", "Group"
    FIND = "find", "Find"
    AGREE = "agree", "Agree"
    CLOSED = "closed", "Closed"


PHASE_ORDER = [p.value for p in Phase]


class Chart(models.TextChoices):
    STRENGTH = "strength", "Strengths"
    IMPROVEMENT = "improvement", "Areas for improvement"


class Board(models.Model):
    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="board")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.WRITE)
    locked = models.BooleanField(default=False)
    seq = models.PositiveBigIntegerField(default=0, help_text="The last event's number")
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    theme_labels = models.JSONField(
        default=dict, blank=True, help_text="Theme key → label the team chose"
    )
    updated = models.DateTimeField(default=timezone.now)

    @property
    def revealed(self) -> bool:
        """From the reveal on, everyone sees every (visible) note."""
        return PHASE_ORDER.index(self.phase) >= PHASE_ORDER.index(Phase.REVEAL)

    def can_move_to(self, phase: str) -> bool:
        """Forward by any number of phases, back by one."""
        here, there = PHASE_ORDER.index(self.phase), PHASE_ORDER.index(phase)
        return there >= here - 1


class NoteQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted__isnull=True)


class Note(models.Model):
    """One idea on one chart. In anonymous rounds the author is stored (so they can edit their
    own note) but never leaves the server."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="notes")
    chart = models.CharField(max_length=12, choices=Chart.choices)
    text = models.CharField(max_length=MAX_NOTE)
    area = models.CharField(max_length=64, blank=True)
    author_member = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    author_user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    client_id = models.CharField(max_length=64)
    theme = models.CharField(
        max_length=100, blank=True, help_text="A theme a person chose; empty means automatic"
    )
    hidden = models.BooleanField(default=False, help_text="Hidden by the facilitator")
    seq = models.PositiveBigIntegerField(default=0, help_text="Event number of the last change")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    deleted = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["board", "client_id"], name="note_client_id"),
        ]

    @property
    def author_key(self) -> str:
        """An opaque id for counting distinct people; never sent to clients."""
        return f"m{self.author_member_id}" if self.author_member_id else f"u{self.author_user_id}"


class Event(models.Model):
    """A numbered change to the board: the record every client catches up from."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=32)
    note = models.ForeignKey(
        Note, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    payload = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["board", "seq"], name="event_seq")]


class Consent(models.TextChoices):
    ASKED = "asked", "Asked"
    YES = "yes", "Accepted"
    NO = "no", "Declined"


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Match(models.Model):
    """A suggested pairing: a colleague's strength for someone's area for improvement.

    Names are shown only when both people have said yes (or at once in a named round)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="matches")
    improvement_note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="+")
    strength_note = models.ForeignKey(
        Note, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    mentor = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="mentoring")
    score = models.FloatField()
    reason = models.CharField(max_length=200, blank=True)
    mentor_consent = models.CharField(max_length=5, choices=Consent.choices, blank=True)
    learner_consent = models.CharField(max_length=5, choices=Consent.choices, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "improvement_note", "mentor"], name="one_match_per_pair"
            ),
        ]

    @property
    def status(self) -> str:
        consents = {self.mentor_consent, self.learner_consent}
        if Consent.NO in consents:
            return MatchStatus.DECLINED
        if consents == {Consent.YES}:
            return MatchStatus.ACCEPTED
        if Consent.ASKED in consents or Consent.YES in consents:
            return MatchStatus.OFFERED
        return MatchStatus.SUGGESTED


class ActionKind(models.TextChoices):
    CPD = "cpd", "CPD action"
    PAIR = "pair", "Peer-support pair"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ONGOING = "ongoing", "Ongoing"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Action(models.Model):
    """What the meeting agreed: a CPD action for a training need, or a peer-support pair."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=5, choices=ActionKind.choices)
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=100, blank=True)
    area = models.CharField(max_length=64, blank=True)
    owner = models.CharField(max_length=200, help_text="Who makes it happen")
    due = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=1000)
    match = models.ForeignKey(
        Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    status = models.CharField(
        max_length=8, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "due", "id"]
