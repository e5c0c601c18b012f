"""Fixtures for the web tests of classes: two teachers, each with a class of one student, and an
assignment of the first lesson to the first class with one submitted attempt by its student.

Everything is made through the services (teacher_verify, classroom_create, classroom_join, assignment_create,
assignment_attempt_start, response_save, attempt_submit), as the site itself would make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from lessons.models import Assignment, Attempt, Classroom, FeedbackRelease, LatePolicy, Lesson, Response
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    classroom_join,
)
from lessons.services.people import teacher_verify

PASSWORD = "Quiet-harbour-1947"
OPEN_RESPONSE_KEY = "q22"  # the first lesson's open-response question, graded by a teacher

MakeUser = Callable[..., User]


@pytest.fixture
def make_user(django_user_model: type[User]) -> MakeUser:
    """``make_user("name", teacher=True, first_name=...)`` → a user whose password is PASSWORD."""

    def make(username: str, *, teacher: bool = False, **fields: Any) -> User:
        user = django_user_model.objects.create_user(username, password=PASSWORD, **fields)
        if teacher:
            # A teacher of these tests is verified, as a site administrator would (rule 12); the rule
            # itself is tested in tests/web/test_teacher_verification.py.
            teacher_verify(teacher=user, by=None)
        return user

    return make


@pytest.fixture
def teacher(make_user: MakeUser) -> User:
    return make_user("rivera", teacher=True, first_name="Lucía", last_name="Rivera")


@pytest.fixture
def other_teacher(make_user: MakeUser) -> User:
    return make_user("okafor", teacher=True, first_name="Chidi", last_name="Okafor")


@pytest.fixture
def class_student(make_user: MakeUser) -> User:
    return make_user("amina", first_name="Amina", last_name="Haddad")


@pytest.fixture
def other_student(make_user: MakeUser) -> User:
    return make_user("tomas", first_name="Tomás", last_name="Novak")


def join(student: User, classroom: Classroom) -> None:
    assert classroom.join_code is not None
    classroom_join(student=student, code=classroom.join_code)


@pytest.fixture
def classroom(teacher: User, class_student: User) -> Classroom:
    """`teacher`'s class, with `class_student` enrolled by its join code."""
    created = classroom_create(teacher=teacher, name="Civics 9B")
    join(class_student, created)
    return created


@pytest.fixture
def other_classroom(other_teacher: User, other_student: User) -> Classroom:
    """`other_teacher`'s class, with `other_student` enrolled."""
    created = classroom_create(teacher=other_teacher, name="History 10A")
    join(other_student, created)
    return created


@pytest.fixture
def assignment(classroom: Classroom, teacher: User, first_lesson: Lesson) -> Assignment:
    """The first lesson given to `classroom`: opened a day ago, due in a week, feedback released by hand."""
    now = timezone.now()
    return assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=now - dt.timedelta(days=1),
        due_at=now + dt.timedelta(days=7),
        attempts_allowed=2,
        feedback_release=FeedbackRelease.MANUAL,
        late_policy=LatePolicy.ACCEPT,
    )


@pytest.fixture
def submitted_attempt(assignment: Assignment, class_student: User) -> Attempt:
    """`class_student`'s submitted attempt at `assignment`, with an open response waiting for a grade."""
    attempt = assignment_attempt_start(assignment=assignment, student=class_student)
    response_save(
        attempt=attempt,
        question_key=OPEN_RESPONSE_KEY,
        answer="The requests are reported by the Washington Post, citing US documents; deliveries are not.",
    )
    return attempt_submit(attempt=attempt)


@pytest.fixture
def open_response(submitted_attempt: Attempt) -> Response:
    return Response.objects.get(attempt=submitted_attempt, question_key=OPEN_RESPONSE_KEY)


MakeAssignment = Callable[..., Assignment]


@pytest.fixture
def make_assignment(classroom: Classroom, teacher: User, first_lesson: Lesson) -> MakeAssignment:
    """An assignment of the first lesson (or `lesson=`) to `classroom`: open now, due in a week."""

    def make(**overrides: Any) -> Assignment:
        now = timezone.now()
        options: dict[str, Any] = {
            "classroom": classroom,
            "lesson": first_lesson,
            "by": teacher,
            "opens_at": now - dt.timedelta(hours=1),
            "due_at": now + dt.timedelta(days=7),
            "feedback_release": FeedbackRelease.AFTER_SUBMIT,
            "late_policy": LatePolicy.REFUSE,
        }
        options.update(overrides)
        return assignment_create(**options)

    return make


@pytest.fixture
def student_client(client: Client, class_student: User) -> Client:
    client.force_login(class_student)
    return client
