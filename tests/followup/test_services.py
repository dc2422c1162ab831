from datetime import date, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from followup.models import (
    MAX_EVENT_QUANTITY,
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Deviation,
    DeviationReason,
    EventKind,
    FollowUpEvent,
)
from followup.services import (
    CHANGE_REASON_MAX_LENGTH,
    add_deviation,
    correct_event,
    log_event,
    retract_event,
)
from municipalities.models import Role
from promises.models import Cadence, PeriodStatus, TargetKind
from tests import factories

pytestmark = pytest.mark.django_db

# The default factory period runs 1 January 2023 – 31 December 2024 in Tranås.
TODAY = date(2024, 6, 1)


def row_counts():
    """Everything a refused service must leave untouched."""
    return {
        "events": FollowUpEvent.objects.count(),
        "event history": FollowUpEvent.history.count(),
        "deviations": Deviation.objects.count(),
        "deviation history": Deviation.history.count(),
    }


def adopted_period(**fields):
    """The default factory period, adopted: events are logged only on adopted periods."""
    return factories.period(status=PeriodStatus.ADOPTED, **fields)


@pytest.fixture
def police():
    return factories.police_organisation()


@pytest.fixture
def reporter(police):
    return factories.member(police)


@pytest.fixture
def traffic(police):
    """Minst 30 trafikkontroller per år, the police of Höglandet responsible."""
    return factories.activity(adopted_period(), organisations=[police])


@pytest.fixture
def logged(traffic, reporter, police):
    """A traffic control already logged, with its creation in the history."""
    return log_event(
        traffic,
        by=reporter,
        occurred_on=date(2024, 5, 12),
        organisation=police,
        quantity=2,
        place="Storgatan",
        summary="Hastighetskontroll",
        today=TODAY,
    )


def log_traffic(traffic, reporter, police, **overrides):
    arguments = {
        "by": reporter,
        "occurred_on": date(2024, 5, 12),
        "organisation": police,
        "today": TODAY,
        **overrides,
    }
    return log_event(traffic, **arguments)


# --- log_event -----------------------------------------------------------------------------------


def test_log_event_writes_one_event_with_the_fields(traffic, reporter, police):
    before = FollowUpEvent.objects.count()

    event = log_event(
        traffic,
        by=reporter,
        occurred_on=date(2024, 5, 12),
        organisation=police,
        quantity=3,
        place="Storgatan",
        summary="Hastighetskontroll vid skolan",
        internal_note="Två förare rapporterade",
        today=TODAY,
    )

    assert FollowUpEvent.objects.count() == before + 1
    saved = FollowUpEvent.objects.get(pk=event.pk)
    assert saved.activity == traffic
    assert saved.kind == EventKind.DONE
    assert saved.occurred_on == date(2024, 5, 12)
    assert saved.quantity == 3
    assert saved.organisation == police
    assert saved.place == "Storgatan"
    assert saved.summary == "Hastighetskontroll vid skolan"
    assert saved.internal_note == "Två förare rapporterade"
    assert saved.logged_by == reporter
    assert saved.logged_at is not None
    assert saved.is_retracted is False
    assert saved.is_demo is False


def test_log_event_records_the_acting_user_in_history(traffic, reporter, police):
    event = log_traffic(traffic, reporter, police)

    entries = list(event.history.all())
    assert len(entries) == 1
    assert entries[0].history_type == "+"
    assert entries[0].history_user == reporter


def test_log_event_strips_surrounding_whitespace_of_texts(traffic, reporter, police):
    event = log_traffic(
        traffic,
        reporter,
        police,
        place="  Storgatan \n",
        summary="\tKontroll  ",
        internal_note="  anteckning ",
    )

    assert (event.place, event.summary, event.internal_note) == (
        "Storgatan",
        "Kontroll",
        "anteckning",
    )


