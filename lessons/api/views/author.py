"""An author's side: the lessons a teacher owns or co-authors, each as its lesson file (keys included), its
published revisions and what one revision changed of another.

Each mirrors a page of the authoring studio (`lessons.web.views.studio`, `.studio_questions`) and calls the
same selectors (`lessons.selectors.authoring`, `.question_authoring`) and services: who may author what is
decided there. A lesson the caller may not author is a 404, as on the pages. A lesson file and a revision
carry an ETag: If-None-Match answers a 304 while the copy is current (a revision never changes).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.models import Lesson, Revision
from lessons.selectors.authoring import authored_lessons, lesson_for_author
from lessons.selectors.question_authoring import revision_pair
from lessons.services.lessons import content_digest, lesson_document

from .. import serializers as s
from ..base import ApiView, documented, not_modified
from ..lists import (
    PAGE_PARAMETER,
    AuthoredLessonFilter,
    Pages,
    filter_parameters,
    filtered,
    page_example,
    page_serializer,
)


def authored(request: Request, slug: str) -> Lesson:
    """The lesson `slug` if the caller may author it, else 404 (as `studio.authored` on the pages)."""
    lesson = lesson_for_author(user=request.user, slug=slug)
    if lesson is None:
        raise Http404
    return lesson


def revision_line(revision: Revision) -> dict[str, Any]:
    return {
        "number": revision.number,
        "published_at": revision.published_at,
        "published_by": revision.published_by.username if revision.published_by else None,
        "content_sha256": revision.content_sha256,
    }


def revision_etag(revision: Revision) -> str:
    # A revision is immutable: its id and digest name its content for good.
    return f'"revision-{revision.pk}-{revision.content_sha256[:32]}"'


LESSON_FILE = {
    "format": "quizsite-lesson",
    "version": 1,
    "lesson": {"slug": "venezuela-military-aid", "title": "Venezuela asks Russia, China and Iran for help"},
    "sources": [{"id": "wapo", "name": "The Washington Post"}],
    "actors": [{"id": "maduro", "name": "Nicolás Maduro"}],
    "treaties": [],
    "article": {"title": "Venezuela asks Russia, China and Iran for military help", "paragraphs": []},
    "claims": [],
    "questions": [{"id": "q01", "prompt": "Who leads Venezuela?", "answer": {"explanation": "…"}}],
}
AUTHORED_LESSON = {
    "slug": "venezuela-military-aid",
    "title": "Venezuela asks Russia, China and Iran for military help",
    "status": "published",
    "visibility": "public",
    "owner": "ms.lopez",
    "mine": True,
    "questions": 12,
    "revisions": 2,
    "published_revision": 2,
    "archived_at": None,
    "updated_at": "2026-01-05T08:00:00Z",
}
REVISION_LINE = {
    "number": 2,
    "published_at": "2026-01-05T08:00:00Z",
    "published_by": "ms.lopez",
    "content_sha256": "9f2c…",
}
CHANGES = {
    "old": 1,
    "new": 2,
    "added": [{"key": "q13", "number": 13, "prompt": "Who signed the treaty?"}],
    "removed": [],
    "changed": [
        {
            "key": "q02",
            "number": 2,
            "old_prompt": "Who asked?",
            "new_prompt": "Who asked for help?",
            "aspects": ["prompt"],
            "labels": ["prompt"],
        }
    ],
    "reordered": False,
    "lesson_fields": ["title"],
}

AuthoredLessonPage = page_serializer(s.AuthoredLessonSerializer, "AuthoredLessonPage")
RevisionPage = page_serializer(s.RevisionLineSerializer, "RevisionPage")


class AuthoredLessonsView(ApiView):
    @documented(
        summary="My lessons: those I own or co-author, archived last",
        response=AuthoredLessonPage,
        example=page_example(AUTHORED_LESSON),
        errors=[400, 401, 404, 429],
        parameters=filter_parameters(AuthoredLessonFilter),
        tags=["authoring"],
        operation_id="author_lessons_list",
    )
    def get(self, request: Request, version: str) -> Response:
        found = filtered(AuthoredLessonFilter, request, authored_lessons(user=request.user))
        paginator = Pages()
        page = paginator.paginate_queryset(found, request, view=self) or []
        data = [
            {
                "slug": lesson.slug,
                "title": lesson.title,
                "status": lesson.status,
                "visibility": lesson.visibility,
                "owner": lesson.owner.username if lesson.owner else None,
                "mine": lesson.owner_id == request.user.pk,
                "questions": lesson.question_count,
                "revisions": len(lesson.revisions.all()),
                "published_revision": lesson.published_revision.number if lesson.published_revision else None,
                "archived_at": lesson.archived_at,
                "updated_at": lesson.updated_at,
            }
            for lesson in page
        ]
        return paginator.get_paginated_response(s.AuthoredLessonSerializer(data, many=True).data)


class AuthoredLessonView(ApiView):
    @documented(
        summary="A lesson I author, as its lesson file (keys included)",
        response=s.LessonFileSerializer,
        example=LESSON_FILE,
        errors=[401, 404, 429],
        conditional=True,
        tags=["authoring"],
        operation_id="author_lesson_retrieve",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        document = lesson_document(authored(request, slug))
        etag = f'"lesson-file-{content_digest(document)[:32]}"'
        if (unchanged := not_modified(request, etag)) is not None:
            return unchanged
        return Response(document, headers={"ETag": etag})


class RevisionsView(ApiView):
    @documented(
        summary="The published revisions of a lesson I author, newest first",
        response=RevisionPage,
        example=page_example(REVISION_LINE),
        errors=[401, 404, 429],
        parameters=[PAGE_PARAMETER],
        tags=["authoring"],
        operation_id="author_revisions_list",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        revisions = lesson.revisions.select_related("published_by").defer("content").order_by("-number")
        paginator = Pages()
        page = paginator.paginate_queryset(revisions, request, view=self) or []
        return paginator.get_paginated_response(
            s.RevisionLineSerializer([revision_line(revision) for revision in page], many=True).data
        )


class RevisionView(ApiView):
    @documented(
        summary="One published revision of a lesson I author, with its content (keys included)",
        response=s.RevisionSerializer,
        example={**REVISION_LINE, "content": LESSON_FILE},
        errors=[401, 404, 429],
        conditional=True,
        tags=["authoring"],
    )
    def get(self, request: Request, version: str, slug: str, number: int) -> Response:
        lesson = authored(request, slug)
        revision = (
            lesson.revisions.select_related("published_by").defer("content").filter(number=number).first()
        )
        if revision is None:
            raise Http404
        etag = revision_etag(revision)
        if (unchanged := not_modified(request, etag)) is not None:
            return unchanged
        data = {**revision_line(revision), "content": revision.content}
        return Response(data, headers={"ETag": etag})


class RevisionChangesView(ApiView):
    @documented(
        summary="What revision {new} changed of revision {old}: questions added, removed and changed",
        response=s.RevisionChangesSerializer,
        example=CHANGES,
        errors=[401, 404, 429],
        tags=["authoring"],
    )
    def get(self, request: Request, version: str, slug: str, old: int, new: int) -> Response:
        pair = revision_pair(authored(request, slug), old=old, new=new)
        if pair is None:
            raise Http404
        changes = pair.changes
        data = {
            "old": old,
            "new": new,
            "added": [vars(line) for line in changes.added],
            "removed": [vars(line) for line in changes.removed],
            "changed": [vars(change) for change in changes.changed],
            "reordered": changes.reordered,
            "lesson_fields": changes.lesson_fields,
        }
        return Response(s.RevisionChangesSerializer(data).data)
