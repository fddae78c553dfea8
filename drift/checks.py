"""A start-up check: the service refuses to run with drift rules it cannot use."""

from django.core import checks

from assessments.definitions import DefinitionError

from .rules import default_ruleset


@checks.register()
def drift_rules_load(app_configs, **kwargs) -> list[checks.CheckMessage]:
    try:
        default_ruleset()
    except DefinitionError as exc:
        return [checks.Error(f"drift rules: {error}", id="drift.E001") for error in exc.errors]
    return []
