"""The test suite: fast hashing, in-memory mail, no manifest needed for static files."""

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import ONE_TIME_PASSWORD_HASHER

DEBUG = False
SECRET_KEY = get_random_secret_key()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", ONE_TIME_PASSWORD_HASHER]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Static files come straight from the apps; only production collects them into STATIC_ROOT.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
# Look a static file up when one is asked for: scanning every app's static folder (the admin's hundreds of
# files) each time a test client loads its middleware costs more than the rest of a typical test.
WHITENOISE_AUTOREFRESH = True
