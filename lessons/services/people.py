"""A person's own account matters: the time zone their dates and times are shown in, and whether their
password is still the one-time password a teacher was shown."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Preferences, TemporaryPassword

from .errors import InvalidInput

# The session carries the chosen zone, so showing a page in it costs no query (see web.middleware).
SESSION_TIME_ZONE = "time_zone"
# Set at login while the user's password is a one-time one; see web.middleware.TemporaryPasswordMiddleware.
SESSION_TEMPORARY_PASSWORD = "temporary_password"  # noqa: S105 -- a session key, not a secret
# The time of the session's last request, and whether it is a teacher's; see web.middleware.IdleTeacherLogout.
SESSION_LAST_SEEN = "last_seen"
SESSION_TEACHING = "teaching"


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def preferences_set_time_zone(*, user: User, time_zone: str) -> Preferences:
    """Show the user's dates and times in `time_zone` (an IANA name); InvalidInput for an unknown one."""
    if time_zone not in known_time_zones():
        raise InvalidInput(_("Unknown time zone. Choose one from the list."), field="time_zone")
    preferences, _created = Preferences.objects.update_or_create(user=user, defaults={"time_zone": time_zone})
    return preferences


def time_zone_of(user: User) -> str | None:
    """The zone the user chose, or None for the site's."""
    return Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first()


def has_temporary_password(user: User) -> bool:
    """Whether the user's password is still the one a teacher was shown when the account was made."""
    return TemporaryPassword.objects.filter(user=user).exists()


def temporary_password_expired(user: User, *, now: dt.datetime | None = None) -> bool:
    """Whether the user's password is a one-time one issued longer ago than ONE_TIME_PASSWORD_MAX_AGE: it
    no longer logs them in (their teacher gives them a new one)."""
    cutoff = (now or timezone.now()) - settings.ONE_TIME_PASSWORD_MAX_AGE
    return TemporaryPassword.objects.filter(user=user, issued_at__lt=cutoff).exists()


def password_chosen(*, user: User) -> None:
    """The user set a password of their own: a one-time password no longer holds them."""
    TemporaryPassword.objects.filter(user=user).delete()
