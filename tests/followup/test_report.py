"""The follow-up report: spans, promised against done as of the span's end, PDF with a chart."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from followup.models import Deviation, FollowUpEvent, ReportKind
from followup.reports.documents import (
    chart_svg,
    render_report_html,
    render_report_pdf,
    report_cutoff,
    report_data,
    report_span,
)
from promises.models import Cadence, TargetKind
from tests import factories
from tests.pdf_tools import normalised, page_numbers, pages_text, pdf_facts

# Module-scoped fixtures read the database too: keep these with the other database tests.
pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


def _moment(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _logged_on_time(period):
    """Factories log events and write deviations now; here each on the day it happened."""
    for event in FollowUpEvent.objects.filter(activity__period=period):
        FollowUpEvent.objects.filter(pk=event.pk).update(logged_at=_moment(event.occurred_on))
    for deviation in Deviation.objects.filter(activity__period=period):
        Deviation.objects.filter(pk=deviation.pk).update(created_at=_moment(deviation.bucket_start))


def _period():
    """2023–2024 with a yearly, a monthly and an ongoing activity, and a deviation."""
    period = factories.period()
    traffic = factories.promise(period, title="Arbeta långsiktigt med trafikmiljön.")
    centre = factories.promise(period, title="Öka tryggheten i centrala Tranås.")
    checks = factories.activity(
        period, promise_=traffic, description="Polisen ska genomföra trafikkontroller."
    )
    pubs = factories.activity(
        period,
        promise_=centre,
        organisations=[factories.municipal_organisation(), factories.police_organisation()],
        target_quantity=1,
        cadence=Cadence.MONTH,
        unit_singular="krogkontroll",
        unit_plural="krogkontroller",
        description="Kommunen och polisen genomför en krogkontroll per månad.",
    )
    lob = factories.activity(
        period,
        promise_=centre,
        target_kind=TargetKind.ONGOING,
        description="Polisen använder LOB aktivt.",
    )
    for day in range(1, 21):
        factories.event(checks, date(2024, 3, day))
    factories.event(checks, date(2024, 6, 1), 5)  # after T1 2024
    for month in range(1, 13):
        if month not in (7, 8):
            factories.event(pubs, date(2024, month, 10))
    factories.event(lob, date(2024, 2, 2))
    factories.deviation(
        checks, date(2024, 1, 1), text="Resurserna gick till en större insats i länet."
    )
    _logged_on_time(period)
    return period


@pytest.mark.django_db
def test_report_span_refuses_a_tertial_outside_the_period():
    period = factories.period()

    with pytest.raises(ValidationError) as error:
        report_span(period, ReportKind.TERTIAL, 2025, 1, today=TODAY)

    assert error.value.messages == [
        "Tertial 1 2025 ligger utanför medborgarlöftets period (1 januari 2023 – 31 december "
        "2024). Välj ett år eller tertial inom perioden."
    ]


@pytest.mark.django_db
def test_report_span_refuses_a_span_that_has_not_begun():
    period = factories.period(ends_on=date(2026, 12, 31))

    with pytest.raises(ValidationError) as error:
        report_span(period, ReportKind.YEAR, 2026, today=TODAY)

    assert error.value.messages == [
        "Helår 2026 har inte börjat ännu, så det finns inget att följa upp."
    ]


@pytest.mark.django_db
def test_report_span_clips_to_the_period():
    period = factories.period(starts_on=date(2023, 5, 30))

    span = report_span(period, ReportKind.TERTIAL, 2023, 2, today=TODAY)

    assert (span.start, span.end, span.label) == (
        date(2023, 5, 30),
        date(2023, 8, 31),
        "Tertial 2 2023",
    )


@pytest.mark.django_db
def test_report_data_for_a_tertial_counts_only_events_until_its_end():
    period = _period()
    span = report_span(period, ReportKind.TERTIAL, 2024, 1, today=TODAY)

    data = report_data(period, span, today=TODAY)

    row = data["promises"][0]["rows"][0]
    assert (row["target"], row["done"], row["bucket_label"]) == (30, 20, "2024")
    assert row["status"] == "Enligt plan"
    assert row["expected"] == 9  # 30 × 121/366 days, rounded down
    assert data["as_of"] == "30 april 2024"


@pytest.mark.django_db
def test_report_data_for_a_year_sums_the_months_of_a_monthly_activity():
    period = _period()
    span = report_span(period, ReportKind.YEAR, 2024, today=TODAY)

    data = report_data(period, span, today=TODAY)

    pubs = data["promises"][1]["rows"][0]
    assert (pubs["target"], pubs["done"], pubs["status"]) == (12, 10, "Ej uppnått")
    assert pubs["summary"] == "10 av 12 avslutade månader uppnådda"
    checks = data["promises"][0]["rows"][0]
    assert (checks["done"], checks["status"]) == (25, "Ej uppnått")
    assert checks["deviations"] == [
        {
            "reason": "Resurser och prioriteringar",
            "text": "Resurserna gick till en större insats i länet.",
            "bucket_start": "1 januari 2024",
        }
    ]


@pytest.mark.django_db
def test_report_data_counts_events_of_an_ongoing_activity_in_the_span():
    period = _period()
    span = report_span(period, ReportKind.YEAR, 2024, today=TODAY)

    data = report_data(period, span, today=TODAY)

    lob = data["promises"][1]["rows"][1]
    assert (lob["counted"], lob["done_in_span"], lob["status"]) == (False, 1, "Avslutad")


@pytest.mark.django_db
def test_report_data_rolls_up_statuses_as_counts():
    period = _period()
    span = report_span(period, ReportKind.YEAR, 2024, today=TODAY)

    data = report_data(period, span, today=TODAY)

    assert [(item["status"], item["count"]) for item in data["status_counts"]] == [
        ("Ej uppnått", 2),
        ("Avslutad", 1),
    ]


@pytest.mark.django_db
def test_report_cutoff_is_the_moment_made_or_the_30th_day_after_the_span():
    period = factories.period()
    span = report_span(period, ReportKind.TERTIAL, 2024, 1, today=TODAY)

    early = report_cutoff(span, _moment(date(2024, 5, 10)))
    late = report_cutoff(span, _moment(date(2024, 8, 1)))

    assert early == _moment(date(2024, 5, 10))
    assert timezone.localtime(late).isoformat() == "2024-05-30T23:59:59.999999+02:00"


@pytest.mark.django_db
def test_report_data_previewed_inside_the_30_days_counts_what_was_logged_by_then():
    period = factories.period()
    checks = factories.activity(period, promise_=factories.promise(period))
    on_time = factories.event(checks, date(2024, 4, 29), 3)
    later = factories.event(checks, date(2024, 4, 30), 5)
    FollowUpEvent.objects.filter(pk=on_time.pk).update(logged_at=_moment(date(2024, 5, 2)))
    FollowUpEvent.objects.filter(pk=later.pk).update(logged_at=_moment(date(2024, 5, 20)))
    span = report_span(period, ReportKind.TERTIAL, 2024, 1, today=date(2024, 5, 15))

    data = report_data(period, span, at=_moment(date(2024, 5, 15)))

    row = data["promises"][0]["rows"][0]
    assert (row["done"], row["done_in_span"]) == (3, 3)
    assert (data["as_of"], data["cutoff"]) == ("30 april 2024", "15 maj 2024")


@pytest.mark.django_db
def test_report_data_words_activities_without_a_number():
    period = factories.period()
    plan = factories.activity(period, target_kind=TargetKind.MILESTONE)
    waiting = factories.activity(period, target_kind=TargetKind.MILESTONE)
    walks = factories.activity(period, target_kind=TargetKind.ONGOING)
    factories.event(plan, date(2024, 6, 5))
    factories.event(walks, date(2024, 6, 7))
    _logged_on_time(period)
    span = report_span(period, ReportKind.TERTIAL, 2024, 2, today=TODAY)

    data = report_data(period, span, today=TODAY)

    rows = {row["number"]: row for row in data["promises"][0]["rows"]}
    assert (rows[plan.position]["done_text"], rows[plan.position]["status"]) == (
        "Genomförd",
        "Uppnått",
    )
    assert (rows[waiting.position]["done_text"], rows[waiting.position]["status"]) == (
        "Inte genomförd",
        "Ej påbörjad",
    )
    assert (rows[walks.position]["done_text"], rows[walks.position]["status"]) == (
        "1 händelse",
        "Pågår",
    )


@pytest.mark.parametrize("count", [1, 3])
def test_report_data_uses_a_fixed_number_of_queries(count, django_assert_num_queries):
    period = factories.period()
    for _ in range(count):
        activity = factories.activity(period, promise_=factories.promise(period))
        factories.event(activity, date(2024, 2, 1))
        factories.deviation(activity, date(2024, 1, 1))
    _logged_on_time(period)
    span = report_span(period, ReportKind.YEAR, 2024, today=TODAY)

    # Activities, their organisations, the progress sums, the deviations, the promises and
    # the kommun's organisation name.
    with django_assert_num_queries(6):
        data = report_data(period, span, today=TODAY)

    assert [len(promise["rows"][0]["deviations"]) for promise in data["promises"]] == [1] * count


@pytest.mark.django_db
def test_chart_has_a_text_alternative_and_escapes_labels():
    period = factories.period()
    factories.activity(period, unit_plural="<b>kontroller</b>", unit_singular="kontroll")
    data = report_data(period, report_span(period, "year", 2024, today=TODAY), today=TODAY)

    svg = chart_svg(data)

    assert '<title id="chart-title">Stapeldiagram:' in svg
    assert "&lt;b&gt;kontroller&lt;/b&gt;: 0 av 30 (0 %)" in svg
    assert "<b>" not in svg


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        period = _period()
        span = report_span(period, ReportKind.YEAR, 2024, today=TODAY)
        data = report_data(period, span, comment="</style><h1>Kommentar</h1>", today=TODAY)
        transaction.set_rollback(True)
    pdf = render_report_pdf(data)
    return data, pdf, pages_text(pdf)


def test_report_pdf_prints_promised_against_done_per_activity(rendered):
    _, _, pages = rendered

    text = normalised("\n".join(pages))

    for expected in (
        "UPPFÖLJNINGSRAPPORT",
        "Uppföljning av Medborgarlöfte 2023–2024, Helår 2024",
        "Arbeta långsiktigt med trafikmiljön.",
        "Öka tryggheten i centrala Tranås.",
        "1. Polisen ska genomföra trafikkontroller.",
        "30 trafikkontroller (2024)",
        "Ej uppnått",
        "Avvikelse (Resurser och prioriteringar, från 1 januari 2024): Resurserna gick till en "
        "större insats i länet.",
        "</style><h1>Kommentar</h1>",
    ):
        assert expected in text


def test_report_pdf_numbers_every_page_and_is_tagged_with_the_chart_alt(rendered):
    _, pdf, pages = rendered

    facts = pdf_facts(pdf)

    assert page_numbers(pages) == [f"{n} ({len(pages)})" for n in range(1, len(pages) + 1)]
    assert (facts["lang"], facts["marked"]) == ("sv", True)
    assert facts["title"] == "Uppföljning av Medborgarlöfte 2023–2024, Helår 2024 – Tranås kommun"
    assert len(facts["figure_alts"]) == 1
    assert facts["figure_alts"][0].startswith("Stapeldiagram:")


def test_report_html_prints_the_numbers_beside_the_chart(rendered):
    data, _, _ = rendered

    html = render_report_html(data)

    assert 'role="img"' in html
    assert '<desc id="chart-desc">1. Trafikkontroller: 25 av 30 (83 %)' in html
    assert '<td class="number" data-label="Gjort">25</td>' in html
