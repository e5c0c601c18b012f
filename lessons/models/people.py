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
