"""A student's classes and assignments through the web pages: joining by code, the classes page, an
assignment's rules and Start, the dates and attempts the server enforces, resuming on another device,
shuffling, the countdown, submitting, results, and that key material reaches a student only when the
assignment's policy releases it (DESIGN.md rule 1)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories.lessons import first_lesson_document, load_lesson, repeated_questions_document

from lessons.kinds import get_kind
from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    Enrollment,
    FeedbackRelease,
    LatePolicy,
    Lesson,
)
from lessons.policy import DEADLINE_GRACE
from lessons.rendering import cached_fragments, forget_fragments, markdown_to_html
from lessons.selectors import student_view_of
from lessons.selectors.player import (
    SentenceRef,
    attempt_for_learner,
    open_attempt_of,
    question_slots,
    shuffled_slots,
)
from lessons.services import attempt_submit, lesson_import, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_regrade,
    assignment_release_feedback,
    classroom_archive,
    classroom_disable_code,
    response_grade,
    self_study_held_by,
)
from lessons.web.answer_forms import answer_form, answer_from_post, saved_answer_data
from lessons.web.question_fragments import (
    CSRF_MARK,
    forget_question_fragments,
    keep_question_fragments,
    kept_fragments,
    kept_pages,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
QUESTION_COUNT = len(first_lesson_document()["questions"])  # the first lesson's questions, one form each

MakeAssignment = Callable[..., Assignment]


def client_of(user: User) -> Client:
    other = Client()
    other.force_login(user)
    return other


def url(name: str, assignment: Assignment) -> str:
    return reverse(f"lessons:{name}", args=[assignment.pk])


def start(client: Client, assignment: Assignment) -> Any:
    return client.post(url("assignment_take", assignment))


def token_of(html: str, key: str) -> tuple[str, int]:
    section = html[html.index(f'id="question-{key}"') :]
    token = re.search(r'name="attempt" value="([^"]+)"', section)
    sequence = re.search(r'name="sequence" value="(\d+)"', section)
    assert token and sequence
    return token.group(1), int(sequence.group(1))


def save(
    client: Client, assignment: Assignment, key: str, data: dict[str, Any], *, htmx: bool = False
) -> Any:
    """Save an answer as the page's form does: with its token and next sequence number."""
    html = client.get(url("assignment_take", assignment)).content.decode()
    token, sequence = token_of(html, key)
    return client.post(
        reverse("lessons:assignment_save", args=[assignment.pk, key]),
        {"attempt": token, "sequence": sequence, **data},
        headers=HTMX if htmx else {},
    )


def question_order(html: str) -> list[str]:
    return re.findall(r'<section class="question[^"]*" id="question-([^"]+)"', html)


def lesson_of(data: dict[str, Any], count: int) -> Lesson:
    """A published lesson of `count` questions: the fixture's questions repeated with new ids."""
    return load_lesson(repeated_questions_document(data, count))


# ----------------------------------------------------------------------------------------------------
# Key material (rule 1)


def text_of(page: Any) -> str:
    """A page (or its HTML) as text: tags removed, white space squashed."""
    html = page if isinstance(page, str) else page.content.decode()
    return squash(re.sub(r"<[^>]+>", "", html))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def key_material(data: dict[str, Any], keys: set[str] | None = None) -> list[str]:
    """Every teacher-only text of the questions (of `keys`, when given) long enough to recognise: the
    explanation, per-option feedback, model answer, rubric criteria, and accepted short answers the article
    does not print itself."""
    article = " ".join(s["text"] for paragraph in data["article"]["paragraphs"] for s in paragraph)
    pieces: list[str] = []
    for question in data["questions"]:
        if keys is not None and question["id"] not in keys:
            continue
        answer = question["answer"]
        texts = [answer["explanation"], *answer["option_feedback"].values(), answer["model_answer"]]
        texts += [criterion["criterion"] for criterion in answer["rubric"]]
        texts += [accepted for accepted in answer["accepted"] if accepted not in article]
        pieces += [squash(text) for text in texts if len(text) >= 12]
    return pieces


# Markup only feedback has: the verdict, the right answer, the explanation, model answer and rubric.
FEEDBACK_MARKERS = (
    'class="feedback',
    'class="right-answer"',
    'class="why"',
    'class="model-answer"',
    'class="rubric"',
    'class="chosen-feedback"',
    'class="verdict"',
)


def leaks(html: str, data: dict[str, Any], keys: set[str] | None = None) -> list[str]:
    """The key material of the questions (of `keys`) found in the page; with no `keys`, any feedback markup
    at all as well."""
    text = squash(html)
    found = [piece for piece in key_material(data, keys) if piece in text]
    if keys is None:
        found += [marker for marker in FEEDBACK_MARKERS if marker in html]
    return found


# ----------------------------------------------------------------------------------------------------
# Joining a class


def test_joining_by_code(
    client: Client, other_student: User, classroom: Classroom, django_assert_max_num_queries: Any
) -> None:
    student_client = client_of(other_student)
    assert classroom.join_code is not None
    code = classroom.join_code.lower()
    code = f"{code[:4]}-{code[4:]}"  # as a person might type it

    form = student_client.get(reverse("lessons:join_class"))
    response = student_client.post(reverse("lessons:join_class"), {"code": code})

    assert form.status_code == 200 and 'name="code"' in form.content.decode()
    assert response.status_code == 303 and response["Location"] == reverse("lessons:my_classes")
    assert Enrollment.objects.filter(classroom=classroom, student=other_student).exists()
    page = student_client.get(response["Location"]).content.decode()
    assert "You are in the class Civics 9B." in page and "<h2" in page and "Civics 9B" in page


def test_joining_twice_is_harmless(client: Client, class_student: User, classroom: Classroom) -> None:
    response = client_of(class_student).post(reverse("lessons:join_class"), {"code": classroom.join_code})

    assert response.status_code == 303
    assert Enrollment.objects.filter(classroom=classroom, student=class_student).count() == 1


