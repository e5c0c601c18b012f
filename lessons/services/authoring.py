"""Authoring a lesson in the studio: who may, and every change a teacher makes to a draft.

Each service takes the lesson row's lock (services.locks order 1), checks `check_can_author` inside its
transaction, and raises NotAllowed (404 for a view) or InvalidInput (a form error) with nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lessons.models import Lesson

from .errors import NotAllowed


def may_author(*, user: Any, lesson: Lesson) -> bool:
    """Whether `user` may change `lesson`: its owner, a co-author, or a superuser."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or (lesson.owner_id is not None and lesson.owner_id == user.pk):
        return True
    return lesson.co_authors.filter(pk=user.pk).exists()


def check_can_author(*, user: Any, lesson: Lesson) -> None:
    """Raise NotAllowed (404) unless `user` owns or co-authors `lesson` or is a superuser."""
    if not may_author(user=user, lesson=lesson):
        raise NotAllowed(_("Only the owner or a co-author of this lesson may change it."))