@pytest.mark.parametrize(
    "occurred_on, today",
    [
        (date(2023, 1, 1), TODAY),
        (date(2024, 12, 31), date(2025, 1, 30)),
        (TODAY, TODAY),
    ],
    ids=["first day of period", "last day of period", "today"],
)
def test_log_event_accepts_the_boundary_dates(traffic, reporter, police, occurred_on, today):
    event = log_traffic(traffic, reporter, police, occurred_on=occurred_on, today=today)

    assert event.occurred_on == occurred_on


def test_log_event_accepts_the_largest_quantity(traffic, reporter, police):
    event = log_traffic(traffic, reporter, police, quantity=MAX_EVENT_QUANTITY)

    assert event.quantity == MAX_EVENT_QUANTITY


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"occurred_on": date(2022, 12, 31)},
            "occurred_on",
            "Datumet ligger före medborgarlöftets början (1 januari 2023).",
        ),
        (
            {"occurred_on": date(2025, 1, 1), "today": date(2025, 1, 15)},
            "occurred_on",
            "Datumet ligger efter medborgarlöftets slut (31 december 2024).",
        ),
        (
            {"occurred_on": TODAY + timedelta(days=1)},
            "occurred_on",
            "Datumet ligger i framtiden. Logga bara det som redan har hänt.",
        ),
        ({"occurred_on": None}, "occurred_on", "Ange vilket datum det hände."),
        ({"quantity": 0}, "quantity", "Antalet måste vara minst 1."),
        ({"quantity": -3}, "quantity", "Antalet måste vara minst 1."),
        ({"quantity": 2.5}, "quantity", "Ange antalet som ett heltal."),
        ({"quantity": "3"}, "quantity", "Ange antalet som ett heltal."),
        ({"quantity": True}, "quantity", "Ange antalet som ett heltal."),
        (
            {"quantity": MAX_EVENT_QUANTITY + 1},
            "quantity",
            "Antalet kan vara högst 1000 för en händelse. Kontrollera siffran, eller logga "
            "flera händelser.",
        ),
        ({"kind": "bogus"}, "kind", "Välj en giltig typ av händelse."),
        (
            {"kind": EventKind.REQUESTED},
            "kind",
            "Inkomna önskemål kan bara loggas för aktiviteter som görs vid önskemål.",
        ),
        ({"organisation": None}, "organisation", "Välj vem som utförde aktiviteten."),
        (
            {"place": "x" * (PLACE_MAX_LENGTH + 1)},
            "place",
            "Texten får vara högst 200 tecken lång (nu 201).",
        ),
        (
            {"summary": "x" * (SUMMARY_MAX_LENGTH + 1)},
            "summary",
            "Texten får vara högst 500 tecken lång (nu 501).",
        ),
        (
            {"internal_note": "x" * (NOTE_MAX_LENGTH + 1)},
            "internal_note",
            "Texten får vara högst 2000 tecken lång (nu 2001).",
        ),
    ],
    ids=[
        "before period",
        "after period",
        "in the future",
        "no date",
        "zero quantity",
        "negative quantity",
        "fractional quantity",
        "quantity as text",
        "quantity as bool",
        "quantity above bound",
        "unknown kind",
        "request for a count activity",
        "no organisation",
        "long place",
        "long summary",
        "long internal note",
    ],
)
def test_log_event_rejects_bad_input_and_writes_nothing(
    traffic, reporter, police, overrides, field, message
):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        log_traffic(traffic, reporter, police, **overrides)

    assert error.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_log_event_refuses_a_future_date_by_default(reporter, police):
    today = timezone.localdate()
    running = adopted_period(
        starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30)
    )
    activity = factories.activity(running, organisations=[police])
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        log_event(activity, by=reporter, occurred_on=today + timedelta(days=1), organisation=police)

    assert error.value.message_dict == {
        "occurred_on": ["Datumet ligger i framtiden. Logga bara det som redan har hänt."]
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    "target_kind", [TargetKind.MILESTONE, TargetKind.ONGOING, TargetKind.ON_REQUEST]
)
def test_log_event_rejects_a_quantity_for_an_uncounted_activity(reporter, police, target_kind):
    activity = factories.activity(adopted_period(), target_kind=target_kind, organisations=[police])
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        log_traffic(activity, reporter, police, quantity=2)

    assert error.value.message_dict == {
        "quantity": [
            "Den här aktiviteten räknas inte i antal, så antalet ska vara 1. Logga varje "
            "tillfälle som en egen händelse."
        ]
    }
    assert row_counts() == before


