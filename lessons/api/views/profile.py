"""What the profile page changes, and teacher invitations: the time zone dates and times are shown in, the
personal API tokens (made and shown once, listed, revoked), a verified teacher's invitation link for a
colleague, and accepting one.

Each mirrors `lessons.web.views.accounts.profile` and `lessons.web.views.invitations` and calls the same
services (`lessons.services.people`, `.api_tokens`): the rules (a known IANA zone, a token's name and the
limit on making them, who may invite) are decided there. Someone else's token is a 404.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.models import ApiToken
from lessons.services.api_tokens import token_create, token_revoke, user_tokens
from lessons.services.classroom import is_teacher
from lessons.services.people import (
    TEACHER_INVITATION_LIFETIME,
    preferences_set_time_zone,
    teacher_invitation_accept,
    teacher_invitation_make,
    time_zone_of,
)

from ..base import ApiView, documented
from ..lists import PAGE_PARAMETER, Pages, page_example, page_serializer
from .teacher import teacher_of


class TimeZoneSerializer(serializers.Serializer):
    time_zone = serializers.CharField(
        allow_null=True, help_text="An IANA zone (Europe/Madrid); null: the site's, until one is chosen."
    )


class TimeZoneInputSerializer(serializers.Serializer):
    time_zone = serializers.CharField(max_length=64, help_text="An IANA zone: Europe/Madrid, America/Bogota.")


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The start of the token after qs_, to tell tokens apart.")
    read_only = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The whole token, shown this once: only its hash is kept.")


class ApiTokenInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Where it is used (at most 100 characters).")
    read_only = serializers.BooleanField(required=False, default=False)


class InvitationSerializer(serializers.Serializer):
    link = serializers.CharField(help_text="The page a colleague opens to accept it.")
    token = serializers.CharField(help_text="What POST invitations/{token}/accept/ takes.")
    days = serializers.IntegerField(help_text="How many days the invitation holds.")


class AcceptedSerializer(serializers.Serializer):
    is_teacher = serializers.BooleanField()
    school = serializers.CharField(allow_blank=True)
    verified = serializers.BooleanField()


def token_data(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "read_only": token.read_only,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


TOKEN = {
    "id": 3,
    "name": "my laptop",
    "prefix": "k2j4h6g8f0",
    "read_only": True,
    "created_at": "2026-01-05T08:00:00Z",
    "last_used_at": None,
    "revoked_at": None,
}
ApiTokenPage = page_serializer(ApiTokenSerializer, "ApiTokenPage")


class TimeZoneView(ApiView):
    @documented(
        summary="The time zone my dates and times are shown in on the site",
        response=TimeZoneSerializer,
        example={"time_zone": "Europe/Madrid"},
        errors=[401, 429],
        tags=["account"],
        operation_id="me_time_zone_retrieve",
    )
    def get(self, request: Request, version: str) -> Response:
        return Response(TimeZoneSerializer({"time_zone": time_zone_of(request.user)}).data)

    @documented(
        summary="Show my dates and times in this time zone",
        request=TimeZoneInputSerializer,
        request_example={"time_zone": "Europe/Madrid"},
        response=TimeZoneSerializer,
        example={"time_zone": "Europe/Madrid"},
        errors=[400, 401, 403, 413, 429],
        tags=["account"],
        operation_id="me_time_zone_update",
    )
    def put(self, request: Request, version: str) -> Response:
        body = TimeZoneInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        chosen = preferences_set_time_zone(user=request.user, time_zone=body.validated_data["time_zone"])
        return Response(TimeZoneSerializer({"time_zone": chosen.time_zone}).data)


class TokensView(ApiView):
    @documented(
        summary="My API tokens, newest first, revoked ones included (never the tokens themselves)",
        response=ApiTokenPage,
        example=page_example(TOKEN),
        errors=[401, 404, 429],
        parameters=[PAGE_PARAMETER],
        tags=["account"],
        operation_id="me_tokens_list",
    )
    def get(self, request: Request, version: str) -> Response:
        paginator = Pages()
        page = paginator.paginate_queryset(user_tokens(request.user), request, view=self) or []
        return paginator.get_paginated_response(
            ApiTokenSerializer([token_data(token) for token in page], many=True).data
        )

    @documented(
        summary="Make an API token (optionally read-only); the answer shows it this once",
        request=ApiTokenInputSerializer,
        request_example={"name": "my laptop", "read_only": True},
        response=NewApiTokenSerializer,
        example={**TOKEN, "token": "qs_k2j4h6g8f0_…"},
        status=201,
        errors=[400, 401, 403, 413, 429],
        tags=["account"],
    )
    def post(self, request: Request, version: str) -> Response:
        body = ApiTokenInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = token_create(user=request.user, **body.validated_data)
        data = {**token_data(made.token), "token": made.secret}
        return Response(NewApiTokenSerializer(data).data, status=201)


class TokenView(ApiView):
    @documented(
        summary="Revoke one of my API tokens (again is harmless); it stops working at once",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 429],
        tags=["account"],
    )
    def delete(self, request: Request, version: str, token_id: int) -> Response:
        token_revoke(user=request.user, token_id=token_id)
        return Response(status=204)


class InvitationsView(ApiView):
    @documented(
        summary="An invitation link for a colleague to join my school as a verified teacher (verified "
        "teachers only: 404 otherwise)",
        response=InvitationSerializer,
        example={
            "link": "https://quiz.example.org/accounts/teacher-invitation/eyJieSI6…/",
            "token": "eyJieSI6…",
            "days": 14,
        },
        status=201,
        errors=[401, 403, 404, 429],
        tags=["teaching"],
        operation_id="teach_invitations_create",
    )
    def post(self, request: Request, version: str) -> Response:
        token = teacher_invitation_make(by=teacher_of(request))
        link = request.build_absolute_uri(reverse("teacher_invitation", args=[token]))
        data = {"link": link, "token": token, "days": TEACHER_INVITATION_LIFETIME.days}
        return Response(InvitationSerializer(data).data, status=201)


class InvitationAcceptView(ApiView):
    @documented(
        summary="Accept a colleague's invitation: I become a verified teacher of their school",
        response=AcceptedSerializer,
        example={"is_teacher": True, "school": "Colegio San Martín", "verified": True},
        errors=[400, 401, 403, 404, 429],
        tags=["account"],
        operation_id="invitation_accept",
    )
    def post(self, request: Request, version: str, token: str) -> Response:
        profile = teacher_invitation_accept(user=request.user, token=token)
        data = {
            "is_teacher": is_teacher(request.user),
            "school": profile.school,
            "verified": profile.verified_at is not None,
        }
        return Response(AcceptedSerializer(data).data)
