from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "Facilitator's guide"

    def ready(self) -> None:
        from guide import checks  # noqa: F401  (registers guide.E001)
