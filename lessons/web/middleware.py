"""Turns a database outage into a clear 503 page instead of a 500 with a half-done request, and shows times in
the viewer's time zone."""

import logging
import zoneinfo
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from lessons.services.people import SESSION_TIME_ZONE, known_time_zones

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError) or type(exception) is DatabaseError:
            logger.error("Database unavailable while serving %s", request.path, exc_info=exception)
            body = render_to_string("503.html", request=None)
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "30"
            return response
        return None


class ViewerTimeZoneMiddleware:
    """Shows dates and times in the zone the signed-in user chose (kept in their session at login and when
    they change it), else in the site's TIME_ZONE. Reads only the session, so it costs no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.session.get(SESSION_TIME_ZONE) if hasattr(request, "session") else None
        if chosen in known_time_zones():
            timezone.activate(zoneinfo.ZoneInfo(chosen))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
