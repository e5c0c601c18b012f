"""Single choice: pick the one right option. All or nothing."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import QuestionContent, StudentQuestionContent

from .base import BaseKind, Shape
from .forms import AnswerForm, SentenceRef, fill_one, one, option_form, option_texts
from .scoring import LessonTerms, MalformedAnswer, Scored, all_or_nothing, gettext_noop, ids, json_type, show


class SingleChoice(BaseKind):
    name = "single_choice"
    order = 10
    label = gettext_lazy("Single choice")
    key_help = gettext_lazy("an option id in quotes (single choice)")
    shape = Shape(min_options=2, shuffled="options", counts_picks=True)

    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> str:
        if not isinstance(answer, str):
            raise MalformedAnswer(gettext_noop("expected an option id, got %(got)s"), got=json_type(answer))
        if answer not in ids(question.get("options")):
            raise MalformedAnswer(gettext_noop("unknown option '%(id)s'"), id=show(answer))
        return answer

    def score(self, question: QuestionContent, answer: str, terms: LessonTerms) -> Scored:
        return all_or_nothing(answer == question["answer"]["correct"])

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        return [option_texts(question)[question["answer"]["correct"]]]

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        return [option_texts(question).get(answer, str(answer))]

    def chosen_options(self, question: StudentQuestionContent, answer: Any) -> list[str]:
        return [answer]

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        return option_form(question, data, input_type="radio", legend=_("Choose one answer."))

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        return one(data)

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        fill_one(answer, data)


KIND: Final = SingleChoice()