def test_a_bad_code_is_400_with_the_form_error(
    client: Client, other_student: User, classroom: Classroom
) -> None:
    student_client = client_of(other_student)

    wrong = student_client.post(reverse("lessons:join_class"), {"code": "ZZZZZZZZ"})
    empty = student_client.post(reverse("lessons:join_class"), {"code": ""})

    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert (
        "No open class has this code" in html and 'aria-invalid="true"' in html and 'value="ZZZZZZZZ"' in html
    )
    assert empty.status_code == 400
    assert not Enrollment.objects.filter(student=other_student).exists()


def test_a_disabled_or_archived_code_is_refused(
    client: Client,
    other_student: User,
    classroom: Classroom,
    other_classroom: Classroom,
    class_student: User,
    teacher: User,
    other_teacher: User,
) -> None:
    code = classroom.join_code
    classroom_disable_code(teacher=teacher, classroom=classroom)
    other_code = other_classroom.join_code
    classroom_archive(teacher=other_teacher, classroom=other_classroom)
    student_client = client_of(class_student)

    assert student_client.post(reverse("lessons:join_class"), {"code": code}).status_code == 400
    assert student_client.post(reverse("lessons:join_class"), {"code": other_code}).status_code == 400
    assert not Enrollment.objects.filter(classroom=other_classroom, student=class_student).exists()


