"""Sane dates (issue 12, item 10): a period lasts at most five years and ends in this century, and
progress never raises on any date inside or around a period.

The property test draws random periods (up to five years), cadences, targets, events, a report
span and a "today" from well before the start to well after the end, and asks the progress
engine everything a page or report asks of it. It renders nothing: what it guards is the date
arithmetic (buckets, prorating, statuses), which is Python. So it runs on SQLite only; the one
SQL part, the bucket key, is checked against its Python twin on both databases by
tests/followup/test_progress.py (test_sql_bucket_key_matches_python_for_every_cadence).
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.models import MAX_EVENT_QUANTITY, EventKind, FollowUpEvent
from followup.progress import Status, progress_for, public_progress_for, rollup
from municipalities.models import Role
from promises.models import (
    EARLIEST_PERIOD_DAY,
    LATEST_PERIOD_DAY,
    Activity,
    Cadence,
    PeriodStatus,
    PromisePeriod,
    TargetKind,
)
from promises.services import create_period, period_date_errors
from tests import factories

pytestmark = pytest.mark.django_db

# --- Sane dates: form, service, database ---------------------------------------------------------


@pytest.mark.parametrize(
    "starts_on, ends_on, errors",
    [
        (date(2024, 1, 1), date(2028, 12, 31), {}),
        (date(2024, 3, 1), date(2029, 2, 28), {}),
        (
            date(2024, 3, 1),
            date(2029, 3, 1),
            {
                "ends_on": "Ett medborgarlöfte kan gälla i högst fem år: från 1 mars 2024 till "
                "och med 28 februari 2029."
            },
        ),
        (
            date(2025, 1, 1),
            date(9999, 12, 31),
            {"ends_on": "Slutdatumet måste ligga mellan år 2000 och 2099."},
        ),
        (
            date(1999, 12, 31),
            date(2000, 12, 31),
            {"starts_on": "Startdatumet måste ligga mellan år 2000 och 2099."},
        ),
        (
            date(2025, 1, 1),
            date(2024, 12, 31),
            {"ends_on": "Slutdatumet kan inte ligga före startdatumet."},
        ),
    ],
    ids=[
        "five calendar years",
        "five years from 1 March",
        "a day more",
        "9999-12-31",
        "before 2000",
        "end before start",
    ],
)
def test_period_date_errors_allow_five_years_and_nothing_absurd(starts_on, ends_on, errors):
    assert period_date_errors(starts_on, ends_on) == errors


def test_create_period_refuses_an_end_on_9999_12_31_and_writes_nothing():
    editor = factories.member(factories.municipal_organisation(), Role.EDITOR)

    with pytest.raises(ValidationError) as error:
        create_period(
            factories.municipality(),
            by=editor,
            title="Medborgarlöfte för alltid",
            slug="for-alltid",
            starts_on=date(2025, 1, 1),
            ends_on=date(9999, 12, 31),
        )

    assert error.value.message_dict == {
        "ends_on": ["Slutdatumet måste ligga mellan år 2000 och 2099."]
    }
    assert PromisePeriod.objects.count() == 0


def test_period_form_shows_the_five_year_rule_next_to_the_field(client):
    editor = factories.member(factories.municipal_organisation(), Role.EDITOR)
    client.force_login(editor)

    response = client.post(
        reverse("promises:period_create"),
        {
            "title": "Medborgarlöfte 2025–2031",
            "slug": "2025-2031",
            "starts_on": "2025-01-01",
            "ends_on": "2031-12-31",
        },
    )

    assert response.status_code == 200
    assert (
        "Ett medborgarlöfte kan gälla i högst fem år: från 1 januari 2025 till och med "
        "31 december 2029." in response.content.decode()
    )
    assert PromisePeriod.objects.count() == 0


@pytest.mark.parametrize(
    "starts_on, ends_on",
    [(date(2024, 1, 1), date(2029, 1, 1)), (date(2098, 1, 1), date(9999, 12, 31))],
    ids=["five years and a day", "9999-12-31"],
)
def test_database_refuses_a_period_that_is_not_sane(starts_on, ends_on):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.period(starts_on=starts_on, ends_on=ends_on)

    assert PromisePeriod.objects.count() == 0


def test_database_accepts_five_calendar_years_with_two_leap_days():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2028, 12, 31))

    assert PromisePeriod.objects.get() == period


# --- Progress never raises: a property over random periods and days ------------------------------

LONGEST = 5 * 366


@st.composite
def periods(draw):
    """(start, end) of a period of at most five years between 2000 and 2099."""
    starts_on = draw(st.dates(EARLIEST_PERIOD_DAY, LATEST_PERIOD_DAY))
    ends_on = draw(st.dates(starts_on, min(LATEST_PERIOD_DAY, starts_on + timedelta(LONGEST))))
    if period_date_errors(starts_on, ends_on):
        ends_on = starts_on + timedelta(days=draw(st.integers(0, 5 * 365 - 1)))
        ends_on = min(ends_on, LATEST_PERIOD_DAY)
    return starts_on, ends_on


@st.composite
def cases(draw):
    starts_on, ends_on = draw(periods())
    length = (ends_on - starts_on).days
    kind = draw(st.sampled_from(TargetKind.values))
    count = kind == TargetKind.COUNT
    events = draw(
        st.lists(
            st.tuples(
                st.integers(0, length),
                st.integers(1, MAX_EVENT_QUANTITY if count else 1),
                st.sampled_from(
                    [EventKind.DONE, EventKind.REQUESTED]
                    if kind == TargetKind.ON_REQUEST
                    else [EventKind.DONE]
                ),
            ),
            max_size=12,
        )
    )
    first, last = sorted(draw(st.integers(0, length)) for _ in range(2))
    return {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "kind": kind,
        "cadence": draw(st.sampled_from(Cadence.values)) if count else "",
        "quantity": draw(st.integers(1, 5000)) if count else None,
        "events": events,
        "span": (starts_on + timedelta(first), starts_on + timedelta(last)),
        "today": starts_on + timedelta(days=draw(st.integers(-400, length + 400))),
        "monthly_only": draw(st.booleans()),
    }


def _arrange(case):
    period = factories.period(
        starts_on=case["starts_on"],
        ends_on=case["ends_on"],
        police_monthly_counts_only=case["monthly_only"],
        status=PeriodStatus.ADOPTED,
    )
    count = case["kind"] == TargetKind.COUNT
    activity = factories.activity(
        period,
        target_kind=case["kind"],
        target_quantity=case["quantity"],
        cadence=case["cadence"] or Cadence.YEAR,
        unit_singular="kontroll" if count else "",
        unit_plural="kontroller" if count else "",
    )
    police = activity.responsible_organisations.get()
    logger = factories.logger()
    FollowUpEvent.objects.bulk_create(
        FollowUpEvent(
            activity=activity,
            occurred_on=case["starts_on"] + timedelta(days=offset),
            quantity=quantity,
            kind=kind,
            organisation=police,
            logged_by=logger,
        )
        for offset, quantity, kind in case["events"]
    )
    return Activity.objects.select_related("period").get(pk=activity.pk)


def _everything_a_page_asks(progress, span):
    """Touch every derived value pages and reports read; return the numbers to check."""
    values = [
        progress.status,
        progress.current,
        progress.todays_bucket,
        progress.summary,
        progress.achieved_rate,
        rollup([progress]),
    ]
    for bucket in progress.buckets:
        values += [bucket.label, bucket.percent, bucket.status, bucket.expected]
    summary = progress.span(*span)
    values += [
        summary.status,
        summary.target,
        summary.expected,
        summary.percent,
        summary.expected_percent,
        summary.summary,
        summary.done_in_buckets,
        summary.ended_buckets,
    ]
    return values, summary


# Run once (make test's SQLite run): the date arithmetic under test is Python; the SQL bucket
# key is tested on both databases elsewhere.
@pytest.mark.once
@settings(
    max_examples=120,
    deadline=None,
    # One database (the test's) for all examples: each example rolls back its own savepoint.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_progress_never_raises_on_any_day_around_any_sane_period(case):
    with transaction.atomic():
        activity = _arrange(case)
        today, span = case["today"], case["span"]

        progress = progress_for([activity], today=today, spans=[span])[activity.pk]
        public = public_progress_for([activity], today=today)[activity.pk]
        _, summary = _everything_a_page_asks(progress, span)

        counted = sum(
            quantity
            for offset, quantity, kind in case["events"]
            if kind == EventKind.DONE and case["starts_on"] + timedelta(offset) <= today
        )
        assert progress.done_total == counted
        assert public.done_total <= progress.done_total
        assert progress.status in Status
        assert summary.status in Status
        if case["kind"] == TargetKind.COUNT:
            assert sum(bucket.done for bucket in progress.buckets) == counted
            assert progress.buckets[0].start == case["starts_on"]
            assert progress.buckets[-1].end == case["ends_on"]
            assert all(0 <= bucket.percent <= 100 for bucket in progress.buckets)
            assert all(bucket.target >= 0 for bucket in progress.buckets)
        if today < case["starts_on"]:
            assert progress.status == Status.UPCOMING
        transaction.set_rollback(True)
