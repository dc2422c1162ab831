"""The Django admin: superusers only; reference data and memberships save through
municipalities/services.py (renewing the reference version); a kommun's own data is read-only."""

from datetime import date

import pytest
from django.urls import reverse

from followup.models import Deviation, FollowUpEvent, FollowUpReport, ReportKind
from municipalities import versioning
from municipalities.models import Membership, Organisation, Role
from promises.models import Activity, DecisionMemo, PromisePeriod
from tests import factories

pytestmark = pytest.mark.django_db

# Kommuner on LPO Höglandet, for rows spread over several kommuner and organisations.
HOGLANDET_CODES = ["0687", "0604", "0684", "0685", "0686", "0682"]

# (app, model, text the changelist shows for the data made by the `sample` fixture); the
# organisations span four pages, so that row is found with the search box.
CHANGELISTS = [
    ("municipalities", "county", "Jönköpings län"),
    ("municipalities", "policeregion", "Polisregion Öst"),
    ("municipalities", "municipality", "Tranås"),
    ("municipalities", "policearea", "Lokalpolisområde Höglandet"),
    ("municipalities", "organisation?q=Tranås", "Tranås kommun"),
    ("municipalities", "membership", "samordnare-tranas"),
    ("promises", "theme", "Trafik"),
    ("promises", "promiseperiod", "Medborgarlöfte 2023–2024"),
    ("promises", "promise", "En säker trafikmiljö"),
    ("promises", "activity", "Polisen genomför trafikkontroller vid skolorna."),
    ("promises", "signatory", "Beata Allen"),
    ("followup", "followupevent", "Polisen genomför trafikkontroller vid skolorna."),
    ("followup", "deviation", "Polisen genomför trafikkontroller vid skolorna."),
    ("promises", "decisionmemo", "Medborgarlöfte mellan polisen och Tranås kommun 2023-2024"),
    ("followup", "followupreport", "Medborgarlöfte 2023–2024"),
]

# Shared data: the admin adds and changes it through municipalities/services.py.
ADD_PAGES = [
    ("municipalities", "county", "Lägg till län"),
    ("municipalities", "policeregion", "Lägg till polisregion"),
    ("municipalities", "municipality", "Lägg till kommun"),
    ("municipalities", "policearea", "Lägg till lokalpolisområde"),
    ("municipalities", "organisation", "Lägg till organisation"),
    ("municipalities", "membership", "Lägg till medlemskap"),
    ("promises", "theme", "Lägg till tema"),
]

# A kommun's own data: written only on the staff pages, through the services.
READ_ONLY = [
    ("promises", "promiseperiod"),
    ("promises", "promise"),
    ("promises", "activity"),
    ("promises", "signatory"),
    ("promises", "decisionmemo"),
    ("followup", "followupevent"),
    ("followup", "deviation"),
    ("followup", "followupreport"),
]


@pytest.fixture
def admin_client(client):
    client.force_login(factories.superuser())
    return client


@pytest.fixture
def sample():
    """One period with a promise, an activity, an event, a deviation, a signatory and a source."""
    period = factories.period(title="Medborgarlöfte 2023–2024")
    promise = factories.promise(period, title="En säker trafikmiljö")
    activity = factories.activity(
        period, promise_=promise, description="Polisen genomför trafikkontroller vid skolorna."
    )
    event = factories.event(activity, date(2023, 5, 12), summary="Kontroll vid Norrskolan")
    factories.deviation(activity, date(2023, 1, 1))
    factories.signatory(period, factories.municipal_organisation())
    factories.situation_source(period)
    factories.member(
        factories.municipal_organisation(), role=Role.EDITOR, username="samordnare-tranas"
    )
    memo = factories.decision_memo(period)
    FollowUpReport.objects.create(
        period=period, kind=ReportKind.YEAR, year=2023, created_by=factories.user()
    )
    return {
        "period": period,
        "promise": promise,
        "activity": activity,
        "event": event,
        "memo": memo,
    }


@pytest.mark.parametrize(("app", "model", "expected"), CHANGELISTS)
def test_admin_changelist_shows_rows(admin_client, sample, app, model, expected):
    model, _, query = model.partition("?")

    response = admin_client.get(f"{reverse(f'admin:{app}_{model}_changelist')}?{query}")

    assert response.status_code == 200
    assert expected in response.text


