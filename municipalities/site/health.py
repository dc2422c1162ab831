"""Health check and graceful behaviour when the database is away.

``/halsa/`` answers 200 with a small JSON body when the database answers and 503 when it does
not, for load balancers and monitoring. ``DatabaseUnavailableMiddleware`` turns a lost database
connection during any request into a friendly Swedish 503 page instead of a traceback; Django
reconnects on the next request (CONN_HEALTH_CHECKS), so the portal recovers by itself.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def database_is_up() -> bool:
    """Run the cheapest possible query; False if the database does not answer."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Drop the broken connection so the next request opens a fresh one.
        connection.close_if_unusable_or_obsolete()
        return False
    return True


@never_cache
def health(request):
    """200 {"status": "ok"} when the database answers, 503 {"status": "unavailable"} otherwise."""
    if database_is_up():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)


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
