"""Grading open answers, releasing feedback and regrading after a key is corrected.

The grading queue shows each open answer (as the student typed it: escaped text, never Markdown) beside the
model answer and rubric, with a number input per criterion and the response's version hidden in the form.
Two co-teachers grading the same answer at once: the second is refused with 409 and shown the first's
grade, which stays. Bad points: 400 on the field, nothing changed.
"""

from __future__ import annotations

import copy
import datetime as dt
import html as html_lib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from factories.people import person as make_user

from lessons.models import (
    Assignment,
    Attempt,
    Classroom,
    FeedbackRelease,
    Lesson,
    Regrade,
    RegradeChange,
    Response,
)
from lessons.services import attempt_submit, lesson_import, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    classroom_join,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
STUDENT_TEXT = "<b>Not bold</b> **not markdown**\nThe Post cites US documents; nothing is confirmed."


@dataclass
class Graded:
    teacher: User
    co_teacher: User
    classroom: Classroom
    assignment: Assignment
    attempts: dict[str, Attempt]

    def response(self, student: str, key: str = "q22") -> Response:
        return Response.objects.get(attempt=self.attempts[student], question_key=key)


@pytest.fixture
def graded(first_lesson: Lesson) -> Graded:
    teacher = make_user("tess", "Tess", "Teacher", teacher=True)
    co_teacher = make_user("cole", "Cole", "Colleague", teacher=True)
    classroom = classroom_create(teacher=teacher, name="Civics 9B")
    classroom.teachers.add(co_teacher)
    assert classroom.join_code is not None
    assignment = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=T0 - dt.timedelta(days=1),
        due_at=T0 + dt.timedelta(days=2),
        feedback_release=FeedbackRelease.MANUAL,
    )
    script: dict[str, list[tuple[str, Any]]] = {
        "ana": [("q05", True), ("q22", STUDENT_TEXT)],  # 1 point, and an open answer
        "ben": [("q22", "They are sending weapons.")],
        "cat": [("q01", "a"), ("q05", False)],  # 1 point
    }
    attempts = {}
    for name, answers in script.items():
        student = make_user(name, name.title(), "Student")
        classroom_join(student=student, code=classroom.join_code)
        with time_machine.travel(T0, tick=False):
            attempt = assignment_attempt_start(assignment=assignment, student=student, now=T0)
        for seconds, (key, given) in enumerate(answers, start=1):
            response_save(
                learner=attempt.learner,
                attempt=attempt,
                question_key=key,
                answer=given,
                now=T0 + dt.timedelta(seconds=seconds),
            )
        attempts[name] = attempt_submit(
            learner=attempt.learner, attempt=attempt, now=T0 + dt.timedelta(minutes=5)
        )
    return Graded(teacher, co_teacher, classroom, assignment, attempts)


def queue_url(graded: Graded) -> str:
    return reverse("lessons:grading_queue", args=[graded.assignment.pk])


def grade_url(response: Response) -> str:
    return reverse("lessons:grade_response", args=[response.pk])


def grade_data(
    r1: Any = 2, r2: Any = 1, r3: Any = 2, *, version: Any = 0, comment: str = ""
) -> dict[str, Any]:
    return {
        "criterion-r1": r1,
        "criterion-r2": r2,
        "criterion-r3": r3,
        "version": version,
        "comment": comment,
    }


def item_html(html: str, response: Response) -> str:
    return html.split(f'id="response-{response.pk}"', 1)[1].split("</article>", 1)[0]


