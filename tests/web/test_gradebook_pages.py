"""The gradebook, its CSV export, a student's report, an assignment's results and the review of an attempt.

A scripted class is built through the services with fixed times (`now=`, and a frozen clock for the start of
an attempt), one student in each status: not started, in progress, submitted, late, needs grading. Only a
teacher of the class sees these pages: a visitor is sent to log in, anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories.people import person as make_user

from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    Enrollment,
    FeedbackRelease,
    LatePolicy,
    Lesson,
    Response,
)
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    classroom_join,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
OPENS = T0 - dt.timedelta(days=1)
DUE = T0 + dt.timedelta(days=2)


def start(assignment: Assignment, student: User, at: dt.datetime) -> Attempt:
    with time_machine.travel(at, tick=False):
        return assignment_attempt_start(assignment=assignment, student=student, now=at)


def answer(attempt: Attempt, key: str, given: Any, at: dt.datetime, evidence: Any = None) -> None:
    response_save(
        learner=attempt.learner, attempt=attempt, question_key=key, answer=given, evidence=evidence, now=at
    )


@dataclass
class Scripted:
    teacher: User
    classroom: Classroom
    first: Assignment
    second: Assignment
    students: dict[str, User]
    attempts: dict[str, Attempt]


@pytest.fixture
def scripted(first_lesson: Lesson) -> Scripted:
    teacher = make_user("tess", "Tess", "Teacher", teacher=True)
    classroom = classroom_create(teacher=teacher, name="Current Affairs 9B")
    assert classroom.join_code is not None
    names = [("ana", "Alves"), ("ben", "Brown"), ("cat", "Cruz"), ("dan", "Diaz"), ("eve", "Evans")]
    students = {name: make_user(name, name.title(), last) for name, last in names}
    for student in students.values():
        classroom_join(student=student, code=classroom.join_code)
    first = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=OPENS,
        due_at=DUE,
        late_policy=LatePolicy.ACCEPT,
        feedback_release=FeedbackRelease.MANUAL,
    )
    second = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=OPENS,
        due_at=DUE + dt.timedelta(days=7),
    )
    attempts = {}
    attempts["ben"] = start(first, students["ben"], T0)
    answer(attempts["ben"], "q01", "a", T0 + dt.timedelta(seconds=20))
    cat = start(first, students["cat"], T0)
    answer(cat, "q01", "a", T0 + dt.timedelta(seconds=30), evidence=["p3s4"])
    answer(cat, "q05", True, T0 + dt.timedelta(seconds=40))
    answer(cat, "q06", ["missiles", "jet-repairs", "radar-repairs"], T0 + dt.timedelta(seconds=70))
    attempts["cat"] = attempt_submit(learner=cat.learner, attempt=cat, now=T0 + dt.timedelta(minutes=5))
    dan = start(first, students["dan"], DUE + dt.timedelta(hours=1))
    answer(dan, "q05", True, DUE + dt.timedelta(hours=1, seconds=10))
    attempts["dan"] = attempt_submit(
        learner=dan.learner, attempt=dan, now=DUE + dt.timedelta(hours=1, minutes=1)
    )
    eve = start(first, students["eve"], T0)
    answer(eve, "q01", "b", T0 + dt.timedelta(seconds=15))
    answer(eve, "q22", "<script>alert(1)</script> Nothing is confirmed.", T0 + dt.timedelta(seconds=200))
    attempts["eve"] = attempt_submit(learner=eve.learner, attempt=eve, now=T0 + dt.timedelta(minutes=4))
    cat_second = start(second, students["cat"], T0 + dt.timedelta(days=1))
    answer(cat_second, "q05", False, T0 + dt.timedelta(days=1, seconds=5))
    attempts["cat-2"] = attempt_submit(
        learner=cat_second.learner, attempt=cat_second, now=T0 + dt.timedelta(days=1, minutes=1)
    )
    return Scripted(teacher, classroom, first, second, students, attempts)


@pytest.fixture
def teacher_client(client: Client, scripted: Scripted) -> Client:
    client.force_login(scripted.teacher)
    return client


def text_of(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(html: str, caption_id: str) -> list[list[str]]:
    """The body rows of the table whose caption has this id, each as the text of its cells."""
    table = html.split(f'id="{caption_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def gradebook_url(classroom: Classroom) -> str:
    return reverse("lessons:gradebook", args=[classroom.pk])


# ----------------------------------------------------------------------------------------------------
# Gradebook


def test_gradebook_shows_each_student_and_assignment_with_score_and_status(
    teacher_client: Client, scripted: Scripted
) -> None:
    response = teacher_client.get(gradebook_url(scripted.classroom))

    html = response.content.decode()
    assert response.status_code == 200
    assert table_rows(html, "gradebook-caption") == [
        ["Ana Alves ana", "Not started", "Not started"],
        ["Ben Brown ben", "In progress", "Not started"],
        ["Cat Cruz cat", "5/47 (11%) Submitted", "0/47 (0%) Submitted"],
        ["Dan Diaz dan", "1/47 (2%) Late", "Not started"],
        ["Eve Evans eve", "0/47 (0%) Needs grading", "Not started"],
    ]
    assert "Scores and status of 5 students in Current Affairs 9B, by assignment</caption>" in html
    assert html.count('<th scope="col"') == 3
    assert html.count('<th scope="row">') == 5


def test_gradebook_cells_link_to_the_counted_attempt_and_names_to_the_report(
    teacher_client: Client, scripted: Scripted
) -> None:
    html = teacher_client.get(gradebook_url(scripted.classroom)).content.decode()

    for key in ("cat", "dan", "eve", "cat-2"):
        assert f'href="{reverse("lessons:attempt_review", args=[scripted.attempts[key].pk])}"' in html
    assert reverse("lessons:attempt_review", args=[scripted.attempts["ben"].pk]) not in html  # in progress
    for student in scripted.students.values():
        report = reverse("lessons:student_report", args=[scripted.classroom.pk, student.pk])
        assert f'href="{report}">{student.first_name} {student.last_name}</a>' in html
    assert f'href="{reverse("lessons:gradebook_csv", args=[scripted.classroom.pk])}"' in html
    assert 'class="gradebook-cell status-needs_grading"' in html


def test_gradebook_csv_is_exact_utf8_with_bom_and_neutralises_formulas(
    teacher_client: Client, scripted: Scripted, first_lesson: Lesson
) -> None:
    mallory = User.objects.create_user(username="mallory", first_name="=cmd()", last_name="+1")
    Enrollment.objects.create(classroom=scripted.classroom, student=mallory)
    minus = User.objects.create_user(username="@minus", first_name="-2+3", last_name="\tTab")
    Enrollment.objects.create(classroom=scripted.classroom, student=minus)

    with time_machine.travel(dt.datetime(2025, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        response = teacher_client.get(reverse("lessons:gradebook_csv", args=[scripted.classroom.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="gradebook-current-affairs-9b-2025-03-20.csv"'
    )
    title = first_lesson.title
    assert '"' not in title and "," in title  # quoted by the CSV writer for its commas
    expected = (
        "\ufeff"
        f'Username,First name,Last name,"{title} (due 2025-03-05 09:00 UTC)","Status: {title}",'
        f'"{title} (due 2025-03-12 09:00 UTC)","Status: {title}"\r\n'
        "'@minus,'-2+3,'\tTab,,Not started,,Not started\r\n"
        "mallory,'=cmd(),'+1,,Not started,,Not started\r\n"
        "ana,Ana,Alves,,Not started,,Not started\r\n"
        "ben,Ben,Brown,,In progress,,Not started\r\n"
        "cat,Cat,Cruz,5.00/47.00,Submitted,0.00/47.00,Submitted\r\n"
        "dan,Dan,Diaz,1.00/47.00,Late,,Not started\r\n"
        "eve,Eve,Evans,0.00/47.00,Needs grading,,Not started\r\n"
    )
    assert response.content == expected.encode("utf-8")
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_gradebook_of_an_empty_class_says_so(client: Client) -> None:
    teacher = make_user("solo", teacher=True)
    classroom = classroom_create(teacher=teacher, name="Empty")
    client.force_login(teacher)

    html = client.get(gradebook_url(classroom)).content.decode()

    assert "No students have joined this class yet." in html


# ----------------------------------------------------------------------------------------------------
# Access


@pytest.mark.parametrize(
    "url_name",
    ["gradebook", "gradebook_csv", "student_report", "assignment_results", "attempt_review"],
)
def test_pages_send_visitors_to_log_in_and_hide_from_everyone_else(
    client: Client, scripted: Scripted, url_name: str
) -> None:
    args: dict[str, list[int]] = {
        "gradebook": [scripted.classroom.pk],
        "gradebook_csv": [scripted.classroom.pk],
        "student_report": [scripted.classroom.pk, scripted.students["cat"].pk],
        "assignment_results": [scripted.first.pk],
        "attempt_review": [scripted.attempts["cat"].pk],
    }
    url = reverse(f"lessons:{url_name}", args=args[url_name])

    visitor = client.get(url)
    assert (visitor.status_code, visitor["Location"]) == (302, f"{reverse('login')}?next={url}")

    client.force_login(make_user("other", teacher=True))
    assert client.get(url).status_code == 404
    client.force_login(scripted.students["cat"])  # even the student whose attempt it is
    assert client.get(url).status_code == 404
    client.force_login(scripted.teacher)
    assert client.get(url).status_code == 200


def test_a_co_teacher_sees_the_gradebook(client: Client, scripted: Scripted) -> None:
    co_teacher = make_user("cole", teacher=True)
    scripted.classroom.teachers.add(co_teacher)
    client.force_login(co_teacher)

    assert client.get(gradebook_url(scripted.classroom)).status_code == 200


def test_gradebook_refuses_a_post(teacher_client: Client, scripted: Scripted) -> None:
    assert teacher_client.post(gradebook_url(scripted.classroom)).status_code == 405


def test_a_student_outside_the_class_has_no_report(teacher_client: Client, scripted: Scripted) -> None:
    stranger = make_user("stranger")
    url = reverse("lessons:student_report", args=[scripted.classroom.pk, stranger.pk])

    assert teacher_client.get(url).status_code == 404


# ----------------------------------------------------------------------------------------------------
# Student report and assignment results


def test_student_report_lists_attempts_by_assignment(teacher_client: Client, scripted: Scripted) -> None:
    url = reverse("lessons:student_report", args=[scripted.classroom.pk, scripted.students["cat"].pk])

    html = teacher_client.get(url).content.decode()

    title = scripted.first.lesson.title
    assert table_rows(html, "report-caption") == [
        [title, "2025-03-05 09:00 UTC", "Attempt 1", "Submitted", "2025-03-03 09:05 UTC", "5/47", ""],
        [title, "2025-03-12 09:00 UTC", "Attempt 1", "Submitted", "2025-03-04 09:01 UTC", "0/47", ""],
    ]
    assert "<h1>Report: Cat Cruz</h1>" in html


def test_student_report_marks_late_and_waiting_attempts(teacher_client: Client, scripted: Scripted) -> None:
    dan = teacher_client.get(
        reverse("lessons:student_report", args=[scripted.classroom.pk, scripted.students["dan"].pk])
    ).content.decode()
    eve = teacher_client.get(
        reverse("lessons:student_report", args=[scripted.classroom.pk, scripted.students["eve"].pk])
    ).content.decode()
    ana = teacher_client.get(
        reverse("lessons:student_report", args=[scripted.classroom.pk, scripted.students["ana"].pk])
    ).content.decode()

    assert table_rows(dan, "report-caption")[0][-1] == "Late"
    assert table_rows(eve, "report-caption")[0][-1] == "Needs grading"
    assert [row[2] for row in table_rows(ana, "report-caption")] == ["Not started", "Not started"]


def test_assignment_results_show_each_student_and_the_counts(
    teacher_client: Client, scripted: Scripted
) -> None:
    html = teacher_client.get(
        reverse("lessons:assignment_results", args=[scripted.first.pk])
    ).content.decode()

    assert table_rows(html, "results-caption") == [
        ["Ana Alves", "Not started", "—", "0"],
        ["Ben Brown", "In progress", "—", "1"],
        ["Cat Cruz", "Submitted", "5/47 (11%)", "1"],
        ["Dan Diaz", "Late", "1/47 (2%)", "1"],
        ["Eve Evans", "Needs grading", "0/47 (0%)", "1"],
    ]
    assert "Not started: 1 · In progress: 1 · Submitted: 1 · Late: 1 · Needs grading: 1" in html
    assert f'href="{reverse("lessons:grading_queue", args=[scripted.first.pk])}"' in html
    assert f'href="{reverse("lessons:item_analysis", args=[scripted.first.pk])}"' in html
    assert "1 student needs grading" in html
    # Released by hand: the release button is there; the regrade form explains itself.
    assert f'action="{reverse("lessons:release_feedback", args=[scripted.first.pk])}"' in html
    assert f'action="{reverse("lessons:regrade", args=[scripted.first.pk])}"' in html
    assert "current published revision" in html


def test_assignment_released_by_rule_offers_no_release_button(
    teacher_client: Client, scripted: Scripted
) -> None:
    html = teacher_client.get(
        reverse("lessons:assignment_results", args=[scripted.second.pk])
    ).content.decode()

    assert reverse("lessons:release_feedback", args=[scripted.second.pk]) not in html
    assert "Released by the assignment's rule: After submitting." in html


# ----------------------------------------------------------------------------------------------------
# Reviewing an attempt


def test_attempt_review_shows_answers_scores_keys_and_explanations(
    teacher_client: Client, scripted: Scripted, first_lesson_data: dict[str, Any]
) -> None:
    response = teacher_client.get(reverse("lessons:attempt_review", args=[scripted.attempts["eve"].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Eve Evans, attempt 1" in html
    q01 = text_of(html.split('id="question-q01"')[1].split('id="question-q02"')[0])
    assert "Student's answer Venezuela’s Foreign Minister" in q01
    assert "Score 0 of 2 · ✗ Not right (evidence part: 0 of 1)" in q01
    assert "Key Venezuela’s Transport Minister" in q01
    assert "Paragraph 3 names him as Venezuela’s Transport Minister" in q01
    q22 = html.split('id="question-q22"')[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Nothing is confirmed." in q22
    assert "<script>alert(1)</script>" not in html
    assert "Needs grading" in q22
    assert "Model answer" in q22
    rubric = next(q for q in first_lesson_data["questions"] if q["id"] == "q22")["answer"]["rubric"]
    assert all(html_lib.escape(criterion["criterion"]) in q22 for criterion in rubric)
    q02 = text_of(html.split('id="question-q02"')[1].split('id="question-q03"')[0])
    assert "Student's answer Not answered Score 0 of 3" in q02


def test_attempt_review_of_a_self_study_attempt_is_404(teacher_client: Client, scripted: Scripted) -> None:
    from lessons.services import self_study_attempt_open

    assert scripted.first.lesson.published_revision is not None
    own = self_study_attempt_open(learner=scripted.teacher, revision=scripted.first.lesson.published_revision)

    assert teacher_client.get(reverse("lessons:attempt_review", args=[own.pk])).status_code == 404


# ----------------------------------------------------------------------------------------------------
# Queries


def bulk_class(first_lesson: Lesson, students: int, assignments: int) -> tuple[User, Classroom]:
    """A class of `students` × `assignments`, every status present, made in bulk (quick for large sizes)."""
    teacher = make_user(f"bulk-teacher-{students}", teacher=True)
    classroom = classroom_create(teacher=teacher, name=f"Bulk {students}")
    users = User.objects.bulk_create(
        [
            User(username=f"s{students}-{n:03d}", first_name=f"S{n}", last_name=f"L{n:03d}")
            for n in range(students)
        ]
    )
    Enrollment.objects.bulk_create([Enrollment(classroom=classroom, student=u) for u in users])
    given = [
        assignment_create(
            classroom=classroom,
            lesson=first_lesson,
            by=teacher,
            opens_at=OPENS,
            due_at=DUE + dt.timedelta(days=n),
        )
        for n in range(assignments)
    ]
    revision = given[0].revision
    attempts = []
    for a_index, assignment in enumerate(given):
        for s_index, student in enumerate(users):
            kind = (a_index + s_index) % 4  # 0: not started, 1: open, 2: submitted, 3: submitted late
            if kind == 0:
                continue
            submitted = kind >= 2
            attempts.append(
                Attempt(
                    learner=student,
                    assignment=assignment,
                    revision=revision,
                    lesson=first_lesson,
                    state=AttemptState.SUBMITTED if submitted else AttemptState.OPEN,
                    submitted_at=T0 if submitted else None,
                    earned=(s_index % 40) if submitted else None,
                    possible=47,
                    is_late=kind == 3,
                )
            )
    created = Attempt.objects.bulk_create(attempts)
    Response.objects.bulk_create(
        [
            Response(
                attempt=attempt,
                question_key="q22",
                kind="open_response",
                focus="sourcing",
                answer="An open answer",
                first_saved_at=T0,
                saved_at=T0,
                possible=6,
                needs_teacher=True,
            )
            for attempt in created[::3]
        ]
    )
    return teacher, classroom


def count_queries(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # the session learns whether the user teaches (a navigation detail), once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("students", [10, 40])
def test_gradebook_page_takes_at_most_six_queries(
    client: Client, first_lesson: Lesson, students: int, django_assert_max_num_queries: Any
) -> None:
    teacher, classroom = bulk_class(first_lesson, students, 10)
    client.force_login(teacher)
    client.get(gradebook_url(classroom))

    # session, user, the class (teacher check included), students, assignments, attempts
    with django_assert_max_num_queries(6):
        response = client.get(gradebook_url(classroom))

    html = response.content.decode()
    assert html.count('<th scope="row">') == students
    assert html.count('class="gradebook-cell') == students * 10


def test_gradebook_and_csv_queries_do_not_grow_with_the_class(client: Client, first_lesson: Lesson) -> None:
    counts = []
    for students in (10, 40):
        teacher, classroom = bulk_class(first_lesson, students, 10)
        client.force_login(teacher)
        page, _html = count_queries(client, gradebook_url(classroom))
        export, _csv = count_queries(client, reverse("lessons:gradebook_csv", args=[classroom.pk]))
        results, _html = count_queries(
            client,
            reverse("lessons:assignment_results", args=[classroom.assignments.first().pk]),  # type: ignore[union-attr]
        )
        counts.append((page, export, results))

    assert counts[0] == counts[1]
    assert counts[0][0] <= 6 and counts[0][1] <= 6
