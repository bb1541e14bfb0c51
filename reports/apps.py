import logging

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Meeting reports, exports and the team's history"

    def ready(self) -> None:
        # WeasyPrint narrates every step of every PDF at INFO (and on import); the server log
        # needs none of it. Set here, before reports.pdf first imports it.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
