"""Production settings pass Django's deployment checks with no warning, send HSTS for a year to every
subdomain, and believe X-Forwarded-Proto only when told a proxy is in front (BEHIND_PROXY)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GOOD_KEY = "k3Y-" + "x7Qp9zL2mN5vB8cR1tW4yE6uI0oA3sD" * 2


def run_production(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "BEHIND_PROXY", "SECURE_HSTS_PRELOAD"}
    }
    clean_env.update(DJANGO_SETTINGS_MODULE="quizsite.settings.production", SECRET_KEY=GOOD_KEY, **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean_env, capture_output=True, text=True, check=False
    )


def production_setting(expression: str, **env: str) -> str:
    code = f"from django.conf import settings; print({expression})"
    result = run_production(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_deployment_checks_pass_without_a_warning_under_production_settings() -> None:
    result = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_sends_hsts_for_a_year_to_every_subdomain() -> None:
    shown = production_setting("settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS")

    assert shown == "31536000 True"


def test_the_forwarded_protocol_is_believed_only_behind_a_proxy() -> None:
    assert production_setting("settings.SECURE_PROXY_SSL_HEADER") == "None"
    assert production_setting("settings.SECURE_PROXY_SSL_HEADER", BEHIND_PROXY="true") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_sessions_live_in_memory_only_when_every_server_process_shares_the_cache() -> None:
    """A sign-out handled by one gunicorn worker must end the session in the others: without a shared cache
    (REDIS_URL) each request reads its session from the database."""
    assert production_setting("settings.SESSION_ENGINE") == "django.contrib.sessions.backends.db"
    assert (
        production_setting("settings.SESSION_ENGINE", REDIS_URL="redis://127.0.0.1:6379/0")
        == "django.contrib.sessions.backends.cached_db"
    )
