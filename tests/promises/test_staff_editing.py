from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from promises.models import Activity, PeriodStatus, PromisePeriod, TargetKind
from promises.services import following_span, renew_period
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tranas_2023(db):
    """Tranås 2023–2024 as in the seed: two promises, activities, a source, a signatory."""
    period = factories.period(
        "0687", slug="2023-2024", status=PeriodStatus.CONCLUDED, situation_picture="Lägesbild."
    )
    drugs = factories.promise(period, title="Öka upptäckten av narkotikabrott")
    factories.promise(period, title="Öka tryggheten i centrala Tranås")
    factories.activity(period, promise_=drugs, target_quantity=15)
    factories.activity(
        period,
        organisations=[factories.police_organisation(), factories.municipal_organisation()],
        target_kind=TargetKind.ONGOING,
        description="Krogkontroller tillsammans",
    )
    factories.situation_source(period)
    factories.signatory(period, factories.municipal_organisation())
    return period


def test_following_span_of_two_calendar_years_is_the_next_two():
    assert following_span(date(2023, 1, 1), date(2024, 12, 31)) == (
        date(2025, 1, 1),
        date(2026, 12, 31),
    )


def test_following_span_of_one_year_from_june_is_the_next_year_from_june():
    assert following_span(date(2023, 6, 1), date(2024, 5, 31)) == (
        date(2024, 6, 1),
        date(2025, 5, 31),
    )


def test_renew_period_creates_the_next_draft_with_copies(client, coordinator, tranas_2023):
    client.force_login(coordinator)

    response = client.post(reverse("promises:period_renew", args=[tranas_2023.pk]))

    renewed = PromisePeriod.objects.get(previous_period=tranas_2023)
    assert response.url == reverse("promises:period_detail", args=[renewed.pk])
    assert (renewed.slug, renewed.title, renewed.status, renewed.is_published) == (
        "2025-2026",
        "Medborgarlöfte 2025–2026",
        PeriodStatus.DRAFT,
        False,
    )
    assert (renewed.starts_on, renewed.ends_on) == (date(2025, 1, 1), date(2026, 12, 31))
    assert [p.title for p in renewed.promises.all()] == [
        p.title for p in tranas_2023.promises.all()
    ]
    copied = renewed.activities.get(description="Krogkontroller tillsammans")
    assert {o.pk for o in copied.responsible_organisations.all()} == {
        factories.police_organisation().pk,
        factories.municipal_organisation().pk,
    }
    assert renewed.activities.get(position=1).promise.title == "Öka upptäckten av narkotikabrott"
    assert renewed.sources.count() == 1
    assert renewed.signatories.count() == 0
    assert renewed.situation_picture == "Lägesbild."


def test_renew_period_twice_is_refused_in_swedish(client, coordinator, tranas_2023):
    client.force_login(coordinator)
    client.post(reverse("promises:period_renew", args=[tranas_2023.pk]))

    response = client.post(reverse("promises:period_renew", args=[tranas_2023.pk]))

    assert response.status_code == 200
    assert "Medborgarlöftet är redan förnyat" in response.content.decode()
    assert PromisePeriod.objects.filter(municipality__code="0687").count() == 2


def test_renew_period_refuses_a_taken_slug(coordinator, tranas_2023):
    factories.period(
        "0687", slug="2025-2026", starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31)
    )

    with pytest.raises(ValidationError, match="redan ett medborgarlöfte med adressen"):
        renew_period(tranas_2023, by=coordinator)


def test_adopting_needs_date_and_decision(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.DRAFT, is_published=False)
    client.force_login(coordinator)
    url = reverse("promises:period_transition", args=[period.pk])

    refused = client.post(url, {"to": "adopted"})
    accepted = client.post(
        url, {"to": "adopted", "adopted_on": "2022-12-05", "decision_reference": "KS § 201"}
    )

    period.refresh_from_db()
    assert "Ange vilket datum medborgarlöftet antogs." in refused.content.decode()
    assert accepted.status_code == 302
    assert (period.status, period.adopted_on, period.decision_reference) == (
        PeriodStatus.ADOPTED,
        date(2022, 12, 5),
        "KS § 201",
    )


def test_period_cannot_be_concluded_before_it_ends(client, coordinator):
    today = timezone.localdate()
    period = factories.period(
        "0687",
        status=PeriodStatus.ACTIVE,
        starts_on=today - timedelta(days=30),
        ends_on=today,
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:period_transition", args=[period.pk]), {"to": "concluded"}
    )

    period.refresh_from_db()
    assert "kan avslutas först när perioden är slut" in response.content.decode()
    assert period.status == PeriodStatus.ACTIVE


def test_period_skipping_a_status_is_refused(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.DRAFT)
    client.force_login(coordinator)

    client.post(reverse("promises:period_transition", args=[period.pk]), {"to": "active"})

    period.refresh_from_db()
    assert period.status == PeriodStatus.DRAFT


def test_publish_refuses_a_draft_and_publishes_an_adopted_period(client, coordinator):
    draft = factories.period("0687", status=PeriodStatus.DRAFT, is_published=False)
    adopted = factories.period("0687", status=PeriodStatus.ADOPTED, is_published=False)
    client.force_login(coordinator)

    client.post(reverse("promises:period_publish", args=[draft.pk]), {"published": "1"})
    client.post(reverse("promises:period_publish", args=[adopted.pk]), {"published": "1"})

    draft.refresh_from_db()
    adopted.refresh_from_db()
    assert (draft.is_published, adopted.is_published) == (False, True)


