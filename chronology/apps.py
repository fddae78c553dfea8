from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "chronology"
    verbose_name = "Multi-agency chronology"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the start-up check of the event taxonomy)
