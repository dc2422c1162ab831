import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpEvent
from followup.staff.forms import UNDO_REASON
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/personal/"}


def _log(client, activity, htmx=False, **data):
    data.setdefault("quantity", "1")
    data.setdefault("occurred_on", timezone.localdate().isoformat())
    return client.post(
        reverse("staff:log_event", args=[activity.pk]), data, headers=HTMX if htmx else {}
    )


def test_log_event_with_htmx_returns_the_updated_row_only(client, police_reporter, traffic):
    factories.event(traffic, timezone.localdate(), 12)
    client.force_login(police_reporter)

    response = _log(client, traffic, htmx=True, place="Storgatan", summary="Hastighetskontroll")

    content = response.content.decode()
    year = timezone.localdate().year
    assert response.status_code == 200
    assert "<html" not in content
    assert content.strip().startswith('<li class="staff-activity')
    assert f'id="activity-{traffic.pk}"' in content
    assert f"13 av 30 trafikkontroller {year}" in content
    assert "Ångra" in content


def test_log_event_records_who_what_and_for_which_organisation(client, police_reporter, traffic):
    client.force_login(police_reporter)

    _log(client, traffic, htmx=True, quantity="3", place="Ryd", internal_note="Två bilar")

    event = FollowUpEvent.objects.get()
    assert (event.quantity, event.place, event.internal_note) == (3, "Ryd", "Två bilar")
    assert (event.logged_by, event.organisation) == (
        police_reporter,
        factories.police_organisation(),
    )


def test_log_event_without_javascript_redirects_to_the_dashboard_with_undo(
    client, police_reporter, traffic
):
    client.force_login(police_reporter)

    response = _log(client, traffic)
    event = FollowUpEvent.objects.get()
    page = client.get(response.url)

    assert response.status_code == 302
    assert response.url == f"/personal/?loggad={event.pk}#activity-{traffic.pk}"
    assert reverse("staff:event_retract", args=[event.pk]) in page.content.decode()


def test_log_event_invalid_htmx_rerenders_the_row_with_swedish_errors(
    client, police_reporter, traffic
):
    client.force_login(police_reporter)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = _log(client, traffic, htmx=True, occurred_on=future)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Datumet ligger i framtiden" in content or "efter medborgarlöftets slut" in content
    assert "<html" not in content
    assert FollowUpEvent.objects.count() == 0


def test_log_event_invalid_quantity_without_javascript_shows_the_activity_page(
    client, police_reporter, traffic
):
    client.force_login(police_reporter)

    response = _log(client, traffic, quantity="0")

    assert response.status_code == 200
    assert "Kontrollera att detta värde är större än eller lika med 1." in (
        response.content.decode()
    )
    assert FollowUpEvent.objects.count() == 0


def test_undo_with_htmx_retracts_and_returns_the_row(client, police_reporter, traffic):
    client.force_login(police_reporter)
    _log(client, traffic, htmx=True)
    event = FollowUpEvent.objects.get()

    response = client.post(
        reverse("staff:event_retract", args=[event.pk]), {"reason": UNDO_REASON}, headers=HTMX
    )

    event.refresh_from_db()
    content = response.content.decode()
    assert (event.is_retracted, event.retraction_reason) == (True, UNDO_REASON)
    assert "Ångrat." in content
    assert "0 av 30 trafikkontroller" in content


def test_logged_summary_with_script_is_escaped_everywhere(client, police_reporter, traffic):
    client.force_login(police_reporter)
    _log(client, traffic, summary="<script>alert(1)</script>", place="<b>x</b>")
    event = FollowUpEvent.objects.get()

    pages = [
        client.get(reverse("staff:activity_detail", args=[traffic.pk])).content.decode(),
        client.get(reverse("staff:event_detail", args=[event.pk])).content.decode(),
    ]

    for page in pages:
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>x</b>" not in page


def test_log_event_form_needs_csrf(police_reporter, traffic):
    client = Client(enforce_csrf_checks=True)
    client.force_login(police_reporter)

    response = _log(client, traffic, htmx=True)

    assert response.status_code == 403
    assert FollowUpEvent.objects.count() == 0