def test_the_classes_pages_need_a_login(client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment()
    for name, args in (("my_classes", []), ("join_class", []), ("assignment_home", [assignment.pk])):
        target = reverse(f"lessons:{name}", args=args)
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={target}"
    post = client.post(url("assignment_take", assignment))
    assert post.status_code == 302 and url("assignment_home", assignment) in post["Location"]
    assert not Attempt.objects.exists()


# ----------------------------------------------------------------------------------------------------
# My classes


def test_my_classes_lists_assignments_with_dates_in_the_viewers_zone(
    student_client: Client, make_assignment: MakeAssignment, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Madrid"
    with time_machine.travel(NOW, tick=False):
        make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=dt.datetime(2025, 6, 9, 21, 30, tzinfo=dt.UTC)
        )
        html = student_client.get(reverse("lessons:my_classes")).content.decode()

    assert "Dates and times are in the Europe/Madrid time zone." in html
    assert "June 9, 2025, 11:30 p.m." in html  # 21:30 UTC, in Madrid's summer time
    assert "CEST" in html
    assert "Not started" in html and "Venezuela" in html
    assert 'action="/classes/join/"' in html


def test_my_classes_shows_each_status(
    student_client: Client,
    class_student: User,
    make_assignment: MakeAssignment,
) -> None:
    with time_machine.travel(NOW, tick=False):
        due = NOW + dt.timedelta(days=1)
        opens = NOW - dt.timedelta(hours=1)
        not_started = make_assignment(opens_at=opens, due_at=due)
        in_progress = make_assignment(opens_at=opens, due_at=due, time_limit_minutes=45)
        submitted = make_assignment(opens_at=opens, due_at=due, feedback_release=FeedbackRelease.MANUAL)
        late = make_assignment(
            opens_at=NOW - dt.timedelta(days=3),
            due_at=NOW - dt.timedelta(days=1),
            late_policy=LatePolicy.ACCEPT,
            feedback_release=FeedbackRelease.MANUAL,
        )
        results = make_assignment(opens_at=opens, due_at=due)
        for assignment in (in_progress, submitted, late, results):
            assert start(student_client, assignment).status_code == 303
        for assignment in (submitted, late, results):
            assert student_client.post(url("assignment_submit", assignment)).status_code == 303
        with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
            html = student_client.get(reverse("lessons:my_classes")).content.decode()

    rows = {m.group(1): m.group(2) for m in re.finditer(r'<tr class="status-(\w+)">(.*?)</tr>', html, re.S)}
    assert set(rows) == {"not_started", "in_progress", "submitted", "late", "results"}
    assert "40 min left" in rows["in_progress"]  # 45 minutes + grace, 5 minutes later
    assert "Submitted late" in rows["late"]
    assert "See your results" in rows["results"] and "See your results" not in rows["submitted"]
    assert f"/assignments/{not_started.pk}/" in rows["not_started"]


def test_my_classes_without_a_class_invites_to_join(client: Client, other_student: User) -> None:
    html = client_of(other_student).get(reverse("lessons:my_classes")).content.decode()
    assert "You are not in any class yet" in html and "Join a class" in html


# ----------------------------------------------------------------------------------------------------
# An assignment's page and starting it


def test_the_assignment_page_shows_the_rules_and_a_start_button(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment(time_limit_minutes=30, attempts_allowed=2, late_policy=LatePolicy.ACCEPT)

    html = student_client.get(url("assignment_home", assignment)).content.decode()

    assert "30 minutes from the moment you start" in html
    assert "0 of 2 used" in html
    assert "Shown once you submit." in html
    assert "Accepted after the due date, and marked late." in html
    assert f'action="{url("assignment_take", assignment)}"' in html and ">Start<" in html


def test_an_assignment_out_of_reach_is_404(
    client: Client,
    make_assignment: MakeAssignment,
    other_student: User,
    other_classroom: Classroom,
    class_student: User,
    classroom: Classroom,
    teacher: User,
) -> None:
    assignment = make_assignment()
    outsider = client_of(other_student)
    for name in ("assignment_home", "assignment_take", "assignment_results_student"):
        assert outsider.get(url(name, assignment)).status_code == 404
    for name in ("assignment_take", "assignment_submit"):
        assert outsider.post(url(name, assignment)).status_code == 404
    assert client_of(class_student).get(reverse("lessons:assignment_home", args=[999999])).status_code == 404
    classroom_archive(teacher=teacher, classroom=classroom)
    assert client_of(class_student).get(url("assignment_home", assignment)).status_code == 404
    assert not Attempt.objects.exists()


def test_starting_before_it_opens_is_409(student_client: Client, make_assignment: MakeAssignment) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(opens_at=NOW + dt.timedelta(hours=2), due_at=NOW + dt.timedelta(days=1))
        page = student_client.get(url("assignment_home", assignment)).content.decode()
        response = start(student_client, assignment)

    assert "This assignment opens on" in page and ">Start<" not in page
    assert response.status_code == 409
    assert "This assignment has not opened yet." in response.content.decode()
    assert not Attempt.objects.exists()


def test_starting_after_the_due_date_is_409_when_late_work_is_refused(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(days=2), due_at=NOW - dt.timedelta(minutes=1)
        )
        page = student_client.get(url("assignment_home", assignment)).content.decode()
        response = start(student_client, assignment)

    assert "This assignment closed at its due date" in page
    assert response.status_code == 409
    assert "closed at its due date" in response.content.decode()
    assert not Attempt.objects.exists()


def test_late_work_accepted_is_marked_late(student_client: Client, make_assignment: MakeAssignment) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(days=2),
            due_at=NOW - dt.timedelta(hours=1),
            late_policy=LatePolicy.ACCEPT,
        )
        page = student_client.get(url("assignment_home", assignment)).content.decode()
        assert start(student_client, assignment).status_code == 303
        save(student_client, assignment, "q05", {"answer": "true"})
        student_client.post(url("assignment_submit", assignment))
        home = student_client.get(url("assignment_home", assignment)).content.decode()

    assert "marked late" in page
    attempt = Attempt.objects.get()
    assert attempt.is_late and attempt.state == AttemptState.SUBMITTED
    assert 'class="late-mark"' in home


def test_attempts_allowed_are_enforced(student_client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment(attempts_allowed=2)
    for number in (1, 2):
        assert start(student_client, assignment).status_code == 303
        assert start(student_client, assignment).status_code == 303  # resuming, not a new attempt
        assert Attempt.objects.filter(assignment=assignment).count() == number
        assert student_client.post(url("assignment_submit", assignment)).status_code == 303

    page = student_client.get(url("assignment_home", assignment)).content.decode()
    refused = start(student_client, assignment)

    assert "2 of 2 used" in page and "You have used all the attempts" in page
    assert refused.status_code == 409 and "used all the attempts" in refused.content.decode()
    assert Attempt.objects.filter(assignment=assignment).count() == 2


def test_take_without_an_attempt_goes_to_the_assignment_page(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    response = student_client.get(url("assignment_take", assignment))
    assert response.status_code == 302 and response["Location"] == url("assignment_home", assignment)


# ----------------------------------------------------------------------------------------------------
# The player in assignment mode


ANSWERS: dict[str, dict[str, Any]] = {
    "q01": {"answer": "c", "evidence": ["p3s4"]},
    "q02": {"match-i-cartels": "o-trump", "match-i-war": "o-maduro"},
    "q03": {"answer": "Washington Post"},
    "q05": {"answer": "false"},
    "q06": {"answer": ["missiles", "radar-repairs"]},
    "q07": {"position-s-article": "1", "position-s-docs": "2", "position-s-post": "3"},
    "q16": {"answer": ["p1s1"]},
    "q19": {"asserted_by": "ab-post", "source": "src-docs", "standing": "alleged"},
    "q22": {"answer": "Only requests are reported."},
}


def test_resuming_on_another_device_shows_every_saved_answer(
    student_client: Client, class_student: User, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    assert start(student_client, assignment).status_code == 303
    for key, data in ANSWERS.items():
        assert save(student_client, assignment, key, data).status_code == 303, key

    other_device = client_of(class_student)
    resumed = other_device.post(url("assignment_take", assignment))
    html = other_device.get(resumed["Location"]).content.decode()

    def checked(name: str, value: str) -> bool:
        return re.search(rf'name="{name}" value="{re.escape(value)}" checked', html) is not None

    def selected(name: str, value: str) -> bool:
        select = re.search(rf'<select[^>]*name="{name}">(.*?)</select>', html, re.S)
        return select is not None and f'<option value="{value}" selected>' in select.group(1)

    assert resumed.status_code == 303 and Attempt.objects.count() == 1
    assert checked("answer", "c") and checked("evidence", "p3s4")
    assert selected("match-i-cartels", "o-trump") and selected("match-i-war", "o-maduro")
    assert 'value="Washington Post"' in html
    assert checked("answer", "false") and checked("answer", "missiles") and checked("answer", "radar-repairs")
    assert checked("answer", "p1s1") and not checked("answer", "jet-repairs")
    assert selected("position-s-article", "1") and selected("position-s-post", "3")
    assert (
        selected("asserted_by", "ab-post")
        and selected("source", "src-docs")
        and checked("standing", "alleged")
    )
    assert ">Only requests are reported.</textarea>" in html
    assert html.count("Saved at ") == len(ANSWERS)
    assert html.count(">Not saved yet<") == QUESTION_COUNT - len(ANSWERS)
    assert f"{len(ANSWERS)} of {QUESTION_COUNT} questions answered" in html


def test_the_take_page_is_the_player_with_autosave_forms(
    student_client: Client, make_assignment: MakeAssignment, first_lesson_data: dict[str, Any]
) -> None:
    assignment = make_assignment()
    start(student_client, assignment)

    response = student_client.get(url("assignment_take", assignment))
    html = response.content.decode()

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert 'class="article-body"' in html and 'class="knowledge-card' in html  # the same player
    assert html.count("data-autosave=") == QUESTION_COUNT
    assert html.count('name="sequence" value="1"') == QUESTION_COUNT
    assert "assignment.js" in html and "player.js" in html
    assert 'role="status"' in html and 'id="save-q01"' in html
    assert f'action="{url("assignment_submit", assignment)}"' in html
    assert 'id="attempt-closed"' in html and "hidden" in html
    assert leaks(html, first_lesson_data) == []


def test_an_expired_attempt_is_submitted_when_the_page_is_opened(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), time_limit_minutes=10
        )
        start(student_client, assignment)
        save(student_client, assignment, "q05", {"answer": "true"})
    with time_machine.travel(
        NOW + dt.timedelta(minutes=10) + DEADLINE_GRACE + dt.timedelta(seconds=1), tick=False
    ):
        response = student_client.get(url("assignment_take", assignment))
        results = student_client.get(response["Location"]).content.decode()

    attempt = Attempt.objects.get()
    assert response.status_code == 302 and "results" in response["Location"]
    assert attempt.state == AttemptState.SUBMITTED and attempt.auto_submitted
    assert "Time is up: your attempt was submitted" in results


def test_the_countdown_comes_from_the_server_clock(
    student_client: Client, make_assignment: MakeAssignment, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Madrid"
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), time_limit_minutes=30
        )
        start(student_client, assignment)
    with time_machine.travel(NOW + dt.timedelta(minutes=12, seconds=10), tick=False):
        html = student_client.get(url("assignment_take", assignment)).content.decode()

    left = 30 * 60 - (12 * 60 + 10)  # to the limit itself: the grace after it is for saves in flight
    assert f'data-seconds="{left}"' in html
    assert f"{left // 60}:{left % 60:02d}" in html  # the clock as rendered, before any script runs
    assert "Ends at 11:30:00 CEST" in html  # 09:30 UTC, in the viewer's zone


def test_the_countdown_stops_at_the_due_date(student_client: Client, make_assignment: MakeAssignment) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(minutes=20), time_limit_minutes=60
        )
        start(student_client, assignment)
        html = student_client.get(url("assignment_take", assignment)).content.decode()

    assert f'data-seconds="{20 * 60}"' in html


def started_with_ten_minutes(client: Client, make_assignment: MakeAssignment) -> Assignment:
    """An assignment with a 10-minute time limit (due a day later), started at NOW through the page."""
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), time_limit_minutes=10
        )
        start(client, assignment)
    return assignment


