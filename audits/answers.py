"""Saving a member's answers: partial, repeatable, replacing earlier answers, never after close."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audits.models import Answer, Audit, Item, Response

MAX_COMMENT = 1000


class RoundClosed(Exception):
    """The round no longer takes answers."""


class AnswerError(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(e["msg"] for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class AnswerIn:
    statement: int
    rating: int | None
    comment: str = ""


def items_by_id(audit: Audit) -> dict[int, Item]:
    return {
        item.id: item
        for item in Item.objects.filter(area__instrument_id=audit.instrument_id).select_related(
            "area"
        )
    }


def _validate(audit: Audit, answers: list[AnswerIn], support_areas: list[str] | None) -> None:
    items = items_by_id(audit)
    errors: list[dict] = []
    seen: set[int] = set()
    for index, answer in enumerate(answers):
        loc = ["body", "answers", index]
        item = items.get(answer.statement)
        if item is None:
            errors.append(
                {
                    "loc": [*loc, "statement"],
                    "msg": f"Statement {answer.statement} is not part of this audit.",
                }
            )
            continue
        if answer.statement in seen:
            errors.append(
                {
                    "loc": [*loc, "statement"],
                    "msg": f"Statement {answer.statement} is answered twice; send it once.",
                }
            )
        seen.add(answer.statement)
        scale = item.scale or audit.instrument.scale
        values = [point["value"] for point in scale]
        if answer.rating is not None and answer.rating not in values:
            errors.append(
                {
                    "loc": [*loc, "rating"],
                    "msg": f"Rating must be one of {values}, or null for not applicable.",
                }
            )
        if "\x00" in answer.comment:
            errors.append(
                {"loc": [*loc, "comment"], "msg": "Comments cannot contain NUL characters."}
            )
        if len(answer.comment) > MAX_COMMENT:
            errors.append(
                {
                    "loc": [*loc, "comment"],
                    "msg": f"Comments are limited to {MAX_COMMENT} characters.",
                }
            )
    if support_areas is not None:
        keys = {item.area.key for item in items.values()}
        for index, key in enumerate(support_areas):
            if key not in keys:
                errors.append(
                    {
                        "loc": ["body", "support", index],
                        "msg": f"'{key}' is not an area of this audit.",
                    }
                )
    if errors:
        raise AnswerError(errors)


@transaction.atomic
def save_answers(
    audit: Audit,
    member_id: int,
    answers: list[AnswerIn],
    *,
    submit: bool = False,
    support_areas: list[str] | None = None,
) -> Response:
    """Store answers for one member. Re-sending replaces the earlier answer to a statement."""
    if not audit.is_open:
        raise RoundClosed()
    _validate(audit, answers, support_areas)
    now = timezone.now()
    response, _ = Response.objects.get_or_create(audit=audit, member_id=member_id)
    # One INSERT ... ON CONFLICT DO UPDATE: bulk_update's CASE per row cost ~10 ms of CPU per
    # answer set, held the write lock meanwhile and slowed the live board (bench/load.py).
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                item_id=answer.statement,
                rating=answer.rating,
                comment=answer.comment,
                updated=now,
            )
            for answer in answers
        ],
        update_conflicts=True,
        unique_fields=["response", "item"],
        update_fields=["rating", "comment", "updated"],
    )
    response.updated = now
    if support_areas is not None:
        response.support_areas = sorted(set(support_areas))
    if submit and response.submitted is None:
        response.submitted = now
    response.save()
    return response
