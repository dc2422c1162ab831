"""Reads for the staff area, permission-aware, each in a fixed number of queries.

Who sees what (DESIGN §7): a reporter sees the activities its organisation is responsible for in
every kommun the organisation covers; an editor or a viewer sees every activity of the kommuner
its organisation covers; a superuser sees everything.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from followup.models import Deviation, FollowUpEvent
from followup.progress import ActivityProgress, Status, progress_for
from municipalities.models import Role
from promises.models import Activity, PeriodStatus, PromisePeriod

# Periods whose activities are followed up now: adopted (perhaps not yet started) or running.
FOLLOWED_UP = (PeriodStatus.ADOPTED, PeriodStatus.ACTIVE)

# The dashboard lists what needs attention first.
URGENCY = [
    Status.BEHIND,
    Status.NOT_STARTED,
    Status.NOT_ACHIEVED,
    Status.NOT_REPORTED,
    Status.ON_TRACK,
    Status.IN_PROGRESS,
    Status.UPCOMING,
    Status.ENDED,
    Status.ACHIEVED,
]
NEEDS_ATTENTION = {Status.BEHIND, Status.NOT_STARTED, Status.NOT_ACHIEVED, Status.NOT_REPORTED}


def staff_activities(scope):
    """Activities the user (its ``StaffScope``) works with: those of its reporting
    organisations' activities in the kommuner those organisations cover, plus, for an editor or
    a viewer, every activity of the kommuner its organisation covers. All periods, any status;
    everything for a superuser."""
    activities = Activity.objects.select_related("period__municipality", "promise")
    if scope.is_superuser:
        return activities
    visible = Q(period__municipality_id__in=scope.municipality_ids((Role.EDITOR, Role.VIEWER)))
    for organisation_id in scope.writing_organisation_ids:
        own = Activity.objects.filter(responsible_organisations=organisation_id).values("pk")
        visible |= Q(
            period__municipality_id__in=scope.coverage.get(organisation_id, ()), pk__in=own
        )
    return activities.filter(visible)


def dashboard_activities(scope):
    """The user's activities in periods that are followed up now, with what a row shows."""
    deviations = Deviation.objects.order_by("-bucket_start", "-created_at")
    return (
        staff_activities(scope)
        .filter(period__status__in=FOLLOWED_UP)
        .prefetch_related("responsible_organisations", Prefetch("deviations", queryset=deviations))
        .order_by("period__municipality__name", "-period__starts_on", "position")
    )


@dataclass
class PeriodGroup:
    period: PromisePeriod
    progresses: list[ActivityProgress] = field(default_factory=list)

    @property
    def attention_count(self) -> int:
        return sum(progress.status in NEEDS_ATTENTION for progress in self.progresses)


def dashboard_groups(activities, *, today=None) -> list[PeriodGroup]:
    """Activities grouped by kommun and period, what is behind first within each group.

    Progress of all of them is computed in one query.
    """
    activities = list(activities)
    progresses = progress_for(activities, today=today)
    groups: dict[int, PeriodGroup] = {}
    for activity in activities:
        group = groups.setdefault(activity.period_id, PeriodGroup(activity.period))
        group.progresses.append(progresses[activity.pk])
    for group in groups.values():
        group.progresses.sort(
            key=lambda progress: (URGENCY.index(progress.status), progress.activity.position)
        )
    return list(groups.values())


def event_history(event):
    """The event's versions, newest first, with who made each change and why."""
    return event.history.select_related("history_user").order_by("-history_date", "-history_id")


def activity_events(activity):
    """Every event of the activity, retracted ones included, newest first."""
    return FollowUpEvent.objects.filter(activity=activity).select_related(
        "organisation", "logged_by", "retracted_by"
    )
