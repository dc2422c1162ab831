"""When events may be logged (issue 12, item 5): not on drafts, not before an adopted period
starts, during it as usual, 30 days after it as "efterregistrerad", and after that, or once the
period is concluded, only by the kommun's editor with a public reason. The same rule for
log_event, correct_event, retract_event, the log form and the CSV import."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpEvent
from followup.services import Window, correct_event, log_event, logging_window, retract_event
from followup.staff import imports
from municipalities.models import Role
from municipalities.permissions import scope_for
from promises.models import PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db

# The default factory period: 1 January 2023 – 31 December 2024.
DURING = date(2024, 6, 1)
LAST_LATE_DAY = date(2025, 1, 30)
CLOSED = date(2025, 1, 31)


def _period(status=PeriodStatus.ADOPTED, code="0687", **fields):
    return factories.period(code, status=status, **fields)


def _police_activity(period):
    return factories.activity(period, organisations=[factories.police_organisation()])


def _kommun_activity(period, code="0687"):
    return factories.activity(
        period,
        organisations=[factories.municipal_organisation(code)],
        description="Kommunen genomför trygghetsvandringar.",
        target_quantity=2,
        unit_singular="trygghetsvandring",
        unit_plural="trygghetsvandringar",
    )


@pytest.fixture
def reporter():
    """The Höglandet kommunpolis (covers Tranås and Aneby)."""
    return factories.member(factories.police_organisation(), Role.REPORTER)


@pytest.fixture
def editor():
    """Tranås kommun's trygghetssamordnare."""
    return factories.member(factories.municipal_organisation("0687"), Role.EDITOR)


def _messages(error):
    return [message for messages in error.value.message_dict.values() for message in messages]


# --- The rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, today, window",
    [
        (PeriodStatus.DRAFT, DURING, Window.DRAFT),
        (PeriodStatus.ADOPTED, date(2022, 12, 31), Window.NOT_STARTED),
        (PeriodStatus.ADOPTED, date(2023, 1, 1), Window.OPEN),
        (PeriodStatus.ACTIVE, date(2024, 12, 31), Window.OPEN),
        (PeriodStatus.ACTIVE, date(2025, 1, 1), Window.LATE),
        (PeriodStatus.ACTIVE, LAST_LATE_DAY, Window.LATE),
        (PeriodStatus.ACTIVE, CLOSED, Window.CLOSED),
        (PeriodStatus.CONCLUDED, date(2025, 1, 1), Window.CLOSED),
        (PeriodStatus.CONCLUDED, DURING, Window.OPEN),
    ],
    ids=[
        "draft",
        "adopted, before its start",
        "first day",
        "last day",
        "day after the end",
        "30th day after the end",
        "31st day after the end",
        "concluded after the end",
        "concluded, as of a day inside it",
    ],
)
def test_logging_window_of_a_period_on_a_day(status, today, window):
    period = _period(status)

    assert logging_window(period, today) == window


# --- log_event ----------------------------------------------------------------------------------


def test_log_event_refuses_a_draft_and_writes_nothing(reporter):
    activity = _police_activity(_period(PeriodStatus.DRAFT))

    with pytest.raises(ValidationError) as error:
        log_event(
            activity,
            by=reporter,
            occurred_on=DURING,
            organisation=factories.police_organisation(),
            today=DURING,
        )

    assert _messages(error) == [
        "Medborgarlöftet är ett utkast. Händelser kan loggas först när det har antagits."
    ]
    assert FollowUpEvent.objects.count() == 0


def test_log_event_refuses_an_adopted_period_before_it_starts(reporter):
    activity = _police_activity(_period(starts_on=date(2027, 1, 1), ends_on=date(2028, 12, 31)))

    with pytest.raises(ValidationError) as error:
        log_event(
            activity,
            by=reporter,
            occurred_on=date(2026, 11, 2),
            organisation=factories.police_organisation(),
            today=date(2026, 11, 30),
        )

    assert _messages(error)[0] == (
        "Medborgarlöftet börjar gälla 1 januari 2027. Händelser kan loggas från den dagen."
    )
    assert FollowUpEvent.objects.count() == 0


def test_log_event_within_30_days_after_the_end_is_late_without_a_reason(reporter):
    activity = _police_activity(_period(PeriodStatus.ACTIVE))

    event = log_event(
        activity,
        by=reporter,
        occurred_on=date(2024, 12, 20),
        organisation=factories.police_organisation(),
        late_reason="ignored: not needed yet",
        today=LAST_LATE_DAY,
    )

    assert FollowUpEvent.objects.get() == event
    assert event.late_reason == ""
    assert event.is_late is True


