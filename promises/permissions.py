"""Permission predicates on periods and activities, built on municipalities.permissions.

Each predicate takes the user's ``StaffScope`` (``request.scope``), so a request works out the
user's memberships once however many objects it checks.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipalities.permissions import as_scope, request_scope
from promises.models import Activity, PromisePeriod


def can_view_period(scope, period) -> bool:
    return as_scope(scope).can_view_municipality_id(period.municipality_id)


def can_edit_period(scope, period) -> bool:
    return as_scope(scope).can_edit_municipality_id(period.municipality_id)


def recordable_organisations(scope, activity) -> list:
    """Whom the user may record as having done the activity: THE rule, used by the log and
    correction forms, by followup.services and by the CSV import (DESIGN §7).

    - a superuser: any organisation responsible for the activity;
    - a reporter: those of its own organisations that are responsible for the activity and cover
      the activity's kommun;
    - an editor: the same as a reporter and, when the editor may log for the activity at all, any
      responsible organisation, since the trygghetssamordnare answers for the whole promise.

    Empty when the user may not log for the activity. Reads the activity's responsible
    organisations (prefetch them to keep it free of queries) and nothing else.
    """
    scope = as_scope(scope)
    responsible = list(activity.responsible_organisations.all())
    if scope.is_superuser:
        return responsible
    kommun = activity.period.municipality_id
    writing = scope.writing_organisation_ids_in(kommun)
    own = [organisation for organisation in responsible if organisation.pk in writing]
    if own and scope.can_edit_municipality_id(kommun):
        return responsible
    return own


def can_log_for_activity(scope, activity) -> bool:
    """Log and correct events: whoever may record at least one organisation as the doer."""
    return bool(recordable_organisations(scope, activity))


def get_period_for_viewer(request, pk) -> PromisePeriod:
    """The period if the user may see its staff pages, else 404 (another kommun's data)."""
    period = get_object_or_404(PromisePeriod.objects.select_related("municipality"), pk=pk)
    if not can_view_period(request_scope(request), period):
        raise Http404
    return period


def get_period_for_editor(request, pk) -> PromisePeriod:
    """The period if the user may edit it; 404 when not visible, 403 when read-only."""
    period = get_period_for_viewer(request, pk)
    if not can_edit_period(request_scope(request), period):
        raise PermissionDenied
    return period


def get_activity_for_reporter(request, pk) -> Activity:
    """The activity if the user may log for it; 404 when not visible, 403 when read-only."""
    activity = get_object_or_404(
        Activity.objects.select_related("period__municipality").prefetch_related(
            "responsible_organisations"
        ),
        pk=pk,
    )
    scope = request_scope(request)
    if not can_view_period(scope, activity.period):
        raise Http404
    if not can_log_for_activity(scope, activity):
        raise PermissionDenied
    return activity


def get_period_part_for_editor(request, model, pk):
    """A promise, activity, signatory or source of a period the user may edit; 404 when the
    period is not visible to the user, 403 when it is read-only."""
    obj = get_object_or_404(model.objects.select_related("period__municipality"), pk=pk)
    scope = request_scope(request)
    if not can_view_period(scope, obj.period):
        raise Http404
    if not can_edit_period(scope, obj.period):
        raise PermissionDenied
    return obj
