"""The invented follow-up of the demo, as planned in ``data/follow-up.toml`` (its header says how).

Deterministic: each plan draws from its own ``random.Random`` seeded with the plan's place in the
file, so a load writes the same as the one before, and a plan of a historic period never depends
on the load date. Written through the services, exactly as a user would write it *on the day it
happened*: each event is logged as of its own date (``log_event(today=…)``), so the rules of when
events may be logged (``followup.services.logging_window``) are those of that day, also for the
periods that have been concluded since.

The services stamp their rows with the moment of the load, which would make every demo event
look logged today ("efterregistrerad", and missing from every report as of an earlier date). So,
in the same transaction, each demo row is back-dated to the evening of the day it was written
(``_backdate``): events to the day they happened, deviations to the day after their bucket
ended (or the load date while it runs), never later than now. Only demo rows are touched.
"""

import random
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from followup.models import Deviation, FollowUpEvent
from followup.progress import bucket_target, buckets_for
from followup.services import add_deviation, log_event, retract_event

RANDOM_SEED = 2026
_NUMBER = re.compile(r"\{(\d+)-(\d+)\}")


def relative_day(value, today: date, start: date | None = None) -> date:
    """A day of a data file: a TOML date, "today", "start" (the period's first day), or
    "last-MM-DD" / "this-MM-DD" (that day of last year or of this year)."""
    if isinstance(value, date):
        return value
    if value == "today":
        return today
    if value == "start" and start is not None:
        return start
    which, _, month_day = value.partition("-")
    if which not in ("last", "this"):
        raise ValueError(f"Not a demo data date: {value!r}")
    return date.fromisoformat(f"{today.year - (which == 'last')}-{month_day}")


def write_follow_up(plans, pools, periods, users, today: date) -> None:
    """Write the planned events, retractions and deviations, all marked as demo data.

    Side effects: through ``log_event``, ``retract_event`` and ``add_deviation`` (with their
    history rows), each by the plan's account for that account's organisation. Nothing dated
    after ``today`` is written; a deviation only once its bucket has begun.
    """
    for index, plan in enumerate(plans):
        activity = periods[plan["period"]].activities.get(position=plan["activity"])
        by = users[plan["by"]]
        writer = _PlanWriter(plan, pools, activity, by, today, random.Random(RANDOM_SEED + index))
        writer.write()


class _PlanWriter:
    def __init__(self, plan, pools, activity, by, today, rng):
        self.plan, self.pools, self.activity, self.by = plan, pools, activity, by
        self.today, self.rng = today, rng
        self.start = activity.period.starts_on
        self.organisation = by.memberships.get().organisation

    def write(self):
        last = None
        for spec in self._events():
            if spec["on"] <= self.today:
                last = self._log(spec)
                if spec.get("retracted"):
                    self._retract(last, spec["retracted"])
        if self.plan.get("duplicate") and last is not None:
            twin = self._log({"on": last.occurred_on, "place": last.place, "summary": last.summary})
            self._retract(twin, self.plan["duplicate"])
        if deviation := self.plan.get("deviation"):
            bucket_start = self._day(deviation["bucket"])
            if bucket_start <= self.today:
                written = add_deviation(
                    self.activity,
                    by=self.by,
                    bucket_start=bucket_start,
                    reason=deviation["reason"],
                    text=deviation["text"],
                    is_demo=True,
                )
                _backdate(Deviation, written.pk, _evening(self._written_on(bucket_start)))

    def _written_on(self, bucket_start) -> date:
        """A deviation is written the day after its bucket ends, or today while it runs."""
        span = next(span for span in buckets_for(self.activity) if span.start == bucket_start)
        return min(span.end + timedelta(days=1), self.today)

    def _retract(self, event, reason):
        """Retract the event as of the day it happened, on that same evening."""
        retract_event(event, by=self.by, reason=reason, today=event.occurred_on)
        _backdate(FollowUpEvent, event.pk, _evening(event.occurred_on), retracted=True)

    def _day(self, value):
        return relative_day(value, self.today, self.start)

    def _events(self) -> list[dict]:
        plan = self.plan
        if "events" in plan:
            return [{**event, "on": self._day(event["on"])} for event in plan["events"]]
        if "count" in plan:
            first = self._day(plan.get("from", "start"))
            last = self._day(plan.get("to", self.activity.period.ends_on))
            return self._days(first, last, plan["count"])
        return [
            event
            for span in buckets_for(self.activity)
            if span.start <= self.today
            for event in self._days(span.start, min(span.end, self.today), self._paced(span))
        ]

    def _paced(self, span) -> int:
        """How many events a bucket gets: its target once ended (unless missed), else the pace."""
        target = bucket_target(self.activity, span)
        missed = {self._day(day): count for day, count in self.plan.get("missed", {}).items()}
        if span.end < self.today:
            return missed.get(span.start, target)
        expected = target * ((self.today - span.start).days + 1) // span.days
        return {
            "on_plan": max(expected, min(target - 1, expected + 1)),
            "behind": max(1, expected * 6 // 10),
            "none": 0,
        }[self.plan["pace"]]

    def _days(self, first, last, count) -> list[dict]:
        """``count`` distinct random days from ``first`` to ``last``, in order."""
        span = (last - first).days + 1
        offsets = sorted(self.rng.sample(range(span), min(count, span)))
        return [{"on": first + timedelta(days=offset)} for offset in offsets]

    def _text(self, spec, key) -> str:
        """The event's own text, else the plan's: a text, or a random one from the named pool."""
        value = spec.get(key, self.plan.get(key, ""))
        if value in self.pools:
            value = self.rng.choice(self.pools[value])
        return _NUMBER.sub(lambda m: str(self.rng.randint(int(m[1]), int(m[2]))), value)

    def _log(self, spec):
        """Log the event as of the day it happened, and stamp it with that evening."""
        event = log_event(
            self.activity,
            by=self.by,
            occurred_on=spec["on"],
            organisation=self.organisation,
            place=self._text(spec, "place"),
            summary=self._text(spec, "summary"),
            kind=spec.get("kind", self.plan.get("kind", "done")),
            is_demo=True,
            today=spec["on"],
        )
        event.logged_at = _evening(spec["on"])
        _backdate(FollowUpEvent, event.pk, event.logged_at)
        return event


# Demo rows are stamped with this time of the day they were written.
EVENING = time(20, 0)


def _evening(day: date) -> datetime:
    """The evening of the day, in local time, but never later than now."""
    return min(timezone.make_aware(datetime.combine(day, EVENING)), timezone.now())


def _backdate(model, pk, moment, *, retracted=False):
    """Demo data only: stamp a freshly written demo row, and its history, with ``moment``.

    An event gets it as ``logged_at`` (a retracted one as ``retracted_at`` too, and its
    retraction's history entry a minute later), a deviation as ``created_at``.
    """
    rows = model.objects.filter(pk=pk, is_demo=True)
    history = model.history.filter(id=pk, is_demo=True)
    if model is Deviation:
        rows.update(created_at=moment)
        history.update(history_date=moment)
    elif retracted:
        later = min(moment + timedelta(minutes=1), timezone.now())
        rows.update(retracted_at=later)
        history.filter(history_type="~").update(history_date=later, retracted_at=later)
    else:
        rows.update(logged_at=moment)
        history.update(history_date=moment, logged_at=moment)