def text_of(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# ----------------------------------------------------------------------------------------------------
# The queue


def test_queue_shows_the_answer_as_typed_beside_the_model_answer_and_rubric(
    client: Client, graded: Graded, first_lesson_data: dict[str, Any]
) -> None:
    client.force_login(graded.teacher)
    response = client.get(queue_url(graded))

    html = response.content.decode()
    assert response.status_code == 200
    item = item_html(html, graded.response("ana"))
    assert "&lt;b&gt;Not bold&lt;/b&gt; **not markdown**<br>The Post cites US documents" in item
    assert "<b>Not bold</b>" not in html
    q22 = next(q for q in first_lesson_data["questions"] if q["id"] == "q22")
    assert q22["answer"]["model_answer"][:60] in html_lib.unescape(item)
    for criterion in q22["answer"]["rubric"]:
        assert html_lib.escape(criterion["criterion"]) in item
        assert re.search(
            rf'<input type="number" id="[^"]+" name="criterion-{criterion["id"]}" min="0" '
            rf'max="{criterion["points"]}" step="1" required value="">',
            item,
        )
    assert '<input type="hidden" name="version" value="0">' in item
    assert f'action="{grade_url(graded.response("ana"))}"' in item
    assert 'name="comment"' in item
    assert '<button type="submit" class="primary">Save grade</button>' in item  # styled as the main action
    assert "Waiting for a grade (2)" in html and "Graded (0)" in html
    assert "Cat" not in text_of(html.split("Waiting for a grade")[1])  # no open answer, not in the queue


def test_queue_is_for_teachers_of_the_class(client: Client, graded: Graded) -> None:
    url = queue_url(graded)
    assert client.get(url).status_code == 302
    client.force_login(make_user("other", teacher=True))
    assert client.get(url).status_code == 404
    client.force_login(graded.attempts["ana"].learner)
    assert client.get(url).status_code == 404
    client.force_login(graded.co_teacher)
    assert client.get(url).status_code == 200


# ----------------------------------------------------------------------------------------------------
# Grading


def test_grading_saves_the_scores_updates_the_attempt_and_confirms(client: Client, graded: Graded) -> None:
    client.force_login(graded.teacher)
    target = graded.response("ana")

    response = client.post(grade_url(target), grade_data(2, 1, 2, comment="Clear on sourcing."))

    assert (response.status_code, response["Location"]) == (303, queue_url(graded))
    target.refresh_from_db()
    assert (target.earned, target.criterion_scores, target.teacher_comment, target.version) == (
        Decimal(5),
        {"r1": 2, "r2": 1, "r3": 2},
        "Clear on sourcing.",
        1,
    )
    assert target.graded_by == graded.teacher
    graded.attempts["ana"].refresh_from_db()
    assert graded.attempts["ana"].earned == Decimal(6)  # 1 for q05 + 5 for the open answer

    html = client.get(queue_url(graded)).content.decode()
    assert (
        '<div class="results-messages" role="status"><ul><li class="message-success">'
        "Grade saved: 5 of 6 points." in html
    )
    assert "Waiting for a grade (1)" in html and "Graded (1)" in html
    item = item_html(html, target)
    assert "Graded 5 of 6 points by Tess Teacher" in text_of(item)
    assert 'name="criterion-r1" min="0" max="2" step="1" required value="2"' in item
    assert '<input type="hidden" name="version" value="1">' in item
    assert "Clear on sourcing.</textarea>" in item
    gradebook = client.get(reverse("lessons:gradebook", args=[graded.classroom.pk])).content.decode()
    assert "6/47" in gradebook


def test_two_teachers_grading_at_once_the_second_gets_409_and_the_first_grade_stays(
    client: Client, graded: Graded
) -> None:
    target = graded.response("ana")
    first, second = Client(), Client()
    first.force_login(graded.teacher)
    second.force_login(graded.co_teacher)
    for teacher_client in (first, second):  # both load the form at version 0
        assert '<input type="hidden" name="version" value="0">' in item_html(
            teacher_client.get(queue_url(graded)).content.decode(), target
        )

    assert first.post(grade_url(target), grade_data(2, 2, 2, comment="Excellent.")).status_code == 303
    refused = second.post(grade_url(target), grade_data(0, 0, 1, comment="Weak."))

    html = refused.content.decode()
    assert refused.status_code == 409
    target.refresh_from_db()
    assert (
        target.earned,
        target.criterion_scores,
        target.teacher_comment,
        target.graded_by,
        target.version,
    ) == (
        Decimal(6),
        {"r1": 2, "r2": 2, "r3": 2},
        "Excellent.",
        graded.teacher,
        1,
    )
    item = item_html(html, target)
    assert "Another teacher graded this answer meanwhile." in item
    assert "Current grade, by Tess Teacher: 6 of 6 points." in text_of(item)
    assert "Their comment: Excellent." in text_of(item)
    assert 'role="alert"' in html
    # The second teacher's own grade is kept in the form, now against the current version.
    assert 'name="criterion-r1" min="0" max="2" step="1" required value="0"' in item
    assert "Weak.</textarea>" in item
    assert '<input type="hidden" name="version" value="1">' in item
    assert "Replace their grade with mine" in item

    # Submitting again, knowing, replaces it.
    assert second.post(grade_url(target), grade_data(0, 0, 1, version=1, comment="Weak.")).status_code == 303
    target.refresh_from_db()
    assert (target.earned, target.graded_by, target.version) == (Decimal(1), graded.co_teacher, 2)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (grade_data(r1=3), "criterion-r1", "a whole number of points from 0 to 2."),
        (grade_data(r2=-1), "criterion-r2", "a whole number of points from 0 to 2."),
        (grade_data(r3="abc"), "criterion-r3", "a whole number of points from 0 to 2."),
        (grade_data(r1="1.5"), "criterion-r1", "a whole number of points from 0 to 2."),
        ({"criterion-r1": 1, "criterion-r2": 1, "version": 0}, "criterion-r3", "from 0 to 2."),
        ({**grade_data(), "criterion-r9": 1}, "", "Unknown rubric criterion."),
        (grade_data(version=""), "", "The form is incomplete; reload the page and grade again."),
        (grade_data(comment="x" * 10_001), "", "Keep the comment under 10000 characters."),
        (grade_data(comment="Good\x00"), "", "The text contains a control character (such as NUL)."),
    ],
)
def test_bad_input_is_refused_with_400_and_changes_nothing(
    client: Client, graded: Graded, data: dict[str, Any], field: str, message: str
) -> None:
    client.force_login(graded.teacher)
    target = graded.response("ana")

    refused = client.post(grade_url(target), data)

    html = refused.content.decode()
    assert refused.status_code == 400
    assert message in html_lib.unescape(html)
    target.refresh_from_db()
    assert (target.earned, target.criterion_scores, target.teacher_comment, target.version) == (
        None,
        {},
        "",
        0,
    )
    graded.attempts["ana"].refresh_from_db()
    assert graded.attempts["ana"].earned == Decimal(1)
    if field:
        item = item_html(html, target)
        error_id = f"r{target.pk}-{field}-error"
        assert f'aria-invalid="true" aria-describedby="{error_id}"' in item
        assert f'<p class="results-error" id="{error_id}">' in item


