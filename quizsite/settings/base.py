"""Settings shared by every environment; whatever differs between machines comes from the environment."""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from lessons.mail import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


ONE_TIME_PASSWORD_HASHER = "lessons.hashers.OneTimePasswordHasher"  # noqa: S105 -- a class path


def secret_key_from_file(key_file: Path) -> str:
    """The key kept in `key_file`, made on first use with a random key that only its owner may read (0600,
    set as the file is created, so it is never readable by others even for a moment)."""
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(descriptor, "w") as new_file:
        new_file.write(get_random_secret_key())
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Whether a proxy of ours (which sets X-Forwarded-Proto and X-Forwarded-For) stands in front of the site;
# only then are those headers believed (the abuse limits of lessons/services/throttle.py then count the
# address the proxy appended to X-Forwarded-For, the last one).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "lessons",
]

MIDDLEWARE = [
    # First, before anything reads the Host header, the session or the user: the request id of the log lines,
    # and /healthz, which a load balancer probes over plain HTTP by IP address (lessons.web.operations).
    "lessons.web.operations.RequestIdMiddleware",
    "lessons.web.operations.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lessons.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An htmx autosave bound to its session is answered here, in one statement, without the rest of the
    # stack (lessons.web.autosave); every other request goes on.
    "lessons.web.autosave.LeanAutosaveMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lessons.web.middleware.ViewerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lessons.web.middleware.IdleTeacherLogoutMiddleware",
    "lessons.web.middleware.TemporaryPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lessons.web.middleware.PrivatePagesNotStoredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lessons.web.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "quizsite.urls"

# Sent on every response (lessons.web.middleware.SecurityHeadersMiddleware). No page has an inline script or
# style: scripts, styles and images come from the site itself, and no other site may frame it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lessons.web.context_processors.teaching",
            ],
        },
    },
]

WSGI_APPLICATION = "quizsite.wsgi.application"
ASGI_APPLICATION = "quizsite.asgi.application"

# SQLite file by default; DATABASE_URL=postgres://… switches to PostgreSQL through psycopg 3 with persistent,
# health-checked connections.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing for a local file and keep it locked between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

# The cache keeps the abuse limits' counts (lessons/services/throttle.py). Each process has a local-memory
# cache of its own by default, so with several server processes REDIS_URL must give them one shared count.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# Sessions are read from the cache and written through to the database (which keeps them across a cache
# restart): a signed-in request reads its session without a query. With REDIS_URL every process shares them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id sized for a class signing in at once (lessons.hashers), then the hashers of passwords set before,
# which still verify and are re-hashed with the first at the next login; the last one hashes only one-time
# passwords (see lessons.hashers), never a chosen password.
PASSWORD_HASHERS = [
    "lessons.hashers.SchoolArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    ONE_TIME_PASSWORD_HASHER,
]
# A teacher's session ends after this long without a request (lessons.web.middleware.IdleTeacherLogout):
# their pages show a class's names and grades, and school computers are shared.
TEACHER_IDLE_TIMEOUT = dt.timedelta(minutes=int(os.environ.get("TEACHER_IDLE_MINUTES", "120")))
# A one-time password a teacher was shown stops working this long after it was issued.
ONE_TIME_PASSWORD_MAX_AGE = dt.timedelta(days=int(os.environ.get("ONE_TIME_PASSWORD_DAYS", "7")))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "lessons" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the static files that production serves (WhiteNoise, from the manifest).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "lessons:home"
LOGOUT_REDIRECT_URL = "lessons:home"

REST_FRAMEWORK = {
    # The API's views add personal tokens (lessons.api.base.ApiView); the session comes with its CSRF check.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # The answer's type comes from the Accept header alone, never a `?format=` that a link could carry.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lessons.api.errors.api_exception_handler",
    # Anonymous use of the API (the catalogue and lessons) is limited per address; the join codes and token
    # creation have the abuse limits of lessons/services/throttle.py.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "600/hour")},
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
}
# An API request body above this is refused with a 413 before it is read.
API_MAX_BODY_BYTES = 64 * 1024

SPECTACULAR_SETTINGS = {
    "TITLE": "quizsite API",
    "DESCRIPTION": (
        "Current-affairs lessons for classrooms and self-study. Authenticate with the site's session (and "
        "its CSRF token) or a personal token from the profile page: `Authorization: Bearer qs_…`. Every "
        'error has one shape: `{"error": {"code", "message", "fields"}}`.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs UI comes from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AidVisibilityEnum": "lessons.models.choices.AidVisibility",
        "TreatyStatusEnum": "lessons.models.choices.TreatyStatus",
    },
}

# E-mail (password resets): EMAIL_URL or EMAIL_HOST and the rest (see lessons.mail); without them the backend
# refuses to send and the password-reset page says it is not set up, rather than try localhost:25.
globals().update(email_settings(os.environ))

# Logs go to standard error: plain lines, or with LOG_FORMAT=json one JSON object a line; either way every
# record carries the id of the request it was written for (lessons.web.operations.RequestIdMiddleware).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower() or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "lessons.log_format.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "lessons.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's own line per request, in the same format (the site logs its own: lessons.requests).
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# LTI 1.3 (lessons/services/lti.py): seconds the tool waits for a platform (its keys, tokens, grade and
# roster services) before giving up; a score not sent is retried by `manage.py send_lti_scores`.
LTI_HTTP_TIMEOUT = float(os.environ.get("LTI_HTTP_TIMEOUT", "3"))
