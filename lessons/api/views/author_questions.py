"""An author's side of a lesson's questions: the draft's questions in the lesson file's own format (keys
included), a new one, one replaced, deleted, moved or duplicated; an answer tried in the preview (graded,
never stored); questions from a GIFT, Moodle XML or QTI file into a new draft, and a lesson out to those
formats, each with its report of what was left out or changed.

Each mirrors a studio page (`lessons.web.views.studio_questions`, `.studio_interop`) and calls the same
selectors (`lessons.selectors.question_authoring`) and services (`lessons.services.question_authoring`,
`.interop`), which decide who may do what and check every question. A lesson the caller may not author is a
404, as on the pages. Editing a published lesson edits its draft: students and grades keep the published
revision until the lesson is published again.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.content_types import QuestionContent
from lessons.interop.report import Report
from lessons.interop.safety import MAX_UPLOAD_BYTES
from lessons.kinds import kind_names
from lessons.selectors import question_authoring as pages
from lessons.services.interop import EXPORT_FORMATS, FORMAT_NAMES, READERS, lesson_export_as, questions_import
from lessons.services.lessons import content_digest
from lessons.services.question_authoring import (
    QuestionInvalid,
    SavedQuestion,
    preview_grade,
    question_delete,
    question_duplicate,
    question_move,
    question_save_content,
)

from .. import question_serializers as qs
from .. import serializers as s
from ..base import ApiView, documented, not_modified
from ..errors import PayloadTooLarge, error_body
from ..presenters import answered_data
from .author import authored
from .learner import ANSWERED
from .learner import QUESTION as STUDENT_QUESTION

# The student's example question (learner.QUESTION) as its lesson file writes it: with its evidence and key.
QUESTION: dict[str, Any] = {
    **{name: value for name, value in STUDENT_QUESTION.items() if name != "answering"},
    "evidence": ["s3"],
    "answer": {
        "explanation": "The article names her role in its third sentence.",
        "correct": "a",
        "option_feedback": {"b": "Read the third sentence again."},
        "accepted": [],
        "typo_tolerance": 0,
        "model_answer": "",
        "rubric": [],
    },
}
NEW_QUESTION = {name: value for name, value in QUESTION.items() if name != "id"}
SAVED = {"number": 1, "key": "q01", "rearranged": False, "question": QUESTION}
INVALID = {
    "code": "question_invalid",
    "message": "Question 1 (“Who is Delcy Rodríguez?”) — Answer key: …",
    "fields": {"answer.correct": ["unknown option 'x'"], "evidence": ["…"]},
}
SKIPPED_ENTRY = {"question": "Q3", "message": "cloze questions are not carried", "skipped": True}
CHANGED_ENTRY = {"question": "Q5", "message": "partial weights dropped", "skipped": False}
REPORT = {"carried": 12, "skipped": 1, "entries": [SKIPPED_ENTRY, CHANGED_ENTRY]}
KEY_PARAMETER = OpenApiParameter(
    "question_key", OpenApiTypes.STR, location=OpenApiParameter.PATH, description="The question's key (`id`)."
)
FORMAT_PARAMETER = OpenApiParameter(
    "file_format",
    OpenApiTypes.STR,
    location=OpenApiParameter.PATH,
    enum=list(EXPORT_FORMATS),
    description="gift, moodle (Moodle XML), qti21 or qti30 (a QTI package).",
)
# A multipart body holds the file and a few hundred bytes around it: the file itself has the studio's cap.
MULTIPART_ALLOWANCE = 16 * 1024


def _problems(error: QuestionInvalid) -> Response:
    """Every problem of a refused question, by its path inside the question (`answer.correct`)."""
    fields: dict[str, list[str]] = {}
    for problem in error.problems:
        fields.setdefault(problem.path or "question", []).append(problem.message)
    return Response(error_body("question_invalid", error.message, fields), status=400)


def _question_url(request: Request, slug: str, key: str) -> str:
    return reverse(
        "api:author_question", kwargs={"version": request.version, "slug": slug, "question_key": key}
    )


def _draft_question(document_questions: list[QuestionContent], key: str) -> tuple[int, QuestionContent]:
    found = [(n, q) for n, q in enumerate(document_questions, start=1) if q["id"] == key]
    if not found:
        raise Http404
    return found[0]


def _saved(request: Request, slug: str, saved: SavedQuestion, status: int) -> Response:
    """The question as stored now (read back from the draft), with its number."""
    lesson = authored(request, slug)
    number, question = _draft_question(pages.draft_document(lesson)["questions"], saved.question.key)
    data = {"number": number, "key": saved.question.key, "rearranged": saved.rearranged, "question": question}
    headers = {"Location": _question_url(request, slug, saved.question.key)} if status == 201 else None
    return Response(qs.SavedQuestionSerializer(data).data, status=status, headers=headers)


class QuestionsView(ApiView):
    @documented(
        summary="The questions of a lesson I author, in order, each as in the lesson file (keys included)",
        response=qs.DraftQuestionsSerializer,
        example={
            "slug": "venezuela-military-aid",
            "draft_changed": False,
            "kinds": [{"name": kind_names()[0], "label": "Single choice"}],
            "questions": [
                {
                    "number": 1,
                    "key": "q01",
                    "kind": kind_names()[0],
                    "kind_label": "Single choice",
                    "focus_label": "Actors",
                    "prompt": "Who is Delcy Rodríguez?",
                    "points": 1,
                    "evidence_part": 0,
                    "question": QUESTION,
                }
            ],
        },
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_questions_list",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        page = pages.questions_page(authored(request, slug))
        data = {
            "slug": page.lesson.slug,
            "draft_changed": page.draft_changed,
            "kinds": [{"name": name, "label": label} for name, label in page.kinds],
            "questions": [
                {**vars(line), "question": question}
                for line, question in zip(page.lines, page.questions, strict=True)
            ],
        }
        return Response(qs.DraftQuestionsSerializer(data).data)

    @documented(
        summary="A new question at the end of a lesson I author, as in a lesson file (every problem at once)",
        description="The body is one question as a lesson file writes it; its `id` is chosen by the server, "
        "as the studio's editor does. It is checked by the lesson file's rules and then as the studio's "
        "editor checks a question: a 400 lists every problem by its path inside the question.",
        request=qs.QuestionFileSerializer,
        request_example=NEW_QUESTION,
        response=qs.SavedQuestionSerializer,
        example=SAVED,
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        try:
            saved = question_save_content(user=request.user, lesson=lesson, content=request.data)
        except QuestionInvalid as error:
            return _problems(error)
        return _saved(request, slug, saved, 201)


class QuestionView(ApiView):
    @documented(
        summary="One question of a lesson I author, as in the lesson file (keys included); PUT takes it back",
        response=qs.QuestionFileSerializer,
        example=QUESTION,
        errors=[401, 404, 429],
        conditional=True,
        parameters=[KEY_PARAMETER],
        tags=["authoring"],
        operation_id="author_question_retrieve",
    )
    def get(self, request: Request, version: str, slug: str, question_key: str) -> Response:
        lesson = authored(request, slug)
        _number, question = _draft_question(pages.draft_document(lesson)["questions"], question_key)
        etag = f'"question-{content_digest(question)[:32]}"'
        if (unchanged := not_modified(request, etag)) is not None:
            return unchanged
        return Response(question, headers={"ETag": etag})

    @documented(
        summary="Replace a question of a lesson I author (the draft; students keep the published revision)",
        description="The body is the question as GET gives it. Its `id` and `kind` may be left out; another "
        "id or kind than the question's is a 409. Checked as a new question is: a 400 lists every problem.",
        request=qs.QuestionFileSerializer,
        request_example=QUESTION,
        response=qs.SavedQuestionSerializer,
        example=SAVED,
        errors=[400, 401, 403, 404, 409, 413, 429],
        parameters=[KEY_PARAMETER],
        tags=["authoring"],
    )
    def put(self, request: Request, version: str, slug: str, question_key: str) -> Response:
        lesson = authored(request, slug)
        try:
            saved = question_save_content(
                user=request.user, lesson=lesson, content=request.data, question_key=question_key
            )
        except QuestionInvalid as error:
            return _problems(error)
        return _saved(request, slug, saved, 200)

    @documented(
        summary="Delete a question of a lesson I author from its draft (published revisions keep it)",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 429],
        parameters=[KEY_PARAMETER],
        tags=["authoring"],
    )
    def delete(self, request: Request, version: str, slug: str, question_key: str) -> Response:
        question_delete(user=request.user, lesson=authored(request, slug), question_key=question_key)
        return Response(status=204)


def _order(lesson_slug: str, request: Request, key: str) -> dict[str, Any]:
    page = pages.questions_page(authored(request, lesson_slug))
    number = next(line.number for line in page.lines if line.key == key)
    return {"key": key, "number": number, "order": [line.key for line in page.lines]}


class QuestionMoveView(ApiView):
    @documented(
        summary="Move a question of a lesson I author one place up or down, or to a number",
        request=qs.QuestionMoveInputSerializer,
        request_example={"direction": "up"},
        response=qs.QuestionOrderSerializer,
        example={"key": "q02", "number": 1, "order": ["q02", "q01", "q03"]},
        errors=[400, 401, 403, 404, 413, 429],
        parameters=[KEY_PARAMETER],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str, question_key: str) -> Response:
        lesson = authored(request, slug)
        body = qs.QuestionMoveInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        direction = body.validated_data.get("direction")
        question_move(
            user=request.user,
            lesson=lesson,
            question_key=question_key,
            by=-1 if direction == "up" else 1,
            to=body.validated_data.get("position"),
        )
        return Response(qs.QuestionOrderSerializer(_order(slug, request, question_key)).data)


class QuestionDuplicateView(ApiView):
    @documented(
        summary="Copy a question of a lesson I author: the copy, with a new key, follows it",
        response=qs.SavedQuestionSerializer,
        example={**SAVED, "number": 2, "key": "q13"},
        status=201,
        errors=[401, 403, 404, 429],
        parameters=[KEY_PARAMETER],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str, question_key: str) -> Response:
        copy = question_duplicate(
            user=request.user, lesson=authored(request, slug), question_key=question_key
        )
        return _saved(request, slug, SavedQuestion(copy, 0, False), 201)


class PreviewAnswerView(ApiView):
    @documented(
        summary="Try an answer to a question of a lesson I author, as the studio's preview: its feedback, "
        "nothing stored",
        description="The draft as a student would answer it: the answer in its kind's shape (as a student "
        "sends it) and, for a question with an evidence part, the sentence ids. No attempt, response or "
        "review item is written.",
        request=s.AnswerInputSerializer,
        request_example={"answer": "a"},
        response=qs.PreviewAnsweredSerializer,
        example={"question": "q01", "answered": ANSWERED},
        errors=[400, 401, 403, 404, 413, 429],
        parameters=[KEY_PARAMETER],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str, question_key: str) -> Response:
        lesson = authored(request, slug)
        body = s.AnswerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        page = pages.preview_page(lesson)
        document = page.revision.document
        _number, question = _draft_question(document["questions"], question_key)
        graded = preview_grade(
            user=request.user,
            lesson=lesson,
            document=document,
            question_key=question_key,
            answer=body.validated_data["answer"],
            evidence=body.validated_data.get("evidence"),
        )
        answered = pages.preview_answered(page, question, graded)
        data = {"question": question_key, "answered": answered_data(answered)}
        return Response(qs.PreviewAnsweredSerializer(data).data)


# ----------------------------------------------------------------------------------------------------
# Question files of other tools


def _report(report: Report) -> dict[str, Any]:
    return {
        "carried": report.carried,
        "skipped": report.skipped,
        "entries": [
            {"question": entry.question, "message": entry.message, "skipped": entry.skipped}
            for entry in report.entries
        ],
    }


class QuestionsImportView(ApiView):
    # The file as multipart/form-data (`file`, `format`), or as the raw body with `?format=`.
    parser_classes = [MultiPartParser]
    max_body_bytes = MAX_UPLOAD_BYTES + MULTIPART_ALLOWANCE

    @documented(
        summary="A new private draft of mine from a GIFT, Moodle XML or QTI file, with the report of what "
        "was left out or changed",
        description="Send the file as multipart/form-data (`file`, `format`), or as the body itself with "
        "`?format=` (any other content type). Questions the format cannot carry are left out and "
        "reported; a file that cannot be read, or holds no question that can be carried, is a 400 on "
        "`file` and writes nothing; a file over 2,000,000 bytes is a 413.",
        request={
            "multipart/form-data": qs.QuestionFileUploadSerializer,
            "application/octet-stream": OpenApiTypes.BINARY,
        },
        request_examples={
            "multipart/form-data": {
                "format": "gift",
                "file": "::Q1:: Who leads Venezuela? {=Maduro ~Guaidó}",
            },
            "application/octet-stream": "::Q1:: Who leads Venezuela? {=Maduro ~Guaidó}",
        },
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=list(READERS),
                required=False,
                description="The file's format, for a file sent as the body itself.",
            )
        ],
        response=qs.QuestionsImportedSerializer,
        example={
            "slug": "civics-bank",
            "title": "Civics bank",
            "status": "draft",
            "url": "/api/v1/author/lessons/civics-bank/",
            "report": REPORT,
        },
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str) -> Response:
        file_format = request.query_params.get("format", "")
        filename = ""
        if request.content_type.startswith("multipart/form-data"):
            upload = request.FILES.get("file")
            file_format = str(request.data.get("format") or file_format)
            if upload is not None and (upload.size or 0) > MAX_UPLOAD_BYTES:
                raise PayloadTooLarge(
                    _("The file is larger than %(limit)d bytes.") % {"limit": MAX_UPLOAD_BYTES}
                )
            data = upload.read(MAX_UPLOAD_BYTES + 1) if upload is not None else b""
            filename = upload.name or "" if upload is not None else ""
        else:
            data = request.body
        if len(data) > MAX_UPLOAD_BYTES:
            raise PayloadTooLarge(_("The file is larger than %(limit)d bytes.") % {"limit": MAX_UPLOAD_BYTES})
        # The service decides: teachers only (404 otherwise), the format, the file's every rule.
        imported = questions_import(data=data, file_format=file_format, by=request.user, filename=filename)
        slug = imported.lesson.slug
        url = reverse("api:author_lesson", kwargs={"version": request.version, "slug": slug})
        data_out = {
            "slug": slug,
            "title": imported.lesson.title,
            "status": imported.lesson.status,
            "url": url,
            "report": _report(imported.report),
        }
        return Response(qs.QuestionsImportedSerializer(data_out).data, status=201, headers={"Location": url})


class ExportsView(ApiView):
    @documented(
        summary="A lesson I author in each format of other tools: its download and what each simplifies",
        response=qs.LessonExportsSerializer,
        example={
            "slug": "venezuela-military-aid",
            "formats": [
                {
                    "format": "gift",
                    "name": "GIFT",
                    "media_type": "text/plain; charset=utf-8",
                    "filename": "venezuela-military-aid-gift.txt",
                    "url": "/api/v1/author/lessons/venezuela-military-aid/export/gift/",
                    "report": {**REPORT, "skipped": 0, "entries": [CHANGED_ENTRY]},
                }
            ],
        },
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_lesson_exports_list",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        formats = []
        for file_format in EXPORT_FORMATS:
            exported = lesson_export_as(lesson=lesson, file_format=file_format, by=request.user)
            formats.append(
                {
                    "format": file_format,
                    "name": FORMAT_NAMES[file_format],
                    "media_type": exported.media_type,
                    "filename": exported.filename,
                    "url": _export_url(request, lesson.slug, file_format),
                    "report": _report(exported.report),
                }
            )
        return Response(qs.LessonExportsSerializer({"slug": lesson.slug, "formats": formats}).data)


def _export_url(request: Request, slug: str, file_format: str) -> str:
    return reverse(
        "api:author_export", kwargs={"version": request.version, "slug": slug, "file_format": file_format}
    )


class _FileRenderer(renderers.BaseRenderer):
    """Lets a client ask for an export's own type (Accept); the bytes are the view's, never rendered."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class _TextRenderer(_FileRenderer):
    media_type = "text/plain"
    format = "gift"


