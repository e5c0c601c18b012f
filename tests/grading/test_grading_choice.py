"""Grading single choice, multiple select and true/false questions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from lessons.grading import validate_answer
from lessons.kinds.scoring import Grade, MalformedAnswer

Grader = Callable[..., Grade]
QuestionBuilder = Callable[..., dict[str, Any]]


# ---- single choice: all or nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "points", "earned", "correct"),
    [
        ("nato", 1, "1.00", True),
        ("nato", 3, "3.00", True),
        ("eu", 1, "0.00", False),
        ("un", 3, "0.00", False),
    ],
)
def test_single_choice_scores_all_or_nothing(
    grade_answer: Grader, answer: str, points: int, earned: str, correct: bool
) -> None:
    result = grade_answer("single_choice", answer, points=points)
    assert result.earned == Decimal(earned)
    assert result.possible == Decimal(points)
    assert result.correct is correct
    assert result.needs_teacher is False
    assert dict(result.parts) == {"answer": Decimal(int(correct))}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("nota", r"^unknown option 'nota'$"),
        ("NATO", r"^unknown option 'NATO'$"),
        ("", r"^unknown option ''$"),
        (1, r"^expected an option id, got a number$"),
        (None, r"^expected an option id, got null$"),
        (["nato"], r"^expected an option id, got a list$"),
        ({"id": "nato"}, r"^expected an option id, got an object$"),
    ],
)
def test_single_choice_rejects_malformed(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("single_choice", answer)


def test_single_choice_echoes_long_ids_shortened(grade_answer: Grader) -> None:
    with pytest.raises(MalformedAnswer, match=r"^unknown option 'x{39}…'$"):
        grade_answer("single_choice", "x" * 10_000)


# ---- multiple select: (right - wrong) / right options, at least 0 ------------------------------------
# The default question has three right options (france, germany, italy) and one wrong one (spain).


@pytest.mark.parametrize(
    ("answer", "points", "earned", "fraction"),
    [
        (["france", "germany", "italy"], 1, "1.00", "1"),
        (["italy", "france", "germany"], 2, "2.00", "1"),
        (["france", "germany"], 1, "0.67", "0.6667"),
        (["france", "germany"], 2, "1.33", "0.6667"),
        (["france"], 1, "0.33", "0.3333"),
        (["france", "germany", "italy", "spain"], 1, "0.67", "0.6667"),
        (["france", "germany", "spain"], 3, "1.00", "0.3333"),
        (["france", "spain"], 1, "0.00", "0"),
        (["spain"], 1, "0.00", "0"),
        ([], 1, "0.00", "0"),
        # A repeated pick counts once.
        (["france", "france", "france"], 1, "0.33", "0.3333"),
    ],
)
def test_multiple_select_partial_credit(
    grade_answer: Grader, answer: list[str], points: int, earned: str, fraction: str
) -> None:
    result = grade_answer("multiple_select", answer, points=points)
    assert result.earned == Decimal(earned)
    assert result.parts["answer"] == Decimal(fraction)
    assert result.correct is (fraction == "1")


def test_multiple_select_single_right_option(grade_answer: Grader) -> None:
    assert grade_answer("multiple_select", ["spain"], correct=["spain"]).earned == Decimal("1.00")
    assert grade_answer("multiple_select", ["spain", "italy"], correct=["spain"]).earned == Decimal("0.00")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("france", r"^expected a list of option ids, got a string$"),
        (None, r"^expected a list of option ids, got null$"),
        ({"france": True}, r"^expected a list of option ids, got an object$"),
        (["france", 2], r"^expected a list of option ids, but it contains a number$"),
        (["france", ["germany"]], r"^expected a list of option ids, but it contains a list$"),
        (["france", "portugal"], r"^unknown option 'portugal'$"),
    ],
)
def test_multiple_select_rejects_malformed(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("multiple_select", answer)


def test_multiple_select_validation_deduplicates_keeping_order(
    make_question: QuestionBuilder, sentence_ids: frozenset[str]
) -> None:
    question = make_question("multiple_select")
    given = ["italy", "france", "italy", "spain", "france"]
    assert validate_answer(question, given, sentence_ids=sentence_ids) == ["italy", "france", "spain"]


# ---- true / false: JSON booleans only ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answer", "earned"),
    [(True, True, "1.00"), (True, False, "0.00"), (False, False, "1.00"), (False, True, "0.00")],
)
def test_true_false_scores_all_or_nothing(grade_answer: Grader, key: bool, answer: bool, earned: str) -> None:
    result = grade_answer("true_false", answer, correct=key, points=1)
    assert result.earned == Decimal(earned)
    assert result.correct is (key is answer)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("true", r"^expected true or false, got a string$"),
        ("false", r"^expected true or false, got a string$"),
        (1, r"^expected true or false, got a number$"),
        (0, r"^expected true or false, got a number$"),
        (None, r"^expected true or false, got null$"),
        ([True], r"^expected true or false, got a list$"),
    ],
)
def test_true_false_rejects_anything_but_a_boolean(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("true_false", answer)


def test_true_false_validation_returns_the_bool(
    make_question: QuestionBuilder, sentence_ids: frozenset[str]
) -> None:
    assert validate_answer(make_question("true_false"), False, sentence_ids=sentence_ids) is False
