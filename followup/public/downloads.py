"""Open-data downloads: built outside the request, one file per data version, sent by nginx.

Where a file lives: ``BUILD_DIR/opendata/<place>/<dataset>-<language>.<version>.<fmt>``, place
being the kommun's slug or ``sverige``. The version is a hash of the place's data version
(``municipalities.versioning.current``), today's date (progress depends on it), the language and
``SITE_URL`` (the address the files' links are built on, the same from a request, the worker or
the command). Builders write a file whole or not at all and then remove the older versions.

How a request is answered (``download``):

- the file of the current version exists: it is served;
- only an older version exists (a write since it was built, or a new day): that file is served at
  once, with its own ``Last-Modified`` and ``ETag``, ``X-Data-Version`` (the file's version) and
  ``X-Data-Current: nej``, and a rebuild is queued on the task worker (``tasks.build_download``),
  one at a time per file. The national files' version moves with every write in the country, so
  they are rebuilt at most once per ``NATIONAL_REBUILD_AFTER``: at a national scale a client gets
  a file about a minute plus its build time behind, never a wait;
- no file at all (a new installation before ``manage.py build_downloads`` ran, a kommun's first
  download, a language asked for the first time): a build is queued and the request waits up to
  ``BUILD_WAIT_SECONDS`` for the worker. A kommun's file is built well within that, so a person
  gets it in the same answer; a national file at a million events takes ~20 s, and holding a
  gunicorn worker for it is what made the overload, so that client gets the Swedish 503 page
  with ``Retry-After`` and the file is there when it comes back.

How it is sent: with ``settings.DOWNLOADS_ACCEL_REDIRECT`` (e.g. ``/_downloads/``, the
``internal`` location of config/nginx/portal.conf) the answer is empty with ``X-Accel-Redirect``
and nginx sends the file itself; otherwise (runserver, tests) it is streamed from here. The
``ETag`` is the one nginx makes for a file (``"<mtime>-<size>"`` in hex), so both ways agree.

Builds run in the task worker, in ``manage.py build_downloads`` and in the daily schedule, under
the file lock ``<dataset>-<language>.<fmt>.lock`` beside the file: a second builder of the same
file skips it. Tasks go to the backend ``settings.DOWNLOADS_TASK_BACKEND`` (default "default", the
worker's); the test suite sets an immediate one, so there a build runs inside the request.
"""

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from followup.public.opendata import (
    DATASETS,
    DATASETS_BY_SLUG,
    EXCEL_SUFFIX,
    FORMATS,
    Dataset,
    stream_csv,
    stream_json,
)
from municipalities import versioning
from municipalities.models import Municipality
from municipalities.site import tasks as site_tasks
from municipalities.site import throttle

logger = logging.getLogger(__name__)

NATIONAL = "sverige"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
# How long a request with no file at all waits for the worker before it answers 503.
BUILD_WAIT_SECONDS = 5
# A national file younger than this is served without queuing a rebuild.
NATIONAL_REBUILD_AFTER = timedelta(minutes=1)
# A queued rebuild that has not started after this long (worker down) no longer holds back another.
QUEUED_STALE_AFTER = timedelta(minutes=30)
# What a 503 asks the client to wait while the worker builds the first file.
FIRST_BUILD_RETRY_SECONDS = 30


