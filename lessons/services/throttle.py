"""Abuse limits: how many tries an account and a client address get at logging in, asking for a password
reset, signing up and joining a class, counted in Django's cache (the test settings use locmem).

A limit counts events in a fixed window; past `attempts` it locks the subject out for `lockout`, and every
try while locked is refused without being checked (so the right password is refused too). The figures:

| what | per account | per address |
|---|---|---|
| failed logins | 5 in 15 min, then locked 15 min | 20 in 15 min, then locked 15 min |
| password-reset requests | 3 an hour (per e-mail), locked 1 hour | 5 an hour, locked 1 hour |
| sign-ups | - | 5 an hour, locked 1 hour |
| wrong join codes | 10 in 15 min, locked 15 min | 30 in 15 min, locked 15 min |

The address is REMOTE_ADDR unless settings.BEHIND_PROXY says a reverse proxy is in front; then it is the
last address of X-Forwarded-For (the one the proxy appended), so a client cannot pick its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

from .errors import ServiceError


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window_seconds: int
    lockout_seconds: int


MINUTE = 60
HOUR = 60 * MINUTE

LOGIN_PER_ACCOUNT = Limit("login-account", 5, 15 * MINUTE, 15 * MINUTE)
LOGIN_PER_ADDRESS = Limit("login-address", 20, 15 * MINUTE, 15 * MINUTE)
RESET_PER_ACCOUNT = Limit("reset-account", 3, HOUR, HOUR)
RESET_PER_ADDRESS = Limit("reset-address", 5, HOUR, HOUR)
SIGNUP_PER_ADDRESS = Limit("signup-address", 5, HOUR, HOUR)
JOIN_PER_ACCOUNT = Limit("join-account", 10, 15 * MINUTE, 15 * MINUTE)
JOIN_PER_ADDRESS = Limit("join-address", 30, 15 * MINUTE, 15 * MINUTE)


class Throttled(ServiceError):
    """Too many tries: refused until the lockout ends (429)."""

    status = 429

    def __init__(self, limit: Limit) -> None:
        minutes = max(1, limit.lockout_seconds // MINUTE)
        super().__init__(
            ngettext(
                "Too many attempts. Try again in %(minutes)d minute.",
                "Too many attempts. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )
        self.limit = limit


def client_address(request: HttpRequest) -> str:
    """The client's address as this site can trust it (see the module's docstring)."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def _keys(limit: Limit, subject: str) -> tuple[str, str]:
    # Hashed: usernames and e-mail addresses are not kept in the cache as they are, and any length fits.
    digest = hashlib.sha256(subject.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()
    return f"throttle:{limit.name}:count:{digest}", f"throttle:{limit.name}:locked:{digest}"


def throttle_check(limit: Limit, subject: str) -> None:
    """Raise Throttled while `subject` is locked out of `limit`."""
    _count_key, locked_key = _keys(limit, subject)
    if cache.get(locked_key):
        raise Throttled(limit)


def throttle_hit(limit: Limit, subject: str) -> None:
    """Count one try of `subject`; the one past `limit.attempts` in the window starts the lockout."""
    count_key, locked_key = _keys(limit, subject)
    cache.add(count_key, 0, timeout=limit.window_seconds)
    try:
        count = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, timeout=limit.window_seconds)
        count = 1
    if count >= limit.attempts:
        cache.set(locked_key, True, timeout=limit.lockout_seconds)
        cache.delete(count_key)


def throttle_clear(limit: Limit, subject: str) -> None:
    """Forget `subject`'s tries (an account's failed logins, once it logs in)."""
    count_key, _locked_key = _keys(limit, subject)
    cache.delete(count_key)


def throttle_check_all(*pairs: tuple[Limit, str]) -> None:
    for limit, subject in pairs:
        throttle_check(limit, subject)


def throttle_hit_all(*pairs: tuple[Limit, str]) -> None:
    for limit, subject in pairs:
        throttle_hit(limit, subject)
