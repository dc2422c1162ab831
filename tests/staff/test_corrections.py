from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import Deviation, DeviationReason, FollowUpEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(traffic, police_reporter):
    return factories.event(traffic, timezone.localdate(), 2, by=police_reporter, summary="Ryd")


def test_event_edit_changes_the_event_and_keeps_the_old_version(client, police_reporter, logged):
    client.force_login(police_reporter)

    response = client.post(
        reverse("staff:event_edit", args=[logged.pk]),
        {
            "quantity": "3",
            "occurred_on": logged.occurred_on.isoformat(),
            "place": "",
            "summary": "Ryd och centrum",
            "internal_note": "",
            "reason": "Fel antal angivet",
        },
    )

    logged.refresh_from_db()
    history = client.get(reverse("staff:event_detail", args=[logged.pk])).content.decode()
    assert response.url == reverse("staff:event_detail", args=[logged.pk])
    assert (logged.quantity, logged.summary) == (3, "Ryd och centrum")
    assert logged.history.count() == 2
    assert "Fel antal angivet" in history
    assert "Ryd och centrum" in history


def test_event_edit_requires_a_reason(client, police_reporter, logged):
    client.force_login(police_reporter)

    response = client.post(
        reverse("staff:event_edit", args=[logged.pk]),
        {"quantity": "3", "occurred_on": logged.occurred_on.isoformat(), "reason": ""},
    )

    logged.refresh_from_db()
    assert response.status_code == 200
    assert "Ange varför händelsen ändras." in response.content.decode()
    assert logged.quantity == 2


def test_event_edit_to_a_future_date_is_refused_next_to_the_field(client, police_reporter, logged):
    client.force_login(police_reporter)
    future = timezone.localdate() + timedelta(days=400)

    response = client.post(
        reverse("staff:event_edit", args=[logged.pk]),
        {"quantity": "2", "occurred_on": future.isoformat(), "reason": "Datum"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["occurred_on"]


def test_event_retract_requires_a_reason_and_keeps_the_event(client, police_reporter, logged):
    client.force_login(police_reporter)
    url = reverse("staff:event_retract", args=[logged.pk])

    refused = client.post(url, {"reason": "  "})
    accepted = client.post(url, {"reason": "Dubbelregistrerad"})

    logged.refresh_from_db()
    assert "Ange varför händelsen återkallas." in refused.content.decode()
    assert accepted.url == reverse("staff:event_detail", args=[logged.pk])
    assert (logged.is_retracted, logged.retraction_reason) == (True, "Dubbelregistrerad")
    assert FollowUpEvent.objects.filter(pk=logged.pk).exists()


def test_retracted_event_stays_listed_on_the_activity_page(
    client, police_reporter, logged, traffic
):
    client.force_login(police_reporter)
    client.post(reverse("staff:event_retract", args=[logged.pk]), {"reason": "Fel aktivitet"})

    response = client.get(reverse("staff:activity_detail", args=[traffic.pk]))

    content = response.content.decode()
    assert response.context["events"] == [logged]
    assert "Återkallad:" in content
    assert "Fel aktivitet" in content


def test_retracted_event_cannot_be_edited(client, police_reporter, logged):
    client.force_login(police_reporter)
    client.post(reverse("staff:event_retract", args=[logged.pk]), {"reason": "Fel"})

    response = client.get(reverse("staff:event_edit", args=[logged.pk]))

    assert response.url == reverse("staff:event_detail", args=[logged.pk])


def test_deviation_by_reporter_is_saved_with_reason_and_text(client, police_reporter, traffic):
    client.force_login(police_reporter)

    response = client.post(
        reverse("staff:deviation_create", args=[traffic.pk]),
        {
            "bucket_start": traffic.period.starts_on.isoformat(),
            "reason": DeviationReason.RESOURCES,
            "text": "Personalen gick till en större insats i Jönköping.",
        },
    )

    deviation = Deviation.objects.get()
    assert response.url == reverse("staff:activity_detail", args=[traffic.pk])
    assert (deviation.reason, deviation.created_by) == (DeviationReason.RESOURCES, police_reporter)


def test_deviation_by_the_kommuns_editor_on_a_police_activity_is_allowed(
    client, coordinator, traffic
):
    client.force_login(coordinator)

    client.post(
        reverse("staff:deviation_create", args=[traffic.pk]),
        {
            "bucket_start": traffic.period.starts_on.isoformat(),
            "reason": DeviationReason.PLANNING,
            "text": "Kontrollerna planeras till hösten.",
        },
    )

    assert Deviation.objects.get().created_by == coordinator


def test_deviation_without_text_is_refused_in_swedish(client, police_reporter, traffic):
    client.force_login(police_reporter)

    response = client.post(
        reverse("staff:deviation_create", args=[traffic.pk]),
        {"bucket_start": traffic.period.starts_on.isoformat(), "reason": "resources"},
    )

    assert "Skriv en förklaring till avvikelsen." in response.content.decode()
    assert Deviation.objects.count() == 0
