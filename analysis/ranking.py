"""What the *find* phase shows: recurring strengths to celebrate, training needs to plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis.types import Theme, TrainingNeed

MEAN_WEIGHT = 0.6  # low mean rating counts a little more than the share of lowest answers
LOWEST_WEIGHT = 0.4


def recurring_strengths(themes: Sequence[Theme]) -> list[Theme]:
    """Strength themes named by two or more people ("Other ideas" excluded), most people first."""
    found = [t for t in themes if t.chart == "strength" and t.recurring and not t.is_other]
    return sorted(found, key=lambda t: (-t.participants, -len(t.note_ids), t.key))


def area_weakness(
    stats: Mapping[str, Any] | None, scale: tuple[int, int] = (1, 4)
) -> tuple[float | None, float | None, float | None]:
    """``(mean, lowest_share, weakness)`` of one area's audit results.

    ``stats`` is shaped like an area of the results API: ``mean`` (None when unknown),
    ``distribution`` (rating -> count, keys as strings or ints; the lowest rating is "not yet"
    on the department question's scale), optionally ``lowest`` (a count of lowest-stage answers
    that overrides the distribution) and ``suppressed`` (True when too few people answered, in
    which case nothing is used). ``weakness`` is 0..1, higher meaning weaker.
    """
    if not stats or stats.get("suppressed"):
        return None, None, None
    low, high = scale
    mean = stats.get("mean")
    mean = float(mean) if isinstance(mean, int | float) else None
    lowest_share = None
    distribution = stats.get("distribution") or {}
    counts = {}
    for value, count in distribution.items():
        try:
            counts[int(value)] = int(count or 0)
        except (TypeError, ValueError):
            continue
    total = sum(counts.values())
    lowest = stats.get("lowest")
    if isinstance(lowest, int) and total:
        lowest_share = min(lowest / total, 1.0)
    elif total:
        lowest_share = counts.get(low, 0) / total
    parts: list[tuple[float, float]] = []
    if mean is not None and high > low:
        parts.append((MEAN_WEIGHT, min(max((high - mean) / (high - low), 0.0), 1.0)))
    if lowest_share is not None:
        parts.append((LOWEST_WEIGHT, lowest_share))
    if not parts:
        return mean, lowest_share, None
    weakness = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    return mean, lowest_share, round(weakness, 4)


def training_needs(
    themes: Sequence[Theme],
    area_stats: Mapping[str, Mapping[str, Any]] | None = None,
    scale: tuple[int, int] = (1, 4),
) -> list[TrainingNeed]:
    """Recurring areas for improvement, ranked as the team's training needs.

    Ranked by how many people named the need, then by how weak the audit found its area (see
    :func:`area_weakness`; an area without usable figures ranks after those with figures), then
    by number of notes. "Other ideas" is never a training need.
    """
    area_stats = area_stats or {}
    rows = []
    for theme in themes:
        if theme.chart != "improvement" or not theme.recurring or theme.is_other:
            continue
        stats = area_stats.get(theme.area) if theme.area else None
        rows.append((theme, *area_weakness(stats, scale)))
    rows.sort(
        key=lambda r: (
            -r[0].participants,
            r[3] is None,
            -(r[3] or 0.0),
            -len(r[0].note_ids),
            r[0].key,
        )
    )
    return [
        TrainingNeed(
            rank=i,
            theme_key=theme.key,
            label=theme.label,
            area=theme.area,
            participants=theme.participants,
            note_ids=list(theme.note_ids),
            mean=mean,
            lowest_share=None if lowest_share is None else round(lowest_share, 4),
            weakness=weakness,
        )
        for i, (theme, mean, lowest_share, weakness) in enumerate(rows, start=1)
    ]
