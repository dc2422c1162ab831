"""The staff area's follow-up pages: the dashboard, logging, corrections, deviations, import.

Every view: staff_required → fetch through followup/promises permissions (404 for what the user
may not see, 403 for what it may not do) → form → one service → respond. htmx requests get the
fragment they swap; the same forms work as plain POSTs that redirect.
"""

import codecs
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from followup import services
from followup.models import Deviation, FollowUpEvent
from followup.progress import ActivityProgress, progress_for
from followup.staff import imports, rows
from followup.staff.forms import (
    UNDO_REASON,
    DeviationForm,
    EventCorrectionForm,
    EventLogForm,
    ImportForm,
    RetractForm,
)
from followup.staff.permissions import (
    can_add_deviation,
    can_correct_event,
    get_activity_for_deviation,
    get_activity_for_logging,
    get_activity_for_viewer,
    get_event_for_corrector,
    get_event_for_viewer,
)
from followup.staff.queries import (
    NEEDS_ATTENTION,
    activity_events,
    dashboard_activities,
    dashboard_groups,
    event_history,
    followed_activities,
    prefetch_row_data,
)
from municipalities.forms import add_service_errors
from municipalities.site.decorators import staff_required
from promises.permissions import can_edit_period, can_log_for_activity, get_activity_for_reporter

# How long after logging the dashboard offers to undo, when the page is loaded again.
UNDO_WINDOW = timedelta(minutes=10)


@dataclass
class Row:
    """One activity on the dashboard: progress, the log form if the user may log, and news."""

    progress: ActivityProgress
    form: EventLogForm | None
    may_deviate: bool
    deviation: Deviation | None = None
    logged: FollowUpEvent | None = None
    undone: FollowUpEvent | None = None
    error: str = ""
    notice: str = ""

    @property
    def activity(self):
        return self.progress.activity

    @property
    def needs_attention(self) -> bool:
        return self.progress.status in NEEDS_ATTENTION


def _window_note(scope, activity) -> str:
    """Why a user who may log for the activity cannot log now (the period's logging window,
    ``followup.services.logging_window``); empty when it can, or may not log for it at all."""
    if not can_log_for_activity(scope, activity):
        return ""
    period = activity.period
    refusal = services.window_refusal(period, services.logging_window(period), scope)
    return refusal[0] if refusal else ""


def _may_log_now(scope, activity) -> bool:
    return can_log_for_activity(scope, activity) and not _window_note(scope, activity)


def _row(request, progress, *, form=None, logged=None, undone=None, error="", notice="") -> Row:
    activity = progress.activity
    scope = request.scope
    if form is None and _may_log_now(scope, activity):
        form = EventLogForm(activity=activity, scope=scope)
    current = progress.current
    deviation = None
    if current is not None or activity.target_kind != "count":
        start = current.start if current else activity.period.starts_on
        deviation = _deviation_of_bucket(activity, start)
    return Row(
        progress=progress,
        form=form,
        may_deviate=can_add_deviation(scope, activity),
        deviation=deviation,
        logged=logged,
        undone=undone,
        error=error,
        notice=notice,
    )


def _deviation_of_bucket(activity, start):
    """The newest deviation explaining the bucket that starts on ``start``: from the activity's
    prefetched deviations or, when it was read for logging (``get_activity_for_logging``), from
    the latest deviation it came with (deviations start on bucket starts, so the latest one
    started by today is the running bucket's when there is one)."""
    if hasattr(activity, "latest_deviation"):
        latest = activity.latest_deviation
        return latest if latest is not None and latest.bucket_start == start else None
    return next((d for d in activity.deviations.all() if d.bucket_start == start), None)


def _render_row(request, activity, **kwargs):
    progress = progress_for([activity])[activity.pk]
    row = _row(request, progress, **kwargs)
    return HttpResponse(rows.render_row(row, csrf_token=get_token(request)))


def _recently_logged(request):
    """The event named by ?loggad= after a plain (non-htmx) log, if the user just logged it."""
    event_id = request.GET.get("loggad", "")
    # ASCII digits only, and few enough for any integer column: "²" or a huge number is no id.
    if not (event_id.isascii() and event_id.isdigit() and len(event_id) <= 18):
        return None
    return FollowUpEvent.objects.filter(
        pk=int(event_id),
        logged_by=request.user,
        retracted_at__isnull=True,
        logged_at__gte=timezone.now() - UNDO_WINDOW,
    ).first()


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_GET
@staff_required
def dashboard(request):
    logged = _recently_logged(request)
    activities = list(followed_activities(request.scope))
    served = _dashboard_rows(request, activities, logged)
    groups = dashboard_groups(activities, served)
    attention = sum(group.attention_count for group in groups)
    return render(request, "staff/dashboard.html", {"groups": groups, "attention": attention})


