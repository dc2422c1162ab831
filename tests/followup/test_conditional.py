"""Public pages answer conditional requests keyed on the data version; a write shows at once.

The services renew the version explicitly; no signal receiver of ours does it behind their back.
"""

import weakref

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.models import FollowUpEvent
from municipalities import versioning
from municipalities.services import save_reference_object
from tests import factories

OUR_PACKAGES = ("config", "municipalities", "promises", "followup")


def period_url(period):
    return reverse("public:period_detail", args=[period.municipality.slug, period.slug])


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
    first = client.get(reverse("public:feed"))

    services.retract_event(event, by=factories.logger(), reason="Fel aktivitet.")
    after = client.get(reverse("public:feed"), headers={"if-none-match": first["ETag"]})

    assert FollowUpEvent.objects.get().is_retracted
    assert after.status_code == 200
    assert "Torget" in first.content.decode()
    assert "Torget" not in after.content.decode()


def _receiver_modules(signal):
    modules = set()
    for _key, receiver, *_rest in signal.receivers:
        if isinstance(receiver, weakref.ReferenceType):
            receiver = receiver()
        modules.add(getattr(receiver, "__module__", ""))
    return modules


@pytest.mark.parametrize("signal", [pre_save, post_save, post_delete, m2m_changed])
def test_conditional_no_receiver_of_ours_listens_to_model_writes(signal):
    modules = _receiver_modules(signal)

    assert [module for module in modules if module.startswith(OUR_PACKAGES)] == []


def test_conditional_receiver_walk_finds_the_history_receivers():
    # The walk above must see receivers at all: django-simple-history's are connected.
    modules = _receiver_modules(post_save) | _receiver_modules(post_delete)

    assert "simple_history.models" in modules


def test_conditional_direct_save_does_not_move_the_version(db):
    period = factories.running_period()
    before = versioning.current(period.municipality.slug)

    factories.activity(period)

    assert versioning.current(period.municipality.slug) == before


def test_conditional_event_in_one_kommun_leaves_another_kommuns_pages_cached(client, db):
    tranas = factories.running_period("0687")
    aneby = factories.running_period("0604")
    tranas_activity = factories.activity(tranas)
    factories.activity(aneby)
    aneby_first = client.get(period_url(aneby))
    tranas_first = client.get(period_url(tranas))
    index_first = client.get(reverse("public:index"))

    services.log_event(
        tranas_activity,
        by=factories.logger(),
        occurred_on=timezone.localdate(),
        organisation=tranas_activity.responsible_organisations.first(),
        quantity=1,
        place="Stora torget",
    )
    aneby_after = client.get(period_url(aneby), headers={"if-none-match": aneby_first["ETag"]})
    tranas_after = client.get(period_url(tranas), headers={"if-none-match": tranas_first["ETag"]})
    index_after = client.get(
        reverse("public:index"), headers={"if-none-match": index_first["ETag"]}
    )

    assert aneby_after.status_code == 304
    assert tranas_after.status_code == 200
    assert "Stora torget" in tranas_after.content.decode()
    assert index_after.status_code == 200
    assert "Stora torget" in index_after.content.decode()


def test_conditional_shared_data_renews_every_kommuns_pages(client, db):
    period = factories.running_period("0604")
    activity = factories.activity(period)
    organisation = activity.responsible_organisations.first()
    first = client.get(period_url(period))

    organisation.name = "Anebys nya förvaltning"
    save_reference_object(organisation, by=factories.superuser())
    after = client.get(period_url(period), headers={"if-none-match": first["ETag"]})

    assert after.status_code == 200
    assert "Anebys nya förvaltning" in after.content.decode()


def test_conditional_kommun_version_does_not_move_for_another_kommuns_write(db):
    tranas = factories.running_period("0687")
    aneby = factories.running_period("0604")
    activity = factories.activity(tranas)
    aneby_before = versioning.current(aneby.municipality.slug)
    national_before = versioning.current()

    services.log_event(
        activity,
        by=factories.logger(),
        occurred_on=timezone.localdate(),
        organisation=activity.responsible_organisations.first(),
    )

    assert versioning.current(aneby.municipality.slug) != versioning.current(
        tranas.municipality.slug
    )
    assert versioning.current(aneby.municipality.slug) == aneby_before
    assert versioning.current() != national_before


def test_conditional_english_page_has_its_own_etag(client, db):
    period = factories.running_period()
    swedish = client.get(period_url(period))

    english = client.get("/en" + period_url(period), headers={"if-none-match": swedish["ETag"]})

    assert english.status_code == 200
    assert english["ETag"] != swedish["ETag"]
