"""Saving an assignment's answers as they are given: the autosave endpoint with and without htmx, sequence
numbers, refusals once the attempt is closed or past its deadline, whose attempt a save reaches, and the
queries a save and the take page make (DESIGN.md rules 2, 3 and 8)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories.lessons import load_lesson, repeated_questions_document

from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    FeedbackRelease,
    Lesson,
    Response,
)
from lessons.policy import DEADLINE_GRACE
from lessons.selectors.revisions import forget_revisions
from lessons.services import attempt_submit, lesson_import, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_regrade,
    classroom_join,
    classroom_remove_student,
)
from lessons.web.views.student_assignments import forget_question_forms

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)

MakeAssignment = Callable[..., Assignment]


# ----------------------------------------------------------------------------------------------------
# Fixtures and helpers


def lesson_of(data: dict[str, Any], count: int) -> Lesson:
    """A published lesson of `count` questions: the fixture's questions repeated with new ids."""
    return load_lesson(repeated_questions_document(data, count))


def take_url(assignment: Assignment) -> str:
    return reverse("lessons:assignment_take", args=[assignment.pk])


def save_url(assignment: Assignment, key: str) -> str:
    return reverse("lessons:assignment_save", args=[assignment.pk, key])


def started(client: Client, assignment: Assignment) -> tuple[Attempt, str]:
    """Start (or resume) through the page as a student does; the attempt and the take page's HTML."""
    assert client.post(take_url(assignment)).status_code == 303
    page = client.get(take_url(assignment))
    assert page.status_code == 200
    return Attempt.objects.get(assignment=assignment, state=AttemptState.OPEN), page.content.decode()


def form_fields(html: str, key: str) -> dict[str, str]:
    """The hidden fields of a question's form on the page: the attempt's token and the next sequence."""
    section = html[html.index(f'id="question-{key}"') :]
    token = re.search(r'name="attempt" value="([^"]+)"', section)
    sequence = re.search(r'name="sequence" value="(\d+)"', section)
    assert token and sequence
    return {"attempt": token.group(1), "sequence": sequence.group(1)}


def save(
    client: Client,
    assignment: Assignment,
    key: str,
    data: dict[str, Any],
    *,
    token: str,
    sequence: int | None,
    htmx: bool = False,
    target: str = "",
) -> Any:
    fields: dict[str, Any] = {"attempt": token, **data}
    if sequence is not None:
        fields["sequence"] = sequence
    headers = dict(HTMX) if htmx else {}
    if target:
        headers["HX-Target"] = target
    return client.post(save_url(assignment, key), fields, headers=headers)


def stored(attempt: Attempt, key: str) -> Response:
    return Response.objects.get(attempt=attempt, question_key=key)


_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.I)


@contextmanager
def data_queries() -> Iterator[list[str]]:
    """The statements that read or write data, without BEGIN, COMMIT and savepoints: under a test's
    wrapping transaction `transaction.atomic` turns into a SAVEPOINT pair (and SQLite adds a BEGIN), which
    in production on PostgreSQL are not statements of their own."""
    statements: list[str] = []
    with CaptureQueriesContext(connection) as captured:
        yield statements
    statements.extend(q["sql"] for q in captured.captured_queries if not _TRANSACTION_CONTROL.match(q["sql"]))


# ----------------------------------------------------------------------------------------------------
# Saving, with and without JS


def test_a_save_without_js_redirects_back_to_the_question(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    fields = form_fields(html, "q01")
    assert fields["sequence"] == "1"

    response = save(student_client, assignment, "q01", {"answer": "b"}, token=fields["attempt"], sequence=1)

    assert response.status_code == 303
    assert response["Location"] == f"{take_url(assignment)}#question-q01"
    saved = stored(attempt, "q01")
    assert (saved.answer, saved.sequence) == ("b", 1)
    page = student_client.get(take_url(assignment)).content.decode()
    assert form_fields(page, "q01")["sequence"] == "2"  # the next save of this answer
    assert 'name="answer" value="b" checked' in page


def test_an_htmx_save_returns_the_saved_state(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q05")["attempt"]

    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 42, 5, tzinfo=dt.UTC), tick=False):
        # The due date is real time + 7 days, well after this.
        response = save(
            student_client, assignment, "q05", {"answer": "true"}, token=token, sequence=1, htmx=True
        )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="save-q05"' in body and 'role="status"' in body
    assert "Saved at 10:42:05" in body
    assert 'data-sequence="1"' in body and "data-saved" in body
    assert stored(attempt, "q05").answer is True


