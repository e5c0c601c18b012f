"""Rule 8: the queries a service or a read makes do not grow with the number of questions or students.

Counted are the statements that read or write data. The savepoints that `transaction.atomic` turns into
under a test's wrapping transaction (and SQLite's explicit BEGIN) are left out: in production on PostgreSQL
they are not statements of their own. The HTTP endpoint that saves an answer has a budget of 5: these 3
plus the session and the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from classroom_support import NOW, MakeAssignment, MakeUser
from django.contrib.auth.models import User

from lessons.models import Classroom, FeedbackRelease, Lesson, Response
from lessons.selectors.classroom import assignment_for_teacher, gradebook, item_analysis
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import assignment_attempt_start, classroom_join, response_grade

pytestmark = pytest.mark.django_db

SAVE_BUDGET = 3
SUBMIT_BUDGET = 4
GRADE_BUDGET = 6
READ_BUDGET = 3

AssertMax = Callable[[int], Any]


def started(
    make_assignment: MakeAssignment, lesson: Lesson, student: User, **rules: Any
) -> tuple[Any, list[dict[str, Any]]]:
    assignment = make_assignment(lesson=lesson, **rules)
    attempt = assignment_attempt_start(assignment=assignment, student=student, now=NOW)
    assert lesson.published_revision is not None
    return attempt, lesson.published_revision.content["questions"]


def test_saving_an_answer_takes_the_same_few_queries_at_10_and_40_questions(
    make_assignment: MakeAssignment,
    single_choice_lesson: Callable[[int], Lesson],
    student: User,
    assert_max_data_queries: AssertMax,
) -> None:
    measured: dict[int, tuple[int, int]] = {}
    for count in (10, 40):
        attempt, questions = started(
            make_assignment,
            single_choice_lesson(count),
            student,
            feedback_release=FeedbackRelease.AFTER_SUBMIT,
        )
        for question in questions[:-1]:
            response_save(
                learner=attempt.learner,
                attempt=attempt,
                question_key=question["id"],
                answer="d",
                sequence=1,
                now=NOW,
            )
        last = questions[-1]["id"]

        with assert_max_data_queries(SAVE_BUDGET) as new_answer:
            saved = response_save(
                learner=attempt.learner, attempt=attempt, question_key=last, answer="a", sequence=1, now=NOW
            )
        assert saved.created
        with assert_max_data_queries(SAVE_BUDGET) as changed_answer:
            saved = response_save(
                learner=attempt.learner, attempt=attempt, question_key=last, answer="b", sequence=2, now=NOW
            )
        assert not saved.created and saved.response.answer == "b"

        measured[count] = (new_answer.count, changed_answer.count)
        print(
            f"response_save at {count} questions: new {new_answer.count} ({new_answer.total} in all),"
            f" changed {changed_answer.count} ({changed_answer.total})"
        )
    assert measured[10] == measured[40]


def test_submitting_takes_the_same_few_queries_at_10_and_40_questions(
    make_assignment: MakeAssignment,
    single_choice_lesson: Callable[[int], Lesson],
    student: User,
    assert_max_data_queries: AssertMax,
) -> None:
    measured: dict[int, int] = {}
    for count in (10, 40):
        attempt, questions = started(make_assignment, single_choice_lesson(count), student)
        for question in questions:
            response_save(
                learner=attempt.learner,
                attempt=attempt,
                question_key=question["id"],
                answer=question["answer"]["correct"],
                now=NOW,
            )

        with assert_max_data_queries(SUBMIT_BUDGET) as submit:
            submitted = attempt_submit(
                learner=attempt.learner, attempt=attempt, now=NOW + dt.timedelta(minutes=5)
            )

        assert submitted.earned == count
        measured[count] = submit.count
        print(f"attempt_submit at {count} questions: {submit.count} ({submit.total} in all)")
    assert measured[10] == measured[40]


def test_grading_an_open_response_takes_a_few_queries(
    make_assignment: MakeAssignment,
    first_lesson: Lesson,
    student: User,
    teacher: User,
    assert_max_data_queries: AssertMax,
) -> None:
    attempt, _questions = started(make_assignment, first_lesson, student)
    response_save(learner=attempt.learner, attempt=attempt, question_key="q01", answer="a", now=NOW)
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q22", answer="Unpublished documents.", now=NOW
    )
    attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)
    response = Response.objects.get(attempt=attempt, question_key="q22")

    with assert_max_data_queries(GRADE_BUDGET) as grade:
        response_grade(
            response=response,
            by=teacher,
            criterion_scores={"r1": 1, "r2": 1, "r3": 1},
            comment="",
            expected_version=0,
            now=NOW,
        )

    attempt.refresh_from_db()
    assert attempt.earned == 4
    print(f"response_grade: {grade.count} ({grade.total} in all)")


def add_students(classroom: Classroom, assignment: Any, make_user: MakeUser, names: range) -> None:
    """Students who join and submit an attempt with a few answers, and one who leaves it open."""
    assert classroom.join_code is not None
    for n in names:
        user = make_user(f"s{n:03d}")
        classroom_join(student=user, code=classroom.join_code)
        attempt = assignment_attempt_start(assignment=assignment, student=user, now=NOW)
        answers = {"q01": "abcd"[n % 4], "q06": ["missiles", "jet-repairs"], "q22": "Because."}
        for minute, (key, answer) in enumerate(answers.items(), start=1):
            response_save(
                learner=attempt.learner,
                attempt=attempt,
                question_key=key,
                answer=answer,
                now=NOW + dt.timedelta(minutes=minute),
            )
        if n % 5:
            attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW + dt.timedelta(minutes=10))


def test_gradebook_and_item_analysis_take_the_same_few_queries_at_10_and_40_students(
    make_assignment: MakeAssignment,
    classroom: Classroom,
    teacher: User,
    make_user: MakeUser,
    assert_max_data_queries: AssertMax,
) -> None:
    assignment = make_assignment()
    make_assignment(due_at=NOW + dt.timedelta(days=7))  # a second column nobody has started
    measured: dict[int, tuple[int, int]] = {}
    for total, names in ((10, range(1, 10)), (40, range(10, 40))):
        add_students(classroom, assignment, make_user, names)

        with assert_max_data_queries(READ_BUDGET) as book_queries:
            book = gradebook(classroom)
            rows = book.rows()
        assert len(rows) == total
        assert len(book.assignments) == 2

        for_teacher = assignment_for_teacher(teacher, assignment.pk)
        assert for_teacher is not None
        with assert_max_data_queries(READ_BUDGET) as analysis_queries:
            analysis = item_analysis(for_teacher)
        assert analysis.attempts == len([n for n in range(1, total) if n % 5])

        measured[total] = (book_queries.count, analysis_queries.count)
        print(f"at {total} students: gradebook {book_queries.count}, item_analysis {analysis_queries.count}")
    assert measured[10] == measured[40]
