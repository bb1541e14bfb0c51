"""GET/POST /api/v1/instruments — the built-in instrument and a school's own."""

from __future__ import annotations

from ninja import Router, Schema, Status

from api.auth import AUTH, require_leader
from api.errors import ApiError
from audits.instrument_schema import InstrumentError, parse_instrument
from audits.instruments import builtin_instrument, save_instrument, visible_instruments
from audits.models import Instrument, ItemKind

router = Router(tags=["instruments"], auth=AUTH)


class ScalePoint(Schema):
    value: int
    label: str


class ItemOut(Schema):
    id: int
    text: str
    scale: list[ScalePoint] | None = None


class AreaOut(Schema):
    id: int
    key: str
    title: str
    description: str
    question: ItemOut
    statements: list[ItemOut]


class InstrumentOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    version: int
    builtin: bool
    scale: list[ScalePoint]
    areas: list[AreaOut]


def instrument_out(instrument: Instrument) -> dict:
    """The instrument as API.md shapes it (areas and items must be prefetched)."""
    areas = []
    for area in instrument.areas.all():
        items = list(area.items.all())
        question = next(i for i in items if i.kind == ItemKind.QUESTION)
        areas.append(
            {
                "id": area.id,
                "key": area.key,
                "title": area.title,
                "description": area.description,
                "question": {"id": question.id, "text": question.text, "scale": question.scale},
                "statements": [
                    {"id": i.id, "text": i.text, "scale": i.scale}
                    for i in items
                    if i.kind == ItemKind.STATEMENT
                ],
            }
        )
    return {
        "id": instrument.id,
        "slug": instrument.slug,
        "title": instrument.title,
        "description": instrument.description,
        "version": instrument.version,
        "builtin": instrument.school_id is None,
        "scale": instrument.scale,
        "areas": areas,
    }


@router.get("", response=list[InstrumentOut])
def list_instruments(request):
    """The built-in instrument and your school's own, with areas, questions and statements."""
    user = require_leader(request)
    builtin_instrument()
    return [instrument_out(i) for i in visible_instruments(user.school)]


# The body is read by parse_instrument (JSON or YAML), so it is described here by hand.
_INSTRUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
}
# InstrumentError.kind -> status: unreadable 400, too large 413, breaks the rules 422.
_STATUS = {"malformed": 400, "too_large": 413}


@router.post("", response={201: InstrumentOut}, openapi_extra=_INSTRUMENT_BODY)
def import_instrument(request):
    """Import an instrument as JSON, or YAML with `Content-Type: application/yaml`."""
    user = require_leader(request)
    content_type = request.content_type or "application/json"
    try:
        spec = parse_instrument(request.body, content_type)
    except InstrumentError as exc:
        raise ApiError(
            _STATUS.get(exc.kind, 422),
            "The instrument needs fixing: " + exc.errors[0]["msg"],
            exc.errors,
        ) from None
    instrument = save_instrument(spec, user.school)
    return Status(201, instrument_out(visible_instruments(user.school).get(pk=instrument.pk)))
