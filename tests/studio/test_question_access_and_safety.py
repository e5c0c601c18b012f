"""The question pages of the studio answer 404 to anyone but the lesson's authors (every URL, GET and POST,
nothing changed); what a teacher types in any question field never runs as script, on the teacher's pages
or the student's; and a graded attempt keeps its score, review and item analysis through an edit and a
republish."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from factories.attempts import AssignmentAttemptFactory
from factories.classroom import AssignmentFactory, ClassroomFactory
from factories.people import LearnerFactory

from lessons.models import Lesson, Revision
from lessons.selectors.classroom import item_analysis
from lessons.selectors.teaching import attempt_review
from lessons.services.lessons import lesson_document
from lessons.services.question_authoring import lesson_publish_checked, question_save
from lessons.services.question_checks import editor_data_of

pytestmark = pytest.mark.django_db


def question_urls(lesson: Lesson) -> list[tuple[str, str]]:
    """(method, url) of every question page of `lesson`."""
    slug = lesson.slug
    return [
        ("get", reverse("studio:questions", args=[slug])),
        ("get", reverse("studio:question_new", args=[slug]) + "?kind=single_choice"),
        ("post", reverse("studio:question_new", args=[slug])),
        ("get", reverse("studio:question_edit", args=[slug, "q1"])),
        ("post", reverse("studio:question_edit", args=[slug, "q1"])),
        ("post", reverse("studio:question_move", args=[slug, "q1"])),
        ("post", reverse("studio:question_duplicate", args=[slug, "q1"])),
        ("post", reverse("studio:question_delete", args=[slug, "q1"])),
        ("get", reverse("studio:preview", args=[slug])),
        ("post", reverse("studio:preview_answer", args=[slug, "q1"])),
        ("get", reverse("studio:publish", args=[slug])),
        ("post", reverse("studio:publish", args=[slug])),
        ("get", reverse("studio:revisions", args=[slug])),
        ("get", reverse("studio:revision_diff", args=[slug, 1, 1])),
    ]


@pytest.mark.parametrize("who", ["stranger_teacher", "student", "learner"])
def test_anyone_but_an_author_gets_404_on_every_question_page(
    client: Client, authored_lesson: Lesson, who: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))
    before = lesson_document(authored_lesson)
    for method, url in question_urls(authored_lesson):
        response = getattr(client, method)(url, {"kind": "single_choice", "prompt": "Taken", "answer": "a"})
        assert response.status_code == 404, (method, url)
    assert lesson_document(authored_lesson) == before
    assert Revision.objects.filter(lesson=authored_lesson).count() == 1


def test_a_visitor_is_sent_to_log_in_and_a_co_author_gets_in(
    client: Client, authored_lesson: Lesson, co_author: User
) -> None:
    for method, url in question_urls(authored_lesson):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    client.force_login(co_author)
    for method, url in question_urls(authored_lesson):
        if method == "get":
            assert client.get(url).status_code == 200, url


# ----------------------------------------------------------------------------------------------------
# XSS: every field a teacher writes in the question editor

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED_MARK = "&lt;script&gt;"


def _hostile_question(lesson: Lesson) -> dict[str, Any]:
    sentence = lesson_document(lesson)["article"]["paragraphs"][0][0]["id"]
    return {
        "kind": "single_choice",
        "prompt": f"Prompt {PAYLOAD}",
        "option-1-text": f"Option {PAYLOAD}",
        "option-2-text": "A plain option",
        "option-1-feedback": f"Feedback {PAYLOAD}",
        "right": "1",
        "explanation": f"Explanation {PAYLOAD} [link](javascript:alert(1))",
        "evidence": [sentence],
        "focus": "treaty",
        "points": "1",
    }


def _no_script(body: str) -> None:
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert 'href="javascript:' not in body


def test_hostile_text_in_every_question_field_is_inert_for_teacher_and_student(
    client: Client, author_client: Client, authored_lesson: Lesson, author: User
) -> None:
    saved = author_client.post(
        reverse("studio:question_new", args=[authored_lesson.slug]), _hostile_question(authored_lesson)
    )
    assert saved.status_code == 303
    # An open response carries the model answer and a rubric criterion.
    open_data = {
        "kind": "open_response",
        "prompt": f"Why {PAYLOAD}?",
        "model_answer": f"Model {PAYLOAD}",
        "rubric-1-text": f"Criterion {PAYLOAD}",
        "rubric-1-value": "1",
        "explanation": f"Because {PAYLOAD}",
        "evidence": [lesson_document(authored_lesson)["article"]["paragraphs"][0][0]["id"]],
        "focus": "sourcing",
        "points": "1",
    }
    assert (
        author_client.post(reverse("studio:question_new", args=[authored_lesson.slug]), open_data).status_code
        == 303
    )
    slug = authored_lesson.slug
    teacher_pages = [
        reverse("studio:questions", args=[slug]),
        reverse("studio:question_edit", args=[slug, "q7"]),
        reverse("studio:question_edit", args=[slug, "q8"]),
        reverse("studio:preview", args=[slug]),
    ]
    for url in teacher_pages:
        body = author_client.get(url).content.decode()
        _no_script(body)
        assert ESCAPED_MARK in body, url
    _no_script(author_client.get(reverse("studio:publish", args=[slug])).content.decode())
    answered = author_client.post(reverse("studio:preview_answer", args=[slug, "q7"]), {"answer": "o2"})
    _no_script(answered.content.decode())
    assert "Explanation" in answered.content.decode()
    # A refused form shows the text back, escaped.
    refused = author_client.post(
        reverse("studio:question_new", args=[slug]), {**_hostile_question(authored_lesson), "explanation": ""}
    )
    assert refused.status_code == 400
    _no_script(refused.content.decode())
    assert ESCAPED_MARK in refused.content.decode()

    lesson_publish_checked(user=author, lesson=authored_lesson)
    diff = author_client.get(reverse("studio:revision_diff", args=[slug, 1, 2])).content.decode()
    _no_script(diff)
    # The student's side: the player, the feedback of each question.
    learner = LearnerFactory(username="reader")
    client.force_login(learner)
    authored_lesson.visibility = "public"
    authored_lesson.save(update_fields=["visibility"])
    lesson_publish_checked(user=author, lesson=authored_lesson)
    player = client.get(reverse("lessons:play", args=[slug]))
    assert player.status_code == 200
    _no_script(player.content.decode())
    assert "<p>Prompt </p>" in player.content.decode()  # Markdown, sanitised: the tags are dropped
    for key, answer in (("q7", "o1"), ("q8", "An answer")):
        feedback = client.post(reverse("lessons:answer", args=[slug, key]), {"answer": answer}, follow=True)
        _no_script(feedback.content.decode())
    body = client.get(reverse("lessons:play", args=[slug])).content.decode()
    _no_script(body)
    assert "Feedback &lt;script&gt;" in body  # per-option feedback is plain text, escaped
    assert "<p>Model </p>" in body and "<p>Explanation " in body


# ----------------------------------------------------------------------------------------------------
# Revision safety


def test_a_graded_attempt_keeps_score_review_and_item_analysis_after_edit_and_republish(
    authored_lesson: Lesson, author: User
) -> None:
    pupil = LearnerFactory(username="pupil-a")
    classroom = ClassroomFactory(teacher=author, name="Geography 8", students=[pupil])
    assignment = AssignmentFactory(classroom=classroom, lesson=authored_lesson, by=author)
    attempt = AssignmentAttemptFactory(
        assignment=assignment, student=pupil, answers={"q6": "b", "q1": "June", "q2": "Kovacs"}, submit=True
    )
    review_before = attempt_review(author, attempt.pk)
    analysis_before = item_analysis(assignment)
    assert attempt.earned is not None

    document = lesson_document(authored_lesson)
    q6 = editor_data_of(document["questions"][5])
    q6["right"] = "1"  # another option is now the key
    q6["prompt"] = "A rewritten prompt"
    question_save(user=author, lesson=authored_lesson, data=q6, question_key="q6")
    lesson_publish_checked(user=author, lesson=authored_lesson)
    authored_lesson.refresh_from_db()
    assert authored_lesson.published_revision is not None and authored_lesson.published_revision.number == 2

    attempt.refresh_from_db()
    assignment.refresh_from_db()
    assert attempt.revision.number == 1 and assignment.revision.number == 1
    assert attempt.earned == attempt_review(author, attempt.pk).attempt.earned  # type: ignore[union-attr]
    review_after = attempt_review(author, attempt.pk)
    assert review_after is not None and review_before is not None
    assert review_after.questions == review_before.questions
    assert review_after.revision == review_before.revision
    analysis_after = item_analysis(assignment)
    assert dataclasses.replace(analysis_after, assignment=analysis_before.assignment) == analysis_before
