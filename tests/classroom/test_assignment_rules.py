"""Assignments: what may be assigned, when an attempt may start, how many, the deadline the server keeps,
saving and submitting under it, closing expired attempts, and when feedback is released."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from classroom_support import DUE, GRACE, NOW, OPENS, MakeAssignment, MakeUser
from django.contrib.auth.models import User
from django.core.management import call_command

from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    FeedbackRelease,
    LatePolicy,
    Lesson,
    Response,
)
from lessons.policy import attempt_deadline, feedback_released
from lessons.selectors.player import accepts_answers
from lessons.services import AnswerLocked, AttemptClosed, attempt_submit, lesson_import, response_save
from lessons.services.classroom import (
    AssignmentNotOpen,
    NoAttemptsLeft,
    assignment_attempt_start,
    assignment_create,
    assignment_release_feedback,
    attempt_resume,
    classroom_create,
    classroom_join,
    close_expired_attempts,
)
from lessons.services.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)
MINUTE = dt.timedelta(minutes=1)


# --- creating an assignment -------------------------------------------------------------------------------


def test_an_assignment_hands_out_the_published_revision(
    make_assignment: MakeAssignment, first_lesson: Lesson
) -> None:
    assignment = make_assignment(time_limit_minutes=20, attempts_allowed=2)

    assert assignment.revision_id == first_lesson.published_revision_id
    assert assignment.lesson == first_lesson
    assert (assignment.opens_at, assignment.due_at) == (OPENS, DUE)
    assert (assignment.time_limit_minutes, assignment.attempts_allowed) == (20, 2)


def test_an_unpublished_lesson_cannot_be_assigned(
    make_assignment: MakeAssignment, first_lesson_data: dict[str, Any]
) -> None:
    first_lesson_data["lesson"]["status"] = "draft"
    first_lesson_data["lesson"]["slug"] = "a-draft"
    draft = lesson_import(data=first_lesson_data)

    with pytest.raises(InvalidInput) as refused:
        make_assignment(lesson=draft)

    assert refused.value.field == "lesson"
    assert not Assignment.objects.filter(lesson=draft).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_at": OPENS}, "due_at"),
        ({"due_at": OPENS - SECOND}, "due_at"),
        ({"attempts_allowed": 0}, "attempts_allowed"),
        ({"attempts_allowed": -1}, "attempts_allowed"),
        ({"time_limit_minutes": 0}, "time_limit_minutes"),
    ],
    ids=["due-equals-opens", "due-before-opens", "zero-attempts", "negative-attempts", "zero-time-limit"],
)
def test_assignment_rules_that_cannot_work_are_refused(
    make_assignment: MakeAssignment, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_assignment(**overrides)

    assert refused.value.field == field
    assert Assignment.objects.count() == 0


# --- starting attempts ------------------------------------------------------------------------------------


def test_an_attempt_cannot_start_before_the_assignment_opens(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment()

    with pytest.raises(AssignmentNotOpen):
        assignment_attempt_start(assignment=assignment, student=student, now=OPENS - SECOND)

    assert Attempt.objects.count() == 0
    assert assignment_attempt_start(assignment=assignment, student=student, now=OPENS).number == 1


def test_an_attempt_cannot_start_after_the_due_date_when_late_work_is_refused(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.REFUSE)

    with pytest.raises(AssignmentNotOpen):
        assignment_attempt_start(assignment=assignment, student=student, now=DUE + SECOND)

    assert Attempt.objects.count() == 0


def test_an_attempt_started_after_the_due_date_is_late_when_late_work_is_accepted(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT)

    on_time = assignment_attempt_start(assignment=assignment, student=student, now=DUE)
    assert on_time.is_late is False
    attempt_submit(learner=on_time.learner, attempt=on_time, now=DUE)
    assignment.attempts_allowed = 2
    assignment.save()

    late = assignment_attempt_start(assignment=assignment, student=student, now=DUE + SECOND)

    assert late.is_late is True
    assert late.number == 2


def test_a_student_not_in_the_class_cannot_start(
    make_assignment: MakeAssignment, make_user: MakeUser
) -> None:
    assignment = make_assignment()
    outsider = make_user("outsider")

    with pytest.raises(NotAllowed):
        assignment_attempt_start(assignment=assignment, student=outsider, now=NOW)

    assert Attempt.objects.count() == 0


def test_the_open_attempt_is_returned_again_and_attempts_allowed_is_kept(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(attempts_allowed=2)

    first = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    again = assignment_attempt_start(assignment=assignment, student=student, now=NOW + MINUTE)
    assert again.pk == first.pk
    attempt_submit(learner=first.learner, attempt=first, now=NOW + 2 * MINUTE)
    second = assignment_attempt_start(assignment=assignment, student=student, now=NOW + 3 * MINUTE)
    assert second.pk != first.pk
    assert second.number == 2
    attempt_submit(learner=second.learner, attempt=second, now=NOW + 4 * MINUTE)

    with pytest.raises(NoAttemptsLeft):
        assignment_attempt_start(assignment=assignment, student=student, now=NOW + 5 * MINUTE)

    assert Attempt.objects.filter(assignment=assignment, learner=student).count() == 2


def test_an_open_attempt_past_its_deadline_is_submitted_before_the_next_one_starts(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(attempts_allowed=2, time_limit_minutes=10)
    first = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    response_save(learner=first.learner, attempt=first, question_key="q01", answer="a", now=NOW + MINUTE)

    second = assignment_attempt_start(assignment=assignment, student=student, now=NOW + 11 * MINUTE)

    first.refresh_from_db()
    assert first.state == AttemptState.SUBMITTED
    assert first.auto_submitted is True
    assert first.earned == Decimal(1)
    assert (second.number, second.state) == (2, AttemptState.OPEN)


# --- the deadline -----------------------------------------------------------------------------------------


def test_the_deadline_is_the_time_limit_when_it_comes_before_the_due_date(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(time_limit_minutes=30, late_policy=LatePolicy.REFUSE)

    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)

    assert attempt.deadline == NOW + 30 * MINUTE + GRACE


def test_the_deadline_is_the_due_date_when_it_comes_before_the_time_limit(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(time_limit_minutes=30, late_policy=LatePolicy.REFUSE)
    start = DUE - 10 * MINUTE

    attempt = assignment_attempt_start(assignment=assignment, student=student, now=start)

    assert attempt.deadline == DUE + GRACE


def test_without_a_time_limit_refused_late_work_makes_the_due_date_the_deadline(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.REFUSE)

    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)

    assert attempt.deadline == DUE + GRACE


def test_with_late_work_accepted_the_deadline_is_the_time_limit_even_past_the_due_date(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(time_limit_minutes=30, late_policy=LatePolicy.ACCEPT)
    start = DUE - 10 * MINUTE

    attempt = assignment_attempt_start(assignment=assignment, student=student, now=start)

    assert attempt.deadline == start + 30 * MINUTE + GRACE


def test_with_late_work_accepted_and_no_time_limit_there_is_no_deadline(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT)

    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)

    assert attempt.deadline is None
    assert attempt_deadline(assignment, DUE + dt.timedelta(days=30)) is None


def test_a_save_at_exactly_the_deadline_is_accepted(make_assignment: MakeAssignment, student: User) -> None:
    assignment = make_assignment(time_limit_minutes=10)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    limit = NOW + 10 * MINUTE
    assert attempt.deadline == limit + GRACE

    at_limit = response_save(
        learner=attempt.learner, attempt=attempt, question_key="q01", answer="a", now=limit
    )
    at_deadline = response_save(
        learner=attempt.learner, attempt=attempt, question_key="q04", answer="b", now=limit + GRACE
    )

    assert at_limit.created and at_deadline.created
    assert at_deadline.response.saved_at == limit + GRACE
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.OPEN


def test_resuming_says_whether_time_is_up_and_the_page_takes_answers_only_before(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(time_limit_minutes=10)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    limit = NOW + 10 * MINUTE  # a page opened in the grace after it finds the attempt over

    in_time = attempt_resume(attempt, now=limit - dt.timedelta(seconds=1))
    assert (in_time.time_up, accepts_answers(in_time.attempt)) == (False, True)

    late = attempt_resume(attempt, now=limit)
    assert (late.time_up, accepts_answers(late.attempt)) == (True, False)
    assert (late.attempt.state, late.attempt.auto_submitted) == (AttemptState.SUBMITTED, True)


def test_a_save_one_second_past_the_grace_is_refused_and_the_attempt_submitted_with_what_was_saved(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(time_limit_minutes=10)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    limit = NOW + 10 * MINUTE
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q01", answer="a", now=NOW + MINUTE
    )  # right: 1 point
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q04", answer="b", now=NOW + 2 * MINUTE
    )  # right: 1 point
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q05", answer=False, now=NOW + 3 * MINUTE
    )  # wrong: 0

    with pytest.raises(AttemptClosed):
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key="q08",
            answer="c",
            now=limit + GRACE + SECOND,
        )

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.auto_submitted is True
    assert attempt.submitted_at == limit + GRACE + SECOND
    assert attempt.earned == Decimal(2)
    assert attempt.is_late is False
    assert sorted(Response.objects.filter(attempt=attempt).values_list("question_key", flat=True)) == [
        "q01",
        "q04",
        "q05",
    ]
    with pytest.raises(AttemptClosed):
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key="q08",
            answer="c",
            now=limit + GRACE + 2 * SECOND,
        )


def test_the_deadline_follows_the_server_clock(make_assignment: MakeAssignment, student: User) -> None:
    assignment = make_assignment(time_limit_minutes=10)
    with time_machine.travel(NOW, tick=False):
        attempt = assignment_attempt_start(assignment=assignment, student=student)
    with time_machine.travel(NOW + 10 * MINUTE + GRACE, tick=False):
        response_save(learner=attempt.learner, attempt=attempt, question_key="q01", answer="a")
    with time_machine.travel(NOW + 10 * MINUTE + GRACE + SECOND, tick=False), pytest.raises(AttemptClosed):
        response_save(learner=attempt.learner, attempt=attempt, question_key="q04", answer="b")

    attempt.refresh_from_db()
    assert (attempt.state, attempt.earned, attempt.auto_submitted) == (AttemptState.SUBMITTED, 1, True)


# --- closing expired attempts -----------------------------------------------------------------------------


@pytest.fixture
def attempts_in_every_state(
    make_assignment: MakeAssignment, classroom: Classroom, make_user: MakeUser
) -> dict[str, Attempt]:
    """Open attempts with deadlines before, at and after CHECK, one without a deadline, a submitted one."""
    limited = make_assignment(time_limit_minutes=10)
    unlimited = make_assignment(late_policy=LatePolicy.ACCEPT)
    attempts: dict[str, Attempt] = {}
    starts = {"expired": NOW, "expired-too": NOW, "at-deadline": NOW + MINUTE, "running": NOW + 5 * MINUTE}
    for name, start in [*starts.items(), ("submitted", NOW)]:
        user = make_user(name)
        assert classroom.join_code is not None
        classroom_join(student=user, code=classroom.join_code)
        attempts[name] = assignment_attempt_start(assignment=limited, student=user, now=start)
    response_save(
        learner=attempts["expired"].learner,
        attempt=attempts["expired"],
        question_key="q01",
        answer="a",
        now=NOW + MINUTE,
    )
    attempt_submit(learner=attempts["submitted"].learner, attempt=attempts["submitted"], now=NOW + MINUTE)
    no_deadline = make_user("no-deadline")
    classroom_join(student=no_deadline, code=classroom.join_code)
    attempts["no-deadline"] = assignment_attempt_start(assignment=unlimited, student=no_deadline, now=NOW)
    return attempts


CHECK = NOW + 11 * MINUTE + GRACE  # "at-deadline" started a minute late: its deadline is exactly CHECK


def states(attempts: dict[str, Attempt]) -> dict[str, tuple[str, bool]]:
    fresh = {a.pk: a for a in Attempt.objects.all()}
    return {name: (fresh[a.pk].state, fresh[a.pk].auto_submitted) for name, a in attempts.items()}


def test_close_expired_attempts_submits_exactly_the_expired_open_ones(
    attempts_in_every_state: dict[str, Attempt],
) -> None:
    submitted_at = Attempt.objects.get(pk=attempts_in_every_state["submitted"].pk).submitted_at

    closed = close_expired_attempts(now=CHECK)

    assert closed == 2
    assert states(attempts_in_every_state) == {
        "expired": (AttemptState.SUBMITTED, True),
        "expired-too": (AttemptState.SUBMITTED, True),
        "at-deadline": (AttemptState.OPEN, False),
        "running": (AttemptState.OPEN, False),
        "submitted": (AttemptState.SUBMITTED, False),
        "no-deadline": (AttemptState.OPEN, False),
    }
    expired = Attempt.objects.get(pk=attempts_in_every_state["expired"].pk)
    assert (expired.earned, expired.submitted_at) == (Decimal(1), CHECK)
    assert Attempt.objects.get(pk=attempts_in_every_state["submitted"].pk).submitted_at == submitted_at
    assert close_expired_attempts(now=CHECK) == 0


def test_the_close_expired_attempts_command_prints_the_count(
    attempts_in_every_state: dict[str, Attempt],
) -> None:
    out = io.StringIO()
    with time_machine.travel(CHECK, tick=False):
        call_command("close_expired_attempts", stdout=out)
    assert out.getvalue().strip() == "Submitted 2 expired attempts."

    out = io.StringIO()
    with time_machine.travel(CHECK + SECOND, tick=False):
        call_command("close_expired_attempts", stdout=out)
    assert out.getvalue().strip() == "Submitted 1 expired attempt."
    assert states(attempts_in_every_state)["at-deadline"] == (AttemptState.SUBMITTED, True)


# --- submitting -------------------------------------------------------------------------------------------


def test_a_submit_after_the_due_date_is_late_when_late_work_is_accepted(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    assert attempt.is_late is False

    submitted = attempt_submit(learner=attempt.learner, attempt=attempt, now=DUE + SECOND)

    assert submitted.is_late is True
    attempt.refresh_from_db()
    assert (attempt.is_late, attempt.submitted_at, attempt.auto_submitted) == (True, DUE + SECOND, False)


def test_a_submit_at_the_due_date_is_on_time(make_assignment: MakeAssignment, student: User) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)

    assert attempt_submit(learner=attempt.learner, attempt=attempt, now=DUE).is_late is False


# --- feedback release -------------------------------------------------------------------------------------


def started_and_submitted(assignment: Assignment, student: User) -> tuple[Attempt, Attempt]:
    """The student's attempt while open, and the same attempt once submitted at NOW."""
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    opened = Attempt.objects.select_related("assignment").get(pk=attempt.pk)
    attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)
    submitted = Attempt.objects.select_related("assignment").get(pk=attempt.pk)
    return opened, submitted


