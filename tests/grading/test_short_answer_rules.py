"""Short answers that must never be accepted by accident: typo tolerance that scales with the word, names
and months a typo cannot turn into one another, added specifics, and near misses. Pure: no database.

The lesson's terms come from the actors of both lesson files (the first lesson and the tests' second), as
a revision's content gives them to grading.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from factories.lessons import FIRST_LESSON_FILE, SECOND_LESSON_FILE

from lessons.grading import grade, lesson_terms
from lessons.kinds.scoring import MONTHS_ONLY, LessonTerms, forgivable_edits, text_matches

QuestionBuilder = Callable[..., dict[str, Any]]
SENTENCES = frozenset({"p1s2"})


def terms_of(path: Any) -> LessonTerms:
    return lesson_terms(json.loads(path.read_text(encoding="utf-8"))["actors"])


FIRST_TERMS = terms_of(FIRST_LESSON_FILE)
SECOND_TERMS = terms_of(SECOND_LESSON_FILE)


def right(
    make_question: QuestionBuilder, answer: str, terms: LessonTerms = MONTHS_ONLY, **overrides: Any
) -> bool:
    question = make_question("short_answer", **overrides)
    return grade(question, answer, sentence_ids=SENTENCES, terms=terms).correct


@pytest.mark.parametrize(
    ("length", "edits"),
    [(1, 0), (2, 0), (3, 0), (4, 0), (5, 1), (6, 1), (7, 2), (9, 2), (10, 3), (25, 3)],
)
def test_typos_forgiven_grow_with_the_word_and_start_at_five_letters(length: int, edits: int) -> None:
    assert forgivable_edits(length) == edits


# ---- the first lesson's keys: "President Xi" (tolerance 2) and "May" (tolerance 1)


@pytest.mark.parametrize(
    ("answer", "correct"),
    [
        ("President Xi", True),
        ("president xi", True),
        ("Presidnet Xi", True),  # two edits in a nine-letter word
        ("Presdent Xi", True),
        ("President Hu", False),  # another leader, two letters away
        ("President Li", False),
        ("President Xu", False),  # a two-letter word carries no typo
        ("President Xi Jinping", False),  # more words than the key: another accepted answer's business
        ("Xi", False),
    ],
)
def test_president_xi_refuses_other_leaders(
    make_question: QuestionBuilder, answer: str, correct: bool
) -> None:
    assert right(make_question, answer, FIRST_TERMS, accepted=["President Xi"], typo_tolerance=2) is correct


@pytest.mark.parametrize(
    ("answer", "correct"),
    [
        ("May", True),
        ("in May", True),  # a filler word
        ("MAY.", True),
        ("Mar", False),  # another month one letter away
        ("in Mar", False),
        ("Mai", False),
        ("May 2025", False),  # a year the article does not give
        ("7 May 2025", False),
        ("7 May", False),
        ("May 7", False),
        ("early May", False),  # an added specific that is not a filler word
    ],
)
def test_a_key_of_may_refuses_other_months_and_added_dates(
    make_question: QuestionBuilder, answer: str, correct: bool
) -> None:
    assert right(make_question, answer, FIRST_TERMS, accepted=["May", "in May"], typo_tolerance=1) is correct


# ---- months of any length, in English and Spanish


@pytest.mark.parametrize(
    ("key", "answer", "correct"),
    [
        ("Junio", "Julio", False),  # five letters would carry a typo, but not into another month
        ("Junio", "Junoi", False),  # a swap is two edits: too many for five letters
        ("Junio", "Juniio", True),
        ("June", "July", False),
        ("March", "Marzo", False),  # two letters apart: too many for five letters
        ("September", "Septembre", True),  # as close to "setiembre", but that is September too
        ("September", "Septmber", True),
        ("Noviembre", "Diciembre", False),
        ("Octubre", "Octobre", True),
        ("Octubre", "October", False),  # three edits
        ("Mayo", "Mayu", False),
    ],
)
def test_a_typo_never_turns_one_month_into_another(key: str, answer: str, correct: bool) -> None:
    assert text_matches(answer, key, tolerance=2) is correct


# ---- names and aliases of the lesson's actors


@pytest.mark.parametrize(
    ("terms", "key", "answer", "correct"),
    [
        (SECOND_TERMS, "Kovacs", "Kovacs", True),
        (SECOND_TERMS, "Kovacs", "Kovac", False),  # the president, one letter away from the opposition leader
        (SECOND_TERMS, "Kovacs", "Kovacz", False),  # one edit from Kovacs, but as close to Kovac
        (SECOND_TERMS, "Kovacs", "Kovacss", True),
        (SECOND_TERMS, "Kovac", "Kovacs", False),  # and the other way round (five letters: one typo)
        (SECOND_TERMS, "Marek Kovacs", "Marek Kovac", False),
        (SECOND_TERMS, "Marek Kovacs", "Mark Kovacs", True),  # "mark" is one letter from "mar", too short
        (FIRST_TERMS, "Xi Jinping", "Xi Jingping", True),
        (LessonTerms.of([]), "Kovacs", "Kovac", True),  # only the lesson's own names are kept apart
        (LessonTerms.of([["Ana Kovac", "Kovac"], ["Kovacs"]]), "Kovac", "Kovacs", False),
        (FIRST_TERMS, "Zakharova", "Zakharov", True),
        (FIRST_TERMS, "Velazquez", "Velasquez", True),
        (FIRST_TERMS, "Velazquez", "Velásquez", True),  # two spellings of one actor's name are no rivals
        (FIRST_TERMS, "Venezuela", "Venezeula", True),
        (FIRST_TERMS, "Washington", "Washingtin", True),
        (FIRST_TERMS, "Iran", "Iraq", False),
        (FIRST_TERMS, "Putin", "Puten", True),
        (FIRST_TERMS, "Trump", "Tramp", True),
        (FIRST_TERMS, "Moscow", "Moscou", True),
    ],
)
def test_a_typo_never_turns_one_known_name_into_another(
    terms: LessonTerms, key: str, answer: str, correct: bool
) -> None:
    assert text_matches(answer, key, tolerance=2, terms=terms) is correct


def test_lesson_terms_hold_every_word_of_every_name_and_alias_and_the_months() -> None:
    assert {
        "kovac",
        "kovacs",
        "marek",
        "ana",
        "norland",
        "estmark",
        "president",
    } <= SECOND_TERMS.words
    assert {"may", "mayo", "mar", "junio", "sept", "dic"} <= SECOND_TERMS.words
    assert "of" not in SECOND_TERMS.words  # filler words are not names ("Republic of Norland")


# ---- numbers and the tolerance budget


@pytest.mark.parametrize(
    ("key", "answer", "tolerance", "correct"),
    [
        ("1000 kilometres", "1000 kilometers", 2, True),
        ("1000 kilometres", "10000 kilometres", 3, False),  # a number carries no typo
        ("1000 kilometres", "1,000 kilometres", 0, True),  # punctuation folds away
        ("Su-30MK2", "Su-30MK3", 3, False),
        ("Nicolas Maduro", "Nicols Madur", 1, False),  # two typos, one forgiven
        ("Nicolas Maduro", "Nicols Madur", 2, True),
        ("Nicolas Maduro", "Maduro Nicolas", 3, False),  # word order counts
    ],
)
def test_numbers_are_exact_and_typos_share_one_budget(
    key: str, answer: str, tolerance: int, correct: bool
) -> None:
    assert text_matches(answer, key, tolerance=tolerance) is correct


# ---- near misses


@pytest.mark.parametrize(
    ("answer", "correct"),
    [
        ("Kremlin", True),
        ("the Kremlin", True),
        ("Kremlin spokesman", False),  # a near miss word for word
        ("kremlin SPOKESMAN!", False),
        ("Kremlin spokesmen", False),  # not a near miss, and more words than the key
        ("Kremlim", True),  # a typo of the accepted answer
    ],
)
def test_near_misses_are_always_wrong(make_question: QuestionBuilder, answer: str, correct: bool) -> None:
    near_misses = [{"text": "Kremlin spokesman", "feedback": "The spokesman speaks for the Kremlin."}]
    assert (
        right(make_question, answer, accepted=["Kremlin"], typo_tolerance=1, near_misses=near_misses)
        is correct
    )


def test_a_near_miss_wins_over_an_accepted_answer_it_is_a_typo_of(make_question: QuestionBuilder) -> None:
    # "Julien" is one typo away from "Julian": accepted, unless the teacher lists it as a near miss.
    overrides = {"accepted": ["Julian"], "typo_tolerance": 1}
    assert right(make_question, "Julien", **overrides) is True
    assert right(make_question, "Julien", near_misses=["Julien"], **overrides) is False


def test_a_near_miss_may_be_a_bare_string(make_question: QuestionBuilder) -> None:
    assert right(make_question, "May 2025", accepted=["May"], near_misses=["May 2025"]) is False
