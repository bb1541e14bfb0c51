"""Pictures of results as small, accessible SVG drawn on the server (no JavaScript needed).

Colours are used for team figures only; every picture has a text equivalent beside it.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Four steps of one blue, light to dark, readable in black and white by their order and labels.
SCALE_COLOURS = ["#d7e3f4", "#9dbce3", "#4f83c4", "#1f4e8c"]
TEXT_ON = ["#10233d", "#10233d", "#ffffff", "#ffffff"]


def distribution_bar(
    distribution: dict[str, int], scale: list[dict], *, width: int = 320, height: int = 26
) -> SafeString:
    """A stacked bar of how many chose each point of the scale."""
    total = sum(distribution.values())
    labels = {str(p["value"]): p["label"] for p in scale}
    summary = ", ".join(f"{labels.get(k, k)}: {v}" for k, v in distribution.items())
    parts, x = [], 0.0
    for index, (value, count) in enumerate(distribution.items()):
        if not total or not count:
            continue
        w = width * count / total
        colour = SCALE_COLOURS[min(index, len(SCALE_COLOURS) - 1)]
        ink = TEXT_ON[min(index, len(TEXT_ON) - 1)]
        parts.append(
            format_html(
                '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                f"{x:.1f}",
                f"{w:.1f}",
                height,
                colour,
                labels.get(value, value),
                count,
            )
        )
        if w >= 18:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" fill="{}" font-size="13" text-anchor="middle">{}</text>',
                    f"{x + w / 2:.1f}",
                    height // 2 + 5,
                    ink,
                    count,
                )
            )
        x += w
    if not total:
        parts.append(
            format_html('<rect x="0" y="0" width="{}" height="{}" fill="#eeeeee"/>', width, height)
        )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" '
        'height="{}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        summary or "No answers yet",
        width,
        height,
        width,
        height,
        mark_safe("".join(parts)),
    )


def mean_bar(
    value: float | None,
    scale: list[dict],
    *,
    compare: float | None = None,
    label: str = "",
    compare_label: str = "team",
    width: int = 240,
) -> SafeString:
    """A bar for a mean on the scale; with `compare`, a thinner bar beneath (e.g. the team)."""
    lo, hi = scale[0]["value"], scale[-1]["value"]
    body = [format_html('<rect x="0" y="0" width="{}" height="30" fill="#f3f5f8"/>', width)]
    described = []
    for value_, y, h, colour, name in (
        (value, 2, 14, "#1f4e8c", label),
        (compare, 19, 9, "#7aa2d6", compare_label),
    ):
        if value_ is None:
            continue
        w = width * (value_ - lo + 1) / (hi - lo + 1)
        body.append(
            format_html(
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"/>', y, f"{w:.1f}", h, colour
            )
        )
        described.append(f"{name} {value_:.1f} of {hi}".strip())
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} 30" width="{}" '
        'height="30" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        ", ".join(described) or "No figure",
        width,
        width,
        mark_safe("".join(body)),
    )


def heat_class(value: float | None) -> str:
    """A CSS class for a heat-map cell: 'heat-1' (low) to 'heat-4' (high)."""
    if value is None:
        return "heat-none"
    return f"heat-{min(4, max(1, round(value)))}"
