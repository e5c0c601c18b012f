"""Assignments under real concurrency: threads released together on a barrier, each on its own database
connection (closed when the thread ends).

PostgreSQL only: SQLite serialises every writer, so a race there proves nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

import pytest
from classroom_support import NOW, MakeAssignment, MakeUser
from django.contrib.auth.models import User
from django.db import connection
from factories.lessons import load_lesson, single_choice_document
from parallel import in_parallel

from lessons.models import Attempt, AttemptState, Classroom, FeedbackRelease, Lesson, Response
from lessons.services import attempt_submit, lesson_import, response_save
from lessons.services.classroom import (
    GradingConflict,
    assignment_attempt_start,
    assignment_regrade,
    classroom_add_coteacher,
    classroom_join,
    response_grade,
)
from lessons.services.errors import AttemptClosed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks and concurrent writers (SQLite serialises every write)",
    ),
]


def test_parallel_submits_close_the_attempt_once(make_assignment: MakeAssignment, student: User) -> None:
    attempt = assignment_attempt_start(assignment=make_assignment(), student=student, now=NOW)
    for key, answer in [("q01", "a"), ("q04", "b"), ("q05", False)]:
        response_save(learner=attempt.learner, attempt=attempt, question_key=key, answer=answer, now=NOW)

    submitted, errors = in_parallel(
        20,
        lambda index: attempt_submit(
            learner=attempt.learner, attempt=attempt, now=NOW + dt.timedelta(seconds=index + 1)
        ),
    )

    assert errors == []
    assert len(submitted) == 20
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.earned == Decimal(2)
    assert {(a.submitted_at, a.earned) for a in submitted} == {(attempt.submitted_at, Decimal(2))}


def test_parallel_starts_with_one_attempt_allowed_make_one_attempt(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(attempts_allowed=1)

    started, errors = in_parallel(
        10, lambda index: assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    )

    assert errors == []
    assert len({a.pk for a in started}) == 1
    assert Attempt.objects.filter(assignment=assignment, learner=student).count() == 1
    assert Attempt.objects.get().number == 1


@pytest.fixture
def twenty_question_lesson(first_lesson_data: dict[str, Any]) -> Lesson:
    return load_lesson(single_choice_document(first_lesson_data, count=20, slug="twenty-questions"))


# The autosave endpoint names the revision its page showed (its signed token), which saves an answer in one
# statement; without it the service takes the locking path. Both keep the same rules.
BY_TOKEN = pytest.mark.parametrize("by_token", [False, True], ids=["locking", "one-statement"])


def revision_named(attempt: Attempt, by_token: bool) -> int | None:
    return attempt.revision_id if by_token else None


@BY_TOKEN
def test_parallel_saves_of_twenty_questions_keep_every_answer(
    make_assignment: MakeAssignment, student: User, twenty_question_lesson: Lesson, by_token: bool
) -> None:
    assignment = make_assignment(lesson=twenty_question_lesson)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    assert twenty_question_lesson.published_revision is not None
    questions = twenty_question_lesson.published_revision.content["questions"]
    assert len(questions) == 20

    saved, errors = in_parallel(
        20,
        lambda index: response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=questions[index]["id"],
            answer=questions[index]["answer"]["correct"],
            sequence=1,
            revision_id=revision_named(attempt, by_token),
            now=NOW,
        ),
    )

    assert errors == []
    assert [s.created for s in saved] == [True] * 20
    rows = Response.objects.filter(attempt=attempt)
    assert sorted(rows.values_list("question_key", flat=True)) == [f"sc{n:02d}" for n in range(1, 21)]
    assert all(rows.values_list("correct", flat=True))
    assert attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW).earned == Decimal(20)


@pytest.fixture
def ten_option_lesson(first_lesson_data: dict[str, Any]) -> Lesson:
    """One single-choice question, ``sc01``, with ten options ``o1`` … ``o10``."""
    data = single_choice_document(first_lesson_data, count=1, slug="ten-options")
    question = data["questions"][0]
    question["options"] = [{"id": f"o{n}", "text": f"Option {n}"} for n in range(1, 11)]
    question["answer"]["correct"] = "o10"
    question["answer"]["option_feedback"] = {}
    return load_lesson(data)


@BY_TOKEN
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parallel_saves_in_random_order_keep_the_answer_of_the_newest_sequence(
    make_assignment: MakeAssignment, student: User, ten_option_lesson: Lesson, seed: int, by_token: bool
) -> None:
    assignment = make_assignment(lesson=ten_option_lesson, feedback_release=FeedbackRelease.AFTER_SUBMIT)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    rng = random.Random(seed)
    sequences = rng.sample(range(1, 11), 10)  # thread i sends sequence sequences[i]
    delays = [rng.uniform(0, 0.02) for _ in sequences]

    def save(index: int) -> Any:
        time.sleep(delays[index])
        sequence = sequences[index]
        return response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key="sc01",
            answer=f"o{sequence}",
            sequence=sequence,
            revision_id=revision_named(attempt, by_token),
            now=NOW + dt.timedelta(seconds=sequence),
        )

    saved, errors = in_parallel(10, save)

    assert errors == []
    assert sorted(s.created for s in saved) == [False] * 9 + [True]
    row = Response.objects.get(attempt=attempt, question_key="sc01")
    assert (row.answer, row.sequence, row.saved_at) == ("o10", 10, NOW + dt.timedelta(seconds=10))
    assert (row.correct, row.earned) == (True, Decimal(1))


def test_one_statement_saves_racing_a_submit_either_count_or_are_refused(
    make_assignment: MakeAssignment, student: User, twenty_question_lesson: Lesson
) -> None:
    """A submit locks the attempt; a save in one statement takes a share lock on it, so it lands before the
    submit (and is counted) or finds the attempt submitted (and is refused): never saved but not counted."""
    assignment = make_assignment(lesson=twenty_question_lesson)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    assert twenty_question_lesson.published_revision is not None
    questions = twenty_question_lesson.published_revision.content["questions"]

    def work(index: int) -> Any:
        if index == 10:
            return attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)
        return response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=questions[index]["id"],
            answer=questions[index]["answer"]["correct"],
            sequence=1,
            revision_id=attempt.revision_id,
            now=NOW,
        )

    _results, errors = in_parallel(11, work)

    assert all(isinstance(error, AttemptClosed) for error in errors), errors
    stored = Response.objects.filter(attempt=attempt).count()
    assert stored + len(errors) == 10
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.earned == Decimal(stored)


def test_two_teachers_grading_one_response_at_once_one_wins_one_conflicts(
    make_assignment: MakeAssignment, classroom: Classroom, student: User, teacher: User, make_user: MakeUser
) -> None:
    colleague = make_user("colleague", teacher=True)
    classroom_add_coteacher(teacher=teacher, classroom=classroom, username="colleague")
    attempt = assignment_attempt_start(assignment=make_assignment(), student=student, now=NOW)
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q22",
        answer="It rests on unpublished documents.",
        now=NOW,
    )
    attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)
    response = Response.objects.get(attempt=attempt, question_key="q22")
    graders = [(teacher, {"r1": 2, "r2": 2, "r3": 2}), (colleague, {"r1": 0, "r2": 0, "r3": 1})]

    graded, errors = in_parallel(
        2,
        lambda index: response_grade(
            response=response,
            by=graders[index][0],
            criterion_scores=graders[index][1],
            comment=f"grader {index}",
            expected_version=0,
            now=NOW,
        ),
    )

    assert len(graded) == 1
    assert len(errors) == 1 and isinstance(errors[0], GradingConflict), errors
    row = Response.objects.get(pk=response.pk)
    winner = next(i for i, (user, _scores) in enumerate(graders) if user.pk == row.graded_by_id)
    assert row.version == 1
    assert row.criterion_scores == graders[winner][1]
    assert row.teacher_comment == f"grader {winner}"
    assert Attempt.objects.get(pk=attempt.pk).earned == sum(graders[winner][1].values())


def test_submits_racing_a_regrade_are_all_scored_with_the_corrected_key(
    make_assignment: MakeAssignment,
    classroom: Classroom,
    first_lesson_data: dict[str, Any],
    teacher: User,
    make_user: MakeUser,
) -> None:
    """Whichever commits first, no attempt ends on the old key: q01's key moves from a to b, every student
    answered a, so every final score is 0 for q01 plus 1 for q04."""
    assignment = make_assignment()
    assert classroom.join_code is not None
    attempts = []
    for n in range(8):
        user = make_user(f"racer{n}")
        classroom_join(student=user, code=classroom.join_code)
        attempt = assignment_attempt_start(assignment=assignment, student=user, now=NOW)
        response_save(learner=attempt.learner, attempt=attempt, question_key="q01", answer="a", now=NOW)
        response_save(learner=attempt.learner, attempt=attempt, question_key="q04", answer="b", now=NOW)
        attempts.append(attempt)
    corrected = copy.deepcopy(first_lesson_data)
    (q01,) = [q for q in corrected["questions"] if q["id"] == "q01"]
    q01["answer"]["correct"] = "b"
    new_revision = lesson_import(data=corrected, replace=True).published_revision

    def work(index: int) -> object:
        if index == 0:
            return assignment_regrade(assignment=assignment, by=teacher, now=NOW + dt.timedelta(minutes=5))
        return attempt_submit(
            learner=attempts[index - 1].learner,
            attempt=attempts[index - 1],
            now=NOW + dt.timedelta(minutes=5),
        )

    _done, errors = in_parallel(len(attempts) + 1, work)

    assert errors == []
    finals = Attempt.objects.filter(pk__in=[a.pk for a in attempts]).order_by("pk")
    assert [(a.state, a.earned) for a in finals] == [(AttemptState.SUBMITTED, Decimal(1))] * len(attempts)
    assert all(new_revision in (a.revision, a.graded_revision) for a in finals)
