"""Attempts and the responses in them, made through the attempt services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import User

from lessons.models import Assignment, Attempt, Response, Revision
from lessons.services import attempt_submit, response_save, self_study_attempt_open
from lessons.services.classroom import assignment_attempt_start


class SelfStudyAttemptFactory(factory.django.DjangoModelFactory[Attempt]):
    """``SelfStudyAttemptFactory(learner=..., revision=...)`` → an open self-study attempt."""

    class Meta:
        model = Attempt

    @classmethod
    def _create(cls, model_class: type[Attempt], *, learner: User, revision: Revision) -> Attempt:
        return self_study_attempt_open(learner=learner, revision=revision)


class AssignmentAttemptFactory(factory.django.DjangoModelFactory[Attempt]):
    """``AssignmentAttemptFactory(assignment=..., student=..., answers={key: answer}, submit=True)`` → the
    student's attempt, started (at `now` if given), answered and, when asked, submitted."""

    class Meta:
        model = Attempt

    @classmethod
    def _create(
        cls,
        model_class: type[Attempt],
        *,
        assignment: Assignment,
        student: User,
        now: dt.datetime | None = None,
        answers: dict[str, Any] | None = None,
        submit: bool = False,
    ) -> Attempt:
        attempt = assignment_attempt_start(assignment=assignment, student=student, now=now)
        for key, answer in (answers or {}).items():
            response_save(learner=attempt.learner, attempt=attempt, question_key=key, answer=answer, now=now)
        return attempt_submit(learner=attempt.learner, attempt=attempt, now=now) if submit else attempt


class ResponseFactory(factory.django.DjangoModelFactory[Response]):
    """``ResponseFactory(attempt=..., question_key="q22", answer=...)`` → the response the save made."""

    class Meta:
        model = Response

    @classmethod
    def _create(
        cls, model_class: type[Response], *, attempt: Attempt, question_key: str, **saved: Any
    ) -> Response:
        response_save(learner=attempt.learner, attempt=attempt, question_key=question_key, **saved)
        return Response.objects.get(attempt=attempt, question_key=question_key)
