"""A roster of 200 students is imported inside one request with the production password hashers; its
one-time passwords are hashed cheaply (they are random, 80 bits), re-hashed with the default hasher at the
first login, and stop working after ONE_TIME_PASSWORD_MAX_AGE. A bad roster reports its first problems and
a count of the rest. Fixtures (teacher, classroom) are in tests/web/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lessons.hashers import OneTimePasswordHasher
from lessons.models import Classroom, Enrollment
from quizsite.settings.base import PASSWORD_HASHERS as PRODUCTION_HASHERS

pytestmark = pytest.mark.django_db

ONE_TIME_PASSWORD = re.compile(r"<td><code>([a-z0-9]{4}(?:-[a-z0-9]{4}){3})</code></td>")


@pytest.fixture
def teacher_client(client: Client, teacher: User) -> Client:
    client.force_login(teacher)
    return client


def import_roster(teacher_client: Client, classroom: Classroom, names: str) -> str:
    response = teacher_client.post(reverse("lessons:students_import", args=[classroom.pk]), {"names": names})
    return response.content.decode()


def roster_of(count: int) -> str:
    return "".join(f"Student{n},Family{n}\n" for n in range(count))


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_roster_of_200_students_is_imported_without_one_slow_hash(
    teacher_client: Client, classroom: Classroom
) -> None:
    """The default hasher costs a tenth of a second or more a password by design; 200 of them would hold a
    worker past its timeout, so the import may not call it once (the cheap hasher's work is fixed)."""
    default = type(get_hasher("default"))
    algorithms: list[str] = []
    original_encode = default.encode

    def counting_encode(hasher: object, *args: object, **kwargs: object) -> str:
        algorithms.append(hasher.algorithm)  # type: ignore[attr-defined]
        return original_encode(hasher, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch.object(default, "encode", counting_encode):
        html = import_roster(teacher_client, classroom, roster_of(200))

    assert len(ONE_TIME_PASSWORD.findall(html)) == 200
    assert Enrollment.objects.filter(classroom=classroom).count() == 201
    assert default.algorithm not in algorithms


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_one_time_password_is_hashed_cheaply_and_rehashed_by_the_default_hasher_at_first_login(
    teacher_client: Client, classroom: Classroom
) -> None:
    (password,) = ONE_TIME_PASSWORD.findall(import_roster(teacher_client, classroom, "Ana,García\n"))
    student = User.objects.get(username="ana.garcia")
    assert student.password.startswith(f"{OneTimePasswordHasher.algorithm}$")

    assert (
        Client().post(reverse("login"), {"username": "ana.garcia", "password": password}).status_code == 302
    )

    student.refresh_from_db()
    assert student.password.startswith("argon2$")


def test_a_one_time_password_stops_logging_in_after_seven_days(
    teacher_client: Client, classroom: Classroom
) -> None:
    issued = timezone.now()
    (password,) = ONE_TIME_PASSWORD.findall(import_roster(teacher_client, classroom, "Ana,García\n"))
    login = {"username": "ana.garcia", "password": password}

    with time_machine.travel(issued + dt.timedelta(days=7, minutes=1), tick=False):
        refused = Client().post(reverse("login"), login)
    with time_machine.travel(issued + dt.timedelta(days=6, hours=23), tick=False):
        accepted = Client().post(reverse("login"), login)

    assert refused.status_code == 200
    assert "This one-time password has expired. Ask your teacher for a new one." in refused.content.decode()
    assert accepted.status_code == 302


@override_settings(ONE_TIME_PASSWORD_MAX_AGE=dt.timedelta(days=1))
def test_the_expiry_of_one_time_passwords_is_a_setting(teacher_client: Client, classroom: Classroom) -> None:
    issued = timezone.now()
    (password,) = ONE_TIME_PASSWORD.findall(import_roster(teacher_client, classroom, "Ana,García\n"))

    with time_machine.travel(issued + dt.timedelta(days=1, minutes=1), tick=False):
        refused = Client().post(reverse("login"), {"username": "ana.garcia", "password": password})

    assert refused.status_code == 200
    assert "expired" in refused.content.decode()


def test_a_bad_roster_reports_its_first_50_problems_and_counts_the_rest(
    teacher_client: Client, classroom: Classroom
) -> None:
    html = import_roster(teacher_client, classroom, "Solo\n" * 180)

    # Each problem shows twice: in the summary at the top and under the field.
    assert html.count("expected two cells, first name and last name") == 2 * 50
    assert "Line 50: expected two cells" in html and "Line 51:" not in html
    assert "…and 130 more problems." in html
    assert Enrollment.objects.filter(classroom=classroom).count() == 1
