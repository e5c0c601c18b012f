"""Personal API tokens: made (and shown) once, listed, revoked, and checked on every API request.

A token reads `qs_<prefix>_<secret>`: the prefix (10 random characters) is stored as it is so a request's
token is found with one indexed lookup and so the profile page can name it; the secret (32 random bytes) is
never stored: only the SHA-256 digest of the whole token is, and it is compared in constant time. A token
carries no more rights than its user, and a read-only one is refused every unsafe method.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import ApiToken

from .errors import InvalidInput, NotAllowed
from .throttle import HOUR, Limit, throttle_check, throttle_hit

TOKEN_START = "qs_"  # noqa: S105 -- the visible start of every token, not a secret
PREFIX_LENGTH = 10
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
MAX_ACTIVE_TOKENS = 20
# Made tokens count against their user: a stolen session cannot mint tokens without end.
TOKEN_CREATE_PER_ACCOUNT = Limit("api-token-create", 10, HOUR, HOUR)
# Writing "last used" on every request would cost a query per request: once in this long is enough.
LAST_USED_EVERY = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, to be shown once and then forgotten


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def token_create(*, user: User, name: str, read_only: bool = False) -> NewToken:
    """Make a token for `user`, named `name`. Raises Throttled (429) past the creation limit and
    InvalidInput for an empty or too long name, or when the user already has MAX_ACTIVE_TOKENS."""
    throttle_check(TOKEN_CREATE_PER_ACCOUNT, str(user.pk))
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Give the token a name, so you know later where it is used."), field="name")
    if len(name) > 100:
        raise InvalidInput(_("A token's name has at most 100 characters."), field="name")
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise InvalidInput(
                _("You have %(count)d tokens in use: revoke one before making another.") % {"count": active},
                field="name",
            )
        throttle_hit(TOKEN_CREATE_PER_ACCOUNT, str(user.pk))
        prefix = _new_prefix()
        secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, digest=token_digest(secret), read_only=read_only
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, user: User, token_id: int, now: dt.datetime | None = None) -> ApiToken:
    """Revoke one of `user`'s tokens (again is harmless); NotAllowed (404) for anyone else's."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotAllowed(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included (so the profile shows what was revoked)."""
    return list(ApiToken.objects.filter(user=user))


def token_authenticate(raw: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The active token `raw` is, with its user (one query; one more at most every LAST_USED_EVERY to note
    when it was last used); None for a malformed, unknown, wrong or revoked token or an inactive user."""
    if not raw.startswith(TOKEN_START):
        return None
    prefix, separator, _secret = raw[len(TOKEN_START) :].partition("_")
    if not separator or len(prefix) != PREFIX_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    if token.revoked_at is not None or not token.user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
