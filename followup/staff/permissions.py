"""Permission predicates on follow-up events and deviations (DESIGN §7).

Built on promises.permissions: whoever may log for an activity may also correct and retract its
events, whoever logged them; a kommun's editor may also explain why an activity is behind, since
the trygghetssamordnare answers for the whole promise. As elsewhere: 404 for what the user may
not see, 403 for an action the user may not take on something visible.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from followup.models import FollowUpEvent
from followup.services import logging_window, may_log_in_window
from municipalities.permissions import request_scope
from promises.models import Activity
from promises.permissions import can_edit_period, can_log_for_activity, can_view_period


def can_correct_event(scope, event) -> bool:
    """Edit or retract an event: the same people who may log for its activity, while the
    period's logging window lets them (after it has closed, the kommun's editors only)."""
    period = event.activity.period
    return can_log_for_activity(scope, event.activity) and may_log_in_window(
        scope, period, logging_window(period)
    )


def can_add_deviation(scope, activity) -> bool:
    """State why an activity is behind: its reporters, and the kommun's editors."""
    return can_log_for_activity(scope, activity) or can_edit_period(scope, activity.period)


def get_activity_for_viewer(request, pk) -> Activity:
    """The activity if the user may see the kommun's staff pages, else 404."""
    activity = get_object_or_404(
        Activity.objects.select_related("period__municipality", "promise").prefetch_related(
            "responsible_organisations"
        ),
        pk=pk,
    )
    if not can_view_period(request_scope(request), activity.period):
        raise Http404
    return activity


def get_activity_for_deviation(request, pk) -> Activity:
    activity = get_activity_for_viewer(request, pk)
    if not can_add_deviation(request_scope(request), activity):
        raise PermissionDenied
    return activity


def get_event_for_viewer(request, pk) -> FollowUpEvent:
    """The event if the user may see its kommun's staff pages, else 404."""
    event = get_object_or_404(
        FollowUpEvent.objects.select_related(
            "activity__period__municipality", "organisation", "logged_by", "retracted_by"
        ).prefetch_related("activity__responsible_organisations"),
        pk=pk,
    )
    if not can_view_period(request_scope(request), event.activity.period):
        raise Http404
    return event


def get_event_for_corrector(request, pk) -> FollowUpEvent:
    """The event if the user may correct it; 404 when not visible, 403 when read-only."""
    event = get_event_for_viewer(request, pk)
    if not can_correct_event(request_scope(request), event):
        raise PermissionDenied
    return event
