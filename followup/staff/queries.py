"""Reads for the staff area, permission-aware, each in a fixed number of queries.

Who sees what (DESIGN §7): a reporter sees the activities its organisation is responsible for in
every kommun the organisation covers; an editor or a viewer sees every activity of the kommuner
its organisation covers; a superuser sees everything.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, prefetch_related_objects

from followup.models import Deviation, FollowUpEvent
from followup.progress import Status
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


def followed_activities(scope):
    """The user's activities in periods that are followed up now, in the dashboard's order
    (kommun, newest period, position), with their period and kommun; nothing prefetched."""
    return (
        staff_activities(scope)
        .filter(period__status__in=FOLLOWED_UP)
        .order_by("period__municipality__name", "-period__starts_on", "position")
    )


def dashboard_activities(scope):
    """``followed_activities`` with what a row shows prefetched (``prefetch_row_data``)."""
    return followed_activities(scope).prefetch_related(*ROW_DATA)


def prefetch_row_data(activities) -> None:
    """Fetch what a dashboard row shows of each activity (responsible organisations,
    deviations newest first) onto the given activities, in two queries."""
    prefetch_related_objects(list(activities), *ROW_DATA)


ROW_DATA = (
    "responsible_organisations",
    Prefetch("deviations", queryset=Deviation.objects.order_by("-bucket_start", "-created_at")),
)


@dataclass
class PeriodGroup:
    """One period's rows on the dashboard (``RenderedRow``), what needs attention first."""

    period: PromisePeriod
    rows: list = field(default_factory=list)

    @property
    def attention_count(self) -> int:
        return sum(row.status in NEEDS_ATTENTION for row in self.rows)


def dashboard_groups(activities, rows) -> list[PeriodGroup]:
    """The rows (activity id → ``RenderedRow``) grouped by kommun and period in the order of
    ``activities``, what is behind first within each group."""
    groups: dict[int, PeriodGroup] = {}
    for activity in activities:
        group = groups.setdefault(activity.period_id, PeriodGroup(activity.period))
        group.rows.append(rows[activity.pk])
    for group in groups.values():
        group.rows.sort(key=lambda row: (URGENCY.index(row.status), row.activity.position))
    return list(groups.values())


def event_history(event):
    """The event's versions, newest first, with who made each change and why."""
    return event.history.select_related("history_user").order_by("-history_date", "-history_id")


def activity_events(activity):
    """Every event of the activity, retracted ones included, newest first."""
    return FollowUpEvent.objects.filter(activity=activity).select_related(
        "organisation", "logged_by", "retracted_by"
    )