def test_a_refused_grade_keeps_what_was_typed(client: Client, graded: Graded) -> None:
    client.force_login(graded.teacher)
    target = graded.response("ana")

    html = client.post(grade_url(target), grade_data(r1=5, r2=1, comment="Keep me")).content.decode()

    item = item_html(html, target)
    assert 'name="criterion-r1" min="0" max="2" step="1" required value="5"' in item
    assert 'name="criterion-r2" min="0" max="2" step="1" required value="1"' in item
    assert "Keep me</textarea>" in item
    assert '<input type="hidden" name="version" value="0">' in item


def test_grading_is_a_post_for_teachers_of_the_class(client: Client, graded: Graded) -> None:
    target = graded.response("ana")
    url = grade_url(target)

    anonymous = client.post(url, grade_data())
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        f"{reverse('login')}?next={reverse('lessons:teacher_dashboard')}",
    )
    client.force_login(graded.teacher)
    assert client.get(url).status_code == 405
    client.force_login(make_user("other", teacher=True))
    assert client.post(url, grade_data()).status_code == 404
    client.force_login(graded.attempts["ana"].learner)
    assert client.post(url, grade_data()).status_code == 404
    target.refresh_from_db()
    assert target.version == 0


def test_a_closed_answer_cannot_be_graded_by_hand(client: Client, graded: Graded) -> None:
    client.force_login(graded.teacher)

    assert client.post(grade_url(graded.response("ana", "q05")), grade_data()).status_code == 404


def test_an_answer_of_an_attempt_in_progress_cannot_be_graded_from_the_page(
    client: Client, graded: Graded
) -> None:
    student = make_user("dan", "Dan", "Student")
    assert graded.classroom.join_code is not None
    classroom_join(student=student, code=graded.classroom.join_code)
    with time_machine.travel(T0, tick=False):
        attempt = assignment_attempt_start(assignment=graded.assignment, student=student, now=T0)
        response_save(
            learner=attempt.learner, attempt=attempt, question_key="q22", answer=STUDENT_TEXT, now=T0
        )
    open_answer = Response.objects.get(attempt=attempt, question_key="q22")
    client.force_login(graded.teacher)

    assert client.post(grade_url(open_answer), grade_data()).status_code == 404
    open_answer.refresh_from_db()
    assert (open_answer.earned, open_answer.graded_at, open_answer.version) == (None, None, 0)


# ----------------------------------------------------------------------------------------------------
# Releasing feedback


