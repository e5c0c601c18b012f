"""A database outage is a 503 for everyone (DESIGN.md rule 6): signed-in or not, whichever middleware
reaches the database first (the session, the user), pages get the "database unavailable" page, autosave a
short 503 its script retries, JSON callers JSON; every one with Retry-After and never a traceback. The
connection is made to fail as a dropped server makes it fail: opening a cursor raises OperationalError."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse
from factories.people import PASSWORD

from lessons.models import Assignment, Attempt, AttemptState

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@contextmanager
def database_down() -> Iterator[None]:
    """Every new cursor of the default connection fails, as it does when the server is gone."""
    connection = connections["default"]

    def refuse() -> None:
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    connection.ensure_connection = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        del connection.ensure_connection


def outage_client(username: str | None = None) -> Client:
    client = Client(raise_request_exception=False)
    if username is not None:
        assert client.login(username=username, password=PASSWORD)
    return client


def assert_unavailable(response: Any) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Traceback" not in body and "OperationalError" not in body
    return body


def test_an_anonymous_visitor_gets_the_database_unavailable_page() -> None:
    with database_down():
        response = outage_client().get(reverse("lessons:home"))

    body = assert_unavailable(response)
    assert "Database unavailable" in body and "<h1>" in body


def test_logging_in_during_an_outage_is_a_503(class_student: User) -> None:
    with database_down():
        response = outage_client().post(
            reverse("login"), {"username": class_student.username, "password": PASSWORD}
        )

    assert "Database unavailable" in assert_unavailable(response)


def test_a_signed_in_page_is_a_503_although_the_session_is_read_before_the_view(
    class_student: User, caplog: Any
) -> None:
    client = outage_client(class_student.username)

    with database_down():
        response = client.get(reverse("lessons:my_classes"))

    body = assert_unavailable(response)
    assert "Database unavailable" in body and "<h1>" in body
    assert "Database unavailable while serving /classes/" in caplog.text


def test_a_signed_in_teacher_page_is_a_503(teacher: User) -> None:
    client = outage_client(teacher.username)

    with database_down():
        response = client.get(reverse("lessons:teacher_dashboard"))

    assert "Database unavailable" in assert_unavailable(response)


def test_autosave_during_an_outage_is_a_503_its_script_retries_and_nothing_is_written(
    class_student: User, assignment: Assignment
) -> None:
    client = outage_client(class_student.username)
    assert client.post(reverse("lessons:assignment_take", args=[assignment.pk])).status_code == 303
    attempt = Attempt.objects.get(assignment=assignment, state=AttemptState.OPEN)
    url = reverse("lessons:assignment_save", args=[assignment.pk, "q01"])

    with database_down():
        response = client.post(url, {"answer": "b", "sequence": 1}, headers=HTMX)

    body = assert_unavailable(response)
    assert response["Content-Type"].startswith("text/plain")
    assert "Database unavailable" in body and "<html" not in body
    assert not attempt.responses.exists()
    # Once the database is back, the same save (same sequence) lands.
    assert client.post(url, {"answer": "b", "sequence": 1}, headers=HTMX).status_code == 200
    assert attempt.responses.get().answer == "b"


def test_autosave_without_js_gets_the_page(class_student: User, assignment: Assignment) -> None:
    client = outage_client(class_student.username)
    url = reverse("lessons:assignment_save", args=[assignment.pk, "q01"])

    with database_down():
        response = client.post(url, {"answer": "b", "sequence": 1})

    assert "<h1>" in assert_unavailable(response)


def test_a_json_caller_gets_json(class_student: User) -> None:
    client = outage_client(class_student.username)

    with database_down():
        response = client.get(reverse("lessons:my_classes"), headers={"Accept": "application/json"})

    assert_unavailable(response)
    assert response.json()["code"] == "database_unavailable"


def test_an_outage_inside_a_view_is_still_a_503(learner: User, monkeypatch: Any) -> None:
    client = outage_client(learner.username)

    def fail(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("lessons.web.views.catalog.selectors.published_lessons_for", fail)

    assert "Database unavailable" in assert_unavailable(client.get(reverse("lessons:home")))


def test_other_database_errors_stay_500s(learner: User, monkeypatch: Any) -> None:
    from django.db import IntegrityError

    client = outage_client(learner.username)

    def fail(*args: object, **kwargs: object) -> None:
        raise IntegrityError("duplicate key")

    monkeypatch.setattr("lessons.web.views.catalog.selectors.published_lessons_for", fail)

    assert client.get(reverse("lessons:home")).status_code == 500
