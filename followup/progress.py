"""Progress of activities, derived from follow-up events by the rules of DESIGN §4 ("Så räknar vi").

Nothing here is stored. One SQL query sums the quantities of the counting (non-retracted) events
of any number of activities, grouped by activity, bucket and event kind; everything else is
arithmetic on dates in Python, so a page needs the same number of queries whatever its size.

Buckets are calendar units (year, tertial, month) clipped to the period, or the whole period.
Rates (per week, per day) are followed up per calendar year clipped to the period. A bucket only
partly inside the period has its target prorated by days and rounded up, except per week: weeks
count whole, so a calendar year holds 52 × the rate and a partial year the whole weeks inside it
(every Friday and Saturday of a year meets "2 per vecka"). A milestone may have a due date.

An event's bucket is identified by a *bucket key* that SQL and Python compute the same way:
year → 2024, tertial → 20242 (year × 10 + tertial), month → 202405 (year × 100 + month),
week and day → the year, the whole period and targets without a number → 0.

Progress is computed *as of* a day (``today``: events that happened by then) and, for documents
that show what was known at a moment, only from events logged by that moment (``logged_by``).
A *span* (a report's tertial or year) is summarised by ``ActivityProgress.span``: what was done
inside it, the buckets overlapping it and the status at its end, from the same single query.
"""

import calendar
import copy
import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db import models
from django.db.models import Case, IntegerField, Min, Q, Sum, Value, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from followup.models import EventKind, FollowUpEvent
from promises.models import Activity, Cadence, TargetKind

RATE_CADENCES = {Cadence.WEEK, Cadence.DAY}


class Status(models.TextChoices):
    """Derived status of a bucket or an activity, in the order a roll-up lists them."""

    ACHIEVED = "achieved", _("Uppnått")
    ON_TRACK = "on_track", _("Enligt plan")
    IN_PROGRESS = "in_progress", _("Pågår")
    BEHIND = "behind", _("Efter plan")
    NOT_STARTED = "not_started", _("Ej påbörjad")
    NOT_ACHIEVED = "not_achieved", _("Ej uppnått")
    ENDED = "ended", _("Avslutad")
    NOT_REPORTED = "not_reported", _("Ingen uppföljning registrerad")
    UPCOMING = "upcoming", _("Kommande")


STATUS_ORDER = list(Status)


# --- Buckets ------------------------------------------------------------------------------------


def _tertial_of(day: date) -> int:
    return (day.month + 3) // 4


def bucket_key(cadence: str, day: date) -> int:
    """The key of the bucket that contains the day (the Python twin of ``bucket_key_sql``)."""
    if cadence == Cadence.YEAR or cadence in RATE_CADENCES:
        return day.year
    if cadence == Cadence.TERTIAL:
        return day.year * 10 + _tertial_of(day)
    if cadence == Cadence.MONTH:
        return day.year * 100 + day.month
    return 0


def bucket_key_sql(activities: Iterable[Activity] | None = None):
    """SQL expression of an event's bucket key, from its activity's cadence and its date.

    Given the (already fetched) activities, the cadence is taken from them by id, so the query
    needs no join to the activity table; otherwise it is read from the joined activity.
    """
    # Cast: PostgreSQL's EXTRACT returns numeric, and tertials need integer division.
    year = Cast(ExtractYear("occurred_on"), IntegerField())
    month = Cast(ExtractMonth("occurred_on"), IntegerField())
    keys = [
        ([Cadence.YEAR, *RATE_CADENCES], year),
        ([Cadence.TERTIAL], year * 10 + (month + 3) / 4),
        ([Cadence.MONTH], year * 100 + month),
    ]
    if activities is None:
        cases = [When(activity__cadence__in=cadences, then=key) for cadences, key in keys]
    else:
        activities = list(activities)
        cases = []
        for cadences, key in keys:
            ids = [activity.pk for activity in activities if activity.cadence in cadences]
            if ids:
                cases.append(When(activity_id__in=ids, then=key))
    if not cases:
        return Value(0, output_field=IntegerField())
    return Case(*cases, default=Value(0), output_field=IntegerField())