@pytest.mark.parametrize(("app", "model", "expected"), ADD_PAGES)
def test_admin_add_page_renders(admin_client, app, model, expected):
    response = admin_client.get(reverse(f"admin:{app}_{model}_add"))

    assert response.status_code == 200
    assert expected in response.text


@pytest.mark.parametrize(("app", "model"), READ_ONLY)
def test_admin_add_page_is_refused_for_a_kommuns_data(admin_client, app, model):
    response = admin_client.get(reverse(f"admin:{app}_{model}_add"))

    assert response.status_code == 403


@pytest.mark.parametrize(("app", "model"), READ_ONLY)
def test_admin_change_page_of_a_kommuns_data_has_no_inputs(admin_client, sample, app, model):
    obj = {
        "promiseperiod": sample["period"],
        "promise": sample["promise"],
        "activity": sample["activity"],
        "signatory": sample["period"].signatories.get(),
        "decisionmemo": sample["memo"],
        "followupevent": sample["event"],
        "deviation": Deviation.objects.get(),
        "followupreport": FollowUpReport.objects.get(),
    }[model]

    response = admin_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))

    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert "<textarea" not in response.text
    assert '<input type="text"' not in response.text


@pytest.mark.parametrize(("app", "model"), READ_ONLY)
def test_admin_changelist_of_a_kommuns_data_has_no_add_link_or_delete_action(
    admin_client, sample, app, model
):
    response = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 200
    assert reverse(f"admin:{app}_{model}_add") not in response.text
    assert "delete_selected" not in response.text


