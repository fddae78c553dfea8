"""The default tool is validated at start-up: a broken definition stops the service with its errors."""

from django.core.checks import Error, register

from .definitions import DefinitionError, default_definition, default_tool_path


@register()
def default_tool_is_valid(app_configs, **kwargs) -> list[Error]:
    path = default_tool_path()
    try:
        default_definition()  # parsed once here, then reused by every page
    except FileNotFoundError:
        return [Error(f"The default neglect tool is missing: {path}", id="sightline.E010")]
    except DefinitionError as error:
        return [
            Error(f"The default neglect tool is not valid: {problem}", id="sightline.E011") for problem in error.errors
        ]
    return []
