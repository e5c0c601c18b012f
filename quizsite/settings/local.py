"""Development on one machine: DEBUG on by default, a per-checkout secret key kept out of version control."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool, secret_key_from_file

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_from_file(BASE_DIR / ".local-secret-key")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come straight from the apps; only production collects them into STATIC_ROOT.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
