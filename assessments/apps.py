from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Neglect assessment tools"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the start-up check of the default tool)