def test_log_event_accepts_a_request_for_an_on_request_activity(reporter, police):
    activity = factories.activity(
        adopted_period(), target_kind=TargetKind.ON_REQUEST, organisations=[police]
    )

    event = log_traffic(activity, reporter, police, kind=EventKind.REQUESTED)

    assert event.kind == EventKind.REQUESTED


def test_log_event_rejects_an_organisation_outside_the_period(traffic, reporter):
    outsider = factories.partner_organisation(name="Tranemobostäder", code="1452")
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        log_traffic(traffic, reporter, outsider)

    assert error.value.message_dict == {
        "organisation": [
            "Tranemobostäder kan inte anges som utförare av den här aktiviteten. Välj en av de "
            "ansvariga organisationer som du får logga för."
        ]
    }
    assert row_counts() == before


def test_log_event_rejects_another_kommuns_own_organisation(traffic, reporter):
    aneby = factories.municipal_organisation("0604")
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        log_traffic(traffic, reporter, aneby)

    assert list(error.value.message_dict) == ["organisation"]
    assert row_counts() == before


@pytest.mark.parametrize("party", ["partner", "kommun"])
def test_log_event_rejects_a_party_of_the_period_that_is_not_responsible(traffic, reporter, party):
    # Who may be recorded as the doer is promises.permissions.recordable_organisations: the
    # activity's responsible organisations only (tests/staff/test_recordable.py).
    housing = factories.partner_organisation(name="Stiftelsen Tranåshem", code="0687")
    traffic.period.partners.add(housing)
    organisation = housing if party == "partner" else factories.municipal_organisation("0687")
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        log_traffic(traffic, reporter, organisation)

    assert list(error.value.message_dict) == ["organisation"]
    assert row_counts() == before


def test_log_event_reports_every_bad_field_at_once(traffic, reporter, police):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        log_traffic(
            traffic,
            reporter,
            police,
            occurred_on=date(2022, 1, 1),
            quantity=0,
            place="x" * (PLACE_MAX_LENGTH + 1),
        )

    assert sorted(error.value.message_dict) == ["occurred_on", "place", "quantity"]
    assert row_counts() == before


# --- retract_event -------------------------------------------------------------------------------


def test_retract_event_sets_the_retraction_and_stops_counting(logged, reporter):
    retracted = retract_event(
        logged, by=reporter, reason="  Loggad på fel aktivitet. ", today=TODAY
    )

    saved = FollowUpEvent.objects.get(pk=logged.pk)
    assert saved.retracted_at is not None
    assert saved.retracted_at == retracted.retracted_at
    assert saved.retracted_by == reporter
    assert saved.retraction_reason == "Loggad på fel aktivitet."
    assert saved.is_retracted is True
    assert FollowUpEvent.objects.counting().filter(pk=logged.pk).exists() is False
    assert FollowUpEvent.objects.retracted().filter(pk=logged.pk).exists() is True


def test_retract_event_writes_a_history_entry_with_the_reason(logged, police):
    coordinator = factories.member(police)

    retract_event(logged, by=coordinator, reason="Dubbelregistrerad.", today=TODAY)

    latest = logged.history.first()
    assert logged.history.count() == 2
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Dubbelregistrerad."
    assert latest.history_user == coordinator
    assert latest.retracted_by == coordinator


