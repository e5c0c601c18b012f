"""How an API request says who it is: the site's session (with its CSRF check, for the browser) or a
personal token (`Authorization: Bearer qs_…`, made on the profile page; only its hash is stored)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from lessons.models import ApiToken
from lessons.services.api_tokens import token_authenticate

from .errors import ReadOnlyToken

KEYWORD = "Bearer"


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _space, raw = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None  # another scheme: not ours to refuse
        token = token_authenticate(raw.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid: it is unknown or was revoked."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


class TokenScope(permissions.BasePermission):
    """A read-only token may only read: any unsafe method is refused (403)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only and request.method not in permissions.SAFE_METHODS:
            raise ReadOnlyToken(_("This token is read-only."))
        return True


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalTokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token made on the profile page: `Authorization: Bearer qs_…`.",
        }
