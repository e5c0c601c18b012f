"""The pure time and release rules of `lessons.policy`: unsaved model instances, no database, no clock."""

from __future__ import annotations

import datetime as dt

import pytest

from lessons import policy
from lessons.models import Assignment, Attempt, AttemptState, Classroom, FeedbackRelease, LatePolicy
from lessons.policy import DEADLINE_GRACE, StartRefusal

OPENS = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 3, 9, 9, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def assignment(**fields: object) -> Assignment:
    defaults: dict[str, object] = {
        "pk": 7,
        "opens_at": OPENS,
        "due_at": DUE,
        "attempts_allowed": 2,
        "late_policy": LatePolicy.REFUSE,
        "feedback_release": FeedbackRelease.AFTER_SUBMIT,
        "time_limit_minutes": None,
        "released_at": None,
    }
    return Assignment(**{**defaults, **fields})


def attempt(of: Assignment | None, *, submitted: bool) -> Attempt:
    made = Attempt(state=AttemptState.SUBMITTED if submitted else AttemptState.OPEN)
    made.assignment = of
    return made


def test_an_archived_class_is_read_only() -> None:
    assert policy.classroom_is_read_only(Classroom(archived_at=DUE)) is True
    assert policy.classroom_is_read_only(Classroom(archived_at=None)) is False


def test_a_start_before_the_opening_is_refused_as_not_open_yet() -> None:
    assert (
        policy.start_refusal(assignment(), attempts_used=0, now=OPENS - SECOND) is StartRefusal.NOT_OPEN_YET
    )
    assert policy.start_refusal(assignment(), attempts_used=0, now=OPENS) is None


def test_a_start_with_every_attempt_used_is_refused() -> None:
    assert policy.start_refusal(assignment(), attempts_used=1, now=OPENS) is None
    assert policy.start_refusal(assignment(), attempts_used=2, now=OPENS) is StartRefusal.NO_ATTEMPTS_LEFT


def test_the_due_date_closes_an_assignment_that_refuses_late_work() -> None:
    refusing = assignment(late_policy=LatePolicy.REFUSE)
    assert policy.start_refusal(refusing, attempts_used=0, now=DUE) is None
    assert policy.start_refusal(refusing, attempts_used=0, now=DUE + SECOND) is StartRefusal.CLOSED
    assert policy.closed_by_due_date(refusing, DUE + SECOND) is True


def test_late_work_accepted_is_open_after_the_due_date_and_late() -> None:
    accepting = assignment(late_policy=LatePolicy.ACCEPT)
    assert policy.start_refusal(accepting, attempts_used=0, now=DUE + dt.timedelta(days=30)) is None
    assert policy.closed_by_due_date(accepting, DUE + SECOND) is False
    assert policy.is_late(accepting, DUE) is False
    assert policy.is_late(accepting, DUE + SECOND) is True


def test_an_assignment_is_closed_for_a_student_with_no_attempt_left_unless_one_is_open() -> None:
    one = assignment(attempts_allowed=1, late_policy=LatePolicy.ACCEPT)
    assert policy.closed_for_student(one, attempts_used=0, working=False, now=OPENS) is False
    assert policy.closed_for_student(one, attempts_used=1, working=True, now=OPENS) is False
    assert policy.closed_for_student(one, attempts_used=1, working=False, now=OPENS) is True
    refusing = assignment(late_policy=LatePolicy.REFUSE)
    assert policy.closed_for_student(refusing, attempts_used=0, working=True, now=DUE + SECOND) is True


def test_work_handed_in_after_the_due_date_is_late_only_where_late_work_is_accepted() -> None:
    accepting = assignment(late_policy=LatePolicy.ACCEPT)
    assert policy.handed_in_late(accepting, DUE + SECOND) is True
    assert policy.handed_in_late(accepting, DUE) is False
    assert policy.handed_in_late(accepting, None) is False
    assert policy.handed_in_late(assignment(late_policy=LatePolicy.REFUSE), DUE + SECOND) is False


