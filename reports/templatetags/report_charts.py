"""Template helpers for the report and history pages (and the PDF's print template)."""

from django import template

from reports import charts

register = template.Library()


@register.simple_tag
def change_bars(previous, current, scale, uid, previous_label="Last round", current_label=""):
    return charts.change_bars(
        previous,
        current,
        scale,
        uid=uid,
        previous_label=previous_label,
        current_label=current_label or "This round",
    )


@register.filter
def bar_gradient(distribution):
    """The print template's distribution bar (see reports.charts.distribution_gradient)."""
    return charts.distribution_gradient(distribution or {})


@register.filter
def signed(value, digits=1):
    """+0.4 / −0.3 / 0.0: a change with its sign spelled out (a real minus sign)."""
    if value is None:
        return ""
    text = f"{abs(value):.{int(digits)}f}"
    if round(value, int(digits)) > 0:
        return "+" + text
    if round(value, int(digits)) < 0:
        return "\u2212" + text
    return text


@register.filter
def scale_counts(distribution, scale):
    """'Rarely 1 · Sometimes 3 · …': a distribution in words, for print and screen readers."""
    labels = {str(p["value"]): p["label"] for p in scale or []}
    return " · ".join(f"{labels.get(k, k)} {v}" for k, v in (distribution or {}).items())
