"""Answer forms: a question's form, and the posted form turned into the answer shape grading expects.

Each kind builds its own inputs, reads its own posted fields and puts a saved answer back into them
(``lessons.kinds``); this module adds what every kind shares: the optional second part's sentence checkboxes
(``evidence``), the template the kind names, and the panel a page shows.

Parsing only reshapes what the form sent; whether the answer fits the question is decided by grading through
the service (a missing answer is passed on as ``None`` so grading names what is wrong).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Final

from django.http import QueryDict

from lessons.content_types import StudentQuestionContent
from lessons.kinds import get_kind
from lessons.kinds.forms import (
    EVIDENCE,
    AnswerForm,
    Choice,
    Select,
    SentenceRef,
    UnreadableAnswer,
    sentence_choices,
)
from lessons.selectors.player import QuestionSlot
from lessons.services import InvalidAnswer

__all__ = ["AnswerForm", "Choice", "QuestionPanel", "SaveState", "Select", "answer_form", "answer_from_post"]

ANSWER: Final = "answer"
EMPTY_POST: Final = QueryDict()


def answer_from_post(question: StudentQuestionContent, data: QueryDict) -> tuple[Any, Any]:
    """(answer, evidence) from a posted answer form, in the shapes grading expects.

    ``evidence`` is the list of sentence ids ticked for the optional second part (``[]`` when none was), or
    None when the question has no such part. Raises InvalidAnswer for a form no answer shape can express
    (positions that are not a ranking); UnknownKind for a question kind the registry does not know.
    """
    try:
        answer = get_kind(question["kind"]).parse(question, data)
    except UnreadableAnswer as error:
        raise InvalidAnswer(error.message, field=ANSWER) from None
    evidence = data.getlist(EVIDENCE) if question.get("evidence_part") else None
    return answer, evidence


def answer_form(
    question: StudentQuestionContent, sentences: list[SentenceRef], data: QueryDict | None = None
) -> AnswerForm:
    """The form of a question (student fields only), filled with `data` as sent before, if any."""
    data = data if data is not None else EMPTY_POST
    kind = get_kind(question["kind"])
    form = kind.form(question, data, sentences)
    form = replace(form, template=kind.form_template, teacher_graded=kind.shape.teacher_graded)
    if question.get("evidence_part"):
        form = replace(form, evidence_choices=sentence_choices(data, EVIDENCE, sentences))
    return form


# ----------------------------------------------------------------------------------------------------
# A question as one unit of a page: its slot (feedback once answered), its form, and any error


@dataclass(frozen=True)
class SaveState:
    """How an assignment question's form saves (the self-study player has none): the signed name of the
    attempt, the sequence number a form without JS sends next, and when the answer was last saved."""

    token: str
    next_sequence: int = 1
    saved_at: dt.datetime | None = None
    # Feedback follows each answer (released immediately), which makes the answer final: the form then
    # behaves as the self-study player's, replaced by the feedback once answered.
    final: bool = False

    @property
    def stored_sequence(self) -> int:
        return self.next_sequence - 1


@dataclass(frozen=True)
class QuestionPanel:
    slot: QuestionSlot
    form: AnswerForm | None  # None once answered, or when the attempt is closed
    error: str = ""
    error_status: int = 0
    save: SaveState | None = None  # an assignment's question: saved as it is given, changeable until submit

    @property
    def key(self) -> str:
        return self.slot.key


def question_panel(
    slot: QuestionSlot,
    sentences: list[SentenceRef],
    *,
    open_for_answers: bool = True,
    data: QueryDict | None = None,
    error: str = "",
    error_status: int = 0,
) -> QuestionPanel:
    """A question ready for a template: an unanswered one's form (refilled with `data`), or its feedback."""
    form = answer_form(slot.question, sentences, data) if slot.answered is None and open_for_answers else None
    return QuestionPanel(slot, form, error, error_status)


# ----------------------------------------------------------------------------------------------------
# A saved answer put back in its form (assignments: answers can change until the attempt is submitted)


def saved_answer_data(question: StudentQuestionContent, answer: Any, evidence: Any) -> QueryDict:
    """The form data that sends `answer` (and `evidence`) as `answer_from_post` reads it: the inverse of
    parsing, so a saved answer shows in its form as it was given."""
    data = QueryDict(mutable=True)
    if answer is not None:
        get_kind(question["kind"]).fill(question, answer, data)
    if evidence:
        data.setlist(EVIDENCE, [str(sentence) for sentence in evidence])
    return data


def assignment_panel(
    slot: QuestionSlot,
    sentences: list[SentenceRef],
    *,
    save: SaveState,
    answer: Any = None,
    evidence: Any = None,
    open_for_answers: bool = True,
    data: QueryDict | None = None,
    error: str = "",
    error_status: int = 0,
) -> QuestionPanel:
    """A question of an assignment's attempt: its form filled with the saved answer (or with `data` as sent,
    after a refusal) and the save state, changeable until the attempt is submitted. Where feedback follows
    each answer (`save.final`), the slot's feedback replaces the form once answered, as in self-study.

    `slot.answered` must be None unless feedback is released: this builds no key material itself.
    """
    if save.final:
        panel = question_panel(
            slot,
            sentences,
            open_for_answers=open_for_answers,
            data=data,
            error=error,
            error_status=error_status,
        )
        return replace(panel, save=save)
    if data is None and answer is not None:
        data = saved_answer_data(slot.question, answer, evidence)
    form = answer_form(slot.question, sentences, data) if open_for_answers else None
    return QuestionPanel(slot, form, error, error_status, save)
