"""A teacher's session ends after TEACHER_IDLE_TIMEOUT without a request (2 hours unless set); a learner's
does not; the development secret key file is readable by its owner only. Fixtures (teacher, classroom,
class_student) are in tests/web/conftest.py."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lessons.models import Classroom
from quizsite.settings.base import secret_key_from_file

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"  # tests/web/conftest.py's


def logged_in(user: User) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_a_teacher_idle_for_two_hours_is_logged_out_and_sent_to_log_in(
    teacher: User, classroom: Classroom
) -> None:
    start = timezone.now()
    gradebook = reverse("lessons:gradebook", args=[classroom.pk])
    with time_machine.travel(start, tick=False):
        client = logged_in(teacher)
        assert client.get(gradebook).status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=1, minutes=59), tick=False):
        assert client.get(gradebook).status_code == 200  # activity restarts the clock
    with time_machine.travel(start + dt.timedelta(hours=3, minutes=58), tick=False):
        assert client.get(gradebook).status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=6), tick=False):
        after_idle = client.get(gradebook)
        home = client.get("/")

    assert (after_idle.status_code, after_idle["Location"]) == (302, f"{reverse('login')}?next={gradebook}")
    assert "_auth_user_id" not in client.session
    assert home.wsgi_request.user.is_anonymous


def test_an_idle_teacher_is_logged_out_on_any_page_not_only_the_teacher_pages(
    teacher: User, classroom: Classroom
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in(teacher)
    with time_machine.travel(start + dt.timedelta(hours=2, minutes=1), tick=False):
        catalogue = client.get(reverse("profile"))
        gradebook = client.get(reverse("lessons:gradebook", args=[classroom.pk]))

    assert catalogue.status_code == 302 and catalogue["Location"].startswith(reverse("login"))
    assert gradebook.status_code == 302 and gradebook["Location"].startswith(reverse("login"))


def test_an_htmx_request_of_an_idle_teacher_is_told_to_log_in(teacher: User, classroom: Classroom) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in(teacher)
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        response = client.get(reverse("lessons:teacher_dashboard"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))


@override_settings(TEACHER_IDLE_TIMEOUT=dt.timedelta(minutes=15))
def test_the_idle_limit_is_a_setting(teacher: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in(teacher)
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        response = client.get(reverse("lessons:teacher_dashboard"))

    assert response.status_code == 302


def test_a_learner_is_not_logged_out_for_being_idle(class_student: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in(class_student)
    with time_machine.travel(start + dt.timedelta(hours=6), tick=False):
        response = client.get(reverse("lessons:my_classes"))

    assert response.status_code == 200


def test_the_development_secret_key_file_is_made_readable_by_its_owner_only(tmp_path: Path) -> None:
    key_file = tmp_path / ".local-secret-key"

    key = secret_key_from_file(key_file)

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key) >= 50
    assert secret_key_from_file(key_file) == key  # kept, not made again
