"""Public follow-up events: the latest lists (cheap, index-ordered) and the rows the pages show.

Every read goes through ``FollowUpEvent.objects.public()`` (the public door).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    F,
    OuterRef,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import Truncator
from django.utils.translation import gettext

from followup.models import EventKind, FollowUpEvent
from promises.models import (
    Activity,
)


def public_events():
    """``FollowUpEvent.objects.public()`` with what a listing shows of each event joined in.

    Retracted events are included (pages show them as corrected); filter with ``counting()``
    where only standing events are wanted.
    """
    return FollowUpEvent.objects.public().select_related(
        "organisation", "activity__period__municipality"
    )


def latest_follow_ups(*, limit: int = 8, municipality=None):
    """The newest standing public events, newest first (by when they happened, then logged).

    Nationally PostgreSQL walks the ``event_latest_counting`` index and stops after ``limit``
    rows. For one kommun the events are found through the kommun's activities instead, so a kommun
    with few recent events never makes it walk the whole country's index.
    """
    events = public_events().counting().only(*LISTED_FIELDS)
    if municipality is not None:
        activities = Activity.objects.public().filter(period__municipality=municipality)
        events = events.filter(activity__in=activities.values("pk"))
    return events.order_by(*LATEST_FIRST)[:limit]


# What a list of events shows (``event_rows``, the feeds), with the joined activity, period and
# kommun: not their long texts and target history, which a list of fifty would read for nothing.
LISTED_FIELDS = (
    *("kind", "occurred_on", "quantity", "place", "summary", "logged_at", "retracted_at"),
    *("retraction_reason", "late_reason", "is_demo", "organisation__name"),
    *("activity__description", "activity__unit_singular", "activity__unit_plural"),
    *("activity__period__slug", "activity__period__title", "activity__period__ends_on"),
    *("activity__period__municipality__name", "activity__period__municipality__slug"),
)


LATEST_FIRST = ("-occurred_on", "-logged_at", "-id")


def latest_events_since(activities, *, limit: int, counting_only: bool = False) -> Subquery:
    """SQL for the cutoff day of ``latest_events_of_activities``: the ``limit``-th newest among
    the activities' own newest public events, each one step down its activity's
    ``event_activity_date`` index. At least ``limit`` events lie on or after that day, so none of
    the ``limit`` newest is missed; NULL when fewer than ``limit`` activities have events.

    ``activities`` is a queryset of public activities (it may refer to an outer query, e.g. the
    period or kommun being fetched, so the day comes with that row at no extra round trip).
    """
    newest = _listed_events(counting_only).filter(activity_id=OuterRef("pk"))
    newest = newest.order_by("-occurred_on").values("occurred_on")[:1]
    return Subquery(
        activities.annotate(newest=Subquery(newest))
        .order_by(F("newest").desc(nulls_last=True))
        .values("newest")[limit - 1 : limit]
    )


def _listed_events(counting_only: bool):
    events = FollowUpEvent.objects.public()
    return events.counting() if counting_only else events


def latest_events_of_activities(
    activities, *, limit: int, since: date | None, counting_only: bool = False
) -> list[FollowUpEvent]:
    """The newest public events of already fetched public activities (with their period), newest
    first, each given its activity from ``activities`` (no join to activity, period or kommun).

    ``since`` is the cutoff day worked out by ``latest_events_since`` for these activities and
    this ``limit`` (None: no cutoff). Only events on or after it are read, a handful, found by
    the activities' ``event_activity_date`` index, instead of sorting all of a kommun's
    thousands. (Written as a subquery in this query instead, the cutoff makes PostgreSQL walk the
    national date index.) ``counting_only`` leaves retracted events out. One query.
    """
    by_id = {activity.pk: activity for activity in activities}
    if not by_id:
        return []
    events = FollowUpEvent.objects.public_of(by_id.values())
    if counting_only:
        events = events.counting()
    if since is not None:
        events = events.filter(occurred_on__gte=since)
    latest = list(events.select_related("organisation").order_by(*LATEST_FIRST)[:limit])
    for event in latest:
        event.activity = by_id[event.activity_id]
    return latest


@dataclass(frozen=True)
class EventRow:
    """One public event as ``public/_event.html`` shows it, worked out in Python once (dates in
    words, addresses, the unit, the shortened activity description) rather than by a dozen
    filters and a ``{% url %}`` per event in the template. Values are plain text: the template
    escapes them."""

    pk: int
    occurred_iso: str
    occurred_text: str
    is_demo: bool
    is_retracted: bool
    late_text: str  # "12 maj 2026", the day it was logged, when logged after its period
    requested: bool
    quantity: int
    unit: str
    activity_url: str
    activity_text: str
    municipality_url: str
    municipality_name: str
    organisation_name: str
    place: str
    summary: str
    late_reason: str
    retraction_reason: str


def long_date(day: date) -> str:
    """ "12 maj 2026": what ``date:"j F Y"`` gives, without its per-call format lookups."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def event_rows(events) -> list[EventRow]:
    """The events as ``EventRow``s. Each event needs its activity with period and kommun loaded
    (as ``public_events()`` and ``latest_events_of_activities`` give them) and its organisation.
    No query; two ``reverse()`` calls whatever the number of events."""
    kommun_url = url_pattern("public:municipality_detail", KOMMUN_MARK)
    activity_url = url_pattern("public:activity_detail", KOMMUN_MARK, PERIOD_MARK, ACTIVITY_MARK)
    done = gettext("genomförd")
    rows = []
    for event in events:
        activity = event.activity
        period = activity.period
        municipality = period.municipality
        logged_on = timezone.localdate(event.logged_at)
        if activity.unit_plural:
            unit = activity.unit_singular if event.quantity == 1 else activity.unit_plural
        else:
            unit = done
        rows.append(
            EventRow(
                pk=event.pk,
                occurred_iso=event.occurred_on.isoformat(),
                occurred_text=long_date(event.occurred_on),
                is_demo=event.is_demo,
                is_retracted=event.retracted_at is not None,
                late_text=long_date(logged_on) if logged_on > period.ends_on else "",
                requested=event.kind == EventKind.REQUESTED,
                quantity=event.quantity,
                unit=unit,
                activity_url=activity_url.replace(KOMMUN_MARK, municipality.slug, 1)
                .replace(PERIOD_MARK, period.slug, 1)
                .replace(ACTIVITY_MARK, str(activity.pk), 1),
                activity_text=Truncator(activity.description).words(14, truncate=" …"),
                municipality_url=kommun_url.replace(KOMMUN_MARK, municipality.slug, 1),
                municipality_name=municipality.name,
                organisation_name=event.organisation.name,
                place=event.place,
                summary=event.summary,
                late_reason=event.late_reason,
                retraction_reason=event.retraction_reason,
            )
        )
    return rows


# Placeholders for url_pattern(): slugs and ids a real address never has.
KOMMUN_MARK, PERIOD_MARK, ACTIVITY_MARK = "zz-kommun-zz", "zz-period-zz", "987654321"


def url_pattern(name: str, *placeholders: str) -> str:
    """``reverse()`` once with placeholder slugs; fill them in per row with ``str.replace``: the
    same address as ``reverse()`` gives for slugs (letters, digits, - and _, which need no
    quoting), at a fraction of the cost in a list of many rows."""
    return reverse(name, args=placeholders)
