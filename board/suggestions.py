"""Notes a participant might start from, drawn from their own audit answers."""

from __future__ import annotations

from audits.models import Area, Audit, Response
from audits.results import own_area_means


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def suggestions_for(audit: Audit, member_id: int, per_chart: int = 2) -> list[dict]:
    """Their highest-rated areas as strengths; lowest-rated, and those where they asked for
    support, as areas for improvement. Only the member themself ever sees these."""
    own = own_area_means(audit, member_id)
    areas = {a.key: a for a in Area.objects.filter(instrument_id=audit.instrument_id)}
    means = sorted(
        ((mean, areas[key]) for key, mean in own.items() if key in areas),
        key=lambda pair: (pair[0], pair[1].position),
    )
    out: list[dict] = []
    for mean, area in reversed(means[-per_chart:]):
        if mean >= 3:
            out.append(
                {
                    "chart": "strength",
                    "area": area.key,
                    "text": f"We do well at {_lower_first(area.title)}",
                }
            )
    response = Response.objects.filter(audit=audit, member_id=member_id).first()
    wanted = set(response.support_areas) if response else set()
    low = [area for mean, area in means[:per_chart] if mean <= 2.5]
    for area in sorted(areas.values(), key=lambda a: a.position):
        if area.key in wanted:
            out.append(
                {
                    "chart": "improvement",
                    "area": area.key,
                    "text": f"I'd value support with {_lower_first(area.title)}",
                }
            )
    for area in low:
        if area.key not in wanted:
            out.append(
                {
                    "chart": "improvement",
                    "area": area.key,
                    "text": f"We could develop {_lower_first(area.title)}",
                }
            )
    return out
