"""Whether the signed-in user teaches: computed at most once per request, and remembered in the session
for the navigation so that an ordinary page does not pay a query for its "Teach" link.

`request_is_teacher` is the authoritative answer (one query, then cached on `request.user`); teacher pages
call it before anything else. The navigation only decides whether to show a link, so it may use an answer
up to `NAV_RECHECK_SECONDS` old that the session kept; access is never decided by that copy.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lessons.services.classroom import is_teacher

REQUEST_CACHE_ATTR = "_quizsite_is_teacher"
SESSION_KEY = "quizsite_is_teacher"
NAV_RECHECK_SECONDS = 300


def request_is_teacher(request: HttpRequest) -> bool:
    """Whether the request's user is a teacher now: one query the first time in a request, none after."""
    user = request.user
    if not user.is_authenticated:
        return False
    cached = getattr(user, REQUEST_CACHE_ATTR, None)
    if cached is None:
        cached = is_teacher(user)
        setattr(user, REQUEST_CACHE_ATTR, cached)
    return bool(cached)


def teaching(request: HttpRequest) -> dict[str, Any]:
    """`is_teacher` for templates, worked out only if a template asks (the admin's never do)."""
    return {"is_teacher": SimpleLazyObject(lambda: nav_is_teacher(request))}


def nav_is_teacher(request: HttpRequest) -> bool:
    """No query for visitors; for a signed-in user at most one, and only when this request has not asked
    already and the session's copy is missing, is another user's or is stale."""
    user = request.user
    if not user.is_authenticated:
        return False
    known = getattr(user, REQUEST_CACHE_ATTR, None)
    now = time.time()
    kept = _kept_answer(request, user.pk, now)
    if known is None and kept is not None:
        return kept
    value = request_is_teacher(request)
    if kept != value:
        remember_nav_is_teacher(request, user.pk, value, now)
    return value


def remember_nav_is_teacher(request: HttpRequest, user_id: Any, value: bool, now: float) -> None:
    """The session's copy of whether the user teaches, as of `now` (a timestamp)."""
    request.session[SESSION_KEY] = [user_id, value, now]


def _kept_answer(request: HttpRequest, user_id: Any, now: float) -> bool | None:
    """The session's copy of the answer if it is this user's and fresh, else None."""
    kept = request.session.get(SESSION_KEY)
    if not (isinstance(kept, list) and len(kept) == 3 and isinstance(kept[2], int | float)):
        return None
    if kept[0] != user_id or not 0 <= now - kept[2] < NAV_RECHECK_SECONDS:
        return None
    return bool(kept[1])
