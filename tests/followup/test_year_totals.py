"""The activities' yearly totals (``ActivityYearTotal``) are kept by the database itself: after
any kind of write to events, through a service, the ORM, a bulk insert, a queryset update or raw
SQL, they equal the totals counted from the events. On SQLite and on PostgreSQL, whose triggers
are written differently (row-level there, statement-level with transition tables here)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import services
from followup.models import ActivityYearTotal, FollowUpEvent
from promises.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


def counted_from_events() -> dict:
    """(activity id, year) → (events, quantity) of the standing events, counted afresh."""
    rows = (
        FollowUpEvent.objects.counting()
        .annotate(year=ExtractYear("occurred_on"))
        .values("activity_id", "year")
        .annotate(events=Count("id"), quantity=Sum("quantity"))
        .order_by()
    )
    return {(r["activity_id"], r["year"]): (r["events"], r["quantity"]) for r in rows}


def kept_totals() -> dict:
    """The same from ``ActivityYearTotal``, leaving out rows that have fallen to zero."""
    rows = ActivityYearTotal.objects.filter(events__gt=0)
    return {(r.activity_id, r.year): (r.events, r.quantity) for r in rows}


def test_totals_follow_events_written_through_the_services():
    period = factories.running_period()
    activity = factories.activity(period)
    reporter = factories.logger()
    today = timezone.localdate()
    organisation = activity.responsible_organisations.first()
    first = services.log_event(
        activity, by=reporter, occurred_on=today, organisation=organisation, quantity=3
    )
    services.log_event(
        activity, by=reporter, occurred_on=today, organisation=organisation, quantity=2
    )

    assert kept_totals() == {(activity.pk, today.year): (2, 5)}

    services.correct_event(first, by=reporter, reason="Fel antal", quantity=4)
    assert kept_totals() == {(activity.pk, today.year): (2, 6)}

    services.retract_event(first, by=reporter, reason="Dubblett")
    assert kept_totals() == counted_from_events() == {(activity.pk, today.year): (1, 2)}


def test_totals_follow_bulk_inserts_queryset_updates_and_raw_deletes():
    activities = [factories.activity(factories.period(code)) for code in ("0687", "0604")]
    organisation = activities[0].responsible_organisations.first()
    FollowUpEvent.objects.bulk_create(
        FollowUpEvent(
            activity=activities[n % 2],
            occurred_on=date(2023 + n % 3, 1 + n % 12, 1),
            quantity=1 + n % 5,
            organisation=organisation,
            logged_by=factories.logger(),
        )
        for n in range(40)
    )
    assert kept_totals() == counted_from_events()

    # One statement moving events across years and activities, and changing quantities.
    FollowUpEvent.objects.filter(quantity__gte=3).update(occurred_on=date(2026, 5, 5), quantity=2)
    FollowUpEvent.objects.filter(quantity=1).update(activity=activities[1])
    assert kept_totals() == counted_from_events()

    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FollowUpEvent._meta.db_table} WHERE activity_id = %s",
            [activities[0].pk],
        )
    assert kept_totals() == counted_from_events()
    assert not ActivityYearTotal.objects.filter(activity=activities[0], events__gt=0).exists()


def test_an_update_that_changes_nothing_counted_leaves_the_totals_alone():
    activity = factories.activity(factories.period())
    event = factories.event(activity, date(2024, 3, 1), 4)
    before = list(ActivityYearTotal.objects.values_list("id", "events", "quantity"))

    FollowUpEvent.objects.filter(pk=event.pk).update(summary="Ny sammanfattning")

    assert list(ActivityYearTotal.objects.values_list("id", "events", "quantity")) == before


# One write against the events: what it does, on which event or activity, with which values.
WRITES = st.lists(
    st.tuples(
        st.sampled_from(["add", "retract", "restore", "move", "redate", "requantify", "delete"]),
        st.integers(min_value=0, max_value=50),
        st.integers(min_value=1, max_value=9),
        st.integers(min_value=2023, max_value=2026),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=WRITES)
def test_totals_equal_the_events_after_any_sequence_of_writes(writes):
    FollowUpEvent.objects.all().delete()
    activities = three_activities()
    reporter = factories.logger()
    for action, pick, number, year in writes:
        events = list(FollowUpEvent.objects.order_by("pk"))
        event = events[pick % len(events)] if events else None
        one = FollowUpEvent.objects.filter(pk=event.pk) if event else None
        if action == "add" or event is None:
            factories.event(activities[pick % 3], date(year, 1 + pick % 12, 1), number)
        elif action == "retract":
            one.update(retracted_at=timezone.now(), retracted_by=reporter, retraction_reason="Fel")
        elif action == "restore":
            one.update(retracted_at=None, retracted_by=None, retraction_reason="")
        elif action == "move":
            one.update(activity=activities[number % 3])
        elif action == "redate":
            one.update(occurred_on=date(year, 6, number))
        elif action == "requantify":
            one.update(quantity=number)
        else:
            one.delete()
        assert kept_totals() == counted_from_events()


def three_activities() -> list:
    """Three activities in two kommuner, made by the first example and reused by the others
    (every example runs in the same test transaction)."""
    existing = list(Activity.objects.order_by("pk")[:3])
    if len(existing) == 3:
        return existing
    period = factories.period("0687")
    return [
        factories.activity(period),
        factories.activity(period, description="En annan aktivitet"),
        factories.activity(factories.period("0604")),
    ]


# serialized_rollback: the flush after a transactional test would drop the reference data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_totals_the_events_already_there():
    activity = factories.activity(factories.period())
    call_command("migrate", "followup", "0008", verbosity=0)
    try:
        # Written while there are no triggers: the migration must total them itself.
        for day, quantity in [(date(2023, 5, 1), 3), (date(2024, 2, 1), 2), (date(2024, 3, 1), 4)]:
            factories.event(activity, day, quantity)
    finally:
        call_command("migrate", "followup", verbosity=0)

    assert (
        kept_totals()
        == counted_from_events()
        == {
            (activity.pk, 2023): (1, 3),
            (activity.pk, 2024): (2, 6),
        }
    )
