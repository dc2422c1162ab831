"""The theme page's national totals and the index's year count (issue 17): what they sum is
exactly ``FollowUpEvent.objects.public_in_sums()``, however PostgreSQL is led to read it (one
theme's events through their activities, the year's events from the index alone)."""

from datetime import date

import pytest

from followup.public import queries, theme_queries
from promises.models import PeriodStatus, TargetKind, Theme
from tests import factories

pytestmark = pytest.mark.django_db

# June 2024 is the running month: guarded police events from 1 June are held back.
TODAY = date(2024, 6, 15)


def _theme_activity(period, theme, **fields):
    promise = factories.promise(period, title="Ett trafiklöfte", theme=theme)
    return factories.activity(period, promise_=promise, **fields)


def _totals(theme):
    return [
        (row["activity__unit_plural"], row["quantity"], row["events"])
        for row in theme_queries.theme_totals(theme, today=TODAY)
    ]


def test_theme_totals_sum_this_years_standing_events_per_unit():
    traffic = Theme.objects.get(slug="trafik")
    controls = _theme_activity(factories.period("0687"), traffic)
    walks = _theme_activity(
        factories.period("0604"),
        traffic,
        unit_singular="trygghetsvandring",
        unit_plural="trygghetsvandringar",
    )
    ongoing = _theme_activity(factories.period("1452"), traffic, target_kind=TargetKind.ONGOING)
    factories.event(controls, date(2024, 2, 1), 4)
    factories.event(controls, date(2024, 3, 1), 3)
    factories.event(walks, date(2024, 4, 1), 2)
    factories.event(ongoing, date(2024, 5, 1), 1)
    factories.event(ongoing, date(2024, 5, 2), 1)

    totals = _totals(traffic)

    assert totals == [("trafikkontroller", 7, 2), ("", 2, 2), ("trygghetsvandringar", 2, 1)]


def test_theme_totals_leave_out_other_years_retracted_events_drafts_and_other_themes():
    traffic = Theme.objects.get(slug="trafik")
    counted = _theme_activity(factories.period("0687"), traffic)
    factories.event(counted, date(2024, 2, 1), 5)
    factories.event(counted, date(2023, 12, 31), 100)
    retracted = factories.event(counted, date(2024, 2, 2), 200)
    retracted.retracted_at = retracted.logged_at
    retracted.retracted_by = factories.logger()
    retracted.retraction_reason = "Fel datum"
    retracted.save()
    draft = _theme_activity(factories.period("0604", is_published=False), traffic)
    factories.event(draft, date(2024, 2, 1), 300)
    other_theme = factories.activity(
        factories.period("1452"), promise_=factories.promise(factories.period("1452"))
    )
    factories.event(other_theme, date(2024, 2, 1), 400)

    totals = _totals(traffic)

    assert totals == [("trafikkontroller", 5, 1)]


def test_theme_totals_hold_back_the_running_months_guarded_police_events():
    traffic = Theme.objects.get(slug="trafik")
    guarded = factories.period("0604", police_monthly_counts_only=True, status=PeriodStatus.ADOPTED)
    activity = _theme_activity(guarded, traffic)
    factories.event(activity, date(2024, 5, 31), 2)
    factories.event(activity, date(2024, 6, 1), 3)

    totals = _totals(traffic)
    next_month = theme_queries.theme_totals(traffic, today=date(2024, 7, 1))

    assert totals == [("trafikkontroller", 2, 1)]
    assert [row["quantity"] for row in next_month] == [5]


def test_national_count_of_the_year_holds_back_guarded_police_events_and_drafts():
    guarded = factories.period("0604", police_monthly_counts_only=True, status=PeriodStatus.ADOPTED)
    activity = factories.activity(guarded)
    factories.event(activity, date(2024, 5, 31), 2)
    factories.event(activity, date(2024, 6, 1), 3)
    factories.event(factories.activity(factories.period("0687")), date(2024, 1, 2), 1)
    factories.event(factories.activity(factories.period("0687")), date(2023, 12, 31), 1)
    factories.event(factories.activity(factories.period("1452", is_published=False)), TODAY)

    counts = queries.national_counts(today=TODAY)

    assert counts.follow_ups_this_year == 2
