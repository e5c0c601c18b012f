"""The shapes of a lesson document: what a lesson file holds and what a published revision stores.

A revision's ``content`` is a lesson document (``fixtures/README.md``). It is written by one function,
``lessons.services.lesson_documents.question_content`` for each question, and read through these types
everywhere. Plain typing, no Django and no imports from the rest of the application, so models, kinds,
services and selectors can all use it.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class OptionContent(TypedDict):
    """A choice, an item to match or put in order, or a choice in one of a question's option groups."""

    id: str
    text: str
    group: NotRequired[str]  # only for kinds whose options come in groups


class RubricCriterionContent(TypedDict):
    id: str
    criterion: str
    points: int


class NearMissContent(TypedDict):
    """A short answer always wrong, however close to an accepted one, and what to tell the student."""

    text: str
    feedback: str


class AnswerContent(TypedDict):
    """A question's key block (``answer``): key material, never shown before the policy allows."""

    explanation: str
    correct: Any  # the shape is the question kind's (see lessons.kinds)
    option_feedback: dict[str, str]
    accepted: list[str]
    typo_tolerance: int
    # Short answer: always wrong. A string, or {text, feedback} when it has feedback; absent when none.
    near_misses: NotRequired[list[str | NearMissContent]]
    model_answer: str
    rubric: list[RubricCriterionContent]


class StudentQuestionContent(TypedDict):
    """The fields of a question a student may see before answering (no key material)."""

    id: str
    kind: str
    focus: str
    prompt: str
    points: int
    actors: list[str]
    treaties: list[str]
    claims: list[str]
    options: list[OptionContent]
    items: list[OptionContent]
    evidence_part: int


class QuestionContent(StudentQuestionContent):
    """A whole question, key included."""

    evidence: list[str]
    answer: AnswerContent


class SentenceContent(TypedDict):
    id: str
    text: str


class ArticleContent(TypedDict):
    headline: str
    source: str
    published_on: str | None
    url: str
    original_headline: str
    rests_on: str
    cites: list[str]
    paragraphs: list[list[SentenceContent]]


class ReadingAidsContent(TypedDict):
    """When each reading aid appears: ``start``, ``after_dependent`` or ``after_finish``."""

    sourcing_note: str
    provenance: str
    actor_cards: str
    treaty_cards: str


class LessonInfoContent(TypedDict):
    slug: str
    title: str
    introduction: str
    # Revisions frozen before reading aids had a timing lack these two: read them through
    # `lessons.selectors.reading_aids`, which gives the defaults.
    sourcing_note: NotRequired[str]
    objectives: list[str]
    level: str
    estimated_minutes: int
    status: str
    visibility: str
    language: NotRequired[str]  # revisions published before lessons had one are in English
    reading_aids: NotRequired[ReadingAidsContent]
    actors: list[str]
    treaties: list[str]


class SourceContent(TypedDict):
    id: str
    name: str
    kind: str
    url: str
    actor: str | None
    description: str


class OutsideFactContent(TypedDict):
    """A fact a teacher adds from outside the article (`field` names the record's field it is about)."""

    field: str
    value: str
    source: str
    url: str


class ActorContent(TypedDict):
    id: str
    name: str
    kind: str
    aliases: list[str]
    role: str
    affiliation: str | None
    description: str
    outside_facts: NotRequired[list[OutsideFactContent]]  # absent when none


class PartyContent(TypedDict):
    actor: str
    ratification: str
    ratified_on: str | None


class TreatyContent(TypedDict):
    id: str
    name: str
    kind: str
    signed_on: str | None
    status: str
    summary: str
    parties: list[PartyContent]
    outside_facts: NotRequired[list[OutsideFactContent]]  # absent when none


class ClaimContent(TypedDict):
    id: str
    statement: str
    asserted_by: str | None
    via: list[str]
    standing: str
    evidence: list[str]
    counter_claims: list[str]
    note: str


class LessonContent(TypedDict):
    """A whole lesson document: a lesson file, an export, and a revision's frozen content."""

    format: str
    version: int
    lesson: LessonInfoContent
    sources: list[SourceContent]
    actors: list[ActorContent]
    treaties: list[TreatyContent]
    article: ArticleContent
    claims: list[ClaimContent]
    questions: list[QuestionContent]


def sentence_ids_of(article: ArticleContent) -> list[str]:
    """The ids of an article's sentences, in reading order."""
    return [sentence["id"] for paragraph in article["paragraphs"] for sentence in paragraph]
