"""A student's side of classes: join by code, my assignments, start or resume an attempt, save an answer
with a sequence number, submit, and the results as the assignment's release policy allows.

Each view mirrors a page of `lessons.web.views.student_assignments` and calls the same services and
selectors. An assignment or attempt the student cannot reach is a 404, never a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import services
from lessons.models import Assignment, Attempt
from lessons.policy import feedback_released, presentation_seed
from lessons.selectors import assignments as assignment_selectors
from lessons.selectors import player as player_selectors
from lessons.selectors import student_view_of
from lessons.selectors.assignments import (
    availability_of,
    countdown_of,
    ordered_slots,
    revision_of,
    status_of,
)
from lessons.selectors.classroom import assignment_for_student
from lessons.selectors.reading_aids import aid_choices, reading_aids
from lessons.services.classroom import (
    assignment_attempt_start,
    attempt_resume,
    attempts_made_current,
    classroom_join,
)
from lessons.services.errors import InvalidInput, ServiceError
from lessons.services.throttle import (
    JOIN_PER_ACCOUNT,
    JOIN_PER_ADDRESS,
    client_address,
    throttle_check_all,
    throttle_hit_all,
)

from .. import serializers as s
from ..base import ApiView, documented
from ..lists import PAGE_PARAMETER, Pages, page_example, page_serializer
from ..presenters import attempt_data, lesson_data, saved_data, slot_data
from .learner import ANSWERED, LESSON, QUESTION


class AttemptInProgress(ServiceError):
    """The attempt is still being taken: it has no results yet (409)."""

    status = 409


def _user(request: Request) -> User:
    return request.user


def _reachable_assignment(user: User, assignment_id: int) -> Assignment:
    assignment = assignment_for_student(user, assignment_id)
    if assignment is None:
        raise Http404
    return assignment


def _own_attempt(user: User, attempt_id: int) -> Attempt:
    attempt = assignment_selectors.student_attempt(user, attempt_id)
    if attempt is None:
        raise Http404
    return attempt


def assignment_data(assignment: Assignment, attempts: list[Attempt], now: dt.datetime) -> dict[str, Any]:
    status = status_of(assignment, attempts, now)
    availability = availability_of(assignment, attempts, now)
    return {
        "id": assignment.pk,
        "classroom": {"id": assignment.classroom.pk, "name": assignment.classroom.name},
        "lesson": assignment.lesson.slug,
        "title": assignment.lesson.title,
        "opens_at": assignment.opens_at,
        "due_at": assignment.due_at,
        "time_limit_minutes": assignment.time_limit_minutes,
        "attempts_allowed": assignment.attempts_allowed,
        "feedback_release": assignment.feedback_release,
        "late_policy": assignment.late_policy,
        "status": status.key,
        "can": availability.action,
        "reason": availability.reason,
        "attempts": [attempt_data(attempt, now=now) for attempt in attempts],
    }


ATTEMPT = {
    "id": 7,
    "number": 1,
    "state": "open",
    "started_at": "2026-01-05T09:00:00Z",
    "submitted_at": None,
    "deadline": "2026-01-05T09:30:00Z",
    "is_late": False,
    "auto_submitted": False,
    "results_released": False,
}
ASSIGNMENT = {
    "id": 4,
    "classroom": {"id": 2, "name": "Civics 9B"},
    "lesson": "venezuela-military-aid",
    "title": "Venezuela asks Russia, China and Iran for military help",
    "opens_at": "2026-01-05T08:00:00Z",
    "due_at": "2026-01-12T08:00:00Z",
    "time_limit_minutes": 30,
    "attempts_allowed": 1,
    "feedback_release": "after_submit",
    "late_policy": "refuse",
    "status": "in_progress",
    "can": "resume",
    "reason": "",
    "attempts": [ATTEMPT],
}


class JoinView(ApiView):
    @documented(
        summary="Join a class with its code",
        request=s.JoinInputSerializer,
        request_example={"code": "K7QH-P2MX"},
        response=s.ClassroomSerializer,
        example={"id": 2, "name": "Civics 9B"},
        errors=[400, 401, 403, 413, 429],
        tags=["classes"],
    )
    def post(self, request: Request, version: str) -> Response:
        body = s.JoinInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = _user(request)
        # Wrong codes count against the account and the address, as on the page: codes are not to be guessed.
        limits = ((JOIN_PER_ACCOUNT, str(user.pk)), (JOIN_PER_ADDRESS, client_address(request)))
        throttle_check_all(*limits)
        try:
            enrollment = classroom_join(student=user, code=body.validated_data["code"])
        except InvalidInput:
            throttle_hit_all(*limits)
            raise
        classroom = enrollment.classroom
        return Response(s.ClassroomSerializer({"id": classroom.pk, "name": classroom.name}).data)


class MyAssignmentsView(ApiView):
    @documented(
        summary="My assignments, in every class I am in, with where each stands",
        operation_id="my_assignments_list",
        response=page_serializer(s.AssignmentSerializer, "AssignmentPage"),
        example=page_example(ASSIGNMENT),
        errors=[401, 404, 429],
        parameters=[PAGE_PARAMETER],
        tags=["assignments"],
    )
    def get(self, request: Request, version: str) -> Response:
        now = timezone.now()
        found = assignment_selectors.student_classes(_user(request))
        current = found.made_current(lambda attempts: attempts_made_current(attempts, now=now))
        paginator = Pages()
        page = paginator.paginate_queryset(current.assignments, request, view=self) or []
        data = [assignment_data(a, current.attempts[a.pk], now) for a in page]
        return paginator.get_paginated_response(s.AssignmentSerializer(data, many=True).data)


class AssignmentView(ApiView):
    @documented(
        summary="One of my assignments: its rules, my attempts, and whether I can start or resume",
        response=s.AssignmentSerializer,
        example=ASSIGNMENT,
        errors=[401, 404, 429],
        tags=["assignments"],
    )
    def get(self, request: Request, version: str, assignment_id: int) -> Response:
        user = _user(request)
        assignment = _reachable_assignment(user, assignment_id)
        now = timezone.now()
        attempts = attempts_made_current(assignment_selectors.attempts_at(assignment, user), now=now)
        return Response(s.AssignmentSerializer(assignment_data(assignment, attempts, now)).data)


class AttemptStartView(ApiView):
    @documented(
        summary="Start an attempt, or resume the one in progress",
        response=s.AttemptSerializer,
        example=ATTEMPT,
        errors=[401, 403, 404, 409, 429],
        tags=["attempts"],
    )
    def post(self, request: Request, version: str, assignment_id: int) -> Response:
        user = _user(request)
        assignment = _reachable_assignment(user, assignment_id)
        now = timezone.now()
        attempt = assignment_attempt_start(assignment=assignment, student=user, now=now)
        attempt.assignment = assignment
        return Response(s.AttemptSerializer(attempt_data(attempt, now=now)).data)


class AttemptView(ApiView):
    @documented(
        summary="An attempt as I take it: the lesson, its questions in my order, my saved answers",
        response=s.AttemptDetailSerializer,
        example={
            "attempt": ATTEMPT,
            "assignment": 4,
            "seconds_left": 1500,
            "lesson": LESSON,
            "slots": [{"number": 1, "question": QUESTION, "answered": None}],
            "saved": [
                {
                    "question": "q01",
                    "answer": "a",
                    "evidence": None,
                    "sequence": 3,
                    "saved_at": "2026-01-05T09:04:00Z",
                }
            ],
        },
        errors=[401, 404, 429],
        tags=["attempts"],
    )
    def get(self, request: Request, version: str, attempt_id: int) -> Response:
        user = _user(request)
        attempt = _own_attempt(user, attempt_id)
        assignment = attempt.assignment
        assert assignment is not None
        now = timezone.now()
        attempt = attempt_resume(attempt, now=now).attempt  # time up: submitted now, by the server's clock
        attempt.assignment = assignment
        revision = revision_of(assignment, attempt)
        view = student_view_of(revision, presentation_seed(attempt))
        sentences = player_selectors.article_sentences(revision)
        responses = player_selectors.responses_of(attempt)
        released = feedback_released(attempt, now=now)
        slots = ordered_slots(assignment, attempt, revision, view, sentences, responses if released else {})
        countdown = countdown_of(attempt, now) if attempt.is_open else None
        aids = reading_aids(
            revision.document,
            aid_choices(revision.document, assignment),
            answered={slot.key for slot in slots if slot.answered is not None},
            finished=not attempt.is_open,
        )
        data = {
            "attempt": attempt_data(attempt, now=now),
            "assignment": assignment.pk,
            "seconds_left": countdown.seconds if countdown is not None else None,
            "lesson": lesson_data(view, aids),
            "slots": [slot_data(slot) for slot in slots],
            "saved": [saved_data(response) for response in responses.values()],
        }
        return Response(s.AttemptDetailSerializer(data).data)


class AnswerSaveView(ApiView):
    @documented(
        summary="Save one answer of my attempt in progress (idempotent, ordered by `sequence`)",
        request=s.SaveInputSerializer,
        request_example={"answer": "a", "sequence": 3},
        response=s.SaveResultSerializer,
        example={"question": "q01", "saved_at": "2026-01-05T09:04:00Z", "sequence": 3, "stale": False},
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["attempts"],
    )
    def put(self, request: Request, version: str, attempt_id: int, question_key: str) -> Response:
        body = s.SaveInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = _user(request)
        # The service checks in its locking query that the attempt is this student's, at an assignment of a
        # class they are still in (404 otherwise): no lookup of ours is needed.
        saved = services.response_save(
            learner=user,
            attempt=Attempt(pk=attempt_id, learner_id=user.pk),
            question_key=question_key,
            answer=body.validated_data["answer"],
            evidence=body.validated_data.get("evidence"),
            sequence=body.validated_data.get("sequence"),
        )
        response = saved.response
        data = {
            "question": question_key,
            "saved_at": response.saved_at,
            "sequence": response.sequence,
            "stale": saved.stale,
        }
        return Response(s.SaveResultSerializer(data).data)


class SubmitView(ApiView):
    @documented(
        summary="Hand in my attempt (again is harmless: the first submission stands)",
        response=s.AttemptSerializer,
        example={**ATTEMPT, "state": "submitted", "submitted_at": "2026-01-05T09:20:00Z"},
        errors=[401, 403, 404, 429],
        tags=["attempts"],
    )
    def post(self, request: Request, version: str, attempt_id: int) -> Response:
        user = _user(request)
        attempt = _own_attempt(user, attempt_id)
        assignment = attempt.assignment
        now = timezone.now()
        # Past the deadline and its grace the submission is the deadline's: decided under the attempt's lock.
        attempt = services.attempt_submit(learner=user, attempt=attempt, now=now)
        attempt.assignment = assignment
        return Response(s.AttemptSerializer(attempt_data(attempt, now=now)).data)


class ResultsView(ApiView):
    @documented(
        summary="My submitted attempt's results, once the assignment's policy releases them",
        response=s.ResultsSerializer,
        example={
            "attempt": {**ATTEMPT, "state": "submitted", "results_released": True},
            "released": True,
            "answered": 1,
            "questions": 1,
            "earned": "1.00",
            "possible": "1.00",
            "lines": [
                {
                    "number": 1,
                    "question": "q01",
                    "answered": True,
                    "earned": "1",
                    "possible": "1",
                    "waiting_for_teacher": False,
                    "teacher_comment": "",
                }
            ],
            "slots": [{"number": 1, "question": QUESTION, "answered": ANSWERED}],
        },
        errors=[401, 404, 409, 429],
        tags=["attempts"],
    )
    def get(self, request: Request, version: str, attempt_id: int) -> Response:
        user = _user(request)
        attempt = _own_attempt(user, attempt_id)
        assignment = attempt.assignment
        assert assignment is not None
        now = timezone.now()
        attempt = attempts_made_current([attempt], now=now)[0]
        if attempt.is_open:
            raise AttemptInProgress(_("This attempt is still in progress: submit it to see its results."))
        questions = len(revision_of(assignment, attempt).document["questions"])
        data: dict[str, Any] = {
            "attempt": attempt_data(attempt, now=now),
            "released": False,
            "answered": assignment_selectors.answered_count(attempt),
            "questions": questions,
            "earned": None,
            "possible": None,
            "lines": [],
            "slots": [],
        }
        if feedback_released(attempt, now=now):
            revision = revision_of(
                assignment, attempt, graded=True
            )  # feedback from the key it was graded with
            view = student_view_of(revision, presentation_seed(attempt))
            sentences = player_selectors.article_sentences(revision)
            responses = player_selectors.responses_of(attempt)
            slots = ordered_slots(assignment, attempt, revision, view, sentences, responses)
            lines = assignment_selectors.result_lines(slots, responses)
            data.update(
                {
                    "released": True,
                    "answered": len(responses),
                    "earned": attempt.earned,
                    "possible": attempt.possible,
                    "lines": [
                        {
                            "number": line.number,
                            "question": line.key,
                            "answered": line.answered,
                            "earned": line.earned,
                            "possible": line.possible,
                            "waiting_for_teacher": line.waiting_for_teacher,
                            "teacher_comment": line.teacher_comment,
                        }
                        for line in lines
                    ],
                    "slots": [slot_data(slot) for slot in slots],
                }
            )
        return Response(s.ResultsSerializer(data).data)
