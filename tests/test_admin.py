from datetime import date

import pytest
from django.urls import reverse

from followup.models import FollowUpEvent
from municipalities.models import Role
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
]

ADD_PAGES = [
    ("municipalities", "county", "Lägg till län"),
    ("municipalities", "policeregion", "Lägg till polisregion"),
    ("municipalities", "municipality", "Lägg till kommun"),
    ("municipalities", "policearea", "Lägg till lokalpolisområde"),
    ("municipalities", "organisation", "Lägg till organisation"),
    ("municipalities", "membership", "Lägg till medlemskap"),
    ("promises", "theme", "Lägg till tema"),
    ("promises", "promiseperiod", "Lägg till medborgarlöfte"),
    ("promises", "promise", "Lägg till löfte"),
    ("promises", "activity", "Lägg till aktivitet"),
    ("promises", "signatory", "Lägg till undertecknare"),
    ("followup", "followupevent", "Lägg till händelse"),
    ("followup", "deviation", "Lägg till avvikelse"),
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
    return {"period": period, "promise": promise, "activity": activity, "event": event}


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


def test_admin_event_change_page_has_no_delete_link(admin_client, sample):
    event = sample["event"]

    response = admin_client.get(reverse("admin:followup_followupevent_change", args=[event.pk]))

    assert response.status_code == 200
    assert "Kontroll vid Norrskolan" in response.text
    assert reverse("admin:followup_followupevent_delete", args=[event.pk]) not in response.text


def test_admin_event_delete_view_is_refused(admin_client, sample):
    event = sample["event"]

    response = admin_client.post(reverse("admin:followup_followupevent_delete", args=[event.pk]))

    assert response.status_code == 403
    assert FollowUpEvent.objects.filter(pk=event.pk).exists()


def test_admin_event_changelist_has_no_delete_action(admin_client, sample):
    response = admin_client.get(reverse("admin:followup_followupevent_changelist"))

    assert "delete_selected" not in response.text


def test_admin_new_event_is_logged_by_the_admin(admin_client, sample):
    activity = sample["activity"]
    organisation = activity.responsible_organisations.get()

    response = admin_client.post(
        reverse("admin:followup_followupevent_add"),
        {
            "activity": activity.pk,
            "kind": "done",
            "occurred_on": "2023-06-01",
            "quantity": "2",
            "organisation": organisation.pk,
            "place": "",
            "summary": "Kontroll vid Södra vägen",
            "internal_note": "",
        },
    )

    assert response.status_code == 302
    event = FollowUpEvent.objects.get(summary="Kontroll vid Södra vägen")
    assert event.logged_by == response.wsgi_request.user
    assert event.history.count() == 1


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


def test_admin_period_activity_inline_offers_only_own_promises(admin_client, sample):
    other_period = factories.period(municipality_code="0604")
    factories.promise(other_period, title="Löfte i Aneby")
    period = sample["period"]

    response = admin_client.get(reverse("admin:promises_promiseperiod_change", args=[period.pk]))

    formset = next(
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == "activities"
    )
    choices = formset.formset.forms[0].fields["promise"].queryset
    assert list(choices) == [sample["promise"]]


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
        "retract_reason": "",
    }
    return data | changes


def test_admin_event_retraction_goes_through_the_service(admin_client, sample):
    event = sample["event"]
    url = reverse("admin:followup_followupevent_change", args=[event.pk])

    response = admin_client.post(url, _event_form_data(event, retract_reason="Dubbelregistrering"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.retraction_reason == "Dubbelregistrering"
    assert event.retracted_by == response.wsgi_request.user
    assert event.retracted_at is not None
    latest = event.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        "Dubbelregistrering",
        response.wsgi_request.user,
    )
    assert event.history.count() == 2  # logged, retracted: no empty entry in between


def test_admin_retracted_event_shows_retraction_read_only(admin_client, sample):
    event = sample["event"]
    admin_client.post(
        reverse("admin:followup_followupevent_change", args=[event.pk]),
        _event_form_data(event, retract_reason="Dubbelregistrering"),
    )

    response = admin_client.get(reverse("admin:followup_followupevent_change", args=[event.pk]))

    assert "Dubbelregistrering" in response.text
    assert 'name="retract_reason"' not in response.text
    assert 'name="summary"' not in response.text


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
