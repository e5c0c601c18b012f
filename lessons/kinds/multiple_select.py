"""Multiple select: pick every right option. Right picks minus wrong picks, over the number of right ones."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import QuestionContent, SentenceContent, StudentQuestionContent

from .base import BaseKind, Shape
from .file import Node
from .forms import AnswerForm, SentenceRef, fill_many, many, option_form, option_texts
from .portable import (
    Interaction,
    NotCarried,
    Part,
    PortableQuestion,
    Portrayal,
    TakenBack,
    choice_feedback,
    option_list,
    percent,
    portable_choices,
    single_part,
)
from .scoring import OPTION_LIST, LessonTerms, Scored, ids, net_picks, unique_ids


class MultipleSelect(BaseKind):
    name = "multiple_select"
    order = 20
    label = gettext_lazy("Multiple select")
    key_help = gettext_lazy("a list of option ids (multiple select)")
    shape = Shape(min_options=2, shuffled="options", counts_picks=True)
    editor_mark = "checkbox"

    def check_file_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> None:
        if not self.checked_key(node, question, sentence_ids):
            raise node.fail("at least one option must be right")
        super().check_file_key(node, question, sentence_ids)

    def validate(
        self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]
    ) -> list[str]:
        return unique_ids(answer, known=ids(question.get("options")), messages=OPTION_LIST)

    def score(self, question: QuestionContent, answer: list[str], terms: LessonTerms) -> Scored:
        return Scored(Fraction(net_picks(answer, question["answer"]["correct"])))

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        texts = option_texts(question)
        return [texts[option_id] for option_id in question["answer"]["correct"]]

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        texts = option_texts(question)
        return [texts.get(option, option) for option in answer] or [_("(nothing selected)")]

    def chosen_options(self, question: StudentQuestionContent, answer: Any) -> list[str]:
        return list(answer)

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        return option_form(question, data, input_type="checkbox", legend=_("Select all that apply."))

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        return many(data)

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        fill_many(answer, data)

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        correct = question["answer"]["correct"]
        choices = portable_choices(question["options"], question["answer"]["option_feedback"], set(correct))
        # A wrong pick takes away what a right one gives, as our scoring does (never below 0).
        for choice in choices:
            if choice.id not in correct:
                choice.fraction = -Fraction(1, len(correct))
        return Portrayal([Part(Interaction.CHOICE, choices=choices, correct=list(correct), multiple=True)])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.CHOICE)
        if part is None or not part.multiple:
            return None
        right = [choice for choice in part.choices if choice.fraction > 0]
        if not right:
            raise NotCarried(_("a multiple-response question needs at least one answer worth points"))
        if len(part.choices) < 2:
            raise NotCarried(_("a multiple-response question needs at least two answers"))
        notes = []
        if len({choice.fraction for choice in right}) > 1 or sum(c.fraction for c in right) != 1:
            notes.append(
                _("the right answers were worth %(shares)s: each now counts the same")
                % {"shares": ", ".join(percent(choice.fraction) for choice in right)}
            )
        penalty = -Fraction(1, len(right))
        if any(choice.fraction not in (0, penalty) for choice in part.choices if choice.fraction <= 0):
            notes.append(_("wrong answers now each take away what a right one gives"))
        return TakenBack(
            kind=self.name,
            options=option_list(part.choices),
            correct=[choice.id for choice in right],
            option_feedback=choice_feedback(part.choices),
            notes=notes,
        )


KIND: Final = MultipleSelect()
