"""What every API view shares: authentication (token first, so a 401 names the Bearer scheme; then the
session with its CSRF check), the read-only token rule, the body size limit, and the schema helper that gives
every operation a summary, its error responses and an example."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import PersonalTokenAuthentication, TokenScope
from .errors import PayloadTooLarge
from .serializers import ErrorSerializer

# A body larger than this is refused before it is read (413): an answer is a few hundred bytes.
DEFAULT_MAX_BODY_BYTES = 64 * 1024


class ApiView(APIView):
    authentication_classes = [PersonalTokenAuthentication, SessionAuthentication]
    permission_classes = [TokenScope, permissions.IsAuthenticated]
    # A view taking larger bodies (a lesson file) names its own limit; else API_MAX_BODY_BYTES.
    max_body_bytes: int | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        limit: int = self.max_body_bytes or int(
            getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)
        )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise PayloadTooLarge(_("The request body is larger than %(limit)d bytes.") % {"limit": limit})
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.has_header("ETag"):
            # Content named by its ETag: kept by the client alone, and asked again with If-None-Match.
            patch_cache_control(response, private=True, no_cache=True, max_age=0)
        else:
            # One person's data: no browser or proxy keeps a copy (as PrivatePagesNotStoredMiddleware does).
            add_never_cache_headers(response)
        return response


def not_modified(request: Request, etag: str) -> Response | None:
    """A 304 (with the ETag, no body) when the request's If-None-Match names `etag` (or `*`); else None."""
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    bare = etag.removeprefix("W/")
    if "*" in wanted or any(tag.removeprefix("W/") == bare for tag in wanted):
        return Response(status=304, headers={"ETag": etag})
    return None


IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the copy you have: a 304 with no body if it is still current.",
)


class PublicApiView(ApiView):
    """Readable without signing in (as the public pages are)."""

    permission_classes = [TokenScope, permissions.AllowAny]


ERROR_MEANINGS = {
    400: "Malformed or invalid: `fields` names each bad field by its path.",
    401: "Not signed in, or the token is unknown or revoked.",
    403: "Not allowed: a read-only token used to write, or a failed CSRF check of a session.",
    404: "Not found, or not yours: the two are not told apart.",
    409: "The state does not allow it (an attempt already submitted, an answer already final, …).",
    413: "The request body is too large.",
    429: "Too many tries: wait for `Retry-After` seconds.",
}

ERROR_EXAMPLES = {
    400: {
        "code": "invalid",
        "message": "Some fields are not valid; see `fields`.",
        "fields": {"answer": ["…"]},
    },
    401: {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "fields": {},
    },
    403: {"code": "read_only_token", "message": "This token is read-only.", "fields": {}},
    404: {"code": "not_found", "message": "Not found.", "fields": {}},
    409: {
        "code": "attempt_closed",
        "message": "This attempt has been submitted; its answers can no longer change.",
        "fields": {},
    },
    413: {
        "code": "payload_too_large",
        "message": "The request body is larger than 65536 bytes.",
        "fields": {},
    },
    429: {"code": "throttled", "message": "Too many attempts. Try again in 15 minutes.", "fields": {}},
}


def documented(
    *,
    summary: str,
    response: Any,
    example: Any,
    errors: Sequence[int],
    request: Any = None,
    request_example: Any = None,
    status: int = 200,
    parameters: Sequence[Any] = (),
    tags: Sequence[str] = (),
    operation_id: str | None = None,
    media_type: str | None = None,
    media_types: Sequence[str] = (),
    request_examples: Mapping[str, Any] | None = None,
    conditional: bool = False,
    description: str = "",
) -> Callable[[Any], Any]:
    """`extend_schema` with the summary, the success response with its example, and each error response
    (always in the one error shape) with an example of its own. A 204 has no body (`response=None`);
    `media_type` names a success body that is not JSON (a CSV file); `media_types`, a file whose type
    depends on the request (`example` then maps each type to its example); `request_examples`, an example
    for each media type of a request sent in several; `conditional`, an answer with an ETag that
    If-None-Match turns into a 304."""
    responses: dict[Any, Any] = {}
    if conditional:
        parameters = [*parameters, IF_NONE_MATCH]
        responses[304] = OpenApiResponse(response=None, description="Not modified: your copy is current.")
    if status == 204:
        responses[204] = OpenApiResponse(response=None, description="Done: no body.")
    elif media_types:
        for kind in media_types:
            responses[(status, kind)] = OpenApiResponse(
                response=response,
                examples=[OpenApiExample(f"Success ({kind})", value=example[kind], response_only=True)],
            )
    else:
        success = OpenApiResponse(
            response=response, examples=[OpenApiExample("Success", value=example, response_only=True)]
        )
        responses[(status, media_type) if media_type else status] = success
    for code in errors:
        responses[(code, "application/json") if media_type or media_types else code] = OpenApiResponse(
            response=ErrorSerializer,
            description=ERROR_MEANINGS[code],
            examples=[
                OpenApiExample(f"Error {code}", value={"error": ERROR_EXAMPLES[code]}, response_only=True)
            ],
        )
    examples = (
        [OpenApiExample("Request", value=request_example, request_only=True)] if request_example else []
    )
    examples += [
        OpenApiExample(f"Request ({kind})", value=value, request_only=True, media_type=kind)
        for kind, value in (request_examples or {}).items()
    ]
    return extend_schema(
        summary=summary,
        description=description or None,
        request=request,
        responses=responses,
        examples=examples,
        parameters=list(parameters),
        tags=list(tags),
        operation_id=operation_id,
    )
