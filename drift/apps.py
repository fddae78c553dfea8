from django.apps import AppConfig


class DriftConfig(AppConfig):
    name = "drift"
    verbose_name = "Drift and oversight"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the start-up check of the drift rules)
