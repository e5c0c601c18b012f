"""Feedback on one answered question: the key material a learner may see once policy allows it.

Callers decide *whether* feedback is released (self-study: as soon as the question is answered); this module
only decides *what* it says. Nothing else turns key material into something a page can show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lessons.content_types import QuestionContent, RubricCriterionContent
from lessons.kinds import get_kind
from lessons.rendering import markdown_to_html


@dataclass(frozen=True)
class Feedback:
    correct: bool
    earned: Decimal | None
    possible: Decimal
    needs_teacher: bool
    right_answer: list[str]
    explanation_html: str
    chosen_feedback: list[str]
    evidence: list[str]
    model_answer_html: str = ""
    rubric: list[RubricCriterionContent] = field(default_factory=list)

    @property
    def partly_right(self) -> bool:
        return not self.correct and bool(self.earned) and not self.needs_teacher


def right_answer_lines(question: QuestionContent, sentence_text: dict[str, str]) -> list[str]:
    """The teacher's answer as lines a person can read."""
    return get_kind(question["kind"]).key_lines(question, sentence_text)


def chosen_option_ids(question: QuestionContent, answer: Any) -> list[str]:
    return get_kind(question["kind"]).chosen_options(question, answer)


def feedback_for(
    question: QuestionContent,
    *,
    answer: Any,
    earned: Decimal | None,
    possible: Decimal,
    correct: bool,
    needs_teacher: bool,
    sentence_text: dict[str, str],
) -> Feedback:
    key = question["answer"]
    return Feedback(
        correct=correct,
        earned=earned,
        possible=possible,
        needs_teacher=needs_teacher,
        right_answer=right_answer_lines(question, sentence_text),
        explanation_html=markdown_to_html(key["explanation"]),
        chosen_feedback=get_kind(question["kind"]).feedback_lines(question, answer),
        evidence=list(question["evidence"]),
        model_answer_html=markdown_to_html(key["model_answer"]) if key["model_answer"] else "",
        rubric=list(key["rubric"]),
    )
