"""Permission predicates on follow-up events and deviations (DESIGN §7).

Built on promises.permissions: whoever may log for an activity may also correct and retract its
events, whoever logged them; a kommun's editor may also explain why an activity is behind, since
the trygghetssamordnare answers for the whole promise. As elsewhere: 404 for what the user may
not see, 403 for an action the user may not take on something visible.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from followup.models import Deviation, FollowUpEvent
from followup.services import logging_window, may_log_in_window
from municipalities.permissions import request_scope
from promises.models import Activity
from promises.permissions import (
    can_edit_period,
    can_log_for_activity,
    can_view_period,
    get_activity_for_reporter,
)


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


def get_activity_for_logging(request, pk) -> Activity:
    """The activity the user logs an event for, as ``get_activity_for_reporter`` gives it (404
    when not visible, 403 when the user may not log for it), read in ONE query: its
    responsible organisations (the activity, period and kommun joined to each) and the latest
    deviation started by today, which the re-rendered dashboard row shows (see
    ``latest_deviation``).
    """
    today = timezone.localdate()
    latest = Deviation.objects.filter(
        activity=OuterRef("activity_id"), bucket_start__lte=today
    ).order_by("-bucket_start", "-created_at")
    links = list(
        Activity.responsible_organisations.through.objects.filter(activity_id=pk)
        .select_related("activity__period__municipality", "organisation")
        .annotate(
            deviation_id=Subquery(latest.values("pk")[:1]),
            deviation_start=Subquery(latest.values("bucket_start")[:1]),
            deviation_reason=Subquery(latest.values("reason")[:1]),
        )
        .order_by("organisation__name", "organisation_id")
    )
    if not links:
        # No responsible organisation: nobody logs for it (404 or 403, as the reporter rule says).
        return get_activity_for_reporter(request, pk)
    first = links[0]
    activity = first.activity
    activity._prefetched_objects_cache = {
        "responsible_organisations": _prefetched(activity, [link.organisation for link in links])
    }
    activity.latest_deviation = None
    if first.deviation_id is not None:
        activity.latest_deviation = Deviation(
            pk=first.deviation_id,
            activity=activity,
            bucket_start=first.deviation_start,
            reason=first.deviation_reason,
        )
    scope = request_scope(request)
    if not can_view_period(scope, activity.period):
        raise Http404
    if not can_log_for_activity(scope, activity):
        raise PermissionDenied
    return activity


def _prefetched(activity, organisations):
    """A queryset of the activity's responsible organisations that holds ``organisations`` as
    its result, as ``prefetch_related`` would leave it (``.all()`` reads no more)."""
    queryset = activity.responsible_organisations.all()
    queryset._result_cache = organisations
    queryset._prefetch_done = True
    return queryset