def test_a_page_opened_in_the_grace_after_the_limit_finds_the_attempt_submitted(
    student_client: Client, make_assignment: MakeAssignment, class_student: User
) -> None:
    """The grace is for saves already on their way when time ran out, not for more time on the page."""
    assignment = started_with_ten_minutes(student_client, make_assignment)
    attempt = Attempt.objects.get(learner=class_student)
    in_the_grace = NOW + dt.timedelta(minutes=10, seconds=5)
    response_save(
        learner=attempt.learner, attempt=attempt, question_key="q05", answer=True, now=in_the_grace
    )  # was on its way

    with time_machine.travel(in_the_grace + dt.timedelta(seconds=1), tick=False):
        page = student_client.get(url("assignment_take", assignment))

    assert page.status_code == 302
    assert page["Location"].startswith(url("assignment_results_student", assignment))
    submitted = Attempt.objects.get(pk=attempt.pk)
    assert (submitted.state, submitted.auto_submitted, submitted.earned) == (AttemptState.SUBMITTED, True, 1)


def test_a_submit_clicked_in_the_grace_counts_as_the_students_own(
    student_client: Client, make_assignment: MakeAssignment, class_student: User
) -> None:
    assignment = started_with_ten_minutes(student_client, make_assignment)

    with time_machine.travel(NOW + dt.timedelta(minutes=10, seconds=5), tick=False):
        assert student_client.post(url("assignment_submit", assignment)).status_code == 303

    submitted = Attempt.objects.get(learner=class_student)
    assert (submitted.state, submitted.auto_submitted) == (AttemptState.SUBMITTED, False)


