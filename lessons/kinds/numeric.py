"""Numeric, within a tolerance: a number typed in (a year, a count, a distance), right when it is no further
from the accepted number than the tolerance. All or nothing; may add an evidence part.

The key is ``answer.correct = {"value": <number>, "tolerance": <number ≥ 0>, "unit": <text, optional>}``.
The unit is not key material: a student sees it beside the input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, cast

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import QuestionContent, SentenceContent, StudentQuestionContent

from .base import BaseKind, Shape
from .editor import EditedKey, KeyEditor
from .file import Node
from .forms import ANSWER, AnswerForm, SentenceRef
from .portable import Interaction, NotCarried, Part, PortableQuestion, Portrayal, TakenBack, single_part
from .scoring import LessonTerms, MalformedAnswer, Scored, all_or_nothing, gettext_noop, json_type

KEY_FIELDS: Final = ("value", "tolerance", "unit")
MAX_UNIT_LENGTH: Final = 20
MAX_NUMBER_TEXT_LENGTH: Final = 40
# A number as people type it: an optional sign, digits, and a decimal point or comma.
_TYPED_NUMBER: Final = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
# Digits grouped in threes by commas, as an article prints a count ("1,000", "12,500", "1,000,000.5"): a
# comma followed by exactly three digits groups them after a first group not starting with 0; any other comma
# ("2,5", "0,125") is a decimal comma.
_GROUPED_NUMBER: Final = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _exact(value: float) -> Fraction:
    # Through its shortest decimal text, so 0.1 is one tenth rather than the nearest binary fraction.
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def number_text(value: float) -> str:
    """A number as written in a file or typed in a form: 1987, 2.5 (never 1987.0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _unit(question: StudentQuestionContent) -> str:
    shown = cast(Mapping[str, Any], question)
    if "unit" in shown:  # a student's copy of the question
        return str(shown["unit"])
    key = (shown.get("answer") or {}).get("correct")
    return str(key.get("unit") or "") if isinstance(key, Mapping) else ""


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


class Numeric(BaseKind):
    name = "numeric"
    order = 100
    label = gettext_lazy("Numeric (within a tolerance)")
    key_help = gettext_lazy('{"value": 1987, "tolerance": 0, "unit": "km"} (numeric)')
    shape = Shape()
    form_template = "lessons/kinds/numeric.html"

    # ---- a lesson file
    def check_file_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> None:
        key = node.mapping()
        node.known_fields(KEY_FIELDS)
        for name in ("value", "tolerance"):
            if not _is_number(node[name].value):
                raise node[name].fail("must be a number")
        if key["tolerance"] < 0:
            raise node["tolerance"].fail("must not be negative")
        if "unit" in key:
            node["unit"].text(blank=True, max_length=MAX_UNIT_LENGTH)

    def stored_key(self, correct: Any, question: StudentQuestionContent) -> Any:
        if not isinstance(correct, dict):
            return correct
        return {
            "value": correct.get("value"),
            "tolerance": correct.get("tolerance"),
            "unit": correct.get("unit", ""),
        }

    def student_fields(self, question: QuestionContent) -> dict[str, Any]:
        return {"unit": _unit(question)}

    # ---- answers
    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> float:
        if not _is_number(answer):
            raise MalformedAnswer(gettext_noop("expected a number, got %(got)s"), got=json_type(answer))
        return cast(float, answer)

    def score(self, question: QuestionContent, answer: float, terms: LessonTerms) -> Scored:
        key = question["answer"]["correct"]
        distance = abs(_exact(answer) - _exact(key["value"]))
        return all_or_nothing(distance <= _exact(key["tolerance"]))

    # ---- lines
    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        key = question["answer"]["correct"]
        text = number_text(key["value"])
        if key["tolerance"]:
            text = f"{text} ± {number_text(key['tolerance'])}"
        return [_with_unit(text, _unit(question))]

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        return [_with_unit(number_text(answer) if _is_number(answer) else str(answer), _unit(question))]

    def key_options(self, question: QuestionContent) -> set[str]:
        return set()

    # ---- the form
    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        return AnswerForm(
            legend=_("Your answer"),
            input_type="text",
            text=data.get(ANSWER, ""),
            max_length=MAX_NUMBER_TEXT_LENGTH,
            suffix=_unit(question),
        )

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        """The number typed (digits grouped by commas in threes, else a decimal comma read as a point); the
        text as it came when it is none, so grading says what it got; None when nothing was sent."""
        raw = data.get(ANSWER)
        if raw is None or not raw.strip():
            return None
        text = raw.strip().replace(" ", "")
        if _GROUPED_NUMBER.match(text):
            text = text.replace(",", "")
        if not _TYPED_NUMBER.match(text):
            return raw
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() and "." not in text and "," not in text else number

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        data[ANSWER] = number_text(answer) if _is_number(answer) else str(answer)

    # ---- the editor: the number, how far off is still right, and the unit
    editor_template = "lessons/kinds/editor/numeric.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        key = question["answer"]["correct"]
        if isinstance(key, Mapping):
            for name in ("value", "tolerance"):
                if _is_number(key.get(name)):
                    data[name] = number_text(key[name])
            data["unit"] = str(key.get("unit") or "")

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        return KeyEditor(
            template=self.editor_template,
            values={
                "value": data.get("value", ""),
                "tolerance": data.get("tolerance", "0"),
                "unit": data.get("unit", ""),
            },
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        edited = EditedKey()
        key: dict[str, Any] = {"unit": data.get("unit", "").strip()}
        for name, default in (("value", ""), ("tolerance", "0")):
            raw = data.get(name, default).strip() or default
            typed = QueryDict(mutable=True)
            typed[ANSWER] = raw
            number = self.parse(cast(StudentQuestionContent, {}), typed)
            key[name] = number if _is_number(number) else None
            if key[name] is None:
                edited.unreadable[f"answer.correct.{name}"] = _("write a number, such as 1987 or 2.5")
        edited.correct = {"value": key["value"], "tolerance": key["tolerance"], "unit": key["unit"]}
        return edited

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        key = question["answer"]["correct"]
        part = Part(
            Interaction.NUMERIC, correct=key["value"], tolerance=key["tolerance"], unit=_unit(question)
        )
        return Portrayal([part])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.NUMERIC)
        if part is None:
            return None
        if not _is_number(part.correct) or not _is_number(part.tolerance) or part.tolerance < 0:
            raise NotCarried(_("a numerical question needs one answer worth 100% and a tolerance"))
        correct = {"value": part.correct, "tolerance": part.tolerance, "unit": part.unit[:MAX_UNIT_LENGTH]}
        return TakenBack(kind=self.name, correct=correct)


KIND: Final = Numeric()
