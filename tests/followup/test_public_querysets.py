"""The querysets of the public door: what each returns, and what it never selects."""

from datetime import date

import pytest
from django.utils import timezone

from followup.models import Deviation, FollowUpEvent, FollowUpReport, ReportStatus
from promises.models import Activity, Promise, PromisePeriod
from tests import factories

pytestmark = pytest.mark.django_db


def _monthly_period(**fields):
    """Aneby, police publishing monthly counts only, with one police and one kommun activity."""
    period = factories.period("0604", police_monthly_counts_only=True, **fields)
    police = factories.activity(period, organisations=[factories.police_organisation()])
    kommun = factories.activity(period, organisations=[factories.municipal_organisation("0604")])
    return period, police, kommun


def test_period_public_returns_published_periods_only():
    published = factories.period("0687")
    factories.period("0687", is_published=False)

    periods = list(PromisePeriod.objects.public())

    assert periods == [published]


def test_period_public_municipalities_lists_each_kommun_with_a_published_period_once():
    factories.period("0687")
    factories.period("0687", starts_on=date(2021, 1, 1), ends_on=date(2022, 12, 31))
    factories.period("0604", is_published=False)

    codes = list(PromisePeriod.objects.public().municipalities().values_list("code", flat=True))

    assert codes == ["0687"]


def test_promise_activity_and_deviation_public_follow_their_period():
    published = factories.period("0687")
    draft = factories.period("0687", is_published=False)
    shown = factories.activity(published, promise_=factories.promise(published))
    hidden = factories.activity(draft, promise_=factories.promise(draft))
    factories.deviation(shown, date(2023, 1, 1))
    factories.deviation(hidden, date(2023, 1, 1))

    promises = list(Promise.objects.public())
    activities = list(Activity.objects.public())
    deviations = list(Deviation.objects.public().values_list("activity", flat=True))

    assert promises == [shown.promise]
    assert activities == [shown]
    assert deviations == [shown.pk]
    assert list(Activity.objects.not_public()) == [hidden]


def test_event_public_leaves_out_drafts_and_police_events_of_monthly_only_periods():
    period, police, kommun = _monthly_period()
    draft = factories.activity(factories.period("0687", is_published=False))
    by_kommun = factories.event(kommun, date(2023, 3, 1))
    factories.event(police, date(2023, 3, 1))
    factories.event(draft, date(2023, 3, 1))
    open_police = factories.activity(factories.period("0687"))
    by_police_elsewhere = factories.event(open_police, date(2023, 3, 2))

    events = list(FollowUpEvent.objects.public().order_by("id"))

    assert events == [by_kommun, by_police_elsewhere]


def test_event_public_never_selects_the_internal_note_or_who_logged_it():
    activity = factories.activity(factories.period("0687"))
    factories.event(activity, date(2023, 3, 1), internal_note="Ring tillbaka.")

    events = FollowUpEvent.objects.public()
    event = events.get()

    sql = str(events.query)
    assert "internal_note" not in sql
    assert "logged_by_id" not in sql
    assert {"internal_note", "logged_by_id"} <= event.get_deferred_fields()


def test_event_public_police_monthly_sums_standing_police_events_per_month():
    period, police, kommun = _monthly_period()
    factories.event(police, date(2023, 3, 1), 2)
    factories.event(police, date(2023, 3, 20), 3)
    factories.event(police, date(2023, 4, 2), 1)
    retracted = factories.event(police, date(2023, 4, 3), 7)
    FollowUpEvent.objects.filter(pk=retracted.pk).update(
        retracted_at=timezone.now(), retracted_by=factories.user(), retraction_reason="Fel."
    )
    factories.event(kommun, date(2023, 3, 5), 9)
    hidden = factories.activity(
        factories.period("0604", is_published=False, police_monthly_counts_only=True)
    )
    factories.event(hidden, date(2023, 3, 1), 5)

    rows = [
        (row["activity_id"], row["year"], row["month"], row["quantity"], row["events"])
        for row in FollowUpEvent.objects.public_police_monthly()
    ]

    assert rows == [(police.pk, 2023, 3, 5, 2), (police.pk, 2023, 4, 1, 1)]