@pytest.mark.parametrize(("app", "model", "expected"), CHANGELISTS)
def test_admin_changelist_refuses_staff_without_superuser(client, sample, app, model, expected):
    model = model.partition("?")[0]
    client.force_login(factories.user(is_staff=True))

    response = client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_index_refuses_staff_without_superuser(client):
    client.force_login(factories.user(is_staff=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_index_has_swedish_header(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert "Medborgarlöften – administration" in response.text


def test_admin_municipality_search_by_code_finds_tranas(admin_client):
    response = admin_client.get(
        reverse("admin:municipalities_municipality_changelist"), {"q": "0687"}
    )

    assert response.context["cl"].result_count == 1
    assert "Tranås" in response.text


def test_admin_police_area_counts_its_kommuner(admin_client):
    response = admin_client.get(
        reverse("admin:municipalities_policearea_changelist"), {"q": "Höglandet"}
    )

    areas = list(response.context["cl"].result_list)
    assert [(area.name, area.municipality_count) for area in areas] == [("Höglandet", 6)]


def test_admin_retracted_filter_splits_events(admin_client, sample):
    activity = sample["activity"]
    retractor = factories.user()
    factories.event(
        activity,
        date(2023, 5, 13),
        summary="Felregistrerad kontroll",
        retracted_at="2023-05-14T10:00:00+02:00",
        retracted_by=retractor,
        retraction_reason="Dubbelregistrering",
    )
    url = reverse("admin:followup_followupevent_changelist")

    retracted = admin_client.get(url, {"retracted": "yes"}).context["cl"].result_list
    counting = admin_client.get(url, {"retracted": "no"}).context["cl"].result_list

    assert [event.summary for event in retracted] == ["Felregistrerad kontroll"]
    assert [event.summary for event in counting] == ["Kontroll vid Norrskolan"]


def test_admin_period_change_page_renders_inlines(admin_client, sample):
    period = sample["period"]

    response = admin_client.get(reverse("admin:promises_promiseperiod_change", args=[period.pk]))

    assert response.status_code == 200
    text = response.text
    assert "En säker trafikmiljö" in text  # promise inline
    assert "Polisen genomför trafikkontroller vid skolorna." in text  # activity inline
    assert "Beata Allen" in text  # signatory inline
    assert "Trygghetsmätning 2022" in text  # situation source inline
    assert 'id="activities-group"' in text


def test_admin_activity_change_page_lists_events_read_only(admin_client, sample):
    activity = sample["activity"]

    response = admin_client.get(reverse("admin:promises_activity_change", args=[activity.pk]))

    assert response.status_code == 200
    assert "Kontroll vid Norrskolan" in response.text
    assert 'name="events-0-summary"' not in response.text
    assert 'name="events-0-DELETE"' not in response.text


def test_admin_activity_history_page_renders(admin_client, sample):
    activity = sample["activity"]
    activity.target_quantity = 40
    activity.save()

    response = admin_client.get(reverse("admin:promises_activity_history", args=[activity.pk]))

    assert response.status_code == 200
    assert "Polisen genomför trafikkontroller vid skolorna." in response.text
    assert "<strong>Målvärde:</strong>" in response.text
    records = response.context["page_obj"].object_list
    assert [record.history_type for record in records] == ["~", "~", "+"]  # m2m set, then save


def _events_in_kommuner(count):
    for number, code in enumerate(HOGLANDET_CODES[:count], start=1):
        organisation = factories.municipal_organisation(code)
        period = factories.period(municipality_code=code)
        activity = factories.activity(
            period, organisations=[organisation], description=f"Aktivitet {number}"
        )
        factories.event(activity, date(2023, 3, number), summary=f"Händelse {number}")


@pytest.mark.parametrize("rows", [1, 5])
def test_admin_event_changelist_query_count_is_constant(
    admin_client, django_assert_num_queries, rows
):
    _events_in_kommuner(rows)

    with django_assert_num_queries(7):
        response = admin_client.get(reverse("admin:followup_followupevent_changelist"))

    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_admin_period_changelist_query_count_is_constant(
    admin_client, django_assert_num_queries, rows
):
    for code in HOGLANDET_CODES[:rows]:
        factories.period(municipality_code=code)

    with django_assert_num_queries(8):
        response = admin_client.get(reverse("admin:promises_promiseperiod_changelist"))

    assert response.context["cl"].result_count == rows


def test_admin_police_area_search_by_kommun_keeps_the_count(admin_client):
    response = admin_client.get(
        reverse("admin:municipalities_policearea_changelist"), {"q": "Tranås"}
    )

    areas = list(response.context["cl"].result_list)
    assert [(area.name, area.municipality_count) for area in areas] == [("Höglandet", 6)]


def test_admin_period_municipality_autocomplete_finds_tranas(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "promises",
            "model_name": "promiseperiod",
            "field_name": "municipality",
            "term": "Tranå",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Tranås"]


# --- The admin cannot write a kommun's data behind the services' back ---------------------------


def _event_form_data(event, **changes):
    data = {
        "activity": event.activity_id,
        "kind": event.kind,
        "occurred_on": event.occurred_on.isoformat(),
        "quantity": str(event.quantity),
        "organisation": event.organisation_id,
        "place": event.place,
        "summary": event.summary,
        "internal_note": event.internal_note,
    }
    return data | changes


def test_admin_cannot_change_an_events_quantity(admin_client, sample):
    event = sample["event"]
    version = versioning.current(event.activity.period.municipality.slug)

    response = admin_client.post(
        reverse("admin:followup_followupevent_change", args=[event.pk]),
        _event_form_data(event, quantity="40"),
    )

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.quantity == 1
    assert event.history.count() == 1
    assert versioning.current(event.activity.period.municipality.slug) == version


def test_admin_cannot_add_an_event(admin_client, sample):
    event = sample["event"]

    response = admin_client.post(
        reverse("admin:followup_followupevent_add"),
        _event_form_data(event, summary="Kontroll vid Södra vägen"),
    )

    assert response.status_code == 403
    assert list(FollowUpEvent.objects.values_list("summary", flat=True)) == [
        "Kontroll vid Norrskolan"
    ]


def test_admin_cannot_delete_an_event(admin_client, sample):
    event = sample["event"]

    response = admin_client.post(
        reverse("admin:followup_followupevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert FollowUpEvent.objects.filter(pk=event.pk).exists()


def test_admin_cannot_revert_an_event_to_an_old_version(admin_client, sample):
    event = sample["event"]
    first = event.history.earliest()
    FollowUpEvent.objects.filter(pk=event.pk).update(summary="Kontroll vid Söderskolan")
    url = reverse("admin:followup_followupevent_simple_history", args=[event.pk, first.pk])

    response = admin_client.post(url, _event_form_data(event, summary="Återställd"))

    assert response.status_code == 403
    assert FollowUpEvent.objects.get(pk=event.pk).summary == "Kontroll vid Söderskolan"


@pytest.mark.parametrize(
    ("app", "model", "key"),
    [
        ("promises", "promiseperiod", "period"),
        ("promises", "activity", "activity"),
        ("promises", "decisionmemo", "memo"),
        ("followup", "followupevent", "event"),
    ],
)
def test_admin_old_version_page_renders_without_inputs(admin_client, sample, app, model, key):
    obj = sample[key]
    first = obj.history.earliest()
    url = reverse(f"admin:{app}_{model}_simple_history", args=[obj.pk, first.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert "<textarea" not in response.text


def test_admin_cannot_move_an_activity_to_another_kommun(admin_client, sample):
    activity = sample["activity"]
    aneby = factories.period(municipality_code="0604")

    response = admin_client.post(
        reverse("admin:promises_activity_change", args=[activity.pk]),
        {
            "period": aneby.pk,
            "position": "1",
            "description": activity.description,
            "responsible_organisations": [o.pk for o in activity.responsible_organisations.all()],
            "target_kind": activity.target_kind,
            "target_quantity": "30",
            "cadence": activity.cadence,
            "unit_singular": activity.unit_singular,
            "unit_plural": activity.unit_plural,
        },
    )

    assert response.status_code == 403
    assert Activity.objects.get(pk=activity.pk).period_id == sample["period"].pk


def test_admin_cannot_delete_a_period(admin_client, sample):
    period = sample["period"]

    response = admin_client.post(
        reverse("admin:promises_promiseperiod_delete", args=[period.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert PromisePeriod.objects.filter(pk=period.pk).exists()


def test_admin_cannot_change_a_memo(admin_client, sample):
    memo = sample["memo"]

    response = admin_client.post(
        reverse("admin:promises_decisionmemo_change", args=[memo.pk]),
        {"title": "Ändrad i admin", "version": "1", "status": "draft"},
    )

    assert response.status_code == 403
    assert DecisionMemo.objects.get(pk=memo.pk).title == memo.title


def test_admin_cannot_publish_a_report(admin_client, sample):
    report = FollowUpReport.objects.get()

    response = admin_client.post(
        reverse("admin:followup_followupreport_change", args=[report.pk]),
        {"period": report.period_id, "kind": "year", "year": "2023", "status": "published"},
    )

    assert response.status_code == 403
    assert FollowUpReport.objects.get(pk=report.pk).status == "draft"


# --- Reference data and memberships save through municipalities/services.py ------------------


def test_admin_organisation_change_renews_every_kommuns_version(admin_client, sample):
    organisation = factories.municipal_organisation("0604")
    tranas_before = versioning.current("tranas")
    national_before = versioning.current()

    response = admin_client.post(
        reverse("admin:municipalities_organisation_change", args=[organisation.pk]),
        {
            "kind": organisation.kind,
            "name": "Anebys nya förvaltning",
            "slug": organisation.slug,
            "municipality": organisation.municipality_id,
            "police_area": "",
        },
    )

    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).name == "Anebys nya förvaltning"
    assert versioning.current("tranas") != tranas_before
    assert versioning.current() != national_before


def test_admin_theme_add_renews_the_reference_version(admin_client):
    before = versioning.current("tranas")

    response = admin_client.post(
        reverse("admin:promises_theme_add"),
        {
            "name": "Klotter",
            "slug": "klotter",
            "description": "Klotter och skadegörelse.",
            "position": "11",
        },
    )

    assert response.status_code == 302
    assert versioning.current("tranas") != before


def test_admin_membership_add_renews_the_reference_version(admin_client):
    account = factories.user(username="ny-samordnare")
    before = versioning.current()

    response = admin_client.post(
        reverse("admin:municipalities_membership_add"),
        {
            "user": account.pk,
            "organisation": factories.municipal_organisation().pk,
            "role": Role.EDITOR,
        },
    )

    assert response.status_code == 302
    assert Membership.objects.get(user=account).role == Role.EDITOR
    assert versioning.current() != before


def test_admin_membership_delete_renews_the_reference_version(admin_client):
    account = factories.member(factories.municipal_organisation(), Role.VIEWER, "lamnar")
    membership = Membership.objects.get(user=account)
    before = versioning.current()

    response = admin_client.post(
        reverse("admin:municipalities_membership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert versioning.current() != before
