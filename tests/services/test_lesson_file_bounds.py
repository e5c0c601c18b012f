"""A lesson file is read within bounds: ids match their pattern in full, every string, list and object is
capped, the file is capped in bytes and in depth, a key given twice is refused, and NUL or half of a UTF-16
pair is refused — each by the documented LessonFileError naming the path, and nothing is written.
The minimal document and row counts come from tests/services/conftest.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.kinds.file import MAX_DEPTH, MAX_FILE_BYTES, MAX_LIST_LENGTH, MAX_TEXT_LENGTH
from lessons.services import LessonFileError, lesson_import
from lessons.services.lesson_documents import load_lesson_json

RowCounts = Callable[[], dict[str, int]]

pytestmark = pytest.mark.django_db


def refused(doc: Any) -> LessonFileError:
    with pytest.raises(LessonFileError) as caught:
        lesson_import(data=doc)
    return caught.value


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda doc: doc["lesson"].update(slug="ruritania-arms\n"), "lesson.slug", "is not an id"),
        (lambda doc: doc["actors"][0].update(id="ruritania\n"), "actors[0].id", "is not an id"),
        (
            lambda doc: doc["article"].update(published_on="2025-03-01\n"),
            "article.published_on",
            "not a date",
        ),
        (
            lambda doc: doc["lesson"].update(introduction="x" * (MAX_TEXT_LENGTH + 1)),
            "lesson.introduction",
            f"must be at most {MAX_TEXT_LENGTH} characters",
        ),
        (
            lambda doc: doc["lesson"].update(objectives=["Read."] * (MAX_LIST_LENGTH + 1)),
            "lesson.objectives",
            f"must hold at most {MAX_LIST_LENGTH} entries",
        ),
        (
            lambda doc: doc["questions"][0].update(prompt="Who\x00 said it?"),
            "questions[0].prompt",
            "contains a control character (such as NUL)",
        ),
        (
            lambda doc: doc["lesson"].update(title="Ruritania \ud800"),
            "lesson.title",
            "contains a control character (such as NUL)",
        ),
        (
            lambda doc: doc["lesson"].update(objectives=[[[[[[[[[[[["deep"]]]]]]]]]]]]),
            "lesson.objectives[0][0][0][0][0][0][0][0][0][0]",
            f"is nested more than {MAX_DEPTH} levels deep",
        ),
    ],
    ids=[
        "slug-newline",
        "actor-id-newline",
        "date-newline",
        "long-text",
        "long-list",
        "nul",
        "surrogate",
        "deep",
    ],
)
def test_a_lesson_file_out_of_bounds_is_refused_by_path(
    minimal_doc: dict[str, Any], row_counts: RowCounts, change: Callable[[Any], None], path: str, message: str
) -> None:
    change(minimal_doc)

    error = refused(minimal_doc)

    assert error.path == path
    assert message in error.message
    assert set(row_counts().values()) == {0}


def test_a_key_given_twice_is_refused_by_the_path_of_its_object(
    minimal_doc: dict[str, Any], row_counts: RowCounts
) -> None:
    text = json.dumps(minimal_doc).replace('"title": ', '"title": "Twice", "title": ', 1)

    error = refused(load_lesson_json(text.encode()))

    assert (error.path, error.message) == ("lesson", "gives the field 'title' twice")
    assert set(row_counts().values()) == {0}


def test_load_lesson_json_refuses_a_file_too_big_or_nested_too_deep_for_the_parser() -> None:
    with pytest.raises(LessonFileError) as too_big:
        load_lesson_json(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(LessonFileError) as too_deep:
        load_lesson_json(b"[" * 100_000 + b"]" * 100_000)

    assert str(too_big.value) == f"(top level): the file is larger than {MAX_FILE_BYTES:,} bytes"
    assert str(too_deep.value) == f"(top level): values are nested more than {MAX_DEPTH} levels deep"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, f"values are nested more than {MAX_DEPTH} levels deep"),
        (b'{"format": "quizsite.lesson", "note": "' + b"x" * MAX_FILE_BYTES + b'"}', "the file is larger"),
        (b'{"format": "quizsite.lesson", "format": "quizsite.lesson"}', "gives the field 'format' twice"),
        (b'{"format": "quizsite.lesson\\u0000"}', "format: contains a control character"),
        (b'{"format": "\\udc80"}', "format: contains a control character"),
    ],
    ids=["deep", "big", "twice", "nul", "surrogate"],
)
def test_the_import_command_turns_a_hostile_file_into_a_path_named_error(
    tmp_path: Path, row_counts: RowCounts, content: bytes, message: str
) -> None:
    lesson_file = tmp_path / "hostile.json"
    lesson_file.write_bytes(content)

    with pytest.raises(CommandError) as caught:
        call_command("import_lesson", str(lesson_file))

    assert str(caught.value).startswith(f"{lesson_file}: ")
    assert message in str(caught.value)
    assert set(row_counts().values()) == {0}
