"""Writes of the notifications package: a staff user's mail preferences."""

from django.db import transaction

from municipalities.models import MailPreference


@transaction.atomic
def save_mail_preferences(user, *, by, **fields) -> MailPreference:
    """Store the user's choices (language, which mails). Side effects: one MailPreference row."""
    preference, _created = MailPreference.objects.update_or_create(user=user, defaults=fields)
    return preference