@dataclass(frozen=True)
class Download:
    """One downloadable file: a dataset in a format, for one kommun or the country, in one
    language. ``name`` is the dataset's slug, with ``-excel`` for the semicolon CSV."""

    dataset: Dataset
    fmt: str
    excel: bool
    municipality: Municipality | None
    language: str

    @property
    def place(self) -> str:
        return self.municipality.slug if self.municipality else NATIONAL

    @property
    def name(self) -> str:
        return self.dataset.slug + (EXCEL_SUFFIX if self.excel else "")

    @property
    def stem(self) -> str:
        return f"{self.name}-{self.language}"

    @property
    def directory(self) -> Path:
        return throttle.build_dir(f"opendata/{self.place}")

    @property
    def lock(self) -> Path:
        return self.directory / f"{self.stem}.{self.fmt}.lock"

    @property
    def queued_marker(self) -> Path:
        return self.directory / f"{self.stem}.{self.fmt}.queued"

    @property
    def filename(self) -> str:
        """The name a browser saves it under."""
        return f"medborgarloften-{self.place}-{self.name}.{self.fmt}"

    def version(self) -> str:
        """The current version of this file's data (one query)."""
        state = (
            versioning.current(self.municipality.slug if self.municipality else None),
            timezone.localdate().isoformat(),
            self.language,
            settings.SITE_URL,
        )
        return hashlib.sha256(repr(state).encode()).hexdigest()[:24]

    def path(self, version: str) -> Path:
        return self.directory / f"{self.stem}.{version}.{self.fmt}"

    def built(self) -> list[Path]:
        """The built files of this download, newest first (normally one)."""
        files = self.directory.glob(f"{self.stem}.*.{self.fmt}")
        return sorted(files, key=_mtime, reverse=True)

    def pieces(self) -> Iterator[str]:
        """The file's text, piece by piece, in its language, with links on SITE_URL."""
        base_url = settings.SITE_URL
        with translation.override(self.language):
            rows = self.dataset.rows(self.municipality, base_url)
            if self.fmt == "csv":
                yield from stream_csv(self.dataset, rows, delimiter=";" if self.excel else ",")
            else:
                yield from stream_json(self.dataset, rows, municipality=self.municipality)

    def task_arguments(self) -> dict:
        return {
            "kommun": self.municipality.slug if self.municipality else None,
            "name": self.name,
            "fmt": self.fmt,
            "language": self.language,
        }


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def download_for(name: str, fmt: str, kommun: str | None, language: str) -> Download:
    """The Download asked for; Http404 for an unknown dataset, format or kommun."""
    excel = fmt == "csv" and name.endswith(EXCEL_SUFFIX)
    slug = name.removesuffix(EXCEL_SUFFIX) if excel else name
    if slug not in DATASETS_BY_SLUG or fmt not in FORMATS:
        raise Http404
    municipality = None
    if kommun is not None:
        municipality = get_object_or_404(Municipality, slug=kommun)
    return Download(DATASETS_BY_SLUG[slug], fmt, excel, municipality, language)


def every_download(municipality=None, languages=None) -> list[Download]:
    """Every dataset in every format (CSV, Excel CSV, JSON) for a kommun or the country."""
    languages = languages or [code for code, _name in settings.LANGUAGES]
    return [
        Download(dataset, fmt, excel, municipality, language)
        for language in languages
        for dataset in DATASETS
        for fmt, excel in (("csv", False), ("csv", True), ("json", False))
    ]


# --- Building ------------------------------------------------------------------------------------


def write_once(path: Path, lock: Path, pieces) -> bool:
    """Write ``pieces()`` to ``path`` under ``lock`` unless it exists; True if this call wrote.

    Side effects: the file is written atomically (a reader sees all of it or none), then every
    other version of it (``<stem>.*.<suffix>`` beside it) is removed. A call that finds the lock
    held by another builder returns False at once, without waiting.
    """
    stem, _version, suffix = path.name.split(".")
    with throttle.file_lock(lock, blocking=False) as mine:
        if not mine or path.exists():
            return False
        _write(path, pieces())
        for older in path.parent.glob(f"{stem}.*.{suffix}"):
            if older != path:
                older.unlink(missing_ok=True)
        return True


def _write(path: Path, pieces: Iterable[str]) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for piece in pieces:
                out.write(piece)
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; nginx's workers must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build(download: Download) -> Path | None:
    """Build the download at the current data version unless that file exists.

    Side effects: writes the file and removes its older versions (``write_once``). Returns the
    current file, or None when another builder holds its lock (it will write it).
    """
    path = download.path(download.version())
    write_once(path, download.lock, download.pieces)
    return path if path.exists() else None


