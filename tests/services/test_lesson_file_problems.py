"""`lesson_file_problems` reports every problem of a lesson document at once, each by its place: the path,
and inside a question the question's number and id, in plain words. It agrees with the parser: no problem
exactly when `parse_lesson_document` accepts the document, and the parser's one error is among them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from lessons.services.lesson_documents import LessonFileError, lesson_file_problems, parse_lesson_document

Mutation = Callable[[dict[str, Any]], None]


def test_good_lessons_have_no_problem(
    first_lesson_data: dict[str, Any], second_lesson_data: dict[str, Any]
) -> None:
    assert lesson_file_problems(first_lesson_data) == []
    assert lesson_file_problems(second_lesson_data) == []


def test_every_problem_at_once_each_by_question_number_and_id(second_lesson_data: dict[str, Any]) -> None:
    data = copy.deepcopy(second_lesson_data)
    data["questions"][0]["answer"]["explanation"] = ""
    data["questions"][0]["evidence"] = ["p9s9"]
    data["questions"][2]["answer"]["correct"] = "nope"
    data["questions"][3]["prompt"] = " "
    data["article"]["paragraphs"][0][1]["text"] = ""
    data["actors"][0]["name"] = ""
    data["lesson"]["title"] = ""

    problems = lesson_file_problems(data)
    described = [str(problem) for problem in problems]

    assert described == [
        "actors 1 › name: must not be empty",
        "article › paragraph 1 › sentence 2 › text: must not be empty",
        "Question 1 (q1), evidence sentences 1: sentence 'p9s9' is not defined in this file",
        "Question 1 (q1), answer › explanation: must not be empty",
        "Question 3 (q3), answer › answer key: expected a list of item ids, got a string",
        "Question 4 (q4), prompt: must not be empty",
        "lesson › title: must not be empty",
    ]
    first_question = problems[2]
    assert (first_question.question_number, first_question.question_id) == (1, "q1")
    assert first_question.path == "questions[0].evidence[0]"
    assert first_question.field == "evidence[0]"


MUTATIONS: dict[str, Mutation] = {
    "format": lambda d: d.update(format="other"),
    "version": lambda d: d.update(version=2),
    "unknown top field": lambda d: d.update(extra=1),
    "questions not a list": lambda d: d.update(questions={}),
    "no question": lambda d: d.update(questions=[]),
    "duplicate question id": lambda d: d["questions"][1].update(id=d["questions"][0]["id"]),
    "duplicate sentence id": lambda d: d["article"]["paragraphs"][0][1].update(
        id=d["article"]["paragraphs"][0][0]["id"]
    ),
    "unknown actor on a lesson": lambda d: d["lesson"]["actors"].append("nobody"),
    "bad level": lambda d: d["lesson"].update(level="expert"),
    "missing answer": lambda d: d["questions"][0].pop("answer"),
    "bad kind": lambda d: d["questions"][0].update(kind="essay"),
    "bad points": lambda d: d["questions"][1].update(points=0),
    "claim standing": lambda d: d["claims"][0].update(standing="maybe"),
    "claim evidence": lambda d: d["claims"][0].update(evidence=[]),
    "treaty party": lambda d: d["treaties"][0]["parties"][0].update(actor="nobody"),
    "source kind": lambda d: d["sources"][0].update(kind="blog"),
    "article date": lambda d: d["article"].update(published_on="2025-13"),
    "affiliation cycle": lambda d: [
        d["actors"][0].update(affiliation=d["actors"][1]["id"]),
        d["actors"][1].update(affiliation=d["actors"][0]["id"]),
    ],
    "not an object": lambda d: d.clear(),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_the_parsers_error_is_among_the_problems(name: str, second_lesson_data: dict[str, Any]) -> None:
    data = copy.deepcopy(second_lesson_data)
    MUTATIONS[name](data)
    with pytest.raises(LessonFileError) as raised:
        parse_lesson_document(data)
    problems = lesson_file_problems(data)
    assert (raised.value.path, raised.value.message) in [(p.path, p.message) for p in problems]


def test_a_file_that_is_not_an_object_is_one_problem() -> None:
    problems = lesson_file_problems(["not", "a", "lesson"])
    assert [(p.path, p.message) for p in problems] == [("(top level)", "must be an object")]