def test_no_countdown_without_a_deadline(student_client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment(late_policy=LatePolicy.ACCEPT)
    start(student_client, assignment)
    assert "data-countdown" not in student_client.get(url("assignment_take", assignment)).content.decode()


# ----------------------------------------------------------------------------------------------------
# Shuffling


def test_shuffling_is_stable_per_student_and_differs_between_students(
    student_client: Client,
    class_student: User,
    classroom: Classroom,
    make_user: Callable[..., User],
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
) -> None:
    lesson = lesson_of(first_lesson_data, 30)
    assignment = make_assignment(lesson=lesson, shuffle_questions=True, shuffle_options=True)
    classmate = make_user("lina")
    assert classroom.join_code is not None
    client_of(classmate).post(reverse("lessons:join_class"), {"code": classroom.join_code})
    start(student_client, assignment)
    other = client_of(classmate)
    start(other, assignment)

    first = student_client.get(url("assignment_take", assignment)).content.decode()
    again = student_client.get(url("assignment_take", assignment)).content.decode()
    elsewhere = client_of(class_student).get(url("assignment_take", assignment)).content.decode()
    theirs = other.get(url("assignment_take", assignment)).content.decode()

    authored = [question["id"] for question in first_lesson_data["questions"]]
    order = question_order(first)
    assert sorted(order) == sorted(q["id"] for q in lesson.published_revision.content["questions"])  # type: ignore[union-attr]
    assert order == question_order(again) == question_order(elsewhere)
    assert order != question_order(theirs)
    assert order[: len(authored)] != [f"{key}-1" for key in authored]
    assert re.search(r'id="question-[^"]+-title">Question 1<', first)  # numbered as shown

    def options_of(html: str, key: str) -> list[str]:
        section = html[html.index(f'id="question-{key}"') :]
        section = section[: section.index("</fieldset>")]
        return re.findall(r'name="answer" value="(\w)"', section)

    single_choice = [
        q["id"] for q in lesson.published_revision.content["questions"] if q["kind"] == "single_choice"
    ]  # type: ignore[union-attr]
    shown = {key: options_of(first, key) for key in single_choice}
    assert all(options_of(elsewhere, key) == shown[key] for key in single_choice)
    assert any(options != sorted(options) for options in shown.values())


def test_grading_follows_ids_not_positions_when_shuffled(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment(shuffle_questions=True, shuffle_options=True)
    start(student_client, assignment)
    save(student_client, assignment, "q01", {"answer": "a", "evidence": ["p3s4"]})
    student_client.post(url("assignment_submit", assignment))

    attempt = Attempt.objects.get()
    assert attempt.earned == 2
    assert "2 of 47 points" in text_of(student_client.get(url("assignment_results_student", assignment)))


# ----------------------------------------------------------------------------------------------------
# Submitting and results


def test_submit_redirects_to_the_results(student_client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.MANUAL)
    start(student_client, assignment)
    save(student_client, assignment, "q05", {"answer": "true"})

    response = student_client.post(url("assignment_submit", assignment))
    page = student_client.get(response["Location"])
    html = page.content.decode()

    assert response.status_code == 303 and response["Location"].endswith("?attempt=1")
    assert "Your answers are submitted." in html
    assert "Results will be available when your teacher releases them." in html
    assert f"1 of {QUESTION_COUNT} questions" in html
    assert student_client.get(url("assignment_take", assignment))["Location"] == url(
        "assignment_home", assignment
    )


def test_results_of_another_students_attempt_are_404(
    student_client: Client,
    class_student: User,
    make_assignment: MakeAssignment,
    make_user: Callable[..., User],
    classroom: Classroom,
) -> None:
    assignment = make_assignment()
    start(student_client, assignment)
    student_client.post(url("assignment_submit", assignment))
    theirs = Attempt.objects.get()
    classmate = make_user("lina")
    other = client_of(classmate)
    other.post(reverse("lessons:join_class"), {"code": classroom.join_code})

    assert other.get(url("assignment_results_student", assignment) + "?attempt=1").status_code == 404
    assert other.post(url("assignment_submit", assignment), {"attempt": theirs.pk}).status_code == 404
    assert student_client.get(url("assignment_results_student", assignment) + "?attempt=7").status_code == 404


def test_results_show_the_teachers_grade_of_an_open_answer(
    student_client: Client, teacher: User, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    start(student_client, assignment)
    save(student_client, assignment, "q22", {"answer": "Only requests are reported."})
    student_client.post(url("assignment_submit", assignment))
    waiting = student_client.get(url("assignment_results_student", assignment)).content.decode()
    response = Attempt.objects.get().responses.get(question_key="q22")
    criteria = {
        criterion["id"]: 1 for criterion in assignment.revision.content["questions"][-1]["answer"]["rubric"]
    }
    response_grade(
        response=response, by=teacher, criterion_scores=criteria, comment="Good start.", expected_version=0
    )

    graded = student_client.get(url("assignment_results_student", assignment)).content.decode()

    assert "1 open answer is waiting for your teacher’s grade" in waiting
    assert "Good start." in graded and "waiting for your teacher" not in graded


# ----------------------------------------------------------------------------------------------------
# Rule 1: key material only when the policy releases it


def _release(policy: str, assignment: Assignment, client: Client) -> None:
    """Whatever releases feedback under `policy`, after the attempt was submitted."""
    if policy == FeedbackRelease.AFTER_DUE:
        return  # the test travels past the due date
    if policy == FeedbackRelease.MANUAL:
        assignment_release_feedback(teacher=assignment.created_by, assignment=assignment)


@pytest.mark.parametrize(
    "policy",
    [
        FeedbackRelease.IMMEDIATELY,
        FeedbackRelease.AFTER_SUBMIT,
        FeedbackRelease.AFTER_DUE,
        FeedbackRelease.MANUAL,
    ],
)
def test_key_material_reaches_the_student_only_when_released(
    student_client: Client,
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
    policy: str,
) -> None:
    explanation = markdown_to_html(first_lesson_data["questions"][0]["answer"]["explanation"])
    wrong_choice_feedback = first_lesson_data["questions"][0]["answer"]["option_feedback"]["b"]
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), feedback_release=policy
        )
        start(student_client, assignment)
        take_before = student_client.get(url("assignment_take", assignment)).content.decode()
        saved = save(student_client, assignment, "q01", {"answer": "b"}, htmx=True)
        save(student_client, assignment, "q22", {"answer": "Only requests are reported."})
        take_after = student_client.get(url("assignment_take", assignment)).content.decode()

        assert leaks(take_before, first_lesson_data) == []
        if policy == FeedbackRelease.IMMEDIATELY:
            # Feedback follows each answer: the two answered questions' feedback, nobody else's.
            assert explanation in take_after and wrong_choice_feedback in take_after
            assert leaks(take_after, first_lesson_data, keys={"q02", "q03", "q19", "q20", "q21"}) == []
        else:
            assert saved.status_code == 200
            assert leaks(saved.content.decode(), first_lesson_data) == []
            assert leaks(take_after, first_lesson_data) == []

        student_client.post(url("assignment_submit", assignment))
        results = student_client.get(url("assignment_results_student", assignment)).content.decode()
        home = student_client.get(url("assignment_home", assignment)).content.decode()
        classes = student_client.get(reverse("lessons:my_classes")).content.decode()
        assert leaks(home, first_lesson_data) == [] and leaks(classes, first_lesson_data) == []
        if policy in (FeedbackRelease.AFTER_DUE, FeedbackRelease.MANUAL):
            assert leaks(results, first_lesson_data) == []
            assert "Your answers are submitted." in results
            assert " of 47 points" not in text_of(results) and " of 47 points" not in text_of(home)
            assert "See your results" not in classes

    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        _release(policy, assignment, student_client)
        released = student_client.get(url("assignment_results_student", assignment)).content.decode()
        home = student_client.get(url("assignment_home", assignment)).content.decode()
        classes = student_client.get(reverse("lessons:my_classes")).content.decode()

    assert explanation in released and wrong_choice_feedback in released
    assert 'class="right-answer"' in released and "Venezuela’s Transport Minister" in released
    model_answer = markdown_to_html(first_lesson_data["questions"][-1]["answer"]["model_answer"])
    assert model_answer in released and 'class="rubric"' in released
    assert "0 of 47 points" in text_of(released) and "0 of 47 points" in text_of(home)
    assert "See your results" in classes
    # Only the questions answered get feedback: the others say "Not answered."
    assert released.count('class="feedback ') == 2


@pytest.mark.parametrize("policy", [FeedbackRelease.AFTER_SUBMIT, FeedbackRelease.IMMEDIATELY])
def test_the_html_kept_for_reuse_holds_no_key_material_a_student_was_not_shown(
    student_client: Client, make_assignment: MakeAssignment, first_lesson_data: dict[str, Any], policy: str
) -> None:
    """Rendered Markdown is kept per process (lessons.rendering) and served to every student whose page
    shows that text, and each question's blank form is kept per assignment (lessons.web.question_fragments)
    and filled in for every student: after a student's pages, what is kept holds no key material they were
    not shown, and a page built from kept fragments is the page built without them."""
    forget_fragments()
    forget_question_fragments()
    with time_machine.travel(NOW, tick=False):  # the countdown on the page stays the same
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), feedback_release=policy
        )
        start(student_client, assignment)
        first = student_client.get(url("assignment_take", assignment)).content.decode()
        save(student_client, assignment, "q01", {"answer": "b"}, htmx=True)
        kept_forms = kept_fragments()
        kept = "\n".join(cached_fragments() + kept_forms)
        again = student_client.get(url("assignment_take", assignment)).content.decode()
        forget_fragments()
        forget_question_fragments()
        cold = student_client.get(url("assignment_take", assignment)).content.decode()

    shown = {"q01"} if policy == FeedbackRelease.IMMEDIATELY else set()
    others = {question["id"] for question in first_lesson_data["questions"]} - shown
    assert markdown_to_html(first_lesson_data["questions"][1]["prompt"]) in kept  # prompts are kept
    # Forms saved as given are kept (every question's); where feedback follows each answer, none is.
    forms = [fragment for fragment in kept_forms if fragment.lstrip().startswith('<section class="question')]
    questions = len(first_lesson_data["questions"])
    assert len(forms) == (0 if policy == FeedbackRelease.IMMEDIATELY else questions)
    assert leaks(kept, first_lesson_data, keys=others) == []
    assert leaks(first, first_lesson_data) == [] and leaks(again, first_lesson_data, keys=others) == []
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked anew on every page
    assert unmasked.sub("", again) == unmasked.sub("", cold)


