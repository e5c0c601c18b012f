"""True or false. All or nothing; per-option feedback is keyed "true" and "false"."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import OptionContent, QuestionContent, SentenceContent, StudentQuestionContent

from .base import BaseKind, Shape
from .editor import EditedKey, KeyEditor
from .forms import ANSWER, AnswerForm, Choice, SentenceRef
from .portable import Interaction, NotCarried, Part, PortableQuestion, Portrayal, TakenBack, single_part
from .scoring import LessonTerms, MalformedAnswer, Scored, all_or_nothing, gettext_noop, json_type

_BOOLEANS: Final = {"true": True, "false": False}


def _said(value: Any) -> str:
    return _("True") if value else _("False")


class TrueFalse(BaseKind):
    name = "true_false"
    order = 30
    label = gettext_lazy("True or false")
    key_help = gettext_lazy("true or false (true or false)")
    shape = Shape()

    def feedback_ids(self, options: Sequence[OptionContent]) -> list[str]:
        return ["true", "false"]

    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> bool:
        if not isinstance(answer, bool):
            raise MalformedAnswer(gettext_noop("expected true or false, got %(got)s"), got=json_type(answer))
        return answer

    def score(self, question: QuestionContent, answer: bool, terms: LessonTerms) -> Scored:
        return all_or_nothing(answer is question["answer"]["correct"])

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        return [_said(question["answer"]["correct"])]

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        return [_said(answer)]

    def chosen_options(self, question: StudentQuestionContent, answer: Any) -> list[str]:
        return ["true" if answer else "false"]

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        chosen = data.get(ANSWER)
        return AnswerForm(
            legend=_("True or false?"),
            input_type="radio",
            choices=[
                Choice("true", _("True"), chosen == "true"),
                Choice("false", _("False"), chosen == "false"),
            ],
        )

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        raw = data.get(ANSWER)
        # Anything but "true"/"false" passes through as it came, so grading rejects it with its message.
        return _BOOLEANS.get(raw, raw) if raw is not None else None

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        data[ANSWER] = "true" if answer else "false"

    # ---- the editor: the statement is the prompt; the key is a radio, with feedback for each answer
    editor_template = "lessons/kinds/editor/true_false.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        correct = question["answer"]["correct"]
        if isinstance(correct, bool):
            data["right"] = "true" if correct else "false"
        for value in _BOOLEANS:
            if feedback := question["answer"]["option_feedback"].get(value):
                data[f"feedback-{value}"] = feedback

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        return KeyEditor(
            template=self.editor_template,
            values={
                "right": data.get("right", ""),
                "feedback_true": data.get("feedback-true", ""),
                "feedback_false": data.get("feedback-false", ""),
            },
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        edited = EditedKey(correct=_BOOLEANS.get(data.get("right", "")))
        edited.option_feedback = {
            value: text for value in _BOOLEANS if (text := data.get(f"feedback-{value}", "").strip())
        }
        if edited.correct is None:
            edited.unreadable["answer.correct"] = _("choose whether the statement is true or false")
        return edited

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        feedback = dict(question["answer"]["option_feedback"])
        return Portrayal(
            [Part(Interaction.TRUE_FALSE, correct=question["answer"]["correct"], feedback=feedback)]
        )

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.TRUE_FALSE)
        if part is None:
            return None
        if not isinstance(part.correct, bool):
            raise NotCarried(_("a true/false question needs its right answer"))
        feedback = {key: part.feedback[key] for key in ("true", "false") if part.feedback.get(key)}
        return TakenBack(kind=self.name, correct=part.correct, option_feedback=feedback)


KIND: Final = TrueFalse()
