"""The answer to a request the database could not serve: a 503 with Retry-After, never a 500 and never a
half-done change (DESIGN.md rule 6). Pages get the "database unavailable" page; htmx requests (autosave) and
JSON requests a short body of their own kind, so the page's script retries the save with the same number.

Built without the database and without a RequestContext (no context processor, no session, no user): it is
what answers when those are what failed.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("lessons.web.middleware")

RETRY_AFTER_SECONDS = 30


def is_database_outage(exception: BaseException | None) -> bool:
    """A lost or refused connection (OperationalError, InterfaceError, or a bare DatabaseError from a
    connection that is gone), also when another exception was raised while handling one. Not an integrity
    or data error: those are bugs or bad input, not an outage."""
    seen: set[int] = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if isinstance(exception, OperationalError | InterfaceError) or type(exception) is DatabaseError:
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    logger.error("Database unavailable while serving %s", request.path, exc_info=exception)
    message = _(
        "Database unavailable: nothing was changed, and answers saved before are safe. Try again in a minute."
    )
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"detail": message, "code": "database_unavailable"}, status=503)
    elif request.headers.get("HX-Request") == "true":
        # htmx keeps a 5xx out of the page; the autosave script retries it with the same sequence.
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
