"""Citizens' subscriptions to a kommun: every write. Double opt-in, one-click removal.

Only the address, the kommun, the language of the page, a random token and two times are kept;
unconfirmed rows are deleted after 48 hours and unsubscribing deletes the row.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from followup.models import Subscription
from municipalities.site.tasks import enqueue_after_commit

CONFIRMATION_VALIDITY = timedelta(hours=48)


@transaction.atomic
def subscribe(*, by, email, municipality, language="sv", now=None) -> Subscription:
    """Ask to subscribe ``email`` to ``municipality``'s follow-ups; mails a confirmation link.

    ``by`` is the (anonymous) visitor. Side effects: a Subscription row, or, for an address that
    is waiting for confirmation, a fresh 48 hours and a new mail; nothing for an address already
    confirmed (the answer to the visitor is the same either way, so no address is revealed).
    """
    now = now or timezone.now()
    email = email.strip().lower()
    subscription = (
        Subscription.objects.select_for_update()
        .filter(email=email, municipality=municipality)
        .first()
    )
    if subscription is not None and subscription.confirmed_at is not None:
        return subscription
    if subscription is None:
        subscription = Subscription(
            email=email, municipality=municipality, token=secrets.token_urlsafe(32)
        )
    subscription.created_at = now
    subscription.language = language
    subscription.save()
    from followup.subscriptions.tasks import send_confirmation

    enqueue_after_commit(send_confirmation, subscription.pk, now.isoformat())
    return subscription


def pending_subscription(token, now=None) -> Subscription | None:
    """The unconfirmed subscription a confirmation link names, while its 48 hours last."""
    now = now or timezone.now()
    return (
        Subscription.objects.select_related("municipality")
        .filter(token=token, created_at__gt=now - CONFIRMATION_VALIDITY)
        .first()
    )


def subscription_for(token) -> Subscription | None:
    """The subscription (confirmed or not) an unsubscribe link names."""
    return Subscription.objects.select_related("municipality").filter(token=token).first()


@transaction.atomic
def confirm_subscription(subscription, *, by, now=None) -> Subscription:
    """Confirm (double opt-in). Side effects: sets confirmed_at once; a repeat changes nothing."""
    now = now or timezone.now()
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def unsubscribe(token, *, by) -> bool:
    """Delete the subscription the token names; True if there was one. Side effects: deletes."""
    deleted, _counts = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


@transaction.atomic
def expire_unconfirmed(*, by=None, now=None) -> int:
    """Delete subscriptions left unconfirmed for 48 hours (run daily). Returns how many."""
    now = now or timezone.now()
    deleted, _counts = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lte=now - CONFIRMATION_VALIDITY
    ).delete()
    return deleted
