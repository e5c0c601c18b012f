"""`load_lesson`, which most tests get their lessons from, gives exactly what `lesson_import` gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from factories.lessons import first_lesson_document, load_lesson

from lessons.models import Actor, Lesson
from lessons.services import lesson_document, lesson_import

pytestmark = pytest.mark.django_db

Contents = dict[str, list[tuple[Any, ...]]]


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def every_row() -> Contents:
    """Every row of every table, keys replaced by the row's rank in its table (so two imports compare
    equal whatever keys the database handed out) and times left out (they are the moment of writing).
    The links of a many-to-many field have no order (Django adds them from a set): they compare sorted."""
    every = [model for model in apps.get_models(include_auto_created=True) if not model._meta.proxy]
    ranks = {
        model: {
            pk: rank
            for rank, pk in enumerate(model._base_manager.order_by("pk").values_list("pk", flat=True))
        }
        for model in every
    }
    contents: Contents = {}
    for model in every:
        links = model._meta.auto_created
        fields = [
            field
            for field in model._meta.concrete_fields
            if not isinstance(field, models.DateTimeField) and not (links and field.primary_key)
        ]
        rows = []
        for row in model._base_manager.order_by("pk").values_list(*[field.attname for field in fields]):
            shown = []
            for field, value in zip(fields, row, strict=True):
                if field.primary_key and not field.is_relation:
                    value = ranks[model][value]
                elif isinstance(field, models.ForeignKey) and value is not None:
                    value = ranks[field.related_model][value]
                shown.append(value)
            rows.append(tuple(shown))
        if links:
            rows.sort()
        if rows:
            contents[model._meta.label] = rows
    return contents


def test_a_lesson_copied_in_bulk_is_the_lesson_an_import_makes() -> None:
    data = first_lesson_document()
    with rolled_back():
        load_lesson(data)  # the first load of a run imports for real and keeps the rows

    with rolled_back():
        with CaptureQueriesContext(connection) as importing:
            imported = lesson_import(data=first_lesson_document())
        imported_rows, imported_document = every_row(), lesson_document(imported)
        assert imported.published_revision is not None
        imported_digest = imported.published_revision.content_sha256

    before_copying = timezone.now()
    with rolled_back():
        with CaptureQueriesContext(connection) as copying:
            copied = load_lesson(data)
        copied_rows, copied_document = every_row(), lesson_document(copied)
        assert copied.published_revision is not None
        copied_revision = copied.published_revision

    assert len(copying.captured_queries) < len(importing.captured_queries) / 2, "a bulk copy, not an import"
    assert copied_rows == imported_rows
    assert "lessons.Revision" in copied_rows and "lessons.Question_actors" in copied_rows
    assert copied_document == imported_document
    assert copied_revision.content == imported_document
    assert copied_revision.content_sha256 == imported_digest
    assert copied_revision.published_at >= before_copying and copied.created_at >= before_copying


def test_a_lesson_sharing_what_is_already_there_is_imported() -> None:
    """With a lesson on the same article already in the database, the copy would clash with its actors and
    sources: the import that matches them by id runs instead."""
    first = first_lesson_document()
    other = first_lesson_document()
    other["lesson"]["slug"] = "the-same-story-again"
    with rolled_back():
        load_lesson(first)  # kept for copying

    load_lesson(other)
    lesson = load_lesson(first)

    assert Lesson.objects.count() == 2
    assert Actor.objects.count() == len(first["actors"])
    assert lesson.questions.count() == len(first["questions"])
    assert lesson_document(lesson) == lesson_document(lesson_import(data=first, replace=True))
