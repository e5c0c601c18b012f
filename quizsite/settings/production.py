"""Production: refuses to start with DEBUG on or without a real SECRET_KEY."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BEHIND_PROXY, DEBUG, SECRET_KEY, TEMPLATES, env_bool

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")

if BEHIND_PROXY:
    # Only a proxy of ours sets this header; without one in front, anyone could send it to pass for HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if not os.environ.get("REDIS_URL"):
    # Without a cache the server processes share, a session kept in one process's memory would outlive a
    # sign-out handled by another: each request reads its session from the database instead.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is asked of the browsers by the domain's owner and hard to undo: off unless they choose it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True

# Templates are read and compiled once per process (Django caches them when DEBUG is off; said here, so that
# no later change of TEMPLATES turns it off unnoticed).
TEMPLATES = [
    {
        **TEMPLATES[0],
        "APP_DIRS": False,
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],  # type: ignore[dict-item]
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]
# Static files: collected with a content hash in their names and compressed (gzip) by
# CompressedManifestStaticFilesStorage, served by WhiteNoise; a hashed name never changes content, so
# WhiteNoise lets browsers and proxies keep those a year (immutable). Others (none are linked) for an hour.
WHITENOISE_MAX_AGE = 60 * 60
