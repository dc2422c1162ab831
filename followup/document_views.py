"""Public download of published follow-up reports: the stored PDF, byte for byte."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from followup.models import FollowUpReport, ReportStatus
from followup.reports import report_filename


@require_safe
def report_pdf(request, municipality_slug, period_slug, pk):
    """A published report of a published period; drafts and other periods' reports are 404."""
    report = get_object_or_404(
        FollowUpReport.objects.select_related("period__municipality"),
        pk=pk,
        status=ReportStatus.PUBLISHED,
        period__is_published=True,
        period__slug=period_slug,
        period__municipality__slug=municipality_slug,
    )
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=report_filename(report),
        content_type="application/pdf",
    )
