from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = "The meeting board: notes and live events"
