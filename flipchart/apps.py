from django.apps import AppConfig


class FlipchartConfig(AppConfig):
    name = "flipchart"
    verbose_name = "Flipchart"

    def ready(self) -> None:
        from flipchart import checks  # noqa: F401  (registers the system checks)
