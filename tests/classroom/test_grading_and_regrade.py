"""Teacher grading of open responses (criterion by criterion, versioned against lost updates) and the
explicit regrade of an assignment after a corrected answer key."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from classroom_support import MINUTE, NOW, MakeAssignment, MakeUser, fresh, take
from django.contrib.auth.models import User
from django.forms.models import model_to_dict

from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    FeedbackRelease,
    Lesson,
    Regrade,
    RegradeChange,
    Response,
)
from lessons.selectors.classroom import grading_queue
from lessons.services import attempt_submit, lesson_import, response_save
from lessons.services.classroom import (
    GradingConflict,
    assignment_regrade,
    classroom_add_coteacher,
    classroom_join,
    response_grade,
)
from lessons.services.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

GRADED_AT = NOW + dt.timedelta(hours=2)
OPEN_ANSWER = "The requests rest on the Washington Post citing documents nobody has published."


@pytest.fixture
def submitted(make_assignment: MakeAssignment, student: User) -> Attempt:
    """A submitted attempt: q01 and q04 right (1 point each), the open response q22 waiting for a grade."""
    attempt = take(make_assignment(), student, {"q01": "a", "q04": "b", "q22": OPEN_ANSWER})
    assert attempt.earned == Decimal(2)
    return attempt


@pytest.fixture
def open_response(submitted: Attempt) -> Response:
    response = Response.objects.get(attempt=submitted, question_key="q22")
    assert (response.needs_teacher, response.earned, response.version) == (True, None, 0)
    return response


def snapshot(response: Response) -> dict[str, Any]:
    return model_to_dict(Response.objects.get(pk=response.pk))


# --- response_grade ---------------------------------------------------------------------------------------


def test_a_grade_scores_each_criterion_and_updates_the_attempt(
    open_response: Response, submitted: Attempt, teacher: User
) -> None:
    graded = response_grade(
        response=open_response,
        by=teacher,
        criterion_scores={"r1": 2, "r2": "1", "r3": 0},
        comment="  Name the documents.  ",
        expected_version=0,
        now=GRADED_AT,
    )

    row = Response.objects.get(pk=open_response.pk)
    assert row.criterion_scores == {"r1": 2, "r2": 1, "r3": 0}
    assert row.earned == Decimal(3)
    assert row.teacher_comment == "Name the documents."
    assert (row.graded_by, row.graded_at, row.version) == (teacher, GRADED_AT, 1)
    assert graded.version == 1
    assert row.answer == OPEN_ANSWER
    assert fresh(submitted).earned == Decimal(5)


def test_a_second_grade_with_the_current_version_replaces_the_first(
    open_response: Response, submitted: Attempt, teacher: User, make_user: MakeUser
) -> None:
    colleague = make_user("colleague", teacher=True)
    classroom_add_coteacher(teacher=teacher, classroom=submitted.assignment.classroom, username="colleague")
    response_grade(
        response=open_response,
        by=teacher,
        criterion_scores={"r1": 2, "r2": 1, "r3": 0},
        comment="",
        expected_version=0,
        now=GRADED_AT,
    )

    response_grade(
        response=open_response,
        by=colleague,
        criterion_scores={"r1": 2, "r2": 2, "r3": 2},
        comment="Full marks.",
        expected_version=1,
        now=GRADED_AT + MINUTE,
    )

    row = Response.objects.get(pk=open_response.pk)
    assert (row.earned, row.version, row.graded_by, row.graded_at) == (
        Decimal(6),
        2,
        colleague,
        GRADED_AT + MINUTE,
    )
    assert fresh(submitted).earned == Decimal(8)


def test_a_grade_with_an_old_version_is_a_conflict_and_changes_nothing(
    open_response: Response, submitted: Attempt, teacher: User, make_user: MakeUser
) -> None:
    response_grade(
        response=open_response,
        by=teacher,
        criterion_scores={"r1": 1, "r2": 1, "r3": 1},
        comment="First.",
        expected_version=0,
        now=GRADED_AT,
    )
    colleague = make_user("colleague", teacher=True)
    classroom_add_coteacher(teacher=teacher, classroom=submitted.assignment.classroom, username="colleague")
    before = snapshot(open_response)

    with pytest.raises(GradingConflict):
        response_grade(
            response=open_response,
            by=colleague,
            criterion_scores={"r1": 0, "r2": 0, "r3": 0},
            comment="Second.",
            expected_version=0,
            now=GRADED_AT + MINUTE,
        )

    assert snapshot(open_response) == before
    assert fresh(submitted).earned == Decimal(5)


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"r1": 3, "r2": 0, "r3": 0}, "criterion-r1"),
        ({"r1": 0, "r2": -1, "r3": 0}, "criterion-r2"),
        ({"r1": 1.5, "r2": 0, "r3": 0}, "criterion-r1"),
        ({"r1": "1.5", "r2": 0, "r3": 0}, "criterion-r1"),
        ({"r1": "two", "r2": 0, "r3": 0}, "criterion-r1"),
        ({"r1": None, "r2": 0, "r3": 0}, "criterion-r1"),
        ({"r1": True, "r2": 0, "r3": 0}, "criterion-r1"),
        ({"r1": 1, "r2": 1}, "criterion-r3"),
        ({"r1": 1, "r2": 1, "r3": 1, "r9": 1}, "criteria"),
    ],
    ids=[
        "above-max",
        "negative",
        "float",
        "decimal-text",
        "word",
        "none",
        "bool",
        "missing-criterion",
        "unknown-criterion",
    ],
)
def test_a_grade_that_does_not_fit_the_rubric_is_refused_and_changes_nothing(
    open_response: Response, submitted: Attempt, teacher: User, scores: dict[str, Any], field: str
) -> None:
    before = snapshot(open_response)

    with pytest.raises(InvalidInput) as refused:
        response_grade(
            response=open_response,
            by=teacher,
            criterion_scores=scores,
            comment="",
            expected_version=0,
            now=GRADED_AT,
        )

    assert refused.value.field == field
    assert snapshot(open_response) == before
    assert fresh(submitted).earned == Decimal(2)


def test_a_teacher_of_another_class_cannot_grade_and_nothing_changes(
    open_response: Response, make_user: MakeUser
) -> None:
    from lessons.services.classroom import teacher_make

    stranger = make_user("stranger")
    teacher_make(user=stranger)
    before = snapshot(open_response)

    with pytest.raises(NotAllowed):
        response_grade(
            response=open_response,
            by=stranger,
            criterion_scores={"r1": 2, "r2": 1, "r3": 0},
            comment="",
            expected_version=0,
        )

    assert snapshot(open_response) == before


def test_a_machine_scored_response_is_not_graded_by_a_teacher(submitted: Attempt, teacher: User) -> None:
    closed = Response.objects.get(attempt=submitted, question_key="q01")
    before = snapshot(closed)

    with pytest.raises(InvalidInput) as refused:
        response_grade(
            response=closed,
            by=teacher,
            criterion_scores={},
            comment="",
            expected_version=0,
            now=GRADED_AT,
        )

    assert refused.value.field == "response"
    assert snapshot(closed) == before
    assert fresh(submitted).earned == Decimal(2)


# --- assignment_regrade -----------------------------------------------------------------------------------


@pytest.fixture
def corrected_data(first_lesson_data: dict[str, Any]) -> dict[str, Any]:
    """The fixture lesson with the key of q01 corrected from a to b (everything else as it was)."""
    data = copy.deepcopy(first_lesson_data)
    (q01,) = [q for q in data["questions"] if q["id"] == "q01"]
    assert q01["answer"]["correct"] == "a"
    q01["answer"]["correct"] = "b"
    return data


def test_a_regrade_rescores_exactly_the_affected_attempts_and_records_the_changes(
    make_assignment: MakeAssignment,
    classroom: Classroom,
    first_lesson: Lesson,
    corrected_data: dict[str, Any],
    student: User,
    teacher: User,
    make_user: MakeUser,
) -> None:
    assignment = make_assignment()
    old_revision = first_lesson.published_revision
    assert old_revision is not None and classroom.join_code is not None
    others = {name: make_user(name) for name in ("second", "third", "fourth")}
    for user in others.values():
        classroom_join(student=user, code=classroom.join_code)
    # first: q01 right under the old key (1) + q04 (1) + q22 graded 3 → 5; under the new key 4.
    first = take(assignment, student, {"q01": "a", "q04": "b", "q22": OPEN_ANSWER})
    q22 = Response.objects.get(attempt=first, question_key="q22")
    response_grade(
        response=q22,
        by=teacher,
        criterion_scores={"r1": 2, "r2": 1, "r3": 0},
        comment="Good.",
        expected_version=0,
        now=GRADED_AT,
    )
    # second: q01 wrong under the old key, right under the new one: 1 → 2.
    second = take(assignment, others["second"], {"q01": "b", "q04": "b"})
    # third: q01 not answered: 1 either way.
    third = take(assignment, others["third"], {"q04": "b", "q05": True})
    # fourth: still working, so not regraded.
    fourth = take(assignment, others["fourth"], {"q01": "a"}, submit=False)
    assert [fresh(a).earned for a in (first, second, third, fourth)] == [5, 1, 2, None]
    q22_before = snapshot(q22)

    new_revision = lesson_import(data=corrected_data, replace=True).published_revision
    assert new_revision is not None and new_revision.pk != old_revision.pk
    regrade = assignment_regrade(assignment=assignment, by=teacher, note="q01 key fixed", now=GRADED_AT)

    stored = Regrade.objects.get()
    assert stored.pk == regrade.pk
    assert (stored.assignment_id, stored.by, stored.at, stored.revision, stored.note) == (
        assignment.pk,
        teacher,
        GRADED_AT,
        new_revision,
        "q01 key fixed",
    )
    assert {(c.attempt_id, c.old_earned, c.new_earned) for c in RegradeChange.objects.all()} == {
        (first.pk, Decimal(5), Decimal(4)),
        (second.pk, Decimal(1), Decimal(2)),
    }
    assert [fresh(a).earned for a in (first, second, third, fourth)] == [4, 2, 2, None]
    assert fresh(fourth).state == AttemptState.OPEN
    assert snapshot(q22) == q22_before
    assert Response.objects.get(attempt=first, question_key="q01").correct is False
    assert Response.objects.get(attempt=second, question_key="q01").correct is True
    assert Assignment.objects.get(pk=assignment.pk).revision == new_revision
    assert assignment.revision == new_revision
    for attempt in (first, second, third):
        assert fresh(attempt).graded_revision == new_revision
        assert fresh(attempt).revision == old_revision
    assert fresh(fourth).graded_revision is None


def test_after_a_regrade_teacher_grading_and_new_attempts_use_the_new_revision(
    make_assignment: MakeAssignment,
    classroom: Classroom,
    corrected_data: dict[str, Any],
    student: User,
    teacher: User,
    make_user: MakeUser,
) -> None:
    assignment = make_assignment()
    first = take(assignment, student, {"q01": "a", "q22": OPEN_ANSWER})
    new_revision = lesson_import(data=corrected_data, replace=True).published_revision
    assignment_regrade(assignment=assignment, by=teacher, now=GRADED_AT)
    assert fresh(first).earned == Decimal(0)

    q22 = Response.objects.get(attempt=first, question_key="q22")
    response_grade(
        response=q22,
        by=teacher,
        criterion_scores={"r1": 2, "r2": 2, "r3": 1},
        comment="",
        expected_version=0,
        now=GRADED_AT + MINUTE,
    )
    assert fresh(first).earned == Decimal(5)

    newcomer = make_user("newcomer")
    assert classroom.join_code is not None
    classroom_join(student=newcomer, code=classroom.join_code)
    later = take(Assignment.objects.get(pk=assignment.pk), newcomer, {"q01": "b"})
    assert later.revision == new_revision
    assert later.earned == Decimal(1)


def test_a_regrade_that_changes_no_score_records_no_change(
    make_assignment: MakeAssignment, first_lesson_data: dict[str, Any], student: User, teacher: User
) -> None:
    assignment = make_assignment()
    attempt = take(assignment, student, {"q04": "b"})
    data = copy.deepcopy(first_lesson_data)
    data["questions"][0]["answer"]["explanation"] += " (Reworded.)"
    new_revision = lesson_import(data=data, replace=True).published_revision

    regrade = assignment_regrade(assignment=assignment, by=teacher, now=GRADED_AT)

    assert regrade.revision == new_revision
    assert RegradeChange.objects.count() == 0
    assert fresh(attempt).earned == Decimal(1)
    assert fresh(attempt).graded_revision == new_revision


@pytest.mark.parametrize("release", [FeedbackRelease.AFTER_SUBMIT, FeedbackRelease.IMMEDIATELY])
def test_an_attempt_open_during_a_regrade_moves_on_to_the_corrected_revision(
    make_assignment: MakeAssignment,
    corrected_data: dict[str, Any],
    student: User,
    teacher: User,
    release: str,
) -> None:
    assignment = make_assignment(feedback_release=release)
    # q04 b: right under both keys; q01 a: right under the old key, wrong under the corrected one.
    working = take(assignment, student, {"q04": "b"}, submit=False)
    new_revision = lesson_import(data=corrected_data, replace=True).published_revision
    assignment_regrade(assignment=assignment, by=teacher, now=GRADED_AT)
    assert RegradeChange.objects.count() == 0
    assert (fresh(working).revision, fresh(working).graded_revision) == (new_revision, None)
    saved = response_save(
        learner=working.learner, attempt=working, question_key="q01", answer="a", now=GRADED_AT + MINUTE
    )
    assert saved.response.correct is False  # what the student is told, with immediate feedback, too
    response_save(
        learner=working.learner, attempt=working, question_key="q05", answer=True, now=GRADED_AT + 2 * MINUTE
    )

    attempt_submit(learner=working.learner, attempt=working, now=GRADED_AT + 3 * MINUTE)

    submitted = fresh(working)
    assert (submitted.state, submitted.earned, submitted.possible) == (AttemptState.SUBMITTED, 2, 47)
    assert (submitted.revision, submitted.graded_revision) == (new_revision, None)
    scores = {r.question_key: (r.earned, r.correct) for r in Response.objects.filter(attempt=working)}
    assert scores == {"q01": (0, False), "q04": (1, True), "q05": (1, True)}


@pytest.fixture
def reshaped_data(first_lesson_data: dict[str, Any]) -> dict[str, Any]:
    """The fixture lesson with q04 (1 point + 1 for evidence) taken out and option c of q01 removed."""
    data = copy.deepcopy(first_lesson_data)
    data["questions"] = [q for q in data["questions"] if q["id"] != "q04"]
    (q01,) = [q for q in data["questions"] if q["id"] == "q01"]
    q01["options"] = [o for o in q01["options"] if o["id"] != "c"]
    q01["answer"]["option_feedback"] = {
        option: text for option, text in q01["answer"].get("option_feedback", {}).items() if option != "c"
    }
    return data


def test_a_regrade_after_a_question_and_an_option_were_taken_out(
    make_assignment: MakeAssignment,
    classroom: Classroom,
    reshaped_data: dict[str, Any],
    student: User,
    teacher: User,
    make_user: MakeUser,
) -> None:
    assignment = make_assignment()
    assert classroom.join_code is not None
    other = make_user("other")
    classroom_join(student=other, code=classroom.join_code)
    # student: q01 c (wrong, and c is taken out), q04 b (1), q05 (1) → 2; other: q01 a (1), q04 b (1) → 2.
    first = take(assignment, student, {"q01": "c", "q04": "b", "q05": True})
    second = take(assignment, other, {"q01": "a", "q04": "b"})
    assert (fresh(first).earned, fresh(second).earned) == (2, 2)

    lesson_import(data=reshaped_data, replace=True)
    assignment_regrade(assignment=assignment, by=teacher, now=GRADED_AT)

    assert {(c.attempt_id, c.old_earned, c.new_earned) for c in RegradeChange.objects.all()} == {
        (first.pk, Decimal(2), Decimal(1)),
        (second.pk, Decimal(2), Decimal(1)),
    }
    assert [(fresh(a).earned, fresh(a).possible) for a in (first, second)] == [(1, 45), (1, 45)]
    q01 = Response.objects.get(attempt=first, question_key="q01")
    assert (q01.answer, q01.earned, q01.possible, q01.correct) == ("c", 0, 2, False)
    q04 = Response.objects.get(attempt=first, question_key="q04")
    assert (q04.answer, q04.earned, q04.possible, q04.needs_teacher) == ("b", 0, 0, False)


def regrade_with(data: dict[str, Any], attempt: Attempt, teacher: User, minutes: int = 1) -> None:
    lesson_import(data=data, replace=True)
    assert attempt.assignment is not None
    assignment_regrade(assignment=attempt.assignment, by=teacher, now=GRADED_AT + minutes * MINUTE)


def q22_of(data: dict[str, Any]) -> dict[str, Any]:
    (q22,) = [q for q in data["questions"] if q["id"] == "q22"]
    return q22


@pytest.fixture
def teacher_graded(submitted: Attempt, open_response: Response, teacher: User) -> Response:
    """q22 graded r1 2, r2 0, r3 2 (of 2 each): 4; the attempt 2 + 4."""
    response_grade(
        response=open_response,
        by=teacher,
        criterion_scores={"r1": 2, "r2": 0, "r3": 2},
        comment="",
        expected_version=0,
        now=GRADED_AT,
    )
    assert fresh(submitted).earned == Decimal(6)
    return open_response


def test_a_regrade_sums_a_teacher_grade_again_over_the_criteria_that_remain(
    submitted: Attempt, teacher_graded: Response, first_lesson_data: dict[str, Any], teacher: User
) -> None:
    data = copy.deepcopy(first_lesson_data)
    q22 = q22_of(data)
    q22["answer"]["rubric"] = [c for c in q22["answer"]["rubric"] if c["id"] != "r3"]
    q22["points"] = sum(criterion["points"] for criterion in q22["answer"]["rubric"])

    regrade_with(data, submitted, teacher)

    graded = Response.objects.get(pk=teacher_graded.pk)
    assert (graded.earned, graded.possible, graded.needs_teacher) == (2, 4, True)  # r1 2 + r2 0
    assert fresh(submitted).earned == 2 + 2


def test_a_regrade_sends_an_answer_back_for_grading_when_its_rubric_gained_a_criterion(
    submitted: Attempt, teacher_graded: Response, first_lesson_data: dict[str, Any], teacher: User
) -> None:
    data = copy.deepcopy(first_lesson_data)
    q22 = q22_of(data)
    q22["answer"]["rubric"].append({"id": "r4", "criterion": "Names the outlet.", "points": 1})
    q22["points"] += 1

    regrade_with(data, submitted, teacher)

    graded = Response.objects.get(pk=teacher_graded.pk)
    assert (graded.earned, graded.needs_teacher) == (None, True)
    assert graded.criterion_scores == {"r1": 2, "r2": 0, "r3": 2}  # kept, for the teacher to finish
    assert submitted.assignment is not None
    assert [r.pk for r in grading_queue(submitted.assignment)] == [graded.pk]


def test_a_teacher_grade_survives_its_question_being_taken_out_and_put_back(
    submitted: Attempt, teacher_graded: Response, first_lesson_data: dict[str, Any], teacher: User
) -> None:
    without = copy.deepcopy(first_lesson_data)
    without["questions"] = [q for q in without["questions"] if q["id"] != "q22"]

    regrade_with(without, submitted, teacher)
    assert fresh(submitted).earned == 2
    regrade_with(first_lesson_data, submitted, teacher, minutes=2)

    assert Response.objects.get(pk=teacher_graded.pk).earned == 4
    assert fresh(submitted).earned == 2 + 4


def test_a_regrade_after_an_evidence_part_was_taken_out_keeps_the_answers_points(
    make_assignment: MakeAssignment, first_lesson_data: dict[str, Any], student: User, teacher: User
) -> None:
    attempt = take(make_assignment(), student, {}, submit=False)
    # With both its supporting sentences, q04 b earns 1 + 1 for the evidence part.
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q04",
        answer="b",
        evidence=["p1s3", "p2s4"],
        now=NOW + MINUTE,
    )
    attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW + 2 * MINUTE)
    assert fresh(attempt).earned == 2
    data = copy.deepcopy(first_lesson_data)
    (q04,) = [q for q in data["questions"] if q["id"] == "q04"]
    q04["evidence_part"] = 0

    regrade_with(data, attempt, teacher)

    q04_response = Response.objects.get(attempt=attempt, question_key="q04")
    assert (q04_response.earned, q04_response.possible, q04_response.correct) == (1, 1, True)
    assert (fresh(attempt).earned, fresh(attempt).possible) == (1, 46)


def test_a_regrade_takes_the_same_number_of_queries_for_two_and_for_six_attempts(
    make_assignment: MakeAssignment,
    classroom: Classroom,
    first_lesson_data: dict[str, Any],
    corrected_data: dict[str, Any],
    teacher: User,
    make_user: MakeUser,
    assert_max_data_queries: Callable[[int], Any],
) -> None:
    assignment = make_assignment()
    assert classroom.join_code is not None

    def students_take(names: list[str]) -> None:
        for name in names:
            user = make_user(name)
            classroom_join(student=user, code=classroom.join_code)
            take(assignment, user, {"q01": "a", "q04": "b", "q22": OPEN_ANSWER})

    def regrade_queries() -> int:
        with assert_max_data_queries(10) as measured:
            assignment_regrade(assignment=assignment, by=teacher, now=GRADED_AT)
        return measured.count

    students_take(["s1", "s2"])
    lesson_import(data=corrected_data, replace=True)
    with_two = regrade_queries()
    students_take(["s3", "s4", "s5", "s6"])
    lesson_import(data=first_lesson_data, replace=True)
    with_six = regrade_queries()

    assert with_two == with_six
    assert RegradeChange.objects.count() == 2 + 6
