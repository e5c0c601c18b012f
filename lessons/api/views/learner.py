"""The catalogue, a lesson as a student sees it, self-study with its feedback, the review queue, progress.

Each view mirrors a page of `lessons.web.views` (catalog, player, review, progress) and calls the same
selectors and services; feedback comes from the player's selectors, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import selectors, services
from lessons.kinds import kind_names
from lessons.models import Revision
from lessons.selectors import player as player_selectors
from lessons.selectors.catalog import catalog_entries, catalog_queryset
from lessons.selectors.progress import progress_overview
from lessons.selectors.reading_aids import lesson_page_aids
from lessons.selectors.self_study import due_review_count, first_due_review_item, open_self_study_attempt
from lessons.services.attempts import revision_questions
from lessons.services.classroom import self_study_held_by

from .. import serializers as s
from ..base import ApiView, PublicApiView, documented, not_modified
from ..lists import CatalogFilter, Pages, filter_parameters, filtered
from ..presenters import answered_data, lesson_data, question_data, slot_data, summary_data


def _user(request: Request) -> User:
    return request.user


def _published_revision(request: Request, slug: str) -> Revision:
    revision = selectors.published_revision_for(request.user, slug=slug)
    if revision is None:
        raise Http404
    return revision


def _refuse_if_held(user: User, revision: Revision) -> None:
    """409 while the lesson is assigned to this student and self-study would show its keys too early."""
    assignment = self_study_held_by(user, lesson_id=revision.lesson_id)
    if assignment is not None:
        raise services.HeldForAssignment(
            _("This lesson is assigned to you in %(classroom)s: work on it there.")
            % {"classroom": assignment.classroom.name}
        )


LESSON_CARD = {
    "slug": "venezuela-military-aid",
    "title": "Venezuela asks Russia, China and Iran for military help",
    "level": "intermediate",
    "estimated_minutes": 25,
    "focuses": ["Actors", "Treaties", "Sourcing"],
    "status": "new",
    "best_percent": None,
}
QUESTION = {
    "id": "q01",
    "kind": kind_names()[0],
    "focus": "actor",
    "prompt": "Who is Delcy Rodríguez?",
    "points": 1,
    "actors": ["delcy-rodriguez"],
    "treaties": [],
    "claims": [],
    "options": [{"id": "a", "text": "Venezuela’s vice-president"}, {"id": "b", "text": "A minister"}],
    "items": [],
    "evidence_part": 0,
    "answering": {},
}
ANSWERED = {
    "result": {"verdict": "right", "earned": "1", "possible": "1"},
    "your_answer": ["Venezuela’s vice-president"],
    "feedback": {
        "correct": True,
        "right_answer": ["Venezuela’s vice-president"],
        "explanation_html": "<p>The article names her role.</p>",
        "chosen_feedback": [],
        "evidence": ["s3"],
        "model_answer_html": "",
        "rubric": [],
    },
}
LESSON = {
    "lesson": {
        "slug": "venezuela-military-aid",
        "title": "Venezuela asks Russia, China and Iran for military help",
        "language": "en",
        "introduction_html": "<p>…</p>",
        "sourcing_note_html": "",
        "objectives": ["Tell reported from confirmed"],
        "level": "intermediate",
        "estimated_minutes": 25,
        "reading_aids": {
            "sourcing_note": "after_dependent",
            "provenance": "after_dependent",
            "actor_cards": "after_dependent",
            "treaty_cards": "after_dependent",
        },
    },
    "article": {
        "headline": "…",
        "source": "washington-post",
        "published_on": "2025-10-31",
        "url": "https://example.org/article",
        "paragraphs": [[{"id": "s1", "text": "…"}]],
    },
    "actors": [],
    "treaties": [],
    "sources": [],
    "questions": [QUESTION],
}


class CatalogView(PublicApiView):
    @documented(
        summary="Search the catalogue of published lessons",
        operation_id="catalogue_list",
        response=s.CatalogPageSerializer,
        example={"count": 1, "next": None, "previous": None, "results": [LESSON_CARD]},
        errors=[400, 404, 429],
        parameters=[s.CatalogQuerySerializer, *filter_parameters(CatalogFilter, paged=False)],
        tags=["catalogue"],
    )
    def get(self, request: Request, version: str) -> Response:
        query = s.CatalogQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        criteria = {name: query.validated_data.get(name) or "" for name in ("q", "focus", "level")}
        lessons = catalog_queryset(
            request.user, query=criteria["q"], focus=criteria["focus"], level=criteria["level"]
        )
        entries = catalog_entries(request.user, filtered(CatalogFilter, request, lessons))
        paginator = Pages()
        page = paginator.paginate_queryset(entries, request, view=self)
        cards = [
            {
                "slug": entry.lesson.slug,
                "title": entry.lesson.title,
                "level": entry.lesson.level,
                "estimated_minutes": entry.lesson.estimated_minutes,
                "focuses": entry.focuses,
                "status": entry.status.value if entry.status is not None else None,
                "best_percent": entry.best_percent,
            }
            for entry in page or []
        ]
        return paginator.get_paginated_response(s.LessonCardSerializer(cards, many=True).data)


class LessonView(PublicApiView):
    @documented(
        summary="A lesson as a student sees it before answering (no keys)",
        response=s.StudentLessonSerializer,
        example=LESSON,
        errors=[404, 429],
        conditional=True,
        tags=["catalogue"],
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        revision = _published_revision(request, slug)
        # A published revision never changes: it and the language name this answer.
        etag = f'"lesson-r{revision.pk}-{get_language()}"'
        if (unchanged := not_modified(request, etag)) is not None:
            return unchanged
        # Before any attempt: only the reading aids that wait for nothing, as on the lesson's page.
        data = lesson_data(selectors.student_view_of(revision), lesson_page_aids(revision.document))
        return Response(s.StudentLessonSerializer(data).data, headers={"ETag": etag})


class SelfStudyView(ApiView):
    @documented(
        summary="The learner's self-study of a lesson: its questions, with feedback on those answered",
        response=s.SelfStudySerializer,
        example={
            "attempt": 12,
            "answered": 1,
            "total": 1,
            "slots": [{"number": 1, "question": QUESTION, "answered": ANSWERED}],
        },
        errors=[401, 404, 409, 429],
        tags=["self-study"],
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        revision = _published_revision(request, slug)
        user = _user(request)
        _refuse_if_held(user, revision)
        attempt = open_self_study_attempt(user, revision)
        if attempt is None:
            view = selectors.student_view_of(revision)
            slots = [
                {"number": n, "question": question_data(q), "answered": None}
                for n, q in enumerate(view.questions, 1)
            ]
            data: dict[str, Any] = {"attempt": None, "answered": 0, "total": len(slots), "slots": slots}
        else:
            page = player_selectors.player_page(revision, attempt)
            data = {
                "attempt": attempt.pk,
                "answered": page.progress.answered,
                "total": page.progress.total,
                "slots": [slot_data(slot) for slot in page.slots],
            }
        return Response(s.SelfStudySerializer(data).data)


class SelfStudyAnswerView(ApiView):
    @documented(
        summary="Answer a question in self-study and get its feedback at once",
        request=s.AnswerInputSerializer,
        request_example={"answer": "a"},
        response=s.SelfStudyAnswerSerializer,
        example={"attempt": 12, "question": "q01", "answered": ANSWERED},
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["self-study"],
    )
    def post(self, request: Request, version: str, slug: str, question_key: str) -> Response:
        body = s.AnswerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        revision = _published_revision(request, slug)
        user = _user(request)
        _refuse_if_held(user, revision)
        attempt = services.self_study_attempt_open(learner=user, revision=revision)
        saved = services.response_save(
            learner=user,
            attempt=attempt,
            question_key=question_key,
            answer=body.validated_data["answer"],
            evidence=body.validated_data.get("evidence"),
        )
        sentences = player_selectors.article_sentences(revision)
        slot = player_selectors.question_slot(
            revision, question_key, saved.response, sentences, attempt=attempt
        )
        assert slot is not None and slot.answered is not None  # the service refuses an unknown question
        data = {"attempt": attempt.pk, "question": question_key, "answered": answered_data(slot.answered)}
        return Response(s.SelfStudyAnswerSerializer(data).data)


class SelfStudyFinishView(ApiView):
    @documented(
        summary="Hand in the self-study attempt in progress and get its summary",
        response=s.SelfStudySummarySerializer,
        example={
            "attempt": 12,
            "earned": "1.00",
            "possible": "40.00",
            "by_focus": [
                {"focus": "actor", "earned": "1.00", "possible": "10.00", "questions": 10, "answered": 1}
            ],
        },
        errors=[401, 403, 404, 409, 429],
        tags=["self-study"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        revision = _published_revision(request, slug)
        user = _user(request)
        _refuse_if_held(user, revision)
        attempt = player_selectors.open_attempt_of(user, lesson_id=revision.lesson_id)
        if attempt is None:
            raise Http404
        services.attempt_submit(learner=user, attempt=attempt)
        found = player_selectors.attempt_for_learner(user, attempt_id=attempt.pk)
        assert found is not None
        summary = player_selectors.attempt_summary(found)
        data = summary_data(found, summary)
        return Response(s.SelfStudySummarySerializer(data).data)


class ReviewQueueView(ApiView):
    @documented(
        summary="The review queue: how many questions are due, and the next one",
        response=s.ReviewQueueSerializer,
        example={
            "due_count": 1,
            "next": {
                "id": 3,
                "lesson": "venezuela-military-aid",
                "due": "2026-01-05T09:00:00Z",
                "question": QUESTION,
            },
        },
        errors=[401, 429],
        tags=["review"],
    )
    def get(self, request: Request, version: str) -> Response:
        now = timezone.now()
        user = _user(request)
        item = first_due_review_item(user, now=now)
        following = None
        if item is not None:
            slot = player_selectors.review_slot(item)
            following = {
                "id": item.pk,
                "lesson": item.lesson.slug,
                "due": item.due,
                "question": question_data(slot.question),
            }
        data = {"due_count": due_review_count(user, now=now), "next": following}
        return Response(s.ReviewQueueSerializer(data).data)


class ReviewAnswerView(ApiView):
    @documented(
        summary="Answer a review item: its feedback, and when it comes back",
        request=s.AnswerInputSerializer,
        request_example={"answer": "a"},
        response=s.ReviewAnswerSerializer,
        example={"item": 3, "next_due": "2026-01-09T09:00:00Z", "answered": ANSWERED},
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["review"],
    )
    def post(self, request: Request, version: str, item_id: int) -> Response:
        body = s.AnswerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = player_selectors.review_item_for(request.user, item_id=item_id)
        if item is None:
            raise Http404
        outcome = services.review_answer(
            learner=_user(request),
            item=item,
            answer=body.validated_data["answer"],
            evidence=body.validated_data.get("evidence"),
        )
        question = revision_questions(item.revision)[item.question_key]
        answered = player_selectors.answered(
            question,
            answer=outcome.answer,
            evidence=outcome.evidence,
            earned=outcome.grade.earned,
            possible=outcome.grade.possible,
            correct=outcome.grade.correct,
            needs_teacher=outcome.grade.needs_teacher,
            parts=outcome.grade.parts,
            sentences=player_selectors.article_sentences(item.revision),
        )
        data = {"item": item.pk, "next_due": outcome.item.due, "answered": answered_data(answered)}
        return Response(s.ReviewAnswerSerializer(data).data)


class ProgressView(ApiView):
    @documented(
        summary="The learner's progress by lesson, focus, actor and treaty",
        response=s.ProgressSerializer,
        example={
            "lessons": [],
            "focuses": [
                {"focus": "actor", "answered": 0, "earned": "0.00", "possible": "0.00", "percent": None}
            ],
            "actors": [],
            "treaties": [],
        },
        errors=[401, 429],
        tags=["progress"],
    )
    def get(self, request: Request, version: str) -> Response:
        overview = progress_overview(_user(request))

        def score(value: Any) -> dict[str, Any] | None:
            if value is None:
                return None
            return {"earned": value.earned, "possible": value.possible, "percent": value.percent}

        data = {
            "lessons": [
                {
                    "slug": row.slug,
                    "title": row.title,
                    "attempts": row.attempts,
                    "last_score": score(row.last_score),
                    "best_score": score(row.best_score),
                    "answered": row.answered,
                    "total_questions": row.total_questions,
                    "in_progress": row.in_progress,
                }
                for row in overview.lessons
            ],
            "focuses": [
                {
                    "focus": row.focus,
                    "answered": row.answered,
                    "earned": row.earned,
                    "possible": row.possible,
                    "percent": row.percent,
                }
                for row in overview.focuses
            ],
            "actors": [vars(row) for row in overview.actors],
            "treaties": [vars(row) for row in overview.treaties],
        }
        return Response(s.ProgressSerializer(data).data)
