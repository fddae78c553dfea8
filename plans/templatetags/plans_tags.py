from django import template

register = template.Library()


@register.filter
def bound_field(form, name: str):
    """The bound field of a form by a name built in the template (forms with per-record fields)."""
    return form[name]
