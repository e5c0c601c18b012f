"""The publish checklist lists every problem at once, each in words that name the question (number and
prompt) and the field; content heuristics are warnings that never block. Pure: lesson documents in."""

from __future__ import annotations

from typing import Any

from factories.lessons import first_lesson_document, second_lesson_document

from lessons.content_types import LessonContent
from lessons.services.publish_checklist import checklist_of


def _check(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    checklist = checklist_of(data)  # type: ignore[arg-type]
    return [str(item) for item in checklist.problems], [str(item) for item in checklist.warnings]


def test_the_fixture_lessons_are_ready_to_publish() -> None:
    for data in (first_lesson_document(), second_lesson_document()):
        assert checklist_of(data).ready  # type: ignore[arg-type]


def test_content_heuristics_and_unlinked_featured_entities_are_warnings_only() -> None:
    problems, warnings = _check(second_lesson_document())
    assert problems == []
    assert warnings == [
        "No question links Estmark, which the lesson features: link a question to it, or stop featuring it.",
        "Question 4 (“Match each person with the role the article gives them. One…”) — Evidence sentences: "
        "no single evidence sentence gives Ana Kovac as “President of Norland”",
    ]


def test_a_question_not_keyed_not_explained_and_not_evidenced_shows_all_three() -> None:
    data = second_lesson_document()
    question = data["questions"][5]  # q6, single choice
    question["answer"]["correct"] = None
    question["answer"]["explanation"] = ""
    question["evidence"] = []
    problems, _warnings = _check(data)
    title = "Question 6 (“What does the article say about Norland’s ratification of t…”)"
    assert problems == [
        f"{title} — Evidence sentences: tick at least one sentence of the article that supports the answer",
        f"{title} — Explanation: explain the answer: a student reads it after answering",
        f"{title} — Answer key: no answer is marked as right: mark the right answer",
    ]


def test_focus_coverage_names_each_focus_missing() -> None:
    data = second_lesson_document()
    for question in data["questions"]:
        question["focus"] = "event"
    problems, _warnings = _check(data)
    assert problems == [
        "No question has the focus “Actors”, though the lesson features actors: write one, or change a "
        "question's focus.",
        "No question has the focus “Treaties”, though the lesson features treaties: write one, or change a "
        "question's focus.",
        "No question has the focus “Sourcing”, though the article reports claims: write one, or change a "
        "question's focus.",
    ]


def test_an_ordering_list_stored_in_key_order_is_a_problem() -> None:
    data = second_lesson_document()
    question = data["questions"][2]  # q3, ordering
    by_id = {item["id"]: item for item in question["items"]}
    question["items"] = [by_id[item] for item in question["answer"]["correct"]]
    problems, _warnings = _check(data)
    assert problems == [
        "Question 3 (“Put the steps by which the request for a larger share reach…”) — Items: the list is "
        "stored in the order of its answer key: a printout or an export would give the answer away; write "
        "the list in another order"
    ]


def test_a_treaty_date_saying_more_than_the_article_must_be_marked_as_an_outside_fact() -> None:
    data = second_lesson_document()
    data["treaties"][0]["signed_on"] = "2031-06-14"
    problems, _warnings = _check(data)
    assert problems == [
        "The signing date of the Vessa water accord, “June 14, 2031”, says more than the article (2031, 14): "
        "keep what the article says and add the rest as a fact from outside the article, with its source."
    ]
    data["treaties"][0]["outside_facts"] = [
        {"field": "signed_on", "value": "2031-06-14", "source": "The accord's text", "url": ""}
    ]
    assert _check(data)[0] == []


def test_a_lesson_level_file_problem_and_no_questions_are_listed_together() -> None:
    data: LessonContent = second_lesson_document()  # type: ignore[assignment]
    data["lesson"]["introduction"] = ""
    data["questions"] = []
    problems, _warnings = _check(data)  # type: ignore[arg-type]
    assert problems == [
        "The lesson has no question yet: write at least one.",
        "Lesson — questions: must list at least one question",
        "Lesson — introduction (Settings): must not be empty",
    ]


def test_every_problem_of_several_questions_is_listed() -> None:
    data = first_lesson_document()
    for question in data["questions"][:5]:
        question["answer"]["explanation"] = ""
    problems, _warnings = _check(data)
    assert len(problems) == 5
    assert [problem.split(" (")[0] for problem in problems] == [f"Question {n}" for n in range(1, 6)]
