"""A learner's pages not covered elsewhere: the classes a student is in, a past self-study attempt's summary,
everything they answered about one actor or treaty, and the glossary of a claim's standings.

Each mirrors `lessons.web.views.student_assignments.my_classes`, `.player.summary`,
`.progress.actor`/`.treaty` and `.catalog.standings` and calls the same selectors
(`lessons.selectors.player`, `.progress`, `.lessons`). Someone else's attempt, or an assignment's (its
class's release policy rules there), is a 404; a question is shown as a student sees it, never with its key.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import selectors
from lessons.selectors import player as player_selectors
from lessons.selectors.assignments import student_classes
from lessons.selectors.progress import EntityKind, answers_about

from .. import serializers as s
from ..base import ApiView, PublicApiView, documented
from ..lists import PAGE_PARAMETER, Pages, page_example, page_serializer
from ..presenters import summary_data


class AnsweredQuestionSerializer(serializers.Serializer):
    lesson = serializers.SlugField()
    lesson_title = serializers.CharField()
    question = serializers.CharField(help_text="The question's id in its lesson.")
    prompt = serializers.CharField(help_text="Markdown.")
    focus = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["right", "partly", "wrong", "waiting"])
    earned = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2)
    answered_at = serializers.DateTimeField()
    attempt_open = serializers.BooleanField(help_text="Its attempt is still in progress.")


class EntityAnswersSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["actor", "treaty"])
    slug = serializers.SlugField()
    name = serializers.CharField()
    answers = AnsweredQuestionSerializer(many=True)


class StandingSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="As lesson files and claims store it.")
    label = serializers.CharField()
    definition = serializers.CharField()


class StandingsSerializer(serializers.Serializer):
    standings = StandingSerializer(many=True, help_text="In the order of certainty.")


SUMMARY = {
    "attempt": 12,
    "earned": "7.00",
    "possible": "10.00",
    "by_focus": [{"focus": "actor", "earned": "3.00", "possible": "4.00", "questions": 4, "answered": 4}],
}


class SelfStudyAttemptView(ApiView):
    @documented(
        summary="One of my self-study attempts: its total and its score by focus",
        response=s.SelfStudySummarySerializer,
        example=SUMMARY,
        errors=[401, 404, 429],
        tags=["self-study"],
        operation_id="self_study_attempt_retrieve",
    )
    def get(self, request: Request, version: str, attempt_id: int) -> Response:
        attempt = player_selectors.attempt_for_learner(request.user, attempt_id=attempt_id)
        if attempt is None:
            raise Http404
        summary = player_selectors.attempt_summary(attempt)
        data = summary_data(attempt, summary)
        return Response(s.SelfStudySummarySerializer(data).data)


def entity_answers(request: Request, kind: EntityKind, slug: str) -> Response:
    page = answers_about(request.user, kind, slug)
    if page is None:
        raise Http404
    data: dict[str, Any] = {
        "kind": page.kind.value,
        "slug": page.slug,
        "name": page.name,
        "answers": [
            {
                "lesson": answer.lesson_slug,
                "lesson_title": answer.lesson_title,
                "question": answer.question_key,
                "prompt": answer.prompt,
                "focus": answer.focus,
                "outcome": answer.outcome.value,
                "earned": answer.earned,
                "possible": answer.possible,
                "answered_at": answer.answered_at,
                "attempt_open": answer.attempt_open,
            }
            for answer in page.answers
        ],
    }
    return Response(EntityAnswersSerializer(data).data)


ENTITY = {
    "kind": "actor",
    "slug": "maduro",
    "name": "Nicolás Maduro",
    "answers": [
        {
            "lesson": "venezuela-military-aid",
            "lesson_title": "Venezuela asks Russia, China and Iran for military help",
            "question": "q01",
            "prompt": "Who leads Venezuela?",
            "focus": "actor",
            "outcome": "right",
            "earned": "1.00",
            "possible": "1.00",
            "answered_at": "2026-01-05T08:00:00Z",
            "attempt_open": False,
        }
    ],
}


class ActorProgressView(ApiView):
    @documented(
        summary="Everything I answered about one actor",
        response=EntityAnswersSerializer,
        example=ENTITY,
        errors=[401, 404, 429],
        tags=["progress"],
        operation_id="progress_actor_retrieve",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        return entity_answers(request, EntityKind.ACTOR, slug)


class TreatyProgressView(ApiView):
    @documented(
        summary="Everything I answered about one treaty",
        response=EntityAnswersSerializer,
        example={**ENTITY, "kind": "treaty", "slug": "npt", "name": "Non-Proliferation Treaty"},
        errors=[401, 404, 429],
        tags=["progress"],
        operation_id="progress_treaty_retrieve",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        return entity_answers(request, EntityKind.TREATY, slug)


class StandingsView(PublicApiView):
    @documented(
        summary="What each standing of a claim means (the glossary attribution questions link to)",
        response=StandingsSerializer,
        example={
            "standings": [
                {"value": "confirmed", "label": "confirmed", "definition": "Independently established…"}
            ]
        },
        errors=[401, 429],
        tags=["catalogue"],
    )
    def get(self, request: Request, version: str) -> Response:
        data = {"standings": [vars(entry) for entry in selectors.standings_glossary()]}
        return Response(StandingsSerializer(data).data)


ClassroomPage = page_serializer(s.ClassroomSerializer, "ClassroomPage")


class MyClassesView(ApiView):
    @documented(
        summary="The classes I am a student of (their assignments are in assignments/), by name",
        response=ClassroomPage,
        example=page_example({"id": 2, "name": "Civics 9B"}),
        errors=[401, 404, 429],
        parameters=[PAGE_PARAMETER],
        tags=["classes"],
        operation_id="my_classes_list",
    )
    def get(self, request: Request, version: str) -> Response:
        paginator = Pages()
        classrooms = student_classes(request.user).classrooms
        page = paginator.paginate_queryset(classrooms, request, view=self) or []
        data = [{"id": classroom.pk, "name": classroom.name} for classroom in page]
        return paginator.get_paginated_response(s.ClassroomSerializer(data, many=True).data)
