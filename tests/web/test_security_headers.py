"""Every response carries the Content-Security-Policy and the Permissions-Policy; no template needs an
inline script, style or event handler to work; the pages of one person's or one class's data are never
stored by a browser or a proxy. Fixtures (teacher, classroom, submitted_attempt…) are in
tests/web/conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lessons.models import Attempt, Classroom

pytestmark = pytest.mark.django_db

CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
TEMPLATES = Path(settings.BASE_DIR) / "lessons" / "templates"
# An inline script (a <script> without src), an inline style (element or attribute), an event handler.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/login/", "/no-such-page/", "/static/lessons/site.css", "/teach/"],
    ids=["home", "login", "404", "static", "redirect"],
)
def test_every_response_carries_the_content_security_policy_and_permissions_policy(
    client: Client, url: str
) -> None:
    response = client.get(url)

    assert response["Content-Security-Policy"] == CSP
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_server_error_page_carries_the_policy_and_needs_no_inline_style(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("lessons.web.views.catalog.selectors.published_lessons_for", fail)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert response["Content-Security-Policy"] == CSP
    assert 'href="/static/lessons/error.css"' in response.content.decode()


def test_no_template_has_an_inline_script_style_or_event_handler() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)!r}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


@pytest.fixture
def teacher_client(client: Client, teacher: User) -> Client:
    client.force_login(teacher)
    return client


PrivateUrl = Callable[[Classroom, Attempt, User], str]


@pytest.mark.parametrize(
    "url_of",
    [
        lambda classroom, attempt, student: reverse("lessons:teacher_dashboard"),
        lambda classroom, attempt, student: reverse("lessons:classroom_detail", args=[classroom.pk]),
        lambda classroom, attempt, student: reverse("lessons:gradebook", args=[classroom.pk]),
        lambda classroom, attempt, student: reverse("lessons:gradebook_csv", args=[classroom.pk]),
        lambda classroom, attempt, student: reverse(
            "lessons:student_report", args=[classroom.pk, student.pk]
        ),
        lambda classroom, attempt, student: reverse("lessons:attempt_review", args=[attempt.pk]),
        lambda classroom, attempt, student: reverse("lessons:grading_queue", args=[attempt.assignment_id]),
        lambda classroom, attempt, student: reverse("profile"),
    ],
    ids=[
        "dashboard",
        "class",
        "gradebook",
        "gradebook-csv",
        "student-report",
        "attempt-review",
        "grading",
        "profile",
    ],
)
def test_private_pages_are_never_stored(
    teacher_client: Client,
    classroom: Classroom,
    submitted_attempt: Attempt,
    class_student: User,
    url_of: PrivateUrl,
) -> None:
    response = teacher_client.get(url_of(classroom, submitted_attempt, class_student))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_public_catalogue_may_be_cached(client: Client) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")
