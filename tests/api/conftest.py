"""Fixtures for the API tests: clients that speak JSON with a personal token, and the sentinel lesson."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Api, MakeApi, sentinel_document
from django.contrib.auth.models import User
from django.test import Client
from factories.lessons import load_lesson

# The classroom fixtures of the page tests (two teachers, their classes and students, an assignment): the API
# is walked over the same world as the pages.
from web.conftest import (  # noqa: F401
    assignment,
    class_student,
    classroom,
    make_assignment,
    make_user,
    open_response,
    other_classroom,
    other_student,
    other_teacher,
    submitted_attempt,
    teacher,
)

from lessons.models import Lesson
from lessons.services.api_tokens import token_create


@pytest.fixture
def sentinel_lesson(first_lesson_data: dict[str, Any]) -> Lesson:
    return load_lesson(sentinel_document(first_lesson_data))


@pytest.fixture
def make_api(db: None) -> MakeApi:
    """`make_api(user)` → an Api with a new token of `user` (`read_only=True` for a read-only one);
    `make_api(None)` → anonymous."""

    def make(user: User | None, *, read_only: bool = False) -> Api:
        if user is None:
            return Api(Client())
        made = token_create(user=user, name=f"tests {read_only}", read_only=read_only)
        return Api(Client(), made.secret)

    return make


@pytest.fixture
def authored_lesson(first_lesson: Lesson, teacher: User) -> Lesson:  # noqa: F811 (the fixture above)
    """The first lesson (published, 24 questions), owned by the teacher."""
    Lesson.objects.filter(pk=first_lesson.pk).update(owner=teacher)
    return Lesson.objects.get(pk=first_lesson.pk)


@pytest.fixture
def author(make_api: MakeApi, teacher: User) -> Api:  # noqa: F811 (the fixture above)
    """The teacher's API: the author of `authored_lesson`."""
    return make_api(teacher)
