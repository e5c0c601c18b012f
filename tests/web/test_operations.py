"""What a school's IT needs from a running site: `/healthz` for a load balancer (process and database, no
session, one query), a request id on every request and its log lines, JSON log lines on request, and a
clear refusal to serve before `collectstatic`."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections
from django.test import Client, override_settings
from django.urls import reverse

from lessons.log_format import JsonFormatter, RequestIdFilter
from lessons.web.operations import require_static_manifest

pytestmark = pytest.mark.django_db


@contextmanager
def database_down() -> Iterator[None]:
    connection = connections["default"]

    def refuse() -> None:
        raise OperationalError("connection refused")

    connection.ensure_connection = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        del connection.ensure_connection


def test_healthz_is_ok_with_one_query_and_no_cookie(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_healthz_is_a_503_when_the_database_does_not_answer(client: Client, caplog: Any) -> None:
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response["Retry-After"]
    assert "Health check: the database does not answer" in caplog.text


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["quiz.school.example"])
def test_healthz_answers_a_probe_over_http_by_ip_address(client: Client) -> None:
    # A load balancer probes the instance's address over plain HTTP: no redirect, no host check.
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400  # every other page checks


def test_healthz_ignores_a_signed_in_session(client: Client, learner: Any) -> None:
    client.force_login(learner)

    # The session's row is never read: with the database down the answer is the database's, not a 500.
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503 and response.json()["database"] == "unavailable"


def test_healthz_takes_only_get(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_every_response_carries_a_request_id_and_keeps_a_sensible_one_from_the_proxy(client: Client) -> None:
    made = client.get(reverse("lessons:home"))["X-Request-ID"]
    kept = client.get(reverse("lessons:home"), HTTP_X_REQUEST_ID="lb-4f2a9c.17")["X-Request-ID"]
    replaced = client.get(reverse("lessons:home"), HTTP_X_REQUEST_ID="bad id\nforged=1")["X-Request-ID"]

    assert len(made) == 32 and made != client.get(reverse("lessons:home"))["X-Request-ID"]
    assert kept == "lb-4f2a9c.17"
    assert len(replaced) == 32 and "forged" not in replaced


@contextmanager
def json_lines() -> Iterator[io.StringIO]:
    """What the root logger writes as JSON lines meanwhile (the handler LOG_FORMAT=json configures)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def test_log_lines_are_json_with_the_request_id_and_one_line_per_request(client: Client) -> None:
    with json_lines() as stream:
        response = client.get(reverse("lessons:home"), HTTP_X_REQUEST_ID="req-123")
        logging.getLogger("lessons.test").warning("outside any request")

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_line = next(line for line in lines if line["logger"] == "lessons.requests")
    assert response.status_code == 200
    assert request_line["request_id"] == "req-123"
    assert (request_line["method"], request_line["path"], request_line["status"]) == ("GET", "/", 200)
    assert isinstance(request_line["duration_ms"], float)
    assert {"time", "level", "message"} <= set(request_line)
    assert lines[-1]["request_id"] == "-" and lines[-1]["message"] == "outside any request"


def test_a_traceback_is_one_json_line(client: Client, monkeypatch: Any) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("lessons.web.views.catalog.selectors.published_lessons_for", fail)
    client.raise_request_exception = False

    with json_lines() as stream:
        client.get(reverse("lessons:home"), HTTP_X_REQUEST_ID="req-500")

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    error = next(line for line in lines if "exception" in line)
    assert error["request_id"] == "req-500" and "RuntimeError: a bug" in error["exception"]


def test_serving_without_collected_static_files_fails_clearly(tmp_path: Path) -> None:
    manifest_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=manifest_storage, STATIC_ROOT=tmp_path):
        with pytest.raises(Exception, match="collectstatic"):
            require_static_manifest()
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
        require_static_manifest()
