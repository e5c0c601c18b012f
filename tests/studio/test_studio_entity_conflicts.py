"""A lesson never silently changes another lesson (DESIGN.md rule 10): importing a second lesson that says
something else of a shared actor leaves the shared record, and the first lesson, as they were; the second
lesson says it in its own note, and the difference is reported."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from lessons.models import Actor, Lesson, LessonActorNote
from lessons.services import dump_document, lesson_document
from lessons.services.lessons import lesson_import_reporting

pytestmark = pytest.mark.django_db


def follow_up(first_lesson_data: dict[str, Any]) -> dict[str, Any]:
    """A second lesson on the same story, written when Trump was President-elect."""
    data = copy.deepcopy(first_lesson_data)
    data["lesson"]["slug"] = "venezuela-follow-up"
    data["lesson"]["title"] = "Venezuela: the follow-up"
    for actor in data["actors"]:
        if actor["id"] == "trump":
            actor["role"] = "President-elect of the United States"
    return data


def test_a_second_lesson_keeps_its_own_role_for_a_shared_actor(
    first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    before = dump_document(lesson_document(first_lesson))
    shared_role = Actor.objects.get(slug="trump").role

    result = lesson_import_reporting(data=follow_up(first_lesson_data))

    assert Actor.objects.get(slug="trump").role == shared_role == "President of the United States"
    assert dump_document(lesson_document(first_lesson)) == before
    [conflict] = result.conflicts
    assert (conflict.kind, conflict.id, conflict.field, conflict.for_lesson) == (
        "actor",
        "trump",
        "role",
        True,
    )
    assert "President-elect" in str(conflict)
    note = LessonActorNote.objects.get(lesson=result.lesson)
    assert (note.actor.slug, note.role, note.description) == (
        "trump",
        "President-elect of the United States",
        None,
    )
    trump = next(a for a in lesson_document(result.lesson)["actors"] if a["id"] == "trump")
    assert trump["role"] == "President-elect of the United States"
    # The revision the second lesson published holds its own role; the first one's holds the shared one.
    assert result.lesson.published_revision is not None
    in_revision = next(a for a in result.lesson.published_revision.content["actors"] if a["id"] == "trump")
    assert in_revision["role"] == "President-elect of the United States"
    assert first_lesson.published_revision is not None
    in_first = next(a for a in first_lesson.published_revision.content["actors"] if a["id"] == "trump")
    assert in_first["role"] == "President of the United States"


def test_an_identical_second_lesson_reports_nothing(
    first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    data = copy.deepcopy(first_lesson_data)
    data["lesson"]["slug"] = "venezuela-again"
    result = lesson_import_reporting(data=data)
    assert result.conflicts == []
    assert not LessonActorNote.objects.exists()


def test_import_lesson_prints_the_conflicts(
    first_lesson: Lesson, first_lesson_data: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "follow-up.json"
    target.write_text(json.dumps(follow_up(first_lesson_data)), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_lesson", str(target), stdout=stdout, stderr=stderr)
    assert "shared record: actor trump: role is 'President-elect of the United States' in this lesson" in (
        stderr.getvalue()
    )
    assert Actor.objects.get(slug="trump").role == "President of the United States"
