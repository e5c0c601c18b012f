"""Grading evidence questions, the evidence second part, open responses, and the Grade itself."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from lessons.grading import grade, validate_answer, validate_evidence
from lessons.kinds.scoring import Grade, MalformedAnswer

Grader = Callable[..., Grade]
QuestionBuilder = Callable[..., dict[str, Any]]

# ---- evidence kind: (right - wrong) / right sentences, at least 0 -----------------------------------
# Default key: p1s2 and p2s1.


@pytest.mark.parametrize(
    ("answer", "points", "earned", "fraction"),
    [
        (["p1s2", "p2s1"], 1, "1.00", "1"),
        (["p2s1", "p1s2"], 2, "2.00", "1"),
        (["p1s2"], 1, "0.50", "0.5"),
        (["p1s2"], 3, "1.50", "0.5"),
        (["p1s2", "p2s1", "p3s1"], 1, "0.50", "0.5"),
        (["p1s2", "p3s1"], 1, "0.00", "0"),
        (["p1s1", "p3s1", "p3s2"], 1, "0.00", "0"),  # never below zero
        (["p1s2", "p1s2"], 1, "0.50", "0.5"),  # a repeat counts once
        ([], 1, "0.00", "0"),  # allowed: picks nothing
    ],
)
def test_evidence_partial_credit(
    grade_answer: Grader, answer: list[str], points: int, earned: str, fraction: str
) -> None:
    result = grade_answer("evidence", answer, points=points)
    assert result.earned == Decimal(earned)
    assert result.parts["answer"] == Decimal(fraction)
    assert result.correct is (fraction == "1")


def test_evidence_thirds(grade_answer: Grader) -> None:
    result = grade_answer("evidence", ["p1s1", "p1s2"], correct=["p1s1", "p1s2", "p1s3"], points=2)
    assert result.earned == Decimal("1.33")
    assert result.parts["answer"] == Decimal("0.6667")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (["p1s2", "p9s9"], r"^unknown sentence 'p9s9'$"),
        ("p1s2", r"^expected a list of sentence ids, got a string$"),
        (None, r"^expected a list of sentence ids, got null$"),
        (["p1s2", None], r"^expected a list of sentence ids, but it contains null$"),
        ([["p1s2"]], r"^expected a list of sentence ids, but it contains a list$"),
    ],
)
def test_evidence_rejects_malformed(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message) as raised:
        grade_answer("evidence", answer)
    assert raised.value.field == "answer"


# ---- the evidence second part -----------------------------------------------------------------------
# A two-point single choice question (right: "nato") with a one-point evidence part (p1s2, p2s1).

WITH_PART: dict[str, Any] = {"points": 2, "evidence_part": 1, "evidence": ["p1s2", "p2s1"]}


@pytest.mark.parametrize(
    ("answer", "evidence", "earned", "fractions"),
    [
        ("nato", ["p1s2", "p2s1"], "3.00", {"answer": 1, "evidence": 1}),
        ("nato", ["p2s1"], "2.50", {"answer": 1, "evidence": Decimal("0.5")}),
        ("nato", ["p2s1", "p1s1"], "2.00", {"answer": 1, "evidence": 0}),
        ("nato", [], "2.00", {"answer": 1, "evidence": 0}),
        ("nato", None, "2.00", {"answer": 1, "evidence": 0}),
        # The first part wrong: right evidence earns nothing.
        ("eu", ["p1s2", "p2s1"], "0.00", {"answer": 0, "evidence": 0}),
        ("eu", None, "0.00", {"answer": 0, "evidence": 0}),
    ],
)
def test_evidence_part_scored_only_when_first_part_right(
    grade_answer: Grader, answer: str, evidence: Any, earned: str, fractions: dict[str, Any]
) -> None:
    result = grade_answer("single_choice", answer, student_evidence=evidence, **WITH_PART)
    assert result.earned == Decimal(earned)
    assert result.possible == Decimal("3.00")
    assert dict(result.parts) == fractions
    assert result.correct is (answer == "nato")


def test_evidence_part_not_scored_after_partial_first_part(grade_answer: Grader) -> None:
    result = grade_answer(
        "multiple_select", ["france", "germany"], student_evidence=["p1s2", "p2s1"], **WITH_PART
    )
    assert result.earned == Decimal("1.33")  # 2/3 of 2 points, nothing for the evidence
    assert result.parts["evidence"] == 0
    assert result.correct is False


def test_evidence_part_with_every_closed_kind(grade_answer: Grader) -> None:
    right = {
        "true_false": True,
        "short_answer": "Maduro",
        "ordering": ["proposed", "signed", "ratified", "suspended"],
        "attribution": {"asserted_by": "us-officials", "source": "washington-post", "standing": "reported"},
    }
    for kind, answer in right.items():
        result = grade_answer(kind, answer, student_evidence=["p1s2"], **WITH_PART)
        assert result.earned == Decimal("2.50"), kind


def test_evidence_part_rounds_thirds(grade_answer: Grader) -> None:
    question_overrides = {"points": 1, "evidence_part": 2, "evidence": ["p1s1", "p1s2", "p1s3"]}
    result = grade_answer("true_false", True, student_evidence=["p1s1", "p1s2"], **question_overrides)
    assert result.earned == Decimal("2.33")  # 1 + 2 * 2/3
    assert result.possible == Decimal("3.00")
    assert result.parts["evidence"] == Decimal("0.6667")


@pytest.mark.parametrize(
    ("answer", "evidence", "message"),
    [
        ("nato", ["p1s2", "p9s9"], r"^unknown sentence 'p9s9'$"),
        ("eu", ["p9s9"], r"^unknown sentence 'p9s9'$"),  # rejected even though it would not be scored
        ("nato", "p1s2", r"^expected a list of sentence ids, got a string$"),
        ("nato", [1], r"^expected a list of sentence ids, but it contains a number$"),
    ],
)
def test_evidence_part_rejects_malformed_evidence(
    grade_answer: Grader, answer: str, evidence: Any, message: str
) -> None:
    with pytest.raises(MalformedAnswer, match=message) as raised:
        grade_answer("single_choice", answer, student_evidence=evidence, **WITH_PART)
    assert raised.value.field == "evidence"


@pytest.mark.parametrize("evidence", [["p1s2"], [], "p1s2"])
def test_evidence_for_a_question_without_an_evidence_part_is_malformed(
    grade_answer: Grader, evidence: Any
) -> None:
    with pytest.raises(MalformedAnswer, match=r"^this question has no evidence part$") as raised:
        grade_answer("single_choice", "nato", student_evidence=evidence)
    assert raised.value.field == "evidence"


def test_no_evidence_part_means_no_evidence_in_parts(grade_answer: Grader) -> None:
    result = grade_answer("single_choice", "nato", points=2)
    assert result.possible == Decimal("2.00")
    assert dict(result.parts) == {"answer": 1}


def test_validate_evidence(make_question: QuestionBuilder, sentence_ids: frozenset[str]) -> None:
    with_part = make_question("single_choice", **WITH_PART)
    given = ["p2s1", "p1s1", "p2s1"]
    assert validate_evidence(with_part, given, sentence_ids=sentence_ids) == ["p2s1", "p1s1"]
    assert validate_evidence(with_part, [], sentence_ids=sentence_ids) == []
    assert validate_evidence(with_part, None, sentence_ids=sentence_ids) == []
    assert validate_evidence(make_question("single_choice"), None, sentence_ids=sentence_ids) == []
    with pytest.raises(MalformedAnswer, match=r"^unknown sentence 'p1s2'$"):
        validate_evidence(with_part, ["p1s2"], sentence_ids=["p1s1"])


# ---- open response: never scored automatically -----------------------------------------------------


@pytest.mark.parametrize("points", [1, 4])
def test_open_response_waits_for_a_teacher(grade_answer: Grader, points: int) -> None:
    result = grade_answer("open_response", "The report rests on unpublished documents.", points=points)
    assert result.earned == Decimal("0.00")
    assert result.possible == Decimal(points)
    assert result.needs_teacher is True
    assert result.correct is False
    assert dict(result.parts) == {}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", r"^the answer is empty$"),
        (" \n ", r"^the answer is empty$"),
        (12, r"^expected text, got a number$"),
        ({"text": "x"}, r"^expected text, got an object$"),
        ("x" * 20_001, r"^the answer is too long \(at most 20000 characters\)$"),
    ],
)
def test_open_response_rejects_malformed(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("open_response", answer)


def test_open_response_keeps_punctuation_only_text(
    make_question: QuestionBuilder, sentence_ids: frozenset[str]
) -> None:
    assert validate_answer(make_question("open_response"), " ?! ", sentence_ids=sentence_ids) == "?!"


RIGHT_MATCHES = {
    "lavrov": "foreign-minister",
    "zakharova": "ministry-spokeswoman",
    "peskov": "kremlin-spokesman",
}

# ---- the Grade and the module's contract ------------------------------------------------------------


def test_earned_is_rounded_half_up_to_cents(grade_answer: Grader) -> None:
    eight = [f"p4s{n}" for n in range(1, 9)]
    result = grade_answer("evidence", ["p4s1"], correct=eight)  # exactly 0.125
    assert result.earned == Decimal("0.13")
    assert result.parts["answer"] == Decimal("0.125")
    three_eighths = grade_answer("evidence", ["p4s1", "p4s2", "p4s3"], correct=eight, points=3)  # 1.125
    assert three_eighths.earned == Decimal("1.13")


def test_amounts_have_two_decimal_places(grade_answer: Grader) -> None:
    result = grade_answer("single_choice", "nato", points=2)
    assert str(result.earned) == "2.00"
    assert str(result.possible) == "2.00"


def test_grade_is_immutable(grade_answer: Grader) -> None:
    result = grade_answer("single_choice", "nato")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.earned = Decimal(5)  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.parts["answer"] = Decimal(0)  # type: ignore[index]


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("single_choice", "nato"),
        ("multiple_select", ["france", "germany", "italy"]),
        ("true_false", True),
        ("short_answer", "maduro"),
        ("matching", RIGHT_MATCHES),
        ("ordering", ["proposed", "signed", "ratified", "suspended"]),
        ("evidence", ["p1s2", "p2s1"]),
        ("attribution", {"asserted_by": "us-officials", "source": "washington-post", "standing": "reported"}),
    ],
)
def test_every_closed_kind_gives_full_marks_for_the_key(grade_answer: Grader, kind: str, answer: Any) -> None:
    result = grade_answer(kind, answer, points=5)
    assert (result.earned, result.correct, result.needs_teacher) == (Decimal("5.00"), True, False)


def test_unknown_kind_is_not_a_student_error(
    make_question: QuestionBuilder, sentence_ids: frozenset[str]
) -> None:
    question = {**make_question("single_choice"), "kind": "essay"}
    with pytest.raises(LookupError, match=r"unknown question kind 'essay'"):
        grade(question, "nato", sentence_ids=sentence_ids)
    with pytest.raises(LookupError, match=r"unknown question kind 'essay'"):
        validate_answer(question, "nato", sentence_ids=sentence_ids)


def test_malformed_answer_carries_a_translatable_template(grade_answer: Grader) -> None:
    with pytest.raises(MalformedAnswer) as raised:
        grade_answer("single_choice", "zz")
    error = raised.value
    assert isinstance(error, ValueError)
    assert error.field == "answer"
    assert error.template == "unknown option '%(id)s'"
    assert error.params == {"id": "zz"}
    assert str(error) == error.message == "unknown option 'zz'"


def test_sentence_ids_may_be_any_collection(make_question: QuestionBuilder) -> None:
    question = make_question("evidence")
    as_list = grade(question, ["p1s2", "p2s1"], sentence_ids=["p1s2", "p2s1"])
    as_tuple = grade(question, ["p1s2", "p2s1"], sentence_ids=("p1s2", "p2s1"))
    assert as_list == as_tuple
    assert as_list.earned == Decimal("1.00")


def test_grading_does_not_change_the_inputs(
    make_question: QuestionBuilder, sentence_ids: frozenset[str]
) -> None:
    question = make_question("multiple_select", **WITH_PART)
    snapshot = repr(question)
    answer = ["france", "france", "germany", "italy"]
    evidence = ["p1s2", "p1s2"]
    grade(question, answer, evidence=evidence, sentence_ids=sentence_ids)
    assert repr(question) == snapshot
    assert answer == ["france", "france", "germany", "italy"]
    assert evidence == ["p1s2", "p1s2"]
