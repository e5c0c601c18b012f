"""Checking a question as its editor wrote it: every problem at once, each named by the question's number,
its prompt and the field, in plain words; the fixture lessons' questions pass as they are."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from factories.lessons import first_lesson_document, second_lesson_document

from lessons.content_types import QuestionContent
from lessons.kinds import get_kind
from lessons.kinds.forms import SentenceRef
from lessons.services.lesson_documents import parse_lesson_document, question_content
from lessons.services.question_checks import (
    Links,
    edited_question,
    editor_data_of,
    question_problems,
)


def _lesson(data: dict[str, Any]) -> tuple[list[QuestionContent], Links]:
    document = parse_lesson_document(data)
    sentences = [
        SentenceRef(sentence.id, sentence.text, number)
        for number, paragraph in enumerate(document.article.paragraphs, start=1)
        for sentence in paragraph
    ]
    links = Links(
        sentences=sentences,
        actors={actor.id for actor in document.actors},
        treaties={treaty.id for treaty in document.treaties},
        claims={claim.id for claim in document.claims},
    )
    return [question_content(record) for record in document.questions], links


FIRST = _lesson(first_lesson_document())
SECOND = _lesson(second_lesson_document())
ALL = [(question, links) for questions, links in (FIRST, SECOND) for question in questions]


@pytest.mark.parametrize(("question", "links"), ALL, ids=[q["id"] for q, _ in ALL])
def test_a_fixture_question_through_its_editor_is_itself_and_has_no_problem(
    question: QuestionContent, links: Links
) -> None:
    kind = get_kind(question["kind"])
    edited, unreadable = edited_question(
        kind=kind, key=question["id"], data=editor_data_of(question), links=links
    )
    assert unreadable == {}
    assert question_problems(edited, kind=kind, number=1, links=links) == []
    expected = dict(question)
    expected["answer"] = dict(question["answer"])  # type: ignore[assignment]
    edited["answer"]["correct"] = kind.stored_key(edited["answer"]["correct"], edited)
    assert edited == expected


def _messages(kind_name: str, data: dict[str, Any], links: Links = FIRST[1]) -> dict[str, str]:
    posted = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            posted.setlist(name, value)
        else:
            posted[name] = value
    kind = get_kind(kind_name)
    question, unreadable = edited_question(kind=kind, key="q9", data=posted, links=links)
    problems = question_problems(question, kind=kind, number=3, links=links, unreadable=unreadable)
    return {problem.field: str(problem) for problem in problems}


def test_an_empty_choice_question_lists_every_problem_at_once() -> None:
    messages = _messages("single_choice", {"prompt": "Who signed the treaty?", "option-1-text": "Russia"})
    assert messages == {
        "Answer key": "Question 3 (“Who signed the treaty?”) — Answer key: mark the right option",
        "Focus": "Question 3 (“Who signed the treaty?”) — Focus: choose what the question is about: "
        "Actors, Treaties, Sourcing, Events and timeline",
        "Evidence sentences": "Question 3 (“Who signed the treaty?”) — Evidence sentences: tick at least one "
        "sentence of the article that supports the answer",
        "Explanation": "Question 3 (“Who signed the treaty?”) — Explanation: explain the answer: a student "
        "reads it after answering",
        "Options": "Question 3 (“Who signed the treaty?”) — Options: write at least 2 options",
    }
