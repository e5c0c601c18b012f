"""Constants and helpers shared by the class and assignment tests (fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.test.utils import CaptureQueriesContext

from lessons.models import Assignment, Attempt
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import assignment_attempt_start

MakeUser = Callable[..., User]
MakeAssignment = Callable[..., Assignment]

NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
OPENS = NOW - dt.timedelta(hours=1)
DUE = NOW + dt.timedelta(days=1)
GRACE = dt.timedelta(seconds=30)
MINUTE = dt.timedelta(minutes=1)


def take(assignment: Assignment, student: User, answers: dict[str, Any], *, submit: bool = True) -> Attempt:
    """The student starts the assignment at NOW, gives the answers a minute apart, and (unless told not
    to) submits half an hour after starting."""
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    for minute, (key, answer) in enumerate(answers.items(), start=1):
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=key,
            answer=answer,
            now=NOW + minute * MINUTE,
        )
    if submit:
        attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW + 30 * MINUTE)
    attempt.refresh_from_db()
    return attempt


def fresh(attempt: Attempt) -> Attempt:
    return Attempt.objects.get(pk=attempt.pk)


_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.I)


def data_queries(captured: CaptureQueriesContext) -> list[str]:
    """The captured statements that read or write data: without BEGIN, COMMIT and savepoints.

    Under a test's wrapping transaction every `transaction.atomic` becomes a SAVEPOINT/RELEASE pair, and
    SQLite issues an explicit BEGIN; in production on PostgreSQL neither is a statement of its own.
    """
    return [q["sql"] for q in captured.captured_queries if not _TRANSACTION_CONTROL.match(q["sql"])]
