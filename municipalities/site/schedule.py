"""The schedule: daily and weekly jobs at fixed local times (settings.SCHEDULE).

``run_due_jobs(now)`` is called by the worker every half minute. For each job it works out the
latest slot (the planned local time) at or before ``now``; if that slot is not older than
settings.SCHEDULE_GRACE and has no ScheduledRun row yet, it inserts the row and enqueues the
job's task in the same transaction. The row's unique (job, slot) makes a slot run once, across
restarts and however many workers call this at the same moment.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from municipalities.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    at: time
    weekday: int | None = None  # 0 Monday; None: every day

    def latest_slot(self, now: datetime) -> datetime:
        """The latest planned time at or before ``now``, as an aware datetime."""
        local = timezone.localtime(now)
        day = local.date()
        while True:
            slot = timezone.make_aware(datetime.combine(day, self.at))
            if slot <= now and (self.weekday is None or day.weekday() == self.weekday):
                return slot
            day -= timedelta(days=1)


def jobs() -> list[Job]:
    """The jobs of settings.SCHEDULE."""
    return [
        Job(
            name=name,
            task=entry["task"],
            at=time.fromisoformat(entry["at"]),
            weekday=entry.get("weekday"),
        )
        for name, entry in settings.SCHEDULE.items()
    ]


def claim_slot(job: Job, slot: datetime) -> bool:
    """Record that the job runs for the slot and enqueue its task; False if already recorded.

    Side effects: one ScheduledRun row and one task row, in one transaction.
    """
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job.name, slot=slot)
            import_string(job.task).enqueue(slot=slot.isoformat())
    except IntegrityError:
        return False
    logger.info("Scheduled %s for %s", job.name, slot.isoformat())
    return True


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Start every job whose latest slot is due and not yet run; returns the started names."""
    now = now or timezone.now()
    started = []
    for job in jobs():
        slot = job.latest_slot(now)
        if now - slot > settings.SCHEDULE_GRACE:
            continue
        if claim_slot(job, slot):
            started.append(job.name)
    return started