def _calendar_unit(cadence: str, day: date) -> tuple[date, date]:
    """First and last day of the calendar unit (year, tertial, month) containing the day."""
    if cadence == Cadence.TERTIAL:
        first_month = (_tertial_of(day) - 1) * 4 + 1
        last_month = first_month + 3
        return (
            date(day.year, first_month, 1),
            date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]),
        )
    if cadence == Cadence.MONTH:
        return (
            date(day.year, day.month, 1),
            date(day.year, day.month, calendar.monthrange(day.year, day.month)[1]),
        )
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def _whole_weeks(days: int) -> int:
    return days // 7


@dataclass(frozen=True)
class BucketSpan:
    """Where a bucket lies: its key, its dates clipped to the period, and its full calendar unit."""

    key: int
    start: date
    end: date
    unit_start: date
    unit_end: date

    @property
    def days(self) -> int:
        return _days(self.start, self.end)

    @property
    def is_partial(self) -> bool:
        return (self.start, self.end) != (self.unit_start, self.unit_end)


def bucket_spans(cadence: str, period_start: date, period_end: date) -> list[BucketSpan]:
    """The buckets of a cadence over a period, in order, each clipped to the period."""
    return list(_bucket_spans(cadence, period_start, period_end))


@functools.lru_cache(maxsize=4096)
def _bucket_spans(cadence: str, period_start: date, period_end: date) -> tuple[BucketSpan, ...]:
    """``bucket_spans`` worked out once per cadence and dates: every activity of a period with
    the same cadence has the same buckets, and a kommun's page shows a hundred activities. The
    spans are frozen, so sharing them is safe; the cache holds dates only, never data."""
    return tuple(_spans(cadence, period_start, period_end))


def _spans(cadence: str, period_start: date, period_end: date) -> list[BucketSpan]:
    if cadence not in (Cadence.YEAR, Cadence.TERTIAL, Cadence.MONTH, *RATE_CADENCES):
        return [BucketSpan(0, period_start, period_end, period_start, period_end)]
    spans, day = [], period_start
    while day <= period_end:
        unit_start, unit_end = _calendar_unit(cadence, day)
        spans.append(
            BucketSpan(
                key=bucket_key(cadence, day),
                start=max(unit_start, period_start),
                end=min(unit_end, period_end),
                unit_start=unit_start,
                unit_end=unit_end,
            )
        )
        day = unit_end + timedelta(days=1)
    return spans


