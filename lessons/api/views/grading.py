"""A teacher's side of one assignment: its results, the grading queue of open answers and grading (guarded
by the version the grade was given against: 409 when another teacher graded meanwhile), releasing feedback,
regrading against the lesson's current revision, and the item analysis.

Each mirrors a page of `lessons.web.views.gradebook` and calls the same selectors and services; an
assignment or answer the user does not teach is a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.kinds import kind_names
from lessons.models import Focus
from lessons.models import Response as Answer
from lessons.rendering import markdown_to_html
from lessons.selectors import classroom as results
from lessons.selectors import teaching as teaching_selectors
from lessons.services import accommodations as accommodation_services
from lessons.services import classroom as services

from .. import serializers as s
from ..base import ApiView, documented
from ..lists import GradingFilter, Pages, filter_parameters, filtered, page_example, page_serializer
from .teacher import (
    STUDENT,
    TEACHER_ASSIGNMENT,
    student_data,
    taught_assignment,
    teacher_assignment_data,
    teacher_of,
)


def grading_items(queue: teaching_selectors.GradingQueue) -> list[dict[str, Any]]:
    items = []
    for answer in queue.responses:
        number, question = queue.question_of(answer)
        key = question["answer"]
        items.append(
            {
                "id": answer.pk,
                "attempt": answer.attempt_id,
                "student": student_data(answer.attempt.learner),
                "number": number,
                "question": answer.question_key,
                "prompt": question["prompt"],
                "model_answer_html": markdown_to_html(key.get("model_answer") or ""),
                "answer": answer.answer,
                "criteria": [
                    {
                        "id": criterion["id"],
                        "criterion": criterion["criterion"],
                        "points": criterion["points"],
                        "given": answer.criterion_scores.get(criterion["id"]),
                    }
                    for criterion in key["rubric"]
                ],
                "comment": answer.teacher_comment,
                "earned": answer.earned,
                "possible": answer.possible,
                "pending": queue.waiting_for_grade(answer),
                "graded_by": answer.graded_by.username if answer.graded_by is not None else None,
                "graded_at": answer.graded_at,
                "version": answer.version,
            }
        )
    return items


GRADING_ITEM = {
    "id": 31,
    "attempt": 7,
    "student": STUDENT,
    "number": 9,
    "question": "q09",
    "prompt": "How sure can we be that Venezuela asked for missiles? Explain.",
    "model_answer_html": "<p>Only as sure as the documents cited…</p>",
    "answer": "The newspaper saw documents but we cannot.",
    "criteria": [{"id": "c1", "criterion": "Names the source", "points": 2, "given": None}],
    "comment": "",
    "earned": None,
    "possible": "4.00",
    "pending": True,
    "graded_by": None,
    "graded_at": None,
    "version": 0,
}
GradingPage = page_serializer(s.GradingItemSerializer, "GradingItemPage")


class AssignmentResultsView(ApiView):
    @documented(
        summary="One assignment: its rules, each student's counted score and status, and its regrades",
        response=s.AssignmentResultsSerializer,
        example={
            "assignment": TEACHER_ASSIGNMENT,
            "students": [
                {
                    "student": STUDENT,
                    "status": "submitted",
                    "earned": "30.00",
                    "possible": "44.00",
                    "percent": 68,
                    "attempts": 1,
                    "attempt": 7,
                }
            ],
            "waiting_for_grades": 0,
            "published_revision": 1,
            "released_by_hand": False,
            "regrades": [],
        },
        errors=[401, 404, 429],
        tags=["grading"],
    )
    def get(self, request: Request, version: str, assignment_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        page = teaching_selectors.assignment_results(assignment)
        data = {
            "assignment": teacher_assignment_data(assignment),
            "students": [
                {
                    "student": student_data(row.student),
                    "status": row.cell.status,
                    "earned": row.cell.earned,
                    "possible": row.cell.possible,
                    "percent": row.cell.percent,
                    "attempts": row.cell.attempts,
                    "attempt": row.cell.attempt_id,
                }
                for row in page.rows
            ],
            "waiting_for_grades": page.pending_count,
            "published_revision": page.published_number,
            "released_by_hand": page.released_by_hand,
            "regrades": [
                {
                    "id": regrade.pk,
                    "revision": regrade.revision.number,
                    "by": regrade.by.username if regrade.by is not None else "",
                    "at": regrade.at,
                    "note": regrade.note,
                    "changed": len(regrade.changes.all()),
                }
                for regrade in page.regrades
            ],
        }
        return Response(s.AssignmentResultsSerializer(data).data)

    @documented(
        summary="Change an assignment's terms (dates, time limit, attempts, release and late policies, "
        "reading aids); attempts in progress get their deadline worked out again",
        request=s.AssignmentChangeSerializer,
        request_example={"due_at": "2026-01-14T08:00:00Z", "reading_aids": {"treaty_cards": "after_finish"}},
        response=s.TeacherAssignmentSerializer,
        example=TEACHER_ASSIGNMENT,
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["grading"],
    )
    def patch(self, request: Request, version: str, assignment_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        body = s.AssignmentChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        current = teacher_assignment_data(assignment)
        given = body.validated_data
        terms = {name: given.get(name, current[name]) for name in TERMS}
        aids = {**current["reading_aids"], **given.get("reading_aids", {})}
        changed = accommodation_services.assignment_change_terms(
            assignment=assignment, by=request.user, reading_aids=aids, **terms
        )
        return Response(s.TeacherAssignmentSerializer(teacher_assignment_data(changed)).data)


# The terms of an assignment that PATCH changes (besides its reading aids).
TERMS = (
    "opens_at",
    "due_at",
    "time_limit_minutes",
    "attempts_allowed",
    "feedback_release",
    "late_policy",
    "shuffle_questions",
    "shuffle_options",
)


class GradingQueueView(ApiView):
    @documented(
        summary="The open answers of submitted attempts, beside their model answer and rubric (those waiting "
        "for a grade first)",
        response=GradingPage,
        example=page_example(GRADING_ITEM),
        errors=[400, 401, 404, 429],
        parameters=filter_parameters(GradingFilter),
        tags=["grading"],
        operation_id="grading_queue_list",
    )
    def get(self, request: Request, version: str, assignment_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        found = filtered(GradingFilter, request, results.grading_queue(assignment))
        paginator = Pages()
        page = paginator.paginate_queryset(found, request, view=self) or []
        items = grading_items(teaching_selectors.grading_queue_page(assignment, page))
        return paginator.get_paginated_response(s.GradingItemSerializer(items, many=True).data)


class GradeView(ApiView):
    @documented(
        summary="Grade an open answer criterion by criterion, with a comment; 409 if another teacher graded "
        "it since the `version` you send",
        request=s.GradeInputSerializer,
        request_example={"criteria": {"c1": 2}, "comment": "Good: you named the source.", "version": 0},
        response=s.GradingItemSerializer,
        example={**GRADING_ITEM, "earned": "2.00", "pending": False, "version": 1},
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["grading"],
    )
    def put(self, request: Request, version: str, response_id: int) -> Response:
        found = teaching_selectors.response_to_grade(teacher_of(request), response_id)
        if found is None:
            raise Http404
        body = s.GradeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.response_grade(
                response=found.response,
                by=request.user,
                criterion_scores=body.validated_data["criteria"],
                comment=body.validated_data["comment"],
                expected_version=body.validated_data["version"],
            )
        except services.NotSubmittedYet:
            raise Http404 from None  # the queue lists no answer in progress
        graded: list[Answer] = list(results.grading_queue(found.assignment).filter(pk=response_id))
        items = grading_items(teaching_selectors.grading_queue_page(found.assignment, graded))
        return Response(s.GradingItemSerializer(items[0]).data)


class ReleaseView(ApiView):
    @documented(
        summary="Release feedback and keys to the students who submitted (an assignment released by hand)",
        response=s.ReleaseSerializer,
        example={"assignment": 4, "released_at": "2026-01-13T10:00:00Z"},
        errors=[401, 403, 404, 409, 429],
        tags=["grading"],
    )
    def post(self, request: Request, version: str, assignment_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        released = services.assignment_release_feedback(assignment=assignment, teacher=request.user)
        return Response(
            s.ReleaseSerializer({"assignment": released.pk, "released_at": released.released_at}).data
        )


class RegradeView(ApiView):
    @documented(
        summary="Rescore every submitted attempt against the lesson's current published revision (recorded "
        "with your note; teacher grades of open answers are kept)",
        request=s.RegradeInputSerializer,
        request_example={"note": "Key of q03 corrected."},
        response=s.RegradeSerializer,
        example={
            "id": 1,
            "revision": 2,
            "by": "ms.lopez",
            "at": "2026-01-13T10:00:00Z",
            "note": "…",
            "changed": 3,
        },
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["grading"],
    )
    def post(self, request: Request, version: str, assignment_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        body = s.RegradeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.assignment_regrade(
            assignment=assignment, by=request.user, note=body.validated_data["note"].strip()
        )
        data = {
            "id": done.pk,
            "revision": done.revision.number,
            "by": request.user.username,
            "at": done.at,
            "note": done.note,
            "changed": teaching_selectors.scores_changed_by(done),
        }
        return Response(s.RegradeSerializer(data).data)


class ItemAnalysisView(ApiView):
    @documented(
        summary="Item analysis: per question difficulty, discrimination, option counts and median time; "
        "mastery per focus; a histogram of scores",
        response=s.ItemAnalysisSerializer,
        example={
            "assignment": 4,
            "attempts": 24,
            "questions": [
                {
                    "number": 1,
                    "question": "q01",
                    "prompt": "Who is Delcy Rodríguez?",
                    "kind": kind_names()[0],
                    "focus": "actor",
                    "responses": 24,
                    "difficulty": 0.83,
                    "discrimination": 0.41,
                    "median_seconds": 21.5,
                    "options": [{"text": "Venezuela’s vice-president", "count": 20, "is_key": True}],
                }
            ],
            "focus_mastery": [{"focus": "actor", "label": "Actors", "share": 0.78}],
            "histogram": [{"label": "90–100%", "count": 6}],
        },
        errors=[401, 404, 429],
        tags=["grading"],
    )
    def get(self, request: Request, version: str, assignment_id: int) -> Response:
        assignment = taught_assignment(request, assignment_id)
        analysis = results.item_analysis(assignment)
        labels = dict(Focus.choices)
        data = {
            "assignment": assignment.pk,
            "attempts": analysis.attempts,
            "questions": [
                {
                    "number": row.number,
                    "question": row.stats.key,
                    "prompt": row.stats.prompt,
                    "kind": row.stats.kind,
                    "focus": row.stats.focus,
                    "responses": row.stats.responses,
                    "difficulty": row.stats.difficulty,
                    "discrimination": row.stats.discrimination,
                    "median_seconds": row.stats.median_seconds,
                    "options": [
                        {"text": option.text, "count": option.count, "is_key": option.is_key}
                        for option in row.options
                    ],
                }
                for row in results.item_analysis_rows(assignment, analysis)
            ],
            "focus_mastery": [
                {"focus": value, "label": str(labels.get(value, label)), "share": share}
                for value, label, share in analysis.focus_mastery
            ],
            "histogram": [{"label": label, "count": count} for label, count in analysis.histogram],
        }
        return Response(s.ItemAnalysisSerializer(data).data)
