"""Signal receivers of the web layer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone

from lessons.services.classroom import is_teacher
from lessons.services.people import (
    SESSION_LAST_SEEN,
    SESSION_TEACHING,
    SESSION_TEMPORARY_PASSWORD,
    SESSION_TIME_ZONE,
    has_temporary_password,
    time_zone_of,
)
from lessons.web.context_processors import remember_nav_is_teacher


def remember_time_zone(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """At login, put the user's chosen time zone in the session, where the middleware finds it."""
    if request is None or not hasattr(request, "session"):
        return
    chosen = time_zone_of(user)
    if chosen:
        request.session[SESSION_TIME_ZONE] = chosen
    else:
        request.session.pop(SESSION_TIME_ZONE, None)


def remember_temporary_password(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """At login with a one-time password, note it in the session: the user must choose their own first."""
    if request is None or not hasattr(request, "session"):
        return
    if has_temporary_password(user):
        request.session[SESSION_TEMPORARY_PASSWORD] = True
    else:
        request.session.pop(SESSION_TEMPORARY_PASSWORD, None)


def start_idle_clock(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """At login, start the session's idle clock, and note a teacher's session: it ends when left idle.
    Whether the user teaches is kept for the navigation too, so the first pages after logging in (a class
    starting at the bell) neither ask it again nor write the session to keep it."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[SESSION_LAST_SEEN] = int(now)
    teaching = is_teacher(user)
    remember_nav_is_teacher(request, user.pk, teaching, now)
    if teaching:
        request.session[SESSION_TEACHING] = True