def bucket_target(activity: Activity, span: BucketSpan) -> int | None:
    """The target of one bucket: prorated by days and rounded up when the bucket is partial."""
    if activity.target_kind != TargetKind.COUNT:
        return None
    quantity = activity.target_quantity
    if activity.cadence == Cadence.DAY:
        return math.ceil(quantity * span.days)
    if activity.cadence == Cadence.WEEK:
        # Whole weeks only: 365 or 366 days hold 52 weeks, not 52.1 or 52.3 rounded up to 53.
        return quantity * _whole_weeks(span.days)
    if activity.cadence == Cadence.PERIOD or not span.is_partial:
        return quantity
    unit_days = _days(span.unit_start, span.unit_end)
    # Integer arithmetic: ceil(q × d / D) without floating-point surprises.
    return -(-quantity * span.days // unit_days)


# --- Targets changed by amendments (issue 12) ----------------------------------------------------


def target_in_force(activity: Activity, span: BucketSpan) -> int | None:
    """The bucket's target under the target in force for it: a bucket that ended before an
    amendment applied keeps the target it had; a bucket running on or after that day has the
    amended one. Reads ``Activity.target_history`` (written by the amendment), no query.

    An earlier target is used only when it was a count with the same cadence: a change of kind
    or cadence makes other buckets, so the amended rule then counts the whole period.
    """
    earlier = _earlier_target(activity, span.end)
    return bucket_target(earlier or activity, span)


def _earlier_target(activity: Activity, end: date) -> Activity | None:
    """The activity as it was before the first amendment that applied after ``end``, if any."""
    for entry in activity.target_history:
        if end < date.fromisoformat(entry["applies_from"]):
            if entry["kind"] != TargetKind.COUNT or entry["cadence"] != activity.cadence:
                return None
            earlier = copy.copy(activity)
            earlier.target_quantity = entry["quantity"]
            return earlier
    return None


def bucket_label(cadence: str, span: BucketSpan) -> str:
    if cadence == Cadence.MONTH:
        # What date_format(span.start, "F Y") gives, without its per-call format lookups: a
        # page shows many month buckets.
        return f"{MONTHS[span.start.month]} {span.start.year}"
    if cadence == Cadence.TERTIAL:
        return _("T%(number)s %(year)s") % {
            "number": _tertial_of(span.start),
            "year": span.start.year,
        }
    if cadence == Cadence.YEAR or cadence in RATE_CADENCES:
        return str(span.start.year)
    return str(_("Hela perioden"))


# --- Progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketProgress:
    """Promised against done in one bucket, with its status as of ``today``."""

    span: BucketSpan
    cadence: str
    target: int | None
    done: int
    expected: int | None
    status: Status

    @cached_property
    def label(self) -> str:
        """ "maj 2024", "T2 2024", "2024": worked out when shown (most buckets never are)."""
        return bucket_label(self.cadence, self.span)

    @property
    def start(self) -> date:
        return self.span.start

    @property
    def end(self) -> date:
        return self.span.end

    @property
    def percent(self) -> int:
        """Share of the target done, 0–100, for drawing a bar (never shown alone)."""
        if not self.target:
            return 0
        return min(100, round(100 * self.done / self.target))


def _elapsed_days(span: BucketSpan, today: date) -> int:
    if today < span.start:
        return 0
    return _days(span.start, min(today, span.end))


def _has_ended(end: date, today: date, closed: bool) -> bool:
    """Whether what ends on ``end`` is over on ``today``; ``closed``: judged once today is over."""
    return end < today or (closed and end == today)


def _bucket_status(span, target, done, expected, today, closed=False) -> Status:
    if today < span.start:
        return Status.UPCOMING
    if done >= target:
        return Status.ACHIEVED
    if _has_ended(span.end, today, closed):
        return Status.NOT_ACHIEVED
    if done == 0:
        return Status.NOT_STARTED
    return Status.ON_TRACK if done >= expected else Status.BEHIND


def _expected(cadence, span, target, today) -> int:
    """Expected to date, rounded down to whole units: the target times the elapsed share of the
    bucket, in days, or for a weekly rate in whole weeks (the rate × the whole weeks elapsed)."""
    elapsed = _elapsed_days(span, today)
    if cadence == Cadence.WEEK:
        weeks = _whole_weeks(span.days)
        return target * _whole_weeks(elapsed) // weeks if weeks else 0
    return target * elapsed // span.days


def _bucket_progress(activity, span, done, today, closed=False) -> BucketProgress:
    target = target_in_force(activity, span)
    running = span.start <= today and not _has_ended(span.end, today, closed)
    expected = _expected(activity.cadence, span, target, today) if running else None
    return BucketProgress(
        span=span,
        cadence=activity.cadence,
        target=target,
        done=done,
        expected=expected,
        status=_bucket_status(span, target, done, expected, today, closed),
    )


def _ended_summary_phrase(cadence: str, count: int) -> str:
    """Whole sentences per cadence, so that translators see them."""
    if cadence == Cadence.TERTIAL:
        return ngettext(
            "%(achieved)s av %(count)s avslutat tertial uppnått",
            "%(achieved)s av %(count)s avslutade tertial uppnådda",
            count,
        )
    if cadence == Cadence.MONTH:
        return ngettext(
            "%(achieved)s av %(count)s avslutad månad uppnått",
            "%(achieved)s av %(count)s avslutade månader uppnådda",
            count,
        )
    # Years, and the rates (per week, per day) that are followed up per year.
    return ngettext(
        "%(achieved)s av %(count)s avslutat år uppnått",
        "%(achieved)s av %(count)s avslutade år uppnådda",
        count,
    )


@dataclass(frozen=True)
class SpanProgress:
    """How an activity stood over a span of days (a report's tertial or year), judged at its end.

    ``as_of`` is the span's last day once that day is over (``ended``), otherwise today (the span
    is still running). ``done`` and ``requested`` are the quantities of events inside the span;
    ``done_total`` and ``requested_total`` those in the period up to ``as_of``, before the span
    too. ``buckets`` are the count buckets overlapping the span, with what was done in each by
    ``as_of`` and their status then; ``bucket_spans`` are the overlapping buckets of any activity
    (one, the whole period, for an activity without a number), e.g. to pick its deviations.
    """

    activity: Activity
    start: date
    end: date
    as_of: date
    ended: bool
    status: Status
    buckets: list[BucketProgress]
    bucket_spans: list[BucketSpan]
    done: int
    requested: int
    done_total: int
    requested_total: int

    @property
    def target(self) -> int | None:
        """The targets of the overlapping buckets together; None without a number."""
        return sum(bucket.target for bucket in self.buckets) if self.buckets else None

    @property
    def done_in_buckets(self) -> int:
        """Done in the overlapping buckets by ``as_of`` (a year's count in its T1 report too)."""
        return sum(bucket.done for bucket in self.buckets)

    @property
    def ended_buckets(self) -> list[BucketProgress]:
        return [b for b in self.buckets if _has_ended(b.end, self.as_of, self.ended)]

    @property
    def expected(self) -> int | None:
        """Expected by ``as_of``: ended buckets in full plus the running one's share to date.

        None when no overlapping bucket is running: then the outcome is known, or nothing is due.
        """
        running = [bucket for bucket in self.buckets if bucket.expected is not None]
        if not running:
            return None
        ended = sum(bucket.target for bucket in self.ended_buckets)
        return ended + sum(bucket.expected for bucket in running)

    @property
    def percent(self) -> int:
        """Share of the target done, 0–100, for drawing a bar (never shown alone)."""
        return _percent(self.done_in_buckets, self.target)

    @property
    def expected_percent(self) -> int:
        return _percent(self.expected or 0, self.target)

    @property
    def summary(self) -> str:
        """E.g. "10 av 12 avslutade månader uppnådda"; empty for a span of one bucket."""
        ended = self.ended_buckets
        if len(self.buckets) < 2 or not ended:
            return ""
        achieved = sum(bucket.status == Status.ACHIEVED for bucket in ended)
        return _ended_summary_phrase(self.activity.cadence, len(ended)) % {
            "achieved": achieved,
            "count": len(ended),
        }


def _percent(part: int, whole: int | None) -> int:
    return min(100, round(100 * part / whole)) if whole else 0


def _span_status(activity, buckets, done_total, as_of, closed) -> Status:
    """A count activity's status at a span's end: its running bucket's, or once all overlapping
    buckets have ended, Uppnått only if every one was. Others as for the whole period."""
    if activity.target_kind != TargetKind.COUNT:
        return _overall_status(activity, buckets, done_total, as_of, closed)
    if not buckets or all(bucket.status == Status.UPCOMING for bucket in buckets):
        return Status.UPCOMING
    running = [b for b in buckets if b.start <= as_of and not _has_ended(b.end, as_of, closed)]
    if running:
        return running[0].status
    if all(bucket.status == Status.ACHIEVED for bucket in buckets):
        return Status.ACHIEVED
    return Status.NOT_ACHIEVED


@dataclass
class ActivityProgress:
    """Everything the pages and documents show about how far an activity has come."""

    activity: Activity
    today: date
    status: Status
    buckets: list[BucketProgress] = field(default_factory=list)
    done_total: int = 0
    requested_total: int = 0
    # The day the first counting event that did the work happened: when a milestone was done.
    done_on: date | None = None
    # {(start, end): {(bucket key, kind): (quantity by the span's end, quantity inside it)}}
    span_sums: dict = field(default_factory=dict, repr=False)

    # Cached: templates ask for these many times, and a progress is never changed once built.
    @cached_property
    def todays_bucket(self) -> BucketProgress | None:
        """The bucket containing today; None before and after the period."""
        return next((b for b in self.buckets if b.start <= self.today <= b.end), None)

    @cached_property
    def current(self) -> BucketProgress | None:
        """The bucket containing today; before the period the first, after it the last."""
        if not self.buckets:
            return None
        if self.todays_bucket is not None:
            return self.todays_bucket
        return self.buckets[0] if self.today < self.buckets[0].start else self.buckets[-1]

    @cached_property
    def ended_buckets(self) -> list[BucketProgress]:
        return [bucket for bucket in self.buckets if bucket.end < self.today]

    @property
    def summary(self) -> str:
        """E.g. "3 av 4 avslutade månader uppnådda"; empty when no bucket has ended."""
        ended = self.ended_buckets
        if not ended or self.activity.cadence == Cadence.PERIOD or not self.buckets:
            return ""
        achieved = sum(bucket.status == Status.ACHIEVED for bucket in ended)
        return _ended_summary_phrase(self.activity.cadence, len(ended)) % {
            "achieved": achieved,
            "count": len(ended),
        }

    @property
    def achieved_rate(self) -> float | None:
        """For rate targets: the achieved rate in the current bucket ("0,9 per dygn")."""
        bucket = self.current
        if self.activity.cadence not in RATE_CADENCES or bucket is None:
            return None
        elapsed = _elapsed_days(bucket.span, self.today)
        if elapsed == 0:
            return None
        per_day = bucket.done / elapsed
        return per_day * 7 if self.activity.cadence == Cadence.WEEK else per_day

    def span(self, start: date, end: date) -> SpanProgress:
        """The activity over the days ``start``–``end``, judged at the span's end.

        The span must have been asked of ``progress_for(..., spans=[(start, end)])``, which sums
        it in the same query. Events after the span's end do not count; buckets that end with the
        span show their outcome once its last day is over (before ``today``).
        """
        if (start, end) not in self.span_sums:
            raise ValueError(f"Span {start}–{end} was not passed to progress_for(spans=…).")
        closed = end < self.today
        as_of = end if closed else self.today
        until_end, inside = Counter(), Counter()
        done_by_key = Counter()
        for (key, kind), (by_end, in_span) in self.span_sums[(start, end)].items():
            until_end[kind] += by_end
            inside[kind] += in_span
            if kind != EventKind.REQUESTED:
                done_by_key[key] += by_end
        activity, period = self.activity, self.activity.period
        spans = [
            span
            for span in bucket_spans(activity.cadence, period.starts_on, period.ends_on)
            if span.start <= end and span.end >= start
        ]
        buckets = []
        if activity.target_kind == TargetKind.COUNT:
            buckets = [
                _bucket_progress(activity, span, done_by_key[span.key], as_of, closed)
                for span in spans
            ]
        done_total = until_end[EventKind.DONE]
        return SpanProgress(
            activity=activity,
            start=start,
            end=end,
            as_of=as_of,
            ended=closed,
            status=_span_status(activity, buckets, done_total, as_of, closed),
            buckets=buckets,
            bucket_spans=spans,
            done=inside[EventKind.DONE],
            requested=inside[EventKind.REQUESTED],
            done_total=done_total,
            requested_total=until_end[EventKind.REQUESTED],
        )


def _overall_status(activity, buckets, done_total, today, closed=False) -> Status:
    period = activity.period
    if today < period.starts_on:
        return Status.UPCOMING
    ended = _has_ended(period.ends_on, today, closed)
    if activity.target_kind == TargetKind.COUNT:
        if not ended:
            current = next(b for b in buckets if b.start <= today <= b.end)
            return current.status
        if all(bucket.status == Status.ACHIEVED for bucket in buckets):
            return Status.ACHIEVED
        return Status.NOT_ACHIEVED
    if activity.target_kind == TargetKind.MILESTONE:
        return _milestone_status(activity, done_total, today, ended, closed)
    if activity.target_kind == TargetKind.ON_REQUEST:
        return Status.ENDED if ended else Status.IN_PROGRESS
    # Ongoing work: followed up by narrative; no number to compare against, so an ended period
    # without any logged event says exactly that rather than claiming failure.
    if ended:
        return Status.ENDED if done_total else Status.NOT_REPORTED
    return Status.IN_PROGRESS if done_total else Status.NOT_STARTED


def _milestone_status(activity, done_total, today, ended, closed) -> Status:
    """Uppnått once done, whenever that was. Not done: Ej uppnått once the period is over,
    Efter plan ("försenad") once its due date has passed, otherwise Ej påbörjad."""
    if done_total:
        return Status.ACHIEVED
    if ended:
        return Status.NOT_ACHIEVED
    if activity.due_on and _has_ended(activity.due_on, today, closed):
        return Status.BEHIND
    return Status.NOT_STARTED


def build_progress(
    activity: Activity,
    sums: dict,
    today: date,
    *,
    span_sums: dict | None = None,
    done_on: date | None = None,
) -> ActivityProgress:
    """Progress of one activity from its summed events ``{(bucket_key, kind): quantity}``.

    ``span_sums`` are the sums of the spans asked of ``progress_for`` (see ``ActivityProgress``);
    ``done_on`` the day of its first counting event that did the work.
    """
    done_by_key, requested_total = _split_sums(sums)
    done_total = sum(done_by_key.values())
    period = activity.period
    buckets = []
    if activity.target_kind == TargetKind.COUNT:
        buckets = [
            _bucket_progress(activity, span, done_by_key[span.key], today)
            for span in bucket_spans(activity.cadence, period.starts_on, period.ends_on)
        ]
    return ActivityProgress(
        activity=activity,
        today=today,
        status=_overall_status(activity, buckets, done_total, today),
        buckets=buckets,
        done_total=done_total,
        requested_total=requested_total,
        done_on=done_on,
        span_sums=span_sums or {},
    )


@dataclass(frozen=True)
class ActivityStatus:
    """How an activity stands as of a day, without its buckets: what a period's card on a kommun's
    page shows (the roll-up and the headline). Status and totals are those of the
    ``ActivityProgress`` that ``build_progress`` would give for the same sums and day."""

    activity: Activity
    status: Status
    done_total: int = 0
    requested_total: int = 0


def _split_sums(sums: dict) -> tuple[Counter, int]:
    """The summed events ``{(bucket_key, kind): quantity}`` as the work done per bucket and the
    total requested (requested events never count toward a target)."""
    done_by_key = Counter()
    requested_total = 0
    for (key, kind), quantity in sums.items():
        if kind == EventKind.REQUESTED:
            requested_total += quantity
        else:
            done_by_key[key] += quantity
    return done_by_key, requested_total


def build_status(activity: Activity, sums: dict, today: date) -> ActivityStatus:
    """``build_progress`` cut to the status and totals: by the same rules, but a count activity
    judges only the bucket containing today while its period runs, and once the period has
    ended compares each bucket's sum with its target without building the buckets."""
    done_by_key, requested_total = _split_sums(sums)
    done_total = sum(done_by_key.values())
    period = activity.period
    if activity.target_kind != TargetKind.COUNT or today < period.starts_on:
        status = _overall_status(activity, [], done_total, today)
    else:
        spans = _bucket_spans(activity.cadence, period.starts_on, period.ends_on)
        if _has_ended(period.ends_on, today, False):
            achieved = all(done_by_key[s.key] >= target_in_force(activity, s) for s in spans)
            status = Status.ACHIEVED if achieved else Status.NOT_ACHIEVED
        else:
            span = next(s for s in spans if s.start <= today <= s.end)
            status = _bucket_progress(activity, span, done_by_key[span.key], today).status
    return ActivityStatus(activity, status, done_total, requested_total)


def public_statuses_for(
    activities: Iterable[Activity], *, today: date | None = None
) -> dict[int, ActivityStatus]:
    """Status and totals of each activity as the public may see them, keyed by id: the same
    query and rules as ``public_progress_for``, for pages that show no buckets (a kommun's
    period cards). The activities must be public ones, with their period loaded."""
    today = today or timezone.localdate()
    activities = list(activities)
    events = _public_sums_events(activities, today)
    sums = defaultdict(dict)
    for row in _event_rows(activities, today=today, events=events):
        sums[row["activity_id"]][(row["bucket"], row["kind"])] = row["total"]
    return {
        activity.pk: build_status(activity, sums.get(activity.pk, {}), today)
        for activity in activities
    }


def _counting_events(
    activities: list[Activity], today: date, logged_by: datetime | None, events=None
):
    """Counting events of the activities that happened inside their period and by ``today``
    (and were logged by ``logged_by``), taken from ``events`` (default: all events). The
    periods' dates are written into the query, so it reads the events alone (by their activity
    index), joining nothing beyond what ``events`` itself asks."""
    by_period = defaultdict(list)
    for activity in activities:
        by_period[activity.period].append(activity.pk)
    inside_period = Q(pk__in=[])
    for period, ids in by_period.items():
        inside_period |= Q(
            activity_id__in=ids,
            occurred_on__gte=period.starts_on,
            occurred_on__lte=min(period.ends_on, today),
        )
    events = (FollowUpEvent.objects.all() if events is None else events).counting()
    events = events.filter(inside_period)
    if logged_by is not None:
        events = events.filter(logged_at__lte=logged_by)
    return events


def _event_rows(activities, *, today, logged_by=None, spans=(), events=None):
    """One query: quantities per activity, bucket and kind; per span, by its end and inside it."""
    per_span = {}
    for index, (start, end) in enumerate(spans):
        per_span[f"until_{index}"] = Sum("quantity", filter=Q(occurred_on__lte=end))
        per_span[f"inside_{index}"] = Sum(
            "quantity", filter=Q(occurred_on__gte=start, occurred_on__lte=end)
        )
    return (
        _counting_events(activities, today, logged_by, events)
        .annotate(bucket=bucket_key_sql(activities))
        .values("activity_id", "bucket", "kind")
        .annotate(total=Sum("quantity"), first_on=Min("occurred_on"), **per_span)
        .order_by()
    )


def event_sums(
    activities: Iterable[Activity],
    *,
    today: date | None = None,
    logged_by: datetime | None = None,
) -> dict[int, dict[tuple[int, str], int]]:
    """One query: quantities of counting events inside their period, per activity/bucket/kind.

    Only events that happened by ``today`` (default: today) and, when given, were logged by the
    moment ``logged_by`` count.
    """
    activities = list(activities)
    sums = defaultdict(dict)
    rows = _event_rows(activities, today=today or timezone.localdate(), logged_by=logged_by)
    for row in rows:
        sums[row["activity_id"]][(row["bucket"], row["kind"])] = row["total"]
    return sums


def progress_for(
    activities: Iterable[Activity],
    *,
    today: date | None = None,
    logged_by: datetime | None = None,
    spans: Iterable[tuple[date, date]] = (),
    events=None,
) -> dict[int, ActivityProgress]:
    """Progress of each activity as of ``today``, keyed by id, in one query.

    Counts the events that happened by ``today`` (default: today) and, when ``logged_by`` is
    given, were logged by that moment: what was known then. Each ``(start, end)`` in ``spans`` is
    summed in the same query, for ``ActivityProgress.span(start, end)``. ``events`` is the
    queryset of events that may count (default: all; ``public_progress_for`` passes the public
    door's).

    The activities must come with their period loaded (``select_related("period")``) or the
    page pays one query per activity for it.
    """
    today = today or timezone.localdate()
    activities, spans = list(activities), list(spans)
    sums, done_on = defaultdict(dict), {}
    span_sums = defaultdict(lambda: {span: {} for span in spans})
    rows = _event_rows(activities, today=today, logged_by=logged_by, spans=spans, events=events)
    for row in rows:
        activity_id, key = row["activity_id"], (row["bucket"], row["kind"])
        sums[activity_id][key] = row["total"]
        if row["kind"] == EventKind.DONE:
            first = done_on.get(activity_id)
            done_on[activity_id] = min(first, row["first_on"]) if first else row["first_on"]
        for index, span in enumerate(spans):
            by_end, inside = row[f"until_{index}"] or 0, row[f"inside_{index}"] or 0
            span_sums[activity_id][span][key] = (by_end, inside)
    return {
        activity.pk: build_progress(
            activity,
            sums.get(activity.pk, {}),
            today,
            span_sums=span_sums[activity.pk],
            done_on=done_on.get(activity.pk),
        )
        for activity in activities
    }


def public_progress_for(
    activities: Iterable[Activity], *, today: date | None = None
) -> dict[int, ActivityProgress]:
    """Progress as the public may see it (pages, embeds, open data): ``progress_for`` over
    ``FollowUpEvent.objects.public_in_sums(today)``, so the police monthly guard holds back the
    running month's police events of periods that publish monthly counts only until the month
    has ended. The activities must be public ones (``Activity.objects.public()``)."""
    today = today or timezone.localdate()
    activities = list(activities)
    return progress_for(activities, today=today, events=_public_sums_events(activities, today))


# Up to this many activities, public sums list their ids (a kommun has about a hundred).
LISTED_ACTIVITIES_MAX = 1000


def _public_sums_events(activities: list[Activity], today: date):
    """The events public sums may count: for one page's activities (an activity, a period, a
    kommun's periods) ``public_in_sums_of``, which plans no subquery; for national lists of
    thousands ``public_in_sums``, whose exclusions PostgreSQL hashes once."""
    if len(activities) <= LISTED_ACTIVITIES_MAX:
        return FollowUpEvent.objects.public_in_sums_of(activities, today)
    return FollowUpEvent.objects.public_in_sums(today)


def rollup(progresses: Iterable[ActivityProgress]) -> list[tuple[Status, int]]:
    """Counts of activities per status, in the fixed status order, zero counts left out.

    A promise or a period rolls up this way: never as an average of percentages.
    """
    counts = Counter(progress.status for progress in progresses)
    return [(status, counts[status]) for status in STATUS_ORDER if counts[status]]


def buckets_for(activity: Activity) -> list[BucketSpan]:
    """The bucket spans of an activity (one span for the whole period without a cadence)."""
    period = activity.period
    return bucket_spans(activity.cadence, period.starts_on, period.ends_on)