def test_feedback_released_immediately_is_shown_at_once(
    make_assignment: MakeAssignment, student: User
) -> None:
    opened, submitted = started_and_submitted(
        make_assignment(feedback_release=FeedbackRelease.IMMEDIATELY), student
    )

    assert feedback_released(opened, now=NOW) is True
    assert feedback_released(submitted, now=NOW) is True


def test_feedback_after_submit_waits_for_the_submit(make_assignment: MakeAssignment, student: User) -> None:
    opened, submitted = started_and_submitted(
        make_assignment(feedback_release=FeedbackRelease.AFTER_SUBMIT), student
    )

    assert feedback_released(opened, now=DUE + SECOND) is False
    assert feedback_released(submitted, now=NOW) is True


def test_feedback_after_due_waits_for_the_submit_and_the_due_date(
    make_assignment: MakeAssignment, student: User
) -> None:
    opened, submitted = started_and_submitted(
        make_assignment(feedback_release=FeedbackRelease.AFTER_DUE), student
    )

    assert feedback_released(submitted, now=DUE - SECOND) is False
    assert feedback_released(submitted, now=DUE) is True
    assert feedback_released(opened, now=DUE + SECOND) is False


def test_manual_feedback_waits_for_the_teacher(
    make_assignment: MakeAssignment, student: User, teacher: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.MANUAL)
    opened, submitted = started_and_submitted(assignment, student)
    assert feedback_released(submitted, now=DUE + dt.timedelta(days=365)) is False

    assignment_release_feedback(teacher=teacher, assignment=assignment, now=NOW + MINUTE)

    assignment.refresh_from_db()
    assert assignment.released_at == NOW + MINUTE
    submitted = Attempt.objects.select_related("assignment").get(pk=submitted.pk)
    assert feedback_released(submitted, now=NOW + MINUTE) is True
    opened.assignment = assignment
    assert feedback_released(opened, now=NOW + MINUTE) is False


