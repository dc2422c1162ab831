from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from followup.models import EventKind, FollowUpEvent
from followup.progress import (
    Status,
    bucket_key,
    bucket_spans,
    event_sums,
    progress_for,
    rollup,
)
from promises.models import Cadence, TargetKind
from tests import factories

pytestmark = pytest.mark.django_db


def progress_of(activity, today):
    return progress_for([activity], today=today)[activity.pk]


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def _logged_on(event, day):
    """Factories log events now; here the event was logged on ``day``."""
    FollowUpEvent.objects.filter(pk=event.pk).update(logged_at=_moment(day))
    return event


def span_of(activity, start, end, today):
    return progress_for([activity], today=today, spans=[(start, end)])[activity.pk].span(start, end)


def test_bucket_spans_two_year_period_from_july_clips_calendar_years():
    spans = bucket_spans(Cadence.YEAR, date(2023, 7, 1), date(2025, 6, 30))

    assert [(s.start, s.end) for s in spans] == [
        (date(2023, 7, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 6, 30)),
    ]


def test_progress_per_year_target_prorates_partial_years_and_rounds_up():
    period = factories.period(starts_on=date(2023, 7, 1), ends_on=date(2025, 6, 30))
    activity = factories.activity(period, target_quantity=30, cadence=Cadence.YEAR)

    progress = progress_of(activity, today=date(2024, 3, 1))

    # 2023: 184 of 365 days → 30 × 184 / 365 = 15.1 → 16; 2025: 181 of 365 → 14.9 → 15.
    assert [(b.label, b.target) for b in progress.buckets] == [
        ("2023", 16),
        ("2024", 30),
        ("2025", 15),
    ]


def test_progress_per_year_target_counts_events_in_their_calendar_year():
    period = factories.period(starts_on=date(2023, 7, 1), ends_on=date(2025, 6, 30))
    activity = factories.activity(period, target_quantity=30, cadence=Cadence.YEAR)
    factories.event(activity, date(2023, 12, 31), quantity=16)
    factories.event(activity, date(2024, 1, 1), quantity=4)
    factories.event(activity, date(2024, 2, 15), quantity=1)

    progress = progress_of(activity, today=date(2024, 3, 1))

    assert [b.done for b in progress.buckets] == [16, 5, 0]
    assert [b.status for b in progress.buckets] == [
        Status.ACHIEVED,
        Status.ON_TRACK,
        Status.UPCOMING,
    ]
    # 2024 is a leap year: 61 of 366 days elapsed on 1 March → 30 × 61 / 366 = 5.0 → 5.
    assert progress.current.expected == 5
    assert progress.status == Status.ON_TRACK


def test_progress_per_day_target_is_a_rate_followed_per_calendar_year():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    activity = factories.activity(
        period,
        target_quantity=1,
        cadence=Cadence.DAY,
        unit_singular="fotpatrull",
        unit_plural="fotpatruller",
    )
    factories.event(activity, date(2024, 2, 1), quantity=63)

    progress = progress_of(activity, today=date(2024, 3, 10))

    # 2024 has 366 days; 70 days have passed on 10 March; 63 in 70 days is 0.9 per day.
    assert [(b.label, b.target) for b in progress.buckets] == [("2024", 366), ("2025", 365)]
    assert progress.current.expected == 70
    assert progress.current.status == Status.BEHIND
    assert progress.achieved_rate == pytest.approx(0.9)


def test_progress_per_week_rate_target_counts_weeks_of_the_year_inside_the_period():
    period = factories.period(starts_on=date(2024, 7, 1), ends_on=date(2024, 12, 31))
    activity = factories.activity(period, target_quantity=2, cadence=Cadence.WEEK)

    progress = progress_of(activity, today=date(2024, 7, 14))

    # 184 days hold 26 whole weeks → 2 × 26 = 52; two whole weeks have passed on 14 July.
    assert progress.buckets[0].target == 52
    assert progress.current.expected == 4


def test_progress_tertial_target_prorates_the_first_partial_tertial():
    period = factories.period(starts_on=date(2023, 5, 30), ends_on=date(2024, 12, 31))
    activity = factories.activity(period, target_quantity=10, cadence=Cadence.TERTIAL)
    factories.event(activity, date(2023, 6, 1), quantity=8)
    factories.event(activity, date(2023, 10, 1), quantity=3)

    progress = progress_of(activity, today=date(2024, 1, 15))

    # T2 2023 is 1 May–31 Aug (123 days); 94 of them inside the period → 10 × 94 / 123 → 8.
    assert [(b.label, b.target, b.done) for b in progress.buckets] == [
        ("T2 2023", 8, 8),
        ("T3 2023", 10, 3),
        ("T1 2024", 10, 0),
        ("T2 2024", 10, 0),
        ("T3 2024", 10, 0),
    ]
    assert [b.status for b in progress.buckets] == [
        Status.ACHIEVED,
        Status.NOT_ACHIEVED,
        Status.NOT_STARTED,
        Status.UPCOMING,
        Status.UPCOMING,
    ]
    assert progress.summary == "1 av 2 avslutade tertial uppnådda"


