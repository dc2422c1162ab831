"""Building the open-data downloads on the task worker (``followup.public.downloads``)."""

import logging
import time

from django.tasks import task

from followup.public.downloads import build, download_for, every_download

logger = logging.getLogger(__name__)


@task
def build_download(kommun: str | None, name: str, fmt: str, language: str) -> bool:
    """Build one download at the current data version, queued by a request that found it
    missing or behind. False when there was nothing to do (already current, or another builder
    holds its lock).

    Side effects: removes the download's queued marker (a request from now on queues one more),
    writes the file and removes its older versions.
    """
    download = download_for(name, fmt, kommun, language)
    download.queued_marker.unlink(missing_ok=True)
    already = download.path(download.version()).exists()
    return not already and build(download) is not None


def build_downloads(
    municipalities=(None,), languages=None, names=None, kinds=None, log=None
) -> int:
    """Build every download (all datasets and formats, each language) of each place in
    ``municipalities`` (None: the country) that is not current; returns how many were written.
    ``names`` (dataset slugs, with -excel) and ``kinds`` ("csv", "excel", "json") narrow it.

    Side effects: writes files under BUILD_DIR/opendata and removes their older versions.
    """
    written = 0
    for municipality in municipalities:
        for download in every_download(municipality, languages):
            kind = "excel" if download.excel else download.fmt
            if (names and download.name not in names) or (kinds and kind not in kinds):
                continue
            started = time.monotonic()
            before = download.path(download.version()).exists()
            path = build(download)
            if path is not None and not before:
                written += 1
                if log:
                    log(f"{path.relative_to(path.parents[1])} {time.monotonic() - started:.1f} s")
    return written


@task
def build_national_downloads(slot: str) -> int:
    """The schedule's daily rebuild of the national downloads, just after midnight, when every
    file's day (and so its progress figures) has moved on."""
    return build_downloads()