@pytest.mark.parametrize("reason", ["", "   \n"], ids=["empty", "whitespace"])
def test_retract_event_without_a_reason_fails_and_writes_nothing(logged, reporter, reason):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        retract_event(logged, by=reporter, reason=reason, today=TODAY)

    assert error.value.message_dict == {"reason": ["Ange varför händelsen återkallas."]}
    assert row_counts() == before
    assert FollowUpEvent.objects.get(pk=logged.pk).is_retracted is False


def test_retract_event_with_too_long_a_reason_fails(logged, reporter):
    reason = "x" * (CHANGE_REASON_MAX_LENGTH + 1)
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        retract_event(logged, by=reporter, reason=reason, today=TODAY)

    assert error.value.message_dict == {
        "reason": [
            f"Texten får vara högst {CHANGE_REASON_MAX_LENGTH} tecken lång "
            f"(nu {CHANGE_REASON_MAX_LENGTH + 1})."
        ]
    }
    assert row_counts() == before


def test_retract_event_accepts_the_longest_reason(logged, reporter):
    reason = "x" * CHANGE_REASON_MAX_LENGTH

    retract_event(logged, by=reporter, reason=reason, today=TODAY)

    assert logged.history.first().history_change_reason == reason


def test_retract_event_twice_fails_and_keeps_the_first_retraction(logged, reporter, police):
    retract_event(logged, by=reporter, reason="Fel datum.", today=TODAY)
    other = factories.member(police)
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        retract_event(logged, by=other, reason="Dubblett.", today=TODAY)

    assert error.value.message_dict == {NON_FIELD_ERRORS: ["Händelsen är redan återkallad."]}
    assert row_counts() == before
    saved = FollowUpEvent.objects.get(pk=logged.pk)
    assert (saved.retracted_by, saved.retraction_reason) == (reporter, "Fel datum.")


# --- correct_event -------------------------------------------------------------------------------


def test_correct_event_changes_the_fields(logged, reporter, police):
    tranas = factories.municipal_organisation("0687")
    logged.activity.responsible_organisations.add(tranas)
    coordinator = factories.member(tranas, Role.EDITOR)

    corrected = correct_event(
        logged,
        by=coordinator,
        reason="Fel dag och antal.",
        occurred_on=date(2024, 5, 13),
        quantity=4,
        organisation=tranas,
        place=" Torget ",
        summary="Kontroll på torget",
        internal_note="Ny anteckning",
        today=TODAY,
    )

    saved = FollowUpEvent.objects.get(pk=logged.pk)
    assert saved.occurred_on == date(2024, 5, 13)
    assert saved.quantity == 4
    assert saved.organisation == tranas
    assert saved.place == "Torget"
    assert saved.summary == "Kontroll på torget"
    assert saved.internal_note == "Ny anteckning"
    assert saved.logged_by == reporter
    assert corrected.quantity == 4


def test_correct_event_keeps_the_old_version_in_history_with_the_reason(logged, police):
    coordinator = factories.member(police)

    correct_event(logged, by=coordinator, reason="  Fel antal. ", quantity=5, today=TODAY)

    latest, original = logged.history.all()
    assert (original.quantity, latest.quantity) == (2, 5)
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Fel antal."
    assert latest.history_user == coordinator


def test_correct_event_writes_only_what_changed(logged, reporter, police):
    correct_event(
        logged,
        by=reporter,
        reason="Förtydligande.",
        organisation=police,
        summary="Hastighetskontroll ",
        place="Storgatan 5",
        today=TODAY,
    )

    saved = FollowUpEvent.objects.get(pk=logged.pk)
    assert (saved.place, saved.summary, saved.quantity) == ("Storgatan 5", "Hastighetskontroll", 2)


