"""The period page's activity cards, each rendered once per content and kept (issue 17):
``followup.public.cards``. A card must never be served stale: its key names everything it
shows, so a write that changes a card changes its key, and the others' keys stay."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone, translation

from followup.models import DeviationReason
from followup.public import cards, queries
from followup.services import add_deviation, log_event
from tests import factories

pytestmark = pytest.mark.django_db


def period_url(period):
    return reverse("public:period_detail", args=[period.municipality.slug, period.slug])


def page_cards(period):
    """The cards of the period page as the view builds them, by activity id."""
    fetched = queries.period_for_page().get(pk=period.pk)
    page = queries.period_page(fetched, today=timezone.localdate())
    return {card.activity.pk: card for _, section in page.sections for card in section}


def keys_of(period):
    return {pk: cards.card_key(card) for pk, card in page_cards(period).items()}


def running_period_with_two_activities():
    period = factories.running_period("0687")
    promise = factories.promise(period)
    first = factories.activity(period, promise_=promise, description="Trafikkontroller.")
    second = factories.activity(period, promise_=promise, description="Trygghetsvandringar.")
    return period, first, second


def log_today(activity, quantity=1):
    log_event(
        activity,
        by=factories.logger(),
        occurred_on=timezone.localdate(),
        organisation=activity.responsible_organisations.first(),
        quantity=quantity,
    )


def test_the_page_keeps_each_card_as_rendered_and_serves_it_from_the_cache(client):
    period, first, second = running_period_with_two_activities()

    text = client.get(period_url(period)).content.decode()

    labels = cards._labels()
    for card in page_cards(period).values():
        kept = caches[cards.CARD_CACHE].get(cards.card_key(card))
        assert kept == cards.render_card(card, labels)
        assert kept in text
    # What is kept is what the page serves: after a write to the first activity (which renews
    # the page), an entry put under the second card's key shows in its place.
    caches[cards.CARD_CACHE].set(keys_of(period)[second.pk], '<li class="activity">kept copy</li>')
    log_today(first)
    text = client.get(period_url(period)).content.decode()
    assert "kept copy" in text
    assert "Trafikkontroller." in text
    assert "Trygghetsvandringar." not in text


def log_seven(period, first, second):
    log_today(first, quantity=7)
    return first, f"7 av 30 trafikkontroller {timezone.localdate().year}"


def explain_a_deviation(period, first, second):
    add_deviation(
        second,
        by=factories.logger(),
        bucket_start=date(period.starts_on.year, 1, 1),
        reason=DeviationReason.RESOURCES,
        text="Resurserna gick till en större insats.",
    )
    return second, "Resurserna gick till en större insats."


@pytest.mark.parametrize("write", [log_seven, explain_a_deviation])
def test_a_write_renews_the_card_of_its_own_activity_alone(client, write):
    period, first, second = running_period_with_two_activities()
    client.get(period_url(period))
    before = keys_of(period)

    written, shown = write(period, first, second)

    after = keys_of(period)
    other = second if written == first else first
    assert after[written.pk] != before[written.pk]
    assert after[other.pk] == before[other.pk]
    assert shown in client.get(period_url(period)).content.decode()


def test_every_stored_field_of_the_activity_is_part_of_the_key():
    period, first, _ = running_period_with_two_activities()
    card = page_cards(period)[first.pk]
    activity = card.activity
    key = cards.card_key(card)

    for field in activity._meta.concrete_fields:
        kept = getattr(activity, field.attname)
        related = field.get_cached_value(activity, None) if field.is_relation else None
        setattr(activity, field.attname, object())
        if related is not None:  # changing the id drops the fetched object: the key reads it
            field.set_cached_value(activity, related)
        try:
            assert cards.card_key(card) != key, field.name
        finally:
            setattr(activity, field.attname, kept)
    assert cards.card_key(card) == key


def test_the_key_names_the_language_the_day_and_what_period_page_worked_out(client):
    period, first, _ = running_period_with_two_activities()
    card = page_cards(period)[first.pk]
    key = cards.card_key(card)

    with translation.override("en"):
        assert cards.card_key(card) != key
    for changed in ({"url": "/annan/"}, {"responsible": "Annan"}, {"target_text": "minst 1"}):
        assert cards.card_key(replace(card, **changed)) != key
    tomorrow = queries.period_page(
        queries.period_for_page().get(pk=period.pk),
        today=date.fromordinal(timezone.localdate().toordinal() + 1),
    )
    later = {c.activity.pk: c for _, section in tomorrow.sections for c in section}[first.pk]
    assert cards.card_key(later) != key


def test_the_english_page_keeps_its_own_cards(client):
    period, first, _ = running_period_with_two_activities()
    swedish = client.get(period_url(period)).content.decode()
    english = client.get("/en" + period_url(period)).content.decode()

    assert "<dt>Ansvarar</dt>" in swedish
    assert "<dt>Responsible</dt>" in english
