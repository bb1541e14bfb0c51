from django import template

from audits import charts

register = template.Library()


@register.simple_tag
def distribution_bar(distribution, scale):
    return charts.distribution_bar(distribution or {}, scale)


@register.simple_tag
def mean_bar(value, scale, compare=None, label="", compare_label="team"):
    return charts.mean_bar(value, scale, compare=compare, label=label, compare_label=compare_label)


@register.filter
def heat_class(value):
    return charts.heat_class(value)


@register.filter
def percent(part, whole):
    return round(100 * part / whole) if whole else 0


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, [])
