"""Single choice: pick the one right option. All or nothing."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import QuestionContent, SentenceContent, StudentQuestionContent

from .base import BaseKind, Shape
from .forms import AnswerForm, SentenceRef, fill_one, one, option_form, option_texts
from .portable import (
    Interaction,
    NotCarried,
    Part,
    PortableQuestion,
    Portrayal,
    TakenBack,
    choice_feedback,
    full,
    option_list,
    percent,
    portable_choices,
    single_part,
)
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

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        correct = question["answer"]["correct"]
        choices = portable_choices(question["options"], question["answer"]["option_feedback"], {correct})
        return Portrayal([Part(Interaction.CHOICE, choices=choices, correct=[correct])])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.CHOICE)
        if part is None or part.multiple:
            return None
        right = [choice for choice in part.choices if full(choice.fraction)]
        if len(right) != 1:
            raise NotCarried(_("a single-choice question needs exactly one answer worth 100%"))
        if len(part.choices) < 2:
            raise NotCarried(_("a single-choice question needs at least two answers"))
        notes = [
            _("answer “%(text)s” was worth %(share)s: it now counts as wrong")
            % {"text": choice.text, "share": percent(choice.fraction)}
            for choice in part.choices
            if 0 < choice.fraction < 1
        ]
        return TakenBack(
            kind=self.name,
            options=option_list(part.choices),
            correct=right[0].id,
            option_feedback=choice_feedback(part.choices),
            notes=notes,
        )


KIND: Final = SingleChoice()
