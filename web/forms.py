"""Form helpers shared by every app's pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def service_errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's refusal on the form: each message on its field when the form has one,
    otherwise at the top of the page (the error summary)."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
