"""The background worker: runs the schedule and the queued tasks, in one process.

    manage.py run_worker

A thread checks the schedule (settings.SCHEDULE) every ``--schedule-interval`` seconds and
enqueues what is due; the main thread is django-tasks-db's worker, which runs queued tasks.
One worker is enough; several may run (a slot is claimed once, a task row is claimed once).
"""

import logging
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from municipalities.site.schedule import run_due_jobs

logger = logging.getLogger("municipalities.worker")


def schedule_loop(stop: threading.Event, interval: float) -> None:
    """Start due jobs until ``stop`` is set; an error is logged and tried again next round."""
    while not stop.is_set():
        try:
            close_old_connections()
            run_due_jobs()
        except Exception:
            logger.exception("The schedule check failed")
        finally:
            connection.close()
        stop.wait(interval)


class Command(BaseCommand):
    help = "Run the schedule and the task worker (e-mail, digests, expiry)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Task poll, seconds.")
        parser.add_argument(
            "--schedule-interval", type=float, default=30.0, help="Schedule check, seconds."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")

    def handle(self, *, interval, schedule_interval, batch, verbosity, **options):
        logging.getLogger("django.tasks").setLevel(logging.INFO if verbosity else logging.ERROR)
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if batch:
            run_due_jobs()
            worker.run()
            return
        stop = threading.Event()
        scheduler = threading.Thread(
            target=schedule_loop, args=(stop, schedule_interval), name="schedule", daemon=True
        )
        scheduler.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
