"""Exporting a lesson: canonical bytes, export → import → export is stable, and the export_lesson command."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.models import Lesson, Revision
from lessons.services import dump_document, lesson_document, lesson_import, parse_lesson_document

FIRST_LESSON_FILE = Path(settings.BASE_DIR) / "fixtures" / "lessons" / "venezuela-military-aid.json"

pytestmark = pytest.mark.django_db


def export_text(lesson: Lesson) -> str:
    return dump_document(lesson_document(lesson))


@pytest.fixture(params=["minimal", "first-lesson"])
def lesson_data(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The minimal document, then the real first lesson shipped in fixtures/lessons."""
    if request.param == "minimal":
        data: dict[str, Any] = request.getfixturevalue("minimal_doc")
        return data
    assert FIRST_LESSON_FILE.exists(), f"the first lesson fixture {FIRST_LESSON_FILE} is missing"
    data = request.getfixturevalue("first_lesson_data")
    return data


def test_export_import_export_gives_identical_bytes(lesson_data: dict[str, Any]) -> None:
    lesson = lesson_import(data=lesson_data)
    first = export_text(lesson)
    parse_lesson_document(json.loads(first))  # the export is itself a valid lesson file

    lesson_import(data=json.loads(first), replace=True)
    second = export_text(Lesson.objects.get(slug=lesson_data["lesson"]["slug"]))

    assert second == first


def test_export_is_two_space_indented_utf8_with_a_final_newline(lesson_data: dict[str, Any]) -> None:
    text = export_text(lesson_import(data=lesson_data))

    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert text.startswith('{\n  "format": "quizsite.lesson",\n  "version": 1,\n  "lesson": {\n    "slug": ')
    assert "\\u" not in text
    assert "\u2019" in text  # RIGHT SINGLE QUOTATION MARK, written as is
    assert list(json.loads(text)) == [
        "format",
        "version",
        "lesson",
        "sources",
        "actors",
        "treaties",
        "article",
        "claims",
        "questions",
    ]


def test_reimporting_an_export_of_a_published_lesson_keeps_its_revision(lesson_data: dict[str, Any]) -> None:
    lesson_data["lesson"]["status"] = "published"
    lesson = lesson_import(data=lesson_data)

    lesson_import(data=json.loads(export_text(lesson)), replace=True)

    assert list(Revision.objects.values_list("number", flat=True)) == [1]


def test_minimal_document_comes_back_byte_for_byte(minimal_doc: dict[str, Any]) -> None:
    lesson = lesson_import(data=minimal_doc)

    assert export_text(lesson) == dump_document(minimal_doc)


def test_export_writes_lists_in_canonical_order_whatever_the_file_order(minimal_doc: dict[str, Any]) -> None:
    canonical = dump_document(minimal_doc)
    minimal_doc["sources"].reverse()
    minimal_doc["actors"].reverse()
    minimal_doc["lesson"]["actors"].reverse()
    minimal_doc["article"]["cites"].reverse()
    minimal_doc["questions"][1]["actors"].reverse()
    minimal_doc["questions"][4]["evidence"].reverse()
    minimal_doc["questions"][4]["answer"]["correct"] = {
        "daily-planet": "newspaper",
        "anna-berg": "spokeswoman",
    }

    lesson = lesson_import(data=minimal_doc)

    assert export_text(lesson) == canonical


# ---- the export_lesson command ------------------------------------------------------------------------


def test_export_command_writes_the_file_given_with_o(minimal_doc: dict[str, Any], tmp_path: Path) -> None:
    lesson = lesson_import(data=minimal_doc)
    target = tmp_path / "out.json"
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("export_lesson", "ruritania-arms", "-o", str(target), stdout=stdout, stderr=stderr)

    assert target.read_bytes() == export_text(lesson).encode("utf-8")
    assert stdout.getvalue() == ""
    assert stderr.getvalue() == f"Wrote {target}.\n"


def test_export_command_prints_to_stdout_without_o(minimal_doc: dict[str, Any]) -> None:
    lesson = lesson_import(data=minimal_doc)
    stdout = io.StringIO()

    call_command("export_lesson", "ruritania-arms", stdout=stdout)

    assert stdout.getvalue() == export_text(lesson)
    assert stdout.getvalue() == dump_document(minimal_doc)


def test_export_command_refuses_an_unknown_slug(minimal_doc: dict[str, Any], tmp_path: Path) -> None:
    lesson_import(data=minimal_doc)
    target = tmp_path / "out.json"

    with pytest.raises(CommandError) as caught:
        call_command("export_lesson", "no-such-lesson", "-o", str(target))

    assert str(caught.value) == "No lesson with the id 'no-such-lesson'."
    assert not target.exists()


def test_exported_file_imports_back_with_the_import_command(
    minimal_doc: dict[str, Any], tmp_path: Path
) -> None:
    minimal_doc["lesson"]["status"] = "published"
    lesson_import(data=minimal_doc)
    target = tmp_path / "out.json"
    call_command("export_lesson", "ruritania-arms", "-o", str(target), stderr=io.StringIO())
    stdout = io.StringIO()

    call_command("import_lesson", str(target), "--replace", stdout=stdout)

    assert stdout.getvalue() == "Imported 'ruritania-arms' (9 questions, published as revision 1).\n"
    assert export_text(Lesson.objects.get(slug="ruritania-arms")) == target.read_text(encoding="utf-8")


def test_import_command_imports_a_draft(minimal_doc: dict[str, Any], tmp_path: Path) -> None:
    source = tmp_path / "lesson.json"
    source.write_text(dump_document(minimal_doc), encoding="utf-8")
    stdout = io.StringIO()

    call_command("import_lesson", str(source), stdout=stdout)

    assert stdout.getvalue() == "Imported 'ruritania-arms' (9 questions, draft).\n"
    assert Lesson.objects.get().status == "draft"