def test_releasing_feedback_by_hand(client: Client, graded: Graded) -> None:
    client.force_login(graded.teacher)
    url = reverse("lessons:release_feedback", args=[graded.assignment.pk])
    results = reverse("lessons:assignment_results", args=[graded.assignment.pk])

    assert client.get(url).status_code == 405
    with time_machine.travel(dt.datetime(2025, 3, 6, 8, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(url)

    assert (response.status_code, response["Location"]) == (303, results)
    graded.assignment.refresh_from_db()
    assert graded.assignment.released_at == dt.datetime(2025, 3, 6, 8, 0, tzinfo=dt.UTC)
    html = client.get(results).content.decode()
    assert "Feedback released" in html
    assert "Released on 2025-03-06 08:00 UTC" in html
    assert f'action="{url}"' not in html

    client.post(url)  # again: harmless, the first date stays
    graded.assignment.refresh_from_db()
    assert graded.assignment.released_at == dt.datetime(2025, 3, 6, 8, 0, tzinfo=dt.UTC)


def test_an_assignment_released_by_rule_is_not_released_by_hand(client: Client, graded: Graded) -> None:
    Assignment.objects.filter(pk=graded.assignment.pk).update(feedback_release=FeedbackRelease.AFTER_DUE)
    client.force_login(graded.teacher)

    response = client.post(reverse("lessons:release_feedback", args=[graded.assignment.pk]), follow=True)

    graded.assignment.refresh_from_db()
    assert graded.assignment.released_at is None
    assert "there is nothing to release" in response.content.decode()


def test_release_is_for_teachers_of_the_class(client: Client, graded: Graded) -> None:
    url = reverse("lessons:release_feedback", args=[graded.assignment.pk])
    anonymous = client.post(url)
    results = reverse("lessons:assignment_results", args=[graded.assignment.pk])
    assert (anonymous.status_code, anonymous["Location"]) == (302, f"{reverse('login')}?next={results}")
    client.force_login(make_user("other", teacher=True))
    assert client.post(url).status_code == 404
    graded.assignment.refresh_from_db()
    assert graded.assignment.released_at is None


# ----------------------------------------------------------------------------------------------------
# Regrading after a key is corrected


def corrected(data: dict[str, Any]) -> dict[str, Any]:
    """The lesson with q05's key flipped (true → false), as a teacher correcting a wrong key would."""
    changed = copy.deepcopy(data)
    q05 = next(q for q in changed["questions"] if q["id"] == "q05")
    assert q05["answer"]["correct"] is True
    q05["answer"]["correct"] = False
    q05["answer"]["explanation"] = "Corrected: " + q05["answer"]["explanation"]
    return changed


def test_regrade_after_republishing_changes_exactly_the_affected_scores_and_records_them(
    client: Client, graded: Graded, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    client.force_login(graded.teacher)
    assert client.post(grade_url(graded.response("ana")), grade_data(2, 1, 2)).status_code == 303
    lesson = lesson_import(data=corrected(first_lesson_data), replace=True)
    assert lesson.published_revision is not None and lesson.published_revision.number == 2
    results = reverse("lessons:assignment_results", args=[graded.assignment.pk])
    assert "the lesson is now at revision 2" in client.get(results).content.decode()

    with time_machine.travel(dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            reverse("lessons:regrade", args=[graded.assignment.pk]), {"note": "Key of Q5 was wrong."}
        )

    assert (response.status_code, response["Location"]) == (303, results + "#regrades")
    regrade = Regrade.objects.get()
    assert (regrade.by, regrade.note, regrade.revision.number, regrade.at) == (
        graded.teacher,
        "Key of Q5 was wrong.",
        2,
        dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC),
    )
    changes = {
        change.attempt.learner.username: (change.old_earned, change.new_earned)
        for change in RegradeChange.objects.select_related("attempt__learner")
    }
    assert changes == {"ana": (Decimal(6), Decimal(5)), "cat": (Decimal(1), Decimal(2))}  # ben: unchanged
    earned = {name: Attempt.objects.get(pk=a.pk).earned for name, a in graded.attempts.items()}
    assert earned == {"ana": Decimal(5), "ben": Decimal(0), "cat": Decimal(2)}
    assert graded.response("ana").earned == Decimal(5)  # the teacher's grade of the open answer is kept
    graded.assignment.refresh_from_db()
    assert graded.assignment.revision_id == lesson.published_revision_id

    html = client.get(results).content.decode()
    assert "Regraded against revision 2: 2 scores changed." in html
    assert "Regrade by Tess Teacher on 2025-03-10 12:00 UTC, against revision 2: Key of Q5 was wrong." in html
    table = html.split("Key of Q5 was wrong.</caption>", 1)[1].split("</table>", 1)[0]
    rows = [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]
    assert rows == ["Ana Student Attempt 1 6 5", "Cat Student Attempt 1 1 2"]
    assert "the lesson is now at revision" not in html


def test_regrade_with_nothing_corrected_records_no_change(client: Client, graded: Graded) -> None:
    client.force_login(graded.teacher)

    client.post(reverse("lessons:regrade", args=[graded.assignment.pk]), {"note": ""})

    assert Regrade.objects.count() == 1
    assert RegradeChange.objects.count() == 0
    html = client.get(reverse("lessons:assignment_results", args=[graded.assignment.pk])).content.decode()
    assert "No score changed." in html


def test_regrade_refuses_a_get_a_long_note_and_strangers(client: Client, graded: Graded) -> None:
    url = reverse("lessons:regrade", args=[graded.assignment.pk])
    client.force_login(graded.teacher)
    assert client.get(url).status_code == 405

    refused = client.post(url, {"note": "x" * 1001})
    assert refused.status_code == 400
    assert "Keep the note under 1000 characters." in refused.content.decode()
    with_nul = client.post(url, {"note": "Key\x00"})
    assert with_nul.status_code == 400
    assert "The text contains a control character (such as NUL)." in with_nul.content.decode()
    assert 'aria-invalid="true" aria-describedby="regrade-error"' in refused.content.decode()

    client.force_login(make_user("other", teacher=True))
    assert client.post(url, {"note": "x"}).status_code == 404
    assert Regrade.objects.count() == 0


def test_after_a_regrade_that_took_out_a_question_and_an_option_every_page_still_shows_the_attempts(
    client: Client, graded: Graded, first_lesson_data: dict[str, Any]
) -> None:
    """Q5 taken out; Q1's option a (Cat's answer) taken out and its key moved to b."""
    data = copy.deepcopy(first_lesson_data)
    data["questions"] = [q for q in data["questions"] if q["id"] != "q05"]
    q01 = next(q for q in data["questions"] if q["id"] == "q01")
    q01["options"] = [o for o in q01["options"] if o["id"] != "a"]
    q01["answer"]["correct"] = "b"
    q01["answer"]["option_feedback"] = {
        option: text for option, text in q01["answer"].get("option_feedback", {}).items() if option != "a"
    }
    lesson_import(data=data, replace=True)
    client.force_login(graded.teacher)
    for action in ("lessons:regrade", "lessons:release_feedback"):
        assert client.post(reverse(action, args=[graded.assignment.pk])).status_code == 303

    cat = Attempt.objects.get(pk=graded.attempts["cat"].pk)
    assert (cat.earned, cat.possible) == (0, 46)  # q05 (1 point) taken out; q01 now scores 0
    teacher_pages = [
        reverse("lessons:attempt_review", args=[cat.pk]),
        reverse("lessons:assignment_results", args=[graded.assignment.pk]),
        reverse("lessons:item_analysis", args=[graded.assignment.pk]),
        reverse("lessons:gradebook", args=[graded.classroom.pk]),
        reverse("lessons:gradebook_csv", args=[graded.classroom.pk]),
        reverse("lessons:student_report", args=[graded.classroom.pk, cat.learner_id]),
        queue_url(graded),
    ]
    for url in teacher_pages:
        assert client.get(url).status_code == 200, url
    review = text_of(client.get(teacher_pages[0]).content.decode())
    assert "Score 0 of 46 points Graded with Revision 2 of the lesson" in review
    assert "Student's answer a Score 0 of 2 · ✗ Not right" in review  # the answer as given, though a is gone

    client.force_login(cat.learner)
    home = client.get(reverse("lessons:assignment_home", args=[graded.assignment.pk]))
    assert "1 March 3, 2025, 9 a.m. UTC March 3, 2025, 9:05 a.m. UTC 0 of 46 points" in text_of(
        home.content.decode()
    )
    results = client.get(reverse("lessons:assignment_results_student", args=[graded.assignment.pk]))
    assert results.status_code == 200
    assert "0 of 46" in text_of(results.content.decode())


def test_a_stale_version_on_an_answer_nobody_graded_is_a_409_not_a_500(
    client: Client, graded: Graded
) -> None:
    target = graded.response("ben")
    client.force_login(graded.teacher)

    response = client.post(grade_url(target), grade_data(version=7))

    assert response.status_code == 409
    assert "Current grade, by another teacher" in text_of(item_html(response.content.decode(), target))
    target.refresh_from_db()
    assert (target.graded_by, target.version, target.earned) == (None, 0, None)
