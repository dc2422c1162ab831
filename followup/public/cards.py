"""The period page's activity cards, each rendered once per content and kept in the cache.

A write in a kommun moves its data version on, so the next reader of one of its period pages
has the page rendered afresh (``caching.public_page``). Most of that page is its activity
cards, and a write touches one activity: the others' cards would come out byte for byte as
before. So each card's HTML is kept under a key made of everything the card shows
(``card_key``): the activity's own data, its progress as of today, its deviations and monthly
counts, its address, its responsible organisations and target in words, the day and the
language. A card is rendered again exactly when one of those changes; there is nothing to
invalidate, since a changed card has a new key and the old entry simply expires.

Nothing here decides what the public may see: the cards are built from ``period_page``, which
reads through the public door, and a key can only name what such a card holds.
"""

import hashlib

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

CARD_TEMPLATE = "public/_activity_card.html"
# The cache alias (settings.CACHES): apart from the pages in a process's own memory.
CARD_CACHE = "cards"
# Part of every key: move it on when the card's templates (_activity_card.html and what it
# includes), the progress template tags or their translations change, so a shared cache
# (CACHE_URL) never serves a card rendered by an older release.
CARD_FORMAT = 1
# A kept card is dropped after this long even if it is still asked for.
CARD_SECONDS = 60 * 60


def render_cards(page) -> None:
    """Give every card of ``page`` (a ``queries.PeriodPage``) its HTML as ``card.html``: kept
    ones from the cache (one ``get_many``), the others rendered and kept (one ``set_many``)."""
    cards = [card for _, section in page.sections for card in section]
    if not cards:
        return
    keys = [card_key(card) for card in cards]
    cache = caches[CARD_CACHE]
    kept = cache.get_many(keys)
    fresh = {}
    labels = None
    for card, key in zip(cards, keys, strict=True):
        html = kept.get(key)
        if html is None:
            labels = labels or _labels()
            html = fresh[key] = render_card(card, labels)
        card.html = mark_safe(html)  # noqa: S308 — our own template's output
    if fresh:
        cache.set_many(fresh, CARD_SECONDS)


def render_card(card, labels: dict) -> str:
    """One card's HTML. Without the request: the card reads nothing of it, so no context
    processor runs per card, and the result holds nothing its key does not name."""
    return get_template(CARD_TEMPLATE).render({"card": card, **labels})


def _labels() -> dict:
    """The cards' headings, translated once per page rather than once per card."""
    return {
        "label_responsible": gettext("Ansvarar"),
        "label_target": gettext("Mål"),
        "label_earlier": gettext("Tidigare delar av perioden"),
        "label_part": gettext("Del av perioden"),
        "label_done": gettext("Utfört"),
        "label_status": gettext("Status"),
    }


def card_key(card) -> str:
    """The cache key of a card: a digest of everything it shows (see the module's docstring)."""
    digest = hashlib.blake2b(repr(card_content(card)).encode(), digest_size=20).hexdigest()
    return f"public-card:{CARD_FORMAT}:{translation.get_language()}:{digest}"


def card_content(card) -> tuple:
    """What a card shows, as plain values: every stored field of its activity and the dates of
    its period (the buckets' spans), its progress (status, totals, the day, each bucket), its
    deviations and monthly counts, and what ``period_page`` worked out for it."""
    progress = card.progress
    activity = progress.activity
    period = activity.period
    return (
        tuple(getattr(activity, field.attname) for field in activity._meta.concrete_fields),
        (period.starts_on, period.ends_on),
        (
            progress.today,
            progress.status,
            progress.done_total,
            progress.requested_total,
            progress.done_on,
            tuple(
                (b.span.start, b.span.end, b.cadence, b.target, b.done, b.expected, b.status)
                for b in progress.buckets
            ),
        ),
        tuple(
            (d.pk, d.bucket_start, d.reason, d.text, d.created_at, d.is_demo)
            for d in card.deviations
        ),
        tuple((row.month, row.quantity, row.events) for row in card.monthly_counts),
        card.url,
        card.responsible,
        card.target_text,
    )