def test_log_event_during_the_period_is_not_late(reporter):
    today = timezone.localdate()
    period = _period(
        PeriodStatus.ACTIVE, starts_on=date(today.year, 1, 1), ends_on=date(today.year, 12, 31)
    )

    event = log_event(
        _police_activity(period),
        by=reporter,
        occurred_on=today,
        organisation=factories.police_organisation(),
    )

    assert event.is_late is False


def test_log_event_after_the_window_refuses_a_reporter(reporter):
    activity = _police_activity(_period(PeriodStatus.ACTIVE))

    with pytest.raises(ValidationError) as error:
        log_event(
            activity,
            by=reporter,
            occurred_on=date(2024, 12, 20),
            organisation=factories.police_organisation(),
            late_reason="Glömdes bort.",
            today=CLOSED,
        )

    assert _messages(error) == [
        "Tiden för efterregistrering gick ut 30 januari 2025. Nu kan bara kommunens redaktör "
        "lägga till eller ändra händelser, med ett skäl som visas publikt."
    ]
    assert FollowUpEvent.objects.count() == 0


def test_log_event_after_the_window_by_an_editor_needs_a_reason(editor):
    activity = _kommun_activity(_period(PeriodStatus.CONCLUDED))

    with pytest.raises(ValidationError) as error:
        log_event(
            activity,
            by=editor,
            occurred_on=date(2024, 9, 3),
            organisation=factories.municipal_organisation(),
            late_reason="   ",
            today=CLOSED,
        )

    assert error.value.message_dict == {
        "late_reason": ["Ange varför händelsen registreras i efterhand."]
    }
    assert FollowUpEvent.objects.count() == 0


def test_log_event_after_the_window_by_an_editor_keeps_the_public_reason(editor):
    activity = _kommun_activity(_period(PeriodStatus.CONCLUDED))

    event = log_event(
        activity,
        by=editor,
        occurred_on=date(2024, 9, 3),
        organisation=factories.municipal_organisation(),
        late_reason="  Protokollet från vandringen hittades i mars.  ",
        today=CLOSED,
    )

    assert event.late_reason == "Protokollet från vandringen hittades i mars."
    assert event.is_late is True


def test_log_event_aneby_june_2024_by_the_hoglandet_reporter_is_refused(reporter):
    aneby = _period(
        PeriodStatus.CONCLUDED, "0604", starts_on=date(2023, 5, 30), ends_on=date(2024, 12, 31)
    )
    operations = _police_activity(aneby)
    police = factories.police_organisation()

    refusals = []
    for day in (date(2024, 6, 4), date(2024, 6, 18)):
        with pytest.raises(ValidationError) as error:
            log_event(operations, by=reporter, occurred_on=day, organisation=police)
        refusals.append(error.value.messages)

    closed = (
        "Medborgarlöftet är avslutat. Nu kan bara kommunens redaktör lägga till eller ändra "
        "händelser, med ett skäl som visas publikt."
    )
    assert refusals == [[closed], [closed]]
    assert FollowUpEvent.objects.count() == 0


# --- correct_event and retract_event ------------------------------------------------------------


def test_correct_event_after_the_window_refuses_a_reporter_and_allows_the_editor(reporter, editor):
    period = _period(PeriodStatus.CONCLUDED)
    activity = factories.activity(
        period,
        organisations=[factories.police_organisation(), factories.municipal_organisation()],
    )
    event = factories.event(
        activity, date(2024, 5, 2), organisation=factories.police_organisation()
    )

    with pytest.raises(ValidationError, match="Medborgarlöftet är avslutat"):
        correct_event(event, by=reporter, reason="Fel antal.", quantity=3, today=CLOSED)
    corrected = correct_event(event, by=editor, reason="Fel antal.", quantity=3, today=CLOSED)

    assert corrected.quantity == 3
    assert corrected.history.first().history_change_reason == "Fel antal."


def test_retract_event_on_a_draft_or_after_the_window_refuses_a_reporter(reporter):
    draft = factories.event(_police_activity(_period(PeriodStatus.DRAFT)), date(2024, 5, 2))
    closed = factories.event(_police_activity(_period(PeriodStatus.ACTIVE)), date(2024, 5, 2))

    with pytest.raises(ValidationError, match="Medborgarlöftet är ett utkast"):
        retract_event(draft, by=reporter, reason="Dubbel.", today=DURING)
    with pytest.raises(ValidationError, match="Tiden för efterregistrering gick ut"):
        retract_event(closed, by=reporter, reason="Dubbel.", today=CLOSED)
    retracted = retract_event(closed, by=reporter, reason="Dubbel.", today=LAST_LATE_DAY)

    assert FollowUpEvent.objects.retracted().get() == retracted
    assert retracted.pk == closed.pk


