import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _rows(response):
    return {row.activity.pk: row for group in response.context["groups"] for row in group.rows}


def _activity_ids(response):
    return [row.activity.pk for group in response.context["groups"] for row in group.rows]


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

    rows = _rows(response)
    assert sorted(rows) == sorted([traffic.pk, kommun_activity.pk])
    has_form = ['class="log-form"' in rows[pk].html for pk in (traffic.pk, kommun_activity.pk)]
    assert has_form == [False, True]


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
    # activities, the kommuner's data versions; the rows not kept yet add their responsible
    # organisations, deviations and progress (one query each)
    with django_assert_num_queries(8):
        first = client.get(reverse("staff:dashboard"))
    with django_assert_num_queries(5):
        again = client.get(reverse("staff:dashboard"))

    assert len(_activity_ids(first)) == len(_activity_ids(again)) == count


def test_dashboard_kept_row_shows_a_new_event_and_fresh_tokens(client, police_reporter, traffic):
    client.force_login(police_reporter)
    client.get(reverse("staff:dashboard"))
    factories.event(traffic, timezone.localdate(), 4)
    log_url = reverse("staff:log_event", args=[traffic.pk])
    client.post(log_url, {"quantity": "2", "occurred_on": timezone.localdate().isoformat()})

    first = _rows(client.get(reverse("staff:dashboard")))[traffic.pk].html
    again = _rows(client.get(reverse("staff:dashboard")))[traffic.pk].html

    year = timezone.localdate().year
    tokens = [
        re.search(r'name="submission_token" value="([0-9a-f-]{36})"', html)
        for html in (first, again)
    ]
    assert f"6 av 30 trafikkontroller {year}" in again
    assert tokens[0] is not None and tokens[1] is not None
    assert tokens[0].group(1) != tokens[1].group(1)
    assert 'name="csrfmiddlewaretoken" value="' in again and "-csrf" not in again


def test_dashboard_rows_are_not_shared_between_scopes(client, police_reporter, viewer, traffic):
    client.force_login(police_reporter)
    client.get(reverse("staff:dashboard"))
    client.force_login(viewer)

    html = _rows(client.get(reverse("staff:dashboard")))[traffic.pk].html

    assert 'class="log-form"' not in html
