"""Fixtures for the lesson file tests: a small, valid lesson document and a count of every lessons row.

``minimal_doc`` is in canonical form (the order and layout ``export_lesson`` writes), so importing it and
exporting it again gives back the same bytes. Its questions, by index:

====  ===================  ============================================================
 0    single_choice        with an evidence part (``evidence_part`` 1) and option feedback
 1    multiple_select
 2    true_false           with feedback for ``true`` and ``false``
 3    short_answer         accepted answers, typo tolerance 1
 4    matching             items ``anna-berg``, ``daily-planet``
 5    ordering             items ``signed``, ``ratified``, ``request``
 6    evidence
 7    attribution          about the claim ``arms-request``
 8    open_response        2 points, a rubric of two 1-point criteria
====  ===================  ============================================================

Actors (sorted): ``anna-berg`` → ``ruritania-foreign-ministry`` → ``ruritania`` (an affiliation chain),
and ``borduria``. Sources: ``daily-planet``, ``leaked-memo`` and ``ministry-statement`` (which speaks for
``anna-berg``). One treaty with two parties; two claims, ``denial`` countering ``arms-request``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from factories.attempts import SelfStudyAttemptFactory

from lessons.models import Attempt, Lesson, Revision

MINIMAL_DOC: dict[str, Any] = {
    "format": "quizsite.lesson",
    "version": 1,
    "lesson": {
        "slug": "ruritania-arms",
        "title": "Ruritania\u2019s reported request for arms",
        "introduction": "Read the article **carefully**: who says what, and how do they know?",
        "sourcing_note": "The request is *reported*: only a leaked memo says so.",
        "objectives": ["Name the actors and their roles.", "Trace the claim to its source."],
        "level": "beginner",
        "estimated_minutes": 15,
        "status": "draft",
        "visibility": "public",
        "language": "en",
        "reading_aids": {
            "sourcing_note": "after_dependent",
            "provenance": "start",
            "actor_cards": "after_dependent",
            "treaty_cards": "after_finish",
        },
        "actors": ["anna-berg", "borduria", "ruritania"],
        "treaties": ["friendship-treaty"],
    },
    "sources": [
        {
            "id": "daily-planet",
            "name": "The Daily Planet",
            "kind": "outlet",
            "url": "https://example.com/daily-planet",
            "actor": None,
            "description": "A daily newspaper.",
        },
        {
            "id": "leaked-memo",
            "name": "A leaked government memo",
            "kind": "government_document",
            "url": "",
            "actor": None,
            "description": "",
        },
        {
            "id": "ministry-statement",
            "name": "Foreign ministry statement",
            "kind": "official_statement",
            "url": "",
            "actor": "anna-berg",
            "description": "Read out by the spokeswoman.",
        },
    ],
    "actors": [
        {
            "id": "anna-berg",
            "name": "Anna Berg",
            "kind": "person",
            "aliases": ["A. Berg"],
            "role": "Foreign Ministry spokeswoman",
            "affiliation": "ruritania-foreign-ministry",
            "description": "",
        },
        {
            "id": "borduria",
            "name": "Borduria",
            "kind": "state",
            "aliases": [],
            "role": "",
            "affiliation": None,
            "description": "A neighbouring state.",
        },
        {
            "id": "ruritania",
            "name": "Ruritania",
            "kind": "state",
            "aliases": ["Republic of Ruritania"],
            "role": "",
            "affiliation": None,
            "description": "",
        },
        {
            "id": "ruritania-foreign-ministry",
            "name": "Ruritanian Foreign Ministry",
            "kind": "organisation",
            "aliases": [],
            "role": "Foreign ministry",
            "affiliation": "ruritania",
            "description": "",
        },
    ],
    "treaties": [
        {
            "id": "friendship-treaty",
            "name": "Ruritania\u2013Borduria Friendship Treaty",
            "kind": "treaty",
            "signed_on": "2024-01-15",
            "status": "signed",
            "summary": "A treaty of friendship and cooperation.",
            "parties": [
                {"actor": "ruritania", "ratification": "ratified", "ratified_on": "2024-03-01"},
                {"actor": "borduria", "ratification": "pending", "ratified_on": None},
            ],
        }
    ],
    "article": {
        "headline": "Ruritania reportedly seeks arms from Borduria",
        "source": "daily-planet",
        "published_on": "2025-03-01",
        "url": "https://example.com/daily-planet/ruritania-arms",
        "original_headline": "Ruritania Seeks Arms",
        "rests_on": "a leaked government memo",
        "cites": ["leaked-memo", "ministry-statement"],
        "paragraphs": [
            [
                {
                    "id": "p1s1",
                    "text": "Ruritania has asked Borduria for military equipment, a newspaper reports.",
                },
                {"id": "p1s2", "text": "The newspaper cites a leaked government memo it has not published."},
            ],
            [
                {"id": "p2s1", "text": "Ruritania and Borduria signed a friendship treaty in January 2024."},
                {
                    "id": "p2s2",
                    "text": "Anna Berg, the foreign ministry\u2019s spokeswoman, denied any request.",
                },
            ],
        ],
    },
    "claims": [
        {
            "id": "arms-request",
            "statement": "Ruritania asked Borduria for military equipment.",
            "asserted_by": None,
            "via": ["daily-planet", "leaked-memo"],
            "standing": "reported",
            "evidence": ["p1s1", "p1s2"],
            "counter_claims": ["denial"],
            "note": "The memo itself has not been published.",
        },
        {
            "id": "denial",
            "statement": "No request was made.",
            "asserted_by": "anna-berg",
            "via": ["ministry-statement"],
            "standing": "confirmed",
            "evidence": ["p2s2"],
            "counter_claims": [],
            "note": "",
        },
    ],
    "questions": [
        {
            "id": "treaty-partner",
            "kind": "single_choice",
            "focus": "treaty",
            "prompt": "Which state signed the friendship treaty with Ruritania?",
            "points": 1,
            "actors": ["borduria"],
            "treaties": ["friendship-treaty"],
            "claims": [],
            "evidence": ["p2s1"],
            "options": [{"id": "borduria", "text": "Borduria"}, {"id": "syldavia", "text": "Syldavia"}],
            "items": [],
            "evidence_part": 1,
            "answer": {
                "explanation": "The article names Borduria.",
                "correct": "borduria",
                "option_feedback": {"syldavia": "Syldavia is not in the story."},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "treaty-parties",
            "kind": "multiple_select",
            "focus": "treaty",
            "prompt": "Which states are parties to the treaty?",
            "points": 2,
            "actors": ["borduria", "ruritania"],
            "treaties": ["friendship-treaty"],
            "claims": [],
            "evidence": ["p2s1"],
            "options": [
                {"id": "ruritania", "text": "Ruritania"},
                {"id": "borduria", "text": "Borduria"},
                {"id": "syldavia", "text": "Syldavia"},
            ],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "Both signed it.",
                "correct": ["ruritania", "borduria"],
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "treaty-ratified",
            "kind": "true_false",
            "focus": "treaty",
            "prompt": "Borduria has ratified the treaty.",
            "points": 1,
            "actors": [],
            "treaties": ["friendship-treaty"],
            "claims": [],
            "evidence": ["p2s1"],
            "options": [],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "The article only says the treaty was signed.",
                "correct": False,
                "option_feedback": {"true": "Signing is not ratifying.", "false": "Right."},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "spokeswoman-name",
            "kind": "short_answer",
            "focus": "actor",
            "prompt": "Who denied the request?",
            "points": 1,
            "actors": ["anna-berg"],
            "treaties": [],
            "claims": ["denial"],
            "evidence": ["p2s2"],
            "options": [],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "Anna Berg, the spokeswoman.",
                "correct": None,
                "option_feedback": {},
                "accepted": ["Anna Berg", "Berg"],
                "typo_tolerance": 1,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "match-roles",
            "kind": "matching",
            "focus": "actor",
            "prompt": "Match each name to its role.",
            "points": 2,
            "actors": ["anna-berg"],
            "treaties": [],
            "claims": [],
            "evidence": ["p1s1", "p2s2"],
            "options": [
                {"id": "newspaper", "text": "Newspaper"},
                {"id": "spokeswoman", "text": "Foreign ministry spokeswoman"},
            ],
            "items": [
                {"id": "anna-berg", "text": "Anna Berg"},
                {"id": "daily-planet", "text": "The Daily Planet"},
            ],
            "evidence_part": 0,
            "answer": {
                "explanation": "As the article says.",
                "correct": {"anna-berg": "spokeswoman", "daily-planet": "newspaper"},
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "treaty-timeline",
            "kind": "ordering",
            "focus": "event",
            "prompt": "Put these events in order.",
            "points": 1,
            "actors": [],
            "treaties": ["friendship-treaty"],
            "claims": [],
            "evidence": ["p2s1"],
            "options": [],
            "items": [
                {"id": "request", "text": "The reported request"},
                {"id": "signed", "text": "The treaty is signed"},
                {"id": "ratified", "text": "Ruritania ratifies it"},
            ],
            "evidence_part": 0,
            "answer": {
                "explanation": "Signed in January, ratified in March, the request came later.",
                "correct": ["signed", "ratified", "request"],
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "find-the-source",
            "kind": "evidence",
            "focus": "sourcing",
            "prompt": "Which sentence says what the report rests on?",
            "points": 1,
            "actors": [],
            "treaties": [],
            "claims": ["arms-request"],
            "evidence": ["p1s2"],
            "options": [],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "The memo is named in the second sentence.",
                "correct": ["p1s2"],
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "attribute-request",
            "kind": "attribution",
            "focus": "sourcing",
            "prompt": "Who reports the request, on what, and how sure can we be?",
            "points": 3,
            "actors": [],
            "treaties": [],
            "claims": ["arms-request"],
            "evidence": ["p1s1", "p1s2"],
            "options": [
                {"id": "the-newspaper", "text": "The Daily Planet", "group": "asserted_by"},
                {"id": "the-ministry", "text": "Ruritania\u2019s foreign ministry", "group": "asserted_by"},
                {"id": "leaked-memo", "text": "A leaked government memo", "group": "source"},
                {"id": "ministry-statement", "text": "A ministry statement", "group": "source"},
            ],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "A newspaper reports it, citing a memo nobody has seen.",
                "correct": {"asserted_by": "the-newspaper", "source": "leaked-memo", "standing": "reported"},
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "why-reported",
            "kind": "open_response",
            "focus": "sourcing",
            "prompt": "Why is the request *reported* and not *confirmed*?",
            "points": 2,
            "actors": [],
            "treaties": [],
            "claims": ["arms-request"],
            "evidence": ["p1s2"],
            "options": [],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "Only the newspaper has seen the memo.",
                "correct": None,
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "It rests on a memo the newspaper has not published.",
                "rubric": [
                    {"id": "names-memo", "criterion": "Names the leaked memo", "points": 1},
                    {"id": "unpublished", "criterion": "Says the memo is unpublished", "points": 1},
                ],
            },
        },
    ],
}


@pytest.fixture
def minimal_doc() -> dict[str, Any]:
    """A fresh copy of a small valid lesson document with one question of each of the nine kinds."""
    return copy.deepcopy(MINIMAL_DOC)


@pytest.fixture
def revision(first_lesson: Lesson) -> Revision:
    """The first lesson's published revision."""
    assert first_lesson.published_revision is not None
    return first_lesson.published_revision


@pytest.fixture
def attempt(learner: User, revision: Revision) -> Attempt:
    """`learner`'s open self-study attempt at the first lesson."""
    return SelfStudyAttemptFactory(learner=learner, revision=revision)


RowCounts = Callable[[], dict[str, int]]


@pytest.fixture
def row_counts(db: None) -> RowCounts:
    """``row_counts()`` → the number of rows of every lessons model (many-to-many tables included)."""

    def _row_counts() -> dict[str, int]:
        models = apps.get_app_config("lessons").get_models(include_auto_created=True)
        return {model._meta.label: model._base_manager.count() for model in models}

    return _row_counts
