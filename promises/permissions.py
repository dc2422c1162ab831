"""Permission predicates on periods and activities, built on municipalities.permissions."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipalities.permissions import (
    can_edit_municipality,
    can_view_municipality,
    writing_organisation_ids,
)
from promises.models import Activity, PromisePeriod


def can_view_period(user, period) -> bool:
    return can_view_municipality(user, period.municipality)


def can_edit_period(user, period) -> bool:
    return can_edit_municipality(user, period.municipality)


def can_log_for_activity(user, activity) -> bool:
    """A reporter or editor logs for activities its organisation is responsible for, in the
    kommuner it covers; a superuser for any activity."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not can_view_municipality(user, activity.period.municipality):
        return False
    responsible = {organisation.pk for organisation in activity.responsible_organisations.all()}
    return bool(responsible & writing_organisation_ids(user))


def get_period_for_viewer(request, pk) -> PromisePeriod:
    """The period if the user may see its staff pages, else 404 (another kommun's data)."""
    period = get_object_or_404(PromisePeriod.objects.select_related("municipality"), pk=pk)
    if not can_view_period(request.user, period):
        raise Http404
    return period


def get_period_for_editor(request, pk) -> PromisePeriod:
    """The period if the user may edit it; 404 when not visible, 403 when read-only."""
    period = get_period_for_viewer(request, pk)
    if not can_edit_period(request.user, period):
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
    if not can_view_period(request.user, activity.period):
        raise Http404
    if not can_log_for_activity(request.user, activity):
        raise PermissionDenied
    return activity


def get_period_part_for_editor(request, model, pk):
    """A promise, activity, signatory or source of a period the user may edit; 404 when the
    period is not visible to the user, 403 when it is read-only."""
    obj = get_object_or_404(model.objects.select_related("period__municipality"), pk=pk)
    if not can_view_period(request.user, obj.period):
        raise Http404
    if not can_edit_period(request.user, obj.period):
        raise PermissionDenied
    return obj
