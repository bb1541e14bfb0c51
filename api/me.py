"""The participant's own view: GET /me and PUT /me/answers."""

from __future__ import annotations

from ninja import Field, Router, Schema
from pydantic import StrictInt

from api.auth import AUTH, require_participant
from api.errors import ApiError
from api.instruments import instrument_out
from audits.answers import AnswerError, AnswerIn, RoundClosed, save_answers
from audits.instruments import visible_instruments
from audits.models import Answer, Response

router = Router(tags=["participants"], auth=AUTH)


class AnswerBody(Schema):
    # Strict: `true` or "3" is a client's mistake, not a rating of 1 or 3.
    statement: StrictInt
    rating: StrictInt | None
    comment: str = Field("", max_length=1000)


class AnswersIn(Schema):
    answers: list[AnswerBody] = Field(default_factory=list, max_length=500)
    submit: bool = False
    support: list[str] | None = Field(
        None, max_length=100, description="Area keys where I'd value support"
    )


def me_out(invitation) -> dict:
    audit = invitation.audit
    instrument = visible_instruments(audit.team.school).get(pk=audit.instrument_id)
    response = Response.objects.filter(audit=audit, member=invitation.member).first()
    answers = []
    if response:
        answers = [
            {"statement": a.item_id, "rating": a.rating, "comment": a.comment}
            for a in Answer.objects.filter(response=response).order_by("item_id")
        ]
    return {
        "member": {"id": invitation.member_id, "name": invitation.member.name},
        "audit": {
            "id": audit.id,
            "title": audit.title,
            "status": audit.status,
            "open": audit.is_open,
            "anonymous": audit.anonymous,
            "closes_at": audit.closes_at,
        },
        "instrument": instrument_out(instrument),
        "answers": answers,
        "support": response.support_areas if response else [],
        "submitted": bool(response and response.submitted),
    }


@router.get("/me")
def me(request):
    """The participant's round, its instrument, their own answers so far and whether they
    submitted."""
    return me_out(require_participant(request))


@router.put("/me/answers")
def put_answers(request, payload: AnswersIn):
    """Save some or all answers (re-sending replaces an answer); `submit: true` submits. 409
    once the round is closed."""
    invitation = require_participant(request)
    try:
        response = save_answers(
            invitation.audit,
            invitation.member_id,
            [AnswerIn(a.statement, a.rating, a.comment) for a in payload.answers],
            submit=payload.submit,
            support_areas=payload.support,
        )
    except RoundClosed:
        raise ApiError(409, "This audit round has closed; answers can no longer change.") from None
    except AnswerError as exc:
        raise ApiError(422, exc.errors[0]["msg"], exc.errors) from None
    return {
        "saved": len(payload.answers),
        "submitted": response.submitted is not None,
        "updated": response.updated,
    }
