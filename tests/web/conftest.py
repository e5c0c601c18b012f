"""Fixtures for the web tests of classes: two teachers, each with a class of one student, and an
assignment of the first lesson to the first class with one submitted attempt by its student; clients signed
in as the learner, the class's student and its teacher.

Everything is made through the services (by the factories in tests/factories), as the site itself would
make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from factories.attempts import AssignmentAttemptFactory
from factories.classroom import AssignmentFactory, ClassroomFactory
from factories.people import LearnerFactory, TeacherFactory

from lessons.models import Assignment, Attempt, Classroom, FeedbackRelease, LatePolicy, Lesson, Response

OPEN_RESPONSE_KEY = "q22"  # the first lesson's open-response question, graded by a teacher

MakeUser = Callable[..., User]


@pytest.fixture
def make_user(db: None) -> MakeUser:
    """``make_user("name", teacher=True, first_name=...)`` → a user whose password is PASSWORD."""

    def make(username: str, *, teacher: bool = False, **fields: Any) -> User:
        return (TeacherFactory if teacher else LearnerFactory)(username=username, **fields)

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


@pytest.fixture
def classroom(teacher: User, class_student: User) -> Classroom:
    """`teacher`'s class, with `class_student` enrolled by its join code."""
    return ClassroomFactory(teacher=teacher, name="Civics 9B", students=[class_student])


@pytest.fixture
def other_classroom(other_teacher: User, other_student: User) -> Classroom:
    """`other_teacher`'s class, with `other_student` enrolled."""
    return ClassroomFactory(teacher=other_teacher, name="History 10A", students=[other_student])


@pytest.fixture
def assignment(classroom: Classroom, teacher: User, first_lesson: Lesson) -> Assignment:
    """The first lesson given to `classroom`: opened a day ago, due in a week, feedback released by hand."""
    now = timezone.now()
    return AssignmentFactory(
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
    return AssignmentAttemptFactory(
        assignment=assignment,
        student=class_student,
        answers={
            OPEN_RESPONSE_KEY: "The requests are reported by the Washington Post, citing US documents; "
            "deliveries are not."
        },
        submit=True,
    )


@pytest.fixture
def open_response(submitted_attempt: Attempt) -> Response:
    return Response.objects.get(attempt=submitted_attempt, question_key=OPEN_RESPONSE_KEY)


MakeAssignment = Callable[..., Assignment]


@pytest.fixture
def make_assignment(classroom: Classroom, teacher: User, first_lesson: Lesson) -> MakeAssignment:
    """An assignment of the first lesson (or `lesson=`) to `classroom`: open now, due in a week."""

    def make(**overrides: Any) -> Assignment:
        return AssignmentFactory(
            **{"classroom": classroom, "lesson": first_lesson, "by": teacher, **overrides}
        )

    return make


@pytest.fixture
def signed_in(client: Client, learner: User) -> Client:
    """A client signed in as `learner`."""
    client.force_login(learner)
    return client


@pytest.fixture
def student_client(client: Client, class_student: User) -> Client:
    client.force_login(class_student)
    return client


@pytest.fixture
def teacher_client(client: Client, teacher: User) -> Client:
    client.force_login(teacher)
    return client
