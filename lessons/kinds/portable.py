"""Questions as other tools hold them: the neutral shape every exchange format (GIFT, Moodle XML, QTI) is
written from and read into.

A portable question is a prompt, a general feedback and one or more *parts*, each one interaction of the
kinds QTI names (a choice, hot text, a match, an order, a text entry, extended text) or true/false and a
number, which Moodle has as types of their own. Each question kind says how its questions become portable
parts and which portable questions it takes back (``Kind.to_portable`` and ``Kind.from_portable``); the
format modules (``lessons.interop``) only write and read parts, and never name a kind.

Pure Python: no Django, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any


class Interaction(StrEnum):
    CHOICE = "choice"  # pick one, or with `multiple` several, of `choices`
    TRUE_FALSE = "true_false"  # choices "true" and "false"
    HOTTEXT = "hottext"  # pick passages (the article's sentences) of `choices`
    MATCH = "match"  # give each of `sources` one of `choices`
    ORDER = "order"  # put `choices` in order
    TEXT_ENTRY = "text_entry"  # a short text, right when one of `accepted`
    NUMERIC = "numeric"  # a number within `tolerance` of `value`
    EXTENDED_TEXT = "extended_text"  # a text a person grades against `model_answer`


@dataclass
class Alternative:
    """An option, an item to order or match, or a passage to pick: its share of the points when picked
    (negative for a wrong pick that costs), and what a student who picks it is told."""

    id: str
    text: str
    fraction: Fraction = Fraction(0)
    feedback: str = ""


@dataclass
class Accepted:
    """An answer to a text entry, with its share of the points (0: always wrong) and its feedback."""

    text: str
    fraction: Fraction = Fraction(1)
    feedback: str = ""


@dataclass
class Part:
    interaction: Interaction
    label: str = ""  # what this part asks, when a question has several parts
    choices: list[Alternative] = field(default_factory=list)
    sources: list[Alternative] = field(default_factory=list)  # MATCH: the items each given a choice
    multiple: bool = False  # CHOICE: several may be picked
    # CHOICE, HOTTEXT: the ids picked by a right answer; MATCH: source id → choice id; ORDER: the ids in
    # order; TRUE_FALSE: a bool; NUMERIC: the value. Other interactions: None.
    correct: Any = None
    tolerance: float = 0  # NUMERIC
    unit: str = ""  # NUMERIC
    accepted: list[Accepted] = field(default_factory=list)  # TEXT_ENTRY
    model_answer: str = ""  # EXTENDED_TEXT
    feedback: dict[str, str] = field(default_factory=dict)  # TRUE_FALSE: "true"/"false" → feedback


@dataclass
class PortableQuestion:
    """A question as the exchange formats carry it. Text is Markdown (sanitised HTML allowed)."""

    id: str
    title: str
    prompt: str
    points: int
    explanation: str
    parts: list[Part]
    # What the lesson format has and no exchange format carries (links, evidence, focus, rubric): a
    # quizsite QTI package keeps it beside its items so a lesson comes back whole.
    extras: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was simplified in the exchange


class NotCarried(ValueError):
    """A portable question of a kind's type that the kind cannot take (a match with one pair)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Portrayal:
    """A question as portable parts, and what they simplify (for the export report)."""

    parts: list[Part]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TakenBack:
    """The fields of a question a kind builds from a portable question (the rest are the question's own)."""

    kind: str
    options: list[dict[str, str]] = field(default_factory=list)
    items: list[dict[str, str]] = field(default_factory=list)
    correct: Any = None
    option_feedback: dict[str, str] = field(default_factory=dict)
    accepted: list[str] = field(default_factory=list)
    near_misses: list[Any] = field(default_factory=list)
    model_answer: str = ""
    rubric: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def full(fraction: Fraction) -> bool:
    return fraction == 1


def percent(fraction: Fraction) -> str:
    """A share of the points as people read it: 50%, 33.33%."""
    value = float(fraction * 100)
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def single_part(question: PortableQuestion, *interactions: Interaction) -> Part | None:
    """The question's one part when it has exactly one, of one of `interactions`; None otherwise."""
    if len(question.parts) != 1 or question.parts[0].interaction not in interactions:
        return None
    return question.parts[0]


def option_list(choices: list[Alternative]) -> list[dict[str, str]]:
    return [{"id": choice.id, "text": choice.text} for choice in choices]


def choice_feedback(choices: list[Alternative]) -> dict[str, str]:
    return {choice.id: choice.feedback for choice in choices if choice.feedback}


def portable_choices(options: list[Any], feedback: dict[str, str], right: set[str]) -> list[Alternative]:
    """A question's options as portable choices: each right one a share of the points."""
    share = Fraction(1, len(right)) if right else Fraction(0)
    return [
        Alternative(
            id=option["id"],
            text=option["text"],
            fraction=share if option["id"] in right else Fraction(0),
            feedback=feedback.get(option["id"], ""),
        )
        for option in options
    ]
