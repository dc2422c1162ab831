"""Reads for the public pages: published periods with their progress, in fixed query counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from followup.progress import ActivityProgress, Status, progress_for, rollup
from promises.models import Activity, Promise, PromisePeriod


@dataclass
class PeriodOverview:
    """A period with its promises, each activity's progress and the period's roll-up."""

    period: PromisePeriod
    sections: list[tuple[Promise | None, list[ActivityProgress]]]
    rollup: list[tuple[Status, int]]


def published_periods():
    """Published periods of every kommun, newest first, with what a listing shows prefetched.

    Anyone may see these; drafts and unpublished periods are never returned.
    """
    activities = Activity.objects.select_related("period").prefetch_related(
        "responsible_organisations"
    )
    return (
        PromisePeriod.objects.published()
        .select_related("municipality", "police_area")
        .prefetch_related(
            Prefetch("promises", queryset=Promise.objects.select_related("theme")),
            Prefetch("activities", queryset=activities),
        )
        .order_by("municipality__name", "-starts_on")
    )


def period_overviews(periods, *, today: date | None = None) -> list[PeriodOverview]:
    """Group each period's activities under their promises (cross-cutting ones last).

    Progress for all the periods' activities is computed in one query.
    """
    periods = list(periods)
    progresses = progress_for(
        [activity for period in periods for activity in period.activities.all()], today=today
    )
    overviews = []
    for period in periods:
        by_promise = {promise.pk: [] for promise in period.promises.all()}
        cross_cutting = []
        for activity in period.activities.all():
            target = by_promise.get(activity.promise_id, cross_cutting)
            target.append(progresses[activity.pk])
        sections = [(promise, by_promise[promise.pk]) for promise in period.promises.all()]
        if cross_cutting:
            sections.append((None, cross_cutting))
        period_progress = [progresses[activity.pk] for activity in period.activities.all()]
        overviews.append(PeriodOverview(period, sections, rollup(period_progress)))
    return overviews
