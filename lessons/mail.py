"""Where e-mail goes, from the environment (`EMAIL_URL`, or Django's usual EMAIL_HOST, EMAIL_PORT…), and
the backend that stands in when none is given: it refuses to send, so that no message (a password reset)
silently goes to a mail server on localhost:25 that is not there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

if TYPE_CHECKING:
    from django.core.mail.message import EmailMessage

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
NOT_CONFIGURED_BACKEND = "lessons.mail.NotConfiguredEmailBackend"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class NotConfiguredEmailBackend(BaseEmailBackend):
    """No mail server was configured: sending is an error that says what to set."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ImproperlyConfigured(
            "No e-mail server is configured: set EMAIL_URL (smtp://user:password@host:587) or EMAIL_HOST."
        )


def email_is_configured(backend: str) -> bool:
    return backend != NOT_CONFIGURED_BACKEND


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def email_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Django's EMAIL_* settings from the environment.

    `EMAIL_URL`: `smtp://user:password@host:587` (STARTTLS on port 587 unless `?tls=false`),
    `smtp+tls://…` (STARTTLS), `smtps://…` or `smtp+ssl://…` (TLS from the start, port 465 by default),
    `console://` (messages printed to the log: a trial server). The user and password are URL-encoded
    (`%40` for `@`). Otherwise EMAIL_HOST, EMAIL_PORT (587), EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
    EMAIL_USE_TLS (on unless EMAIL_USE_SSL) and EMAIL_USE_SSL. With neither, the backend refuses to send.
    DEFAULT_FROM_EMAIL (and SERVER_EMAIL, default the same) name the sender.
    """
    found: dict[str, Any] = {}
    sender = environ.get("DEFAULT_FROM_EMAIL", "").strip()
    if sender:
        found["DEFAULT_FROM_EMAIL"] = sender
        found["SERVER_EMAIL"] = environ.get("SERVER_EMAIL", "").strip() or sender
    timeout = environ.get("EMAIL_TIMEOUT", "").strip()
    found["EMAIL_TIMEOUT"] = int(timeout) if timeout else 10
    url = environ.get("EMAIL_URL", "").strip()
    if url:
        return found | _from_url(url)
    host = environ.get("EMAIL_HOST", "").strip()
    if not host:
        return found | {"EMAIL_BACKEND": NOT_CONFIGURED_BACKEND}
    use_ssl = _flag("EMAIL_USE_SSL", environ.get("EMAIL_USE_SSL") or "false")
    use_tls = _flag("EMAIL_USE_TLS", environ.get("EMAIL_USE_TLS") or ("false" if use_ssl else "true"))
    if use_ssl and use_tls:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
    return found | {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": host,
        "EMAIL_PORT": int(environ.get("EMAIL_PORT") or (465 if use_ssl else 587)),
        "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def _from_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE_BACKEND}
    if scheme not in {"smtp", "smtp+tls", "smtps", "smtp+ssl"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtp+tls://, smtps:// or console://, not {scheme!r}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no host: smtp://user:password@host:587")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    use_ssl = scheme in {"smtps", "smtp+ssl"} or _flag("ssl", query.get("ssl", "false"))
    try:
        port = parts.port or (465 if use_ssl else 587)
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL has a bad port: {error}") from error
    default_tls = "true" if scheme == "smtp+tls" or (not use_ssl and port == 587) else "false"
    use_tls = _flag("tls", query.get("tls", default_tls))
    if use_ssl and use_tls:
        raise ImproperlyConfigured("EMAIL_URL cannot ask for both TLS (STARTTLS) and SSL.")
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
