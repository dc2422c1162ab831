"""Staff pages for follow-up reports: list and start, preview, comment, publish, PDF.

Everyone who may see a kommun's staff pages may read its reports; only its editors may start,
edit or publish them (404 for another kommun, 403 read-only).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from followup.models import FollowUpReport
from followup.reports.documents import (
    chart_markup,
    render_report_pdf,
    report_data,
    report_filename,
    report_span,
)
from followup.reports.forms import NewReportForm, ReportCommentForm
from followup.reports.services import create_report, publish_report, update_report
from municipalities.site.decorators import staff_required
from promises.documents.responses import frozen_or_draft_pdf
from promises.permissions import can_edit_period, get_period_for_editor, get_period_for_viewer


def _get_report(request, pk, *, edit=False):
    report = get_object_or_404(
        FollowUpReport.objects.select_related("period__municipality", "period__police_area"),
        pk=pk,
    )
    if edit:
        get_period_for_editor(request, report.period_id)
    else:
        get_period_for_viewer(request, report.period_id)
    return report


def _data(report):
    """A published report's frozen data, or a draft's numbers as of now."""
    if report.is_published:
        return report.frozen_data
    span = report_span(report.period, report.kind, report.year, report.tertial)
    return report_data(report.period, span, comment=report.comment)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request, period_pk):
    """The period's reports; editors start a new one here (the span is checked by the service)."""
    if request.method == "POST":
        period = get_period_for_editor(request, period_pk)
    else:
        period = get_period_for_viewer(request, period_pk)
    today = timezone.localdate()
    form = NewReportForm(
        request.POST if request.method == "POST" else None,
        initial={"year": min(max(today.year, period.starts_on.year), period.ends_on.year)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = create_report(
                period,
                by=request.user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                tertial=form.cleaned_data["tertial"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            field = "comment" if hasattr(error, "error_dict") else None
            for message in error.messages:
                form.add_error(field, message)
        else:
            return redirect("reports:detail", pk=report.pk)
    return render(
        request,
        "reports/followupreport_list.html",
        {
            "period": period,
            "reports": period.reports.select_related("published_by"),
            "form": form,
            "can_edit": can_edit_period(request.user, period),
        },
    )


@staff_required
@require_safe
def report_detail(request, pk):
    report = _get_report(request, pk)
    try:
        data = _data(report)
    except ValidationError as error:
        # The period's dates changed after the draft was started.
        return render(
            request,
            "reports/followupreport_detail.html",
            {"report": report, "period": report.period, "errors": error.messages},
        )
    return render(
        request,
        "reports/followupreport_detail.html",
        {
            "report": report,
            "period": report.period,
            "doc": data,
            "draft": not report.is_published,
            "chart_svg": chart_markup(data),
            "comment_form": ReportCommentForm(initial={"comment": report.comment}),
            "can_edit": can_edit_period(request.user, report.period),
        },
    )


@staff_required
@require_POST
def report_update(request, pk):
    report = _get_report(request, pk, edit=True)
    form = ReportCommentForm(request.POST)
    if form.is_valid():
        try:
            update_report(report, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Kommentaren är sparad."))
    else:
        messages.error(request, " ".join(form.errors.get("comment", [])))
    return redirect("reports:detail", pk=report.pk)


@staff_required
@require_POST
def report_publish(request, pk):
    report = _get_report(request, pk, edit=True)
    try:
        publish_report(report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Rapporten är publicerad och visas på medborgarlöftets publika sida.")
        )
    return redirect("reports:detail", pk=report.pk)


@staff_required
@require_safe
def report_pdf(request, pk):
    """A published report: the stored bytes. A draft: rendered now, marked as a draft."""
    report = _get_report(request, pk)
    try:
        return frozen_or_draft_pdf(
            frozen=report.is_published,
            stored=report.pdf,
            filename=report_filename(report),
            render_draft=lambda: render_report_pdf(_data(report), draft=True),
        )
    except ValidationError:
        # The period's dates changed after the draft was started; the page says why.
        return redirect("reports:detail", pk=report.pk)


# The public download, outside the staff area: no sign-in.
@require_safe
def published_report_pdf(request, municipality_slug, period_slug, pk):
    """A published report of a published period; drafts and other periods' reports are 404."""
    report = get_object_or_404(
        FollowUpReport.objects.published().select_related("period__municipality"),
        pk=pk,
        period__slug=period_slug,
        period__municipality__slug=municipality_slug,
    )
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=report_filename(report),
        content_type="application/pdf",
    )