# --- changing answers -------------------------------------------------------------------------------------


def test_with_feedback_after_submit_an_answer_may_change_until_submit(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.AFTER_SUBMIT)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    first = response_save(
        learner=attempt.learner, attempt=attempt, question_key="q01", answer="b", sequence=1, now=NOW + MINUTE
    )
    assert (first.created, first.response.correct, first.response.earned) == (True, False, Decimal(0))

    changed = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q01",
        answer="a",
        sequence=2,
        now=NOW + 2 * MINUTE,
    )

    assert (changed.created, changed.stale) == (False, False)
    row = Response.objects.get(attempt=attempt, question_key="q01")
    assert row.pk == first.response.pk
    assert (row.answer, row.sequence, row.correct, row.earned) == ("a", 2, True, Decimal(1))
    assert row.first_saved_at == NOW + MINUTE
    assert row.saved_at == NOW + 2 * MINUTE
    assert attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW + 3 * MINUTE).earned == Decimal(1)
    with pytest.raises(AttemptClosed):
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key="q01",
            answer="c",
            sequence=3,
            now=NOW + 4 * MINUTE,
        )
    assert Response.objects.get(pk=row.pk).answer == "a"


def test_a_stale_sequence_never_overwrites_a_newer_answer(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.AFTER_SUBMIT)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q01",
        answer="a",
        sequence=5,
        now=NOW + 2 * MINUTE,
    )

    for sequence, answer in [(4, "b"), (5, "c"), (1, "d")]:
        late = response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key="q01",
            answer=answer,
            sequence=sequence,
            now=NOW + 3 * MINUTE,
        )
        assert (late.stale, late.created) == (True, False)

    row = Response.objects.get(attempt=attempt, question_key="q01")
    assert (row.answer, row.sequence, row.saved_at) == ("a", 5, NOW + 2 * MINUTE)


