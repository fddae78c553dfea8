"""The event taxonomy is validated at start-up: a broken file stops the service with its errors."""

from django.core.checks import Error, register

from assessments.definitions import DefinitionError

from .taxonomy import default_taxonomy_path, taxonomy_from_yaml


@register()
def chronology_taxonomy_is_valid(app_configs, **kwargs) -> list[Error]:
    path = default_taxonomy_path()
    try:
        taxonomy_from_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [Error(f"The chronology event taxonomy is missing: {path}", id="sightline.E020")]
    except DefinitionError as error:
        return [Error(f"The chronology event taxonomy is not valid: {p}", id="sightline.E021") for p in error.errors]
    return []
