"""Evidence: pick the sentence or sentences of the article that support a claim. Scored like multiple
select, against the sentences the teacher marked."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import QuestionContent, SentenceContent, StudentQuestionContent

from . import editor as editing
from .base import BaseKind, Shape
from .editor import EditedKey, KeyEditor
from .file import Node
from .forms import ANSWER, AnswerForm, SentenceRef, fill_many, many, sentence_choices
from .portable import (
    Alternative,
    Interaction,
    NotCarried,
    Part,
    PortableQuestion,
    Portrayal,
    TakenBack,
    single_part,
)
from .scoring import SENTENCE_LIST, LessonTerms, Scored, net_picks, unique_ids


class Evidence(BaseKind):
    name = "evidence"
    order = 70
    label = gettext_lazy("Evidence")
    key_help = gettext_lazy("a list of sentence ids (evidence)")
    # The whole question is about the supporting sentences: no second part asks for them again.
    shape = Shape(evidence_part=False)

    def check_file_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> None:
        if not self.checked_key(node, question, sentence_ids):
            raise node.fail("at least one sentence must be right")
        super().check_file_key(node, question, sentence_ids)

    def validate(
        self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]
    ) -> list[str]:
        return unique_ids(answer, known=sentence_ids, messages=SENTENCE_LIST)

    def score(self, question: QuestionContent, answer: list[str], terms: LessonTerms) -> Scored:
        return Scored(net_picks(answer, question["answer"]["correct"]))

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        return [sentence_text[sentence_id] for sentence_id in question["answer"]["correct"]]

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        return [sentence_text.get(sentence, sentence) for sentence in answer] or [_("(nothing selected)")]

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        return AnswerForm(
            legend=_("Pick the sentence or sentences of the article."),
            input_type="checkbox",
            choices=sentence_choices(data, ANSWER, sentences),
            sentence_choices=True,
        )

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        return many(data)

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        fill_many(answer, data)

    # ---- the editor: the right sentences ticked in this article; they are the question's evidence too
    editor_template = "lessons/kinds/editor/evidence.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        data.setlist(editing.KEY_SENTENCE, list(question["answer"]["correct"] or ()))

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        return KeyEditor(
            template=self.editor_template,
            key_sentences=editing.sentence_ticks(sentences, data.getlist(editing.KEY_SENTENCE)),
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        picked = editing.picked_sentences(data, sentences)
        edited = EditedKey(correct=picked, key_evidence=picked)
        if not picked:
            edited.unreadable["answer.correct"] = _("tick at least one sentence of the article as the answer")
        return edited

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        correct = list(question["answer"]["correct"])
        choices = [Alternative(sentence["id"], sentence["text"]) for sentence in sentences]
        for choice in choices:
            choice.fraction = (
                Fraction(1, len(correct)) if choice.id in correct else -Fraction(1, len(correct))
            )
        return Portrayal([Part(Interaction.HOTTEXT, choices=choices, correct=correct, multiple=True)])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.HOTTEXT)
        if part is None:
            return None
        if not part.correct:
            raise NotCarried(_("an evidence question needs at least one right sentence"))
        return TakenBack(kind=self.name, correct=list(part.correct))


KIND: Final = Evidence()
