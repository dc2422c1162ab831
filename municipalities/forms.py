"""Form helpers shared by every app (this is the lowest layer, so all of them may import it)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DateInput(forms.DateInput):
    """A native date picker; the value in ISO form, which is what the picker reads."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def add_service_errors(form, error: ValidationError):
    """Put a service's ValidationError next to the fields it names; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)