def test_correct_event_does_not_recheck_unchanged_fields(logged, reporter):
    # The police are no longer responsible and the event's date is now after "today"; neither
    # was changed, so correcting the summary still works.
    logged.activity.responsible_organisations.set([factories.municipal_organisation("0604")])

    correct_event(
        logged,
        by=reporter,
        reason="Stavfel.",
        summary="Hastighetskontroll!",
        today=date(2024, 1, 1),
    )

    assert FollowUpEvent.objects.get(pk=logged.pk).summary == "Hastighetskontroll!"


@pytest.mark.parametrize("reason", ["", "  "], ids=["empty", "whitespace"])
def test_correct_event_without_a_reason_fails_and_writes_nothing(logged, reporter, reason):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        correct_event(logged, by=reporter, reason=reason, quantity=5, today=TODAY)

    assert error.value.message_dict == {"reason": ["Ange varför händelsen ändras."]}
    assert row_counts() == before
    assert FollowUpEvent.objects.get(pk=logged.pk).quantity == 2


def test_correct_event_with_too_long_a_reason_fails(logged, reporter):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        correct_event(
            logged,
            by=reporter,
            reason="x" * (CHANGE_REASON_MAX_LENGTH + 1),
            quantity=5,
            today=TODAY,
        )

    assert list(error.value.message_dict) == ["reason"]
    assert row_counts() == before


@pytest.mark.parametrize(
    "changes",
    [{}, {"quantity": 2, "place": "Storgatan"}, {"summary": "  Hastighetskontroll  "}],
    ids=["no changes", "same values", "same text after stripping"],
)
def test_correct_event_that_changes_nothing_fails(logged, reporter, changes):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        correct_event(logged, by=reporter, reason="Rättelse.", today=TODAY, **changes)

    assert error.value.message_dict == {NON_FIELD_ERRORS: ["Inget har ändrats."]}
    assert row_counts() == before


def test_correct_event_of_a_retracted_event_fails(logged, reporter):
    retract_event(logged, by=reporter, reason="Fel aktivitet.", today=TODAY)
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        correct_event(logged, by=reporter, reason="Rättelse.", quantity=5, today=TODAY)

    assert error.value.message_dict == {
        NON_FIELD_ERRORS: ["En återkallad händelse kan inte ändras."]
    }
    assert row_counts() == before
    assert FollowUpEvent.objects.get(pk=logged.pk).quantity == 2


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"occurred_on": date(2022, 12, 31)},
            "occurred_on",
            "Datumet ligger före medborgarlöftets början (1 januari 2023).",
        ),
        (
            {"occurred_on": TODAY + timedelta(days=1)},
            "occurred_on",
            "Datumet ligger i framtiden. Logga bara det som redan har hänt.",
        ),
        ({"quantity": 0}, "quantity", "Antalet måste vara minst 1."),
        (
            {"quantity": MAX_EVENT_QUANTITY + 1},
            "quantity",
            "Antalet kan vara högst 1000 för en händelse. Kontrollera siffran, eller logga "
            "flera händelser.",
        ),
        (
            {"summary": "x" * (SUMMARY_MAX_LENGTH + 1)},
            "summary",
            "Texten får vara högst 500 tecken lång (nu 501).",
        ),
        ({"organisation": None}, "organisation", "Välj vem som utförde aktiviteten."),
    ],
    ids=[
        "before period",
        "future",
        "zero quantity",
        "quantity above bound",
        "long summary",
        "none",
    ],
)
def test_correct_event_rejects_bad_values_and_writes_nothing(
    logged, reporter, changes, field, message
):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        correct_event(logged, by=reporter, reason="Rättelse.", today=TODAY, **changes)

    assert error.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_correct_event_rejects_an_organisation_outside_the_period(logged, reporter):
    outsider = factories.partner_organisation(name="Tranemobostäder", code="1452")
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        correct_event(logged, by=reporter, reason="Fel part.", organisation=outsider, today=TODAY)

    assert error.value.message_dict == {
        "organisation": [
            "Tranemobostäder kan inte anges som utförare av den här aktiviteten. Välj en av de "
            "ansvariga organisationer som du får logga för."
        ]
    }
    assert row_counts() == before


