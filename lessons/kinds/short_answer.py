"""Short answer: the teacher lists the answers to accept; case, accents, punctuation and small typos are
forgiven. All or nothing."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from django.utils.translation import gettext_lazy

from lessons.content_types import QuestionContent, StudentQuestionContent

from .base import WrittenAnswerKind
from .file import Node
from .scoring import (
    MalformedAnswer,
    Scored,
    all_or_nothing,
    answer_text,
    gettext_noop,
    normalise_text,
    within_edits,
)

SHORT_ANSWER_MIN_TYPO_LENGTH: Final = 4
"""Accepted answers shorter than this (after normalisation) must be matched exactly."""

MAX_SHORT_ANSWER_LENGTH: Final = 500


class ShortAnswer(WrittenAnswerKind):
    name = "short_answer"
    order = 40
    label = gettext_lazy("Short answer")
    key_help = gettext_lazy("null (short answer)")
    max_length = MAX_SHORT_ANSWER_LENGTH

    def check_file_answer(self, answer: Node, accepted: Sequence[str], model_answer: str) -> None:
        if not accepted:
            raise answer["accepted"].fail("a short-answer question needs at least one accepted answer")

    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> str:
        text = answer_text(answer, max_length=MAX_SHORT_ANSWER_LENGTH)
        if not normalise_text(text):
            raise MalformedAnswer(gettext_noop("the answer has no letters or digits"))
        return text

    def score(self, question: QuestionContent, answer: str) -> Scored:
        key = question["answer"]
        tolerance = int(key.get("typo_tolerance") or 0)
        given = normalise_text(answer)
        for accepted in key.get("accepted") or ():
            wanted = normalise_text(accepted)
            if given == wanted:
                return all_or_nothing(True)
            if len(wanted) >= SHORT_ANSWER_MIN_TYPO_LENGTH and within_edits(given, wanted, tolerance):
                return all_or_nothing(True)
        return all_or_nothing(False)

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        return list(question["answer"]["accepted"][:1])


KIND: Final = ShortAnswer()
