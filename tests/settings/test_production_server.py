"""The production settings boot a real server from a minimal environment: collectstatic into a fresh
folder, migrate, then a WSGI server process serving quizsite.wsgi's application (as gunicorn loads it) on a
free port, checked over HTTP: /healthz, a page with its hashed static files, JSON log lines
with the request id. Without collectstatic the server refuses to start and says why; with the database gone
/healthz and the pages are 503s."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GOOD_KEY = "k3Y-" + "x7Qp9zL2mN5vB8cR1tW4yE6uI0oA3sD" * 2


def minimal_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Only what production needs, plus the PATH and Python's own variables of this run."""
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV", "PYTHONPATH", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="quizsite.settings.production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        BEHIND_PROXY="true",
        LOG_FORMAT="json",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# A WSGI server process serving quizsite.wsgi.application (as gunicorn does), on a port the system picks,
# which it prints once it listens.
SERVE = """
import sys
from wsgiref.simple_server import make_server
from quizsite.wsgi import application
server = make_server("127.0.0.1", 0, application)
print(server.server_port, flush=True)
server.serve_forever()
"""


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[int]:
    """A server process, once it listens (it prints its port then); stopped afterwards."""
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # blocks until the server listens, or ends
            assert line.strip().isdigit(), f"the server did not start:\n{log.read_text()}"
            yield int(line)
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the collected static files and a migrated database."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = minimal_env(tmp_path)
    collected = manage(env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    migrated = manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    return tmp_path


def test_production_serves_healthz_and_a_page_with_its_static_files(prepared: Path) -> None:
    log = prepared / "server.log"
    with server(minimal_env(prepared), log) as port:
        status, headers, body = get(port, "/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})

        status, headers, body = get(port, "/", **{"X-Forwarded-Proto": "https", "X-Request-ID": "boot-1"})
        html = body.decode()
        assert status == 200, html
        assert headers["X-Request-ID"] == "boot-1"
        assert "Strict-Transport-Security" in headers
        stylesheet = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert stylesheet.startswith("/static/lessons/site.") and stylesheet != "/static/lessons/site.css"
        css_status, css_headers, _css = get(port, stylesheet, **{"X-Forwarded-Proto": "https"})
        assert css_status == 200 and "immutable" in css_headers.get("Cache-Control", "")

        # Plain HTTP is sent to HTTPS, except the health check.
        assert get(port, "/")[0] == 301

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line.get("request_id") == "boot-1" and line.get("path") == "/" for line in lines), lines


def test_production_refuses_to_start_before_collectstatic(tmp_path: Path) -> None:
    env = minimal_env(tmp_path)

    result = subprocess.run(
        [sys.executable, "-c", "import quizsite.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "Static files are not collected" in result.stderr and "collectstatic" in result.stderr


def test_with_the_database_gone_healthz_and_pages_are_503(prepared: Path) -> None:
    # A PostgreSQL server on a port where nothing listens: every connection is refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
    env = minimal_env(prepared, DATABASE_URL=f"postgres://quizsite@127.0.0.1:{dead_port}/quizsite")

    with server(env, prepared / "down.log") as port:
        status, headers, body = get(port, "/healthz")
        assert (status, json.loads(body)["status"]) == (503, "unavailable")
        # A session cookie: reading the session is the first thing to reach the database.
        signed_in = {"X-Forwarded-Proto": "https", "Cookie": f"sessionid={'a1b2c3d4' * 4}"}
        status, headers, body = get(port, "/", **signed_in)
        assert status == 503 and headers["Retry-After"] == "30"
        assert "Database unavailable" in body.decode()
