"""Helpers for the portal's background tasks (django.tasks on the database backend).

Tasks are idempotent (mail is sent through ``mail.send_once``) and retried: ``retried`` runs
the task body and, when it fails, enqueues the same task again a little later (2, 4, 8, 16
minutes), up to ``attempts`` times in all. The failed run stays recorded as failed.
``enqueue_once`` queues a piece of work (rebuilding one download) at most once at a time.
"""

import functools
import logging
import os
import time
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def retried(func=None, *, attempts=MAX_ATTEMPTS):
    """Decorate a task's function (under ``@task``) so a failure schedules another attempt.

    The task gains a keyword argument ``attempt`` (1 for the first run).
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, attempt=1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt >= attempts:
                    logger.exception("%s failed for the last time", func.__qualname__)
                    raise
                delay = timedelta(minutes=2**attempt)
                logger.warning("%s failed; attempt %s in %s", func.__qualname__, attempt + 1, delay)
                task = import_string(f"{func.__module__}.{func.__name__}")
                task.using(run_after=timezone.now() + delay).enqueue(
                    *args, attempt=attempt + 1, **kwargs
                )
                raise

        return wrapper

    return decorate(func) if func is not None else decorate


def enqueue_after_commit(task, *args, **kwargs):
    """Enqueue the task once the current transaction commits (at once outside one).

    A rolled-back write sends nothing, and the worker never reads data not yet committed.
    """
    transaction.on_commit(functools.partial(task.enqueue, *args, **kwargs))


def enqueue_once(marker: Path, task, *args, stale_after: timedelta, **kwargs) -> bool:
    """Enqueue ``task`` unless ``marker`` says the same work is already queued; True if queued.

    The marker is a file created exclusively (``O_EXCL``), so of many processes asking at once
    only one enqueues; the task removes it (``marker.unlink``) when it starts, so a request
    arriving during the run queues exactly one more. A marker older than ``stale_after`` (the
    worker was down, the task row was lost) no longer holds anything back.

    Side effects: creates ``marker``; enqueues the task at once (it reads data already
    committed, so there is no write of the caller's to wait for). If enqueuing fails, the marker
    is removed again and the error raised.
    """
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        try:
            age = time.time() - marker.stat().st_mtime
        except FileNotFoundError:
            age = 0.0  # the task has just taken it: it runs now
        if age < stale_after.total_seconds():
            return False
        marker.touch()
    else:
        os.close(fd)
    try:
        task.enqueue(*args, **kwargs)
    except BaseException:
        marker.unlink(missing_ok=True)
        raise
    return True
