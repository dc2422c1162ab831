"""Small helpers the services of every app share for refusing bad input and locking rows.

A service collects its refusals in a dict of field → list of ``ValidationError`` (with
``NON_FIELD_ERRORS`` for the rest), raises them all at once before writing anything, and re-reads
the row it changes under a lock so that two concurrent edits act one after the other.
"""

from django.core.exceptions import ValidationError


def add_error(errors: dict, field: str, message: str, code: str | None = None) -> None:
    """Add a Swedish ``message`` for ``field`` to the collected ``errors``."""
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def raise_if_any(errors: dict) -> None:
    """Raise the collected errors, if any, as one ``ValidationError`` (field → messages)."""
    if errors:
        raise ValidationError(errors)


def locked(instance, *related: str):
    """The row re-read from the database under a row lock (``SELECT … FOR UPDATE`` of that row
    only), with ``related`` joined in. The instance passed in is left as it was."""
    manager = type(instance)._default_manager
    return manager.select_for_update(of=("self",)).select_related(*related).get(pk=instance.pk)