def test_the_deadline_is_the_earlier_of_time_limit_and_due_date_plus_grace() -> None:
    timed = assignment(time_limit_minutes=30, late_policy=LatePolicy.REFUSE)
    assert policy.attempt_deadline(timed, OPENS) == OPENS + dt.timedelta(minutes=30) + DEADLINE_GRACE
    assert policy.attempt_deadline(timed, DUE - dt.timedelta(minutes=10)) == DUE + DEADLINE_GRACE
    accepting = assignment(time_limit_minutes=30, late_policy=LatePolicy.ACCEPT)
    started = DUE + dt.timedelta(days=1)
    assert policy.attempt_deadline(accepting, started) == started + dt.timedelta(minutes=30) + DEADLINE_GRACE
    assert policy.attempt_deadline(assignment(late_policy=LatePolicy.ACCEPT), started) is None


def test_time_is_up_at_the_limit_itself_while_saves_land_until_the_grace_ends() -> None:
    deadline = DUE + DEADLINE_GRACE
    assert policy.time_is_up(deadline, DUE - SECOND) is False
    assert policy.time_is_up(deadline, DUE) is True
    assert policy.past_deadline(deadline, deadline) is False
    assert policy.past_deadline(deadline, deadline + SECOND) is True
    assert policy.time_ends_at(deadline) == DUE
    assert policy.time_is_up(None, DUE) is False
    assert policy.past_deadline(None, DUE) is False
    assert policy.time_ends_at(None) is None


@pytest.mark.parametrize(
    ("release", "released_at", "now", "open_shown", "submitted_shown"),
    [
        (FeedbackRelease.IMMEDIATELY, None, OPENS, True, True),
        (FeedbackRelease.AFTER_SUBMIT, None, OPENS, False, True),
        (FeedbackRelease.AFTER_DUE, None, DUE - SECOND, False, False),
        (FeedbackRelease.AFTER_DUE, None, DUE, False, True),
        (FeedbackRelease.MANUAL, None, DUE + dt.timedelta(days=365), False, False),
        (FeedbackRelease.MANUAL, DUE, DUE, False, True),
    ],
)
def test_feedback_is_released_by_the_assignments_policy(
    release: str, released_at: dt.datetime | None, now: dt.datetime, open_shown: bool, submitted_shown: bool
) -> None:
    given = assignment(feedback_release=release, released_at=released_at)
    assert policy.feedback_released(attempt(given, submitted=False), now=now) is open_shown
    assert policy.feedback_released(attempt(given, submitted=True), now=now) is submitted_shown
    assert policy.release_allows(given, submitted=True, now=now) is submitted_shown


def test_self_study_feedback_is_released_at_once_and_makes_answers_final() -> None:
    assert policy.feedback_released(attempt(None, submitted=False), now=OPENS) is True
    assert policy.answers_final_once_given(None) is True


def test_only_immediate_feedback_makes_an_assignments_answers_final() -> None:
    assert policy.answers_final_once_given(assignment(feedback_release=FeedbackRelease.IMMEDIATELY)) is True
    for release in (FeedbackRelease.AFTER_SUBMIT, FeedbackRelease.AFTER_DUE, FeedbackRelease.MANUAL):
        assert policy.answers_final_once_given(assignment(feedback_release=release)) is False


def test_only_a_manual_release_is_released_by_hand() -> None:
    assert policy.released_by_hand(assignment(feedback_release=FeedbackRelease.MANUAL)) is True
    assert policy.released_by_hand(assignment(feedback_release=FeedbackRelease.AFTER_DUE)) is False


def test_the_shuffle_seed_is_stable_per_student_and_differs_between_students() -> None:
    assert policy.shuffle_seed(7, 42) == policy.shuffle_seed(7, 42) == "7:42"
    assert policy.shuffle_seed(7, 43) != policy.shuffle_seed(7, 42)
    assert policy.shuffle_seed(8, 42) != policy.shuffle_seed(7, 42)
