"""Settings read from the environment; production refuses unsafe configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GOOD_KEY = "k3Y-" + "x7Qp9zL2mN5vB8cR1tW4yE6uI0oA3sD" * 2


def load_settings(module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    clean_env.update(env)
    code = (
        f"import os; os.environ['DJANGO_SETTINGS_MODULE'] = '{module}'; "
        "from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(db['ENGINE'], settings.DEBUG, db.get('CONN_MAX_AGE'), db.get('CONN_HEALTH_CHECKS'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = load_settings("quizsite.settings.production")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize("weak_key", ["short", "django-insecure-" + "a" * 50, "a" * 60])
def test_production_refuses_a_weak_secret_key(weak_key: str) -> None:
    result = load_settings("quizsite.settings.production", SECRET_KEY=weak_key)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_debug() -> None:
    result = load_settings("quizsite.settings.production", SECRET_KEY=GOOD_KEY, DEBUG="true")

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_starts_with_a_real_key_and_debug_off() -> None:
    result = load_settings("quizsite.settings.production", SECRET_KEY=GOOD_KEY)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False", "0", "True"]


def test_database_url_switches_to_postgresql_with_persistent_checked_connections() -> None:
    result = load_settings(
        "quizsite.settings.production",
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/quizsite",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "600", "True"]


def test_a_malformed_debug_value_is_refused() -> None:
    result = load_settings("quizsite.settings.local", DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