class _XmlRenderer(_FileRenderer):
    media_type = "application/xml"
    format = "moodle"


class _ZipRenderer(_FileRenderer):
    media_type = "application/zip"
    format = "zip"


EXPORT_EXAMPLES = {
    "text/plain": "// question: q01\n$CATEGORY: Venezuela asks Russia, China and Iran for help\n::q01::Who…",
    "application/xml": '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>…</quiz>\n',
    "application/zip": "(a zip package: imsmanifest.xml, one item per question, the article, quizsite.json)",
}


class ExportView(ApiView):
    renderer_classes = [renderers.JSONRenderer, _TextRenderer, _XmlRenderer, _ZipRenderer]

    @documented(
        summary="A lesson I author as a GIFT, Moodle XML or QTI file (keys included), to download",
        description="The file with its media type (text/plain for GIFT, application/xml for Moodle XML, "
        "application/zip for QTI) and a Content-Disposition filename. `X-Export-Report` holds the count "
        'of the report as JSON (`{"carried": 22, "changed": 9, "skipped": 0}`); its lines, which can '
        "outgrow what proxies allow in a header, are in `GET …/export/`.",
        response=OpenApiTypes.BINARY,
        example=EXPORT_EXAMPLES,
        media_types=list(EXPORT_EXAMPLES),
        errors=[401, 404, 429],
        parameters=[FORMAT_PARAMETER],
        tags=["authoring"],
        operation_id="author_lesson_export_retrieve",
    )
    def get(self, request: Request, version: str, slug: str, file_format: str) -> HttpResponse:
        lesson = authored(request, slug)
        if file_format not in EXPORT_FORMATS:
            raise Http404
        exported = lesson_export_as(lesson=lesson, file_format=file_format, by=request.user)
        report = exported.report
        response = HttpResponse(exported.content, content_type=exported.media_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        response["X-Export-Report"] = json.dumps(
            {
                "carried": report.carried,
                "changed": len(report.entries) - report.skipped,
                "skipped": report.skipped,
            }
        )
        exports = reverse("api:author_exports", kwargs={"version": request.version, "slug": lesson.slug})
        response["Link"] = f'<{exports}>; rel="describedby"'
        return response
