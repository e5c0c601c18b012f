"""Fixtures for the class and assignment tests: people, a class, assignments made to measure, and lessons
with as many single-choice questions as a test needs.

Times are explicit: ``NOW`` is the server clock a test pretends to read; services are given ``now=`` or run
under ``time_machine``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from classroom_support import DUE, OPENS, MakeAssignment, MakeUser, data_queries, single_choice_document
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import Assignment, Classroom, FeedbackRelease, LatePolicy, Lesson
from lessons.services import lesson_import
from lessons.services.classroom import (
    assignment_create,
    classroom_create,
    classroom_join,
)
from lessons.services.people import teacher_verify


@pytest.fixture
def single_choice_lesson(first_lesson_data: dict[str, Any]) -> Callable[[int], Lesson]:
    """``single_choice_lesson(n)`` → a published lesson of n single-choice questions ``sc01``…"""

    def make(count: int) -> Lesson:
        return lesson_import(
            data=single_choice_document(first_lesson_data, count=count, slug=f"single-choice-{count}")
        )

    return make


@pytest.fixture
def make_user(django_user_model: type[User]) -> MakeUser:
    def make(username: str, *, teacher: bool = False) -> User:
        user = django_user_model.objects.create_user(username, password="not-used-1234")
        if teacher:
            # A teacher of these tests is verified, as a site administrator would (rule 12); the rule
            # itself is tested in tests/web/test_teacher_verification.py.
            teacher_verify(teacher=user, by=None)
        return user

    return make


@pytest.fixture
def teacher(make_user: MakeUser) -> User:
    return make_user("teacher", teacher=True)


@pytest.fixture
def student(make_user: MakeUser) -> User:
    return make_user("student")


@pytest.fixture
def classroom(teacher: User, student: User) -> Classroom:
    """A class taught by `teacher`, with `student` enrolled."""
    created = classroom_create(teacher=teacher, name="Civics 9B")
    assert created.join_code is not None
    classroom_join(student=student, code=created.join_code)
    return created


@pytest.fixture
def make_assignment(classroom: Classroom, teacher: User, first_lesson: Lesson) -> MakeAssignment:
    """An assignment of the first lesson to `classroom`, open from OPENS to DUE unless told otherwise."""

    def make(**overrides: Any) -> Assignment:
        options: dict[str, Any] = {
            "classroom": classroom,
            "lesson": first_lesson,
            "by": teacher,
            "opens_at": OPENS,
            "due_at": DUE,
            "feedback_release": FeedbackRelease.AFTER_SUBMIT,
            "late_policy": LatePolicy.REFUSE,
        }
        options.update(overrides)
        return assignment_create(**options)

    return make


@pytest.fixture
def assert_max_data_queries() -> Callable[[int], Any]:
    """``with assert_max_data_queries(n) as measured:`` fails if more than n data statements ran;
    afterwards ``measured.count`` is the number that did and ``measured.total`` every statement."""

    class Measured:
        count = 0
        total = 0

    @contextmanager
    def check(budget: int) -> Iterator[Measured]:
        measured = Measured()
        with CaptureQueriesContext(connection) as captured:
            yield measured
        statements = data_queries(captured)
        measured.count = len(statements)
        measured.total = len(captured.captured_queries)
        listing = "\n".join(f"  {n}. {sql}" for n, sql in enumerate(statements, start=1))
        assert measured.count <= budget, f"{measured.count} data queries, budget {budget}:\n{listing}"

    return check
