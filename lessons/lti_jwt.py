"""LTI 1.3 security plumbing with no business rule in it: the tool's signing keys, the platform's JWKS, JWT
signing and checking, and the small HTTP client that reaches a platform.

PyJWT signs and verifies (RS256 only: a token naming another algorithm, `none` included, is refused);
`cryptography` makes the keys. A private key is kept encrypted (Fernet) with a key derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from jwt.algorithms import RSAAlgorithm

from lessons.models import LtiToolKey

ALGORITHM = "RS256"
JWKS_CACHE_SECONDS = 600
# Seconds of clock difference with a platform tolerated on `exp`, `iat` and `nbf`.
LEEWAY_SECONDS = 60


class PlatformUnreachable(Exception):
    """A platform endpoint did not answer, or answered with an error."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(("lessons.lti.private-key:" + settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


@transaction.atomic
def tool_key_create(private_key: rsa.RSAPrivateKey | None = None) -> LtiToolKey:
    """A new RSA key pair (or `private_key`) that signs from now on; older keys stay published (rotation)."""
    private_key = private_key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    kid = secrets.token_urlsafe(16)
    public_jwk = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
    public_jwk.update({"kid": kid, "alg": ALGORITHM, "use": "sig"})
    LtiToolKey.objects.filter(active=True).update(active=False)
    return LtiToolKey.objects.create(
        kid=kid, public_jwk=public_jwk, private_key_encrypted=_fernet().encrypt(pem).decode()
    )


def signing_key() -> tuple[str, Any]:
    """The kid and private key that sign the tool's messages, made on first use."""
    key = LtiToolKey.objects.filter(active=True).first() or tool_key_create()
    return key.kid, _private_key(_fernet().decrypt(key.private_key_encrypted.encode()))


@functools.lru_cache(maxsize=4)
def _private_key(pem: bytes) -> Any:
    """The loaded key, kept in memory: loading checks the key, which takes a tenth of a second."""
    return serialization.load_pem_private_key(pem, password=None)


def tool_jwks() -> dict[str, Any]:
    """The tool's public keys, for the JWKS endpoint (a key is made on first use)."""
    if not LtiToolKey.objects.filter(active=True).exists():
        tool_key_create()
    return {"keys": [key.public_jwk for key in LtiToolKey.objects.filter(published=True)]}


def sign(claims: dict[str, Any]) -> str:
    kid, private_key = signing_key()
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers={"kid": kid})


# ----------------------------------------------------------------------------------------------------
# HTTP to a platform


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body.decode() or "null")


def http(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
    timeout: float | None = None,
) -> HttpAnswer:
    """One request to a platform with a short timeout; PlatformUnreachable for no answer or a 4xx/5xx."""
    if not url.startswith(("https://", "http://")):
        raise PlatformUnreachable(f"not an http(s) URL: {url[:80]}")
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 -- the scheme is checked above
            request, timeout=timeout or settings.LTI_HTTP_TIMEOUT
        ) as answer:
            return HttpAnswer(answer.status, answer.read(1_000_000), dict(answer.headers.items()))
    except urllib.error.HTTPError as error:
        raise PlatformUnreachable(f"{method} {url[:80]}: HTTP {error.code}") from None
    except (OSError, ValueError) as error:
        raise PlatformUnreachable(f"{method} {url[:80]}: {error}"[:280]) from None


def platform_jwks(jwks_url: str, *, refresh: bool = False) -> dict[str, Any]:
    """The platform's public keys, cached for JWKS_CACHE_SECONDS."""
    cache_key = "lti-jwks:" + hashlib.sha256(jwks_url.encode()).hexdigest()
    found = None if refresh else cache.get(cache_key)
    if found is None:
        found = http("GET", jwks_url, headers={"Accept": "application/json"}).json()
        if not isinstance(found, dict) or not isinstance(found.get("keys"), list):
            raise PlatformUnreachable("the platform's JWKS is not a key set")
        cache.set(cache_key, found, JWKS_CACHE_SECONDS)
    return found


def platform_key(jwks_url: str, kid: str | None) -> Any:
    """The platform's public key with this kid, from its JWKS (fetched again once for an unknown kid, so a
    platform's key rotation is picked up); None when it has none."""
    for refresh in (False, True):
        for jwk in platform_jwks(jwks_url, refresh=refresh)["keys"]:
            if isinstance(jwk, dict) and jwk.get("kid") == kid and jwk.get("kty") == "RSA":
                return RSAAlgorithm.from_jwk(jwk)
    return None


def unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims of a token, not yet verified: only to find out which platform sent it."""
    return jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})


def verify(token: str, *, key: Any, audience: str, issuer: str) -> dict[str, Any]:
    """The claims of a token signed with `key` for `audience` by `issuer`, unexpired; else jwt.PyJWTError."""
    return jwt.decode(
        token,
        key,
        algorithms=[ALGORITHM],
        audience=audience,
        issuer=issuer,
        leeway=LEEWAY_SECONDS,
        options={"require": ["exp", "iat", "iss", "aud", "nonce"]},
    )


def now_seconds() -> int:
    return int(time.time())
