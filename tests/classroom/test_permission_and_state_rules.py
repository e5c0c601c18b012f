"""Who may change a class or an assignment, and in what state, decided by the services themselves: a call
from a command, the admin or an API gets the same answer as the web pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from classroom_support import NOW, MakeAssignment, MakeUser, take
from django.contrib.auth.models import User

from lessons.models import Assignment, Attempt, Classroom, Enrollment, FeedbackRelease, Regrade, Response
from lessons.services.classroom import (
    ClassroomArchived,
    NothingToRelease,
    NotSubmittedYet,
    assignment_regrade,
    assignment_release_feedback,
    classroom_add_coteacher,
    classroom_archive,
    classroom_check_changeable,
    classroom_disable_code,
    classroom_remove_student,
    classroom_rotate_code,
    response_grade,
    students_bulk_add,
)
from lessons.services.errors import NotAllowed, ServiceError

pytestmark = pytest.mark.django_db

OPEN_ANSWER = "The requests rest on the Washington Post citing documents nobody has published."


@pytest.fixture
def stranger(make_user: MakeUser) -> User:
    """A teacher, but of other classes."""
    return make_user("stranger", teacher=True)


@pytest.fixture
def archived(classroom: Classroom, teacher: User) -> Classroom:
    """`classroom`, archived by its teacher."""
    return classroom_archive(classroom=classroom, teacher=teacher, now=NOW)


def class_state(classroom: Classroom) -> tuple[Any, ...]:
    fresh = Classroom.objects.get(pk=classroom.pk)
    roster = sorted(
        Enrollment.objects.filter(classroom=classroom).values_list("student__username", flat=True)
    )
    teachers = sorted(fresh.teachers.values_list("username", flat=True))
    return fresh.join_code, fresh.archived_at, roster, teachers


Change = Callable[[Classroom, User], object]

CHANGES: dict[str, Change] = {
    "rotate the code": lambda classroom, by: classroom_rotate_code(classroom=classroom, teacher=by),
    "switch the code off": lambda classroom, by: classroom_disable_code(classroom=classroom, teacher=by),
    "add a co-teacher": lambda classroom, by: classroom_add_coteacher(
        classroom=classroom, teacher=by, username="colleague"
    ),
    "remove a student": lambda classroom, by: classroom_remove_student(
        classroom=classroom, teacher=by, student_id=classroom.enrollments.get().student_id
    ),
    "add students": lambda classroom, by: students_bulk_add(
        classroom=classroom, teacher=by, csv_text="Ana,Lopez\n"
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_teacher_of_another_class_cannot_change_it(
    classroom: Classroom, stranger: User, make_user: MakeUser, change: Change
) -> None:
    make_user("colleague", teacher=True)
    before = class_state(classroom)

    with pytest.raises(NotAllowed):
        change(classroom, stranger)

    assert class_state(classroom) == before


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_an_archived_class_refuses_every_change(
    archived: Classroom, teacher: User, make_user: MakeUser, change: Change
) -> None:
    make_user("colleague", teacher=True)
    before = class_state(archived)

    with pytest.raises(ClassroomArchived) as refused:
        change(archived, teacher)

    assert refused.value.status == 409
    assert "archived" in refused.value.message
    assert class_state(archived) == before


def test_rotating_the_code_of_an_archived_class_is_refused(archived: Classroom, teacher: User) -> None:
    with pytest.raises(ClassroomArchived):
        classroom_rotate_code(classroom=archived, teacher=teacher)

    assert Classroom.objects.get(pk=archived.pk).join_code is None


def test_a_teacher_of_another_class_cannot_remove_a_student(
    classroom: Classroom, stranger: User, student: User
) -> None:
    with pytest.raises(NotAllowed):
        classroom_remove_student(classroom=classroom, teacher=stranger, student_id=student.pk)

    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()


def test_bulk_add_to_an_archived_class_is_refused_before_the_list_is_read(
    archived: Classroom, teacher: User
) -> None:
    # Even a list with bad rows: the class's state is the first answer, as on the page.
    with pytest.raises(ClassroomArchived):
        students_bulk_add(classroom=archived, teacher=teacher, csv_text="=cmd,x\nAna,Lopez\n")

    assert not User.objects.filter(last_name="Lopez").exists()


def test_assigning_to_an_archived_class_or_one_not_taught_is_refused(
    classroom: Classroom, stranger: User, teacher: User, make_assignment: MakeAssignment
) -> None:
    with pytest.raises(NotAllowed):
        make_assignment(by=stranger)
    classroom_archive(classroom=classroom, teacher=teacher, now=NOW)
    with pytest.raises(ClassroomArchived):
        make_assignment()

    assert not Assignment.objects.exists()


def test_the_check_a_form_page_asks_gives_the_services_answer(
    classroom: Classroom, teacher: User, stranger: User
) -> None:
    classroom_check_changeable(classroom=classroom, teacher=teacher)  # nothing to refuse
    with pytest.raises(NotAllowed):
        classroom_check_changeable(classroom=classroom, teacher=stranger)
    classroom_archive(classroom=classroom, teacher=teacher, now=NOW)
    with pytest.raises(ClassroomArchived):
        classroom_check_changeable(classroom=classroom, teacher=teacher)


def test_only_a_teacher_of_the_class_archives_it_and_twice_keeps_the_first_date(
    classroom: Classroom, teacher: User, stranger: User
) -> None:
    with pytest.raises(NotAllowed):
        classroom_archive(classroom=classroom, teacher=stranger, now=NOW)
    assert Classroom.objects.get(pk=classroom.pk).archived_at is None

    classroom_archive(classroom=classroom, teacher=teacher, now=NOW)
    classroom_archive(classroom=classroom, teacher=teacher, now=NOW + dt.timedelta(days=1))

    assert Classroom.objects.get(pk=classroom.pk).archived_at == NOW


# --- releasing feedback and regrading ---------------------------------------------------------------------


def test_releasing_feedback_by_a_teacher_of_another_class_is_refused(
    make_assignment: MakeAssignment, stranger: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.MANUAL)

    with pytest.raises(NotAllowed):
        assignment_release_feedback(assignment=assignment, teacher=stranger, now=NOW)

    assert Assignment.objects.get(pk=assignment.pk).released_at is None


def test_feedback_released_by_its_own_rule_is_not_released_by_hand(
    make_assignment: MakeAssignment, teacher: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.AFTER_DUE)

    with pytest.raises(NothingToRelease) as refused:
        assignment_release_feedback(assignment=assignment, teacher=teacher, now=NOW)

    assert "by its own rule" in refused.value.message
    assert Assignment.objects.get(pk=assignment.pk).released_at is None


def test_releasing_feedback_twice_keeps_the_first_release(
    make_assignment: MakeAssignment, teacher: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.MANUAL)
    assignment_release_feedback(assignment=assignment, teacher=teacher, now=NOW)

    with pytest.raises(NothingToRelease) as refused:
        assignment_release_feedback(assignment=assignment, teacher=teacher, now=NOW + dt.timedelta(hours=1))

    assert "already released" in refused.value.message
    assert Assignment.objects.get(pk=assignment.pk).released_at == NOW


def test_regrading_by_a_teacher_of_another_class_is_refused(
    make_assignment: MakeAssignment, student: User, stranger: User
) -> None:
    assignment = make_assignment()
    take(assignment, student, {"q01": "a"})

    with pytest.raises(NotAllowed):
        assignment_regrade(assignment=assignment, by=stranger, now=NOW)

    assert not Regrade.objects.exists()


def test_releasing_feedback_in_an_archived_class_is_refused(
    make_assignment: MakeAssignment, classroom: Classroom, teacher: User
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.MANUAL)
    classroom_archive(classroom=classroom, teacher=teacher, now=NOW)

    with pytest.raises(ClassroomArchived) as refused:
        assignment_release_feedback(assignment=assignment, teacher=teacher, now=NOW)

    assert refused.value.status == 409
    assert Assignment.objects.get(pk=assignment.pk).released_at is None


def test_regrading_in_an_archived_class_is_refused_and_scores_stay(
    make_assignment: MakeAssignment, classroom: Classroom, student: User, teacher: User
) -> None:
    assignment = make_assignment()
    attempt = take(assignment, student, {"q01": "a"})
    classroom_archive(classroom=classroom, teacher=teacher, now=NOW)

    with pytest.raises(ClassroomArchived) as refused:
        assignment_regrade(assignment=assignment, by=teacher, now=NOW)

    assert refused.value.status == 409
    assert not Regrade.objects.exists()
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.revision_id, Attempt.objects.get(pk=attempt.pk).earned) == (
        assignment.revision_id,
        attempt.earned,
    )


# --- grading ------------------------------------------------------------------------------------------------


def test_grading_an_open_attempt_is_refused(
    make_assignment: MakeAssignment, student: User, teacher: User
) -> None:
    attempt = take(make_assignment(), student, {"q22": OPEN_ANSWER}, submit=False)
    response = Response.objects.get(attempt=attempt, question_key="q22")

    with pytest.raises(NotSubmittedYet) as refused:
        response_grade(
            response=response, by=teacher, criterion_scores={}, comment="", expected_version=0, now=NOW
        )

    assert refused.value.status == 409
    fresh = Response.objects.get(pk=response.pk)
    assert (fresh.earned, fresh.graded_at, fresh.version) == (None, None, 0)


def test_every_refusal_is_a_service_error_the_views_map_to_a_status() -> None:
    assert issubclass(ClassroomArchived, ServiceError) and ClassroomArchived.status == 409
    assert issubclass(NothingToRelease, ServiceError) and NothingToRelease.status == 409
    assert issubclass(NotSubmittedYet, ServiceError) and NotSubmittedYet.status == 409
    assert NotAllowed.status == 404


def test_grading_in_an_archived_class_is_refused(
    make_assignment: MakeAssignment, classroom: Classroom, student: User, teacher: User
) -> None:
    attempt = take(make_assignment(), student, {"q22": OPEN_ANSWER})
    response = Response.objects.get(attempt=attempt, question_key="q22")
    classroom_archive(classroom=classroom, teacher=teacher, now=NOW)

    with pytest.raises(ClassroomArchived) as refused:
        response_grade(
            response=response,
            by=teacher,
            criterion_scores={"r1": 1, "r2": 1, "r3": 1},
            comment="",
            expected_version=0,
            now=NOW,
        )

    assert refused.value.status == 409
    fresh = Response.objects.get(pk=response.pk)
    assert (fresh.earned, fresh.graded_at, fresh.version) == (None, None, 0)
