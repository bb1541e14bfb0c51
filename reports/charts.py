"""Pictures for reports: the history's paired bars (SVG), and the print version of a
statement's distribution bar.

The history picture: one area's figure in the earlier round beside this round's, as SVG.

Two bars on the same scale: the earlier round hatched and outlined, this round solid, each with
its value written at its end, so the picture reads in black and white and without colour.
A side with no figure (hidden below 3 people, or not asked) says so in words instead of a bar.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from audits.charts import SCALE_COLOURS

INK = "#10233d"
SOLID = "#1f4e8c"


def _lane(side: dict | None, y: int, *, bar_width: int, lo: int, hi: int, earlier: bool, uid):
    if side is None or side.get("suppressed") or side.get("mean") is None:
        words = (
            "not asked"
            if side is None
            else "hidden: fewer than 3"
            if side.get("suppressed")
            else "no answers"
        )
        return format_html(
            '<text x="2" y="{}" fill="{}" font-size="12" font-style="italic">{}</text>',
            y + 12,
            INK,
            words,
        )
    value = side["mean"]
    w = max(2.0, bar_width * (value - lo + 1) / (hi - lo + 1))
    fill = f"url(#hatch-{uid})" if earlier else SOLID
    return format_html(
        '<rect x="0" y="{}" width="{}" height="15" fill="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" fill="{}" font-size="12">{}</text>',
        y,
        f"{w:.1f}",
        fill,
        INK,
        f"{w + 4:.1f}",
        y + 12,
        INK,
        f"{value:.1f}",
    )


def change_bars(
    previous: dict | None,
    current: dict | None,
    scale: list[dict],
    *,
    uid: str,
    previous_label: str = "Last round",
    current_label: str = "This round",
    width: int = 300,
) -> SafeString:
    """Paired bars for one area; `uid` makes the hatch pattern's id unique on the page."""
    lo, hi = scale[0]["value"], scale[-1]["value"]
    bar_width = width - 40  # room for the value written after the bar
    ticks = "".join(
        format_html(
            '<line x1="{x}" y1="0" x2="{x}" y2="40" stroke="#c9d1dc" stroke-width="1"/>',
            x=f"{bar_width * (v - lo + 1) / (hi - lo + 1):.1f}",
        )
        for v in range(lo, hi + 1)
    )
    described = []
    for label, side in ((previous_label, previous), (current_label, current)):
        if side is None:
            described.append(f"{label}: not asked")
        elif side.get("suppressed"):
            described.append(f"{label}: hidden, fewer than 3 people")
        elif side.get("mean") is None:
            described.append(f"{label}: no answers")
        else:
            described.append(f"{label} {side['mean']:.1f} of {hi}")
    common = {"bar_width": bar_width, "lo": lo, "hi": hi, "uid": uid}
    return format_html(
        '<svg class="chart change-bars" role="img" aria-label="{}" viewBox="0 0 {} 42" '
        'width="{}" height="42" xmlns="http://www.w3.org/2000/svg">'
        '<defs><pattern id="hatch-{}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="2"/></pattern></defs>'
        "{}{}{}</svg>",
        "; ".join(described),
        width,
        width,
        uid,
        INK,
        mark_safe(ticks),
        _lane(previous, 3, earlier=True, **common),
        _lane(current, 23, earlier=False, **common),
    )


def distribution_gradient(distribution: dict[str, int]) -> str:
    """A statement's stacked distribution bar as a CSS background with hard colour stops: the
    same shades, in the same order, as audits.charts.distribution_bar draws in SVG.

    For the PDF only, where one box with a background lays out many times faster than an SVG
    of rectangles and labels (the counts are printed beside the bar in words).
    """
    total = sum(distribution.values())
    if not total:
        return "linear-gradient(to right, #eeeeee 0%, #eeeeee 100%)"
    stops, start = [], 0
    for index, count in enumerate(distribution.values()):
        if not count:
            continue
        colour = SCALE_COLOURS[min(index, len(SCALE_COLOURS) - 1)]
        end = start + count
        stops.append(f"{colour} {100 * start / total:.2f}%, {colour} {100 * end / total:.2f}%")
        start = end
    return "linear-gradient(to right, " + ", ".join(stops) + ")"
