from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _activity_ids(response):
    return [
        row.progress.activity.pk for _group, rows in response.context["sections"] for row in rows
    ]


def test_dashboard_police_reporter_sees_police_activities_of_every_covered_kommun(
    client, police_reporter, traffic, kommun_activity, tyreso_activity
):
    starts_on, ends_on = traffic.period.starts_on, traffic.period.ends_on
    aneby = factories.period("0604", starts_on=starts_on, ends_on=ends_on, status="active")
    aneby_traffic = factories.activity(aneby, organisations=[factories.police_organisation()])
    client.force_login(police_reporter)

    response = client.get(reverse("staff:dashboard"))

    assert sorted(_activity_ids(response)) == sorted([traffic.pk, aneby_traffic.pk])


def test_dashboard_coordinator_sees_all_of_its_kommun_but_logs_only_its_own(
    client, coordinator, traffic, kommun_activity, tyreso_activity
):
    client.force_login(coordinator)

    response = client.get(reverse("staff:dashboard"))

    rows = {row.activity.pk: row for _g, rows in response.context["sections"] for row in rows}
    assert sorted(rows) == sorted([traffic.pk, kommun_activity.pk])
    assert (rows[traffic.pk].form is None, rows[kommun_activity.pk].form is None) == (True, False)


def test_dashboard_viewer_reads_without_forms(client, viewer, traffic, kommun_activity):
    client.force_login(viewer)

    response = client.get(reverse("staff:dashboard"))

    content = response.content.decode()
    assert sorted(_activity_ids(response)) == sorted([traffic.pk, kommun_activity.pk])
    assert 'class="log-form"' not in content


def test_dashboard_outsider_sees_nothing_of_tranas(client, outsider, traffic, tyreso_activity):
    client.force_login(outsider)

    response = client.get(reverse("staff:dashboard"))

    assert _activity_ids(response) == [tyreso_activity.pk]
    assert "Polisen genomför trafikkontroller." not in response.content.decode()


def test_dashboard_leaves_out_drafts_and_concluded_periods(client, police_reporter, traffic):
    draft = factories.period("0687", status=PeriodStatus.DRAFT)
    factories.activity(draft, organisations=[factories.police_organisation()])
    concluded = factories.period("0687", status=PeriodStatus.CONCLUDED)
    factories.activity(concluded, organisations=[factories.police_organisation()])
    client.force_login(police_reporter)

    response = client.get(reverse("staff:dashboard"))

    assert _activity_ids(response) == [traffic.pk]


def test_dashboard_lists_what_is_behind_first(client, police_reporter, tranas_period):
    police = [factories.police_organisation()]
    achieved = factories.activity(tranas_period, organisations=police, target_quantity=1)
    behind = factories.activity(tranas_period, organisations=police, target_quantity=1000)
    today = timezone.localdate()
    factories.event(achieved, today)
    factories.event(behind, today)
    client.force_login(police_reporter)

    response = client.get(reverse("staff:dashboard"))

    assert _activity_ids(response) == [behind.pk, achieved.pk]


def test_dashboard_row_shows_progress_as_text(client, police_reporter, traffic):
    factories.event(traffic, timezone.localdate(), 13)
    client.force_login(police_reporter)

    response = client.get(reverse("staff:dashboard"))

    year = timezone.localdate().year
    assert f"13 av 30 trafikkontroller {year}" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_is_constant(
    client, police_reporter, tranas_period, count, django_assert_num_queries
):
    police = [factories.police_organisation()]
    for _ in range(count):
        activity = factories.activity(tranas_period, organisations=police)
        factories.event(activity, timezone.localdate() - timedelta(days=0))
        factories.deviation(activity, tranas_period.starts_on)
    client.force_login(police_reporter)

    # session, user, the user's scope (memberships with the kommuner each organisation covers),
    # activities, responsible organisations, deviations, progress
    with django_assert_num_queries(7):
        response = client.get(reverse("staff:dashboard"))

    assert len(_activity_ids(response)) == count
