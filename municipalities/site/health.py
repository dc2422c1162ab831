"""Health check and graceful behaviour when the database is away.

``/halsa/`` answers 200 with a small JSON body only when the database answers *and* holds every
migration this code has, and 503 otherwise, for load balancers and monitoring: an empty or
half-upgraded database serves nothing but errors, so it must not look healthy.
``DatabaseUnavailableMiddleware`` turns a lost database connection during any request into a
friendly Swedish 503 page instead of a traceback; Django reconnects on the next request
(CONN_HEALTH_CHECKS), so the portal recovers by itself. With SQLite it also answers 503 while the
database file is missing, before anything connects: SQLite would otherwise create an empty file
in its place.
"""

import functools
import logging
import sys
from pathlib import Path

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def sqlite_file_is_missing() -> bool:
    """True when the database is an SQLite file that does not exist (connecting would create
    an empty one). In-memory databases (the tests') and other engines are never missing."""
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return False
    return not Path(name).exists()


@functools.cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """The newest migration of every app, read from the code once (no database needed)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.leaf_nodes())


def database_state() -> str:
    """ "ok", or why not: "missing" (SQLite file), "unavailable", or "not migrated".

    One query: the applied migrations must include the newest migration of every app. It reads
    a table only ``migrate`` writes, so an empty database or a pending upgrade is not "ok".
    """
    if sqlite_file_is_missing():
        return "missing"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:
        # Drop the broken connection so the next request opens a fresh one. A database without
        # the migrations table at all also ends here (SQLite: "no such table").
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok" if expected_migrations() <= applied else "not migrated"


@never_cache
def health(request):
    """200 {"status": "ok", "database": "ok"} when the database answers and is migrated;
    503 {"status": "unavailable", "database": <why>} otherwise."""
    state = database_state()
    if state == "ok":
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "unavailable", "database": state}, status=503)


def unavailable_response() -> HttpResponse:
    """The friendly 503 page; rendered without the database or a request context."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page when the database connection is lost mid-request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Before anything connects: opening a missing SQLite file would create an empty one.
        # The health check answers for itself (JSON), every other page gets the 503 page.
        if sqlite_file_is_missing() and request.path_info != reverse("site:health"):
            logger.error("The SQLite database %s is missing.", connection.settings_dict["NAME"])
            return unavailable_response()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE_ERRORS):
            logger.warning("Database unavailable: %s", exception)
            connection.close_if_unusable_or_obsolete()
            return unavailable_response()
        return None


def server_error(request):
    """handler500: the 503 page when the database is the cause, otherwise the 500 page.

    Errors raised outside views (in middleware loading the session or the user) never reach
    process_exception, but they do reach this handler.
    """
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE_ERRORS):
        connection.close_if_unusable_or_obsolete()
        return unavailable_response()
    return HttpResponse(render_to_string("500.html"), status=500)
