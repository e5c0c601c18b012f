"""Taking a student out of a class: the attempts are kept but count nowhere until the student joins again,
and an attempt in progress can no longer change (except the deadline's automatic submission)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from classroom_support import DUE, GRACE, MINUTE, NOW, MakeAssignment, MakeUser, fresh, take
from django.contrib.auth.models import User

from lessons.models import AttemptState, Classroom, Enrollment, Response
from lessons.selectors.classroom import gradebook, grading_queue, item_analysis
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import (
    classroom_archive,
    classroom_join,
    classroom_remove_student,
    close_expired_attempts,
)
from lessons.services.errors import NotAllowed

pytestmark = pytest.mark.django_db

OPEN_ANSWER = "The Washington Post cites documents that nobody has published."


def test_a_removed_student_leaves_the_roster_and_every_result_but_their_attempts_are_kept(
    make_assignment: MakeAssignment, classroom: Classroom, student: User, make_user: MakeUser, teacher: User
) -> None:
    assignment = make_assignment()
    assert classroom.join_code is not None
    stays = make_user("stays")
    classroom_join(student=stays, code=classroom.join_code)
    gone = take(assignment, student, {"q01": "a", "q04": "b", "q22": OPEN_ANSWER})  # 2 points
    kept = take(assignment, stays, {"q01": "b", "q05": True, "q22": OPEN_ANSWER})  # 1 point

    removed = classroom_remove_student(teacher=teacher, classroom=classroom, student_id=student.pk)

    assert removed == student
    assert not Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert fresh(gone).earned == Decimal(2)  # kept
    assert [s.username for s in gradebook(classroom).students] == ["stays"]
    analysis = item_analysis(assignment)
    assert analysis.attempts == 1
    q01 = next(q for q in analysis.questions if q.key == "q01")
    assert q01.responses == 1
    assert [count for _option, count in q01.option_counts] == [0, 1, 0, 0]  # only b, the one who stays
    assert [r.attempt_id for r in grading_queue(assignment)] == [kept.pk]

    classroom_join(student=student, code=classroom.join_code)

    assert item_analysis(assignment).attempts == 2
    assert sorted(r.attempt_id for r in grading_queue(assignment)) == sorted([gone.pk, kept.pk])
    assert gradebook(classroom).cell(student.pk, assignment.pk).earned == Decimal(2)


def test_removing_someone_not_in_the_class_is_refused(
    classroom: Classroom, make_user: MakeUser, teacher: User
) -> None:
    stranger = make_user("stranger")
    before = list(Enrollment.objects.values_list("pk", flat=True))

    for student_id in (stranger.pk, teacher.pk, 10_000):
        with pytest.raises(NotAllowed):
            classroom_remove_student(teacher=teacher, classroom=classroom, student_id=student_id)

    assert list(Enrollment.objects.values_list("pk", flat=True)) == before


def test_an_attempt_in_progress_cannot_change_once_its_student_is_removed(
    make_assignment: MakeAssignment, classroom: Classroom, student: User, teacher: User
) -> None:
    working = take(make_assignment(), student, {"q01": "a"}, submit=False)
    classroom_remove_student(teacher=teacher, classroom=classroom, student_id=student.pk)

    with pytest.raises(NotAllowed):
        response_save(
            learner=working.learner, attempt=working, question_key="q04", answer="b", now=NOW + 5 * MINUTE
        )
    with pytest.raises(NotAllowed):
        response_save(
            learner=working.learner, attempt=working, question_key="q01", answer="b", now=NOW + 5 * MINUTE
        )
    with pytest.raises(NotAllowed):
        attempt_submit(learner=working.learner, attempt=working, now=NOW + 6 * MINUTE)

    assert list(Response.objects.filter(attempt=working).values_list("question_key", "answer")) == [
        ("q01", "a")
    ]
    assert fresh(working).state == AttemptState.OPEN
    # The deadline still closes it, with what was saved.
    assert close_expired_attempts(now=DUE + GRACE + MINUTE) == 1
    assert (fresh(working).state, fresh(working).earned) == (AttemptState.SUBMITTED, Decimal(1))


def test_an_attempt_in_progress_cannot_change_once_its_class_is_archived(
    make_assignment: MakeAssignment, classroom: Classroom, student: User, teacher: User
) -> None:
    working = take(make_assignment(), student, {"q01": "a"}, submit=False)
    classroom_archive(teacher=teacher, classroom=classroom)

    with pytest.raises(NotAllowed):
        response_save(
            learner=working.learner, attempt=working, question_key="q04", answer="b", now=NOW + 5 * MINUTE
        )

    assert Response.objects.filter(attempt=working).count() == 1
