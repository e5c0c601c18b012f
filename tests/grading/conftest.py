"""Builders for the grading tests: question dicts shaped like ``questions[]`` of the lesson file format.

No database and no Django: ``lessons.grading`` is pure Python. Tests get the builders as fixtures
(test files here are not a package, so they cannot import from each other).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from lessons.grading import grade
from lessons.kinds.scoring import Grade

# The article's sentences: three paragraphs, and a long fourth one for rounding tests.
SENTENCE_IDS = frozenset(
    ["p1s1", "p1s2", "p1s3", "p2s1", "p2s2", "p3s1", "p3s2"] + [f"p4s{n}" for n in range(1, 9)]
)

# Keys of a question's ``answer`` block; any other override goes to the question itself.
ANSWER_KEYS = frozenset(
    [
        "explanation",
        "correct",
        "option_feedback",
        "accepted",
        "typo_tolerance",
        "near_misses",
        "model_answer",
        "rubric",
    ]
)


def _options(*ids: str) -> list[dict[str, str]]:
    return [{"id": option_id, "text": option_id.replace("-", " ").title()} for option_id in ids]


# The kind-specific parts of a default question of each kind, with its answer key.
_BY_KIND: dict[str, dict[str, Any]] = {
    "single_choice": {
        "options": _options("nato", "eu", "un"),
        "answer": {"correct": "nato", "option_feedback": {"eu": "Not a military alliance."}},
    },
    "multiple_select": {
        "options": _options("france", "germany", "italy", "spain"),
        "answer": {"correct": ["france", "germany", "italy"], "option_feedback": {}},
    },
    "true_false": {"answer": {"correct": True, "option_feedback": {"true": "Yes.", "false": "No."}}},
    "short_answer": {
        "answer": {"correct": None, "accepted": ["Nicolás Maduro", "Maduro"], "typo_tolerance": 1},
    },
    "matching": {
        "items": _options("lavrov", "zakharova", "peskov"),
        "options": _options("foreign-minister", "ministry-spokeswoman", "kremlin-spokesman"),
        "answer": {
            "correct": {
                "lavrov": "foreign-minister",
                "zakharova": "ministry-spokeswoman",
                "peskov": "kremlin-spokesman",
            },
        },
    },
    "ordering": {
        "items": _options("signed", "suspended", "proposed", "ratified"),
        "answer": {"correct": ["proposed", "signed", "ratified", "suspended"]},
    },
    "evidence": {"answer": {"correct": ["p1s2", "p2s1"]}},
    "attribution": {
        "claims": ["troop-transfer"],
        "options": [
            {"id": "us-officials", "text": "US officials", "group": "asserted_by"},
            {"id": "kremlin", "text": "The Kremlin", "group": "asserted_by"},
            {"id": "washington-post", "text": "The Washington Post", "group": "source"},
            {"id": "tass", "text": "TASS", "group": "source"},
        ],
        "answer": {
            "correct": {"asserted_by": "us-officials", "source": "washington-post", "standing": "reported"},
        },
    },
    "open_response": {
        "answer": {
            "correct": None,
            "model_answer": "The report rests on documents nobody has published.",
            "rubric": [{"id": "names-source", "criterion": "Names the source", "points": 1}],
        },
    },
}


def build_question(kind: str, **overrides: Any) -> dict[str, Any]:
    """A valid question of *kind*; *overrides* replace question fields or ``answer`` fields by name."""
    specific = copy.deepcopy(_BY_KIND[kind])
    question: dict[str, Any] = {
        "id": f"q-{kind.replace('_', '-')}",
        "kind": kind,
        "focus": "sourcing",
        "prompt": "A question.",
        "points": 1,
        "actors": [],
        "treaties": [],
        "claims": specific.pop("claims", []),
        "evidence": ["p1s2"],
        "options": specific.pop("options", []),
        "items": specific.pop("items", []),
        "evidence_part": 0,
        "answer": {"explanation": "Because.", "correct": None, "option_feedback": {}},
    }
    question["answer"].update(specific.pop("answer"))
    for name, value in overrides.items():
        if name in ANSWER_KEYS:
            question["answer"][name] = value
        else:
            question[name] = value
    return question


QuestionBuilder = Callable[..., dict[str, Any]]
Grader = Callable[..., Grade]


@pytest.fixture
def make_question() -> QuestionBuilder:
    """``make_question(kind, **overrides)`` → a question dict (see :func:`build_question`)."""
    return build_question


@pytest.fixture
def sentence_ids() -> frozenset[str]:
    return SENTENCE_IDS


@pytest.fixture
def grade_answer() -> Grader:
    """``grade_answer(kind, answer, student_evidence=None, **overrides)`` → the Grade of a default question.

    *student_evidence* is what the student picked for the evidence part; ``evidence=`` among the
    overrides is the question's own evidence list.
    """

    def _grade_answer(kind: str, answer: Any, student_evidence: Any = None, **overrides: Any) -> Grade:
        question = build_question(kind, **overrides)
        return grade(question, answer, evidence=student_evidence, sentence_ids=SENTENCE_IDS)

    return _grade_answer
