"""The item analysis page: a table per question (difficulty, discrimination, median time), option counts of
choice questions, mastery by focus and a score histogram, each chart an inline SVG with a title and a
description beside a table of the same numbers; a fixed number of queries whatever the class size.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import statistics
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories.people import person as make_user

from lessons.models import Assignment, Attempt, AttemptState, Enrollment, Lesson, Response
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    response_grade,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)

# Per student: (seconds after start, question, answer, evidence). Earned: q01 2/1/0, q05 1/1/0, q06 2/1.33/0.
SCRIPT: dict[str, list[tuple[int, str, Any, Any]]] = {
    "amy": [(30, "q01", "a", ["p3s4"]), (50, "q05", True, None),
            (125, "q06", ["missiles", "jet-repairs", "radar-repairs"], None)],
    "bob": [(20, "q01", "a", None), (45, "q05", True, None), (90, "q06", ["missiles", "jet-repairs"], None)],
    "cyd": [(75, "q01", "b", None), (80, "q05", False, None), (100, "q06", ["drones"], None)],
}  # fmt: skip
TOTALS = {"amy": 5.0, "bob": 3.33, "cyd": 0.0}


@pytest.fixture
def teacher() -> User:
    return make_user("tess", teacher=True)


@pytest.fixture
def assignment(teacher: User, first_lesson: Lesson) -> Assignment:
    classroom = classroom_create(teacher=teacher, name="Analysis 9B")
    given = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=T0 - dt.timedelta(days=1),
        due_at=T0 + dt.timedelta(days=1),
    )
    for name, steps in SCRIPT.items():
        student = make_user(name)
        Enrollment.objects.create(classroom=classroom, student=student)
        with time_machine.travel(T0, tick=False):
            attempt = assignment_attempt_start(assignment=given, student=student, now=T0)
        for seconds, key, answer, evidence in steps:
            response_save(
                learner=attempt.learner,
                attempt=attempt,
                question_key=key,
                answer=answer,
                evidence=evidence,
                now=T0 + dt.timedelta(seconds=seconds),
            )
        attempt_submit(learner=attempt.learner, attempt=attempt, now=T0 + dt.timedelta(minutes=10))
    return given


def url_of(assignment: Assignment) -> str:
    return reverse("lessons:item_analysis", args=[assignment.pk])


def text_of(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row_of(html: str, row_id: str) -> list[str]:
    row = html.split(f'id="{row_id}"', 1)[1].split("</tr>", 1)[0]
    return [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def test_question_table_shows_difficulty_discrimination_and_median_time(
    teacher_client: Client, assignment: Assignment
) -> None:
    response = teacher_client.get(url_of(assignment))

    html = response.content.decode()
    assert response.status_code == 200
    q01 = row_of(html, "question-q01")
    q05 = row_of(html, "question-q05")
    q06 = row_of(html, "question-q06")
    expected_q01 = statistics.correlation([1, 0.5, 0], [TOTALS["amy"] - 2, TOTALS["bob"] - 1, 0])
    assert q01[0] == "Q1"
    assert q01[2:] == ["Actors", "3", "50%", f"{expected_q01:.2f}", "0:30"]
    expected_q05 = statistics.correlation([1, 1, 0], [TOTALS["amy"] - 1, TOTALS["bob"] - 1, 0])
    expected_q06 = statistics.correlation([1, 0.665, 0], [TOTALS["amy"] - 2, TOTALS["bob"] - 1.33, 0])
    assert (f"{expected_q01:.2f}", f"{expected_q05:.2f}", f"{expected_q06:.2f}") == ("0.95", "0.91", "1.00")
    assert q05[2:] == ["Events and timeline", "3", "67%", "0.91", "0:20"]
    assert q06[2:] == ["Actors", "3", "56%", "1.00", "0:45"]
    assert row_of(html, "question-q02")[2:] == ["Actors", "0", "—", "—", "—"]
    assert "What position does the article give <strong>Ramon Celestino Velazquez</strong>?" in html
    assert "Over 3 submitted attempts." in html


def test_option_counts_are_listed_per_choice_question_with_the_key_marked(
    teacher_client: Client, assignment: Assignment
) -> None:
    html = teacher_client.get(url_of(assignment)).content.decode()

    q01 = html.split('id="options-q01"', 1)[1].split("</table>", 1)[0]
    rows = [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", q01.split("<tbody>")[1], re.S)]
    assert rows == [
        "Venezuela’s Transport Minister (key) 2",
        "Venezuela’s Foreign Minister 1",
        "Venezuela’s Defense Minister 0",
        "Venezuela’s ambassador to Russia 0",
    ]
    q06 = html.split('id="options-q06"', 1)[1].split("</table>", 1)[0]
    rows = [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", q06.split("<tbody>")[1], re.S)]
    assert rows == [
        "Missiles of an unspecified kind (key) 2",
        "Drones 1",
        "Help repairing Su-30MK2 fighter jets (key) 2",
        "Help repairing radar systems it had bought (key) 1",
        "Radar detectors 0",
    ]
    assert 'id="options-q05"' not in html  # true/false
    assert 'id="options-q22"' not in html  # open response
    assert "Q1: how often each option was picked" in html


def test_mastery_and_histogram_tables(teacher_client: Client, assignment: Assignment) -> None:
    html = teacher_client.get(url_of(assignment)).content.decode()

    # q01 and q06 (2 points each, three attempts); q05 is the event question: 2 right of 3.
    assert row_of(html, "focus-actor") == ["Actors", f"{round(100 * 6.33 / 12)}%"] == ["Actors", "53%"]
    assert row_of(html, "focus-event") == ["Events and timeline", "67%"]
    assert row_of(html, "focus-treaty") == ["Treaties", "—"]
    assert row_of(html, "focus-sourcing") == ["Sourcing", "—"]
    histogram = html.split("Number of submitted attempts by score band", 1)[1].split("</table>", 1)[0]
    bands = [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", histogram.split("<tbody>")[1], re.S)]
    # 5/47 = 10.6%, 3.33/47 = 7.1%, 0/47 = 0%
    assert bands[:3] == ["0–10% 2", "10–20% 1", "20–30% 0"]
    assert len(bands) == 10


def test_charts_are_inline_svg_with_title_desc_and_the_same_numbers(
    teacher_client: Client, assignment: Assignment
) -> None:
    html = teacher_client.get(url_of(assignment)).content.decode()

    charts = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(charts) == 3
    for chart_id in ("difficulty-chart", "mastery-chart", "histogram-chart"):
        chart = next(c for c in charts if f'id="{chart_id}-title"' in c)
        assert f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in chart
        assert f'<desc id="{chart_id}-desc">' in chart
    difficulty = next(c for c in charts if 'id="difficulty-chart-title"' in c)
    values = re.findall(r'class="results-chart-value"[^>]*>([^<]*)<', difficulty)
    assert len(values) == 24
    assert values[:6] == ["50%", "—", "—", "—", "67%", "56%"]
    assert difficulty.count("<rect") == 3  # no bar for an unanswered question
    histogram = next(c for c in charts if 'id="histogram-chart-title"' in c)
    assert re.findall(r'class="results-chart-value"[^>]*>([^<]*)<', histogram)[:3] == ["2", "1", "0"]


def test_a_pending_open_answer_and_a_graded_one(
    teacher_client: Client, assignment: Assignment, teacher: User
) -> None:
    """Only graded open answers count; the time of a question answered alone is measured from the start."""
    student = make_user("dee")
    Enrollment.objects.create(classroom=assignment.classroom, student=student)
    with time_machine.travel(T0, tick=False):
        attempt = assignment_attempt_start(assignment=assignment, student=student, now=T0)
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key="q22",
        answer="Reported, not confirmed.",
        now=T0 + dt.timedelta(seconds=95),
    )
    attempt_submit(learner=attempt.learner, attempt=attempt, now=T0 + dt.timedelta(minutes=5))
    html = teacher_client.get(url_of(assignment)).content.decode()
    assert row_of(html, "question-q22")[2:] == ["Sourcing", "1", "—", "—", "1:35"]

    response_grade(
        response=Response.objects.get(attempt=attempt, question_key="q22"),
        by=teacher,
        criterion_scores={"r1": 2, "r2": 1, "r3": 0},
        comment="",
        expected_version=0,
    )
    html = teacher_client.get(url_of(assignment)).content.decode()
    assert row_of(html, "question-q22")[2:] == ["Sourcing", "1", "50%", "—", "1:35"]
    assert row_of(html, "focus-sourcing") == ["Sourcing", "50%"]


def test_access_is_for_teachers_of_the_class(client: Client, assignment: Assignment) -> None:
    url = url_of(assignment)

    visitor = client.get(url)
    assert (visitor.status_code, visitor["Location"]) == (302, f"{reverse('login')}?next={url}")
    client.force_login(make_user("other", teacher=True))
    assert client.get(url).status_code == 404
    client.force_login(User.objects.get(username="amy"))
    assert client.get(url).status_code == 404


def test_item_analysis_refuses_a_post(teacher_client: Client, assignment: Assignment) -> None:
    assert teacher_client.post(url_of(assignment)).status_code == 405


# ----------------------------------------------------------------------------------------------------
# Queries


CHOICES = {"q01": ["a", "b", "c", "d"], "q04": ["a", "b", "c", "d"], "q08": ["a", "b", "c", "d"]}


def bulk_answers(assignment: Assignment, students: int) -> None:
    """`students` submitted attempts answering seven questions, made in bulk."""
    users = User.objects.bulk_create([User(username=f"b{students}-{n:03d}") for n in range(students)])
    Enrollment.objects.bulk_create([Enrollment(classroom=assignment.classroom, student=u) for u in users])
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                learner=user,
                assignment=assignment,
                revision=assignment.revision,
                lesson=assignment.lesson,
                state=AttemptState.SUBMITTED,
                submitted_at=T0,
                earned=n % 9,
                possible=47,
            )
            for n, user in enumerate(users)
        ]
    )
    responses = []
    for n, attempt in enumerate(attempts):
        for index, (key, kind, focus, answer, possible) in enumerate(
            [
                ("q01", "single_choice", "actor", CHOICES["q01"][n % 4], 2),
                ("q04", "single_choice", "actor", CHOICES["q04"][n % 3], 2),
                ("q05", "true_false", "actor", n % 2 == 0, 1),
                ("q06", "multiple_select", "actor", ["missiles", "jet-repairs"][: n % 3], 2),
                ("q08", "single_choice", "treaty", CHOICES["q08"][n % 2], 2),
                ("q11", "multiple_select", "treaty", ["russia"], 2),
                ("q22", "open_response", "sourcing", "An answer", 6),
            ]
        ):
            at = T0 + dt.timedelta(seconds=10 * (index + 1) + n % 7)
            responses.append(
                Response(
                    attempt=attempt,
                    question_key=key,
                    kind=kind,
                    focus=focus,
                    answer=answer,
                    first_saved_at=at,
                    saved_at=at,
                    possible=possible,
                    earned=None if kind == "open_response" else min(n % 3, possible),
                    needs_teacher=kind == "open_response",
                )
            )
    Response.objects.bulk_create(responses)


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # the session learns whether the user teaches (a navigation detail), once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("students", [10, 40])
def test_item_analysis_page_takes_at_most_six_queries(
    client: Client, first_lesson: Lesson, students: int, django_assert_max_num_queries: Any
) -> None:
    teacher = make_user(f"bulk-{students}", teacher=True)
    classroom = classroom_create(teacher=teacher, name="Bulk")
    given = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=T0 - dt.timedelta(days=1),
        due_at=T0 + dt.timedelta(days=1),
    )
    bulk_answers(given, students)
    client.force_login(teacher)
    client.get(url_of(given))

    # session, user, the assignment (teacher check included), statistics, option counts, histogram
    with django_assert_max_num_queries(6):
        response = client.get(url_of(given))

    assert f"Over {students} submitted attempts." in response.content.decode()


def test_item_analysis_queries_do_not_grow_with_students(client: Client, first_lesson: Lesson) -> None:
    counts = []
    for students in (10, 40):
        teacher = make_user(f"grow-{students}", teacher=True)
        classroom = classroom_create(teacher=teacher, name="Bulk")
        given = assignment_create(
            classroom=classroom,
            lesson=first_lesson,
            by=teacher,
            opens_at=T0 - dt.timedelta(days=1),
            due_at=T0 + dt.timedelta(days=1),
        )
        bulk_answers(given, students)
        client.force_login(teacher)
        counts.append(queries_for(client, url_of(given)))

    assert counts[0] == counts[1] <= 6
