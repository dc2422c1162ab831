"""Every write of follow-up reports: start a draft, edit its comment, publish (freeze) it.

Each service runs in one transaction and takes the acting user as the keyword-only ``by``. A
refusal raises ``ValidationError`` with a Swedish message and writes nothing. Permissions are
checked by the views (``promises.permissions.get_period_for_editor``).

A published report is immutable: its PDF is stored once with its SHA-256 and the data it was made
from, and it is what the period's public page offers for download. A corrected report for the
same span is a new draft with the next version number.

Every write renews the cache version of the report's kommun (``municipalities.versioning``) in
the same transaction, as its last step: a published report is listed on the public pages.
"""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.models import NOTE_MAX_LENGTH, FollowUpReport, ReportKind, ReportStatus
from followup.reports.documents import render_report_pdf, report_data, report_span
from municipalities import versioning
from municipalities.validation import locked
from promises.models import PromisePeriod


def _same_span(period, kind, year, tertial):
    return FollowUpReport.objects.filter(
        period=period, kind=kind, year=year, tertial=tertial if kind == ReportKind.TERTIAL else None
    )


def _check_comment(comment):
    if len(comment) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": _("Texten får vara högst %(max)d tecken lång (nu %(length)d).")
                % {"max": NOTE_MAX_LENGTH, "length": len(comment)}
            }
        )


@transaction.atomic
def create_report(
    period: PromisePeriod, *, by, kind, year, tertial=None, comment="", today=None
) -> FollowUpReport:
    """Start a draft report of the period for a year or a tertial.

    Raises ValidationError when the span is outside the period or has not begun (the message
    says which, see ``report_span``), when the comment is too long, or when a draft for the same
    span exists already. Its version follows the span's latest report. Side effects: one report;
    the kommun's cache version is renewed.
    """
    span = report_span(period, kind, year, tertial, today=today)
    comment = (comment or "").strip()
    _check_comment(comment)
    PromisePeriod.objects.select_for_update().get(pk=period.pk)
    reports = _same_span(period, span.kind, span.year, span.tertial)
    if reports.filter(status=ReportStatus.DRAFT).exists():
        raise ValidationError(
            _("Det finns redan ett utkast för %(label)s.") % {"label": span.label},
            code="draft_exists",
        )
    latest = reports.aggregate(latest=Max("version"))["latest"] or 0
    report = FollowUpReport(
        period=period,
        kind=span.kind,
        year=span.year,
        tertial=span.tertial,
        version=latest + 1,
        comment=comment,
        created_by=by,
    )
    report._history_user = by  # the report's history (issue 12)
    report.save()
    versioning.renew_kommun(period.municipality)
    return report


@transaction.atomic
def update_report(report: FollowUpReport, *, by, comment) -> FollowUpReport:
    """Change a draft's comment. Raises ValidationError for a published report. Side effects:
    the report's comment; the kommun's cache version is renewed."""
    report = locked(report, "period__municipality")
    if report.is_published:
        raise ValidationError(_("En publicerad rapport kan inte ändras."), code="published")
    comment = (comment or "").strip()
    _check_comment(comment)
    report.comment = comment
    report._history_user = by
    report.save(update_fields=["comment"])
    versioning.renew_kommun(report.period.municipality)
    return report


@transaction.atomic
def publish_report(report: FollowUpReport, *, by, today=None) -> FollowUpReport:
    """Freeze a draft report and list it publicly.

    Side effects: renders the PDF once, stores it as ``reports/<uuid>.pdf`` with its SHA-256 and
    the report data (``frozen_data``), sets status published, ``published_at`` and
    ``published_by``, and renews the kommun's cache version. The data is what was known when it
    is published (the report's cut-off, see ``report_cutoff``). Raises ValidationError, writing
    nothing, when the report is already published or its span is no longer valid for the period
    (its dates were changed).
    """
    report = (
        FollowUpReport.objects.select_for_update(of=("self",))
        .select_related("period__municipality", "period__police_area")
        .get(pk=report.pk)
    )
    if report.is_published:
        raise ValidationError(_("Rapporten är redan publicerad."), code="published")
    span = report_span(report.period, report.kind, report.year, report.tertial, today=today)
    now = timezone.now()
    data = report_data(report.period, span, comment=report.comment, today=today, at=now)
    pdf = render_report_pdf(data)
    report.pdf.save(f"{uuid.uuid4()}.pdf", ContentFile(pdf), save=False)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.frozen_data = data
    report.status = ReportStatus.PUBLISHED
    report.published_at = now
    report.published_by = by
    report._history_user = by
    try:
        report.save()
        versioning.renew_kommun(report.period.municipality)
    except Exception:
        report.pdf.storage.delete(report.pdf.name)
        raise
    return report
