"""Configuration mistakes as system checks with ids, so `flipchart check` reports them."""

import os

from channels.layers import InMemoryChannelLayer
from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string


def planned_workers() -> int:
    """How many server processes this deployment says it runs: WORKERS (read by `flipchart
    serve`) or WEB_CONCURRENCY (read by gunicorn and uvicorn), whichever is larger."""
    counts = [1]
    for name in ("WORKERS", "WEB_CONCURRENCY"):
        try:
            counts.append(int(os.environ.get(name) or 1))
        except ValueError:
            continue
    return max(counts)


@register()
def check_channel_layer(app_configs, **kwargs):
    layer = import_string(settings.CHANNEL_LAYERS["default"]["BACKEND"])
    if not settings.DEBUG and issubclass(layer, InMemoryChannelLayer) and planned_workers() > 1:
        return [
            Error(
                "Several workers need a shared channel layer.",
                hint="Set REDIS_URL, or run one worker: an in-process layer per worker loses "
                "about half the live updates.",
                id="flipchart.E001",
            )
        ]
    return []


@register(deploy=True)
def check_site_url(app_configs, **kwargs):
    if settings.SITE_URL.startswith("http://") and settings.SECURE_SSL_REDIRECT:
        return [
            Warning(
                "SITE_URL starts with http:// but HTTPS is enforced.",
                hint="Set SITE_URL to the https:// address teachers use; invitation links "
                "are built from it.",
                id="flipchart.W001",
            )
        ]
    return []
