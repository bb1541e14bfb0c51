"""Erasing one team member's personal data on request (UK GDPR, article 17).

What happens (docs/data-protection.md says the same for a school's data protection lead):
- their name and e-mail address are replaced by "Erased member"; they leave the team;
- their invitation links are deleted, so no link of theirs works again;
- named rounds: their answers and their sticky notes are deleted (a named round showed them
  with their name, so nothing of it can stay);
- anonymous rounds: their ratings stay, as anonymous counts, so the round's results do not
  change. The response and its notes move to a placeholder member made for that one round,
  linked to nothing else, and their evidence comments are emptied (free text can identify);
- suggested pairings that involve them are deleted;
- their name and e-mail address are replaced wherever colleagues typed them in the school's
  notes, comments and agreed actions (exact spelling only: initials or nicknames cannot be
  found automatically).
A leader's account is not a team member; this does not touch accounts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Member
from audits.models import Answer, Audit, Response
from board.models import Action, Match, Note

ERASED_NAME = "Erased member"
MIN_MENTION = 3  # shorter names would match inside ordinary words


@dataclass
class ErasureReport:
    member: int
    invitations: int = 0
    answers_kept_anonymous: int = 0
    responses_kept_anonymous: int = 0
    responses_deleted: int = 0
    notes_kept_anonymous: int = 0
    notes_deleted: int = 0
    matches_deleted: int = 0
    comments_emptied: int = 0
    mentions_replaced: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def is_erased(member: Member) -> bool:
    return member.name == ERASED_NAME and not member.email


def erase_member(member: Member, *, dry_run: bool = False) -> ErasureReport:
    """Erase `member` as the module docstring says; with dry_run, report and change nothing."""
    with transaction.atomic():
        report = _erase(member)
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        member.refresh_from_db()
    return report


def _erase(member: Member) -> ErasureReport:
    report = ErasureReport(member=member.id)
    now = timezone.now()
    name, email = member.name, member.email
    school_id = member.team.school_id
    placeholders: dict[int, Member] = {}

    def placeholder(audit: Audit) -> Member:
        # One per round, so people counts stay right and rounds are never linked together.
        if audit.id not in placeholders:
            placeholders[audit.id] = Member.objects.create(
                team_id=audit.team_id, name=ERASED_NAME, created=audit.created, removed=now
            )
        return placeholders[audit.id]

    mine = Q(mentor=member) | Q(improvement_note__author_member=member)
    report.matches_deleted = (
        Match.objects.filter(mine | Q(strength_note__author_member=member))
        .delete()[1]
        .get("board.Match", 0)
    )
    report.invitations = member.invitations.all().delete()[1].get("audits.Invitation", 0)

    for response in Response.objects.filter(member=member).select_related("audit"):
        if response.audit.anonymous:
            report.responses_kept_anonymous += 1
            report.answers_kept_anonymous += response.answers.count()
            report.comments_emptied += response.answers.exclude(comment="").update(comment="")
            response.member = placeholder(response.audit)
            response.save(update_fields=["member"])
        else:
            report.responses_deleted += 1
            response.delete()

    for note in Note.objects.filter(author_member=member).select_related("board__audit"):
        if note.board.audit.anonymous:
            report.notes_kept_anonymous += 1
            note.author_member = placeholder(note.board.audit)
            note.save(update_fields=["author_member"])
        else:
            report.notes_deleted += 1
            note.delete()

    report.mentions_replaced = replace_mentions(school_id, [name, email])
    member.name, member.email = ERASED_NAME, ""
    member.removed = member.removed or now
    member.save(update_fields=["name", "email", "removed"])
    return report


def replace_mentions(school_id: int, words: list[str]) -> int:
    """Replace each of `words` (any case) with ERASED_NAME in the school's free text."""
    words = [w.strip() for w in words if w and len(w.strip()) >= MIN_MENTION]
    words = [w for w in words if w.lower() != ERASED_NAME.lower()]
    if not words:
        return 0
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    count = 0
    targets = [
        (Note.objects.filter(board__audit__team__school_id=school_id), ["text"]),
        (Answer.objects.filter(response__audit__team__school_id=school_id), ["comment"]),
        (
            Action.objects.filter(board__audit__team__school_id=school_id),
            ["title", "owner", "note"],
        ),
    ]
    for queryset, fields in targets:
        found = Q()
        for field in fields:
            for word in words:
                found |= Q(**{f"{field}__icontains": word})
        for row in queryset.filter(found):
            for field in fields:
                text, n = pattern.subn(ERASED_NAME, getattr(row, field))
                limit = row._meta.get_field(field).max_length
                setattr(row, field, text[:limit] if limit else text)
                count += n
            row.save(update_fields=fields)
    return count
