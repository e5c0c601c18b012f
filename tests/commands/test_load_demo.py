"""load_demo: development only; loads the fixture lessons and the demo accounts, and can run twice."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.models import Lesson, Question, Revision

FIXTURE_DIR = Path(django_settings.BASE_DIR) / "fixtures" / "lessons"

pytestmark = pytest.mark.django_db


def fixture_slugs() -> list[str]:
    files = sorted(FIXTURE_DIR.glob("*.json"))
    assert files, f"no lesson files in {FIXTURE_DIR}"
    return sorted(json.loads(path.read_text(encoding="utf-8"))["lesson"]["slug"] for path in files)


def counts() -> dict[str, int]:
    return {
        "lessons": Lesson.objects.count(),
        "questions": Question.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def debug_on(settings: Any) -> Any:
    """DEBUG on, as in development.

    SETTINGS_MODULE is set too: under override_settings Django's UserSettingsHolder reports it as None
    (see test_load_demo_works_when_only_debug_is_overridden).
    """
    settings.DEBUG = True
    settings.SETTINGS_MODULE = "quizsite.settings.test"
    return settings


def load_demo() -> str:
    stdout = io.StringIO()
    call_command("load_demo", stdout=stdout)
    return stdout.getvalue()


def test_load_demo_loads_the_fixture_lessons_and_the_demo_accounts(debug_on: Any) -> None:

    output = load_demo()

    slugs = fixture_slugs()
    assert sorted(Lesson.objects.values_list("slug", flat=True)) == slugs
    for slug in slugs:
        assert f"Loaded lesson {slug!r}." in output
    assert "venezuela-military-aid" in slugs
    lesson = Lesson.objects.get(slug="venezuela-military-aid")
    assert lesson.status == "published"
    assert lesson.published_revision is not None
    assert lesson.published_revision.number == 1
    assert lesson.owner is not None and lesson.owner.username == "teacher"  # to revise in the studio
    assert lesson.questions.count() == len(
        json.loads((FIXTURE_DIR / "venezuela-military-aid.json").read_text(encoding="utf-8"))["questions"]
    )


def test_demo_accounts_log_in_with_the_password_demo(debug_on: Any) -> None:

    load_demo()

    teacher = authenticate(username="teacher", password="demo")
    student = authenticate(username="student", password="demo")
    learner = authenticate(username="learner", password="demo")
    assert teacher is not None and student is not None and learner is not None
    assert (teacher.is_staff, student.is_staff, learner.is_staff) == (True, False, False)
    assert not learner.enrollments.exists()  # free to practise the lesson assigned to the demo class
    assert authenticate(username="teacher", password="wrong") is None


def test_load_demo_twice_changes_nothing(debug_on: Any) -> None:
    load_demo()
    first = counts()

    output = load_demo()

    assert counts() == first
    for slug in fixture_slugs():
        assert f"Lesson {slug!r} is already there." in output
    assert "Created the demo account" not in output
    assert authenticate(username="teacher", password="demo") is not None


def test_load_demo_keeps_a_changed_demo_password(debug_on: Any) -> None:
    load_demo()
    student = get_user_model().objects.get(username="student")
    student.set_password("changed-secret")
    student.save()

    load_demo()

    assert authenticate(username="student", password="changed-secret") is not None
    assert authenticate(username="student", password="demo") is None


def test_load_demo_refuses_without_debug_and_creates_nothing(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError) as caught:
        load_demo()

    assert str(caught.value) == "Demo data is for development only (DEBUG on, not production settings)."
    assert counts() == {"lessons": 0, "questions": 0, "revisions": 0, "users": 0}


def test_load_demo_refuses_production_settings_even_with_debug(debug_on: Any) -> None:
    debug_on.SETTINGS_MODULE = "quizsite.settings.production"

    with pytest.raises(CommandError, match="Demo data is for development only"):
        load_demo()

    assert counts() == {"lessons": 0, "questions": 0, "revisions": 0, "users": 0}


def test_load_demo_works_when_only_debug_is_overridden(settings: Any) -> None:
    settings.DEBUG = True

    load_demo()

    assert sorted(Lesson.objects.values_list("slug", flat=True)) == fixture_slugs()


def test_load_demo_makes_a_class_with_the_student_and_the_first_lesson_assigned(debug_on: Any) -> None:
    from lessons.models import Assignment, Classroom, Enrollment
    from lessons.services.classroom import is_teacher

    load_demo()
    load_demo()

    classroom = Classroom.objects.get()
    teacher = get_user_model().objects.get(username="teacher")
    assignment = Assignment.objects.get()
    assert is_teacher(teacher)
    assert list(classroom.teachers.values_list("username", flat=True)) == ["teacher"]
    assert list(Enrollment.objects.values_list("student__username", flat=True)) == ["student"]
    assert (assignment.classroom, assignment.lesson.slug) == (classroom, "venezuela-military-aid")
    assert assignment.revision_id == assignment.lesson.published_revision_id
    assert assignment.opens_at < assignment.due_at


def test_the_demo_teacher_is_verified(debug_on: Any) -> None:
    from lessons.services.classroom import teacher_is_verified

    load_demo()

    assert teacher_is_verified(get_user_model().objects.get(username="teacher"))
    assert not teacher_is_verified(get_user_model().objects.get(username="student"))