def test_log_event_htmx_with_csrf_header_is_accepted(police_reporter, traffic):
    client = Client(enforce_csrf_checks=True)
    client.force_login(police_reporter)
    page = client.get(reverse("staff:dashboard"))
    # The token htmx sends: the one on the staff area's element (hx-headers).
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)

    response = client.post(
        reverse("staff:log_event", args=[traffic.pk]),
        {"quantity": "1", "occurred_on": timezone.localdate().isoformat()},
        headers={**HTMX, "X-CSRFToken": str(token)},
    )

    assert response.status_code == 200
    assert FollowUpEvent.objects.count() == 1


def _request_statements(captured):
    """What the request sends, less the transaction it runs in: BEGIN/COMMIT/ROLLBACK and the
    outermost savepoint (inside the test's transaction the service's atomic block is a
    savepoint; in a real request it is BEGIN/COMMIT). A savepoint the code opens inside that is
    its own statement and counts (bench/run.py counts the bench's POST the same way)."""
    sqls = [query["sql"] for query in captured]
    outer = next((sql.split()[-1] for sql in sqls if sql.startswith("SAVEPOINT ")), None)
    control = {"BEGIN", "COMMIT", "ROLLBACK", f"SAVEPOINT {outer}", f"RELEASE SAVEPOINT {outer}"}
    return [sql for sql in sqls if sql not in control]


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(("htmx", "queries"), [(True, 8), (False, 7)], ids=["htmx", "plain"])
def test_log_event_query_count_is_constant(
    client, police_reporter, tranas_period, count, htmx, queries
):
    police = [factories.police_organisation()]
    activities = [factories.activity(tranas_period, organisations=police) for _ in range(count)]
    for activity in activities:
        factories.event(activity, timezone.localdate())
        factories.deviation(activity, tranas_period.starts_on)
    client.force_login(police_reporter)

    # session, user, the user's scope, the activity with its responsible organisations and its
    # latest deviation (one query); the service: event, history row, the kommun's data version
    # (one upsert), and no savepoint (the unique token is checked by the insert itself); the
    # htmx row adds its progress (one aggregate over this activity). A plain POST redirects.
    with CaptureQueriesContext(connection) as captured:
        response = _log(client, activities[0], htmx=htmx, place="Storgatan")

    statements = _request_statements(captured)
    assert len(statements) == queries, "\n".join(statements)
    assert FollowUpEvent.objects.filter(place="Storgatan").count() == 1
    assert response.status_code == (200 if htmx else 302)


def test_log_event_htmx_row_shows_the_running_buckets_deviation_only(
    client, police_reporter, tranas_period
):
    police = [factories.police_organisation()]
    monthly = factories.activity(tranas_period, organisations=police, cadence="month")
    explained = factories.activity(tranas_period, organisations=police, cadence="month")
    this_month = timezone.localdate().replace(day=1)
    factories.deviation(monthly, tranas_period.starts_on)
    if this_month != tranas_period.starts_on:
        factories.deviation(explained, tranas_period.starts_on)
    factories.deviation(explained, this_month)
    client.force_login(police_reporter)

    old_only = _log(client, monthly, htmx=True).content.decode()
    current = _log(client, explained, htmx=True).content.decode()

    in_force = "Avvikelse förklarad:" in old_only, "Avvikelse förklarad:" in current
    assert in_force == (this_month == tranas_period.starts_on, True)


def test_log_form_is_one_include_on_the_dashboard_and_the_activity_page(
    client, police_reporter, traffic
):
    client.force_login(police_reporter)
    post_url = reverse("staff:log_event", args=[traffic.pk])
    page_url = reverse("staff:activity_detail", args=[traffic.pk])

    dashboard = client.get(reverse("staff:dashboard")).content.decode()
    page = client.get(page_url).content.decode()

    for content in (dashboard, page):
        assert f'action="{post_url}" class="log-form"' in content
        assert 'name="occurred_on"' in content
        assert "Plats och beskrivning visas publikt." in content
    assert (f'data-hx-post="{post_url}"' in dashboard, f'data-hx-post="{post_url}"' in page) == (
        True,
        False,
    )
    assert f'name="next" value="{page_url}"' in page