def test_another_students_work_never_shows(
    student_client: Client,
    class_student: User,
    classroom: Classroom,
    make_user: Callable[..., User],
    make_assignment: MakeAssignment,
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.IMMEDIATELY)
    classmate = make_user("lina")
    client_of(classmate).post(reverse("lessons:join_class"), {"code": classroom.join_code})
    theirs = assignment_attempt_start(assignment=assignment, student=classmate)
    response_save(
        learner=theirs.learner,
        attempt=theirs,
        question_key="q03",
        answer="A very particular answer",
        sequence=1,
    )
    start(student_client, assignment)

    for name in ("assignment_take", "assignment_home"):
        assert "A very particular answer" not in student_client.get(url(name, assignment)).content.decode()


# ----------------------------------------------------------------------------------------------------
# Building blocks: a saved answer back in its form; shuffling


def test_every_kind_of_saved_answer_goes_back_into_its_form(first_lesson_data: dict[str, Any]) -> None:
    """`saved_answer_data` is the inverse of `answer_from_post`, and the form shows the answer as given."""
    sentence_ids = [s["id"] for paragraph in first_lesson_data["article"]["paragraphs"] for s in paragraph]
    sentences = [SentenceRef(sid, sid, 1) for sid in sentence_ids]
    for question in first_lesson_data["questions"]:
        key = question["answer"]
        answer = {"short_answer": "Washington Post", "open_response": "Requests, not deliveries."}.get(
            question["kind"], key["correct"]
        )
        if question["kind"] == "numeric":
            answer = key["correct"]["value"]  # a number is typed; the key adds its tolerance and unit
        evidence = list(question["evidence"]) if question["evidence_part"] else None
        data = saved_answer_data(question, answer, evidence)

        assert answer_from_post(question, data) == (answer, evidence), question["id"]
        form = answer_form(question, sentences, data)
        picked = [c.value for c in form.choices + form.standings + form.evidence_choices if c.checked]
        picked += [c.value for select in form.selects for c in select.choices if c.checked]
        assert picked or form.text, question["id"]


def test_shuffled_slots_are_stable_renumbered_and_leave_the_originals(first_lesson: Lesson) -> None:
    revision = first_lesson.published_revision
    assert revision is not None
    view = student_view_of(revision)
    slots = question_slots(revision, view, {}, [])
    original = [(slot.number, slot.key, [o["id"] for o in slot.question["options"]]) for slot in slots]

    one = shuffled_slots(slots, seed="7:42", questions=True, options=True)
    again = shuffled_slots(slots, seed="7:42", questions=True, options=True)
    other = shuffled_slots(slots, seed="7:43", questions=True, options=True)
    only_options = shuffled_slots(slots, seed="7:42", questions=False, options=True)

    assert [s.key for s in one] == [s.key for s in again] != [s.key for s in other]
    assert [s.number for s in one] == list(range(1, len(slots) + 1))
    assert [s.key for s in only_options] == [s.key for s in slots]
    assert [o["id"] for o in one[0].question["options"]] == [o["id"] for o in again[0].question["options"]]
    by_key = {s.key: s for s in one}
    for slot in slots:
        assert sorted(o["id"] for o in by_key[slot.key].question["options"]) == sorted(
            o["id"] for o in slot.question["options"]
        )
    assert [(s.number, s.key, [o["id"] for o in s.question["options"]]) for s in slots] == original


# ----------------------------------------------------------------------------------------------------
# A regrade after a key fix, and queries


def test_results_after_a_regrade_come_from_the_corrected_key(
    student_client: Client,
    teacher: User,
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
) -> None:
    assignment = make_assignment()
    start(student_client, assignment)
    save(student_client, assignment, "q05", {"answer": "false"})
    student_client.post(url("assignment_submit", assignment))
    corrected = copy.deepcopy(first_lesson_data)
    q05 = next(q for q in corrected["questions"] if q["id"] == "q05")
    q05["answer"]["correct"] = not q05["answer"]["correct"]
    q05["answer"]["explanation"] = "The corrected explanation of question five, after the key was fixed."
    lesson_import(data=corrected, replace=True)
    assignment_regrade(assignment=assignment, by=teacher, note="q05 key fixed")

    html = student_client.get(url("assignment_results_student", assignment)).content.decode()

    assert "The corrected explanation of question five" in html
    assert Attempt.objects.get().earned == (1 if q05["answer"]["correct"] is False else 0)