def test_progress_month_target_summarises_ended_months():
    period = factories.period(starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))
    activity = factories.activity(
        period,
        target_quantity=1,
        cadence=Cadence.MONTH,
        unit_singular="krogkontroll",
        unit_plural="krogkontroller",
    )
    for month in (1, 2, 4):
        factories.event(activity, date(2024, month, 10))

    progress = progress_of(activity, today=date(2024, 5, 2))

    assert progress.summary == "3 av 4 avslutade månader uppnådda"
    assert progress.buckets[2].label == "mars 2024"
    assert progress.buckets[2].status == Status.NOT_ACHIEVED
    assert progress.current.label == "maj 2024"


def test_progress_period_target_is_not_prorated():
    period = factories.period(starts_on=date(2023, 5, 30), ends_on=date(2024, 12, 31))
    activity = factories.activity(period, target_quantity=15, cadence=Cadence.PERIOD)

    progress = progress_of(activity, today=date(2024, 1, 1))

    assert [(b.label, b.target) for b in progress.buckets] == [("Hela perioden", 15)]


def test_progress_retracted_event_does_not_count():
    activity = factories.activity(target_quantity=30, cadence=Cadence.YEAR)
    retractor = factories.user()
    factories.event(activity, date(2023, 3, 1), quantity=5)
    factories.event(
        activity,
        date(2023, 3, 2),
        quantity=7,
        retracted_at=timezone.now(),
        retracted_by=retractor,
        retraction_reason="Dubbelregistrerad",
    )

    progress = progress_of(activity, today=date(2023, 6, 1))

    assert progress.buckets[0].done == 5


def test_progress_event_outside_the_period_does_not_count():
    period = factories.period(starts_on=date(2023, 7, 1), ends_on=date(2024, 6, 30))
    activity = factories.activity(period, target_quantity=10, cadence=Cadence.PERIOD)
    yearly = factories.activity(period, target_quantity=10, cadence=Cadence.YEAR)
    for target in (activity, yearly):
        factories.event(target, date(2023, 6, 30), quantity=3)  # the day before the start
        factories.event(target, date(2024, 7, 1), quantity=3)  # the day after the end
        factories.event(target, date(2023, 7, 1), quantity=2)

    progresses = progress_for([activity, yearly], today=date(2024, 1, 10))

    assert progresses[activity.pk].done_total == 2
    assert [b.done for b in progresses[yearly.pk].buckets] == [2, 0]


@pytest.mark.parametrize(
    ("done", "today", "status"),
    [
        (30, date(2023, 3, 1), Status.ACHIEVED),  # done ≥ target, even early
        (10, date(2023, 3, 1), Status.ON_TRACK),  # 59 days → expected 4
        (3, date(2023, 3, 1), Status.BEHIND),  # 3 < 4
        (0, date(2023, 3, 1), Status.NOT_STARTED),  # nothing done, bucket running
        (29, date(2024, 1, 2), Status.NOT_ACHIEVED),  # 2023 ended short of 30
        (0, date(2022, 12, 31), Status.UPCOMING),  # bucket not started
    ],
)
def test_bucket_status_follows_the_table(done, today, status):
    activity = factories.activity(target_quantity=30, cadence=Cadence.YEAR)
    if done:
        factories.event(activity, date(2023, 1, 5), quantity=done)

    progress = progress_of(activity, today=today)

    assert progress.buckets[0].status == status


def test_activity_status_after_the_period_needs_every_bucket_achieved():
    activity = factories.activity(target_quantity=2, cadence=Cadence.YEAR)
    factories.event(activity, date(2023, 5, 1), quantity=2)
    factories.event(activity, date(2024, 5, 1), quantity=1)

    progress = progress_of(activity, today=date(2025, 2, 1))

    assert progress.status == Status.NOT_ACHIEVED
    assert progress.summary == "1 av 2 avslutade år uppnådda"


def test_activity_status_before_the_period_is_upcoming():
    activity = factories.activity(target_quantity=30, cadence=Cadence.YEAR)

    progress = progress_of(activity, today=date(2022, 6, 1))

    assert progress.status == Status.UPCOMING


