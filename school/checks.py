"""Configuration mistakes in this app's settings, as system checks with ids."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_retention(app_configs, **kwargs):
    years = getattr(settings, "RETENTION_YEARS", 0)
    if not isinstance(years, int) or years < 0:
        return [
            Error(
                f"RETENTION_YEARS must be 0 (keep everything) or a number of years, not {years!r}.",
                hint="Closed rounds older than this are removed by `flipchart purge-expired`.",
                id="school.E001",
            )
        ]
    return []
