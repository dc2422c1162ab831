"""Load limits for the expensive public endpoints (open-data downloads, PDFs).

Two guards, both answering with a page a person can read and a ``Retry-After`` header:

- ``limit_per_client(group)``, a view decorator: django-ratelimit counts the requests of one
  client address (``REMOTE_ADDR``, which the trusted-proxy middleware sets from the proxy's
  ``X-Forwarded-For``) per group in the shared cache (``CACHES["default"]``). Past
  ``settings.EXPENSIVE_RATE_LIMIT`` (e.g. "30/m") the view does not run: 429 with the Swedish
  page ``templates/429.html``.
- ``render_slot()``, a context manager around an expensive build: at most
  ``settings.RENDER_SLOTS`` builds run at once on this host, whatever the number of worker
  processes or threads (each slot is a file lock under ``settings.BUILD_DIR``). A build that
  finds every slot taken raises ``Busy``; ``busy_response()`` is the 503 to answer with.
"""

import fcntl
import os
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage

from municipalities.site.ratelimit import client_address

DEFAULT_RATE = "30/m"
DEFAULT_SLOTS = 2
BUSY_RETRY_SECONDS = 10


class Busy(Exception):
    """Every render slot is taken: try again in a little while."""


def _rate(group, request):
    return getattr(settings, "EXPENSIVE_RATE_LIMIT", DEFAULT_RATE)


def _client(group, request):
    # The same address as every other limit of the portal (REMOTE_ADDR as the proxy set it up);
    # a server on a Unix socket may give none, which must not become a 500.
    return client_address(request) or "unknown"


def limit_per_client(group):
    """Count the request against the client's limit for ``group``; 429 when it is spent."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = get_usage(request, group=group, key=_client, rate=_rate, increment=True)
            if usage is not None and usage["should_limit"]:
                return too_many_requests(max(1, usage["time_left"]))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(retry_after: int) -> HttpResponse:
    """429 with the Swedish page and when to try again."""
    response = HttpResponse(render_to_string("429.html", {"retry_after": retry_after}), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def busy_response(*, heading: str = "", message: str = "") -> HttpResponse:
    """503 with the friendly page: the server is building other files right now.

    ``heading`` and ``message`` replace the page's general wording when the caller knows more
    (e.g. that the file asked for is being built)."""
    context = {"heading": heading, "message": message}
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


def build_dir(name: str) -> Path:
    """A folder under ``settings.BUILD_DIR`` for built files or locks (created on first use)."""
    path = Path(settings.BUILD_DIR) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def file_lock(path: Path, *, blocking: bool):
    """Hold an exclusive lock on ``path`` (created if missing); yields False at once when
    ``blocking`` is off and someone else holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def render_slot():
    """Take one of the host's render slots for the duration of the block; raise Busy if none
    is free. A lock is an open file description, so threads and processes count alike."""
    slots = getattr(settings, "RENDER_SLOTS", DEFAULT_SLOTS)
    directory = build_dir("locks")
    for number in range(slots):
        with file_lock(directory / f"render-slot-{number}", blocking=False) as taken:
            if taken:
                yield
                return
    raise Busy
