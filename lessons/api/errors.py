"""One error shape for the whole API: `{"error": {"code", "message", "fields"}}`.

`code` is stable and machine-readable, `message` is for people (translated), `fields` maps the path of each
bad field (`answer`, `evidence[1]`) to its messages. Service errors keep their status (400, 404 where a 403
would reveal that something exists, 409 for state conflicts, 429 with Retry-After); a database outage is a
503 with Retry-After; anything unexpected is logged and answered with a 500 in the same shape, never a
traceback.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from lessons.services.errors import ServiceError
from lessons.services.throttle import Throttled as ServiceThrottled

logger = logging.getLogger(__name__)

DATABASE_RETRY_AFTER_SECONDS = 30


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "The request body is too large."


class ReadOnlyToken(exceptions.PermissionDenied):
    default_code = "read_only_token"


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def field_paths(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as one level: `{"a.b[0]": ["message"]}`."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found.update(field_paths(value, path))
        return found
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        found = {}
        for index, item in enumerate(detail):
            found.update(field_paths(item, f"{prefix}[{index}]"))
        return found
    return {prefix or "non_field_errors": [str(detail)]}


def _service_error(error: ServiceError) -> Response:
    fields = {error.field: [error.message]} if error.field else {}
    response = Response(error_body(_snake(type(error).__name__), error.message, fields), status=error.status)
    if isinstance(error, ServiceThrottled):
        response["Retry-After"] = str(error.limit.lockout_seconds)
    return response


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, ServiceError):
        return _service_error(exc)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", _("Not found.")), status=404)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError:
        logger.error("Database unavailable during an API request", exc_info=exc)
        response = Response(
            error_body("database_unavailable", _("The service is briefly unavailable. Try again shortly.")),
            status=503,
        )
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, exceptions.APIException):
        response = exception_handler(exc, context)  # DRF's: sets WWW-Authenticate and Retry-After
        assert response is not None
        if isinstance(exc, exceptions.ValidationError):
            response.data = error_body(
                "invalid", _("Some fields are not valid; see `fields`."), field_paths(exc.detail)
            )
        else:
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else exc.default_code
            response.data = error_body(str(code), str(exc.detail))
        return response
    logger.exception("Unexpected error during an API request", exc_info=exc)
    return Response(error_body("server_error", _("Something went wrong on our side.")), status=500)
