"""An author's side: the lessons a teacher owns or co-authors, each as its lesson file (keys included), its
published revisions and what one revision changed of another; a new lesson from a lesson file, a lesson
rewritten from one, and its file as the export_lesson command writes it; publishing (once the checklist
lists no problem), duplicating and archiving; its co-authors (chosen by its owner alone).

Each mirrors a page of the authoring studio (`lessons.web.views.studio`, `.studio_questions`) and calls the
same selectors (`lessons.selectors.authoring`, `.question_authoring`) and services: who may author what is
decided there. A lesson the caller may not author is a 404, as on the pages. A lesson file and a revision
carry an ETag: If-None-Match answers a 304 while the copy is current (a revision never changes).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.models import Lesson, Revision
from lessons.selectors.authoring import authored_lessons, lesson_for_author
from lessons.selectors.question_authoring import revision_pair
from lessons.services.authoring import (
    LessonFileRefused,
    co_author_add,
    co_author_remove,
    lesson_archive,
    lesson_duplicate,
    lesson_file_import,
)
from lessons.services.lesson_documents import MAX_FILE_BYTES
from lessons.services.lessons import (
    ImportConflict,
    ImportResult,
    content_digest,
    dump_document,
    lesson_document,
)
from lessons.services.question_authoring import ChecklistFailed, lesson_publish_checked

from .. import serializers as s
from ..base import ApiView, documented, not_modified
from ..errors import error_body
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


def conflict_data(conflict: ImportConflict) -> dict[str, Any]:
    return {
        "kind": conflict.kind,
        "id": conflict.id,
        "field": conflict.field,
        "shared": conflict.shared,
        "in_file": conflict.in_file,
        "for_lesson": conflict.for_lesson,
        "message": str(conflict),
    }


def imported(request: Request, into: Lesson | None, status: int) -> Response:
    """The request's body imported as a lesson file (a new lesson, or `into` rewritten), with the conflicts
    with shared records; a refused file is a 400 naming every problem by its path in the file."""
    try:
        result = lesson_file_import(raw=request.body, by=request.user, into=into)
    except LessonFileRefused as error:
        fields: dict[str, list[str]] = {}
        for problem in error.problems:
            fields.setdefault(problem.path or "file", []).append(problem.message)
        return Response(
            error_body("lesson_file_refused", error.message, fields or {"file": [error.message]}), status=400
        )
    return Response(s.ImportedLessonSerializer(imported_data(result)).data, status=status)


IMPORTED = {
    "slug": "venezuela-military-aid",
    "title": "Venezuela asks Russia, China and Iran for military help",
    "status": "draft",
    "conflicts": [
        {
            "kind": "actor",
            "id": "maduro",
            "field": "name",
            "shared": "Nicolás Maduro",
            "in_file": "Nicolas Maduro",
            "for_lesson": False,
            "message": "actor maduro: name kept as the shared record says, …",
        }
    ],
}


class ImportView(ApiView):
    max_body_bytes = MAX_FILE_BYTES

    @documented(
        summary="A new lesson of mine from a lesson file, with the status it names (every problem at once)",
        request=s.LessonFileSerializer,
        request_example=LESSON_FILE,
        response=s.ImportedLessonSerializer,
        example=IMPORTED,
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str) -> Response:
        return imported(request, None, 201)


class LessonFileView(ApiView):
    max_body_bytes = MAX_FILE_BYTES

    @documented(
        summary="A lesson I author as its file: the same bytes as the export_lesson command",
        response=s.LessonFileSerializer,
        example=LESSON_FILE,
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_lesson_file_retrieve",
    )
    def get(self, request: Request, version: str, slug: str) -> HttpResponse:
        lesson = authored(request, slug)
        response = HttpResponse(
            dump_document(lesson_document(lesson)).encode(), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{lesson.slug}.json"'
        return response

    @documented(
        summary="Rewrite a lesson I author from a lesson file that keeps its id",
        request=s.LessonFileSerializer,
        request_example=LESSON_FILE,
        response=s.ImportedLessonSerializer,
        example=IMPORTED,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
        operation_id="author_lesson_file_update",
    )
    def put(self, request: Request, version: str, slug: str) -> Response:
        return imported(request, authored(request, slug), 200)


def imported_data(result: ImportResult) -> dict[str, Any]:
    return {
        "slug": result.lesson.slug,
        "title": result.lesson.title,
        "status": result.lesson.status,
        "conflicts": [conflict_data(conflict) for conflict in result.conflicts],
    }


class PublishView(ApiView):
    @documented(
        summary="Publish a lesson I author as its next revision, once the checklist lists no problem",
        response=s.PublishedSerializer,
        example={"slug": "venezuela-military-aid", "revision": 2},
        errors=[401, 403, 404, 409, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        try:
            revision = lesson_publish_checked(user=request.user, lesson=lesson)
        except ChecklistFailed as error:
            # Every problem, by the question it is in (`questions.q04`) or the rule it breaks (`coverage`).
            fields: dict[str, list[str]] = {}
            for item in error.checklist.problems:
                where = f"questions.{item.question_key}" if item.question_key else item.rule
                fields.setdefault(where, []).append(item.message)
            return Response(error_body("checklist_failed", error.message, fields), status=409)
        return Response(s.PublishedSerializer({"slug": lesson.slug, "revision": revision.number}).data)


class DuplicateView(ApiView):
    @documented(
        summary="A copy of a lesson I author, as a private draft of mine with a new id",
        response=s.ImportedLessonSerializer,
        example={**IMPORTED, "slug": "venezuela-military-aid-copy", "conflicts": []},
        status=201,
        errors=[400, 401, 403, 404, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        result = lesson_duplicate(lesson=authored(request, slug), by=request.user)
        return Response(s.ImportedLessonSerializer(imported_data(result)).data, status=201)


class LessonArchiveView(ApiView):
    @documented(
        summary="Archive a lesson I author (out of the catalogue; assignments keep working), or restore it",
        request=s.ArchiveInputSerializer,
        request_example={"archived": True},
        response=s.ArchivedLessonSerializer,
        example={"slug": "venezuela-military-aid", "archived_at": "2026-01-05T08:00:00Z"},
        errors=[400, 401, 403, 404, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        data = s.ArchiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = lesson_archive(lesson=lesson, by=request.user, archive=data.validated_data["archived"])
        return Response(
            s.ArchivedLessonSerializer({"slug": lesson.slug, "archived_at": lesson.archived_at}).data
        )


def co_authors_data(lesson: Lesson) -> dict[str, Any]:
    owner = lesson.owner
    return {
        "owner": {"id": owner.pk, "username": owner.username} if owner else None,
        "co_authors": [
            {"id": user.pk, "username": user.username} for user in lesson.co_authors.order_by("username")
        ],
    }


class CoAuthorsView(ApiView):
    @documented(
        summary="Who authors a lesson I author: its owner and its co-authors",
        response=s.CoAuthorsSerializer,
        example={
            "owner": {"id": 4, "username": "ms.lopez"},
            "co_authors": [{"id": 5, "username": "mr.mendes"}],
        },
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_coauthors_retrieve",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        return Response(s.CoAuthorsSerializer(co_authors_data(authored(request, slug))).data)

    @documented(
        summary="Let another teacher (by username) edit a lesson I own (again is harmless)",
        request=s.UsernameInputSerializer,
        request_example={"username": "mr.mendes"},
        response=s.TeacherSerializer,
        example={"id": 5, "username": "mr.mendes"},
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        # A co-author who does not own the lesson is refused by the service (404, as on the pages).
        lesson = authored(request, slug)
        body = s.UsernameInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = co_author_add(lesson=lesson, by=request.user, username=body.validated_data["username"])
        return Response(s.TeacherSerializer({"id": user.pk, "username": user.username}).data, status=201)


class CoAuthorView(ApiView):
    @documented(
        summary="Stop a co-author editing a lesson I own (whether they did)",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 429],
        tags=["authoring"],
    )
    def delete(self, request: Request, version: str, slug: str, user_id: int) -> Response:
        co_author_remove(lesson=authored(request, slug), by=request.user, user_id=user_id)
        return Response(status=204)