def test_a_repeated_answer_with_a_newer_sequence_still_wins_over_an_older_change(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.AFTER_SUBMIT)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    # The student picks a, then b, then a again; the save of b is delayed and arrives last.
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q01", answer="a", sequence=1, now=NOW + MINUTE
    )
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q01",
        answer="a",
        sequence=3,
        now=NOW + 3 * MINUTE,
    )

    delayed = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q01",
        answer="b",
        sequence=2,
        now=NOW + 4 * MINUTE,
    )

    row = Response.objects.get(attempt=attempt, question_key="q01")
    assert delayed.stale is True
    assert (row.answer, row.sequence) == ("a", 3)


def test_with_feedback_immediately_a_given_answer_is_final(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.IMMEDIATELY)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q01", answer="b", sequence=1, now=NOW + MINUTE
    )

    with pytest.raises(AnswerLocked):
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key="q01",
            answer="a",
            sequence=2,
            now=NOW + 2 * MINUTE,
        )

    repeat = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q01",
        answer="b",
        sequence=3,
        now=NOW + 3 * MINUTE,
    )
    assert (repeat.created, repeat.stale) == (False, False)
    row = Response.objects.get(attempt=attempt, question_key="q01")
    assert (row.answer, row.sequence, row.saved_at, row.earned) == ("b", 3, NOW + MINUTE, Decimal(0))


