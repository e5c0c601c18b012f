"""Rule 4: a published revision never changes — not through the ORM, not through raw SQL, not by editing."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from factories.lessons import load_lesson

from lessons.models import AnswerKey, ImmutableRevisionError, Lesson, Question, Revision
from lessons.services import content_digest, lesson_document, lesson_import, lesson_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_lesson(first_lesson_data: dict[str, Any]) -> Lesson:
    """The first lesson (published in its fixture file), cut to two questions to keep the tests quick."""
    questions = first_lesson_data["questions"]
    first_lesson_data["questions"] = [
        next(question for question in questions if question["kind"] == kind)
        for kind in ("single_choice", "open_response")
    ]
    return load_lesson(first_lesson_data)


@pytest.fixture
def revision(published_lesson: Lesson) -> Revision:
    """Revision 1 of the published lesson."""
    published_lesson.refresh_from_db()
    assert published_lesson.published_revision is not None
    return Revision.objects.get(pk=published_lesson.published_revision.pk)


def first_single_choice(lesson: Lesson) -> Question:
    return lesson.questions.filter(kind="single_choice").order_by("position").select_related("answer_key")[0]


def test_importing_a_published_lesson_makes_revision_1_with_its_content(
    published_lesson: Lesson, revision: Revision
) -> None:
    assert revision.number == 1
    assert revision.lesson_id == published_lesson.pk
    assert revision.content == lesson_document(published_lesson, status="published")
    assert revision.content_sha256 == content_digest(revision.content)
    assert len(revision.content_sha256) == 64


def test_saving_an_existing_revision_raises(revision: Revision) -> None:
    revision.content = {"tampered": True}

    with pytest.raises(ImmutableRevisionError):
        revision.save()
    with pytest.raises(ImmutableRevisionError):
        revision.save(update_fields=["content"])

    assert Revision.objects.get(pk=revision.pk).content["format"] == "quizsite.lesson"


def test_deleting_a_revision_raises(revision: Revision) -> None:
    with pytest.raises(ImmutableRevisionError):
        revision.delete()

    assert Revision.objects.filter(pk=revision.pk).exists()


def test_queryset_update_raises(revision: Revision) -> None:
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.filter(pk=revision.pk).update(content_sha256="0" * 64)
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.all().update(number=7)

    assert Revision.objects.get(pk=revision.pk).content_sha256 == revision.content_sha256


def test_queryset_bulk_update_raises(revision: Revision) -> None:
    revision.content_sha256 = "0" * 64

    with pytest.raises(ImmutableRevisionError):
        Revision.objects.bulk_update([revision], ["content_sha256"])


def test_queryset_delete_raises(revision: Revision) -> None:
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.filter(pk=revision.pk).delete()
    with pytest.raises(ImmutableRevisionError):
        Revision.objects.all().delete()

    assert Revision.objects.count() == 1


@pytest.mark.parametrize(
    "assignment",
    ["content_sha256 = '0'", "number = number + 1", "content = '{}'", "lesson_id = lesson_id"],
    ids=["digest", "number", "content", "lesson"],
)
def test_raw_sql_update_is_refused_by_the_database(revision: Revision, assignment: str) -> None:
    with (
        pytest.raises(DatabaseError, match="published revisions are immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE lessons_revision SET {assignment} WHERE id = %s", [revision.pk])

    fresh = Revision.objects.get(pk=revision.pk)
    assert (fresh.number, fresh.content, fresh.content_sha256) == (
        1,
        revision.content,
        revision.content_sha256,
    )


def test_editing_the_lesson_after_publishing_leaves_the_revision_unchanged(
    published_lesson: Lesson, revision: Revision
) -> None:
    content = copy.deepcopy(revision.content)
    question = first_single_choice(published_lesson)
    other_option = question.options.exclude(key=question.answer_key.correct).order_by("position")[0]

    Question.objects.filter(pk=question.pk).update(prompt="An edited prompt.")
    AnswerKey.objects.filter(pk=question.pk).update(correct=other_option.key, explanation="Edited.")

    fresh = Revision.objects.get(pk=revision.pk)
    assert fresh.content == content
    assert fresh.content_sha256 == revision.content_sha256 == content_digest(fresh.content)
    published_lesson.refresh_from_db()
    assert published_lesson.published_revision == fresh
    edited = lesson_document(published_lesson, status="published")
    assert content_digest(edited) != fresh.content_sha256


def test_publishing_after_an_edit_makes_revision_2_with_the_new_content(
    published_lesson: Lesson, revision: Revision
) -> None:
    content = copy.deepcopy(revision.content)
    question = first_single_choice(published_lesson)
    position = question.position
    old_correct = question.answer_key.correct
    new_correct = question.options.exclude(key=old_correct).order_by("position")[0].key
    Question.objects.filter(pk=question.pk).update(prompt="An edited prompt.")
    AnswerKey.objects.filter(pk=question.pk).update(correct=new_correct)

    second = lesson_publish(lesson=published_lesson)

    assert second.number == 2
    assert second.pk != revision.pk
    assert second.content["questions"][position]["prompt"] == "An edited prompt."
    assert second.content["questions"][position]["answer"]["correct"] == new_correct
    assert second.content_sha256 == content_digest(second.content)
    published_lesson.refresh_from_db()
    assert published_lesson.published_revision == second
    first = Revision.objects.get(pk=revision.pk)
    assert first.content == content
    assert first.content["questions"][position]["answer"]["correct"] == old_correct
    assert first.content_sha256 == content_digest(content)


def test_publishing_unchanged_content_returns_the_current_revision(
    published_lesson: Lesson, revision: Revision
) -> None:
    again = lesson_publish(lesson=published_lesson)

    assert again == revision
    assert Revision.objects.count() == 1


def test_stored_content_digest_matches_content_after_reading_back(revision: Revision) -> None:
    fresh = Revision.objects.get(pk=revision.pk)

    assert fresh.content_sha256 == content_digest(fresh.content)


def test_deleting_the_user_who_published_keeps_the_revision(
    first_lesson_data: dict[str, Any], django_user_model: Any
) -> None:
    teacher = django_user_model.objects.create_user("teacher")
    lesson = lesson_import(data=first_lesson_data, by=teacher)
    assert lesson.published_revision is not None
    revision = Revision.objects.get(pk=lesson.published_revision.pk)

    with transaction.atomic():
        teacher.delete()

    assert not django_user_model.objects.filter(username="teacher").exists()
    fresh = Revision.objects.get(pk=revision.pk)
    assert fresh.published_by is None
    assert (fresh.content, fresh.content_sha256) == (revision.content, revision.content_sha256)
