"""What a teacher authors: the lessons they own or co-author, found by slug, and their "My lessons" list.

None (never Http404) when a lesson is unknown or the user may not author it; the services check the same
rule again inside their transactions (`services.authoring.check_can_author`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from lessons.models import Assignment, Lesson, Revision


def authoring_q(user: Any) -> Q:
    """The lessons `user` may author: their own and those they co-author (a superuser: every lesson)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    co_author = Lesson.co_authors.through.objects.filter(lesson_id=OuterRef("pk"), user_id=user.pk)
    return Q(owner_id=user.pk) | Q(Exists(co_author))


def lesson_for_author(*, user: Any, slug: str) -> Lesson | None:
    """The lesson `slug` if `user` owns it, co-authors it or is a superuser; else None."""
    return (
        Lesson.objects.filter(authoring_q(user), slug=slug)
        .select_related("article", "article__source", "owner", "published_revision")
        .first()
    )


def authored_lessons(*, user: Any) -> QuerySet[Lesson]:
    """ "My lessons": the lessons `user` owns or co-authors (not every lesson, even for a superuser), with
    their revisions (newest first), their assignments with class, and `question_count`; archived last."""
    mine = Q(owner_id=user.pk) | Q(
        Exists(Lesson.co_authors.through.objects.filter(lesson_id=OuterRef("pk"), user_id=user.pk))
    )
    return (
        Lesson.objects.filter(mine)
        .select_related("article", "article__source", "owner", "published_revision")
        .annotate(question_count=Count("questions", distinct=True))
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=Revision.objects.only("pk", "lesson_id", "number", "published_at").order_by(
                    "-number"
                ),
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("classroom")
                .only("pk", "lesson_id", "revision_id", "classroom__name", "classroom__id")
                .order_by("pk"),
                to_attr="assignment_list",
            ),
            "co_authors",
        )
        .order_by("archived_at", "-updated_at", "pk")
    )
