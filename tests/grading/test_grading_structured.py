"""Grading matching, ordering and attribution questions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from lessons.grading import validate_answer
from lessons.kinds.attribution import STANDINGS
from lessons.kinds.scoring import Grade, MalformedAnswer

Grader = Callable[..., Grade]
QuestionBuilder = Callable[..., dict[str, Any]]

RIGHT_MATCHES = {
    "lavrov": "foreign-minister",
    "zakharova": "ministry-spokeswoman",
    "peskov": "kremlin-spokesman",
}

ONE_MATCH = {"lavrov": "foreign-minister", "zakharova": "kremlin-spokesman", "peskov": "foreign-minister"}
NO_MATCH = {"lavrov": "kremlin-spokesman", "zakharova": "foreign-minister", "peskov": "ministry-spokeswoman"}

# ---- matching: the share of items matched ----------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "points", "earned", "fraction"),
    [
        (RIGHT_MATCHES, 1, "1.00", "1"),
        (RIGHT_MATCHES, 2, "2.00", "1"),
        ({**RIGHT_MATCHES, "peskov": "foreign-minister"}, 1, "0.67", "0.6667"),
        ({**RIGHT_MATCHES, "peskov": "foreign-minister"}, 2, "1.33", "0.6667"),
        (ONE_MATCH, 1, "0.33", "0.3333"),
        (NO_MATCH, 1, "0.00", "0"),
        # A missing item counts as wrong, not malformed; so does an item given as null.
        ({"lavrov": "foreign-minister", "zakharova": "ministry-spokeswoman"}, 1, "0.67", "0.6667"),
        ({**RIGHT_MATCHES, "peskov": None}, 1, "0.67", "0.6667"),
        ({}, 1, "0.00", "0"),
    ],
)
def test_matching_partial_credit(
    grade_answer: Grader, answer: dict[str, Any], points: int, earned: str, fraction: str
) -> None:
    result = grade_answer("matching", answer, points=points)
    assert result.earned == Decimal(earned)
    assert result.parts["answer"] == Decimal(fraction)
    assert result.correct is (fraction == "1")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (["foreign-minister"], r"^expected an object mapping item ids to option ids, got a list$"),
        ("lavrov", r"^expected an object mapping item ids to option ids, got a string$"),
        ({**RIGHT_MATCHES, "putin": "president"}, r"^unknown item 'putin'$"),
        ({**RIGHT_MATCHES, "lavrov": "president"}, r"^unknown option 'president' for item 'lavrov'$"),
        ({**RIGHT_MATCHES, "lavrov": 3}, r"^expected an option id for item 'lavrov', got a number$"),
        (
            {**RIGHT_MATCHES, "lavrov": ["foreign-minister"]},
            r"^expected an option id for item 'lavrov', got a list$",
        ),
    ],
)
def test_matching_rejects_malformed(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("matching", answer)


def test_matching_validation_orders_by_item_and_drops_nulls(
    make_question: QuestionBuilder, sentence_ids: frozenset[str]
) -> None:
    given = {"peskov": "kremlin-spokesman", "zakharova": None, "lavrov": "kremlin-spokesman"}
    normalised = validate_answer(make_question("matching"), given, sentence_ids=sentence_ids)
    assert list(normalised.items()) == [("lavrov", "kremlin-spokesman"), ("peskov", "kremlin-spokesman")]


# ---- ordering: the share of item pairs in the right relative order ---------------------------------
# Right order: proposed, signed, ratified, suspended (4 items, 6 pairs).


@pytest.mark.parametrize(
    ("answer", "points", "earned", "fraction"),
    [
        (["proposed", "signed", "ratified", "suspended"], 1, "1.00", "1"),
        (["suspended", "ratified", "signed", "proposed"], 1, "0.00", "0"),
        (["signed", "proposed", "ratified", "suspended"], 1, "0.83", "0.8333"),  # one adjacent swap: 5/6
        (["signed", "proposed", "ratified", "suspended"], 3, "2.50", "0.8333"),
        (["signed", "proposed", "suspended", "ratified"], 1, "0.67", "0.6667"),  # two swaps: 4/6
        (["signed", "proposed", "suspended", "ratified"], 2, "1.33", "0.6667"),
        (["suspended", "proposed", "signed", "ratified"], 1, "0.50", "0.5"),  # last moved first: 3/6
    ],
)
def test_ordering_partial_credit(
    grade_answer: Grader, answer: list[str], points: int, earned: str, fraction: str
) -> None:
    result = grade_answer("ordering", answer, points=points)
    assert result.earned == Decimal(earned)
    assert result.parts["answer"] == Decimal(fraction)
    assert result.correct is (fraction == "1")


def test_ordering_two_items(grade_answer: Grader) -> None:
    two_items = {
        "items": [{"id": "signed", "text": "Signed"}, {"id": "ratified", "text": "Ratified"}],
        "correct": ["signed", "ratified"],
    }
    assert grade_answer("ordering", ["signed", "ratified"], **two_items).earned == Decimal("1.00")
    assert grade_answer("ordering", ["ratified", "signed"], **two_items).earned == Decimal("0.00")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (["proposed", "signed", "ratified"], r"^missing item 'suspended'$"),
        ([], r"^missing item 'signed'$"),
        (["proposed", "signed", "signed", "suspended"], r"^item 'signed' appears more than once$"),
        (["proposed", "signed", "ratified", "suspended", "terminated"], r"^unknown item 'terminated'$"),
        (["proposed", "signed", 3, "suspended"], r"^expected a list of item ids, but it contains a number$"),
        ("proposed,signed,ratified,suspended", r"^expected a list of item ids, got a string$"),
        ({"proposed": 1}, r"^expected a list of item ids, got an object$"),
    ],
)
def test_ordering_requires_a_permutation(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("ordering", answer)


# ---- attribution: a third for each of asserted_by, source, standing --------------------------------

THIRDS = {0: Decimal(0), 1: Decimal("0.3333"), 2: Decimal("0.6667"), 3: Decimal(1)}
UNKNOWN_STANDING = (
    r"^unknown standing 'rumoured' "
    r"\(expected one of confirmed, on_record, reported, alleged, denied, unknown\)$"
)
RIGHT_ATTRIBUTION = {"asserted_by": "us-officials", "source": "washington-post", "standing": "reported"}


@pytest.mark.parametrize(
    ("changes", "points", "earned", "asserted_by", "source", "standing"),
    [
        ({}, 1, "1.00", 1, 1, 1),
        ({}, 3, "3.00", 1, 1, 1),
        ({"standing": "confirmed"}, 1, "0.67", 1, 1, 0),
        ({"standing": "confirmed"}, 2, "1.33", 1, 1, 0),
        ({"source": "tass"}, 3, "2.00", 1, 0, 1),
        ({"asserted_by": "kremlin", "standing": "denied"}, 1, "0.33", 0, 1, 0),
        ({"asserted_by": "kremlin", "source": "tass", "standing": "denied"}, 1, "0.00", 0, 0, 0),
    ],
)
def test_attribution_scores_each_part(
    grade_answer: Grader,
    changes: dict[str, str],
    points: int,
    earned: str,
    asserted_by: int,
    source: int,
    standing: int,
) -> None:
    result = grade_answer("attribution", {**RIGHT_ATTRIBUTION, **changes}, points=points)
    assert result.earned == Decimal(earned)
    assert result.parts["asserted_by"] == asserted_by
    assert result.parts["source"] == source
    assert result.parts["standing"] == standing
    assert result.parts["answer"] == THIRDS[asserted_by + source + standing]
    assert set(result.parts) == {"answer", "asserted_by", "source", "standing"}
    assert result.correct is (asserted_by + source + standing == 3)


def test_attribution_parts_sum_to_thirds(grade_answer: Grader) -> None:
    result = grade_answer("attribution", {**RIGHT_ATTRIBUTION, "standing": "alleged"})
    assert result.parts["answer"] == Decimal("0.6667")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            ["us-officials", "washington-post", "reported"],
            r"^expected an object with asserted_by, source and standing, got a list$",
        ),
        ({"asserted_by": "us-officials", "source": "washington-post"}, r"^missing field 'standing'$"),
        ({}, r"^missing field 'asserted_by'$"),
        ({**RIGHT_ATTRIBUTION, "via": ["washington-post"]}, r"^unexpected field 'via'$"),
        ({**RIGHT_ATTRIBUTION, "standing": None}, r"^expected text for 'standing', got null$"),
        ({**RIGHT_ATTRIBUTION, "source": 7}, r"^expected text for 'source', got a number$"),
        (
            {**RIGHT_ATTRIBUTION, "asserted_by": "washington-post"},
            r"^unknown asserted_by option 'washington-post'$",
        ),
        ({**RIGHT_ATTRIBUTION, "source": "kremlin"}, r"^unknown source option 'kremlin'$"),
        ({**RIGHT_ATTRIBUTION, "source": "reuters"}, r"^unknown source option 'reuters'$"),
        (
            {**RIGHT_ATTRIBUTION, "standing": "rumoured"},
            UNKNOWN_STANDING,
        ),
        ({**RIGHT_ATTRIBUTION, "standing": "Reported"}, r"^unknown standing 'Reported'"),
    ],
)
def test_attribution_rejects_malformed(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("attribution", answer)


@pytest.mark.parametrize("standing", STANDINGS)
def test_attribution_accepts_every_standing(
    make_question: QuestionBuilder, sentence_ids: frozenset[str], standing: str
) -> None:
    answer = {"standing": standing, "source": "tass", "asserted_by": "kremlin"}
    normalised = validate_answer(make_question("attribution"), answer, sentence_ids=sentence_ids)
    assert list(normalised.items()) == [
        ("asserted_by", "kremlin"),
        ("source", "tass"),
        ("standing", standing),
    ]


def test_standings() -> None:
    assert STANDINGS == ("confirmed", "on_record", "reported", "alleged", "denied", "unknown")
