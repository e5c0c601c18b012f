"""Importing a file of questions into a new draft, and exporting a lesson, through the services and the
commands: who may, what is written (all or nothing), and the draft without an article."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories.people import LearnerFactory, TeacherFactory
from interop_support import FILES

from lessons.interop.documents import empty_lesson
from lessons.models import Lesson, LessonStatus, Visibility
from lessons.services import lesson_document
from lessons.services.errors import InvalidInput, NotAllowed
from lessons.services.interop import lesson_export_as, questions_import
from lessons.services.lesson_documents import LessonFileError, parse_lesson_document
from lessons.services.lessons import lesson_publish

pytestmark = pytest.mark.django_db


def test_a_gift_file_becomes_a_private_draft_of_the_teacher_titled_by_its_category() -> None:
    teacher = TeacherFactory()
    imported = questions_import(
        data=(FILES / "gift/formats.gift").read_bytes(), file_format="gift", by=teacher, filename="unit.gift"
    )
    lesson = imported.lesson
    assert (lesson.owner, lesson.status, lesson.visibility) == (
        teacher,
        LessonStatus.DRAFT,
        Visibility.PRIVATE,
    )
    assert (lesson.slug, lesson.title) == ("venezuela-unit", "Venezuela unit")
    assert lesson.introduction == "Questions imported from unit.gift (gift). Categories: Venezuela unit."
    assert lesson.questions.count() == 4 == imported.report.carried
    assert imported.report.skipped == 1
    document = lesson_document(lesson)
    assert document["article"]["paragraphs"] == []
    assert [q["evidence"] for q in document["questions"]] == [[], [], [], []]


def test_a_second_import_of_the_same_file_gets_a_slug_of_its_own() -> None:
    teacher = TeacherFactory()
    data = (FILES / "gift/formats.gift").read_bytes()
    first = questions_import(data=data, file_format="gift", by=teacher).lesson
    second = questions_import(data=data, file_format="gift", by=teacher).lesson
    assert (first.slug, second.slug) == ("venezuela-unit", "venezuela-unit-2")


def test_a_draft_without_an_article_cannot_be_published() -> None:
    imported = questions_import(
        data=(FILES / "moodle/truefalse.xml").read_bytes(), file_format="moodle", by=TeacherFactory()
    )
    with pytest.raises(LessonFileError, match="only a draft may lack its article"):
        lesson_publish(lesson=imported.lesson)
    imported.lesson.refresh_from_db()
    assert imported.lesson.status == LessonStatus.DRAFT


def test_only_a_draft_document_may_lack_its_article() -> None:
    draft = empty_lesson(slug="empty", title="Empty", introduction="Nothing yet.")
    draft["questions"] = [
        {
            "id": "q1",
            "kind": "true_false",
            "focus": "event",
            "prompt": "Is it?",
            "points": 1,
            "actors": [],
            "treaties": [],
            "claims": [],
            "evidence": [],
            "options": [],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "It is.",
                "correct": True,
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        }
    ]
    assert parse_lesson_document(draft).article.paragraphs == []
    draft["lesson"]["status"] = "published"
    with pytest.raises(LessonFileError) as refused:
        parse_lesson_document(draft)
    assert str(refused.value) == (
        "article.paragraphs: must hold at least one paragraph (only a draft may lack its article)"
    )


def test_a_file_with_nothing_importable_writes_nothing() -> None:
    before = Lesson.objects.count()
    with pytest.raises(InvalidInput) as refused:
        questions_import(
            data=(FILES / "gift/nothing.gift").read_bytes(), file_format="gift", by=TeacherFactory()
        )
    assert refused.value.message == "questions: the file holds no question that can be imported"
    assert Lesson.objects.count() == before


def test_an_xml_bomb_is_refused_and_writes_nothing() -> None:
    before = Lesson.objects.count()
    with pytest.raises(InvalidInput, match="declares a DTD or entities"):
        questions_import(
            data=(FILES / "moodle/bomb.xml").read_bytes(), file_format="moodle", by=TeacherFactory()
        )
    assert Lesson.objects.count() == before


def test_only_teachers_import_questions() -> None:
    with pytest.raises(NotAllowed):
        questions_import(
            data=(FILES / "gift/true_false.gift").read_bytes(), file_format="gift", by=LearnerFactory()
        )


def test_a_lesson_is_imported_whole_from_its_own_qti_package_as_a_new_draft(first_lesson: Lesson) -> None:
    exported = lesson_export_as(lesson=first_lesson, file_format="qti30")
    teacher = TeacherFactory()
    imported = questions_import(
        data=exported.content, file_format="qti", by=teacher, filename=exported.filename
    )
    copy = lesson_document(imported.lesson)
    original = lesson_document(first_lesson)
    assert imported.lesson.slug != first_lesson.slug and imported.lesson.owner == teacher
    assert copy["questions"] == original["questions"]
    assert copy["article"] == original["article"]
    assert copy["claims"] == original["claims"]


def test_only_the_owner_exports_a_lesson_with_its_keys(first_lesson: Lesson) -> None:
    with pytest.raises(NotAllowed):
        lesson_export_as(lesson=first_lesson, file_format="gift", by=TeacherFactory())


def test_import_questions_prints_the_report(tmp_path: Path) -> None:
    TeacherFactory(username="ana")
    out = io.StringIO()
    call_command(
        "import_questions", str(FILES / "moodle/not_carried.xml"), format="moodle", owner="ana", stdout=out
    )
    assert out.getvalue().splitlines() == [
        "Imported 1 questions into the draft 'not-carried' (3 skipped).",
        "  skipped: Cloze: Moodle's cloze (embedded answers) questions are not carried",
        "  skipped: Drag: Moodle's drag and drop into text questions are not carried",
        "  skipped: Unknown: unknown question type “madeup”",
        "  changed: With a picture: embedded files and images are not carried",
    ]


def test_import_questions_refuses_a_bad_file_by_name() -> None:
    TeacherFactory(username="ana")
    with pytest.raises(CommandError, match=r"one_pair\.gift: questions: the file holds no question"):
        call_command("import_questions", str(FILES / "gift/one_pair.gift"), format="gift", owner="ana")


@pytest.mark.parametrize(
    ("file_format", "start"),
    [("gift", b"$CATEGORY:"), ("moodle", b"<?xml"), ("qti21", b"PK"), ("qti30", b"PK")],
)
def test_export_lesson_writes_each_format(
    first_lesson: Lesson, tmp_path: Path, file_format: str, start: bytes
) -> None:
    output = tmp_path / "out"
    err = io.StringIO()
    call_command("export_lesson", first_lesson.slug, format=file_format, output=output, stderr=err)
    assert output.read_bytes().startswith(start)
    assert err.getvalue().endswith(f"Wrote {output}.\n")


def test_export_lesson_still_writes_the_lesson_file_by_default(
    first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    out = io.StringIO()
    call_command("export_lesson", first_lesson.slug, stdout=out)
    assert json.loads(out.getvalue()) == first_lesson_data
