"""A database outage answers "503, try again shortly", never "500, we broke".

While the database is unreachable (PostgreSQL restarting, a network cut, an SQLite
file locked beyond the busy timeout) the parts of the site that need no database
keep working: WhiteNoise serves static files and the page cache serves the pages it
holds (both sit above this middleware), and robots.txt and tdmrep.json fall back to
what needs no query (legal.robots, legal.tdm). Everything else gets a styled 503 with
`Retry-After`, never stored by the page cache or a CDN.

Recovery needs no restart: Django drops a connection that failed at the end of the
request (`close_if_unusable_or_obsolete`, on request_finished) and checks a persistent
one before reusing it (CONN_HEALTH_CHECKS), so the first request after the database
comes back opens a new connection.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from core.context_processors import site
from legal.tdm import current_reservation

logger = logging.getLogger("ops.outage")

# Connection refused or lost, server restarting, SQLite "database is locked": worth a retry.
CONNECTION_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


class DatabaseOutageMiddleware:
    """Place right below the page cache, so cached pages are still served during an outage."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, CONNECTION_ERRORS):
            return service_unavailable(request, exception)
        return None


def service_unavailable(request, exception):
    logger.error("Database unavailable for %s (%s); answered 503.", request.path, exception)
    # Rendered without the request: no context processor runs, so nothing here can
    # query the database that just failed. The TDM reservation needs none (it fails closed).
    context = {**site(request), "tdm": current_reservation(), "retry_after": RETRY_AFTER_SECONDS}
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.page_cache_exempt = True
    return response


def server_error(request):
    """handler500: a database failure outside any view (a middleware saving the session,
    say) is still an outage, not a bug of ours."""
    exception = sys.exception()
    if isinstance(exception, CONNECTION_ERRORS):
        return service_unavailable(request, exception)
    return defaults.server_error(request)
