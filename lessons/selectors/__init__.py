"""Reads, with their joins and visibility scoping done once. Writes live in `lessons.services`."""

from .lessons import (
    StudentLessonView,
    assignable_lessons,
    published_lessons_for,
    published_revision_for,
    standings_glossary,
    student_view_of,
    visible_lessons_q,
)

__all__ = [
    "StudentLessonView",
    "assignable_lessons",
    "published_lessons_for",
    "published_revision_for",
    "standings_glossary",
    "student_view_of",
    "visible_lessons_q",
]
