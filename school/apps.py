from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "school"
    verbose_name = "The school: senior leaders' view and the data a school owns"

    def ready(self) -> None:
        from school import checks  # noqa: F401  (registers the system checks)
