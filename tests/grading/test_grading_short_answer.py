"""Grading short answers: text normalisation, typo tolerance, malformed text."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from lessons.grading import validate_answer
from lessons.kinds.scoring import Grade, MalformedAnswer, normalise_text, within_edits
from lessons.kinds.short_answer import MAX_SHORT_ANSWER_LENGTH

Grader = Callable[..., Grade]
QuestionBuilder = Callable[..., dict[str, Any]]


# ---- normalise_text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Nicolás Maduro", "nicolas maduro"),
        ("NICOLÁS MADURO", "nicolas maduro"),
        ("  Nicolás \t\n  Maduro  ", "nicolas maduro"),
        ("U.S.", "us"),
        ("«Nord Stream 2»!", "nord stream 2"),
        ("Zelenskyy's office", "zelenskyys office"),
        ("Straße", "strasse"),
        ("\uff2e\uff41\uff54\uff4f", "nato"),  # full-width letters (NFKD compatibility)
        ("ﬁnland", "finland"),  # ligature
        ("Łukasz Søren Ærø", "lukasz soren aero"),
        ("Đoković", "dokovic"),
        ("São Tomé e Príncipe", "sao tome e principe"),
        ("- . , ; !", ""),
        ("", ""),
    ],
)
def test_normalise_text(text: str, normalised: str) -> None:
    assert normalise_text(text) == normalised


# ---- within_edits (Levenshtein with a bound) --------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("kitten", "sitting", 3, True),
        ("kitten", "sitting", 2, False),
        ("sitting", "kitten", 3, True),
        ("maduro", "maduro", 0, True),
        ("maduro", "madura", 0, False),
        ("maduro", "madura", 1, True),
        ("maduro", "madur", 1, True),  # deletion
        ("maduro", "maduuro", 1, True),  # insertion
        ("maduro", "amduro", 1, False),  # a swap is two edits
        ("maduro", "amduro", 2, True),
        ("", "abc", 3, True),
        ("abc", "", 2, False),
        ("", "", 0, True),
        ("abc", "abc", -1, False),
    ],
)
def test_within_edits(a: str, b: str, limit: int, expected: bool) -> None:
    assert within_edits(a, b, limit) is expected


def test_within_edits_gives_up_early_on_long_strings() -> None:
    # Without the early exit this is 25 million cell updates; with it, a handful of rows.
    assert within_edits("a" * 5_000, "b" * 5_000, 3) is False
    assert within_edits("a" * 5_000, "a" * 10, 3) is False


# ---- short answer scoring ---------------------------------------------------------------------------
# Default question: accepted "Nicolás Maduro" and "Maduro", typo tolerance 1.


@pytest.mark.parametrize(
    "answer",
    [
        "Nicolás Maduro",
        "nicolás maduro",  # case
        "NICOLAS MADURO",  # case and accent
        "Nicolas Maduro",  # accent
        "  Nicolás    Maduro  ",  # spacing
        "Nicolás Maduro.",  # punctuation
        "«Maduro»!",  # the other accepted answer, punctuated
        "Nicolas Madura",  # one typo
        "Nicolas Maduroo",  # one extra letter
        "Madro",  # one letter missing
    ],
)
def test_short_answer_right(grade_answer: Grader, answer: str) -> None:
    result = grade_answer("short_answer", answer, points=2)
    assert result.earned == Decimal("2.00")
    assert result.correct is True
    assert dict(result.parts) == {"answer": Decimal(1)}


@pytest.mark.parametrize(
    "answer",
    [
        "Nicolas Madrua",  # two edits (a swap)
        "Nicols Madur",  # two deletions
        "Hugo Chávez",
        "Maduro Nicolás",  # word order matters
        "Nicolás",
    ],
)
def test_short_answer_wrong(grade_answer: Grader, answer: str) -> None:
    result = grade_answer("short_answer", answer, points=2)
    assert result.earned == Decimal("0.00")
    assert result.correct is False


@pytest.mark.parametrize(
    ("answer", "earned"),
    [("nicolas MADURO", "1.00"), ("Nicolas Madura", "0.00"), ("Madur", "0.00")],
)
def test_short_answer_tolerance_zero_still_folds_case_and_accents(
    grade_answer: Grader, answer: str, earned: str
) -> None:
    assert grade_answer("short_answer", answer, typo_tolerance=0).earned == Decimal(earned)


def test_short_answer_larger_tolerance(grade_answer: Grader) -> None:
    assert grade_answer("short_answer", "Nicols Madur", typo_tolerance=2).correct is True
    assert grade_answer("short_answer", "Nicls Madro", typo_tolerance=2).correct is False
    assert grade_answer("short_answer", "Nicls Madro", typo_tolerance=3).correct is True


@pytest.mark.parametrize(
    ("accepted", "answer", "correct"),
    [
        # Four characters or fewer after normalisation: exact match only, whatever the tolerance.
        (["EU"], "eu", True),
        (["EU"], "E.U.", True),
        (["EU"], "EC", False),
        (["EU"], "E", False),
        (["UAE"], "u.a.e.", True),
        (["UAE"], "UAR", False),
        (["U.A.E."], "UA", False),
        # Four characters are not enough to tell a typo from another word (Iran/Iraq).
        (["TASS"], "tass", True),
        (["TASS"], "Tas", False),
        (["TASS"], "TASSS", False),
        (["NATO"], "NAT0", False),
        (["Iran"], "Iraq", False),
        # Five are.
        (["Xinhua"], "Xinhau", False),  # a swap is two edits: too many for six letters
        (["Xinhua"], "Xinhu", True),
        # Each accepted answer is judged on its own length.
        (["EU", "European Union"], "Europian Union", True),
        (["EU", "European Union"], "EC", False),
    ],
)
def test_short_answers_of_four_characters_or_fewer_are_not_typo_forgiven(
    grade_answer: Grader, accepted: list[str], answer: str, correct: bool
) -> None:
    result = grade_answer("short_answer", answer, accepted=accepted, typo_tolerance=3)
    assert result.correct is correct


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", r"^the answer is empty$"),
        ("   \n\t ", r"^the answer is empty$"),
        ("?!", r"^the answer has no letters or digits$"),
        (42, r"^expected text, got a number$"),
        (None, r"^expected text, got null$"),
        (["Maduro"], r"^expected text, got a list$"),
        (True, r"^expected text, got a boolean$"),
        ("Mad\x00uro", r"^the answer contains a NUL character$"),
        ("x" * (MAX_SHORT_ANSWER_LENGTH + 1), r"^the answer is too long \(at most 500 characters\)$"),
    ],
)
def test_short_answer_rejects_malformed(grade_answer: Grader, answer: Any, message: str) -> None:
    with pytest.raises(MalformedAnswer, match=message):
        grade_answer("short_answer", answer)


def test_short_answer_validation_trims_but_keeps_the_text(
    make_question: QuestionBuilder, sentence_ids: frozenset[str]
) -> None:
    given = "  Nicolás  MADURO \n"
    assert (
        validate_answer(make_question("short_answer"), given, sentence_ids=sentence_ids) == "Nicolás  MADURO"
    )
