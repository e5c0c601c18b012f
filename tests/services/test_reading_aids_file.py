"""`lesson.sourcing_note` and `lesson.reading_aids` in lesson files: read, checked, written back."""

from typing import Any

import pytest
from factories.lessons import aids_lesson_document

from lessons.services import (
    LessonFileError,
    dump_document,
    lesson_document,
    lesson_import,
    parse_lesson_document,
)

pytestmark = pytest.mark.django_db

CHOSEN = {
    "sourcing_note": "after_finish",
    "provenance": "start",
    "actor_cards": "after_dependent",
    "treaty_cards": "start",
}


def test_a_file_without_reading_aids_waits_for_the_questions_and_exports_the_choice() -> None:
    data: Any = aids_lesson_document()
    del data["lesson"]["sourcing_note"]

    lesson = lesson_import(data=data)
    exported = lesson_document(lesson)["lesson"]

    assert lesson.sourcing_note == ""
    assert exported["sourcing_note"] == ""
    assert exported["reading_aids"] == dict.fromkeys(CHOSEN, "after_dependent")
    assert list(exported)[2:4] == ["introduction", "sourcing_note"]
    assert list(exported)[8:11] == ["visibility", "language", "reading_aids"]


def test_reading_aids_round_trip_byte_for_byte() -> None:
    data = aids_lesson_document(**CHOSEN)
    data["lesson"] = {  # in the order a file writes it
        key: data["lesson"][key]
        for key in (
            "slug", "title", "introduction", "sourcing_note", "objectives", "level", "estimated_minutes",
            "status", "visibility", "language", "reading_aids", "actors", "treaties",
        )
    }  # fmt: skip

    lesson = lesson_import(data=data)

    assert (lesson.aid_sourcing_note, lesson.aid_provenance) == ("after_finish", "start")
    assert dump_document(lesson_document(lesson)) == dump_document(data)
    again = lesson_import(data=lesson_document(lesson), replace=True)
    assert dump_document(lesson_document(again)) == dump_document(data)


@pytest.mark.parametrize(
    ("reading_aids", "path", "message"),
    [
        ({"cards": "start"}, "lesson.reading_aids.cards", "is not a field of this object"),
        ({"actor_cards": "later"}, "lesson.reading_aids.actor_cards", "'later' is not one of"),
        ("start", "lesson.reading_aids", "must be an object"),
    ],
)
def test_a_bad_reading_aid_is_refused_by_its_path(reading_aids: Any, path: str, message: str) -> None:
    data: Any = aids_lesson_document()
    data["lesson"]["reading_aids"] = reading_aids

    with pytest.raises(LessonFileError) as refused:
        parse_lesson_document(data)

    assert refused.value.path == path
    assert message in refused.value.message


def test_an_aid_left_out_of_reading_aids_waits_for_its_questions() -> None:
    document = parse_lesson_document(aids_lesson_document(provenance="start"))

    assert document.lesson.reading_aids == {**dict.fromkeys(CHOSEN, "after_dependent"), "provenance": "start"}
