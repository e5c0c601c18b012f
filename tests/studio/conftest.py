"""Fixtures of the studio tests: a lesson's owner and co-author, another teacher, a class's student and a
learner, and the second (small) lesson owned by the owner with the co-author added."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from factories.classroom import ClassroomFactory
from factories.people import LearnerFactory, TeacherFactory

from lessons.models import Lesson


@pytest.fixture
def author(db: None) -> User:
    return TeacherFactory(username="author")


@pytest.fixture
def co_author(db: None) -> User:
    return TeacherFactory(username="co-author")


@pytest.fixture
def stranger_teacher(db: None) -> User:
    return TeacherFactory(username="stranger")


@pytest.fixture
def student(db: None, stranger_teacher: User) -> User:
    pupil = LearnerFactory(username="pupil")
    ClassroomFactory(teacher=stranger_teacher, name="Civics 9B", students=[pupil])
    return pupil


@pytest.fixture
def authored_lesson(second_lesson: Lesson, author: User, co_author: User) -> Lesson:
    """The second lesson (published), owned by `author` and co-authored by `co_author`."""
    second_lesson.owner = author
    second_lesson.save(update_fields=["owner"])
    second_lesson.co_authors.add(co_author)
    return second_lesson


@pytest.fixture
def author_client(client: Client, author: User) -> Client:
    client.force_login(author)
    return client
