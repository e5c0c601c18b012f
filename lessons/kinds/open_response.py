"""Open response: written at length, graded by a teacher against a model answer and a rubric."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import (
    QuestionContent,
    RubricCriterionContent,
    SentenceContent,
    StudentQuestionContent,
)

from . import editor as editing
from .base import Shape, WrittenAnswerKind
from .editor import EditedKey, KeyEditor
from .file import Node
from .forms import SentenceRef
from .portable import Interaction, NotCarried, Part, PortableQuestion, Portrayal, TakenBack, single_part
from .scoring import LessonTerms, Scored, answer_text

MAX_OPEN_RESPONSE_LENGTH: Final = 20_000


class OpenResponse(WrittenAnswerKind):
    name = "open_response"
    order = 90
    label = gettext_lazy("Open response")
    key_help = gettext_lazy("null (open response)")
    shape = Shape(evidence_part=False, teacher_graded=True)
    answer_template = "lessons/kinds/answer_text.html"
    max_length = MAX_OPEN_RESPONSE_LENGTH
    multiline = True

    def check_file_rubric(self, node: Node, rubric: Sequence[RubricCriterionContent], points: int) -> None:
        if not rubric:
            raise node.fail("an open-response question needs a rubric")
        if len({criterion["id"] for criterion in rubric}) != len(rubric):
            raise node.fail("a rubric criterion id is used twice")
        total = sum(criterion["points"] for criterion in rubric)
        if total != points:
            raise node.fail(f"rubric points add up to {total}, but the question is worth {points}")

    def check_file_answer(self, answer: Node, accepted: Sequence[str], model_answer: str) -> None:
        if not model_answer.strip():
            raise answer["model_answer"].fail("an open-response question needs a model answer")

    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> str:
        return answer_text(answer, max_length=MAX_OPEN_RESPONSE_LENGTH)

    def score(self, question: QuestionContent, answer: str, terms: LessonTerms) -> Scored:
        return Scored(Fraction(0), needs_teacher=True)

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        return []

    # ---- the editor: a model answer and a rubric whose points add up to the question's
    editor_template = "lessons/kinds/editor/open_response.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        data["model_answer"] = question["answer"]["model_answer"]
        editing.put_rows(data, editing.RUBRIC, editing.rubric_rows_of(question))

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        return KeyEditor(
            template=self.editor_template,
            values={"model_answer": data.get("model_answer", "")},
            rubric=editing.padded(editing.posted_rows(data, editing.RUBRIC), at_least=1),
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        rubric, unreadable = editing.rubric_rows(data)
        return EditedKey(
            model_answer=data.get("model_answer", "").strip(), rubric=rubric, unreadable=unreadable
        )

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        model_answer = question["answer"]["model_answer"]
        return Portrayal([Part(Interaction.EXTENDED_TEXT, model_answer=model_answer)])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.EXTENDED_TEXT)
        if part is None:
            return None
        if not part.model_answer.strip():
            raise NotCarried(_("an essay needs a general feedback to become the model answer"))
        criterion = part.label.strip() or _("Agrees with the model answer")
        rubric = [{"id": "overall", "criterion": criterion, "points": question.points}]
        return TakenBack(kind=self.name, model_answer=part.model_answer, rubric=rubric)


KIND: Final = OpenResponse()
