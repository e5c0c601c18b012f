"""Feedback on one answered question: the key material a learner may see once policy allows it.

Callers decide *whether* feedback is released (self-study: as soon as the question is answered); this module
only decides *what* it says. Nothing else turns key material into something a page can show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lessons.models import QuestionKind, Standing
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
    rubric: list[dict[str, Any]] = field(default_factory=list)

    @property
    def partly_right(self) -> bool:
        return not self.correct and bool(self.earned) and not self.needs_teacher


def _texts(question: dict[str, Any]) -> dict[str, str]:
    return {option["id"]: option["text"] for option in question["options"] + question["items"]}


def right_answer_lines(question: dict[str, Any], sentence_text: dict[str, str]) -> list[str]:
    """The teacher's answer as lines a person can read."""
    key = question["answer"]
    correct = key["correct"]
    texts = _texts(question)
    standing_labels = dict(Standing.choices)
    kind = question["kind"]
    if kind == QuestionKind.SINGLE_CHOICE:
        return [texts[correct]]
    if kind == QuestionKind.MULTIPLE_SELECT:
        return [texts[option_id] for option_id in correct]
    if kind == QuestionKind.TRUE_FALSE:
        return [_("True") if correct else _("False")]
    if kind == QuestionKind.SHORT_ANSWER:
        return list(key["accepted"][:1])
    if kind == QuestionKind.MATCHING:
        return [f"{texts[item_id]} → {texts[option_id]}" for item_id, option_id in correct.items()]
    if kind == QuestionKind.ORDERING:
        return [f"{position}. {texts[item_id]}" for position, item_id in enumerate(correct, start=1)]
    if kind == QuestionKind.EVIDENCE:
        return [sentence_text[sentence_id] for sentence_id in correct]
    if kind == QuestionKind.ATTRIBUTION:
        return [
            _("Asserted by: %(who)s") % {"who": texts[correct["asserted_by"]]},
            _("Through: %(source)s") % {"source": texts[correct["source"]]},
            _("Standing: %(standing)s") % {"standing": standing_labels[correct["standing"]]},
        ]
    return []


def chosen_option_ids(question: dict[str, Any], answer: Any) -> list[str]:
    kind = question["kind"]
    if kind == QuestionKind.SINGLE_CHOICE:
        return [answer]
    if kind == QuestionKind.MULTIPLE_SELECT:
        return list(answer)
    if kind == QuestionKind.TRUE_FALSE:
        return ["true" if answer else "false"]
    return []


def feedback_for(
    question: dict[str, Any],
    *,
    answer: Any,
    earned: Decimal | None,
    possible: Decimal,
    correct: bool,
    needs_teacher: bool,
    sentence_text: dict[str, str],
) -> Feedback:
    key = question["answer"]
    option_feedback = key["option_feedback"]
    return Feedback(
        correct=correct,
        earned=earned,
        possible=possible,
        needs_teacher=needs_teacher,
        right_answer=right_answer_lines(question, sentence_text),
        explanation_html=markdown_to_html(key["explanation"]),
        chosen_feedback=[
            option_feedback[option_id]
            for option_id in chosen_option_ids(question, answer)
            if option_id in option_feedback
        ],
        evidence=list(question["evidence"]),
        model_answer_html=markdown_to_html(key["model_answer"]) if key["model_answer"] else "",
        rubric=list(key["rubric"]),
    )
