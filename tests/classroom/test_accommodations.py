"""Accommodations (IEP and 504 plans, absences): a student's standing extra time in a class and their
extension of one assignment, set through the services and honoured wherever time is enforced — starting,
the stored deadline, saving, submitting, `close_expired_attempts`, late marks, feedback after the due date
and the self-study hold. Boundaries are checked a second either side under time_machine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from classroom_support import DUE, GRACE, MINUTE, NOW, OPENS, MakeAssignment, MakeUser, fresh
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from factories.classroom import join

from lessons import policy
from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    Enrollment,
    Extension,
    FeedbackRelease,
    LatePolicy,
)
from lessons.selectors.accommodations import terms_for
from lessons.selectors.classroom import CellStatus, gradebook
from lessons.selectors.self_study import self_study_holds
from lessons.services import AttemptClosed, attempt_submit, response_save
from lessons.services.accommodations import (
    extension_grant,
    extension_withdraw,
    student_set_extra_time,
)
from lessons.services.classroom import (
    AssignmentNotOpen,
    ClassroomArchived,
    assignment_attempt_start,
    classroom_archive,
    close_expired_attempts,
)
from lessons.services.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def classmate(make_user: MakeUser, classroom: Classroom) -> User:
    """A second student of the class, with no accommodation."""
    student = make_user("classmate")
    join(student, classroom)
    return student


def save_at(when: dt.datetime, student: User, attempt_pk: int, answer: str = "a") -> None:
    """A save as the server receives it at `when`: the service reads the clock itself."""
    attempt = fresh_attempt(attempt_pk)
    with time_machine.travel(when, tick=False):
        response_save(learner=student, attempt=attempt, question_key="q01", answer=answer)


def fresh_attempt(pk: int) -> Attempt:
    return Attempt.objects.get(pk=pk)


def start(assignment: Assignment, student: User, when: dt.datetime) -> Attempt:
    """The student starts at `when` by the server's clock (which also stamps the attempt's start)."""
    with time_machine.travel(when, tick=False):
        return assignment_attempt_start(assignment=assignment, student=student)


# ----------------------------------------------------------------------------------------------------
# Standing extra time


def test_extra_time_multiplies_the_time_limit_of_a_new_attempt(
    make_assignment: MakeAssignment, classroom: Classroom, teacher: User, student: User, classmate: User
) -> None:
    assignment = make_assignment(time_limit_minutes=20)
    student_set_extra_time(classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier="1.5")

    with time_machine.travel(NOW, tick=False):
        mine = assignment_attempt_start(assignment=assignment, student=student)
        theirs = assignment_attempt_start(assignment=assignment, student=classmate)

    assert mine.deadline == NOW + 30 * MINUTE + GRACE
    assert theirs.deadline == NOW + 20 * MINUTE + GRACE


def test_a_save_is_taken_up_to_the_extended_deadline_and_refused_a_second_after(
    make_assignment: MakeAssignment, classroom: Classroom, teacher: User, student: User
) -> None:
    assignment = make_assignment(time_limit_minutes=20)
    student_set_extra_time(classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier=2)
    attempt = start(assignment, student, NOW)
    deadline = NOW + 40 * MINUTE + GRACE

    save_at(NOW + 21 * MINUTE, student, attempt.pk)  # past the class's limit, within the student's
    save_at(deadline, student, attempt.pk, "b")
    with pytest.raises(AttemptClosed):
        save_at(deadline + SECOND, student, attempt.pk, "c")

    closed = fresh(attempt)
    assert closed.state == AttemptState.SUBMITTED and closed.auto_submitted
    assert closed.responses.get().answer == "b"


def test_close_expired_attempts_waits_for_the_students_own_deadline(
    make_assignment: MakeAssignment, classroom: Classroom, teacher: User, student: User, classmate: User
) -> None:
    assignment = make_assignment(time_limit_minutes=20)
    student_set_extra_time(classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier="1.5")
    mine = start(assignment, student, NOW)
    theirs = start(assignment, classmate, NOW)

    with time_machine.travel(NOW + 20 * MINUTE + GRACE + SECOND, tick=False):
        assert close_expired_attempts() == 1
    assert fresh(theirs).state == AttemptState.SUBMITTED
    assert fresh(mine).state == AttemptState.OPEN

    with time_machine.travel(NOW + 30 * MINUTE + GRACE, tick=False):
        assert close_expired_attempts() == 0
    with time_machine.travel(NOW + 30 * MINUTE + GRACE + SECOND, tick=False):
        assert close_expired_attempts() == 1
    assert fresh(mine).state == AttemptState.SUBMITTED


def test_extra_time_given_during_an_attempt_moves_its_deadline_and_taking_it_away_moves_it_back(
    make_assignment: MakeAssignment, classroom: Classroom, teacher: User, student: User
) -> None:
    assignment = make_assignment(time_limit_minutes=20)
    attempt = start(assignment, student, NOW)

    student_set_extra_time(
        classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier="1.25"
    )
    assert fresh(attempt).deadline == NOW + 25 * MINUTE + GRACE

    student_set_extra_time(classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier=1)
    assert fresh(attempt).deadline == NOW + 20 * MINUTE + GRACE


def test_extra_time_never_moves_a_due_date_that_refuses_late_work(
    make_assignment: MakeAssignment, classroom: Classroom, teacher: User, student: User
) -> None:
    # Ten minutes before the due date, a 20-minute limit is cut short by the due date, extra time or not.
    assignment = make_assignment(time_limit_minutes=20, due_at=NOW + 10 * MINUTE)
    student_set_extra_time(classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier=2)

    attempt = start(assignment, student, NOW)

    assert attempt.deadline == NOW + 10 * MINUTE + GRACE


@pytest.mark.parametrize("bad", ["0.5", "0.99", "4.01", "5", "1.333", "NaN", "Infinity", "", "one"])
def test_extra_time_out_of_range_is_refused_and_changes_nothing(
    classroom: Classroom, teacher: User, student: User, bad: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        student_set_extra_time(
            classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier=bad
        )

    assert refused.value.field == "time_multiplier"
    assert Enrollment.objects.get(classroom=classroom, student=student).time_multiplier == 1


def test_only_a_teacher_of_the_class_sets_extra_time_and_not_in_an_archived_class(
    classroom: Classroom, teacher: User, student: User, make_user: MakeUser
) -> None:
    stranger = make_user("stranger", teacher=True)
    with pytest.raises(NotAllowed):
        student_set_extra_time(
            classroom=classroom, teacher=stranger, student_id=student.pk, time_multiplier=2
        )
    with pytest.raises(NotAllowed):
        student_set_extra_time(
            classroom=classroom, teacher=teacher, student_id=stranger.pk, time_multiplier=2
        )

    classroom_archive(classroom=classroom, teacher=teacher)
    with pytest.raises(ClassroomArchived):
        student_set_extra_time(classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier=2)
    assert Enrollment.objects.get(classroom=classroom, student=student).time_multiplier == 1


# ----------------------------------------------------------------------------------------------------
# Extensions of one assignment


def test_an_extension_lets_one_student_start_after_the_class_due_date_until_their_own(
    make_assignment: MakeAssignment, teacher: User, student: User, classmate: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.REFUSE)
    own_due = DUE + dt.timedelta(days=2)
    extension_grant(assignment=assignment, teacher=teacher, student_id=student.pk, due_at=own_due)

    with time_machine.travel(DUE + SECOND, tick=False), pytest.raises(AssignmentNotOpen):
        assignment_attempt_start(assignment=assignment, student=classmate)
    with time_machine.travel(own_due + SECOND, tick=False), pytest.raises(AssignmentNotOpen):
        assignment_attempt_start(assignment=assignment, student=student)
    with time_machine.travel(own_due, tick=False):
        attempt = assignment_attempt_start(assignment=assignment, student=student)

    assert attempt.deadline == own_due + GRACE
    assert not attempt.is_late


def test_an_extension_given_during_an_attempt_moves_its_deadline_and_withdrawing_moves_it_back(
    make_assignment: MakeAssignment, teacher: User, student: User
) -> None:
    assignment = make_assignment(
        late_policy=LatePolicy.REFUSE, time_limit_minutes=30, due_at=NOW + 10 * MINUTE
    )
    attempt = start(assignment, student, NOW)
    assert attempt.deadline == NOW + 10 * MINUTE + GRACE

    extension_grant(
        assignment=assignment,
        teacher=teacher,
        student_id=student.pk,
        due_at=NOW + 2 * 60 * MINUTE,
        extra_minutes=15,
    )
    assert fresh(attempt).deadline == NOW + 45 * MINUTE + GRACE  # 30 + 15, well before the new due date
    with time_machine.travel(NOW + 45 * MINUTE + GRACE, tick=False):
        assert close_expired_attempts() == 0

    assert extension_withdraw(assignment=assignment, teacher=teacher, student_id=student.pk)
    assert fresh(attempt).deadline == NOW + 10 * MINUTE + GRACE
    assert not Extension.objects.exists()


def test_work_handed_in_by_the_extended_due_date_is_not_late_and_after_it_is(
    make_assignment: MakeAssignment, teacher: User, student: User, classmate: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT, attempts_allowed=2)
    own_due = DUE + dt.timedelta(hours=3)
    extension_grant(assignment=assignment, teacher=teacher, student_id=student.pk, due_at=own_due)

    first = start(assignment, student, NOW)
    attempt_submit(learner=student, attempt=first, now=own_due)
    second = start(assignment, student, own_due + SECOND)
    attempt_submit(learner=student, attempt=second, now=own_due + 2 * SECOND)
    theirs = start(assignment, classmate, NOW)
    attempt_submit(learner=classmate, attempt=theirs, now=DUE + SECOND)

    assert not fresh(first).is_late
    assert fresh(second).is_late
    assert fresh(theirs).is_late
    book = gradebook(assignment.classroom)
    assert book.cell(classmate.pk, assignment.pk).status == CellStatus.LATE
    assert book.cell(student.pk, assignment.pk).extension is not None


def test_an_extension_granted_afterwards_clears_the_late_mark_of_work_handed_in_by_then(
    make_assignment: MakeAssignment, teacher: User, student: User
) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT)
    attempt = start(assignment, student, NOW)
    attempt_submit(learner=student, attempt=attempt, now=DUE + 30 * MINUTE)
    assert fresh(attempt).is_late
    assert gradebook(assignment.classroom).cell(student.pk, assignment.pk).status == CellStatus.LATE

    extension_grant(assignment=assignment, teacher=teacher, student_id=student.pk, due_at=DUE + 29 * MINUTE)
    assert fresh(attempt).is_late  # handed in after even the new date

    extension_grant(assignment=assignment, teacher=teacher, student_id=student.pk, due_at=DUE + 30 * MINUTE)
    assert not fresh(attempt).is_late
    assert gradebook(assignment.classroom).cell(student.pk, assignment.pk).status == CellStatus.SUBMITTED
    assert Extension.objects.count() == 1  # granting again replaces


def test_feedback_after_the_due_date_waits_for_the_students_own_due_date(
    make_assignment: MakeAssignment, teacher: User, student: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.AFTER_DUE, attempts_allowed=2)
    own_due = DUE + dt.timedelta(days=1)
    extension_grant(assignment=assignment, teacher=teacher, student_id=student.pk, due_at=own_due)
    attempt = start(assignment, student, NOW)
    attempt_submit(learner=student, attempt=attempt, now=NOW + MINUTE)
    terms = terms_for(assignment, student.pk)

    assert not policy.release_allows(assignment, submitted=True, now=DUE + SECOND, terms=terms)
    assert policy.release_allows(assignment, submitted=True, now=own_due, terms=terms)
    # Self-study of the lesson (which shows every key) stays held until then too.
    assert assignment.lesson_id in self_study_holds(student, now=DUE + SECOND)
    assert assignment.lesson_id not in self_study_holds(student, now=own_due + SECOND)


@pytest.mark.parametrize(
    ("due_shift", "minutes", "field"),
    [
        (dt.timedelta(0), 0, "due_at"),  # not after the class's due date
        (-dt.timedelta(hours=1), 0, "due_at"),
        (None, 0, "due_at"),  # nothing at all
        (None, 24 * 60 + 1, "extra_minutes"),
        (None, -1, "extra_minutes"),
    ],
)
def test_a_bad_extension_is_refused_and_changes_nothing(
    make_assignment: MakeAssignment,
    teacher: User,
    student: User,
    due_shift: dt.timedelta | None,
    minutes: int,
    field: str,
) -> None:
    assignment = make_assignment(time_limit_minutes=20)
    attempt = start(assignment, student, NOW)

    with pytest.raises(InvalidInput) as refused:
        extension_grant(
            assignment=assignment,
            teacher=teacher,
            student_id=student.pk,
            due_at=None if due_shift is None else DUE + due_shift,
            extra_minutes=minutes,
        )

    assert refused.value.field == field
    assert not Extension.objects.exists()
    assert fresh(attempt).deadline == attempt.deadline


def test_extra_minutes_on_an_assignment_without_a_time_limit_are_refused(
    make_assignment: MakeAssignment, teacher: User, student: User
) -> None:
    assignment = make_assignment()
    with pytest.raises(InvalidInput) as refused:
        extension_grant(
            assignment=assignment, teacher=teacher, student_id=student.pk, due_at=None, extra_minutes=10
        )
    assert refused.value.field == "extra_minutes"


def test_only_a_teacher_of_the_class_grants_an_extension_and_not_in_an_archived_class(
    make_assignment: MakeAssignment, classroom: Classroom, teacher: User, student: User, make_user: MakeUser
) -> None:
    assignment = make_assignment()
    stranger = make_user("stranger", teacher=True)
    later = DUE + dt.timedelta(days=1)

    with pytest.raises(NotAllowed):
        extension_grant(assignment=assignment, teacher=stranger, student_id=student.pk, due_at=later)
    with pytest.raises(NotAllowed):
        extension_grant(assignment=assignment, teacher=teacher, student_id=stranger.pk, due_at=later)
    classroom_archive(classroom=classroom, teacher=teacher)
    with pytest.raises(ClassroomArchived):
        extension_grant(assignment=assignment, teacher=teacher, student_id=student.pk, due_at=later)
    with pytest.raises(ClassroomArchived):
        extension_withdraw(assignment=assignment, teacher=teacher, student_id=student.pk)
    assert not Extension.objects.exists()


# ----------------------------------------------------------------------------------------------------
# The rules themselves, and the database's own guard


def test_student_terms_round_extra_time_up_and_never_move_a_due_date_earlier(
    make_assignment: MakeAssignment,
) -> None:
    assignment = make_assignment(time_limit_minutes=25)

    terms = policy.student_terms(
        assignment, time_multiplier=Decimal("1.33"), extra_minutes=5, extended_due_at=DUE - MINUTE
    )

    assert terms.time_limit_minutes == 39  # ceil(33.25) + 5
    assert terms.due_at == DUE and not terms.extended and terms.more_time
    assert policy.student_terms(assignment) == policy.StudentTerms(DUE, 25)


def test_the_database_refuses_extra_time_outside_1_to_4_and_an_empty_extension(
    make_assignment: MakeAssignment, classroom: Classroom, student: User, teacher: User
) -> None:
    enrollment = Enrollment.objects.get(classroom=classroom, student=student)
    for bad in (Decimal("0.50"), Decimal("4.01")):
        enrollment.time_multiplier = bad
        with pytest.raises(IntegrityError), transaction.atomic():
            enrollment.save()
    assignment: Assignment = make_assignment()
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(assignment=assignment, student=student, granted_at=OPENS)
