"""What each leader keeps from the guide: reflection notes, completed steps, answers, quiz scores.

Rows refer to content by its ids (step and unit ids from the content files), so a school can
replace the content without a migration; rows for ids no longer in the guide are kept, not shown
in progress, and notes for them still appear on "My notes".
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from guide.quiz import Marked, QuizResult

MAX_NOTE = 10_000


class LeaderQuerySet(models.QuerySet):
    def for_leader(self, user: User):
        """This leader's own rows — the only ones any guide page reads."""
        return self.filter(leader=user) if user.is_authenticated else self.none()


class ReflectionNote(models.Model):
    """A leader's private note on one step. Nobody else sees it, not even a senior leader."""

    leader = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guide_notes")
    step = models.CharField(max_length=48)
    text = models.TextField(max_length=MAX_NOTE)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        ordering = ["updated", "id"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "step"], name="one_note_per_leader_step")
        ]

    def __str__(self) -> str:
        return f"Note on {self.step}"

    @classmethod
    def save_text(cls, leader: User, step: str, text: str) -> ReflectionNote | None:
        """Save the note's new text; an empty text deletes the note (returns None)."""
        text = text.replace("\r\n", "\n").strip()
        if not text:
            cls.objects.filter(leader=leader, step=step).delete()
            return None
        note, _ = cls.objects.update_or_create(
            leader=leader, step=step, defaults={"text": text, "updated": timezone.now()}
        )
        return note


class CompletedStep(models.Model):
    """A step the leader marked as complete themselves (milestones complete others on their own)."""

    leader = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guide_completed")
    step = models.CharField(max_length=48)
    completed = models.DateTimeField(default=timezone.now)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leader", "step"], name="one_completion_per_step")
        ]


class StepAnswer(models.Model):
    """The leader's latest answer to a step's question, and how many tries it took."""

    leader = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guide_answers")
    step = models.CharField(max_length=48)
    chosen = models.JSONField(default=list)
    score = models.FloatField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    correct_at = models.DateTimeField(null=True, blank=True, help_text="First right answer")
    updated = models.DateTimeField(default=timezone.now)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leader", "step"], name="one_answer_per_step")
        ]

    @classmethod
    @transaction.atomic
    def record(cls, leader: User, step: str, marked: Marked) -> StepAnswer:
        now = timezone.now()
        answer, _ = cls.objects.select_for_update().get_or_create(leader=leader, step=step)
        answer.chosen = sorted(marked.chosen)
        answer.score = marked.score
        answer.attempts = F("attempts") + 1
        answer.updated = now
        if marked.correct and answer.correct_at is None:
            answer.correct_at = now
        answer.save()
        answer.refresh_from_db(fields=["attempts"])
        return answer


class CheckpointResult(models.Model):
    """The leader's checkpoint quiz for one unit: the latest answers and score, and the best."""

    leader = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guide_checkpoints")
    unit = models.CharField(max_length=48)
    answers = models.JSONField(default=dict, help_text="question key → chosen choice keys")
    score = models.FloatField(default=0, help_text="Latest attempt, 0 to 1")
    best = models.FloatField(default=0, help_text="Best attempt, 0 to 1")
    attempts = models.PositiveIntegerField(default=0)
    passed_at = models.DateTimeField(null=True, blank=True, help_text="First pass")
    updated = models.DateTimeField(default=timezone.now)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leader", "unit"], name="one_checkpoint_per_unit")
        ]

    @property
    def best_percent(self) -> int:
        return round(self.best * 100)

    @property
    def passed(self) -> bool:
        return self.passed_at is not None

    @classmethod
    @transaction.atomic
    def record(cls, leader: User, unit: str, result: QuizResult) -> CheckpointResult:
        now = timezone.now()
        row, _ = cls.objects.select_for_update().get_or_create(leader=leader, unit=unit)
        row.answers = {m.question.key: sorted(m.chosen) for m in result.marks}
        row.score = result.score
        row.best = max(row.best, result.score)
        row.attempts = F("attempts") + 1
        row.updated = now
        if result.passed and row.passed_at is None:
            row.passed_at = now
        row.save()
        row.refresh_from_db(fields=["attempts"])
        return row
