"""Issue 12, item 2: amendments are the only way an adopted period changes, shown publicly with
before → after, applied from their date (earlier buckets keep their target)."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.progress import Status, progress_for
from municipalities.models import Role
from promises.amendments.services import Changes, amend_period
from promises.models import Amendment, AmendmentChange, PeriodStatus, PromiseDocument
from tests import factories

pytestmark = pytest.mark.django_db

TRANAS_CHECKS = "Polisen ska genomföra minst trettio (30) trafikkontroller per år."
REASON = "Polisens resurser i Höglandet har minskat under 2024."
DECISION = "KS 2024-03-12 § 45"


@pytest.fixture
def editor():
    return factories.member(factories.municipal_organisation("0687"), Role.EDITOR)


@pytest.fixture
def tranas(settings, tmp_path):
    """The concluded, published Tranås 2023–2024 with "minst 30 trafikkontroller per år" and 23
    checks logged in each year."""
    settings.MEDIA_ROOT = tmp_path
    period = factories.period(
        "0687", slug="2023-2024", status=PeriodStatus.CONCLUDED, adopted_on=date(2023, 3, 1)
    )
    promise = factories.promise(period, title="Arbeta för en säker trafikmiljö.")
    activity = factories.activity(
        period, promise_=promise, description=TRANAS_CHECKS, target_quantity=30
    )
    factories.event(activity, date(2023, 5, 10), 23)
    factories.event(activity, date(2024, 5, 10), 23)
    factories.signatory(period, factories.municipal_organisation(), name="Beata Allen")
    return period


def _lower_target(period, by, applies_from=date(2024, 3, 12), **fields):
    activity = period.activities.get()
    return amend_period(
        period,
        by=by,
        reason=fields.pop("reason", REASON),
        applies_from=applies_from,
        decision_reference=DECISION,
        changes=Changes(activities={activity.pk: {"target_quantity": 20, **fields}}),
    )


def test_amend_period_changes_the_target_and_keeps_before_and_after(tranas, editor):
    amendment = _lower_target(tranas, editor)

    activity = tranas.activities.get()
    change = amendment.changes.get()
    assert activity.target_quantity == 20
    assert (amendment.number, amendment.reason, amendment.created_by) == (1, REASON, editor)
    assert (change.field, change.before, change.after) == ("target_quantity", 30, 20)
    assert (change.label, change.before_text, change.after_text) == ("Målvärde", "30", "20")
    assert activity.history.first().history_user == editor
    assert activity.history.first().history_change_reason == f"Ändring 1: {REASON}"


def test_amend_period_keeps_the_old_target_for_buckets_that_ended_before_it(tranas, editor):
    _lower_target(tranas, editor)

    activity = tranas.activities.select_related("period").get()
    progress = progress_for([activity], today=date(2025, 2, 1))[activity.pk]

    year_2023, year_2024 = progress.buckets
    assert (year_2023.target, year_2023.done, year_2023.status) == (30, 23, Status.NOT_ACHIEVED)
    assert (year_2024.target, year_2024.done, year_2024.status) == (20, 23, Status.ACHIEVED)


def test_amend_period_from_the_first_day_changes_every_bucket(tranas, editor):
    _lower_target(tranas, editor, applies_from=date(2023, 1, 1))

    activity = tranas.activities.select_related("period").get()
    progress = progress_for([activity], today=date(2025, 2, 1))[activity.pk]

    assert [bucket.target for bucket in progress.buckets] == [20, 20]
    assert progress.status == Status.ACHIEVED


def test_amend_period_without_a_reason_is_refused_and_writes_nothing(tranas, editor):
    with pytest.raises(ValidationError) as refused:
        _lower_target(tranas, editor, reason="  ")

    assert refused.value.message_dict == {
        "reason": ["Ange skälet till ändringen. Det visas offentligt."]
    }
    assert tranas.activities.get().target_quantity == 30
    assert (Amendment.objects.count(), PromiseDocument.objects.count()) == (0, 0)


def test_amend_period_refuses_a_date_outside_the_period(tranas, editor):
    with pytest.raises(ValidationError) as refused:
        _lower_target(tranas, editor, applies_from=date(2025, 1, 1))

    assert list(refused.value.message_dict) == ["applies_from"]
    assert tranas.activities.get().target_quantity == 30


def test_amend_period_refuses_an_amendment_that_changes_nothing(tranas, editor):
    activity = tranas.activities.get()

    with pytest.raises(ValidationError) as refused:
        amend_period(
            tranas,
            by=editor,
            reason=REASON,
            applies_from=date(2024, 3, 12),
            changes=Changes(activities={activity.pk: {"target_quantity": 30}}),
        )

    assert refused.value.messages == ["Ändringen ändrar ingenting. Ändra minst ett fält."]


def test_amend_period_refuses_a_draft(editor):
    draft = factories.period(status=PeriodStatus.DRAFT)
    activity = factories.activity(draft)

    with pytest.raises(ValidationError) as refused:
        amend_period(
            draft,
            by=editor,
            reason=REASON,
            applies_from=date(2023, 6, 1),
            changes=Changes(activities={activity.pk: {"target_quantity": 20}}),
        )

    assert "Medborgarlöftet är ett utkast. Ändra det direkt, utan en ändring." in (
        refused.value.messages
    )


def test_amend_period_refuses_a_count_without_a_unit(tranas, editor):
    with pytest.raises(ValidationError) as refused:
        _lower_target(tranas, editor, unit_plural="")

    activity = tranas.activities.get()
    assert list(refused.value.message_dict) == [f"activity-{activity.pk}-unit_plural"]
    assert activity.unit_plural == "trafikkontroller"


def test_amend_period_replaces_and_adds_signatories_with_history(tranas, editor):
    removed = tranas.signatories.get()

    amend_period(
        tranas,
        by=editor,
        reason="Ny lokalpolisområdeschef.",
        applies_from=date(2024, 1, 1),
        changes=Changes(
            removed_signatories=[removed.pk],
            new_signatories=[
                {
                    "name": "Mathias Ljung",
                    "title": "Lokalpolisområdeschef",
                    "organisation": factories.police_organisation(),
                }
            ],
        ),
    )

    changes = list(AmendmentChange.objects.order_by("id").values_list("field", "before_text"))
    assert [s.name for s in tranas.signatories.all()] == ["Mathias Ljung"]
    assert changes == [("removed", "Beata Allen, Kommunstyrelsens ordförande"), ("added", "")]
    deleted = removed.history.model.objects.get(id=removed.pk, history_type="-")
    assert deleted.history_user == editor


def test_amend_period_moves_the_end_date(tranas, editor):
    amend_period(
        tranas,
        by=editor,
        reason="Förlängt ett halvår i väntan på nästa lägesbild.",
        applies_from=date(2024, 12, 1),
        changes=Changes(period={"ends_on": date(2025, 6, 30)}),
    )

    tranas.refresh_from_db()
    change = AmendmentChange.objects.get()
    assert tranas.ends_on == date(2025, 6, 30)
    assert (change.before_text, change.after_text) == ("31 december 2024", "30 juni 2025")


def test_public_period_page_shows_the_amendment_with_before_and_after(tranas, editor, client):
    _lower_target(tranas, editor)

    page = client.get(reverse("public:period_detail", args=["tranas", "2023-2024"]))

    text = page.content.decode()
    assert "Ändringar sedan antagandet" in text
    assert "Ändring 1, gäller från 12 mars 2024" in text
    assert f"Målet ändrades 12 mars 2024 från 30 till 20: {REASON} ({DECISION})" in text
    assert "<td>30</td><td>20</td>" in text


def test_public_activity_page_lists_the_amendment_among_corrections(tranas, editor, client):
    _lower_target(tranas, editor)
    activity = tranas.activities.get()

    page = client.get(
        reverse("public:activity_detail", args=["tranas", "2023-2024", activity.pk])
    ).content.decode()

    assert f"Målvärde: 30 → 20. Skäl: {REASON} ({DECISION})" in page


def test_amendment_of_an_unpublished_period_is_not_public(tranas, editor, client):
    _lower_target(tranas, editor)
    tranas.is_published = False
    tranas.save()

    data = client.get(reverse("public:download", args=["andringar", "json"]))
    feed = client.get(reverse("public:feed"))

    rows = json.loads(b"".join(data.streaming_content))["rader"]
    assert rows == []
    assert REASON not in feed.content.decode()


def test_open_data_lists_each_changed_field_of_an_amendment(tranas, editor, client):
    amendment = _lower_target(tranas, editor)

    response = client.get(reverse("public:download", args=["andringar", "json"]))

    rows = json.loads(b"".join(response.streaming_content))["rader"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["andring_id"], row["kommun_kod"], row["period"]) == (
        amendment.pk,
        "0687",
        "2023-2024",
    )
    assert (row["galler_fran"], row["skal"], row["beslut"]) == ("2024-03-12", REASON, DECISION)
    assert (row["falt"], row["fore"], row["efter"]) == ("target_quantity", "30", "20")


def test_feeds_carry_the_amendment(tranas, editor, client):
    _lower_target(tranas, editor)

    national = client.get(reverse("public:feed")).content.decode()
    kommun = client.get(reverse("public:municipality_feed", args=["tranas"])).content.decode()

    for feed in (national, kommun):
        assert "Tranås: Medborgarlöfte 2023–2024 ändrades (gäller från 12 mars 2024)" in feed
        assert f"Skäl: {REASON}" in feed


def test_staff_amendment_previews_before_and_after_then_saves(tranas, client):
    coordinator = factories.member(factories.municipal_organisation("0687"), Role.EDITOR)
    activity = tranas.activities.get()
    key = f"activity-{activity.pk}"
    url = reverse("promises:amendment_create", args=[tranas.pk])
    client.force_login(coordinator)
    fields = {
        "delar": [key],
        f"{key}-description": TRANAS_CHECKS,
        f"{key}-target_kind": "count",
        f"{key}-target_quantity": "20",
        f"{key}-unit_singular": "trafikkontroll",
        f"{key}-unit_plural": "trafikkontroller",
        f"{key}-cadence": "year",
        f"{key}-responsible_organisations": [factories.police_organisation().pk],
        "reason": REASON,
        "applies_from": "2024-03-12",
        "decision_reference": DECISION,
    }

    step_one = client.get(url)
    step_two = client.get(url, {"delar": [key]})
    preview = client.post(url, {**fields, "action": "preview"})
    saved = client.post(url, {**fields, "action": "save"})

    assert f'value="{key}"' in step_one.content.decode()
    assert f'name="{key}-target_quantity" value="30"' in step_two.content.decode()
    assert "<td>Målvärde</td><td>30</td><td>20</td>" in preview.content.decode()
    assert Amendment.objects.count() == 1
    assert saved.url == reverse("promises:period_detail", args=[tranas.pk])
    assert tranas.activities.get().target_quantity == 20


def test_staff_amendment_without_a_reason_shows_the_message_and_saves_nothing(tranas, client):
    coordinator = factories.member(factories.municipal_organisation("0687"), Role.EDITOR)
    client.force_login(coordinator)
    url = reverse("promises:amendment_create", args=[tranas.pk])

    response = client.post(
        url,
        {
            "delar": ["period"],
            "period-ends_on": "2025-06-30",
            "reason": "",
            "applies_from": "2024-12-01",
            "action": "save",
        },
    )

    assert response.status_code == 200
    assert "Ange skälet till ändringen. Det visas offentligt." in response.content.decode()
    assert Amendment.objects.count() == 0


def test_staff_amendment_is_for_editors_only(tranas, client, viewer):
    client.force_login(viewer)

    response = client.get(reverse("promises:amendment_create", args=[tranas.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_public_period_page_query_count_does_not_grow_with_amendments(
    count, tranas, editor, client, django_assert_num_queries
):
    activity = tranas.activities.get()
    for number in range(1, count + 1):
        amendment = Amendment.objects.create(
            period=tranas,
            number=number,
            applies_from=date(2024, number, 1),
            reason=f"Skäl {number}.",
            created_by=editor,
        )
        AmendmentChange.objects.create(
            amendment=amendment,
            part="activity",
            activity=activity,
            part_label="Aktivitet 1",
            field="description",
            label="Beskrivning",
            before_text=f"Före {number}",
            after_text=f"Efter {number}",
        )

    # period, promises, activities, organisations, sums, deviations, events, amendments with
    # their changes, signatories + data version (the period has no sources, reports or
    # documents, and the page reads only the lists its period has)
    with django_assert_num_queries(10):
        response = client.get(reverse("public:period_detail", args=["tranas", "2023-2024"]))

    assert response.content.decode().count('<li id="andring-') == count