def test_event_public_police_monthly_leaves_out_events_outside_the_period():
    period, police, _kommun = _monthly_period(starts_on=date(2023, 3, 1))
    factories.event(police, date(2023, 2, 28), 4)
    factories.event(police, date(2023, 3, 1), 1)

    quantities = [row["quantity"] for row in FollowUpEvent.objects.public_police_monthly()]

    assert quantities == [1]


def test_event_public_in_sums_counts_police_monthly_events_but_not_drafts():
    period, police, kommun = _monthly_period()
    factories.event(police, date(2023, 3, 1), 2)
    factories.event(kommun, date(2023, 3, 1), 3)
    draft = factories.activity(factories.period("0687", is_published=False))
    factories.event(draft, date(2023, 3, 1), 50)

    quantities = sorted(FollowUpEvent.objects.public_in_sums().values_list("quantity", flat=True))

    assert quantities == [2, 3]


def test_report_published_is_a_published_report_of_a_published_period(settings, tmp_path):
    from followup.reports.services import create_report, publish_report

    settings.MEDIA_ROOT = tmp_path
    editor = factories.user()
    shown = factories.period_with_work("0687")
    taken_down = factories.period_with_work("0604")
    published = publish_report(create_report(shown, by=editor, kind="year", year=2023), by=editor)
    create_report(shown, by=editor, kind="year", year=2024)
    publish_report(create_report(taken_down, by=editor, kind="year", year=2023), by=editor)
    PromisePeriod.objects.filter(pk=taken_down.pk).update(is_published=False)

    reports = list(FollowUpReport.objects.published())

    assert reports == [published]
    assert FollowUpReport.objects.filter(status=ReportStatus.PUBLISHED).count() == 2


def _fetched(*activities):
    """The activities as a page fetches them: with their period."""
    ids = [activity.pk for activity in activities]
    return list(Activity.objects.filter(pk__in=ids).select_related("period").order_by("pk"))


def test_event_public_of_fetched_activities_is_public_for_those_activities():
    period, police, kommun = _monthly_period()
    draft = factories.activity(factories.period("0687", is_published=False))
    open_police = factories.activity(factories.period("0687"))
    by_kommun = factories.event(kommun, date(2023, 3, 1), internal_note="Ring tillbaka.")
    factories.event(police, date(2023, 3, 1))
    factories.event(draft, date(2023, 3, 1))
    by_police_elsewhere = factories.event(open_police, date(2023, 3, 2))
    factories.event(factories.activity(factories.period("0687")), date(2023, 3, 3))
    activities = _fetched(police, kommun, draft, open_police)

    events = FollowUpEvent.objects.public_of(activities).order_by("id")

    assert list(events) == [by_kommun, by_police_elsewhere]
    assert list(events) == list(
        FollowUpEvent.objects.public().filter(activity__in=activities).order_by("id")
    )
    assert "internal_note" not in str(events.query)


def test_event_public_in_sums_of_fetched_activities_holds_back_the_running_police_month():
    period, police, kommun = _monthly_period(starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
    draft = factories.activity(factories.period("0687", is_published=False))
    factories.event(police, date(2023, 3, 1), 2)
    factories.event(police, date(2023, 4, 2), 4)  # the running month: held back
    factories.event(kommun, date(2023, 4, 2), 3)
    factories.event(draft, date(2023, 3, 1), 50)
    factories.event(factories.activity(factories.period("0687")), date(2023, 3, 1), 70)
    activities = _fetched(police, kommun, draft)
    today = date(2023, 4, 20)

    events = FollowUpEvent.objects.public_in_sums_of(activities, today)

    assert sorted(events.values_list("quantity", flat=True)) == [2, 3]
    assert sorted(events.values_list("pk", flat=True)) == sorted(
        FollowUpEvent.objects.public_in_sums(today)
        .filter(activity__in=activities)
        .values_list("pk", flat=True)
    )


def test_deviation_public_of_fetched_activities_leaves_out_those_of_drafts():
    shown = factories.activity(factories.period("0687"))
    hidden = factories.activity(factories.period("0687", is_published=False))
    factories.activity(factories.period("0604"))
    deviation = factories.deviation(shown, date(2023, 1, 1))
    factories.deviation(hidden, date(2023, 1, 1))

    deviations = list(Deviation.objects.public_of(_fetched(shown, hidden)))

    assert deviations == [deviation]
