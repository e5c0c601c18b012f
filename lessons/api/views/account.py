"""Who the request is: the account, and the token it used."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from lessons.models import ApiToken
from lessons.services.classroom import is_teacher

from .. import serializers as s
from ..base import ApiView, documented


class MeView(ApiView):
    @documented(
        summary="Who am I: the account this request speaks for",
        response=s.MeSerializer,
        example={"username": "amina", "is_teacher": False, "token_name": "my laptop", "read_only": False},
        errors=[401, 429],
        tags=["account"],
    )
    def get(self, request: Request, version: str) -> Response:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        data = {
            "username": request.user.get_username(),
            "is_teacher": is_teacher(request.user),
            "token_name": token.name if token is not None else None,
            "read_only": token is not None and token.read_only,
        }
        return Response(s.MeSerializer(data).data)
