"""Writes and business rules. Views, API views and management commands call these; nothing else writes."""

from .lesson_documents import LessonFileError, parse_lesson_document
from .lessons import content_digest, dump_document, lesson_document, lesson_import, lesson_publish

__all__ = [
    "LessonFileError",
    "content_digest",
    "dump_document",
    "lesson_document",
    "lesson_import",
    "lesson_publish",
    "parse_lesson_document",
]
