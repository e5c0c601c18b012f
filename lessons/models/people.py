"""What a person chooses for themselves, apart from the account Django keeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Preferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences", primary_key=True
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        help_text=_("An IANA zone such as Europe/Madrid; dates and times are shown in it."),
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")
        constraints = [
            models.CheckConstraint(condition=~Q(time_zone=""), name="preferences_time_zone_given"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.time_zone}"


class TemporaryPassword(models.Model):
    """The account's password is still the one a teacher was shown when making it: the student must choose
    their own at their next login. The row goes when they do (by the change page or a reset)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("temporary password")
        verbose_name_plural = _("temporary passwords")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.issued_at:%Y-%m-%d}"


class TeacherProfile(models.Model):
    """A teacher's standing (DESIGN.md rule 12). A self-registered teacher is unverified: they build their own
    lessons and run their own classes. Material shared with teachers and making accounts in bulk wait until
    a site administrator, or a verified teacher of the same school by an invitation link, verifies them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_profile", primary_key=True
    )
    school = models.CharField(_("school"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("teacher profile")
        verbose_name_plural = _("teacher profiles")

    def __str__(self) -> str:
        return f"{self.user} · {self.school or '-'} · {'verified' if self.verified_at else 'unverified'}"


class ApiToken(models.Model):
    """A personal token for the REST API (`Authorization: Bearer <token>`). Only a SHA-256 digest of the
    token is kept: the token itself is shown once, when it is made. `prefix` (the token's visible start) finds
    the row; the digest, compared in constant time, proves the rest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("Read-only tokens may only read (GET, HEAD, OPTIONS).")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_given"),
            models.CheckConstraint(condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="api_token_digest_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.name} · {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
