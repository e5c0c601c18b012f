"""A teacher's pages not covered elsewhere: one student's report in a class (their attempts at each
assignment), their accommodations (standing extra time, and per assignment their extension and the terms
that hold for them), the review of one attempt (each question with the student's answer, its score, the
key), and adding the learners of the LMS course a class is linked to (LTI).

Each mirrors `lessons.web.views.gradebook.student_report`, `.attempt_review` and
`lessons.web.views.accommodations.student_page`, `lessons.web.views.lti.roster_sync` and calls the same
selectors (`lessons.selectors.classroom`, `.accommodations`, `.teaching`) and services
(`lessons.services.lti`). A class, student or attempt the teacher does not teach is a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.models import Attempt
from lessons.selectors import classroom as results
from lessons.selectors import teaching as teaching_selectors
from lessons.selectors.accommodations import student_accommodations
from lessons.services.lti import lti_roster_sync

from .. import serializers as s
from ..base import ApiView, documented
from .teacher import STUDENT, student_data, taught_class, teacher_of


class ReportAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    earned = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    pending = serializers.IntegerField(help_text="Open answers waiting for a grade.")


class ReportRowSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    lesson = serializers.SlugField()
    title = serializers.CharField()
    due_at = serializers.DateTimeField()
    attempts = ReportAttemptSerializer(many=True)


class StudentReportSerializer(serializers.Serializer):
    student = s.RosterStudentSerializer()
    assignments = ReportRowSerializer(many=True, help_text="Every assignment of the class, by due date.")


class AssignmentTermsSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    title = serializers.CharField()
    due_at = serializers.DateTimeField(help_text="The class's due date.")
    time_limit_minutes = serializers.IntegerField(allow_null=True, help_text="The class's time limit.")
    extension = s.ExtensionSerializer(allow_null=True, help_text="The student's extension, if any.")
    student_due_at = serializers.DateTimeField(help_text="The due date that holds for the student.")
    student_time_limit_minutes = serializers.IntegerField(
        allow_null=True, help_text="The time limit that holds for the student."
    )


class AccommodationsSerializer(serializers.Serializer):
    student = s.RosterStudentSerializer()
    time_multiplier = serializers.DecimalField(max_digits=3, decimal_places=2)
    assignments = AssignmentTermsSerializer(many=True)


class RubricLineSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    points = serializers.IntegerField()
    given = serializers.IntegerField(allow_null=True)


class ReviewedQuestionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    question = serializers.CharField(help_text="Its id in the revision.")
    prompt = serializers.CharField(help_text="Markdown.")
    answered = serializers.BooleanField()
    answer = serializers.ListField(child=serializers.CharField(), help_text="The student's answer, as lines.")
    earned = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    possible = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    right_answer = serializers.ListField(child=serializers.CharField(), help_text="The key, as lines.")
    explanation = serializers.CharField(allow_blank=True)
    rubric = RubricLineSerializer(many=True)
    comment = serializers.CharField(allow_blank=True, help_text="The teacher's comment on the answer.")


class AttemptReviewSerializer(serializers.Serializer):
    attempt = serializers.IntegerField()
    number = serializers.IntegerField()
    state = serializers.CharField()
    student = s.RosterStudentSerializer()
    assignment = serializers.IntegerField()
    classroom = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="The revision it was graded with.")
    questions = ReviewedQuestionSerializer(many=True)


def report_attempt(attempt: Attempt) -> dict[str, Any]:
    return {
        "id": attempt.pk,
        "number": attempt.number,
        "state": attempt.state,
        "submitted_at": attempt.submitted_at,
        "earned": attempt.earned,
        "possible": attempt.possible,
        "pending": getattr(attempt, "pending", 0) or 0,
    }


class StudentReportView(ApiView):
    @documented(
        summary="One student's attempts at every assignment of a class I teach",
        response=StudentReportSerializer,
        example={
            "student": STUDENT,
            "assignments": [
                {
                    "assignment": 4,
                    "lesson": "venezuela-military-aid",
                    "title": "Venezuela asks Russia, China and Iran for military help",
                    "due_at": "2026-01-12T08:00:00Z",
                    "attempts": [
                        {
                            "id": 7,
                            "number": 1,
                            "state": "submitted",
                            "submitted_at": "2026-01-10T08:00:00Z",
                            "earned": "31.00",
                            "possible": "40.00",
                            "pending": 0,
                        }
                    ],
                }
            ],
        },
        errors=[401, 404, 429],
        tags=["teaching"],
    )
    def get(self, request: Request, version: str, classroom_id: int, student_id: int) -> Response:
        report = results.student_report(taught_class(request, classroom_id), student_id)
        if report is None:
            raise Http404
        student, rows = report
        data = {
            "student": student_data(student),
            "assignments": [
                {
                    "assignment": assignment.pk,
                    "lesson": assignment.lesson.slug,
                    "title": assignment.lesson.title,
                    "due_at": assignment.due_at,
                    "attempts": [report_attempt(attempt) for attempt in attempts],
                }
                for assignment, attempts in rows
            ],
        }
        return Response(StudentReportSerializer(data).data)


class AccommodationsView(ApiView):
    @documented(
        summary="One student's accommodations in a class I teach: extra time, and per assignment their "
        "extension and the due date and time limit that hold for them",
        response=AccommodationsSerializer,
        example={
            "student": STUDENT,
            "time_multiplier": "1.50",
            "assignments": [
                {
                    "assignment": 4,
                    "title": "Venezuela asks Russia, China and Iran for military help",
                    "due_at": "2026-01-12T08:00:00Z",
                    "time_limit_minutes": 30,
                    "extension": None,
                    "student_due_at": "2026-01-12T08:00:00Z",
                    "student_time_limit_minutes": 45,
                }
            ],
        },
        errors=[401, 404, 429],
        tags=["teaching"],
        operation_id="teach_accommodations_retrieve",
    )
    def get(self, request: Request, version: str, classroom_id: int, student_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        found = student_accommodations(classroom.pk, student_id)
        if found is None:
            raise Http404
        data = {
            "student": student_data(found.enrollment.student),
            "time_multiplier": found.enrollment.time_multiplier,
            "assignments": [
                {
                    "assignment": row.assignment.pk,
                    "title": row.assignment.lesson.title,
                    "due_at": row.assignment.due_at,
                    "time_limit_minutes": row.assignment.time_limit_minutes,
                    "extension": {
                        "assignment": row.assignment.pk,
                        "student": student_id,
                        "due_at": row.extension.due_at,
                        "extra_minutes": row.extension.extra_minutes,
                    }
                    if row.extension
                    else None,
                    "student_due_at": row.terms.due_at,
                    "student_time_limit_minutes": row.terms.time_limit_minutes,
                }
                for row in found.assignments
            ],
        }
        return Response(AccommodationsSerializer(data).data)


class AttemptReviewView(ApiView):
    @documented(
        summary="An attempt at an assignment of a class I teach: each question with the student's answer, "
        "its score, the key and the explanation",
        response=AttemptReviewSerializer,
        example={
            "attempt": 7,
            "number": 1,
            "state": "submitted",
            "student": STUDENT,
            "assignment": 4,
            "classroom": 2,
            "revision": 2,
            "questions": [
                {
                    "number": 1,
                    "question": "q01",
                    "prompt": "Who leads Venezuela?",
                    "answered": True,
                    "answer": ["Nicolás Maduro"],
                    "earned": "1.00",
                    "possible": "1.00",
                    "right_answer": ["Nicolás Maduro"],
                    "explanation": "…",
                    "rubric": [],
                    "comment": "",
                }
            ],
        },
        errors=[401, 404, 429],
        tags=["grading"],
        operation_id="teach_attempt_review_retrieve",
    )
    def get(self, request: Request, version: str, attempt_id: int) -> Response:
        review = teaching_selectors.attempt_review(teacher_of(request), attempt_id)
        if review is None:
            raise Http404
        attempt = review.attempt
        data = {
            "attempt": attempt.pk,
            "number": attempt.number,
            "state": attempt.state,
            "student": student_data(attempt.learner),
            "assignment": review.assignment.pk,
            "classroom": review.classroom.pk,
            "revision": review.revision.number,
            "questions": [
                {
                    "number": item.number,
                    "question": item.question["id"],
                    "prompt": item.question["prompt"],
                    "answered": item.response is not None,
                    "answer": [str(line) for line in item.answered.your_answer] if item.answered else [],
                    "earned": item.response.earned if item.response else None,
                    "possible": item.response.possible if item.response else None,
                    "right_answer": [str(line) for line in item.right_answer],
                    "explanation": item.question["answer"].get("explanation") or "",
                    "rubric": [
                        {"criterion": criterion, "points": points, "given": given}
                        for criterion, points, given in item.rubric
                    ],
                    "comment": item.response.teacher_comment if item.response else "",
                }
                for item in review.questions
            ],
        }
        return Response(AttemptReviewSerializer(data).data)


class RosterSyncSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="Students of the course now in the class.")
    already = serializers.IntegerField(help_text="Students of the course who were in it already.")


class LtiRosterSyncView(ApiView):
    @documented(
        summary="Add the learners of the LMS course a class I teach is linked to (409 while it is linked to "
        "none; 502 when the course's platform does not answer)",
        response=RosterSyncSerializer,
        example={"added": 3, "already": 21},
        errors=[401, 403, 404, 409, 429],
        tags=["teaching"],
    )
    def post(self, request: Request, version: str, classroom_id: int) -> Response:
        classroom = taught_class(request, classroom_id)
        result = lti_roster_sync(classroom=classroom, teacher=request.user)
        return Response(RosterSyncSerializer({"added": result.added, "already": result.already}).data)
