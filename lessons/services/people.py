"""A person's own choices: the time zone their dates and times are shown in."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from lessons.models import Preferences

from .errors import InvalidInput

# The session carries the chosen zone, so showing a page in it costs no query (see web.middleware).
SESSION_TIME_ZONE = "time_zone"


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
