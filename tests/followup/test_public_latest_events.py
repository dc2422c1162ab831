"""The latest events on the kommun and period pages: found from a cutoff day (issue 17), they are
exactly the newest events a full sort gives, and each is shown as ``_event.html`` always showed
it, whether the page passes an ``EventRow`` or the index passes a ``FollowUpEvent``."""

from datetime import date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from followup.models import FollowUpEvent
from followup.public import event_queries
from promises.models import TargetKind
from tests import factories

pytestmark = pytest.mark.django_db


def _retract(event):
    FollowUpEvent.objects.filter(pk=event.pk).update(
        retracted_at=timezone.now(), retracted_by=factories.user(), retraction_reason="Fel datum."
    )


def _pks(rows):
    return [row.pk for row in rows]


def _busy_kommun():
    """Tranås with an earlier and a running period: one activity logged every day lately, one
    logged once but newest of all, one with old events only; a retracted event newer than all,
    and a newer event in another kommun."""
    earlier = factories.period("0687", starts_on=date(2020, 1, 1), ends_on=date(2021, 12, 31))
    old = factories.activity(earlier)
    for day in range(3):
        factories.event(old, date(2020, 3, 1 + day))
    running = factories.running_period("0687")
    today = timezone.localdate()
    daily, once = factories.activity(running), factories.activity(running)
    for day in range(8):
        factories.event(daily, today - timedelta(days=day + 2), place=f"Plats {day}")
    factories.event(once, today)
    _retract(factories.event(daily, today))
    factories.event(factories.activity(factories.running_period("0604")), today)
    return factories.municipality("0687")


def test_kommun_page_shows_the_same_five_newest_standing_events_as_a_full_sort(client):
    municipality = _busy_kommun()

    response = client.get(reverse("public:municipality_detail", args=["tranas"]))

    shown = _pks(response.context["latest_events"])
    assert shown == [
        e.pk for e in event_queries.latest_follow_ups(limit=5, municipality=municipality)
    ]
    assert len(shown) == 5
    assert FollowUpEvent.objects.get(pk=shown[0]).occurred_on == timezone.localdate()


def test_kommun_page_shows_every_event_when_fewer_activities_than_five_have_any(client):
    period = factories.running_period("0687")
    activity = factories.activity(period)
    factories.activity(period)  # nothing logged
    events = [factories.event(activity, period.starts_on + timedelta(days=d)) for d in range(3)]

    response = client.get(reverse("public:municipality_detail", args=["tranas"]))

    assert _pks(response.context["latest_events"]) == [e.pk for e in reversed(events)]


def test_period_page_shows_the_same_ten_newest_events_as_a_full_sort_retracted_included(client):
    period = factories.running_period("0687")
    today = timezone.localdate()
    busy, quiet = factories.activity(period), factories.activity(period)
    for number in range(12):  # the same day for several: logged time, then id, decide
        factories.event(busy, today - timedelta(days=number // 3))
    factories.event(quiet, period.starts_on)
    _retract(factories.event(quiet, today))

    response = client.get(reverse("public:period_detail", args=["tranas", period.slug]))

    full_sort = event_queries.public_events().filter(activity__period=period)
    expected = [e.pk for e in full_sort.order_by(*event_queries.LATEST_FIRST)[:10]]
    assert _pks(response.context["page"].latest_events) == expected
    assert "Rättad: räknas inte" in response.content.decode()


def _late_retracted_event():
    period = factories.period("0687", starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
    activity = factories.activity(
        period, description=" ".join(f"ord{n}" for n in range(20)) + " <b>slut</b>"
    )
    event = factories.event(
        activity, date(2024, 5, 12), 1, place="Torget & stationen", summary="Kontroll <i>vid</i> E4"
    )
    logged = timezone.make_aware(datetime(2025, 2, 3, 23, 30))
    FollowUpEvent.objects.filter(pk=event.pk).update(logged_at=logged, late_reason="Glömd.")
    _retract(event)
    return event_queries.public_events().get(pk=event.pk)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_event_row_renders_exactly_as_the_event_itself(language):
    event = _late_retracted_event()
    context = {"show_activity": True, "show_municipality": True}

    with translation.override(language):
        from_event = render_to_string("public/_event.html", {"event": event, **context})
        from_row = render_to_string(
            "public/_event.html", {"event": event_queries.event_rows([event])[0], **context}
        )

    assert from_row == from_event
    assert "ord13 …" in from_row
    assert "&lt;b&gt;slut" not in from_row  # shortened before escaping, as truncatewords did
    assert "Torget &amp; stationen" in from_row
    assert "Kontroll &lt;i&gt;vid&lt;/i&gt; E4" in from_row


def test_event_row_words_dates_units_and_late_logging_in_swedish():
    event = _late_retracted_event()

    with translation.override("sv"):
        row = event_queries.event_rows([event])[0]

    assert (row.occurred_iso, row.occurred_text) == ("2024-05-12", "12 maj 2024")
    assert row.late_text == "3 februari 2025"
    assert row.unit == "trafikkontroll"
    assert row.is_retracted is True
    assert row.activity_url == reverse(
        "public:activity_detail",
        args=["tranas", event.activity.period.slug, event.activity_id],
    )


def test_event_row_of_work_without_a_unit_says_genomford():
    activity = factories.activity(factories.running_period(), target_kind=TargetKind.ONGOING)
    event = factories.event(activity, timezone.localdate(), 2)

    with translation.override("sv"):
        row = event_queries.event_rows([event_queries.public_events().get(pk=event.pk)])[0]

    assert (row.quantity, row.unit, row.late_text) == (2, "genomförd", "")
