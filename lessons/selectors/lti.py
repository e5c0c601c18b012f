"""What the LTI pages read: a course link its teacher may set up, an active platform, and a lesson a
teacher may pick for a course."""

from __future__ import annotations

from typing import Any

from lessons.models import Lesson, LtiPlatform, LtiResourceLink
from lessons.selectors.lessons import assignable_lessons


def link_for_teacher(teacher: Any, link_id: int) -> LtiResourceLink | None:
    """The resource link `link_id` if `teacher` teaches its course's class, with its context, class and
    platform; else None."""
    return (
        LtiResourceLink.objects.select_related("context__classroom", "context__platform")
        .filter(pk=link_id, context__classroom__teachers=teacher)
        .first()
    )


def active_platform(platform_id: Any) -> LtiPlatform | None:
    """The platform `platform_id` if it is registered and active, else None."""
    return LtiPlatform.objects.filter(pk=platform_id, active=True).first()


def assignable_lesson(teacher: Any, slug: str) -> Lesson | None:
    """The lesson `slug` if `teacher` may give it to a class (see `assignable_lessons`), else None."""
    return assignable_lessons(teacher).filter(slug=slug).first()


def lessons_to_pick(teacher: Any) -> list[Lesson]:
    """The lessons a teacher may pick for a course link, with their published revisions."""
    return list(assignable_lessons(teacher).select_related("published_revision"))