def test_my_classes_and_the_assignment_page_take_the_same_queries_for_more_assignments(
    student_client: Client,
    make_assignment: MakeAssignment,
    django_assert_max_num_queries: Any,
) -> None:
    counts: dict[str, list[int]] = {"my_classes": [], "assignment_home": []}
    for total in (2, 6):
        while Assignment.objects.count() < total:
            assignment = make_assignment(attempts_allowed=3)
            start(student_client, assignment)
            student_client.post(url("assignment_submit", assignment))
            start(student_client, assignment)
        student_client.get(reverse("lessons:my_classes"))  # warm up
        with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as captured:
            assert student_client.get(reverse("lessons:my_classes")).status_code == 200
        counts["my_classes"].append(len(captured))
        with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as captured:
            assert student_client.get(url("assignment_home", assignment)).status_code == 200
        counts["assignment_home"].append(len(captured))
    print("queries at 2 and 6 assignments:", counts)
    assert counts["my_classes"][0] == counts["my_classes"][1]
    assert counts["assignment_home"][0] == counts["assignment_home"][1]


def test_an_assignment_attempt_is_out_of_reach_of_the_self_study_pages(
    student_client: Client,
    make_assignment: Callable[..., Assignment],
    class_student: User,
    first_lesson: Lesson,
) -> None:
    """Rule 1: what the release policy holds back must not come out through the self-study player, its
    summary or the progress pages, even for a lesson that is public."""
    assignment = make_assignment(feedback_release=FeedbackRelease.MANUAL)
    attempt = assignment_attempt_start(assignment=assignment, student=class_student)
    response_save(learner=attempt.learner, attempt=attempt, question_key="q04", answer="b")  # right
    slug = first_lesson.slug

    refused = [
        student_client.get(reverse("lessons:attempt_summary", args=[attempt.pk])),
        student_client.get(f"{reverse('lessons:play', args=[slug])}?attempt={attempt.pk}"),
        student_client.post(
            reverse("lessons:answer", args=[slug, "q05"]), {"attempt": attempt.pk, "answer": "true"}
        ),
        student_client.post(reverse("lessons:finish", args=[slug]), {"attempt": attempt.pk}),
    ]

    assert [response.status_code for response in refused] == [404, 409, 409, 409]
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.state == AttemptState.OPEN
    assert list(stored.responses.values_list("question_key", flat=True)) == ["q04"]
    progress = student_client.get(reverse("lessons:progress")).content.decode()
    assert first_lesson.title not in progress
    actor = student_client.get(reverse("lessons:progress_actor", args=["venezuela"])).content.decode()
    assert "q04" not in actor and "Velazquez" not in actor
    # Beneath the hold, the self-study selectors do not see the assignment's attempt at all.
    assert attempt_for_learner(class_student, attempt_id=attempt.pk) is None
    assert open_attempt_of(class_student, lesson_id=first_lesson.pk) is None


def test_self_study_of_an_assigned_lesson_waits_until_the_assignment_is_handed_in_and_released(
    student_client: Client,
    make_assignment: Callable[..., Assignment],
    class_student: User,
    first_lesson: Lesson,
    teacher: User,
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.MANUAL)
    play = reverse("lessons:play", args=[first_lesson.slug])

    before = student_client.get(play)

    assert before.status_code == 409
    html = before.content.decode()
    assert "This lesson is assigned to you in Civics 9B." in html
    assert f'href="{reverse("lessons:assignment_home", args=[assignment.pk])}"' in html
    assert not Attempt.objects.filter(learner=class_student, assignment__isnull=True).exists()
    attempt = assignment_attempt_start(assignment=assignment, student=class_student)
    attempt_submit(learner=attempt.learner, attempt=attempt)
    assert student_client.get(play).status_code == 409  # handed in, results not out yet
    assignment_release_feedback(teacher=teacher, assignment=assignment)
    assert student_client.get(play).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "held"),
    [
        ({"feedback_release": FeedbackRelease.AFTER_SUBMIT}, True),  # not started: it may still be answered
        (
            {"opens_at": NOW + dt.timedelta(days=1), "due_at": NOW + dt.timedelta(days=2)},
            True,
        ),  # not yet open
        ({"opens_at": NOW - dt.timedelta(days=2), "due_at": NOW - dt.timedelta(days=1)}, False),  # closed
        (
            {
                "opens_at": NOW - dt.timedelta(days=2),
                "due_at": NOW - dt.timedelta(days=1),
                "late_policy": LatePolicy.ACCEPT,
            },
            True,  # past due, but late work is accepted
        ),
    ],
    ids=["open", "not-yet-open", "closed", "late-accepted"],
)
def test_which_assignments_hold_self_study(
    make_assignment: Callable[..., Assignment],
    class_student: User,
    other_student: User,
    first_lesson: Lesson,
    overrides: dict[str, Any],
    held: bool,
) -> None:
    assignment = make_assignment(**overrides)

    assert (self_study_held_by(class_student, lesson_id=first_lesson.pk, now=NOW) == assignment) is held
    assert self_study_held_by(other_student, lesson_id=first_lesson.pk, now=NOW) is None  # not in the class


def test_an_attempt_still_open_past_the_due_date_keeps_self_study_held(
    make_assignment: Callable[..., Assignment], class_student: User, first_lesson: Lesson
) -> None:
    """Saves are taken in the grace after the due date, and an open attempt is handed in when next seen."""
    due = NOW + dt.timedelta(hours=1)
    assignment = make_assignment(opens_at=NOW - dt.timedelta(hours=1), due_at=due)
    assignment_attempt_start(assignment=assignment, student=class_student, now=NOW)

    for later in (dt.timedelta(seconds=5), dt.timedelta(days=3)):
        assert self_study_held_by(class_student, lesson_id=first_lesson.pk, now=due + later) == assignment


def test_the_submitted_page_says_so_once_and_ends_the_due_time_with_its_full_stop(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1),
            due_at=NOW + dt.timedelta(days=1),
            feedback_release=FeedbackRelease.AFTER_DUE,
        )
        start(student_client, assignment)
        submitted = student_client.post(url("assignment_submit", assignment), follow=True)

    html = submitted.content.decode()
    assert submitted.redirect_chain[-1][1] == 303
    assert text_of(html).count("Your answers are submitted.") == 1
    assert re.search(
        r"Results will be available after the due date: <time [^>]+>[^<]+<abbr[^>]+>UTC</abbr></time>\.", html
    )
    assert "UTC ." not in text_of(html)


