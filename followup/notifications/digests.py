"""The staff digests, as pure functions of ``now`` (so tests choose the date).

- A reporter's Monday digest: their organisations' activities in running periods that are
  behind ("Efter plan"), not started ("Ej påbörjad"), or a milestone due within 14 days, each
  with a link to its log form. Judged by followup.progress, the one progress engine.
- An editor's Monday digest, per running period of the kommuner they edit for: a tertial report
  that is due (the last ended tertial has no published report), the period ending within 60
  days with no renewal, and deviations to explain (a bucket behind or not achieved without one).

Demo periods are left out unless demo mail is allowed (the console in development).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from followup.models import Deviation, FollowUpReport, ReportKind
from followup.progress import Status, progress_for
from municipalities.models import Role
from municipalities.permissions import as_scope
from municipalities.site.mail import absolute_url
from promises.models import Activity, PeriodStatus, PromisePeriod, TargetKind

MILESTONE_HORIZON = timedelta(days=14)
ENDING_HORIZON = timedelta(days=60)
RUNNING = (PeriodStatus.ADOPTED, PeriodStatus.ACTIVE)
DIGEST_STATUSES = {Status.BEHIND: "behind", Status.NOT_STARTED: "not_started"}


@dataclass
class ReporterItem:
    activity: Activity
    reason: str  # "behind", "not_started" or "milestone_due"
    status_label: str
    log_url: str
    due_on: date | None = None


@dataclass
class EditorPeriod:
    period: PromisePeriod
    period_url: str
    missing_report: tuple[int, int] | None = None  # (tertial, year) of a report that is due
    ends_on: date | None = None  # when ending within 60 days without renewal
    unexplained: list = field(default_factory=list)  # (activity, bucket label, deviation url)

    @property
    def is_empty(self) -> bool:
        return not (self.missing_report or self.ends_on or self.unexplained)


def _running_periods(today: date, include_demo: bool):
    periods = PromisePeriod.objects.filter(
        status__in=RUNNING, starts_on__lte=today, ends_on__gte=today
    )
    return periods if include_demo else periods.filter(is_demo=False)


def _reporter_organisation_ids(user) -> set[int]:
    return set(
        user.memberships.filter(role=Role.REPORTER).values_list("organisation_id", flat=True)
    )


def reporter_digest(user, *, now: datetime, include_demo: bool = False) -> list[ReporterItem]:
    """The reporter's activities that need attention as of ``now``, in period order."""
    today = timezone.localdate(now)
    activities = (
        Activity.objects.filter(
            period__in=_running_periods(today, include_demo),
            responsible_organisations__in=_reporter_organisation_ids(user),
        )
        .select_related("period__municipality")
        .distinct()
        .order_by("period__municipality__name", "period__starts_on", "position")
    )
    progress = progress_for(activities, today=today)
    items = []
    for activity in activities:
        status = progress[activity.pk].status
        log_url = absolute_url(reverse("staff:activity_detail", args=[activity.pk]))
        due_on = getattr(activity, "due_on", None)  # milestones' due date, where the model has one
        if (
            activity.target_kind == TargetKind.MILESTONE
            and status != Status.ACHIEVED
            and due_on
            and today <= due_on <= today + MILESTONE_HORIZON
        ):
            items.append(ReporterItem(activity, "milestone_due", status.label, log_url, due_on))
        elif status in DIGEST_STATUSES:
            items.append(ReporterItem(activity, DIGEST_STATUSES[status], status.label, log_url))
    return items


def _last_ended_tertial(today: date) -> tuple[int, int, date, date]:
    """(year, tertial, first day, last day) of the latest tertial that ended before today."""
    current = (today.month + 3) // 4
    year, tertial = (today.year, current - 1) if current > 1 else (today.year - 1, 3)
    first = date(year, 4 * (tertial - 1) + 1, 1)
    last_month = 4 * tertial
    last = date(year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1)
    return year, tertial, first, last


def _missing_report(period, today) -> tuple[int, int] | None:
    year, tertial, _first, last = _last_ended_tertial(today)
    if last < period.starts_on:
        return None
    published = (
        FollowUpReport.objects.frozen()
        .filter(period=period, year=year)
        .filter(Q(kind=ReportKind.TERTIAL, tertial=tertial) | Q(kind=ReportKind.YEAR))
    )
    if tertial != 3:
        published = published.filter(kind=ReportKind.TERTIAL)
    return None if published.exists() else (tertial, year)


def _unexplained(period, today) -> list:
    activities = list(period.activities.select_related("period"))
    progress = progress_for(activities, today=today)
    explained = set(
        Deviation.objects.filter(activity__in=activities).values_list("activity_id", "bucket_start")
    )
    found = []
    for activity in activities:
        for bucket in progress[activity.pk].buckets:
            behind = bucket.status in (Status.BEHIND, Status.NOT_ACHIEVED) and bucket.start <= today
            if behind and (activity.pk, bucket.start) not in explained:
                url = absolute_url(reverse("staff:deviation_create", args=[activity.pk]))
                found.append((activity, bucket.label, url))
    return found


def editor_digest(user, *, now: datetime, include_demo: bool = False) -> list[EditorPeriod]:
    """Per running period of the user's kommuner (as editor): what needs doing as of ``now``."""
    today = timezone.localdate(now)
    periods = (
        _running_periods(today, include_demo)
        .filter(municipality_id__in=as_scope(user).editable_municipality_ids)
        .select_related("municipality", "next_period")
        .order_by("municipality__name", "starts_on")
    )
    result = []
    for period in periods:
        renewed = getattr(period, "next_period", None) is not None
        entry = EditorPeriod(
            period=period,
            period_url=absolute_url(reverse("promises:period_detail", args=[period.pk])),
            missing_report=_missing_report(period, today),
            ends_on=period.ends_on
            if period.ends_on <= today + ENDING_HORIZON and not renewed
            else None,
            unexplained=_unexplained(period, today),
        )
        if not entry.is_empty:
            result.append(entry)
    return result


def digest_recipients(role):
    """Active users with an address and a membership of the role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=role)
        .exclude(email="")
        .select_related("mail_preference")
        .distinct()
        .order_by("pk")
    )
