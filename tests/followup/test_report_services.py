"""Starting and publishing follow-up reports; a published report is frozen and public."""

import hashlib
from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from followup.models import Deviation, FollowUpEvent, FollowUpReport, ReportKind, ReportStatus
from followup.reports.documents import render_report_html
from followup.reports.services import create_report, publish_report, update_report
from municipalities.models import Role
from promises.models import TargetKind
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor():
    return factories.member(factories.municipal_organisation(), Role.EDITOR)


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def _logged_on(event, day=None):
    """Factories log events now; here it was logged on ``day`` (default: when it happened)."""
    FollowUpEvent.objects.filter(pk=event.pk).update(logged_at=_moment(day or event.occurred_on))
    return event


def _written_on(deviation, day):
    Deviation.objects.filter(pk=deviation.pk).update(created_at=_moment(day))
    return deviation


def _period():
    period = factories.period()
    checks = factories.activity(period, promise_=factories.promise(period))
    _logged_on(factories.event(checks, date(2024, 2, 1), 4))
    return period, checks


def _publish(period, editor, kind, year, tertial=None):
    report = create_report(period, by=editor, kind=kind, year=year, tertial=tertial, today=TODAY)
    return publish_report(report, by=editor, today=TODAY)


def test_create_report_refuses_a_tertial_outside_the_period(editor):
    period, _ = _period()

    with pytest.raises(ValidationError) as error:
        create_report(period, by=editor, kind=ReportKind.TERTIAL, year=2022, tertial=3, today=TODAY)

    assert "Tertial 3 2022 ligger utanför medborgarlöftets period" in error.value.messages[0]
    assert FollowUpReport.objects.count() == 0


def test_create_report_refuses_a_second_draft_for_the_same_span(editor):
    period, _ = _period()
    create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY)

    with pytest.raises(ValidationError) as error:
        create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY)

    assert error.value.messages == ["Det finns redan ett utkast för Helår 2024."]


def test_publish_report_freezes_pdf_hash_and_data(editor):
    period, checks = _period()
    report = create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY)

    published = publish_report(report, by=editor, today=TODAY)

    stored = published.pdf.open("rb").read()
    assert published.status == ReportStatus.PUBLISHED
    assert published.published_by == editor
    assert published.sha256 == hashlib.sha256(stored).hexdigest()
    assert published.frozen_data["promises"][0]["rows"][0]["done"] == 4


def test_published_report_never_changes_when_events_are_added(editor):
    period, checks = _period()
    report = publish_report(
        create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY),
        by=editor,
        today=TODAY,
    )
    before = report.pdf.open("rb").read()

    factories.event(checks, date(2024, 3, 1), 10)
    report.refresh_from_db()

    assert report.pdf.open("rb").read() == before
    assert report.frozen_data["promises"][0]["rows"][0]["done"] == 4


def test_publish_and_update_refuse_a_published_report(editor):
    period, _ = _period()
    report = publish_report(
        create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY),
        by=editor,
        today=TODAY,
    )

    with pytest.raises(ValidationError):
        publish_report(report, by=editor, today=TODAY)
    with pytest.raises(ValidationError):
        update_report(report, by=editor, comment="Ny")

    report.refresh_from_db()
    assert report.comment == ""


def test_a_new_report_for_a_published_span_is_the_next_version(editor):
    period, _ = _period()
    first = create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY)
    publish_report(first, by=editor, today=TODAY)

    second = create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY)

    assert (second.version, second.status) == (2, ReportStatus.DRAFT)


def test_public_report_pdf_serves_the_stored_bytes(client, editor):
    period, _ = _period()
    report = publish_report(
        create_report(
            period, by=editor, kind=ReportKind.TERTIAL, year=2024, tertial=1, today=TODAY
        ),
        by=editor,
        today=TODAY,
    )
    url = reverse(
        "reports:published_pdf",
        kwargs={"municipality_slug": "tranas", "period_slug": period.slug, "pk": report.pk},
    )

    response = client.get(url)

    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == report.sha256
    assert response["Content-Disposition"] == (
        f'attachment; filename="uppfoljning-tranas-{period.slug}-2024-t1-v1.pdf"'
    )


def test_public_report_pdf_is_404_for_a_draft(client, editor):
    period, _ = _period()
    report = create_report(period, by=editor, kind=ReportKind.YEAR, year=2024, today=TODAY)

    response = client.get(
        reverse(
            "reports:published_pdf",
            kwargs={"municipality_slug": "tranas", "period_slug": period.slug, "pk": report.pk},
        )
    )

    assert response.status_code == 404


# --- Regression: what a published T2 report showed (issue 11) --------------------------------


def test_published_report_says_a_milestone_was_done_before_its_span(editor):
    period = factories.period()
    factories.activity(
        period,
        promise_=factories.promise(period),
        target_kind=TargetKind.MILESTONE,
        description="Kommunen tar fram en handlingsplan mot langning.",
    )
    _logged_on(factories.event(period.activities.get(), date(2024, 3, 5)))

    report = _publish(period, editor, ReportKind.TERTIAL, 2024, 2)

    row = report.frozen_data["promises"][0]["rows"][0]
    html = render_report_html(report.frozen_data)
    assert row["status"] == "Uppnått"
    assert "Genomförd före 1 maj 2024" in html
    assert "0 händelser" not in html


def test_published_report_numbers_activities_as_the_period_does(editor):
    period = factories.period()
    drugs = factories.promise(period, title="Öka upptäckten av narkotikabrott.")
    centre = factories.promise(period, title="Öka tryggheten i centrala Tranås.")
    for position, promise in [(1, centre), (2, drugs), (3, centre), (5, drugs), (9, drugs)]:
        factories.activity(period, promise_=promise, position=position)

    report = _publish(period, editor, ReportKind.TERTIAL, 2024, 2)

    numbers = [[row["number"] for row in p["rows"]] for p in report.frozen_data["promises"]]
    assert numbers == [[2, 5, 9], [1, 3]]
    assert [bar["label"] for bar in report.frozen_data["chart"]][:2] == [
        "1. Trafikkontroller",
        "2. Trafikkontroller",
    ]


def test_published_report_leaves_out_deviations_written_after_its_cutoff(editor):
    period, checks = _period()
    _written_on(
        factories.deviation(checks, date(2024, 1, 1), text="Skriven i tid."), date(2024, 9, 2)
    )
    _written_on(
        factories.deviation(checks, date(2024, 1, 1), text="Skriven efteråt."), date(2025, 3, 1)
    )

    report = _publish(period, editor, ReportKind.TERTIAL, 2024, 2)

    row = report.frozen_data["promises"][0]["rows"][0]
    assert [deviation["text"] for deviation in row["deviations"]] == ["Skriven i tid."]


def test_published_report_counts_only_events_logged_by_its_cutoff(editor):
    period, checks = _period()
    _logged_on(factories.event(checks, date(2024, 6, 3), 2), date(2024, 9, 30))  # day 30
    _logged_on(factories.event(checks, date(2024, 7, 1), 7), date(2024, 10, 1))  # too late

    report = _publish(period, editor, ReportKind.TERTIAL, 2024, 2)

    row = report.frozen_data["promises"][0]["rows"][0]
    assert (row["done"], row["done_in_span"]) == (6, 2)
    assert report.frozen_data["cutoff"] == "30 september 2024"