def _dashboard_rows(request, activities, logged):
    """Each activity's row (``followup.staff.rows``): kept ones as they are, the others (and the
    one just logged, with its undo) rendered with their data and progress, and kept."""
    keys = rows.row_keys(activities, request.scope)
    kept = rows.kept_rows(keys)
    just_logged = logged.activity_id if logged is not None else None
    fresh = [a for a in activities if a.pk not in kept or a.pk == just_logged]
    prefetch_row_data(fresh)
    progresses = progress_for(fresh)
    to_keep = {}
    for activity in fresh:
        is_logged = activity.pk == just_logged
        row = _row(request, progresses[activity.pk], logged=logged if is_logged else None)
        kept[activity.pk] = rows.render_to_keep(row)
        if not is_logged:
            to_keep[keys[activity.pk]] = kept[activity.pk]
    rows.keep(to_keep)
    csrf_token = get_token(request)
    return {
        activity.pk: rows.serve(activity, kept[activity.pk], csrf_token=csrf_token)
        for activity in activities
    }


@require_POST
@staff_required
def log_event(request, pk):
    activity = get_activity_for_logging(request, pk)
    form = EventLogForm(request.POST, activity=activity, scope=request.scope)
    if form.is_valid():
        try:
            event = services.log_event(
                activity, by=request.user, scope=request.scope, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.AlreadyLogged:
            return _already_logged(request, activity)
        else:
            if request.htmx:
                return _render_row(request, activity, logged=event)
            next_url = _safe_next(request, None)
            if next_url:
                messages.success(request, _logged_message(event))
                return redirect(next_url)
            dashboard_url = reverse("staff:dashboard")
            return redirect(f"{dashboard_url}?loggad={event.pk}#activity-{activity.pk}")
    if request.htmx:
        return _render_row(request, activity, form=form)
    return _activity_page(request, activity, form=form)


def _already_logged(request, activity):
    """The same log form came again (a double click, a retry): nothing more was logged."""
    message = _("Det här är redan registrerat. Inget har sparats en gång till.")
    if request.htmx:
        return _render_row(request, activity, notice=message)
    messages.info(request, message)
    default = reverse("staff:dashboard") + f"#activity-{activity.pk}"
    return redirect(_safe_next(request, default))


def _logged_message(event):
    return _("Registrerat: %(quantity)s × %(activity)s den %(date)s.") % {
        "quantity": event.quantity,
        "activity": event.activity.unit_for(event.quantity) or event.activity.description[:60],
        "date": event.occurred_on.strftime("%Y-%m-%d"),
    }


def _activity_page(request, activity, *, form=None):
    progress = progress_for([activity])[activity.pk]
    scope = request.scope
    window_note = _window_note(scope, activity)
    may_log = can_log_for_activity(scope, activity) and not window_note
    if form is None and may_log:
        form = EventLogForm(activity=activity, scope=scope)
    events = list(activity_events(activity))
    context = {
        "activity": activity,
        "period": activity.period,
        "progress": progress,
        "form": form,
        "may_log": may_log,
        "window_note": window_note,
        "may_deviate": can_add_deviation(scope, activity),
        "may_edit": can_edit_period(scope, activity.period),
        "events": events,
        "deviations": activity.deviations.select_related("created_by"),
    }
    return render(request, "staff/activity_detail.html", context)


@require_GET
@staff_required
def activity_detail(request, pk):
    activity = get_activity_for_viewer(request, pk)
    return _activity_page(request, activity)


@require_GET
@staff_required
def event_detail(request, pk):
    event = get_event_for_viewer(request, pk)
    context = {
        "event": event,
        "activity": event.activity,
        "history": event_history(event),
        "may_correct": can_correct_event(request.scope, event),
    }
    return render(request, "staff/event_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def event_edit(request, pk):
    event = get_event_for_corrector(request, pk)
    if event.is_retracted:
        messages.error(request, _("En återkallad händelse kan inte ändras."))
        return redirect("staff:event_detail", pk=event.pk)
    form = EventCorrectionForm(request.POST or None, event=event, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_event(
                event,
                by=request.user,
                scope=request.scope,
                reason=form.cleaned_data["reason"],
                **form.changes(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Händelsen är ändrad. Den tidigare versionen finns kvar."))
            return redirect("staff:event_detail", pk=event.pk)
    context = {"event": event, "activity": event.activity, "form": form}
    return render(request, "staff/event_edit.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def event_retract(request, pk):
    event = get_event_for_corrector(request, pk)
    form = RetractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retracted = services.retract_event(
                event, by=request.user, scope=request.scope, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            undo = form.cleaned_data["reason"] == UNDO_REASON
            if request.htmx and undo:
                activity = get_activity_for_reporter(request, event.activity_id)
                return _render_row(request, activity, undone=retracted)
            messages.success(request, _("Händelsen är återkallad och räknas inte längre."))
            default = (
                reverse("staff:dashboard") + f"#activity-{event.activity_id}"
                if undo
                else reverse("staff:event_detail", args=[event.pk])
            )
            return redirect(_safe_next(request, default))
    if request.htmx:
        # A failed undo (say, already retracted): show the row as it is, with the message.
        activity = get_activity_for_reporter(request, event.activity_id)
        error = " ".join(form.errors.get("__all__", []) + form.errors.get("reason", []))
        return _render_row(request, activity, error=error)
    context = {"event": event, "activity": event.activity, "form": form}
    return render(request, "staff/event_retract.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def deviation_create(request, pk):
    activity = get_activity_for_deviation(request, pk)
    form = DeviationForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_deviation(activity, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Avvikelsen är sparad och visas publikt."))
            return redirect("staff:activity_detail", pk=activity.pk)
    progress = progress_for([activity])[activity.pk]
    context = {"activity": activity, "form": form, "progress": progress}
    return render(request, "staff/deviation_form.html", context)


# --- CSV import --------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "event_import"


def _require_writer(scope):
    """Importing is for reporters and editors; a viewer may not."""
    if not (scope.is_superuser or scope.writing_organisation_ids):
        raise PermissionDenied


def _import_page(request, *, form, rows=None, refused=None, committed=None):
    scope = request.scope
    activities = [
        activity
        for activity in dashboard_activities(scope)
        if can_log_for_activity(scope, activity)
    ]
    context = {
        "form": form,
        "rows": rows,
        "refused": refused,
        "error_count": sum(bool(row.errors) for row in rows or []),
        "activities": sorted(activities, key=lambda a: a.pk),
        "max_rows": imports.MAX_ROWS,
        "committed": committed,
    }
    return render(request, "staff/import.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def import_upload(request):
    _require_writer(request.scope)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > imports.MAX_BYTES:
                raise imports.FileRefused(
                    _("Filen är för stor: högst %(max)s kB. Dela upp den i flera filer.")
                    % {"max": imports.MAX_BYTES // 1000}
                )
            rows = imports.read_rows(upload.read(imports.MAX_BYTES + 1))
        except imports.FileRefused as refused:
            request.session.pop(IMPORT_SESSION_KEY, None)
            return _import_page(request, form=form, refused=str(refused))
        imports.check_rows(rows, request.user, request.scope)
        if any(row.errors for row in rows):
            request.session.pop(IMPORT_SESSION_KEY, None)
        else:
            request.session[IMPORT_SESSION_KEY] = [row.to_session() for row in rows]
        return _import_page(request, form=ImportForm(), rows=rows)
    return _import_page(request, form=form)


@require_POST
@staff_required
def import_commit(request):
    _require_writer(request.scope)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        messages.error(
            request, _("Det finns ingen granskad fil att importera. Ladda upp den igen.")
        )
        return redirect("staff:import_upload")
    rows = [imports.ImportRow(line=item["line"], cells=item["cells"]) for item in stored]
    count = imports.commit_rows(rows, request.user, request.scope)
    if count == 0:
        # Something changed since the preview (a permission, the period): nothing was logged.
        return _import_page(request, form=ImportForm(), rows=rows)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        ngettext("%(count)s händelse är importerad.", "%(count)s händelser är importerade.", count)
        % {"count": count},
    )
    return redirect("staff:dashboard")


@require_GET
@staff_required
def import_template(request):
    _require_writer(request.scope)
    response = HttpResponse(
        codecs.BOM_UTF8.decode() + imports.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="handelser-mall.csv"'
    return response
