"""Reads for the public pages: published periods with their progress, in fixed query counts.

Everything here is public, and everything here reads through the public door: the querysets'
``public()`` methods (``PromisePeriod``, ``Promise``, ``Activity``, ``FollowUpEvent``,
``Deviation``) and ``FollowUpReport.objects.published()``, which hold the rules of what a citizen
may see (published periods only; police events of periods whose police publish only monthly
counts never one by one but summed per month by ``public_police_monthly()``; the internal note and
who logged an event never selected). Nothing here repeats those rules.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from followup.headline import Headline, headline
from followup.models import ActivityYearTotal, Deviation, FollowUpEvent
from followup.progress import (
    ActivityProgress,
    ActivityStatus,
    Status,
    public_progress_for,
    public_statuses_for,
    rollup,
)
from followup.public.event_queries import (
    EventRow,
    event_rows,
    latest_events_of_activities,
    latest_events_since,
)
from municipalities.models import Municipality, PoliceArea, PoliceAreaCoverage
from promises.models import (
    Activity,
    Amendment,
    AmendmentChange,
    Promise,
    PromiseDocument,
    PromisePeriod,
    TargetKind,
)
from promises.targets import target_text


@dataclass
class PeriodOverview:
    """A period with its promises, each activity's progress (or only its status and totals,
    ``ActivityStatus``, for a kommun's period cards) and the period's roll-up."""

    period: PromisePeriod
    sections: list[tuple[Promise | None, list[ActivityProgress | ActivityStatus]]]
    rollup: list[tuple[Status, int]]

    @property
    def activity_count(self) -> int:
        return sum(count for _, count in self.rollup)

    @cached_property
    def headline(self) -> Headline:
        """Measurable activities apart from ongoing work (``followup.headline``)."""
        return headline(self.progresses)

    @property
    def progresses(self) -> list[ActivityProgress | ActivityStatus]:
        return [progress for _, progresses in self.sections for progress in progresses]


def published_periods():
    """Published periods of every kommun, newest first, with what a listing shows prefetched.

    Anyone may see these; drafts and unpublished periods are never returned.
    """
    # No select_related("period"): the prefetch sets each activity's period to the one fetched.
    # The responsible organisations are not fetched: the period page reads their names alone
    # (``responsible_names``), which is a third of the time of making them into organisations.
    activities = Activity.objects.public()
    return (
        PromisePeriod.objects.public()
        .select_related("municipality", "police_area")
        .prefetch_related(
            Prefetch("promises", queryset=Promise.objects.public().select_related("theme")),
            Prefetch("activities", queryset=activities),
        )
        .order_by("municipality__name", "-starts_on")
    )


def period_overviews(
    periods, *, today: date | None = None, buckets: bool = True
) -> list[PeriodOverview]:
    """Group each period's activities under their promises (cross-cutting ones last).

    Progress for all the periods' activities is computed in one query, as the public may see
    it (``public_progress_for``: the police monthly guard holds back the running month). Without
    ``buckets`` each activity has only its status and totals (``public_statuses_for``: what the
    roll-up and the headline need, for a kommun's period cards).
    """
    periods = list(periods)
    activities = [activity for period in periods for activity in period.activities.all()]
    if buckets:
        progresses = public_progress_for(activities, today=today)
    else:
        progresses = public_statuses_for(activities, today=today)
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


# --- The national index ---------------------------------------------------------------------------


def active_periods(today: date):
    """Published periods in force on the day."""
    return PromisePeriod.objects.public().covering(today)


@dataclass(frozen=True)
class NationalCounts:
    municipalities_with_active_promise: int
    active_activities: int
    follow_ups_this_year: int


def national_counts(*, today: date | None = None) -> NationalCounts:
    """The index's three headline numbers, each one aggregate query.

    Follow-ups this year are the counting (non-retracted) events of published periods that
    happened this calendar year (police events of monthly-only periods included: a total shows
    no date or place).
    """
    today = today or timezone.localdate()
    active = active_periods(today)
    municipalities = active.aggregate(n=Count("municipality", distinct=True))["n"]
    activities = Activity.objects.public().filter(period__in=active.values("pk")).count()
    follow_ups = ActivityYearTotal.objects.public_event_count(today.year, today)
    return NationalCounts(municipalities, activities, follow_ups)


# The index's status filter (?status=…): how a kommun's current period stands, from its
# activities with a number or a milestone (ongoing work has no number to be behind on).
INDEX_STATUSES = {
    "behind": _("Efter plan"),
    "on_track": _("Enligt plan"),
    "achieved": _("Uppnått"),
}
MEASURABLE_KINDS = {TargetKind.COUNT, TargetKind.MILESTONE}


def period_status(progresses) -> str | None:
    """How a period stands, for the index's filter: "behind", "on_track", "achieved" or None.

    Behind: an activity with a target is Efter plan or Ej uppnått. Achieved: every activity with
    a target is Uppnått. On track: neither (what has a target is achieved, on track, not started
    yet or upcoming). None: the period has no activity with a target.
    """
    statuses = [p.status for p in progresses if p.activity.target_kind in MEASURABLE_KINDS]
    if not statuses:
        return None
    if any(status in (Status.BEHIND, Status.NOT_ACHIEVED) for status in statuses):
        return "behind"
    if all(status == Status.ACHIEVED for status in statuses):
        return "achieved"
    return "on_track"


def current_period_statuses(*, today: date | None = None) -> dict[int, str]:
    """Kommun id → status (``period_status``) of its published periods in force today.

    A kommun with more than one period in force takes the newest. Three queries whatever the
    number of kommuner: the periods, their activities and the progress sums. Public data only,
    progress included (``public_progress_for``: the police monthly guard holds back the running
    month, so the filter cannot reveal this month's police work either).
    """
    today = today or timezone.localdate()
    periods = list(
        active_periods(today)
        .prefetch_related(Prefetch("activities", queryset=Activity.objects.public()))
        .order_by("municipality_id", "starts_on")
    )
    progresses = public_progress_for(
        [activity for period in periods for activity in period.activities.all()], today=today
    )
    statuses = {}
    for period in periods:  # the newest period of a kommun comes last and wins
        statuses[period.municipality_id] = period_status(
            [progresses[activity.pk] for activity in period.activities.all()]
        )
    return {pk: status for pk, status in statuses.items() if status}


def _normalised_search(text: str) -> str:
    """A search as a slug: case and å/ä/ö folded ("Tranås", "TRANAS" → "tranas")."""
    return slugify(text)


def municipality_search(
    *,
    query: str = "",
    county=None,
    theme=None,
    active_only: bool = False,
    among=None,
    today: date | None = None,
):
    """Kommuner matching a search, for the index; each with its current published period.

    ``among`` (kommun ids, e.g. those of one status from ``current_period_statuses``) keeps
    only those kommuner.

    The query matches the kommun's name case-insensitively, or its folded slug, so "tranas",
    "Tranås" and "TRANÅS" all find Tranås. A theme keeps kommuner with a published promise on it
    (in force today when ``active_only``). Annotates ``active_title``/``active_slug`` (the newest
    period in force today, if any) and ``published_count``.
    """
    today = today or timezone.localdate()
    municipalities = Municipality.objects.select_related("county")
    query = query.strip()
    if query:
        matches = Q(name__icontains=query)
        folded = _normalised_search(query)
        if folded:
            matches |= Q(slug__icontains=folded)
        municipalities = municipalities.filter(matches)
    if county is not None:
        municipalities = municipalities.filter(county=county)
    if among is not None:
        municipalities = municipalities.filter(pk__in=list(among))
    periods = PromisePeriod.objects.public().filter(municipality=OuterRef("pk"))
    if active_only:
        periods = periods.covering(today)
    if theme is not None:
        periods = periods.filter(promises__theme=theme)
    if active_only or theme is not None:
        municipalities = municipalities.filter(Exists(periods))
    current = active_periods(today).filter(municipality=OuterRef("pk")).order_by("-starts_on")
    published_count = (
        PromisePeriod.objects.public()
        .filter(municipality=OuterRef("pk"))
        .order_by()
        .values("municipality")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return municipalities.annotate(
        active_title=Subquery(current.values("title")[:1]),
        active_slug=Subquery(current.values("slug")[:1]),
        published_count=Subquery(published_count),
    ).order_by("name")


# --- A kommun ----------------------------------------------------------------------------------


KOMMUN_EVENTS = 5


def municipality_for_page():
    """Kommuner with their län and police region, each annotated ``latest_events_since``: the
    cutoff day of the kommun page's latest standing events (``latest_events_since``)."""
    activities = Activity.objects.public().filter(period__municipality=OuterRef("pk"))
    return Municipality.objects.with_geography().annotate(
        latest_events_since=latest_events_since(activities, limit=KOMMUN_EVENTS, counting_only=True)
    )


def municipality_periods(municipality):
    """The kommun's published periods, newest first, with their promises and activities (the
    period cards name no responsible organisations, so those are not fetched)."""
    return (
        PromisePeriod.objects.public()
        .filter(municipality=municipality)
        .select_related("municipality", "police_area")
        .prefetch_related(
            Prefetch("promises", queryset=Promise.objects.public().select_related("theme")),
            Prefetch("activities", queryset=Activity.objects.public()),
        )
        .order_by("-starts_on")
    )


def latest_events_of_municipality(municipality, overviews) -> list[EventRow]:
    """The kommun page's latest standing events, from its periods' already fetched activities;
    the kommun must come from ``municipality_for_page()``. One query."""
    activities = [a for overview in overviews for a in overview.period.activities.all()]
    events = latest_events_of_activities(
        activities,
        limit=KOMMUN_EVENTS,
        since=municipality.latest_events_since,
        counting_only=True,
    )
    return event_rows(events)


def police_areas_of(municipality):
    return PoliceArea.objects.filter(municipalities=municipality).order_by("name")


def police_area_names(municipality) -> list[str]:
    """Names of the police areas covering the kommun, from our sourced list. One query.

    Shown as text: the portal's pages link to no other site (the neighbours listed beside them
    are the way on)."""
    coverage = PoliceAreaCoverage.objects.filter(municipality=municipality)
    return list(coverage.order_by("police_area__name").values_list("police_area__name", flat=True))


def neighbours_of(municipality, *, limit: int = 20):
    """Kommuner near one: in the same police area first, then in the same län; those with a
    published medborgarlöfte before the others, then by name. Each is annotated
    ``same_police_area`` and ``has_promise``. One query."""
    areas = PoliceAreaCoverage.objects.filter(municipality=municipality).values("police_area")
    same_area = Exists(
        PoliceAreaCoverage.objects.filter(municipality=OuterRef("pk"), police_area__in=areas)
    )
    has_promise = Exists(PromisePeriod.objects.public().filter(municipality=OuterRef("pk")))
    return (
        Municipality.objects.annotate(same_police_area=same_area, has_promise=has_promise)
        .filter(Q(same_police_area=True) | Q(county_id=municipality.county_id))
        .exclude(pk=municipality.pk)
        .order_by("-same_police_area", "-has_promise", "name")[:limit]
    )


# --- A period ----------------------------------------------------------------------------------


PERIOD_EVENTS = 10


def period_for_page():
    """Published periods with their promises and activities prefetched, each annotated
    ``latest_events_since`` (the cutoff day of its latest events) and, for each of the period
    page's short lists that are often empty (signatories, sources, published reports,
    amendments, documents), ``has_…``: whether there is any, so that ``period_page`` reads only
    the lists that are there (each still through its own door)."""
    from followup.models import FollowUpReport
    from promises.models import Signatory, SituationSource

    activities = Activity.objects.public().filter(period=OuterRef("pk"))
    of_period = {"period": OuterRef("pk")}
    return (
        published_periods()
        .annotate(
            latest_events_since=latest_events_since(activities, limit=PERIOD_EVENTS),
            has_signatories=Exists(Signatory.objects.filter(**of_period)),
            has_sources=Exists(SituationSource.objects.filter(**of_period)),
            has_reports=Exists(FollowUpReport.objects.frozen().filter(**of_period)),
            has_amendments=Exists(Amendment.objects.filter(**of_period)),
            has_documents=Exists(PromiseDocument.objects.filter(**of_period)),
        )
        .select_related("municipality__county")
    )


def deviations_by_activity(activities) -> dict[int, list[Deviation]]:
    """Public deviations of the activities (fetched with their period), newest bucket first,
    grouped by activity (one query)."""
    grouped = defaultdict(list)
    deviations = Deviation.objects.public_of(activities).only(
        "id", "activity_id", "bucket_start", "reason", "text", "created_at", "is_demo"
    )
    for deviation in deviations:
        grouped[deviation.activity_id].append(deviation)
    return grouped


@dataclass
class MonthCount:
    month: date
    quantity: int
    events: int


def police_monthly_counts(
    activity_ids, *, today: date | None = None
) -> dict[int, list[MonthCount]]:
    """Police events of periods that publish monthly counts only, summed per activity and month,
    for the months that have ended by ``today`` (default: today).

    One query through ``FollowUpEvent.objects.public_police_monthly()``.
    """
    rows = FollowUpEvent.objects.public_police_monthly(today=today).filter(
        activity_id__in=list(activity_ids)
    )
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["activity_id"]].append(
            MonthCount(date(int(row["year"]), int(row["month"]), 1), row["quantity"], row["events"])
        )
    return grouped


# --- Page compositions -------------------------------------------------------------------------


@dataclass
class ActivityCard:
    """One activity as a page shows it: its progress, deviations and, if so, monthly counts."""

    progress: ActivityProgress
    deviations: list[Deviation]
    monthly_counts: list[MonthCount]
    # Worked out once here rather than per card in the template: its page's address, the
    # responsible organisations' names and the target in words.
    url: str = ""
    responsible: str = ""
    target_text: str = ""
    # The card as HTML, set by ``followup.public.cards.render_cards`` for the period page.
    html: str = ""

    @property
    def activity(self):
        return self.progress.activity


def activity_url_prefix(period) -> str:
    """The address of the period's activity pages up to the activity's id (one ``reverse``
    for a whole page: append ``f"{activity.pk}/"``)."""
    url = reverse(
        "public:activity_detail", args=[period.municipality.slug, period.slug, ACTIVITY_ID_MARK]
    )
    return url.removesuffix(f"{ACTIVITY_ID_MARK}/")


ACTIVITY_ID_MARK = 987654321


def activity_card(
    progress, deviations, monthly_counts, *, url_prefix: str, responsible: str
) -> ActivityCard:
    """An activity's card: its progress and what its card shows besides, as plain values."""
    activity = progress.activity
    return ActivityCard(
        progress,
        deviations,
        monthly_counts,
        url=f"{url_prefix}{activity.pk}/",
        responsible=responsible,
        target_text=target_text(activity),
    )


def responsible_names(activity_ids) -> dict[int, str]:
    """Activity id → its responsible organisations' names by name, comma-separated, as its card
    says under "Ansvarar" (one query over the links, no organisations made)."""
    links = (
        Activity.responsible_organisations.through.objects.filter(activity_id__in=activity_ids)
        .order_by("organisation__name", "organisation_id")
        .values_list("activity_id", "organisation__name")
    )
    names = defaultdict(list)
    for activity_id, name in links:
        names[activity_id].append(name)
    return {activity_id: ", ".join(listed) for activity_id, listed in names.items()}


@dataclass
class PeriodPage:
    overview: PeriodOverview
    sections: list[tuple[Promise | None, list[ActivityCard]]]
    latest_events: list[EventRow]
    reports: list
    amendments: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    signatories: list = field(default_factory=list)
    sources: list = field(default_factory=list)


def published_reports(period):
    """The period's published follow-up reports, newest first (drafts are never public)."""
    from followup.models import FollowUpReport

    return (
        FollowUpReport.objects.published()
        .filter(period=period)
        .only("id", "kind", "year", "tertial", "version", "published_at", "period_id")
        .order_by("-year", "-tertial", "-version")
    )


def period_page(period, *, today: date | None = None) -> PeriodPage:
    """Everything the period page shows below an already fetched period, in constant queries.

    The period must come from ``period_for_page()``. Queries: the progress sums, the deviations,
    the responsible organisations' names, the latest ``PERIOD_EVENTS`` events, when police
    publish monthly counts only those counts, and of the signatories, sources, published
    reports, amendments and documents those that the period has (``period_for_page``'s
    ``has_…``).
    """
    from promises.models import Signatory

    overview = period_overviews([period], today=today)[0]
    ids = [activity.pk for activity in period.activities.all()]
    deviations = deviations_by_activity(period.activities.all())
    monthly = (
        police_monthly_counts(ids, today=today) if period.police_monthly_only_in_public else {}
    )
    prefix = activity_url_prefix(period)
    responsible = responsible_names(ids)
    sections = [
        (
            promise,
            [
                activity_card(
                    progress,
                    deviations.get(progress.activity.pk, []),
                    monthly.get(progress.activity.pk, []),
                    url_prefix=prefix,
                    responsible=responsible.get(progress.activity.pk, ""),
                )
                for progress in progresses
            ],
        )
        for promise, progresses in overview.sections
    ]
    latest = event_rows(latest_events_of_period(period))
    return PeriodPage(
        overview,
        sections,
        latest,
        _listed(period.has_reports, published_reports(period)),
        amendments=amendments_of(period) if period.has_amendments else [],
        documents=_listed(
            period.has_documents,
            PromiseDocument.objects.public().filter(period=period).defer("frozen_data"),
        ),
        signatories=_listed(
            period.has_signatories,
            Signatory.objects.filter(period=period).select_related("organisation"),
        ),
        sources=_listed(period.has_sources, period.sources.all()),
    )


def _listed(present: bool, queryset) -> list:
    """The queryset as a list when there is something to list, else [] without a query."""
    return list(queryset) if present else []


# --- Amendments (issue 12) ---------------------------------------------------------------------


def amendments_of(period) -> list[Amendment]:
    """The public amendments of a published period, newest first, each with its changes as
    ``amendment.change_list`` (one query: the changes with their amendment joined)."""
    changes = (
        AmendmentChange.objects.filter(
            amendment__in=Amendment.objects.public().filter(period=period)
        )
        .select_related("amendment")
        .order_by("-amendment__number", "id")
    )
    amendments = {}
    for change in changes:
        amendment = amendments.setdefault(change.amendment_id, change.amendment)
        amendment.__dict__.setdefault("change_list", []).append(change)
    return list(amendments.values())


def latest_amendments(*, limit: int, municipality=None) -> list[Amendment]:
    """The newest public amendments, for the feeds, with their period and kommun (one query)."""
    amendments = (
        Amendment.objects.public()
        .select_related("period__municipality")
        .prefetch_related("changes")
    )
    if municipality is not None:
        amendments = amendments.filter(period__municipality=municipality)
    return list(amendments.order_by("-created_at", "-id")[:limit])


def latest_events_of_period(period) -> list[FollowUpEvent]:
    """The newest public events of a period from ``period_for_page()``, standing and retracted
    (``latest_events_of_activities`` over its prefetched activities). One query."""
    return latest_events_of_activities(
        period.activities.all(), limit=PERIOD_EVENTS, since=period.latest_events_since
    )
