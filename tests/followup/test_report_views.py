"""Staff pages for follow-up reports: start, refuse a span outside the period, publish."""

import hashlib
from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpEvent, FollowUpReport, ReportStatus
from promises.models import PromisePeriod
from tests import factories
from tests.pdf_tools import pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _period():
    period = factories.period()
    checks = factories.activity(period, promise_=factories.promise(period))
    event = factories.event(checks, date(2024, 2, 1), 4)
    # Logged the day it happened, long before the report's cut-off (factories log it now).
    logged = timezone.make_aware(datetime.combine(event.occurred_on, time(12)))
    FollowUpEvent.objects.filter(pk=event.pk).update(logged_at=logged)
    return period


def test_report_list_refuses_a_tertial_outside_the_period_with_a_clear_message(client, coordinator):
    period = _period()
    client.force_login(coordinator)

    response = client.post(
        reverse("reports:list", args=[period.pk]),
        {"kind": "tertial", "year": "2022", "tertial": "3"},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Tertial 3 2022 ligger utanför medborgarlöftets period" in text
    assert FollowUpReport.objects.count() == 0


def test_report_list_starts_a_draft_and_detail_previews_it(client, coordinator):
    period = _period()
    client.force_login(coordinator)

    response = client.post(
        reverse("reports:list", args=[period.pk]),
        {"kind": "year", "year": "2024", "comment": "<b>x</b>"},
    )
    report = FollowUpReport.objects.get()
    detail = client.get(response.url)

    text = detail.content.decode()
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert "UPPFÖLJNINGSRAPPORT – UTKAST" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text
    assert '<td class="number" data-label="Gjort">4</td>' in text


def test_report_publish_freezes_it(client, coordinator):
    period = _period()
    client.force_login(coordinator)
    client.post(reverse("reports:list", args=[period.pk]), {"kind": "year", "year": "2024"})
    report = FollowUpReport.objects.get()

    client.post(reverse("reports:publish", args=[report.pk]))

    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert len(report.sha256) == 64


def test_report_publish_is_403_for_a_viewer_and_404_for_another_kommun(client, viewer, outsider):
    period = _period()
    report = FollowUpReport.objects.create(
        period=period, kind="year", year=2024, created_by=factories.user()
    )

    client.force_login(viewer)
    as_viewer = client.post(reverse("reports:publish", args=[report.pk]))
    client.force_login(outsider)
    as_outsider = client.get(reverse("reports:detail", args=[report.pk]))

    assert (as_viewer.status_code, as_outsider.status_code) == (403, 404)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_report_pdf_of_a_draft_is_rendered_and_named_as_a_draft(client, viewer):
    period = _period()
    report = FollowUpReport.objects.create(
        period=period, kind="year", year=2024, created_by=factories.user()
    )
    client.force_login(viewer)

    response = client.get(reverse("reports:pdf", args=[report.pk]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="uppfoljning-tranas-{period.slug}-2024-v1-utkast.pdf"'
    )
    assert "UPPFÖLJNINGSRAPPORT – UTKAST" in pages_text(response.content)[0]


def test_report_pdf_of_a_published_report_is_the_stored_bytes(client, coordinator):
    period = _period()
    client.force_login(coordinator)
    client.post(reverse("reports:list", args=[period.pk]), {"kind": "year", "year": "2024"})
    report = FollowUpReport.objects.get()
    client.post(reverse("reports:publish", args=[report.pk]))
    report.refresh_from_db()

    response = client.get(reverse("reports:pdf", args=[report.pk]))

    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == report.sha256
    assert response["Content-Disposition"] == (
        f'attachment; filename="uppfoljning-tranas-{period.slug}-2024-v1.pdf"'
    )


def test_report_pdf_of_a_draft_outside_the_changed_period_redirects(client, coordinator):
    period = _period()
    report = FollowUpReport.objects.create(
        period=period, kind="year", year=2024, created_by=factories.user()
    )
    PromisePeriod.objects.filter(pk=period.pk).update(ends_on=date(2023, 12, 31))
    client.force_login(coordinator)

    response = client.get(reverse("reports:pdf", args=[report.pk]))

    assert response.url == reverse("reports:detail", args=[report.pk])


def test_published_report_pdf_is_archival_pdf_a_2u(client, coordinator):
    period = _period()
    client.force_login(coordinator)
    client.post(reverse("reports:list", args=[period.pk]), {"kind": "year", "year": "2024"})
    report = FollowUpReport.objects.get()

    client.post(reverse("reports:publish", args=[report.pk]))

    report.refresh_from_db()
    with report.pdf.open("rb") as stored:
        xmp = _xmp(stored.read())
    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="U"' in xmp


def _xmp(pdf: bytes) -> str:
    """The XMP metadata packet of a PDF (where PDF/A and PDF/UA declare themselves)."""
    import io

    import pdfplumber
    from pdfminer.pdftypes import resolve1

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return resolve1(document.doc.catalog["Metadata"]).get_data().decode("utf-8")
