"""The numeric kind: a number typed in, right within an absolute tolerance; its lesson-file part, its
validation and scoring, its form, and a lesson with one going through import and export unchanged."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from lessons.grading import grade, validate_answer
from lessons.kinds import get_kind
from lessons.kinds.scoring import MalformedAnswer
from lessons.models import Attempt, AttemptState, Response
from lessons.selectors.lessons import student_question
from lessons.services import (
    LessonFileError,
    dump_document,
    lesson_document,
    lesson_import,
    parse_lesson_document,
)
from lessons.web.answer_forms import answer_form, answer_from_post, saved_answer_data

SENTENCES = ["p1s1", "p1s2", "p2s1"]


def numeric_question(**changes: Any) -> dict[str, Any]:
    """A numeric question in the lesson file format: when was the treaty signed (1987, to the year)."""
    key_changes = {name: changes.pop(name) for name in ("correct",) if name in changes}
    question: dict[str, Any] = {
        "id": "treaty-year",
        "kind": "numeric",
        "focus": "treaty",
        "prompt": "In which year was the treaty signed?",
        "points": 2,
        "actors": [],
        "treaties": ["friendship-treaty"],
        "claims": [],
        "evidence": ["p2s1"],
        "options": [],
        "items": [],
        "evidence_part": 1,
        "answer": {
            "explanation": "The article dates the signature.",
            "correct": {"value": 1987, "tolerance": 0, "unit": ""},
            "option_feedback": {},
            "accepted": [],
            "typo_tolerance": 0,
            "model_answer": "",
            "rubric": [],
        },
    }
    question.update(changes)
    question["answer"].update(key_changes)
    return question


def post(data: dict[str, Any]) -> QueryDict:
    return QueryDict(urlencode(data, doseq=True))


# ---- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [1987, 1987.0, -3, 2.5])
def test_a_number_is_a_valid_answer_and_comes_back_as_given(answer: float) -> None:
    assert validate_answer(numeric_question(), answer, sentence_ids=SENTENCES) == answer


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("1987", r"^expected a number, got a string$"),
        (True, r"^expected a number, got a boolean$"),
        (None, r"^expected a number, got null$"),
        ([1987], r"^expected a number, got a list$"),
    ],
)
def test_anything_but_a_finite_number_is_malformed(answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        validate_answer(numeric_question(), answer, sentence_ids=SENTENCES)


# ---- scoring ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answer", "right"),
    [
        ({"value": 1987, "tolerance": 0}, 1987, True),
        ({"value": 1987, "tolerance": 0}, 1988, False),
        ({"value": 1987, "tolerance": 2}, 1985, True),
        ({"value": 1987, "tolerance": 2}, 1989, True),
        ({"value": 1987, "tolerance": 2}, 1990, False),
        ({"value": 2.5, "tolerance": 0.1}, 2.6, True),  # exactly at the edge, in decimal terms
        ({"value": 2.5, "tolerance": 0.1}, 2.4, True),
        ({"value": 2.5, "tolerance": 0.1}, 2.61, False),
        ({"value": -40, "tolerance": 0.5}, -40.5, True),
    ],
)
def test_an_answer_within_the_tolerance_earns_all_the_points_and_one_outside_none(
    key: dict[str, Any], answer: float, right: bool
) -> None:
    question = numeric_question(correct={**key, "unit": ""}, evidence_part=0)

    result = grade(question, answer, sentence_ids=SENTENCES)

    assert (result.correct, result.earned, result.possible) == (
        right,
        Decimal("2.00") if right else Decimal("0.00"),
        Decimal("2.00"),
    )
    assert dict(result.parts) == {"answer": Decimal("1.0000") if right else Decimal("0.0000")}


def test_the_evidence_part_counts_only_when_the_number_is_right() -> None:
    right = grade(numeric_question(), 1987, evidence=["p2s1"], sentence_ids=SENTENCES)
    wrong = grade(numeric_question(), 1986, evidence=["p2s1"], sentence_ids=SENTENCES)

    assert (right.earned, right.possible, right.parts["evidence"]) == (
        Decimal("3.00"),
        Decimal("3.00"),
        Decimal("1.0000"),
    )
    assert (wrong.earned, wrong.parts["evidence"]) == (Decimal("0.00"), Decimal("0.0000"))


def test_key_and_answer_read_with_the_unit() -> None:
    kind = get_kind("numeric")
    question = numeric_question(correct={"value": 4500, "tolerance": 250, "unit": "km"})

    assert kind.key_lines(question, {}) == ["4500 ± 250 km"]
    assert kind.answer_lines(question, 4400.5, {}) == ["4400.5 km"]


# ---- the form --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({"answer": "1987"}, 1987),
        ({"answer": " 2,5 "}, 2.5),  # a decimal comma
        ({"answer": "1,000"}, 1000),  # digits grouped in threes, as articles print counts
        ({"answer": "12,500"}, 12500),
        ({"answer": "1,000,000.5"}, 1000000.5),
        ({"answer": "0,125"}, 0.125),  # a leading zero groups nothing: a decimal comma
        ({"answer": "1,00"}, 1.0),
        ({"answer": "-0.75"}, -0.75),
        ({"answer": "about 1987"}, "about 1987"),  # passed on as it came, so grading says what it got
        ({"answer": "   "}, None),
        ({}, None),
    ],
)
def test_the_number_typed_is_read_from_the_form(sent: dict[str, Any], expected: Any) -> None:
    answer, evidence = answer_from_post(student_question(numeric_question()), post(sent))

    assert (answer, evidence) == (expected, [])


def test_a_student_sees_the_unit_but_not_the_number() -> None:
    question = numeric_question(correct={"value": 4500, "tolerance": 250, "unit": "km"})

    shown = student_question(question)
    form = answer_form(shown, [], saved_answer_data(shown, 4400.5, None))

    assert shown["unit"] == "km"
    assert "answer" not in shown and "4500" not in str(shown)
    assert (form.template, form.text, form.suffix) == ("lessons/kinds/numeric.html", "4400.5", "km")


# ---- the lesson file -------------------------------------------------------------------------------


@pytest.fixture
def numeric_doc(minimal_doc: dict[str, Any]) -> dict[str, Any]:
    """The minimal document with a numeric question added (minimal_doc: tests/services/conftest.py)."""
    doc = copy.deepcopy(minimal_doc)
    doc["questions"].append(numeric_question(correct={"value": 1987, "tolerance": 0.5, "unit": "AD"}))
    return doc


@pytest.mark.django_db
def test_a_lesson_with_a_numeric_question_comes_back_byte_for_byte(numeric_doc: dict[str, Any]) -> None:
    lesson = lesson_import(data=numeric_doc)

    exported = lesson_document(lesson)

    assert dump_document(exported) == dump_document(numeric_doc)
    assert exported["questions"][-1]["answer"]["correct"] == {"value": 1987, "tolerance": 0.5, "unit": "AD"}
    reimported = lesson_import(data=exported, replace=True)
    assert dump_document(lesson_document(reimported)) == dump_document(numeric_doc)


@pytest.mark.django_db
def test_a_key_without_a_unit_is_stored_with_an_empty_one(numeric_doc: dict[str, Any]) -> None:
    numeric_doc["questions"][-1]["answer"]["correct"] = {"value": 12, "tolerance": 1}

    lesson = lesson_import(data=numeric_doc)

    assert lesson_document(lesson)["questions"][-1]["answer"]["correct"] == {
        "value": 12,
        "tolerance": 1,
        "unit": "",
    }


@pytest.mark.parametrize(
    ("correct", "path", "message"),
    [
        (1987, "answer.correct", "must be an object"),
        ({"tolerance": 0}, "answer.correct.value", "is missing"),
        ({"value": "1987", "tolerance": 0}, "answer.correct.value", "must be a number"),
        ({"value": 1987, "tolerance": True}, "answer.correct.tolerance", "must be a number"),
        ({"value": 1987, "tolerance": -1}, "answer.correct.tolerance", "must not be negative"),
        ({"value": 1987, "tolerance": 0, "unit": 7}, "answer.correct.unit", "must be a string"),
        ({"value": 1987, "tolerance": 0, "unit": "x" * 21}, "answer.correct.unit", "at most 20 characters"),
        ({"value": 1987, "tolerance": 0, "note": ""}, "answer.correct.note", "is not a field"),
    ],
)
def test_a_malformed_key_is_refused_naming_its_field(
    numeric_doc: dict[str, Any], correct: Any, path: str, message: str
) -> None:
    numeric_doc["questions"][-1]["answer"]["correct"] = correct
    position = len(numeric_doc["questions"]) - 1

    with pytest.raises(LessonFileError) as caught:
        parse_lesson_document(numeric_doc)

    assert caught.value.path == f"questions[{position}].{path}"
    assert message in caught.value.message


def test_options_or_items_are_refused(numeric_doc: dict[str, Any]) -> None:
    numeric_doc["questions"][-1]["options"] = [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]

    with pytest.raises(LessonFileError, match="this kind of question has no options"):
        parse_lesson_document(numeric_doc)


# ---- the player ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_learner_types_a_number_with_a_decimal_comma_and_gets_the_points(
    numeric_doc: dict[str, Any], client: Client, django_user_model: Any
) -> None:
    numeric_doc["lesson"]["status"] = "published"
    lesson = lesson_import(data=numeric_doc)
    client.force_login(django_user_model.objects.create_user("learner", password="Quiet-harbour-1947"))

    page = client.get(reverse("lessons:play", args=[lesson.slug])).content.decode()
    attempt = Attempt.objects.get(lesson=lesson, state=AttemptState.OPEN)
    answered = client.post(
        reverse("lessons:answer", args=[lesson.slug, "treaty-year"]),
        {"attempt": attempt.pk, "answer": "1987,4"},
        headers={"HX-Request": "true"},  # the question comes back with its feedback
    )

    assert 'inputmode="decimal"' in page and '<span class="unit">AD</span>' in page
    assert "1987" not in page  # the key stays out of the page until answered
    assert answered.status_code == 200
    saved = Response.objects.get(attempt=attempt, question_key="treaty-year")
    assert (saved.answer, saved.earned, saved.correct) == (1987.4, Decimal("2.00"), True)
    assert "1987.4 AD" in answered.content.decode()
