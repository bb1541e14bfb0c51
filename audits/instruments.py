"""Saving validated instruments as immutable versions, and the built-in one."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Prefetch, Q

from accounts.models import School
from audits.models import Area, Instrument, Item, ItemKind

BUILTIN_SLUG = "adaptive-teaching"


def visible_instruments(school: School | None):
    """The built-in instrument and the school's own, newest version first within a slug."""
    return (
        Instrument.objects.filter(Q(school__isnull=True) | Q(school=school))
        .prefetch_related(Prefetch("areas", queryset=Area.objects.prefetch_related("items")))
        .order_by("school_id", "title", "-version")
    )


@transaction.atomic
def save_instrument(spec: dict, school: School | None) -> Instrument:
    """Store a normalised instrument (see audits.instrument_schema) as a new version.

    An instrument is never changed after saving, so answers always refer to the exact wording
    that was answered: importing the same slug again creates version N+1.
    """
    latest = Instrument.objects.filter(school=school, slug=spec["slug"]).aggregate(v=Max("version"))
    version = max(spec.get("version") or 1, (latest["v"] or 0) + 1)
    instrument = Instrument.objects.create(
        school=school,
        slug=spec["slug"],
        title=spec["title"],
        description=spec.get("description", ""),
        version=version,
        scale=spec["scale"],
    )
    items: list[Item] = []
    for a_pos, spec_area in enumerate(spec["areas"]):
        area = Area.objects.create(
            instrument=instrument,
            key=spec_area["key"],
            title=spec_area["title"],
            description=spec_area.get("description", ""),
            vocabulary=list(spec_area.get("vocabulary", [])),
            position=a_pos,
        )
        question = spec_area["question"]
        items.append(
            Item(
                area=area,
                kind=ItemKind.QUESTION,
                text=question["text"],
                scale=question.get("scale"),
                position=0,
            )
        )
        for s_pos, statement in enumerate(spec_area["statements"], start=1):
            items.append(
                Item(
                    area=area,
                    kind=ItemKind.STATEMENT,
                    text=statement["text"],
                    scale=statement.get("scale"),
                    position=s_pos,
                )
            )
    Item.objects.bulk_create(items)
    return instrument


def builtin_instrument() -> Instrument:
    """The built-in audit, loaded from its YAML file on first use."""
    existing = (
        Instrument.objects.filter(school__isnull=True, slug=BUILTIN_SLUG)
        .order_by("-version")
        .first()
    )
    if existing:
        return existing
    from audits.instrument_schema import load_builtin

    return save_instrument(load_builtin(), school=None)


def item_scale(item: Item, instrument: Instrument) -> list[dict]:
    return item.scale or instrument.scale
