"""Error pages that never show a traceback to the user."""

import sys

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from lessons.web.outage import database_unavailable, is_database_outage


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called for an exception anywhere in the request: in a view, or in a middleware
    that reads the session or the user before any view runs. A database outage there is a 503 too."""
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        assert exception is not None
        return database_unavailable(request, exception)
    # Rendered without a RequestContext: a failing context processor must not hide the error page.
    return HttpResponse(render_to_string("500.html"), status=500)