# --- The log form and the staff pages -----------------------------------------------------------


def test_log_form_asks_the_editor_for_a_public_reason_on_a_concluded_period(client, editor):
    activity = _kommun_activity(_period(PeriodStatus.CONCLUDED))
    client.force_login(editor)

    page = client.get(reverse("staff:activity_detail", args=[activity.pk])).content.decode()
    refused = client.post(
        reverse("staff:log_event", args=[activity.pk]),
        {"occurred_on": "2024-09-03", "quantity": "1", "place": "", "summary": ""},
    )

    assert "Varför registreras händelsen i efterhand?" in page
    assert "Skälet visas publikt" in page
    assert refused.status_code == 200
    assert "Ange varför händelsen registreras i efterhand." in refused.content.decode()
    assert FollowUpEvent.objects.count() == 0


def test_log_form_is_replaced_by_the_reason_for_a_reporter_after_the_window(client, reporter):
    activity = _police_activity(_period(PeriodStatus.CONCLUDED))
    client.force_login(reporter)

    page = client.get(reverse("staff:activity_detail", args=[activity.pk])).content.decode()
    refused = client.post(
        reverse("staff:log_event", args=[activity.pk]),
        {"occurred_on": "2024-09-03", "quantity": "1", "place": "", "summary": ""},
    )

    assert "Medborgarlöftet är avslutat. Nu kan bara kommunens redaktör" in page
    assert 'class="log-form"' not in page
    assert refused.status_code == 200
    assert "Medborgarlöftet är avslutat." in refused.content.decode()
    assert FollowUpEvent.objects.count() == 0


def test_log_form_shows_no_reason_field_during_the_period(client, reporter):
    today = timezone.localdate()
    period = _period(
        PeriodStatus.ACTIVE, starts_on=date(today.year, 1, 1), ends_on=date(today.year, 12, 31)
    )
    activity = _police_activity(period)
    client.force_login(reporter)

    page = client.get(reverse("staff:activity_detail", args=[activity.pk])).content.decode()

    assert 'class="log-form"' in page
    assert "Varför registreras händelsen i efterhand?" not in page


def test_log_form_within_30_days_after_the_end_says_the_event_is_late(client, reporter):
    today = timezone.localdate()
    ended = today - timedelta(days=10)
    period = _period(PeriodStatus.ACTIVE, starts_on=date(ended.year - 1, 1, 1), ends_on=ended)
    activity = _police_activity(period)
    client.force_login(reporter)

    page = client.get(reverse("staff:activity_detail", args=[activity.pk])).content.decode()
    logged = client.post(
        reverse("staff:log_event", args=[activity.pk]),
        {"occurred_on": ended.isoformat(), "quantity": "2", "place": "", "summary": ""},
    )

    assert "Perioden är slut: händelsen visas publikt som efterregistrerad" in page
    assert "Varför registreras händelsen i efterhand?" not in page
    assert logged.status_code == 302
    event = FollowUpEvent.objects.select_related("activity__period").get()
    assert (event.quantity, event.is_late, event.late_reason) == (2, True, "")


def test_event_correction_is_403_for_a_reporter_once_the_period_is_concluded(client, reporter):
    event = factories.event(_police_activity(_period(PeriodStatus.CONCLUDED)), date(2024, 5, 2))
    client.force_login(reporter)

    response = client.get(reverse("staff:event_edit", args=[event.pk]))

    assert response.status_code == 403


# --- CSV import, row by row ---------------------------------------------------------------------


def test_import_refuses_the_aneby_rows_and_logs_nothing(reporter):
    aneby = _period(
        PeriodStatus.CONCLUDED, "0604", starts_on=date(2023, 5, 30), ends_on=date(2024, 12, 31)
    )
    today = timezone.localdate()
    running = _period(
        PeriodStatus.ACTIVE,
        "0687",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
    )
    closed, open_ = _police_activity(aneby), _police_activity(running)
    text = (
        "aktivitet_id;datum;antal\r\n"
        f"{open_.pk};{today.isoformat()};1\r\n"
        f"{closed.pk};2024-06-04;1\r\n"
        f"{closed.pk};2024-06-18;1\r\n"
    )
    rows = imports.read_rows(text.encode())

    imports.check_rows(rows, reporter, scope_for(reporter))
    committed = imports.commit_rows(rows, reporter, scope_for(reporter))

    refused = [
        "Medborgarlöftet är avslutat. Nu kan bara kommunens redaktör lägga till eller ändra "
        "händelser, med ett skäl som visas publikt."
    ]
    assert [row.errors for row in rows] == [[], refused, refused]
    assert committed == 0
    assert FollowUpEvent.objects.count() == 0


