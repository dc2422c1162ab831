"""The dashboard's activity rows, rendered once per version of what they show.

A row (``staff/dashboard.html#activity-row``: progress, status, deviation, the log form) costs
several milliseconds to render, and a police area's reporter has forty of them. What a row shows
depends only on: the activity's data and its events and deviations (all renewed with its
kommun's data version, ``municipalities.versioning``), shared data such as organisation names
(the reference version), what the user may do (its ``StaffScope``), today's date and the
language. So a rendered row is kept in the cache under a key made of exactly those, and served
again until one of them moves on. Users with the same scope (the reporters of one police area)
share rows.

Two things in a row belong to one page load and are never kept: the CSRF token and the log
form's one-time submission token. The kept HTML holds a random marker in their place, which is
swapped for this request's CSRF token and a fresh UUID per row when the row is served.

Nothing here decides who may see or do what: the list of activities is read fresh on every
request, and the log form's POST checks its permissions again, so a kept row can show no more
than its key allows.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from followup.progress import Status
from municipalities import versioning

ROW_TEMPLATE = "staff/dashboard.html#activity-row"
# Part of every key: move it on when the row's template or its context change, so a shared
# cache (CACHE_URL) never serves a row rendered by an older release.
ROW_FORMAT = 1
# A kept row is dropped after this long even if nothing it shows has changed.
ROW_SECONDS = 60 * 60


@dataclass
class RenderedRow:
    """A dashboard row as served: its activity, its status (for the order and the count of
    what needs attention) and its HTML."""

    activity: object
    status: Status
    html: str


def row_keys(activities, scope, *, today=None) -> dict[int, str]:
    """The cache key of each activity's row, by activity id. Reads the data versions of the
    activities' kommuner in one query."""
    today = today or timezone.localdate()
    slugs = {activity.period.municipality.slug for activity in activities}
    versions = versioning.current_for(slugs)
    prefix = f"staff-row:{ROW_FORMAT}:{translation.get_language()}:{today.isoformat()}"
    return {
        activity.pk: (
            f"{prefix}:{scope.fingerprint}:{activity.pk}:"
            f"{versions[activity.period.municipality.slug]}"
        )
        for activity in activities
    }


def kept_rows(keys: dict[int, str]) -> dict[int, dict]:
    """The kept rows among ``keys`` (activity id → key), by activity id."""
    found = cache.get_many(list(keys.values()))
    return {pk: found[key] for pk, key in keys.items() if key in found}


def render_to_keep(row) -> dict:
    """Render ``row`` (a ``followup.staff.views.Row``) with markers for the per-load tokens; the
    result is what ``keep`` stores and ``serve`` turns into HTML."""
    marker = uuid.uuid4().hex
    if row.form is not None:
        row.form.initial["submission_token"] = f"{marker}-token"
    html = render_row(row, csrf_token=f"{marker}-csrf")
    return {"status": row.progress.status.value, "html": html, "marker": marker}


def render_row(row, *, csrf_token) -> str:
    """The row's HTML. Without the request: the row reads nothing of it but the CSRF token, so
    no context processor runs per row, and what is kept holds nothing but what its key names."""
    return render_to_string(ROW_TEMPLATE, {"row": row, "csrf_token": csrf_token})


def keep(entries: dict[str, dict]) -> None:
    """Store rendered rows (key → ``render_to_keep`` result)."""
    if entries:
        cache.set_many(entries, ROW_SECONDS)


def serve(activity, entry: dict, *, csrf_token: str) -> RenderedRow:
    """The kept row as this request serves it: with the request's CSRF token (``get_token``,
    worked out once per page: masking it costs) and a fresh one-time token."""
    marker = entry["marker"]
    html = entry["html"].replace(f"{marker}-csrf", csrf_token)
    html = html.replace(f"{marker}-token", str(uuid.uuid4()))
    return RenderedRow(activity=activity, status=Status(entry["status"]), html=mark_safe(html))  # noqa: S308 — our own template's output