def queue_build(download: Download) -> bool:
    """Queue a (re)build of the download on the task worker unless one is queued already.

    Side effects: a marker file beside the download and a task row (``enqueue_once``).
    """
    from followup.public.tasks import build_download

    backend = getattr(settings, "DOWNLOADS_TASK_BACKEND", "default")
    return site_tasks.enqueue_once(
        download.queued_marker,
        build_download.using(backend=backend),
        stale_after=QUEUED_STALE_AFTER,
        **download.task_arguments(),
    )


# --- Serving -------------------------------------------------------------------------------------


def _file_to_serve(download: Download) -> tuple[Path | None, bool]:
    """The current file, else the newest older one (queuing a rebuild), else what the worker
    builds within BUILD_WAIT_SECONDS (None if nothing came); and whether it is current."""
    current = download.path(download.version())
    if current.exists():
        return current, True
    built = download.built()
    if built:
        if download.municipality is not None or _age(built[0]) > NATIONAL_REBUILD_AFTER:
            _queue_quietly(download)
        # A backend that runs the task at once (the tests) has built it by now.
        return (current, True) if current.exists() else (built[0], False)
    _queue_quietly(download)
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while not (built := download.built()) and time.monotonic() < deadline:
        time.sleep(0.1)
    # Built for the version of when the worker started: current as far as this request knows.
    return (built[0], True) if built else (None, False)


def _age(path: Path) -> timedelta:
    return timedelta(seconds=time.time() - _mtime(path))


def _queue_quietly(download: Download) -> None:
    """Queue a rebuild; a failure to queue is logged, never a 500 while a file can be sent."""
    try:
        queue_build(download)
    except Exception:
        logger.exception("Could not queue a build of %s", download.filename)


def etag_of(stat: os.stat_result) -> str:
    """The ETag nginx gives a file, so the app's answer and nginx's agree."""
    return f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'


@require_GET
@throttle.limit_per_client("opendata")
def download(request, dataset, fmt, municipality_slug=None):
    """One dataset as CSV or JSON, for the whole country or one kommun, from its built file.

    ``<dataset>-excel.csv`` is the same CSV separated by semicolons, for Excel with Swedish
    settings."""
    wanted = download_for(dataset, fmt, municipality_slug, translation.get_language())
    for _attempt in range(3):
        path, current = _file_to_serve(wanted)
        if path is None:
            break
        try:
            return _send(request, wanted, path, current=current)
        except FileNotFoundError:
            continue  # a rebuild replaced it between finding and opening it: take the new one
    response = throttle.busy_response(
        heading=_("Filen förbereds"),
        message=_(
            "Den här filen har inte skapats än och byggs just nu. Försök igen om en halv minut."
        ),
    )
    response["Retry-After"] = str(FIRST_BUILD_RETRY_SECONDS)
    return response


def _send(request, wanted: Download, path: Path, *, current: bool):
    """The file with its validators, by nginx (X-Accel-Redirect) or streamed from here."""
    handle = path.open("rb")  # held open: a rebuild may remove the path, not this file
    stat = os.fstat(handle.fileno())
    modified, etag = int(stat.st_mtime), etag_of(stat)
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    accel = settings.DOWNLOADS_ACCEL_REDIRECT
    if response is not None or accel:
        handle.close()
    if response is None and accel:
        response = HttpResponse(content_type=CONTENT_TYPES[wanted.fmt])
        response["X-Accel-Redirect"] = f"{accel}{wanted.place}/{path.name}"
        response["Content-Disposition"] = content_disposition_header(True, wanted.filename)
    elif response is None:
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=wanted.filename,
            content_type=CONTENT_TYPES[wanted.fmt],
        )
    response["Last-Modified"] = http_date(modified)
    response["ETag"] = etag
    response["X-Data-Version"] = path.name.split(".")[1]
    response["X-Data-Current"] = "ja" if current else "nej"
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response