def _an_answer(question: dict[str, Any]) -> Any:
    """An answer for a question of any kind: its key's (the shapes grading takes), or text with characters
    that HTML escapes."""
    correct = question["answer"]["correct"]
    if question["kind"] == "numeric":
        return 1000
    return correct if correct is not None else 'Xi & "Jinping" <i>'


@pytest.mark.parametrize("shuffled", [False, True])
def test_a_page_built_from_kept_question_html_is_the_page_rendered_without_it(
    student_client: Client, make_assignment: MakeAssignment, first_lesson_data: dict[str, Any], shuffled: bool
) -> None:
    """Every kind's form, blank and filled with a saved answer (and supporting sentences), is the same
    whether the take page builds it from the HTML kept per process (lessons.web.question_fragments) or
    renders it through the templates."""
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1),
            shuffle_questions=shuffled, shuffle_options=shuffled,
        )  # fmt: skip
        start(student_client, assignment)
        blank_kept = student_client.get(url("assignment_take", assignment)).content.decode()
        keep_question_fragments(False)
        try:
            blank_rendered = student_client.get(url("assignment_take", assignment)).content.decode()
        finally:
            keep_question_fragments(True)
        attempt = Attempt.objects.get()
        for question in first_lesson_data["questions"]:
            response_save(
                learner=attempt.learner, attempt=attempt, question_key=question["id"],
                answer=_an_answer(question), sequence=3,
                evidence=question["evidence"][:2] if question["evidence_part"] else None,
            )  # fmt: skip
        student_client.get(url("assignment_take", assignment))
        filled_kept = student_client.get(url("assignment_take", assignment)).content.decode()
        kept, pages = kept_fragments(), kept_pages()
        keep_question_fragments(False)
        try:
            filled_rendered = student_client.get(url("assignment_take", assignment)).content.decode()
        finally:
            keep_question_fragments(True)

    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    # Kept for every question but those whose form is laid out by the saved answer (rendered each time).
    arranged = [
        q for q in first_lesson_data["questions"] if get_kind(q["kind"]).shape.form_arranged_by_answer
    ]
    forms = [fragment for fragment in kept if fragment.lstrip().startswith('<section class="question')]
    assert arranged and len(forms) == len(first_lesson_data["questions"]) - len(arranged)
    statuses = [fragment for fragment in kept if fragment.startswith('<p class="save-status')]
    assert len(statuses) == len(forms)  # each saved answer's status, its time and sequence left out
    assert not any(status.count("987654321") != 1 for status in statuses)
    # And the article, the reading aids as this student's page shows them, the counts of questions answered
    # (blank and filled) and the page around them all.
    assert len(kept) == len(forms) + len(statuses) + 4 and len(pages) == 1
    assert pages[0].startswith("<!doctype html>")
    assert unmasked.sub("", blank_kept) == unmasked.sub("", blank_rendered)
    assert unmasked.sub("", filled_kept) == unmasked.sub("", filled_rendered)
    assert filled_kept.count(" checked") > 10 and filled_kept.count(" selected") > 5
    assert "Xi &amp; &quot;Jinping&quot; &lt;i&gt;" in filled_kept and "data-saved" in filled_kept
    assert blank_kept.count('name="csrfmiddlewaretoken"') == filled_kept.count('name="csrfmiddlewaretoken"')


@pytest.mark.parametrize("policy", [FeedbackRelease.AFTER_SUBMIT, FeedbackRelease.IMMEDIATELY])
def test_a_page_kept_from_one_students_visit_serves_another_as_rendered_for_them(
    student_client: Client,
    class_student: User,
    classroom: Classroom,
    make_user: Callable[..., User],
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
    policy: str,
) -> None:
    """The page around the questions is kept per assignment (lessons.web.question_fragments.page_html) and
    filled in for each student: a classmate's page built from the one kept after this student's visit is
    the page rendered for the classmate without keeping anything (their name, attempt, countdown, answers,
    progress and reading aids), and what is kept holds nothing of either student nor key material."""
    forget_question_fragments()
    classmate = make_user("lina")
    other = client_of(classmate)
    other.post(reverse("lessons:join_class"), {"code": classroom.join_code})
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), feedback_release=policy,
            time_limit_minutes=45, shuffle_questions=True, shuffle_options=True,
        )  # fmt: skip
        start(student_client, assignment)
        save(student_client, assignment, "q01", {"answer": "b"}, htmx=True)
        mine = student_client.get(url("assignment_take", assignment)).content.decode()
        start(other, assignment)
        save(other, assignment, "q03", {"answer": "A very particular answer"}, htmx=True)
        save(other, assignment, "q01", {"answer": "a"}, htmx=True)
        theirs_kept = other.get(url("assignment_take", assignment)).content.decode()
        kept, pages = kept_fragments(), kept_pages()
        keep_question_fragments(False)
        try:
            theirs_rendered = other.get(url("assignment_take", assignment)).content.decode()
        finally:
            keep_question_fragments(True)

    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert len(pages) == 1  # one page, kept from the first visit, filled in for both
    assert unmasked.sub("", theirs_kept) == unmasked.sub("", theirs_rendered)
    assert "Signed in as lina" in theirs_kept and class_student.username not in theirs_kept
    assert "A very particular answer" in theirs_kept and "A very particular answer" not in mine
    assert "data-countdown-clock" in theirs_kept
    assert f"2 of {QUESTION_COUNT} questions answered" in theirs_kept
    own = Attempt.objects.get(learner=classmate)
    assert f'data-attempt="{own.pk}"' in theirs_kept and f'data-attempt="{own.pk}"' not in mine
    everything = "\n".join(kept)
    assert "lina" not in everything and class_student.username not in everything
    assert "A very particular answer" not in everything
    assert not unmasked.search(everything.replace(f'value="{CSRF_MARK}"', ""))
    assert leaks(everything, first_lesson_data) == []  # no key material, no feedback at all
