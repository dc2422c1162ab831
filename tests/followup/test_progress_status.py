"""The cheap entry to the progress engine (``build_status`` / ``public_statuses_for``), which a
kommun's period cards use, gives the same status and totals as the full engine
(``build_progress`` / ``public_progress_for``) on any period, target, amendment, sums and day.

The property runs on unsaved activities and periods with random sums: both functions are pure
Python over the same sums, so no database is needed for the comparison itself; one database
test checks that the two public entries agree on real events.
"""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.models import EventKind
from followup.progress import (
    bucket_spans,
    build_progress,
    build_status,
    public_progress_for,
    public_statuses_for,
)
from promises.models import Activity, Cadence, PromisePeriod, TargetKind
from tests import factories


@st.composite
def cases(draw):
    starts_on = draw(st.dates(date(2000, 1, 1), date(2094, 12, 31)))
    ends_on = starts_on + timedelta(days=draw(st.integers(0, 5 * 365 - 1)))
    # Count targets and amended ones are weighted up: they are where the two engines could part.
    kind = draw(st.sampled_from([TargetKind.COUNT] * 3 + TargetKind.values))
    count = kind == TargetKind.COUNT
    cadence = draw(st.sampled_from(Cadence.values)) if count else ""
    period = PromisePeriod(starts_on=starts_on, ends_on=ends_on)
    history = []
    if count and draw(st.integers(0, 3)):
        applies_from = starts_on + timedelta(days=draw(st.integers(0, (ends_on - starts_on).days)))
        history.append(
            {
                "applies_from": applies_from.isoformat(),
                "kind": draw(st.sampled_from([TargetKind.COUNT] * 3 + [TargetKind.MILESTONE])),
                "cadence": draw(st.sampled_from([cadence] * 3 + [Cadence.PERIOD])),
                "quantity": draw(st.integers(1, 60)),
            }
        )
    activity = Activity(
        period=period,
        target_kind=kind,
        target_quantity=draw(st.integers(1, 60)) if count else None,
        cadence=cadence,
        due_on=draw(st.none() | st.dates(starts_on, ends_on)) if kind == "milestone" else None,
        target_history=history,
    )
    keys = [span.key for span in bucket_spans(cadence, starts_on, ends_on)]
    kinds = [EventKind.DONE, EventKind.REQUESTED] if kind == "on_request" else [EventKind.DONE]
    # Sums near one level in every bucket, so "every bucket achieved" and "one bucket short by
    # a unit" both come up, under the target in force or the one before an amendment.
    level = draw(st.integers(0, 60))
    sums = {}
    for key in keys:
        for event_kind in kinds:
            quantity = draw(st.integers(max(0, level - 3), level + 3))
            if quantity:
                sums[(key, event_kind)] = quantity
    length = (ends_on - starts_on).days
    after_end = st.integers(length + 1, length + 400)
    today = starts_on + timedelta(days=draw(st.integers(-400, length + 400) | after_end))
    return activity, sums, today


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_build_status_matches_the_full_engine_on_random_data(case):
    activity, sums, today = case

    status = build_status(activity, sums, today)

    full = build_progress(activity, sums, today)
    assert (status.status, status.done_total, status.requested_total) == (
        full.status,
        full.done_total,
        full.requested_total,
    )


@pytest.mark.django_db
def test_public_statuses_for_matches_public_progress_for_on_logged_events():
    period = factories.period_with_work(activities=3, events=5)
    ongoing = factories.activity(period, target_kind=TargetKind.ONGOING)
    factories.event(ongoing, period.starts_on + timedelta(days=40), 3)
    monthly = factories.activity(period, cadence=Cadence.MONTH, target_quantity=4)
    factories.event(monthly, period.starts_on, 4)
    activities = list(Activity.objects.public().filter(period=period).select_related("period"))
    today = period.starts_on + timedelta(days=70)

    statuses = public_statuses_for(activities, today=today)

    full = public_progress_for(activities, today=today)
    assert {pk: (s.status, s.done_total) for pk, s in statuses.items()} == {
        pk: (p.status, p.done_total) for pk, p in full.items()
    }
    assert statuses[ongoing.pk].done_total == 3
