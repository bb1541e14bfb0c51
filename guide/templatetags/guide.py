from django import template

from guide.text import render_text

register = template.Library()


@register.filter
def guide_text(text: str):
    """Render a content file's text (paragraphs, bullet lists, **bold**) as safe HTML."""
    return render_text(text or "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
