"""What the kinds' answer forms share: the form a template shows, the field names, and small helpers.

A kind builds an :class:`AnswerForm` (its inputs, named by its ``form_template``), reads a posted form back
into the answer shape its validator expects, and puts a saved answer back into form data. Parsing only
reshapes what the form sent; whether the answer fits is decided by grading through the service.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from django.http import QueryDict

from lessons.content_types import StudentQuestionContent

ANSWER: Final = "answer"
EVIDENCE: Final = "evidence"


class UnreadableAnswer(ValueError):
    """A posted form that no answer shape can express (ordering positions that are not a ranking)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SentenceRef:
    id: str
    text: str
    paragraph: int  # 1-based


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool = False
    group: int = 0  # the paragraph of a sentence choice, to group them; 0 otherwise
    hint: str = ""  # what the choice means, shown beside it (a standing's definition)


@dataclass(frozen=True)
class Select:
    name: str
    label: str
    choices: list[Choice]
    blank_label: str = ""  # text of an empty first choice, when there is one


@dataclass(frozen=True)
class AnswerForm:
    """The inputs of one question's form; its kind's template (``template``) shows them."""

    template: str = ""  # set from the kind's form_template
    legend: str = ""  # what the learner is asked to do with the inputs
    input_type: str = ""  # "radio" or "checkbox" for `choices`; the input's type for `text`
    choices: list[Choice] = field(default_factory=list)
    sentence_choices: bool = False  # the choices are the article's sentences
    text: str | None = None  # a text input's value (None: no text input)
    multiline: bool = False
    max_length: int = 0
    suffix: str = ""  # shown after a text input (a unit, say)
    selects: list[Select] = field(default_factory=list)
    standings: list[Choice] = field(default_factory=list)
    evidence_choices: list[Choice] = field(default_factory=list)  # the optional second part
    teacher_graded: bool = False  # the answer goes to a teacher rather than being checked

    @property
    def evidence_picked(self) -> bool:
        return any(choice.checked for choice in self.evidence_choices)


def picked(data: QueryDict, name: str) -> set[str]:
    return set(data.getlist(name))


def one(data: QueryDict) -> str | None:
    """A radio group or a text field: the value, or None when nothing was sent."""
    return data.get(ANSWER)


def many(data: QueryDict) -> list[str] | None:
    """Checkboxes: the values ticked, or None when none was."""
    return data.getlist(ANSWER) or None


def sentence_choices(data: QueryDict, name: str, sentences: Sequence[SentenceRef]) -> list[Choice]:
    chosen = picked(data, name)
    return [
        Choice(sentence.id, sentence.text, sentence.id in chosen, sentence.paragraph)
        for sentence in sentences
    ]


def fill_one(answer: object, data: QueryDict) -> None:
    data[ANSWER] = str(answer)


def fill_many(answer: Iterable[object], data: QueryDict) -> None:
    data.setlist(ANSWER, [str(value) for value in answer])


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def option_form(
    question: StudentQuestionContent, data: QueryDict, *, input_type: str, legend: str
) -> AnswerForm:
    """Radios or checkboxes, one per option of the question."""
    chosen = picked(data, ANSWER)
    return AnswerForm(
        legend=legend,
        input_type=input_type,
        choices=[
            Choice(option["id"], option["text"], option["id"] in chosen) for option in question["options"]
        ],
    )


def option_texts(question: StudentQuestionContent) -> dict[str, str]:
    """The text of each option and item of a question, by id."""
    return {entry["id"]: entry["text"] for entry in [*question["options"], *question["items"]]}