def test_milestone_is_achieved_once_an_event_records_it():
    activity = factories.activity(target_kind=TargetKind.MILESTONE)
    waiting = factories.activity(activity.period, target_kind=TargetKind.MILESTONE)
    factories.event(activity, date(2023, 9, 1))

    progresses = progress_for([activity, waiting], today=date(2023, 10, 1))

    assert progresses[activity.pk].status == Status.ACHIEVED
    assert progresses[waiting.pk].status == Status.NOT_STARTED
    assert progresses[activity.pk].buckets == []


def test_milestone_not_recorded_by_the_end_is_not_achieved():
    activity = factories.activity(target_kind=TargetKind.MILESTONE)

    progress = progress_of(activity, today=date(2025, 1, 1))

    assert progress.status == Status.NOT_ACHIEVED


def test_ongoing_activity_shows_no_number_and_is_in_progress_once_reported():
    activity = factories.activity(target_kind=TargetKind.ONGOING)
    silent = factories.activity(activity.period, target_kind=TargetKind.ONGOING)
    factories.event(activity, date(2023, 2, 1))

    progresses = progress_for([activity, silent], today=date(2023, 4, 1))

    assert progresses[activity.pk].status == Status.IN_PROGRESS
    assert progresses[activity.pk].current is None
    assert progresses[silent.pk].status == Status.NOT_STARTED


def test_ongoing_activity_without_events_after_the_end_says_nothing_was_reported():
    activity = factories.activity(target_kind=TargetKind.ONGOING)
    reported = factories.activity(activity.period, target_kind=TargetKind.ONGOING)
    factories.event(reported, date(2024, 2, 1))

    progresses = progress_for([activity, reported], today=date(2025, 3, 1))

    assert progresses[activity.pk].status == Status.NOT_REPORTED
    assert progresses[reported.pk].status == Status.ENDED


def test_on_request_counts_requests_and_deliveries_apart():
    activity = factories.activity(target_kind=TargetKind.ON_REQUEST)
    factories.event(activity, date(2023, 2, 1), kind=EventKind.REQUESTED, quantity=1)
    factories.event(activity, date(2023, 3, 1), kind=EventKind.REQUESTED, quantity=1)
    factories.event(activity, date(2023, 3, 5), kind=EventKind.DONE, quantity=1)

    progress = progress_of(activity, today=date(2023, 4, 1))

    assert (progress.requested_total, progress.done_total) == (2, 1)
    assert progress.status == Status.IN_PROGRESS


def test_rollup_counts_activities_per_status_in_fixed_order():
    period = factories.period()
    achieved = factories.activity(period, target_quantity=1, cadence=Cadence.PERIOD)
    factories.activity(period, target_quantity=5, cadence=Cadence.PERIOD)
    factories.activity(period, target_quantity=7, cadence=Cadence.PERIOD)
    factories.activity(period, target_kind=TargetKind.ONGOING)
    factories.event(achieved, date(2023, 1, 3))

    progresses = progress_for(period.activities.select_related("period"), today=date(2023, 6, 1))

    assert rollup(progresses.values()) == [
        (Status.ACHIEVED, 1),
        (Status.NOT_STARTED, 3),
    ]