def test_the_answer_can_change_until_submitted(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]

    for sequence, answer in enumerate(("a", "c", "b"), start=1):
        assert (
            save(
                student_client, assignment, "q01", {"answer": answer}, token=token, sequence=sequence
            ).status_code
            == 303
        )

    saved = stored(attempt, "q01")
    assert (saved.answer, saved.sequence, saved.correct) == ("b", 3, False)
    assert Response.objects.filter(attempt=attempt).count() == 1


def test_a_stale_sequence_leaves_the_newer_answer(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q03")["attempt"]
    assert (
        save(
            student_client, assignment, "q03", {"answer": "newer"}, token=token, sequence=5, htmx=True
        ).status_code
        == 200
    )

    late = save(student_client, assignment, "q03", {"answer": "older"}, token=token, sequence=4, htmx=True)
    retried = save(student_client, assignment, "q03", {"answer": "newer"}, token=token, sequence=5, htmx=True)

    assert stored(attempt, "q03").answer == "newer"
    assert stored(attempt, "q03").sequence == 5
    assert late.status_code == 200 and "A newer answer to this question" in late.content.decode()
    assert retried.status_code == 200 and "A newer answer" not in retried.content.decode()
    assert "Saved at" in retried.content.decode()


def test_a_stale_save_without_js_says_so_on_the_page(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q03")["attempt"]
    save(student_client, assignment, "q03", {"answer": "newer"}, token=token, sequence=2)

    response = save(student_client, assignment, "q03", {"answer": "older"}, token=token, sequence=1)

    assert response.status_code == 303
    page = student_client.get(take_url(assignment)).content.decode()
    assert "A newer answer to this question" in page
    assert 'value="newer"' in page and stored(attempt, "q03").answer == "newer"


def test_a_bad_answer_is_400_with_its_message(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1)

    fragment = save(student_client, assignment, "q01", {"answer": "zz"}, token=token, sequence=2, htmx=True)
    page = save(student_client, assignment, "q01", {"answer": "zz"}, token=token, sequence=2)

    assert fragment.status_code == 400
    body = fragment.content.decode()
    assert 'id="save-q01"' in body and "zz" in body  # the message names the unknown option
    assert "Saved at" in body  # the answer saved before is kept, and says so
    assert fragment["HX-Reswap"] == "outerHTML"
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="question-q01-error"' in html
    assert stored(attempt, "q01").answer == "a"


def test_a_bad_sequence_is_400(student_client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]

    for bad in ("x", "0", "-3"):
        response = student_client.post(
            save_url(assignment, "q01"), {"attempt": token, "answer": "a", "sequence": bad}, headers=HTMX
        )
        assert response.status_code == 400
        assert "sequence" in response.content.decode()
    assert not Response.objects.filter(attempt=attempt).exists()


def test_an_unknown_question_is_400(student_client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]

    response = save(student_client, assignment, "q99", {"answer": "a"}, token=token, sequence=1, htmx=True)

    assert response.status_code == 400
    assert Response.objects.filter(attempt=attempt).count() == 0


# ----------------------------------------------------------------------------------------------------
# A closed attempt refuses saves: after submitting, after the deadline


def test_a_save_after_submitting_is_409_with_a_notice(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1)
    assert student_client.post(reverse("lessons:assignment_submit", args=[assignment.pk])).status_code == 303

    fragment = save(student_client, assignment, "q01", {"answer": "b"}, token=token, sequence=2, htmx=True)
    page = save(student_client, assignment, "q01", {"answer": "b"}, token=token, sequence=2)

    assert fragment.status_code == 409
    assert "can no longer change" in fragment.content.decode()
    trigger = json.loads(fragment["HX-Trigger"])
    assert "can no longer change" in trigger["quizsite:attempt-closed"]["message"]
    assert page.status_code == 409
    assert 'role="alert"' in page.content.decode() and "can no longer change" in page.content.decode()
    assert stored(attempt, "q01").answer == "a"


def test_a_save_past_the_deadline_is_refused_and_submits_what_was_saved(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), time_limit_minutes=20
        )
        attempt, html = started(student_client, assignment)
        token = form_fields(html, "q01")["attempt"]
        assert (
            save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1).status_code
            == 303
        )
    deadline = NOW + dt.timedelta(minutes=20) + DEADLINE_GRACE
    assert attempt.deadline == deadline

    with time_machine.travel(deadline, tick=False):  # at the deadline itself: still accepted
        assert (
            save(student_client, assignment, "q05", {"answer": "true"}, token=token, sequence=1).status_code
            == 303
        )
    with time_machine.travel(deadline + dt.timedelta(seconds=1), tick=False):
        response = save(
            student_client, assignment, "q10", {"answer": "false"}, token=token, sequence=1, htmx=True
        )

    assert response.status_code == 409
    assert "time for this attempt is over" in response.content.decode()
    assert "quizsite:attempt-closed" in response["HX-Trigger"]
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED and attempt.auto_submitted
    assert set(Response.objects.filter(attempt=attempt).values_list("question_key", flat=True)) == {
        "q01",
        "q05",
    }
    assert attempt.earned == sum(r.earned for r in Response.objects.filter(attempt=attempt))


