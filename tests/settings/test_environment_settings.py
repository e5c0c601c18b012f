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


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def test_every_process_keeps_its_own_cache_unless_redis_url_is_set() -> None:
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "quizsite.settings.local"
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]

    alone = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    shared = subprocess.run(
        run, cwd=ROOT, env={**env, "REDIS_URL": "redis://127.0.0.1:6379/15"}, capture_output=True, text=True
    )

    assert alone.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    assert shared.stdout.strip() == "django.core.cache.backends.redis.RedisCache", shared.stderr


@pytest.mark.skipif(not redis_answers(), reason="no Redis answers on 127.0.0.1:6379")
def test_two_processes_count_one_limit_through_redis() -> None:
    """The abuse limits hold across server processes: a try counted in one is seen by the next."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quizsite.settings.local",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    key = f"throttle-test-{os.getpid()}"
    count = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"cache.add('{key}', 0, 60); print(cache.incr('{key}'))"
    )
    seen = [
        subprocess.run(
            [sys.executable, "-c", count], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]

    assert seen == ["1", "2"]
