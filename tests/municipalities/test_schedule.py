from datetime import datetime, time

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from municipalities.models import ScheduledRun
from municipalities.site.schedule import Job, run_due_jobs

pytestmark = pytest.mark.django_db


def _at(*args):
    return timezone.make_aware(datetime(*args))


def test_schedule_daily_slot_is_today_after_the_time_and_yesterday_before():
    job = Job(name="expire", task="x", at=time(3, 10))

    after = job.latest_slot(_at(2025, 3, 12, 3, 10))
    before = job.latest_slot(_at(2025, 3, 12, 3, 9))

    assert after == _at(2025, 3, 12, 3, 10)
    assert before == _at(2025, 3, 11, 3, 10)


def test_schedule_weekly_slot_is_the_latest_monday_in_local_time():
    job = Job(name="digest", task="x", at=time(7, 0), weekday=0)

    slot = job.latest_slot(_at(2025, 3, 16, 23, 30))  # a Sunday evening

    assert slot == _at(2025, 3, 10, 7, 0)
    assert timezone.localtime(slot).hour == 7


def test_schedule_two_workers_checking_at_once_enqueue_each_job_once(settings):
    settings.SCHEDULE = {
        "expire_subscriptions": {
            "task": "followup.subscriptions.tasks.expire_unconfirmed_subscriptions",
            "at": "03:20",
        }
    }
    now = _at(2025, 3, 12, 3, 21)

    first = run_due_jobs(now)
    second = run_due_jobs(now)

    assert (first, second) == (["expire_subscriptions"], [])
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"slot": "2025-03-12T03:20:00+01:00"}
