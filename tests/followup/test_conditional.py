"""Public pages answer conditional requests keyed on the data version; a write shows at once."""

from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.models import FollowUpEvent
from municipalities import versioning
from tests import factories


def period_url(period):
    return reverse("followup:period_detail", args=[period.municipality.slug, period.slug])


def test_conditional_period_page_answers_304_to_its_own_etag(client, db):
    period = factories.running_period()
    factories.activity(period)
    first = client.get(period_url(period))

    again = client.get(period_url(period), headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""


def test_conditional_logged_event_shows_at_once(client, db):
    period = factories.running_period()
    activity = factories.activity(period)
    first = client.get(period_url(period))

    services.log_event(
        activity,
        by=factories.logger(),
        occurred_on=timezone.localdate(),
        organisation=activity.responsible_organisations.first(),
        quantity=1,
        place="Bevakad plats",
    )
    after = client.get(period_url(period), headers={"if-none-match": first["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert "Bevakad plats" in after.content.decode()
    assert "Bevakad plats" not in first.content.decode()


def test_conditional_retraction_changes_the_etag_of_the_feed(client, db):
    period = factories.running_period()
    event = factories.event(factories.activity(period), timezone.localdate(), place="Torget")
    first = client.get(reverse("followup:feed"))

    services.retract_event(event, by=factories.logger(), reason="Fel aktivitet.")
    after = client.get(reverse("followup:feed"), headers={"if-none-match": first["ETag"]})

    assert FollowUpEvent.objects.get().is_retracted
    assert after.status_code == 200
    assert "Torget" in first.content.decode()
    assert "Torget" not in after.content.decode()


def test_conditional_versioning_bumps_on_every_kind_of_write(db):
    period = factories.running_period()
    before_activity = versioning.current()

    activity = factories.activity(period)
    after_activity = versioning.current()
    activity.responsible_organisations.add(factories.municipal_organisation("0687"))
    after_m2m = versioning.current()
    activity.delete()
    after_delete = versioning.current()

    assert len({before_activity, after_activity, after_m2m, after_delete}) == 4


def test_conditional_english_page_has_its_own_etag(client, db):
    period = factories.running_period()
    swedish = client.get(period_url(period))

    english = client.get("/en" + period_url(period), headers={"if-none-match": swedish["ETag"]})

    assert english.status_code == 200
    assert english["ETag"] != swedish["ETag"]
