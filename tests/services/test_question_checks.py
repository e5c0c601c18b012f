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


BASE = {"prompt": "Who?", "explanation": "Because.", "evidence": ["p1s1"], "focus": "actor", "points": "1"}
TWO = {"option-1-text": "Russia", "option-2-text": "China"}


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        (
            "single_choice",
            {**TWO, "right": "1", "prompt": ""},
            "Prompt",
            "write the question a student answers",
        ),
        (
            "single_choice",
            {**TWO, "right": "1", "prompt": "x" * 20_001},
            "Prompt",
            "keep it under 20000 characters",
        ),
        (
            "single_choice",
            {**TWO, "right": "1", "focus": "weather"},
            "Focus",
            "choose what the question is about: Actors, Treaties, Sourcing, Events and timeline",
        ),
        ("single_choice", {**TWO, "right": "1", "points": "0"}, "Points", "give from 1 to 100 points"),
        (
            "single_choice",
            {**TWO, "right": "1", "points": "many"},
            "Points",
            "write a whole number of points",
        ),
        (
            "single_choice",
            {**TWO, "right": "1", "evidence_part_on": "on", "evidence_part": "0"},
            "Supporting sentences part",
            "write the points of the supporting sentences, 1 or more",
        ),
        (
            "single_choice",
            {**TWO, "right": "1", "evidence_part_on": "on", "evidence_part": "101"},
            "Supporting sentences part",
            "give from 1 to 100 points",
        ),
        (
            "single_choice",
            {**TWO, "right": "1", "evidence": ["not-a-sentence"]},
            "Evidence sentences",
            "tick at least one sentence of the article that supports the answer",
        ),
        (
            "single_choice",
            {**TWO, "right": "1", "explanation": " "},
            "Explanation",
            "explain the answer: a student reads it after answering",
        ),
        ("single_choice", {"option-1-text": "Russia", "right": "1"}, "Options", "write at least 2 options"),
        (
            "single_choice",
            {**TWO, "option-2-text": "russia ", "right": "1"},
            "Options",
            "“Russia” is written twice",
        ),
        (
            "single_choice",
            {**TWO, "option-2-text": "x" * 501, "right": "1"},
            "Options",
            "keep each under 500 characters",
        ),
        (
            "attribution",
            {
                **{f"option-{n}-text": f"Option {n}" for n in range(1, 5)},
                **{
                    f"option-{n}-group": group
                    for n, group in enumerate(("asserted_by", "source", "source"), 1)
                },
                "option-4-group": "choice",
            },
            "Options",
            "every option belongs to one of the lists shown",
        ),
        (
            "single_choice",
            {**TWO, "item-1-text": "An item", "right": "1"},
            "Items",
            "this kind of question has no items",
        ),
        ("single_choice", TWO, "Answer key", "mark the right option"),
        ("multiple_select", TWO, "Answer key", "mark at least one option as right"),
        ("true_false", {}, "Answer key", "choose whether the statement is true or false"),
        (
            "short_answer",
            {"accepted": "Putin", "typo_tolerance": "7"},
            "Typos forgiven",
            "choose from 0 to 3 typos",
        ),
        (
            "short_answer",
            {"accepted": ""},
            "Accepted answers",
            "a short-answer question needs at least one accepted answer",
        ),
        (
            "short_answer",
            {"accepted": "Putin", "near-1-text": "putin"},
            "Near misses",
            "'putin' is also an accepted answer ('Putin')",
        ),
        (
            "short_answer",
            {"accepted": "Putin", "near-1-text": "?!"},
            "Near misses",
            "a near miss needs letters or digits",
        ),
        (
            "matching",
            {**TWO, "item-1-text": "Moscow", "item-1-value": "1", "item-2-text": "Beijing"},
            "Answer key",
            "choose the match of every item (not yet: Beijing)",
        ),
        (
            "matching",
            {**TWO, "item-1-text": "Moscow", "item-1-value": "1"},
            "Items",
            "write at least 2 items",
        ),
        (
            "ordering",
            {"item-1-text": "First", "item-1-value": "1", "item-2-text": "Then", "item-2-value": "1"},
            "Answer key",
            "give each item a different position",
        ),
        ("evidence", {}, "Answer key", "tick at least one sentence of the article as the answer"),
        (
            "attribution",
            {"standing": "reported"},
            "Answer key",
            "mark who makes the claim and through which source",
        ),
        (
            "attribution",
            {
                "option-1-text": "Putin",
                "option-1-group": "asserted_by",
                "right-asserted_by": "1",
                "option-2-text": "Post",
                "option-2-group": "source",
                "right-source": "2",
            },
            "Answer key",
            "choose the claim's standing",
        ),
        (
            "attribution",
            {
                "option-1-text": "Putin",
                "option-1-group": "asserted_by",
                "right-asserted_by": "1",
                "option-2-text": "Post",
                "option-2-group": "source",
                "right-source": "2",
                "option-3-text": "TASS",
                "option-3-group": "source",
                "option-4-text": "Reuters",
                "option-4-group": "source",
                "standing": "reported",
                "claims": ["c-aid-requests"],
            },
            "Options",
            "an attribution question needs at least two 'asserted_by' options",
        ),
        (
            "attribution",
            {
                "option-1-text": "Putin",
                "option-1-group": "asserted_by",
                "right-asserted_by": "1",
                "option-2-text": "Xi",
                "option-2-group": "asserted_by",
                "option-3-text": "Post",
                "option-3-group": "source",
                "right-source": "3",
                "option-4-text": "TASS",
                "option-4-group": "source",
                "standing": "reported",
            },
            "Linked claims",
            "an attribution question is about exactly one claim",
        ),
        (
            "open_response",
            {"rubric-1-text": "Names the source", "rubric-1-value": "1"},
            "Model answer",
            "an open-response question needs a model answer",
        ),
        ("open_response", {"model_answer": "A model."}, "Rubric", "an open-response question needs a rubric"),
        (
            "open_response",
            {"model_answer": "A model.", "rubric-1-text": "Names it", "rubric-1-value": "2"},
            "Rubric",
            "rubric points add up to 2, but the question is worth 1",
        ),
        (
            "open_response",
            {"model_answer": "A model.", "rubric-1-text": "Names it", "rubric-1-value": "x"},
            "Rubric",
            "give each criterion a whole number of points, 1 or more",
        ),
        ("numeric", {"value": "about ten"}, "Answer key", "write a number, such as 1987 or 2.5"),
        ("numeric", {"value": "10", "tolerance": "-1"}, "Answer key", "must not be negative"),
    ],
)
def test_each_validation_message(kind: str, data: dict[str, Any], field: str, message: str) -> None:
    messages = _messages(kind, {**BASE, **data})
    assert field in messages, messages
    assert messages[field].endswith(f"— {field}: {message}")