def test_a_save_past_the_deadline_without_js_shows_the_notice(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), time_limit_minutes=20
        )
        attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]

    with time_machine.travel(NOW + dt.timedelta(minutes=21) + DEADLINE_GRACE, tick=False):
        response = save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1)

    assert response.status_code == 409
    html = response.content.decode()
    assert "time for this attempt is over" in html and 'role="alert"' in html
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED


def test_submitting_twice_gives_the_same_result(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    save(student_client, assignment, "q01", {"answer": "a", "evidence": ["p3s4"]}, token=token, sequence=1)
    submit_url = reverse("lessons:assignment_submit", args=[assignment.pk])

    first = student_client.post(submit_url, {"attempt": attempt.pk})
    attempt.refresh_from_db()
    once = (attempt.state, attempt.submitted_at, attempt.earned)
    second = student_client.post(submit_url, {"attempt": attempt.pk})
    attempt.refresh_from_db()

    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert (attempt.state, attempt.submitted_at, attempt.earned) == once
    assert once[0] == AttemptState.SUBMITTED and once[2] == 2


# ----------------------------------------------------------------------------------------------------
# Whose attempt a save reaches


def test_a_student_outside_the_class_gets_404(
    client: Client,
    student_client: Client,
    make_assignment: MakeAssignment,
    other_student: User,
    other_classroom: Classroom,
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    outsider = Client()
    outsider.force_login(other_student)

    with_token = save(outsider, assignment, "q01", {"answer": "b"}, token=token, sequence=9, htmx=True)
    without = save(outsider, assignment, "q01", {"answer": "b"}, token="", sequence=9)
    unknown = outsider.post(
        save_url(assignment, "q01").replace(str(assignment.pk), "999999"), {"answer": "b"}
    )

    assert with_token.status_code == without.status_code == unknown.status_code == 404
    assert not Response.objects.filter(attempt=attempt).exists()


def test_a_student_taken_out_of_the_class_can_no_longer_save_from_a_page_already_open(
    student_client: Client,
    make_assignment: MakeAssignment,
    classroom: Classroom,
    class_student: User,
    teacher: User,
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    classroom_remove_student(teacher=teacher, classroom=classroom, student_id=class_student.pk)

    fragment = save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1, htmx=True)
    page = save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1)

    assert fragment.status_code == 404
    assert "You are no longer in this class" in fragment.content.decode()
    assert page.status_code == 404
    assert student_client.post(reverse("lessons:assignment_submit", args=[assignment.pk])).status_code == 404
    assert not Response.objects.filter(attempt=attempt).exists()
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.OPEN


def test_a_page_from_before_a_regrade_is_told_to_reload_and_saves_nothing(
    student_client: Client,
    make_assignment: MakeAssignment,
    teacher: User,
    first_lesson_data: dict[str, Any],
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    old_token = form_fields(html, "q01")["attempt"]
    corrected = copy.deepcopy(first_lesson_data)
    next(q for q in corrected["questions"] if q["id"] == "q01")["answer"]["correct"] = "b"
    lesson_import(data=corrected, replace=True)
    assignment_regrade(assignment=assignment, by=teacher)

    fragment = save(
        student_client, assignment, "q01", {"answer": "b"}, token=old_token, sequence=1, htmx=True
    )

    assert fragment.status_code == 409
    assert "Your teacher corrected this lesson. Reload the page" in fragment.content.decode()
    assert not Response.objects.filter(attempt=attempt).exists()
    reloaded = student_client.get(take_url(assignment)).content.decode()
    new_token = form_fields(reloaded, "q01")["attempt"]
    assert new_token != old_token
    saved = save(student_client, assignment, "q01", {"answer": "b"}, token=new_token, sequence=1, htmx=True)
    assert saved.status_code == 200
    assert stored(attempt, "q01").correct is True  # scored with the corrected key


def test_a_classmate_with_anothers_token_reaches_only_their_own_attempt(
    student_client: Client,
    make_assignment: MakeAssignment,
    classroom: Classroom,
    make_user: Callable[..., User],
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1)
    classmate = make_user("lina")
    assert classroom.join_code is not None
    classroom_join(student=classmate, code=classroom.join_code)
    other = Client()
    other.force_login(classmate)

    not_started = save(other, assignment, "q01", {"answer": "b"}, token=token, sequence=2, htmx=True)
    assert not_started.status_code == 409 and "not started" in not_started.content.decode()
    own = assignment_attempt_start(assignment=assignment, student=classmate)
    saved = save(other, assignment, "q01", {"answer": "b"}, token=token, sequence=2, htmx=True)

    assert saved.status_code == 200
    assert stored(attempt, "q01").answer == "a"
    assert stored(own, "q01").answer == "b"


def test_a_tampered_token_falls_back_to_the_students_own_attempt(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    learner, assignment_id, attempt_id, rest = token.split(".", 3)
    forged = f"{learner}.{assignment_id}.{int(attempt_id) + 1}.{rest}"

    response = save(student_client, assignment, "q01", {"answer": "c"}, token=forged, sequence=1, htmx=True)

    assert response.status_code == 200
    assert stored(attempt, "q01").answer == "c"


def test_saving_is_post_only_and_needs_a_login(client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment()
    assert client.post(save_url(assignment, "q01"), {"answer": "a"}).status_code == 302
    htmx = client.post(save_url(assignment, "q01"), {"answer": "a"}, headers=HTMX)
    assert htmx.status_code == 200 and "HX-Redirect" in htmx


def test_saving_with_get_is_405(student_client: Client, make_assignment: MakeAssignment) -> None:
    assignment = make_assignment()
    assert student_client.get(save_url(assignment, "q01")).status_code == 405


# ----------------------------------------------------------------------------------------------------
# Feedback immediately: answers are final, the question comes back with its feedback


def test_with_feedback_immediately_the_answer_is_final_and_shows_feedback(
    student_client: Client, make_assignment: MakeAssignment, first_lesson_data: dict[str, Any]
) -> None:
    assignment = make_assignment(feedback_release=FeedbackRelease.IMMEDIATELY)
    attempt, html = started(student_client, assignment)
    fields = form_fields(html, "q01")
    assert 'hx-target="#question-q01"' in html and "data-autosave" not in html

    first = save(
        student_client,
        assignment,
        "q01",
        {"answer": "b"},
        token=fields["attempt"],
        sequence=1,
        htmx=True,
        target="question-q01",
    )
    changed = save(
        student_client,
        assignment,
        "q01",
        {"answer": "a"},
        token=fields["attempt"],
        sequence=2,
        htmx=True,
        target="question-q01",
    )

    explanation = first_lesson_data["questions"][0]["answer"]["option_feedback"]["b"]
    assert first.status_code == 200 and explanation in first.content.decode()
    assert "quizsite:evidence" in first["HX-Trigger"]
    assert changed.status_code == 409
    assert stored(attempt, "q01").answer == "b"


# ----------------------------------------------------------------------------------------------------
# Queries (rule 8)


def test_autosave_of_one_answer_takes_one_statement_at_10_and_40_questions(
    student_client: Client,
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    """One upsert that checks the session, the user, the attempt and keeps the newer sequence (the lean
    path, lessons.web.autosave): the page's signed token names the attempt, its revision and the session,
    and the revision's content and the question's form fields are in memory, so nothing else is read or
    written — the session and the user are not loaded. `django_assert_max_num_queries` counts every
    statement (SQLite's BEGIN under the test's transaction included): at most two."""
    measured: dict[int, tuple[list[str], list[str], list[str]]] = {}
    for count in (10, 40):
        lesson = lesson_of(first_lesson_data, count)
        assignment = make_assignment(lesson=lesson)
        attempt, html = started(student_client, assignment)
        key = "q01-1"
        token = form_fields(html, key)["attempt"]

        runs = []
        for answer, sequence in (("a", 1), ("b", 2), ("b", 3)):  # new, changed, the same again
            with django_assert_max_num_queries(2), data_queries() as statements:
                response = save(
                    student_client,
                    assignment,
                    key,
                    {"answer": answer},
                    token=token,
                    sequence=sequence,
                    htmx=True,
                )
            assert response.status_code == 200
            runs.append(statements)
        assert (stored(attempt, key).answer, stored(attempt, key).sequence) == ("b", 3)
        new_answer, changed, repeated = runs
        for statements in runs:
            assert len(statements) == 1, "\n".join(statements)
            assert "ON CONFLICT" in statements[0] and "django_session" in statements[0]
        measured[count] = (new_answer, changed, repeated)
    print("autosave statements by question count:", {n: [len(r) for r in m] for n, m in measured.items()})
    assert [len(r) for r in measured[10]] == [len(r) for r in measured[40]]


def test_a_save_changes_no_session(
    student_client: Client, make_assignment: MakeAssignment, django_assert_max_num_queries: Any
) -> None:
    """A student's autosaves never write the session: a class saving every few seconds would write it
    thousands of times a minute. (The save's one statement reads the session's row, never writes it.)"""
    assignment = make_assignment()
    _attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    before = Session.objects.get().session_data

    for sequence in (1, 2):
        with data_queries() as statements:
            save(
                student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=sequence, htmx=True
            )
        writes = [
            sql for sql in statements if re.search(r"(INSERT INTO|UPDATE|DELETE FROM) \"?django_session", sql)
        ]
        assert not writes, statements

    assert Session.objects.get().session_data == before


def test_the_take_page_queries_do_not_grow_with_questions(
    student_client: Client,
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    counts: dict[int, int] = {}
    for count in (10, 40):
        lesson = lesson_of(first_lesson_data, count)
        assignment = make_assignment(lesson=lesson, shuffle_questions=True, shuffle_options=True)
        attempt, _html = started(student_client, assignment)
        for question in lesson.published_revision.content["questions"][:6]:  # type: ignore[union-attr]
            if question["kind"] == "single_choice":
                response_save(
                    learner=attempt.learner,
                    attempt=attempt,
                    question_key=question["id"],
                    answer="a",
                    sequence=1,
                )
        with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as captured:
            page = student_client.get(take_url(assignment))
        assert page.status_code == 200
        counts[count] = len(captured)
    print("take page queries by question count:", counts)
    assert counts[10] == counts[40]


def test_the_save_endpoint_works_with_a_cold_cache(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    cache.clear()
    forget_revisions()  # as in a process that has not shown this lesson yet
    forget_question_forms()

    with data_queries() as statements:
        response = save(
            student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=1, htmx=True
        )

    assert response.status_code == 200 and stored(attempt, "q01").answer == "a"
    # The revision from the database, once (the caches have it from then on), then the save.
    assert len(statements) == 2, "\n".join(statements)


def test_submit_then_results_is_a_fresh_attempt_afterwards(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    """A second attempt gets its own token: a form of the first one cannot write into it."""
    assignment = make_assignment(attempts_allowed=2)
    first, html = started(student_client, assignment)
    old_token = form_fields(html, "q01")["attempt"]
    save(student_client, assignment, "q01", {"answer": "a"}, token=old_token, sequence=1)
    attempt_submit(learner=first.learner, attempt=first)
    second, html = started(student_client, assignment)
    assert second.number == 2

    stale_form = save(
        student_client, assignment, "q01", {"answer": "b"}, token=old_token, sequence=2, htmx=True
    )
    fresh = save(
        student_client,
        assignment,
        "q01",
        {"answer": "c"},
        token=form_fields(html, "q01")["attempt"],
        sequence=1,
        htmx=True,
    )

    assert stale_form.status_code == 409
    assert fresh.status_code == 200
    assert stored(first, "q01").answer == "a" and stored(second, "q01").answer == "c"


@pytest.mark.parametrize(
    "huge", [str(2**31 - 1), str(2**31), str(2**63), "9" * 40], ids=["max", "2^31", "2^63", "40-digits"]
)
def test_a_sequence_the_column_cannot_hold_is_400_and_the_page_still_offers_a_next_one(
    student_client: Client, make_assignment: MakeAssignment, huge: str
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]

    refused = student_client.post(
        save_url(assignment, "q01"), {"attempt": token, "answer": "a", "sequence": huge}, headers=HTMX
    )

    assert refused.status_code == 400
    assert "sequence" in refused.content.decode()
    assert not Response.objects.filter(attempt=attempt).exists()
    # The largest sequence accepted leaves the page a next one the column still holds.
    assert (
        save(student_client, assignment, "q01", {"answer": "a"}, token=token, sequence=2**31 - 2).status_code
        == 303
    )
    assert form_fields(student_client.get(take_url(assignment)).content.decode(), "q01")["sequence"] == str(
        2**31 - 1
    )


def test_submit_and_score_take_four_statements_at_10_and_40_questions(
    student_client: Client,
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    """The user, lock the attempt (checking it is the student's, of this assignment, in their class), its
    totals with the assignment's revision as it is now, write it: whatever the lesson's size and the number
    of answers. `django_assert_max_num_queries` also counts the savepoint pair of the service's atomic
    block under the test's transaction."""
    measured: dict[int, list[str]] = {}
    for count in (10, 40):
        lesson = lesson_of(first_lesson_data, count)
        assignment = make_assignment(lesson=lesson)
        attempt, html = started(student_client, assignment)
        keys = [f"q01-{n}" for n in range(1, 5) if f'id="question-q01-{n}"' in html]
        for key in keys:
            token = form_fields(html, key)["attempt"]
            save(student_client, assignment, key, {"answer": "b"}, token=token, sequence=1, htmx=True)
        with django_assert_max_num_queries(4 + 2), data_queries() as statements:
            response = student_client.post(
                reverse("lessons:assignment_submit", args=[assignment.pk]), {"attempt": attempt.pk}
            )
        assert response.status_code == 303
        attempt.refresh_from_db()
        assert attempt.state == AttemptState.SUBMITTED
        assert attempt.earned == sum(stored(attempt, key).earned for key in keys)
        measured[count] = statements
    print("submit statements by question count:", {n: len(m) for n, m in measured.items()})
    assert len(measured[10]) == len(measured[40]) == 4, "\n".join(measured[40])
    assert sum("lessons_assignment" in sql for sql in measured[40]) == 2  # the lock's join, and as it is now


def test_starting_an_attempt_takes_five_statements_at_10_and_40_questions(
    student_client: Client,
    make_assignment: MakeAssignment,
    first_lesson_data: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    """The user, the assignment with the student's terms, the lock on their enrollment, one read of what
    the rules need (extra time, extension, attempts so far, the one in progress), the insert; the revision's
    content once in a process that does not keep it yet. Resuming reads the attempt in progress instead of
    inserting. `django_assert_max_num_queries` also counts the savepoint pair of the atomic block."""
    measured: dict[int, tuple[list[str], list[str], list[str]]] = {}
    for count in (10, 40):
        lesson = lesson_of(first_lesson_data, count)
        assignment = make_assignment(lesson=lesson)
        runs = []
        for cold in (True, False):
            if cold:
                forget_revisions()  # as in a process that has not shown this lesson yet
            else:
                Attempt.objects.filter(assignment=assignment).delete()
            with django_assert_max_num_queries(6 + 2), data_queries() as statements:
                response = student_client.post(take_url(assignment))
            assert response.status_code == 303
            runs.append(statements)
        with django_assert_max_num_queries(5 + 2), data_queries() as resumed:
            assert student_client.post(take_url(assignment)).status_code == 303
        measured[count] = (runs[0], runs[1], resumed)
        assert Attempt.objects.filter(assignment=assignment, state=AttemptState.OPEN).count() == 1
    print("start statements by question count:", {n: [len(r) for r in m] for n, m in measured.items()})
    for cold, warm, resumed in measured.values():
        assert len(cold) == 6 and len(warm) == 5 and len(resumed) == 5, "\n".join(cold + warm + resumed)
        assert sum("FOR UPDATE" in sql for sql in warm) == 1 or connection.vendor == "sqlite"
        assert warm[-1].startswith('INSERT INTO "lessons_attempt"') and not resumed[-1].startswith("INSERT")
    assert [len(r) for r in measured[10]] == [len(r) for r in measured[40]]
