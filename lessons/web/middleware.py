"""Turns a database outage into a clear 503 page instead of a 500 with a half-done request, shows times in the
viewer's time zone, holds someone with a one-time password to choosing their own, sends the security
headers, and keeps private pages out of every cache."""

import logging
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from lessons.services.people import (
    SESSION_LAST_SEEN,
    SESSION_TEACHING,
    SESSION_TEMPORARY_PASSWORD,
    SESSION_TIME_ZONE,
    known_time_zones,
)
from lessons.web.outage import database_unavailable, is_database_outage

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A database outage inside a view is a 503 (lessons.web.outage). One in a middleware before the view
    (reading the session or the user) reaches Django's handler500 instead, which answers it the same way
    (lessons.web.views.errors.server_error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return database_unavailable(request, exception)
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


class TemporaryPasswordMiddleware:
    """Someone who logged in with a one-time password (a teacher saw it) must choose their own before
    anything else: every page but changing the password and logging out sends them there (htmx requests are
    told to go there). The flag lives in the session, set at login and cleared by the change page, so this
    costs no query."""

    ALLOWED = ("password_change", "password_change_done", "logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        held = hasattr(request, "session") and request.session.get(SESSION_TEMPORARY_PASSWORD)
        if not held or request.path in {reverse(name) for name in self.ALLOWED}:
            return self.get_response(request)
        if not request.user.is_authenticated:
            request.session.pop(SESSION_TEMPORARY_PASSWORD, None)
            return self.get_response(request)
        target = reverse("password_change")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and Permissions-Policy of settings on every response, static files and
    error pages included (it stands outside WhiteNoise); a response that sets its own keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivatePagesNotStoredMiddleware:
    """`Cache-Control: no-store` on the pages of one person's or one class's data, so a shared school
    computer's browser or a proxy keeps none of it: every teacher page (under teach/: classes, rosters,
    gradebooks and their CSV, attempt reviews, grading), the profile, and a learner's attempt summary."""

    PRIVATE_VIEWS = frozenset({"profile", "lessons:attempt_summary"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and (
            match.route.startswith(TEACHER_ROUTES) or match.view_name in self.PRIVATE_VIEWS
        ):
            add_never_cache_headers(response)
        return response


TEACHER_ROUTES = "teach/"


class IdleTeacherLogoutMiddleware:
    """Logs a teacher out after settings.TEACHER_IDLE_TIMEOUT without a request, and sends them to log in
    again (htmx requests are told to go there). A session is a teacher's from the login of a teacher (see
    web.signals) or from its first teacher page. The time of a teacher's last request is kept in the session,
    written at most once a minute so that a page costs no extra query."""

    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: object) -> HttpResponse | None:
        if not hasattr(request, "session") or not request.user.is_authenticated:
            return None
        session = request.session
        now = timezone.now().timestamp()
        match = request.resolver_match
        if match is not None and match.route.startswith(TEACHER_ROUTES) and not session.get(SESSION_TEACHING):
            # A new key too: the take pages' autosave tokens bound to the old one (lessons.web.autosave)
            # then go through this middleware again, as a teacher's session's requests must.
            session.cycle_key()
            session[SESSION_TEACHING] = True
        last_seen = session.get(SESSION_LAST_SEEN)
        idle = now - last_seen if isinstance(last_seen, int | float) else 0.0
        if session.get(SESSION_TEACHING) and idle > settings.TEACHER_IDLE_TIMEOUT.total_seconds():
            logout(request)
            messages.info(request, _("You were logged out after a time without activity. Log in again."))
            target = redirect_to_login(request.get_full_path())
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target["Location"]
                return response
            return target
        # Only a teacher's session is timed out, so only theirs records activity: a student's autosaves
        # (every few seconds, a class at a time) never write their session.
        if session.get(SESSION_TEACHING) and (last_seen is None or idle >= self.TOUCH_EVERY_SECONDS):
            session[SESSION_LAST_SEEN] = int(now)
        return None