def test_unpublish_takes_a_period_down(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.ACTIVE, is_published=True)
    client.force_login(coordinator)

    client.post(reverse("promises:period_publish", args=[period.pk]), {"published": "0"})

    period.refresh_from_db()
    assert period.is_published is False


def _activity_data(activity, **changes):
    data = {
        "position": activity.position,
        "description": activity.description,
        "responsible_organisations": [o.pk for o in activity.responsible_organisations.all()],
        "target_kind": activity.target_kind,
        "target_quantity": activity.target_quantity or "",
        "unit_singular": activity.unit_singular,
        "unit_plural": activity.unit_plural,
        "cadence": activity.cadence,
    }
    data.update(changes)
    return data


def test_target_kind_of_a_published_activity_with_events_cannot_change(client, coordinator):
    # Adoption locks the period (issue 12): the edit is refused before any rule of the target.
    period = factories.period("0687", status=PeriodStatus.ACTIVE, is_published=True)
    activity = factories.activity(period)
    factories.event(activity, period.starts_on, 3)
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:activity_edit", args=[activity.pk]),
        _activity_data(activity, target_kind=TargetKind.ONGOING),
        follow=True,
    )

    activity.refresh_from_db()
    assert "Medborgarlöftet är antaget och låst" in response.content.decode()
    assert activity.target_kind == TargetKind.COUNT


def test_target_kind_of_a_draft_activity_can_change(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.DRAFT, is_published=False)
    activity = factories.activity(period)
    client.force_login(coordinator)

    client.post(
        reverse("promises:activity_edit", args=[activity.pk]),
        _activity_data(activity, target_kind=TargetKind.ONGOING),
    )

    activity.refresh_from_db()
    assert (activity.target_kind, activity.target_quantity, activity.cadence) == (
        TargetKind.ONGOING,
        None,
        "",
    )


def test_activity_create_count_without_quantity_is_refused_in_swedish(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.DRAFT)
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:activity_create", args=[period.pk]),
        {
            "position": 1,
            "description": "Trafikkontroller",
            "responsible_organisations": [factories.police_organisation().pk],
            "target_kind": TargetKind.COUNT,
            "cadence": "year",
        },
    )

    assert response.status_code == 200
    assert "Ange målvärdet, minst 1." in response.content.decode()
    assert Activity.objects.count() == 0


def test_activity_create_saves_target_and_responsible(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.DRAFT)
    client.force_login(coordinator)

    client.post(
        reverse("promises:activity_create", args=[period.pk]),
        {
            "position": 1,
            "description": "Trafikkontroller",
            "responsible_organisations": [factories.police_organisation().pk],
            "target_kind": TargetKind.COUNT,
            "target_quantity": 30,
            "unit_singular": "trafikkontroll",
            "unit_plural": "trafikkontroller",
            "cadence": "year",
        },
    )

    activity = Activity.objects.get()
    assert (activity.target_quantity, activity.cadence) == (30, "year")
    assert list(activity.responsible_organisations.all()) == [factories.police_organisation()]


def test_period_create_by_coordinator_makes_a_draft(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:period_create"),
        {
            "municipality_choice": factories.municipality("0687").pk,
            "title": "Medborgarlöfte 2027",
            "slug": "2027",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
    )

    period = PromisePeriod.objects.get(slug="2027")
    assert response.url == reverse("promises:period_detail", args=[period.pk])
    assert (period.municipality.code, period.status) == ("0687", PeriodStatus.DRAFT)


def test_period_create_with_end_before_start_is_refused_in_swedish(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:period_create"),
        {
            "municipality_choice": factories.municipality("0687").pk,
            "title": "Fel",
            "slug": "fel",
            "starts_on": "2027-01-01",
            "ends_on": "2026-12-31",
        },
    )

    assert "Slutdatumet kan inte ligga före startdatumet." in response.content.decode()
    assert not PromisePeriod.objects.filter(slug="fel").exists()


def test_signatory_and_source_can_be_added(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.DRAFT)
    client.force_login(coordinator)

    client.post(
        reverse("promises:signatory_create", args=[period.pk]),
        {
            "position": 1,
            "name": "Anna Berg",
            "title": "Kommunstyrelsens ordförande",
            "organisation": factories.municipal_organisation().pk,
        },
    )
    client.post(
        reverse("promises:source_create", args=[period.pk]),
        {"kind": "medborgardialog", "description": "Dialog på torget 2026"},
    )

    assert [s.name for s in period.signatories.all()] == ["Anna Berg"]
    assert [s.description for s in period.sources.all()] == ["Dialog på torget 2026"]


def test_promise_with_a_taken_position_is_refused(client, coordinator):
    period = factories.period("0687", status=PeriodStatus.DRAFT)
    factories.promise(period, position=1)
    client.force_login(coordinator)

    response = client.post(
        reverse("promises:promise_create", args=[period.pk]),
        {"position": 1, "title": "Ett till löfte"},
    )

    assert "Ett annat löfte har redan plats 1." in response.content.decode()
    assert period.promises.count() == 1
