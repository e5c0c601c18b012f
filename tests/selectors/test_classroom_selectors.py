"""The classroom selectors on a scripted class: gradebook values and statuses, the CSV rows, item analysis
(difficulty, point-biserial discrimination, option counts, median time, histogram, mastery by focus), a
student's report and the grading queue.

The class is built through the services, with `now=` (and a frozen clock for the start of an attempt, whose
`started_at` is stamped by the database layer), so every time and score below is known exactly. Expected
statistics are computed here independently, in Python, from the scripted answers.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User

from lessons.models import Assignment, Attempt, Classroom, Enrollment, LatePolicy, Lesson, Response
from lessons.selectors.classroom import (
    CellStatus,
    gradebook,
    gradebook_csv_rows,
    grading_queue,
    item_analysis,
    spreadsheet_safe,
    student_report,
)
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    classroom_join,
    response_grade,
    teacher_make,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
OPENS = T0 - dt.timedelta(days=1)
DUE = T0 + dt.timedelta(days=2)
POSSIBLE = Decimal(47)  # every question's points plus evidence parts in the first lesson


def user(username: str, first: str = "", last: str = "") -> User:
    return User.objects.create_user(username=username, password="pw-123456", first_name=first, last_name=last)


def start(assignment: Assignment, student: User, at: dt.datetime) -> Attempt:
    with time_machine.travel(at, tick=False):
        return assignment_attempt_start(assignment=assignment, student=student, now=at)


def answer(attempt: Attempt, key: str, given: Any, at: dt.datetime, evidence: Any = None) -> Response:
    return response_save(
        learner=attempt.learner, attempt=attempt, question_key=key, answer=given, evidence=evidence, now=at
    ).response


def submit(attempt: Attempt, at: dt.datetime) -> Attempt:
    return attempt_submit(learner=attempt.learner, attempt=attempt, now=at)


@dataclass
class ScriptedClass:
    teacher: User
    classroom: Classroom
    first: Assignment
    second: Assignment
    students: dict[str, User]
    attempts: dict[str, Attempt]


@pytest.fixture
def scripted(first_lesson: Lesson) -> ScriptedClass:
    """Five students, one in each status on the first assignment; Cat also takes the second twice."""
    teacher = user("teacher", "Tess", "Teacher")
    teacher_make(user=teacher)
    classroom = classroom_create(teacher=teacher, name="Current Affairs 9B")
    students = {
        "ana": user("ana", "Ana", "Alves"),
        "ben": user("ben", "Ben", "Brown"),
        "cat": user("cat", "Cat", "Cruz"),
        "dan": user("dan", "Dan", "Diaz"),
        "eve": user("eve", "Eve", "Evans"),
    }
    assert classroom.join_code is not None
    for student in students.values():
        classroom_join(student=student, code=classroom.join_code)
    first = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=OPENS,
        due_at=DUE,
        late_policy=LatePolicy.ACCEPT,
    )
    second = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=OPENS,
        due_at=DUE + dt.timedelta(days=7),
        attempts_allowed=2,
    )
    attempts: dict[str, Attempt] = {}
    # Ben: in progress.
    attempts["ben"] = start(first, students["ben"], T0)
    answer(attempts["ben"], "q01", "a", T0 + dt.timedelta(seconds=20))
    # Cat: submitted on time, 2 + 1 + 2 = 5 points.
    cat = start(first, students["cat"], T0)
    answer(cat, "q01", "a", T0 + dt.timedelta(seconds=30), evidence=["p3s4"])
    answer(cat, "q05", True, T0 + dt.timedelta(seconds=40))
    answer(cat, "q06", ["missiles", "jet-repairs", "radar-repairs"], T0 + dt.timedelta(seconds=70))
    attempts["cat"] = submit(cat, T0 + dt.timedelta(minutes=5))
    # Dan: started and submitted after the due date (late work accepted), 1 point.
    dan = start(first, students["dan"], DUE + dt.timedelta(hours=1))
    answer(dan, "q05", True, DUE + dt.timedelta(hours=1, seconds=10))
    attempts["dan"] = submit(dan, DUE + dt.timedelta(hours=1, minutes=1))
    # Eve: an open answer waiting for a grade, and a wrong choice.
    eve = start(first, students["eve"], T0)
    answer(eve, "q01", "b", T0 + dt.timedelta(seconds=15))
    answer(eve, "q22", "Nothing is confirmed: the Post cites documents.", T0 + dt.timedelta(seconds=200))
    attempts["eve"] = submit(eve, T0 + dt.timedelta(minutes=4))
    # Cat on the second assignment: 1 point, then 3 points (the better one counts).
    cat_first = start(second, students["cat"], T0 + dt.timedelta(days=1))
    answer(cat_first, "q05", True, T0 + dt.timedelta(days=1, seconds=5))
    attempts["cat-2a"] = submit(cat_first, T0 + dt.timedelta(days=1, minutes=1))
    cat_second = start(second, students["cat"], T0 + dt.timedelta(days=1, hours=1))
    answer(cat_second, "q05", True, T0 + dt.timedelta(days=1, hours=1, seconds=5))
    answer(
        cat_second,
        "q06",
        ["missiles", "jet-repairs", "radar-repairs"],
        T0 + dt.timedelta(days=1, hours=1, seconds=9),
    )
    attempts["cat-2b"] = submit(cat_second, T0 + dt.timedelta(days=1, hours=1, minutes=1))
    return ScriptedClass(teacher, classroom, first, second, students, attempts)


# ----------------------------------------------------------------------------------------------------
# Gradebook


def test_gradebook_lists_students_by_name_and_assignments_by_due_date(scripted: ScriptedClass) -> None:
    book = gradebook(scripted.classroom)

    assert [s.username for s in book.students] == ["ana", "ben", "cat", "dan", "eve"]
    assert [a.pk for a in book.assignments] == [scripted.first.pk, scripted.second.pk]


def test_gradebook_cells_have_exact_scores_and_statuses(scripted: ScriptedClass) -> None:
    book = gradebook(scripted.classroom)
    first = {s.username: cell for s, cell in ((s, book.cell(s.pk, scripted.first.pk)) for s in book.students)}

    summary = {
        name: (cell.status, cell.earned, cell.possible, cell.percent, cell.attempt_id, cell.attempts)
        for name, cell in first.items()
    }
    assert summary == {
        "ana": (CellStatus.NOT_STARTED, None, None, None, None, 0),
        "ben": (CellStatus.IN_PROGRESS, None, None, None, None, 1),
        "cat": (CellStatus.SUBMITTED, Decimal(5), POSSIBLE, 11, scripted.attempts["cat"].pk, 1),
        "dan": (CellStatus.LATE, Decimal(1), POSSIBLE, 2, scripted.attempts["dan"].pk, 1),
        "eve": (CellStatus.NEEDS_GRADING, Decimal(0), POSSIBLE, 0, scripted.attempts["eve"].pk, 1),
    }
    assert [cell.status_label for cell in first.values()] == [
        "Not started",
        "In progress",
        "Submitted",
        "Late",
        "Needs grading",
    ]


def test_gradebook_counts_the_best_of_several_attempts(scripted: ScriptedClass) -> None:
    cell = gradebook(scripted.classroom).cell(scripted.students["cat"].pk, scripted.second.pk)

    assert (cell.status, cell.earned, cell.attempt_id, cell.attempts) == (
        CellStatus.SUBMITTED,
        Decimal(3),
        scripted.attempts["cat-2b"].pk,
        2,
    )


def test_grading_the_open_answer_turns_needs_grading_into_submitted(scripted: ScriptedClass) -> None:
    response = Response.objects.get(attempt=scripted.attempts["eve"], question_key="q22")
    response_grade(
        response=response,
        by=scripted.teacher,
        criterion_scores={"r1": 2, "r2": 1, "r3": 0},
        comment="Good start.",
        expected_version=0,
    )

    cell = gradebook(scripted.classroom).cell(scripted.students["eve"].pk, scripted.first.pk)
    assert (cell.status, cell.earned, cell.percent) == (CellStatus.SUBMITTED, Decimal(3), 6)


def test_gradebook_takes_three_queries_whatever_the_class(
    scripted: ScriptedClass, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):
        book = gradebook(scripted.classroom)
        book.rows()
        [a.lesson.title for a in book.assignments]


def test_csv_rows_are_exact_and_neutralise_formulas(scripted: ScriptedClass, first_lesson: Lesson) -> None:
    mallory = User.objects.create_user(username="@mallory", first_name="=cmd()", last_name="+1")
    Enrollment.objects.create(classroom=scripted.classroom, student=mallory)

    rows = gradebook_csv_rows(gradebook(scripted.classroom))

    title = first_lesson.title
    assert rows == [
        ["Username", "First name", "Last name",
         f"{title} (due 2025-03-05 09:00 UTC)", f"Status: {title}",
         f"{title} (due 2025-03-12 09:00 UTC)", f"Status: {title}"],
        ["'@mallory", "'=cmd()", "'+1", "", "Not started", "", "Not started"],
        ["ana", "Ana", "Alves", "", "Not started", "", "Not started"],
        ["ben", "Ben", "Brown", "", "In progress", "", "Not started"],
        ["cat", "Cat", "Cruz", "5.00/47.00", "Submitted", "3.00/47.00", "Submitted"],
        ["dan", "Dan", "Diaz", "1.00/47.00", "Late", "", "Not started"],
        ["eve", "Eve", "Evans", "0.00/47.00", "Needs grading", "", "Not started"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Plain", "Plain"),
        ("a=b", "a=b"),
        (None, ""),
        (Decimal("1.50"), "1.50"),
    ],
)
def test_spreadsheet_safe(value: object, expected: str) -> None:
    assert spreadsheet_safe(value) == expected


# ----------------------------------------------------------------------------------------------------
# Student report and grading queue


def test_student_report_lists_every_assignment_with_its_attempts(scripted: ScriptedClass) -> None:
    student, rows = student_report(scripted.classroom, scripted.students["cat"].pk)

    assert student.username == "cat"
    assert [(a.pk, [t.number for t in attempts]) for a, attempts in rows] == [
        (scripted.first.pk, [1]),
        (scripted.second.pk, [1, 2]),
    ]


def test_student_report_of_someone_outside_the_class_is_none(scripted: ScriptedClass) -> None:
    # None is the view's 404 (tests/web/test_gradebook_pages.py)
    assert student_report(scripted.classroom, scripted.teacher.pk) is None


def test_grading_queue_lists_open_answers_of_submitted_attempts(scripted: ScriptedClass) -> None:
    # Ben's attempt is still open: his open answer is not in the queue until he submits.
    answer(scripted.attempts["ben"], "q22", "Draft", T0 + dt.timedelta(seconds=50))

    queue = list(grading_queue(scripted.first))

    assert [(r.attempt.learner.username, r.question_key) for r in queue] == [("eve", "q22")]


# ----------------------------------------------------------------------------------------------------
# Item analysis


# Per student: the minute they start at, then (seconds after start, question, answer, evidence, earned).
SCRIPT: dict[str, tuple[int, list[tuple[int, str, Any, Any, Decimal]]]] = {
    "s1": (0, [
        (30, "q01", "a", ["p3s4"], Decimal(2)),
        (50, "q05", True, None, Decimal(1)),
        (110, "q06", ["missiles", "jet-repairs", "radar-repairs"], None, Decimal(2)),
        (400, "q22", "The Post cites documents; nothing is confirmed.", None, Decimal(5)),
    ]),
    "s2": (10, [
        (20, "q01", "a", None, Decimal(1)),
        (45, "q05", True, None, Decimal(1)),
        (85, "q06", ["missiles", "jet-repairs"], None, Decimal("1.33")),
        (300, "q22", "They are sending weapons.", None, Decimal(2)),
    ]),
    "s3": (20, [
        (60, "q01", "b", None, Decimal(0)),
        (70, "q05", False, None, Decimal(0)),
        (100, "q06", ["drones"], None, Decimal(0)),
    ]),
    "s4": (30, [
        (40, "q01", "a", ["p3s4"], Decimal(2)),
        (55, "q05", True, None, Decimal(1)),
        (75, "q06", ["missiles", "jet-repairs", "radar-repairs", "drones"], None, Decimal("1.33")),
        (600, "q22", "Pending: not graded yet.", None, Decimal(0)),  # stays ungraded
    ]),
    "s5": (40, [
        (90, "q01", "c", None, Decimal(0)),
        (95, "q05", False, None, Decimal(0)),
        (160, "q06", ["missiles"], None, Decimal("0.67")),
    ]),
}  # fmt: skip
GRADES = {"s1": {"r1": 2, "r2": 2, "r3": 1}, "s2": {"r1": 1, "r2": 1, "r3": 0}}
POSSIBLE_BY_QUESTION = {"q01": 2, "q05": 1, "q06": 2, "q22": 6}


@dataclass
class AnalysedClass:
    assignment: Assignment
    totals: dict[str, Decimal]


@pytest.fixture
def analysed(first_lesson: Lesson) -> AnalysedClass:
    teacher = user("teacher2", "Tom", "Teacher")
    teacher_make(user=teacher)
    classroom = classroom_create(teacher=teacher, name="Analysis class")
    assignment = assignment_create(
        classroom=classroom, lesson=first_lesson, by=teacher, opens_at=OPENS, due_at=DUE
    )
    totals: dict[str, Decimal] = {}
    for name, (minute, steps) in SCRIPT.items():
        student = user(name)
        Enrollment.objects.create(classroom=classroom, student=student)
        begin = T0 + dt.timedelta(minutes=minute)
        attempt = start(assignment, student, begin)
        for seconds, key, given, evidence, _earned in steps:
            answer(attempt, key, given, begin + dt.timedelta(seconds=seconds), evidence)
        submit(attempt, begin + dt.timedelta(minutes=15))
        if name in GRADES:
            response = Response.objects.get(attempt=attempt, question_key="q22")
            response_grade(
                response=response,
                by=teacher,
                criterion_scores=GRADES[name],
                comment="",
                expected_version=0,
            )
        attempt.refresh_from_db()
        totals[name] = attempt.earned or Decimal(0)
    # An attempt still open is left out of every statistic.
    late_student = user("s6")
    Enrollment.objects.create(classroom=classroom, student=late_student)
    open_attempt = start(assignment, late_student, T0 + dt.timedelta(minutes=50))
    answer(open_attempt, "q01", "d", T0 + dt.timedelta(minutes=50, seconds=5))
    return AnalysedClass(assignment, totals)


def scored_rows(key: str) -> list[tuple[str, Decimal]]:
    """(student, earned) of every scored response to the question; the ungraded open answer is left out."""
    return [
        (name, earned)
        for name, (_minute, steps) in SCRIPT.items()
        for _s, k, _g, _e, earned in steps
        if k == key and not (key == "q22" and name not in GRADES)
    ]


def test_scripted_totals_are_what_the_script_says(analysed: AnalysedClass) -> None:
    assert analysed.totals == {
        "s1": Decimal(10),
        "s2": Decimal("5.33"),
        "s3": Decimal(0),
        "s4": Decimal("4.33"),
        "s5": Decimal("0.67"),
    }


def test_item_analysis_difficulty_and_response_counts(analysed: AnalysedClass) -> None:
    analysis = item_analysis(analysed.assignment)
    stats = {q.key: q for q in analysis.questions}

    assert analysis.attempts == 5
    assert len(analysis.questions) == 24
    assert {key: stats[key].responses for key in POSSIBLE_BY_QUESTION} == {
        "q01": 5,
        "q05": 5,
        "q06": 5,
        "q22": 3,
    }
    assert stats["q01"].difficulty == pytest.approx(5 / 10)
    assert stats["q05"].difficulty == pytest.approx(3 / 5)
    assert stats["q06"].difficulty == pytest.approx(5.33 / 10)
    assert stats["q22"].difficulty == pytest.approx(7 / 12)
    assert stats["q02"].responses == 0
    assert stats["q02"].difficulty is None
    assert stats["q02"].discrimination is None
    assert stats["q02"].median_seconds is None


@pytest.mark.parametrize("key", ["q01", "q05", "q06", "q22"])
def test_item_analysis_discrimination_is_the_point_biserial_against_the_rest(
    analysed: AnalysedClass, key: str
) -> None:
    rows = scored_rows(key)
    item = [float(earned) / POSSIBLE_BY_QUESTION[key] for _name, earned in rows]
    rest = [float(analysed.totals[name] - earned) for name, earned in rows]
    expected = statistics.correlation(item, rest)

    stats = {q.key: q for q in item_analysis(analysed.assignment).questions}

    assert stats[key].discrimination == pytest.approx(expected, abs=1e-9)


def test_item_analysis_discrimination_values_pinned(analysed: AnalysedClass) -> None:
    stats = {q.key: q for q in item_analysis(analysed.assignment).questions}

    assert round(stats["q01"].discrimination or 0, 4) == 0.7486
    assert stats["q22"].discrimination == pytest.approx(1.0)  # two graded answers: a straight line


def test_item_analysis_median_time_to_answer(analysed: AnalysedClass) -> None:
    expected: dict[str, float] = {}
    gaps: dict[str, list[int]] = {}
    for _minute, steps in SCRIPT.values():
        previous = 0
        for seconds, key, *_rest in steps:
            gaps.setdefault(key, []).append(seconds - previous)
            previous = seconds
    expected = {key: statistics.median(values) for key, values in gaps.items()}
    assert expected == {"q01": 40, "q05": 15, "q06": 40, "q22": 290}

    stats = {q.key: q for q in item_analysis(analysed.assignment).questions}

    for key, seconds in expected.items():
        assert stats[key].median_seconds == pytest.approx(seconds, abs=1e-3)


def test_item_analysis_option_counts_of_choice_questions(analysed: AnalysedClass) -> None:
    stats = {q.key: q for q in item_analysis(analysed.assignment).questions}

    assert [count for _text, count in stats["q01"].option_counts] == [3, 1, 1, 0]
    assert stats["q01"].option_counts[0][0] == "Venezuela’s Transport Minister"
    assert dict(stats["q06"].option_counts) == {
        "Missiles of an unspecified kind": 4,
        "Drones": 2,
        "Help repairing Su-30MK2 fighter jets": 3,
        "Help repairing radar systems it had bought": 2,
        "Radar detectors": 0,
    }
    assert stats["q05"].option_counts == []  # true/false and open questions list no options
    assert stats["q22"].option_counts == []


def test_item_analysis_histogram_and_focus_mastery(analysed: AnalysedClass) -> None:
    analysis = item_analysis(analysed.assignment)

    expected_buckets = [0] * 10
    for total in analysed.totals.values():
        expected_buckets[min(math.floor(total * 10 / POSSIBLE), 9)] += 1
    assert (
        [count for _label, count in analysis.histogram] == expected_buckets == [3, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    )
    assert [label for label, _count in analysis.histogram][:2] == ["0–10%", "10–20%"]
    assert analysis.histogram[-1][0] == "90–100%"

    mastery = {focus: share for focus, _label, share in analysis.focus_mastery}
    actor_earned = sum(float(e) for k in ("q01", "q06") for _n, e in scored_rows(k))
    assert mastery["actor"] == pytest.approx(actor_earned / (5 * 2 + 5 * 2))
    assert mastery["actor"] == pytest.approx(10.33 / 20)
    assert mastery["event"] == pytest.approx(3 / 5)  # q05, right for three of the five
    assert mastery["sourcing"] == pytest.approx(7 / 12)
    assert mastery["treaty"] is None


def test_item_analysis_takes_three_queries(analysed: AnalysedClass, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(3):
        item_analysis(analysed.assignment)
