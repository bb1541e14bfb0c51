"""Configuration mistakes as system checks with ids, so `flipchart check` reports them."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_channel_layer(app_configs, **kwargs):
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if (
        not settings.DEBUG
        and layer.endswith("InMemoryChannelLayer")
        and getattr(settings, "FLIPCHART_WORKERS", 1) > 1
    ):
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
