"""Logging is idempotent: the log form carries a one-time token, so the same form sent twice
(a double click, a retry after a lost answer) logs one event. A failed htmx log says so in the
row (static/js/staff.js reads the form's data-failure-message)."""

import re
import threading
import uuid

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.models import FollowUpEvent
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/personal/"}


def _post(client, activity, token, htmx=False, **data):
    data = {
        "quantity": "2",
        "occurred_on": timezone.localdate().isoformat(),
        "submission_token": str(token),
        **data,
    }
    return client.post(
        reverse("staff:log_event", args=[activity.pk]), data, headers=HTMX if htmx else {}
    )


def _token_in(content):
    match = re.search(r'name="submission_token" value="([0-9a-f-]{36})"', content)
    return match.group(1) if match else None


def test_log_form_carries_a_new_token_each_time_it_is_shown(client, police_reporter, traffic):
    client.force_login(police_reporter)

    first = _token_in(client.get(reverse("staff:dashboard")).content.decode())
    second = _token_in(client.get(reverse("staff:dashboard")).content.decode())

    assert first is not None
    assert second is not None
    assert first != second


def test_log_event_same_htmx_post_twice_logs_one_event(client, police_reporter, traffic):
    client.force_login(police_reporter)
    token = uuid.uuid4()

    first = _post(client, traffic, token, htmx=True)
    second = _post(client, traffic, token, htmx=True)

    assert FollowUpEvent.objects.filter(activity=traffic).count() == 1
    assert FollowUpEvent.objects.get().submission_token == token
    assert first.status_code == 200
    assert second.status_code == 200
    content = second.content.decode()
    assert "Det här är redan registrerat." in content
    assert "<html" not in content
    assert "2 av 30 trafikkontroller" in content


def test_log_event_same_plain_post_twice_redirects_with_a_message(client, police_reporter, traffic):
    client.force_login(police_reporter)
    token = uuid.uuid4()
    _post(client, traffic, token)

    response = _post(client, traffic, token)

    assert FollowUpEvent.objects.count() == 1
    assert response.status_code == 302
    assert response.url == reverse("staff:dashboard") + f"#activity-{traffic.pk}"
    page = client.get(response.url).content.decode()
    assert "Det här är redan registrerat." in page


def test_log_event_after_success_the_row_offers_a_fresh_token(client, police_reporter, traffic):
    client.force_login(police_reporter)
    token = uuid.uuid4()

    response = _post(client, traffic, token, htmx=True)

    fresh = _token_in(response.content.decode())
    assert fresh is not None
    assert fresh != str(token)
    _post(client, traffic, fresh, htmx=True)
    assert FollowUpEvent.objects.count() == 2


def test_log_event_invalid_form_keeps_its_token_and_logs_nothing(client, police_reporter, traffic):
    client.force_login(police_reporter)
    token = uuid.uuid4()

    refused = _post(client, traffic, token, htmx=True, quantity="0")
    accepted = _post(client, traffic, token, htmx=True)

    assert _token_in(refused.content.decode()) == str(token)
    assert "Det här är redan registrerat." not in accepted.content.decode()
    assert FollowUpEvent.objects.count() == 1


def test_log_event_garbled_token_is_a_message_not_a_500(client, police_reporter, traffic):
    client.force_login(police_reporter)

    response = _post(client, traffic, "inte-en-nyckel\x00", htmx=True)

    assert response.status_code == 200
    assert "Formuläret känns inte igen." in response.content.decode()
    assert FollowUpEvent.objects.count() == 0


def test_log_event_service_refuses_a_used_token_writing_nothing(police_reporter, traffic):
    token = uuid.uuid4()
    organisation = factories.police_organisation()
    first = services.log_event(
        traffic,
        by=police_reporter,
        occurred_on=timezone.localdate(),
        organisation=organisation,
        submission_token=token,
    )
    history_rows = FollowUpEvent.history.count()

    with pytest.raises(services.AlreadyLogged) as raised:
        services.log_event(
            traffic,
            by=police_reporter,
            occurred_on=timezone.localdate(),
            organisation=organisation,
            quantity=5,
            submission_token=token,
        )

    assert raised.value.event == first
    assert FollowUpEvent.objects.count() == 1
    assert FollowUpEvent.history.count() == history_rows


def test_log_form_says_in_swedish_what_a_failed_save_shows(client, police_reporter, traffic):
    client.force_login(police_reporter)

    content = client.get(reverse("staff:dashboard")).content.decode()

    assert 'data-failure-message="Kunde inte spara – försök igen."' in content


# serialized_rollback: the flush after a transactional test would drop the reference data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_log_event_concurrent_submits_of_one_token_log_once(police_reporter, traffic):
    """Two threads, each its own connection, race with one token: the unique column decides."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; this runs in the PostgreSQL run of make test.")
    token = uuid.uuid4()
    organisation = factories.police_organisation()
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.log_event(
                traffic,
                by=police_reporter,
                occurred_on=timezone.localdate(),
                organisation=organisation,
                submission_token=token,
            )
            outcomes.append("logged")
        except services.AlreadyLogged:
            outcomes.append("already")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already", "logged"]
    assert FollowUpEvent.objects.filter(submission_token=token).count() == 1
