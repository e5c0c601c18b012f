"""Titles and names refuse the bidirectional controls (U+202A–U+202E, U+2066–U+2069), which reorder the
text around them wherever it is shown: class names and roster names with a form error, lesson titles and
names in a lesson file by path, usernames at sign-up. Fixtures (teacher, classroom) are in
tests/web/conftest.py."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lessons.models import Classroom, Enrollment, Lesson
from lessons.services import LessonFileError, lesson_import
from lessons.text_checks import BIDI_CONTROLS

pytestmark = pytest.mark.django_db

CONTROLS = sorted(BIDI_CONTROLS)


@pytest.fixture
def teacher_client(client: Client, teacher: User) -> Client:
    client.force_login(teacher)
    return client


def test_the_controls_are_the_embeddings_overrides_and_isolates() -> None:
    assert [chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]] == CONTROLS


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_class_name_with_a_bidi_control_gets_a_form_error(
    teacher_client: Client, teacher: User, control: str
) -> None:
    before = Classroom.objects.count()

    response = teacher_client.post(reverse("lessons:classroom_new"), {"name": f"Civics {control}B9"})

    assert response.status_code == 400
    assert "reverses the text around it" in response.content.decode()
    assert Classroom.objects.count() == before


def test_a_roster_name_with_a_bidi_control_is_refused_by_line(
    teacher_client: Client, classroom: Classroom
) -> None:
    before = User.objects.count()

    response = teacher_client.post(
        reverse("lessons:students_import", args=[classroom.pk]), {"names": "Ana,García\nBen,\u202eorukO\n"}
    )

    assert response.status_code == 400
    assert "Line 2: a name contains a character that reverses the text around it" in response.content.decode()
    assert User.objects.count() == before
    assert Enrollment.objects.filter(classroom=classroom).count() == 1


def test_a_username_with_a_bidi_control_is_refused_at_sign_up(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {"username": "ana\u2067", "password1": "Quiet-harbour-1947", "password2": "Quiet-harbour-1947"},
    )

    assert response.status_code == 200
    assert not User.objects.filter(username__startswith="ana").exists()


@pytest.mark.parametrize(
    ("place", "path"),
    [
        (("lesson", "title"), "lesson.title"),
        (("actors", 0, "name"), "actors[0].name"),
        (("sources", 0, "name"), "sources[0].name"),
        (("treaties", 0, "name"), "treaties[0].name"),
        (("article", "headline"), "article.headline"),
    ],
    ids=["lesson-title", "actor-name", "source-name", "treaty-name", "headline"],
)
def test_a_lesson_file_title_or_name_with_a_bidi_control_is_refused_by_path(
    first_lesson_data: dict[str, Any], place: tuple[Any, ...], path: str
) -> None:
    document = copy.deepcopy(first_lesson_data)
    parent = document
    for step in place[:-1]:
        parent = parent[step]
    parent[place[-1]] = f"{parent[place[-1]]} \u202egnp.exe"

    with pytest.raises(LessonFileError) as caught:
        lesson_import(data=document)

    assert caught.value.path == path
    assert "bidirectional control character" in caught.value.message
    assert not Lesson.objects.exists()
