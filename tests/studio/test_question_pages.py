"""The studio's question pages: the editor of every kind saves a question (its key set beside its options),
refuses a bad one with every problem and saves nothing, moves, duplicates and deletes; the preview stores
nothing; publishing waits for the checklist and makes the next revision; "what changed" compares two."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Attempt, Lesson, Question, Response, ReviewItem, Revision
from lessons.services.lessons import lesson_document
from lessons.services.question_checks import editor_data_of

pytestmark = pytest.mark.django_db


def _url(name: str, lesson: Lesson, *args: Any) -> str:
    return reverse(f"studio:{name}", args=[lesson.slug, *args])


def _first_sentence(lesson: Lesson) -> str:
    return lesson_document(lesson)["article"]["paragraphs"][0][0]["id"]


def single_choice_post(lesson: Lesson, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "single_choice",
        "prompt": "Which state ratified the accord first?",
        "option-1-text": "Norland",
        "option-2-text": "Estmark",
        "right": "2",
        "option-1-feedback": "Norland has not, says the article.",
        "explanation": "The article says Estmark ratified it.",
        "evidence": [_first_sentence(lesson)],
        "evidence_part_on": "on",
        "evidence_part": "1",
        "focus": "treaty",
        "points": "2",
    }
    data.update(overrides)
    return data


def test_every_page_opens_for_the_author(author_client: Client, authored_lesson: Lesson) -> None:
    for name in ("questions", "preview", "publish", "revisions"):
        assert author_client.get(_url(name, authored_lesson)).status_code == 200, name
    assert author_client.get(_url("question_edit", authored_lesson, "q1")).status_code == 200
    for kind in (
        "single_choice",
        "multiple_select",
        "true_false",
        "short_answer",
        "matching",
        "ordering",
        "evidence",
        "attribution",
        "open_response",
        "numeric",
    ):
        response = author_client.get(_url("question_new", authored_lesson) + f"?kind={kind}")
        assert response.status_code == 200, kind


def test_a_new_question_is_saved_with_its_key_marked_beside_its_options(
    author_client: Client, authored_lesson: Lesson
) -> None:
    response = author_client.post(_url("question_new", authored_lesson), single_choice_post(authored_lesson))
    assert response.status_code == 303
    question = authored_lesson.questions.get(key="q7")
    assert question.position == 6 and question.points == 2 and question.evidence_part == 1
    assert [(o.key, o.text) for o in question.options.order_by("position")] == [
        ("o1", "Norland"),
        ("o2", "Estmark"),
    ]
    assert question.answer_key.correct == "o2"
    assert question.answer_key.option_feedback == {"o1": "Norland has not, says the article."}
    assert [s.key for s in question.evidence.all()] == [_first_sentence(authored_lesson)]


def test_a_bad_question_lists_every_problem_and_saves_nothing(
    author_client: Client, authored_lesson: Lesson
) -> None:
    before = Question.objects.count()
    response = author_client.post(
        _url("question_new", authored_lesson),
        single_choice_post(authored_lesson, right="", explanation="", evidence=[], **{"option-2-text": ""}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    title = "Question 7 (“Which state ratified the accord first?”)"
    for message in (
        f"{title} — Options: write at least 2 options",
        f"{title} — Answer key: mark the right option",
        f"{title} — Explanation: explain the answer: a student reads it after answering",
        f"{title} — Evidence sentences: tick at least one sentence of the article that supports the answer",
    ):
        assert message in body
    assert Question.objects.count() == before
    assert 'value="Norland"' in body  # the form comes back as it was written


def _match_labels(body: str, item: int) -> list[str]:
    select = re.search(rf'<select name="item-{item}-value"[^>]*>(.*?)</select>', body, re.S)
    assert select is not None
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select.group(1))


def test_the_matching_editor_names_each_option_it_was_given_beside_the_items(
    author_client: Client, authored_lesson: Lesson
) -> None:
    posted = {
        "kind": "matching",
        "prompt": "Match each capital",
        "option-1-text": "",
        "option-2-text": "Rome",
        "option-3-text": "Oslo",
        "item-1-text": "Italy",
        "item-1-value": "2",
        "item-2-text": "Norway",
        "item-2-value": "",
        "points": "1",
    }
    response = author_client.post(_url("question_new", authored_lesson), posted)
    assert response.status_code == 400  # no explanation, no evidence, Norway unmatched
    body = response.content.decode()
    assert _match_labels(body, 1)[:3] == ["Option 1: Rome", "Option 2: Oslo", "Option 3"]
    assert '<option value="2" data-number="1" selected>Option 1: Rome</option>' in body
    assert 'name="option-3-text" value="Oslo"' in body
    # The page renames the choices as the options are typed (studio_editor.js), in the server's words.
    assert 'data-label-written="Option {number}: {text}" data-label-blank="Option {number}"' in body


def _order(lesson: Lesson) -> list[str]:
    return list(lesson.questions.order_by("position").values_list("key", flat=True))


def test_move_duplicate_and_delete_keep_positions_in_order(
    author_client: Client, authored_lesson: Lesson
) -> None:
    assert _order(authored_lesson) == ["q1", "q2", "q3", "q4", "q5", "q6"]
    author_client.post(_url("question_move", authored_lesson, "q3"), {"direction": "up"})
    author_client.post(_url("question_move", authored_lesson, "q1"), {"direction": "up"})  # already first
    assert _order(authored_lesson) == ["q1", "q3", "q2", "q4", "q5", "q6"]
    response = author_client.post(_url("question_duplicate", authored_lesson, "q3"))
    assert response.status_code == 303
    assert _order(authored_lesson) == ["q1", "q3", "q7", "q2", "q4", "q5", "q6"]
    copy, original = (lesson_document(authored_lesson)["questions"][i] for i in (2, 1))
    assert {**copy, "id": "q3"} == original
    author_client.post(_url("question_delete", authored_lesson, "q2"))
    assert _order(authored_lesson) == ["q1", "q3", "q7", "q4", "q5", "q6"]
    positions = authored_lesson.questions.order_by("position").values_list("position", flat=True)
    assert list(positions) == list(range(6))


def _stored_rows() -> tuple[int, int, int, int]:
    return (
        Attempt.objects.count(),
        Response.objects.count(),
        ReviewItem.objects.count(),
        Revision.objects.count(),
    )


def test_the_preview_checks_answers_and_stores_nothing(
    author_client: Client, authored_lesson: Lesson
) -> None:
    author_client.post(_url("question_new", authored_lesson), single_choice_post(authored_lesson))
    before = _stored_rows()
    page = author_client.get(_url("preview", authored_lesson))
    assert page.status_code == 200
    assert "Which state ratified the accord first?" in page.content.decode()
    answered = author_client.post(
        _url("preview_answer", authored_lesson, "q7"),
        {"answer": "o2", "evidence": [_first_sentence(authored_lesson)]},
    )
    body = answered.content.decode()
    assert answered.status_code == 200
    assert "The article says Estmark ratified it." in body  # the explanation, as feedback
    wrong = author_client.post(_url("preview_answer", authored_lesson, "q7"), {"answer": "o1"})
    assert "Norland has not, says the article." in wrong.content.decode()
    bad = author_client.post(_url("preview_answer", authored_lesson, "q7"), {"answer": "o9"})
    assert bad.status_code == 400
    assert _stored_rows() == before


def test_the_preview_counts_the_questions_answered_on_its_page(
    author_client: Client, authored_lesson: Lesson
) -> None:
    author_client.post(_url("question_new", authored_lesson), single_choice_post(authored_lesson))
    before = _stored_rows()
    assert "0 of 7 questions answered" in author_client.get(_url("preview", authored_lesson)).content.decode()

    def answer(*answered_before: str) -> str:
        data = {"answer": "o2", "preview_answered": list(answered_before)}
        response = author_client.post(
            _url("preview_answer", authored_lesson, "q7"), data, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        return response.content.decode()

    first = answer()
    assert 'id="player-progress" hx-swap-oob="true"' in first and "1 of 7 questions answered" in first
    # The answered question's panel names it, so the next answer on the page counts it too.
    assert '<input type="hidden" name="preview_answered" value="q7">' in first
    assert "3 of 7 questions answered" in answer("q1", "q2")
    assert "1 of 7 questions answered" in answer("q7", "no-such-question")
    page = author_client.post(
        _url("preview_answer", authored_lesson, "q7"), {"answer": "o2"}
    ).content.decode()
    assert "1 of 7 questions answered" in page and 'hx-include="[name=preview_answered]"' in page
    assert _stored_rows() == before


def test_publishing_waits_for_the_checklist_then_makes_the_next_revision(
    author_client: Client, authored_lesson: Lesson, author: User
) -> None:
    first = authored_lesson.published_revision
    assert first is not None and first.number == 1
    # Every question of focus "sourcing" moved to "event": the checklist refuses, listing the gap.
    for key in ("q3", "q5"):
        authored_lesson.questions.filter(key=key).update(focus="event")
    refused = author_client.post(_url("publish", authored_lesson))
    assert refused.status_code == 409
    missing = "No question has the focus “Sourcing”, though the article reports claims"
    assert missing in refused.content.decode()
    assert Revision.objects.filter(lesson=authored_lesson).count() == 1
    authored_lesson.questions.filter(key="q3").update(focus="sourcing")
    # The editor changes q6's key in the draft; students still get revision 1.
    assert author_client.get(_url("question_edit", authored_lesson, "q6")).status_code == 200
    q6_data = editor_data_of(lesson_document(authored_lesson)["questions"][5])
    q6_data["right"] = "1"
    q6_data["kind"] = "single_choice"
    saved = author_client.post(_url("question_edit", authored_lesson, "q6"), q6_data)
    assert saved.status_code == 303, saved.content.decode()[:2000]
    authored_lesson.refresh_from_db()
    assert authored_lesson.published_revision == first
    published = author_client.post(_url("publish", authored_lesson))
    assert published.status_code == 303
    authored_lesson.refresh_from_db()
    second = authored_lesson.published_revision
    assert second is not None and second.number == 2 and second.published_by == author
    assert first.document["questions"][5]["answer"]["correct"] == "b"  # revision 1 is as it was
    diff = author_client.get(_url("revision_diff", authored_lesson, 1, 2)).content.decode()
    assert "Questions changed" in diff and "answer key" in diff and "focus" in diff
    assert author_client.get(_url("revision_diff", authored_lesson, 1, 9)).status_code == 404


def test_the_pages_make_as_many_queries_for_twelve_questions_as_for_six(
    author_client: Client, authored_lesson: Lesson
) -> None:
    urls = [
        _url("questions", authored_lesson),
        _url("question_edit", authored_lesson, "q1"),
        _url("preview", authored_lesson),
        _url("publish", authored_lesson),
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            author_client.get(url)  # warm: the session, the caches
            with CaptureQueriesContext(connection) as queries:
                assert author_client.get(url).status_code == 200
            found.append(len(queries))
        return found

    six = counts()
    for key in _order(authored_lesson):
        author_client.post(_url("question_duplicate", authored_lesson, key))
    assert authored_lesson.questions.count() == 12
    assert counts() == six
