"""Writes and business rules. Views, API views and management commands call these; nothing else writes."""

from .attempts import (
    SavedResponse,
    attempt_submit,
    response_save,
    review_answer,
    self_study_attempt_open,
)
from .errors import AnswerLocked, AttemptClosed, HeldForAssignment, InvalidAnswer, ServiceError
from .lesson_documents import LessonFileError, parse_lesson_document
from .lessons import content_digest, dump_document, lesson_document, lesson_import, lesson_publish

__all__ = [
    "AnswerLocked",
    "AttemptClosed",
    "HeldForAssignment",
    "InvalidAnswer",
    "LessonFileError",
    "SavedResponse",
    "ServiceError",
    "attempt_submit",
    "content_digest",
    "dump_document",
    "lesson_document",
    "lesson_import",
    "lesson_publish",
    "parse_lesson_document",
    "response_save",
    "review_answer",
    "self_study_attempt_open",
]