def test_correct_event_rejects_a_quantity_for_an_uncounted_activity(reporter, police):
    milestone = factories.activity(
        adopted_period(), target_kind=TargetKind.MILESTONE, organisations=[police]
    )
    event = log_traffic(milestone, reporter, police)
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        correct_event(event, by=reporter, reason="Fler tillfällen.", quantity=3, today=TODAY)

    assert list(error.value.message_dict) == ["quantity"]
    assert row_counts() == before


def test_correct_event_refuses_a_field_it_may_not_change(logged, reporter):
    before = row_counts()

    with pytest.raises(TypeError):
        correct_event(logged, by=reporter, reason="Rättelse.", logged_by=None)

    assert row_counts() == before


# --- add_deviation -------------------------------------------------------------------------------


def test_add_deviation_writes_one_deviation(traffic, reporter):
    before = Deviation.objects.count()

    deviation = add_deviation(
        traffic,
        by=reporter,
        bucket_start=date(2024, 1, 1),
        reason=DeviationReason.EXTERNAL_EVENT,
        text="  Personalen gick till en större insats under våren.  ",
    )

    assert Deviation.objects.count() == before + 1
    saved = Deviation.objects.get(pk=deviation.pk)
    assert saved.activity == traffic
    assert saved.bucket_start == date(2024, 1, 1)
    assert saved.reason == DeviationReason.EXTERNAL_EVENT
    assert saved.text == "Personalen gick till en större insats under våren."
    assert saved.created_by == reporter
    assert saved.history.get().history_user == reporter


def test_add_deviation_accepts_the_start_of_a_clipped_bucket(reporter, police):
    period = factories.period(starts_on=date(2023, 3, 15), ends_on=date(2024, 12, 31))
    monthly = factories.activity(period, cadence=Cadence.MONTH, organisations=[police])

    deviation = add_deviation(
        monthly, by=reporter, bucket_start=date(2023, 3, 15), reason="planning", text="Sen start."
    )

    assert deviation.bucket_start == date(2023, 3, 15)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"bucket_start": date(2024, 2, 1)},
            "bucket_start",
            "Dagen är inte början på någon av aktivitetens uppföljningsperioder. Ange den första "
            "dagen i perioden som avvikelsen gäller, till exempel 1 januari 2023.",
        ),
        (
            {"bucket_start": date(2025, 1, 1)},
            "bucket_start",
            "Dagen är inte början på någon av aktivitetens uppföljningsperioder. Ange den första "
            "dagen i perioden som avvikelsen gäller, till exempel 1 januari 2023.",
        ),
        (
            {"bucket_start": None},
            "bucket_start",
            "Ange vilken del av perioden avvikelsen gäller.",
        ),
        ({"reason": "weather"}, "reason", "Välj en av orsakerna i listan."),
        ({"text": "   "}, "text", "Skriv en förklaring till avvikelsen."),
        (
            {"text": "x" * (NOTE_MAX_LENGTH + 1)},
            "text",
            "Texten får vara högst 2000 tecken lång (nu 2001).",
        ),
    ],
    ids=[
        "not a bucket start",
        "after period",
        "no bucket",
        "unknown reason",
        "blank text",
        "long text",
    ],
)
def test_add_deviation_rejects_bad_input_and_writes_nothing(
    traffic, reporter, overrides, field, message
):
    arguments = {
        "by": reporter,
        "bucket_start": date(2024, 1, 1),
        "reason": DeviationReason.RESOURCES,
        "text": "Resurserna gick till en större insats.",
        **overrides,
    }
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        add_deviation(traffic, **arguments)

    assert error.value.message_dict == {field: [message]}
    assert row_counts() == before
