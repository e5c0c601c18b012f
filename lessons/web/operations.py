"""What running the site needs beside its pages: a request id on every request and its log lines, a health
endpoint for a load balancer, and the check that static files were collected before serving.

Both middlewares stand first in settings.MIDDLEWARE, before anything reads the session, the user or the
Host header: `/healthz` costs one `SELECT 1` and answers a load balancer's probe over plain HTTP and by IP
address (no HTTPS redirect, no ALLOWED_HOSTS check, no cookie).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from lessons.log_format import current_request_id

logger = logging.getLogger("lessons.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# An id from a proxy in front is kept when it looks like one (a UUID, a trace id); anything else, or none,
# is replaced, so a client cannot write arbitrary text into the logs.
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})


class RequestIdMiddleware:
    """Gives each request an id — the proxy's `X-Request-ID` when it sent a sensible one, else a new one —
    that every log line written while serving it carries, and sends it back in `X-Request-ID`. Logs one
    line per request (logger `lessons.requests`: method, path, status, duration)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _GOOD_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class HealthCheckMiddleware:
    """`GET /healthz`: 200 `{"status": "ok"}` when the process serves and the database answers a
    `SELECT 1`; 503 `{"status": "unavailable"}` with Retry-After when it does not. Nothing else runs for
    it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        response = health()
        response["Cache-Control"] = "no-store"
        return response


def health() -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.error("Health check: the database does not answer", exc_info=True)
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        response["Retry-After"] = "10"
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def require_static_manifest() -> None:
    """Refuse to serve with a manifest storage whose manifest is missing: every page would fail on its first
    `{% static %}`. Called where a server process starts (quizsite.wsgi, quizsite.asgi)."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return
    if not staticfiles_storage.manifest_storage.exists(staticfiles_storage.manifest_name):
        raise ImproperlyConfigured(
            f"Static files are not collected: no {staticfiles_storage.manifest_name} in "
            f"{settings.STATIC_ROOT}. Run `python manage.py collectstatic --noinput` with the same "
            "settings (and STATIC_ROOT) before starting the server."
        )
