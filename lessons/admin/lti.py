"""Admin for LTI 1.3: site administrators (superusers) register the learning platforms that launch the site,
see the tool's keys (never the private one) and the scores waiting to be sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lessons.models import LtiPlatform, LtiScorePost, LtiToolKey

from .people import SuperusersOnlyAdmin

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def _url_field(label: _StrPromise) -> forms.URLField:
    return forms.URLField(label=label, max_length=500, assume_scheme="https")


class LtiPlatformForm(forms.ModelForm):
    jwks_url = _url_field(_("platform JWKS URL"))
    auth_login_url = _url_field(_("authentication request URL"))
    token_url = _url_field(_("access token URL"))

    class Meta:
        model = LtiPlatform
        fields = (
            "name",
            "issuer",
            "client_id",
            "deployment_ids",
            "jwks_url",
            "auth_login_url",
            "token_url",
            "audience",
            "active",
        )
        widgets = {"deployment_ids": forms.Textarea(attrs={"rows": 3})}

    def clean_issuer(self) -> str:
        issuer = str(self.cleaned_data["issuer"]).strip()
        if not issuer.startswith(("https://", "http://")):
            raise forms.ValidationError(_("The issuer is the platform's URL, as it sends it in `iss`."))
        return issuer

    def clean_deployment_ids(self) -> str:
        lines = [
            line.strip() for line in str(self.cleaned_data["deployment_ids"]).splitlines() if line.strip()
        ]
        if not lines:
            raise forms.ValidationError(_("Give at least one deployment id."))
        return "\n".join(lines)


@admin.register(LtiPlatform)
class LtiPlatformAdmin(SuperusersOnlyAdmin):
    form = LtiPlatformForm
    list_display = ("name", "issuer", "client_id", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "issuer", "client_id")


@admin.register(LtiToolKey)
class LtiToolKeyAdmin(SuperusersOnlyAdmin):
    """Keys are made and rotated with `manage.py lti_tool_key`; here they are only read (no private key)."""

    list_display = ("kid", "created_at", "active", "published")
    fields = ("kid", "public_jwk", "created_at", "active", "published")
    readonly_fields = ("kid", "public_jwk", "created_at", "active")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LtiScorePost)
class LtiScorePostAdmin(SuperusersOnlyAdmin):
    list_display = (
        "attempt",
        "line_item",
        "created_at",
        "tries",
        "next_try_at",
        "delivered_at",
        "given_up_at",
    )
    list_filter = (("delivered_at", admin.EmptyFieldListFilter), ("given_up_at", admin.EmptyFieldListFilter))
    readonly_fields = (
        "attempt",
        "line_item",
        "lti_user",
        "created_at",
        "tries",
        "next_try_at",
        "delivered_at",
        "given_up_at",
        "last_error",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