def test_an_assignment_taken_by_one_class_is_not_open_to_another(
    make_assignment: MakeAssignment, make_user: MakeUser, teacher: User, first_lesson: Lesson
) -> None:
    other_class = classroom_create(teacher=teacher, name="Other class")
    other_student = make_user("other")
    assert other_class.join_code is not None
    classroom_join(student=other_student, code=other_class.join_code)
    assignment = make_assignment()

    with pytest.raises(NotAllowed):
        assignment_attempt_start(assignment=assignment, student=other_student, now=NOW)

    other_assignment = assignment_create(
        classroom=other_class, lesson=first_lesson, by=teacher, opens_at=OPENS, due_at=DUE
    )
    assert assignment_attempt_start(assignment=other_assignment, student=other_student, now=NOW).number == 1


def test_an_expired_attempt_found_by_a_refused_start_is_still_submitted(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(attempts_allowed=1, time_limit_minutes=10)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    response_save(learner=attempt.learner, attempt=attempt, question_key="q01", answer="a", now=NOW + MINUTE)

    with pytest.raises(NoAttemptsLeft):
        assignment_attempt_start(assignment=assignment, student=student, now=NOW + 20 * MINUTE)

    attempt.refresh_from_db()
    assert (attempt.state, attempt.auto_submitted, attempt.earned) == (AttemptState.SUBMITTED, True, 1)


def test_late_work_auto_submitted_at_its_time_limit_is_marked_late(
    make_assignment: MakeAssignment, student: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT, time_limit_minutes=30)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=DUE - 10 * MINUTE)
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q01", answer="a", now=DUE + 5 * MINUTE
    )

    assert close_expired_attempts(now=DUE + 21 * MINUTE) == 1

    attempt.refresh_from_db()
    assert (attempt.state, attempt.auto_submitted) == (AttemptState.SUBMITTED, True)
    assert attempt.is_late is True