def test_sql_bucket_key_matches_python_for_every_cadence(django_db_blocker):
    period = factories.period(starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
    days = [date(2023, 1, 1) + timedelta(days=offset) for offset in range(0, 731, 17)]
    activities = {
        cadence: factories.activity(period, target_quantity=1, cadence=cadence)
        for cadence in Cadence.values
    }
    for activity in activities.values():
        for day in days:
            factories.event(activity, day)

    sums = event_sums(activities.values())

    for cadence, activity in activities.items():
        expected = {}
        for day in days:
            key = (bucket_key(cadence, day), EventKind.DONE)
            expected[key] = expected.get(key, 0) + 1
        assert sums[activity.pk] == expected, cadence


@pytest.mark.parametrize("count", [1, 3])
def test_progress_for_uses_one_query_whatever_the_number_of_activities(
    count, django_assert_num_queries
):
    period = factories.period()
    for _ in range(count):
        activity = factories.activity(period, target_quantity=3, cadence=Cadence.MONTH)
        for month in range(1, 13):
            factories.event(activity, date(2023, month, 2), quantity=2)
    activities = list(period.activities.select_related("period"))

    with django_assert_num_queries(1):
        progresses = progress_for(activities, today=date(2023, 12, 31))

    assert len(progresses) == count
    assert all(p.summary == "0 av 11 avslutade månader uppnådda" for p in progresses.values())


@pytest.mark.parametrize("count", [1, 3])
def test_progress_for_sums_spans_in_the_same_single_query(count, django_assert_num_queries):
    period = factories.period()
    for _ in range(count):
        activity = factories.activity(period, target_quantity=3, cadence=Cadence.MONTH)
        factories.event(activity, date(2023, 5, 2), quantity=2)
    activities = list(period.activities.select_related("period"))
    spans = [(date(2023, 1, 1), date(2023, 4, 30)), (date(2023, 5, 1), date(2023, 8, 31))]

    with django_assert_num_queries(1):
        progresses = progress_for(activities, today=date(2023, 12, 31), spans=spans)

    assert [p.span(*spans[1]).done for p in progresses.values()] == [2] * count


def test_progress_as_of_a_day_leaves_out_later_events():
    milestone = factories.activity(target_kind=TargetKind.MILESTONE)
    yearly = factories.activity(milestone.period, target_quantity=30, cadence=Cadence.YEAR)
    factories.event(milestone, date(2023, 9, 1))
    factories.event(yearly, date(2023, 3, 1), quantity=4)
    factories.event(yearly, date(2023, 3, 2), quantity=6)

    progresses = progress_for([milestone, yearly], today=date(2023, 3, 1))

    assert progresses[milestone.pk].status == Status.NOT_STARTED
    assert progresses[yearly.pk].current.done == 4


def test_progress_logged_by_counts_only_what_was_logged_by_that_moment():
    activity = factories.activity(target_quantity=30, cadence=Cadence.YEAR)
    _logged_on(factories.event(activity, date(2023, 3, 1), quantity=4), date(2023, 3, 1))
    _logged_on(factories.event(activity, date(2023, 3, 2), quantity=6), date(2023, 5, 1))

    progress = progress_for(
        [activity], today=date(2024, 1, 10), logged_by=_moment(date(2023, 4, 1))
    )[activity.pk]

    assert [b.done for b in progress.buckets] == [4, 0]


def test_span_of_a_yearly_activity_in_its_first_tertial_is_judged_at_the_tertial_end():
    activity = factories.activity(target_quantity=30, cadence=Cadence.YEAR)
    factories.event(activity, date(2022, 12, 30), quantity=9)  # before the period
    factories.event(activity, date(2023, 3, 1), quantity=12)
    factories.event(activity, date(2023, 6, 1), quantity=5)  # after the span

    span = span_of(activity, date(2023, 1, 1), date(2023, 4, 30), today=date(2023, 9, 1))

    # 120 of 365 days by 30 April: 30 × 120 / 365 = 9.9 → 9 expected.
    assert (span.as_of, span.ended) == (date(2023, 4, 30), True)
    assert (span.done, span.done_in_buckets, span.target, span.expected) == (12, 12, 30, 9)
    assert span.status == Status.ON_TRACK
    assert [b.label for b in span.buckets] == ["2023"]


def test_span_shows_the_outcome_of_buckets_ending_with_it():
    activity = factories.activity(target_quantity=10, cadence=Cadence.TERTIAL)
    factories.event(activity, date(2023, 5, 3), quantity=10)
    factories.event(activity, date(2023, 9, 3), quantity=2)

    t2 = span_of(activity, date(2023, 5, 1), date(2023, 8, 31), today=date(2023, 9, 1))
    t3 = span_of(activity, date(2023, 9, 1), date(2023, 12, 31), today=date(2024, 1, 1))
    running = span_of(activity, date(2023, 9, 1), date(2023, 12, 31), today=date(2023, 12, 31))

    assert (t2.status, t2.expected) == (Status.ACHIEVED, None)
    assert (t3.status, t3.done) == (Status.NOT_ACHIEVED, 2)
    assert (running.status, running.ended) == (Status.BEHIND, False)


def test_span_of_a_year_rolls_up_its_months():
    activity = factories.activity(
        target_quantity=1,
        cadence=Cadence.MONTH,
        unit_singular="krogkontroll",
        unit_plural="krogkontroller",
    )
    for month in range(1, 13):
        if month != 7:
            factories.event(activity, date(2024, month, 10))

    span = span_of(activity, date(2024, 1, 1), date(2024, 12, 31), today=date(2025, 6, 1))

    assert (span.target, span.done_in_buckets, span.status) == (12, 11, Status.NOT_ACHIEVED)
    assert span.summary == "11 av 12 avslutade månader uppnådda"
    assert span.percent == 92


def test_span_of_a_milestone_done_earlier_is_achieved_with_nothing_inside():
    activity = factories.activity(target_kind=TargetKind.MILESTONE)
    factories.event(activity, date(2024, 3, 5))

    span = span_of(activity, date(2024, 5, 1), date(2024, 8, 31), today=date(2025, 6, 1))

    assert (span.done, span.done_total, span.status) == (0, 1, Status.ACHIEVED)
    assert [s.start for s in span.bucket_spans] == [date(2023, 1, 1)]


def test_span_that_was_not_summed_is_refused():
    activity = factories.activity()
    progress = progress_of(activity, today=date(2024, 1, 1))

    with pytest.raises(ValueError):
        progress.span(date(2023, 1, 1), date(2023, 4, 30))
