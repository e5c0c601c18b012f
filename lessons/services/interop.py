"""Lessons in and out of other tools: importing a file of questions (GIFT, Moodle XML, QTI) into a new
draft lesson, and exporting a lesson to those formats, each with a report of what changed.

An import goes through `lesson_import`, so it is checked as any lesson file is and written all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lessons.interop import gift, moodle_xml, qti
from lessons.interop.documents import QuestionBank, lesson_of_bank, portable_questions
from lessons.interop.report import FormatError, Report
from lessons.interop.safety import check_size
from lessons.models import Lesson

from .classroom import is_teacher
from .errors import InvalidInput, NotAllowed
from .lesson_documents import LessonFileError
from .lessons import _refuse_unless_owner, lesson_document, lesson_import_reporting

READERS: Final[dict[str, Callable[[bytes], QuestionBank]]] = {
    "gift": gift.read_gift,
    "moodle": moodle_xml.read_moodle_xml,
    "qti": qti.read_qti_package,
}
EXPORT_FORMATS: Final = ("gift", "moodle", "qti21", "qti30")
FORMAT_NAMES: Final = {"gift": "GIFT", "moodle": "Moodle XML", "qti21": "QTI 2.1", "qti30": "QTI 3.0"}
_MEDIA: Final = {
    "gift": ("text/plain; charset=utf-8", "gift.txt"),
    "moodle": ("application/xml", "moodle.xml"),
    "qti21": ("application/zip", "qti21.zip"),
    "qti30": ("application/zip", "qti30.zip"),
}


@dataclass(frozen=True)
class Imported:
    lesson: Lesson
    report: Report


@dataclass(frozen=True)
class Exported:
    content: bytes
    filename: str
    media_type: str
    report: Report


def _free_slug(base: str) -> str:
    # The lesson format's ids: lowercase letters, digits and single hyphens.
    base = re.sub(r"[^a-z0-9]+", "-", slugify(base))[:60].strip("-") or "imported-questions"
    taken = set(Lesson.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def questions_import(*, data: bytes, file_format: str, by: User, filename: str = "") -> Imported:
    """A new draft lesson, owned by `by`, of the questions of a GIFT, Moodle XML or QTI file.

    Questions the format cannot carry are left out and listed in the report; a file that cannot be read,
    or holds no question that can be carried, raises InvalidInput and writes nothing.
    """
    if not (by.is_superuser or is_teacher(by)):
        raise NotAllowed(_("Only teachers import questions."))
    reader = READERS.get(file_format)
    if reader is None:
        raise InvalidInput(
            _("Unknown question file format: %(format)s.") % {"format": file_format}, field="format"
        )
    try:
        check_size(data)
        bank = reader(data)
        stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1]) or _("Imported questions")
        title = (bank.categories[0] if bank.categories else stem)[:200]
        categories = ", ".join(dict.fromkeys(bank.categories))
        introduction = _("Questions imported from %(file)s (%(format)s).") % {
            "file": filename or stem,
            "format": file_format,
        }
        if categories:
            introduction += " " + _("Categories: %(categories)s.") % {"categories": categories}
        document = lesson_of_bank(bank, slug=_free_slug(title), title=title, introduction=introduction)
        with transaction.atomic():
            result = lesson_import_reporting(data=document, by=by)
    except FormatError as error:
        raise InvalidInput(error.message, field="file") from None
    except LessonFileError as error:
        raise InvalidInput(str(error), field="file") from None
    for conflict in result.conflicts:  # shared actors or treaties the package describes otherwise
        bank.report.change("", str(conflict))
    return Imported(lesson=result.lesson, report=bank.report)


def lesson_export_as(*, lesson: Lesson, file_format: str, by: User | None = None) -> Exported:
    """The lesson (keys included) as GIFT, Moodle XML or a QTI 2.1 or 3.0 package, and a report of what
    each format could not carry. Only its owner (or the system: `by` None) exports a lesson's keys."""
    if by is not None:
        _refuse_unless_owner(lesson, by)
    if file_format not in EXPORT_FORMATS:
        raise InvalidInput(_("Unknown export format: %(format)s.") % {"format": file_format}, field="format")
    document = lesson_document(lesson)
    report = Report()
    questions = portable_questions(document, report)
    title = document["lesson"]["title"]
    if file_format == "gift":
        text, notes = gift.write_gift(questions, category=title)
        content = text.encode()
    elif file_format == "moodle":
        content, notes = moodle_xml.write_moodle_xml(questions, category=title)
    else:
        content, notes = qti.write_qti_package(document, questions, version=file_format)
    for question, note in notes:
        report.change(question, note)
    media_type, suffix = _MEDIA[file_format]
    return Exported(content=content, filename=f"{lesson.slug}-{suffix}", media_type=media_type, report=report)
