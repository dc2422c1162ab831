"""Background tasks of the subscriptions: confirmation mail, weekly digest, daily expiry."""

from datetime import datetime, timedelta

from django.tasks import task
from django.urls import reverse
from django.utils import translation

from followup.models import Subscription
from followup.subscriptions import services
from followup.subscriptions.digests import kommun_week
from municipalities.site.mail import absolute_url, build_message, demo_mail_allowed, send_once
from municipalities.site.tasks import retried


def _url(name, subscription):
    with translation.override(subscription.language):
        return absolute_url(reverse(name, args=[subscription.token]))


def _municipality_url(subscription):
    with translation.override(subscription.language):
        return absolute_url(
            reverse("public:municipality_detail", args=[subscription.municipality.slug])
        )


@task
@retried
def send_confirmation(subscription_pk: int, requested_at: str) -> bool:
    """Mail the confirmation link (valid 48 hours); nothing if confirmed or removed meanwhile."""
    subscription = (
        Subscription.objects.select_related("municipality")
        .filter(pk=subscription_pk, confirmed_at__isnull=True)
        .first()
    )
    if subscription is None:
        return False
    message = build_message(
        "subscription_confirm",
        {
            "municipality": subscription.municipality,
            "confirm_url": _url("subscriptions:confirm", subscription),
            "privacy_url": _url_privacy(subscription.language),
        },
        to=[subscription.email],
        language=subscription.language,
    )
    return send_once(f"subscription-confirm:{subscription.pk}:{requested_at}", message)


def _url_privacy(language):
    with translation.override(language):
        return absolute_url(reverse("subscriptions:privacy"))


def send_digest(subscription, week, slot: str) -> bool:
    """Mail one subscriber the kommun's week, with one-click unsubscribe headers."""
    unsubscribe_url = _url("subscriptions:unsubscribe", subscription)
    message = build_message(
        "subscription_digest",
        {
            "week": week,
            "municipality": subscription.municipality,
            "municipality_url": _municipality_url(subscription),
            "unsubscribe_url": unsubscribe_url,
        },
        to=[subscription.email],
        language=subscription.language,
        unsubscribe_url=unsubscribe_url,
    )
    return send_once(f"subscription-digest:{slot}:{subscription.pk}", message)


@task
@retried
def send_subscriber_digests(slot: str) -> int:
    """Scheduled weekly: each confirmed subscriber gets their kommun's week, if anything
    happened. Returns how many were sent now (a retry skips those already sent)."""
    until = datetime.fromisoformat(slot)
    since = until - timedelta(days=7)
    include_demo = demo_mail_allowed()
    weeks = {}
    sent = 0
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).select_related(
        "municipality"
    )
    for subscription in subscriptions.order_by("municipality_id", "pk"):
        municipality = subscription.municipality
        if municipality.pk not in weeks:
            weeks[municipality.pk] = kommun_week(
                municipality, since=since, until=until, include_demo=include_demo
            )
        week = weeks[municipality.pk]
        if not week.is_empty and send_digest(subscription, week, slot):
            sent += 1
    return sent


@task
@retried
def expire_unconfirmed_subscriptions(slot: str) -> int:
    """Scheduled daily: delete subscriptions left unconfirmed for 48 hours."""
    return services.expire_unconfirmed(now=datetime.fromisoformat(slot))