def test_import_by_the_editor_after_the_window_needs_the_reason_column(client, editor):
    activity = _kommun_activity(_period(PeriodStatus.CONCLUDED))
    client.force_login(editor)
    header = "aktivitet_id;datum;skal_efterregistrering"
    text = (
        f"{header}\r\n{activity.pk};2024-09-03;\r\n{activity.pk};2024-09-10;Protokoll hittat.\r\n"
    )

    preview = client.post(
        reverse("staff:import_upload"),
        {"file": SimpleUploadedFile("h.csv", text.encode(), content_type="text/csv")},
    )

    assert (
        "skal_efterregistrering: Ange varför händelsen registreras i efterhand."
        in preview.content.decode()
    )
    assert FollowUpEvent.objects.count() == 0


# --- What the public sees -----------------------------------------------------------------------


def _logged_on(event, day):
    moment = timezone.make_aware(datetime.combine(day, time(9)))
    FollowUpEvent.objects.filter(pk=event.pk).update(logged_at=moment)


def test_public_activity_page_marks_late_events_and_lists_late_additions(client, editor):
    period = _period(PeriodStatus.CONCLUDED)
    activity = _kommun_activity(period)
    on_time = factories.event(activity, date(2024, 3, 1), summary="I tid.")
    _logged_on(on_time, date(2024, 3, 1))
    late = factories.event(activity, date(2024, 12, 30), summary="Sent.")
    _logged_on(late, date(2025, 1, 14))
    log_event(
        activity,
        by=editor,
        occurred_on=date(2024, 9, 3),
        organisation=factories.municipal_organisation(),
        late_reason="Protokollet hittades i mars.",
        today=date(2025, 3, 4),
    )
    url = reverse("public:activity_detail", args=["tranas", period.slug, activity.pk])

    text = client.get(url).content.decode()

    assert text.count("Efterregistrerad") == 2
    assert "Efterregistrerad 14 januari 2025" in text
    assert "Registrerad i efterhand:</strong> Skäl: Protokollet hittades i mars." in text
    assert (
        "Händelsen från 3 september 2024 registrerades i efterhand, efter att medborgarlöftet "
        "hade avslutats. Skäl: Protokollet hittades i mars."
    ) in text


def test_open_data_and_feed_mark_late_events_with_their_logging_date(client):
    import csv
    import io

    period = _period(PeriodStatus.ACTIVE)
    activity = _kommun_activity(period)
    late = factories.event(activity, date(2024, 12, 30), summary="Sent.")
    _logged_on(late, date(2025, 1, 14))
    on_time = factories.event(activity, date(2024, 3, 1), summary="I tid.")
    _logged_on(on_time, date(2024, 3, 1))

    response = client.get(reverse("public:download", args=["handelser", "csv"]))
    feed = client.get(reverse("public:feed")).content.decode()

    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = {row["sammanfattning"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["Sent."]["loggad"], rows["Sent."]["efterregistrerad"]) == ("2025-01-14", "true")
    assert (rows["I tid."]["loggad"], rows["I tid."]["efterregistrerad"]) == (
        "2024-03-01",
        "false",
    )
    assert feed.count("Efterregistrerad 14 januari 2025.") == 1


# --- Reports as of their date (item 6) -----------------------------------------------------------


def test_t2_report_leaves_out_a_deviation_written_on_30_november(editor):
    from followup.models import Deviation, ReportKind
    from followup.reports.documents import render_report_html, report_data, report_span

    period = _period(PeriodStatus.ACTIVE)
    activity = _police_activity(period)
    _logged_on(factories.event(activity, date(2024, 6, 3), 4), date(2024, 6, 3))
    _logged_on(factories.event(activity, date(2024, 8, 30), 2), date(2024, 11, 30))
    early = factories.deviation(activity, date(2024, 1, 1), text="Skriven i september.")
    late = factories.deviation(activity, date(2024, 1, 1), text="Skriven 30 november.")
    for deviation, day in ((early, date(2024, 9, 12)), (late, date(2024, 11, 30))):
        moment = timezone.make_aware(datetime.combine(day, time(15)))
        Deviation.objects.filter(pk=deviation.pk).update(created_at=moment)
    span = report_span(period, ReportKind.TERTIAL, 2024, 2, today=date(2024, 12, 5))

    data = report_data(period, span, at=timezone.make_aware(datetime(2024, 12, 5, 10)))

    row = data["promises"][0]["rows"][0]
    html = render_report_html(data)
    assert "Läget den 31 augusti 2024" in html
    assert [deviation["text"] for deviation in row["deviations"]] == ["Skriven i september."]
    assert "Skriven 30 november." not in html
    assert row["done_in_span"] == 4
