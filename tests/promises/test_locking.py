"""Issue 12, item 1: from adoption on, a period's promise changes only by an amendment."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from promises import services
from promises.models import Activity, PeriodStatus, Signatory, SituationSource
from tests import factories

pytestmark = pytest.mark.django_db

LOCKED = "Medborgarlöftet är antaget och låst. Ändra det genom en ändring (amendment) med skäl."
TRANAS_CHECKS = "Polisen ska genomföra minst trettio (30) trafikkontroller per år."


def _tranas_2023(status=PeriodStatus.CONCLUDED):
    """The concluded Tranås 2023–2024 with its traffic-check activity and a signatory."""
    period = factories.period("0687", slug="2023-2024", status=status)
    promise = factories.promise(period, title="Arbeta för en säker trafikmiljö.")
    factories.activity(period, promise_=promise, description=TRANAS_CHECKS, target_quantity=30)
    factories.signatory(period, factories.municipal_organisation())
    factories.situation_source(period)
    return period


def _activity_fields(activity, **changes):
    fields = {
        "promise": activity.promise,
        "position": activity.position,
        "description": activity.description,
        "target_kind": activity.target_kind,
        "target_quantity": activity.target_quantity,
        "unit_singular": activity.unit_singular,
        "unit_plural": activity.unit_plural,
        "cadence": activity.cadence,
    }
    return {**fields, **changes}


def test_save_activity_target_change_of_a_concluded_period_is_refused(coordinator):
    period = _tranas_2023()
    activity = period.activities.get()
    versions = activity.history.count()

    with pytest.raises(ValidationError) as refused:
        services.save_activity(
            period,
            by=coordinator,
            activity=Activity(pk=activity.pk),
            responsible_organisations=list(activity.responsible_organisations.all()),
            **_activity_fields(activity, target_quantity=20),
        )

    activity.refresh_from_db()
    assert refused.value.messages == [LOCKED]
    assert activity.target_quantity == 30
    assert activity.history.count() == versions


@pytest.mark.parametrize("status", [PeriodStatus.ADOPTED, PeriodStatus.ACTIVE])
def test_save_promise_and_new_activity_of_an_adopted_period_are_refused(status, coordinator):
    period = _tranas_2023(status)

    with pytest.raises(ValidationError) as promise_refused:
        services.save_promise(period, by=coordinator, position=2, title="Ett nytt löfte")
    with pytest.raises(ValidationError) as activity_refused:
        services.save_activity(
            period,
            by=coordinator,
            responsible_organisations=[factories.police_organisation()],
            **_activity_fields(period.activities.get(), position=5),
        )

    assert promise_refused.value.messages == [LOCKED]
    assert activity_refused.value.messages == [LOCKED]
    assert (period.promises.count(), period.activities.count()) == (1, 1)


def test_delete_signatory_of_an_adopted_period_is_refused(coordinator):
    period = _tranas_2023(PeriodStatus.ACTIVE)
    signatory = period.signatories.get()

    with pytest.raises(ValidationError) as refused:
        services.delete_signatory(signatory, by=coordinator)

    assert refused.value.messages == [LOCKED]
    assert Signatory.objects.filter(pk=signatory.pk).exists()


def test_sources_of_an_adopted_period_are_locked(coordinator):
    period = _tranas_2023(PeriodStatus.ADOPTED)
    source = period.sources.get()

    with pytest.raises(ValidationError):
        services.save_source(period, by=coordinator, source=source, description="Ny text")
    with pytest.raises(ValidationError):
        services.delete_source(source, by=coordinator)

    source.refresh_from_db()
    assert source.description == "Trygghetsmätning 2022"
    assert SituationSource.objects.filter(period=period).count() == 1


def test_update_period_refuses_locked_fields_and_allows_the_police_publication_choice(
    coordinator,
):
    period = _tranas_2023(PeriodStatus.ACTIVE)

    with pytest.raises(ValidationError) as refused:
        services.update_period(
            period, by=coordinator, ends_on=date(2025, 6, 30), situation_picture="Ny lägesbild"
        )
    services.update_period(period, by=coordinator, police_monthly_counts_only=True)

    period.refresh_from_db()
    assert set(refused.value.message_dict) == {"ends_on", "situation_picture"}
    assert period.ends_on == date(2024, 12, 31)
    assert period.police_monthly_counts_only is True


def test_update_period_refuses_a_change_of_partners_once_adopted(coordinator):
    period = _tranas_2023(PeriodStatus.ADOPTED)

    with pytest.raises(ValidationError) as refused:
        services.update_period(period, by=coordinator, partners=[factories.partner_organisation()])

    assert refused.value.message_dict == {"partners": [LOCKED]}
    assert period.partners.count() == 0


def test_a_draft_period_stays_free_to_edit(coordinator):
    period = _tranas_2023(PeriodStatus.DRAFT)
    activity = period.activities.get()

    services.save_activity(
        period,
        by=coordinator,
        activity=Activity(pk=activity.pk),
        responsible_organisations=list(activity.responsible_organisations.all()),
        **_activity_fields(activity, target_quantity=20),
    )
    services.delete_signatory(period.signatories.get(), by=coordinator)

    activity.refresh_from_db()
    assert activity.target_quantity == 20
    assert period.signatories.count() == 0


def test_staff_activity_edit_of_a_locked_period_sends_back_with_the_reason(client, coordinator):
    period = _tranas_2023()
    activity = period.activities.get()
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:activity_edit", args=[activity.pk]),
        {"description": "Ändrad", "target_kind": "count", "target_quantity": 20},
        follow=True,
    )

    activity.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("promises:period_detail", args=[period.pk])
    assert LOCKED in response.content.decode()
    assert activity.target_quantity == 30


def test_staff_signatory_delete_of_a_locked_period_says_why(client, coordinator):
    period = _tranas_2023()
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:signatory_delete", args=[period.signatories.get().pk]), follow=True
    )

    assert LOCKED in response.content.decode()
    assert period.signatories.count() == 1


def test_staff_period_page_of_a_locked_period_offers_an_amendment_not_edit_links(
    client, coordinator
):
    period = _tranas_2023()
    client.force_login(coordinator)

    page = client.get(reverse("promises:period_detail", args=[period.pk])).content.decode()

    assert reverse("promises:amendment_create", args=[period.pk]) in page
    assert reverse("promises:activity_edit", args=[period.activities.get().pk]) not in page
    assert reverse("promises:signatory_delete", args=[period.signatories.get().pk]) not in page


def test_staff_period_edit_of_a_locked_period_changes_only_the_publication_choice(
    client, coordinator
):
    period = _tranas_2023(PeriodStatus.ACTIVE)
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:period_edit", args=[period.pk]),
        {"title": "Något annat", "ends_on": "2030-12-31", "police_monthly_counts_only": "on"},
    )

    period.refresh_from_db()
    assert response.status_code == 302
    assert (period.title, period.ends_on) == ("Medborgarlöfte 2023–2024", date(2024, 12, 31))
    assert period.police_monthly_counts_only is True
