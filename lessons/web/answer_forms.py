"""Answer forms: a question's form fields, and the posted form turned into the answer shape grading expects.

Both directions live here so the field names agree: ``answer`` (radio, checkboxes, text), ``match-<item>``
(matching), ``position-<item>`` (ordering), ``asserted_by``/``source``/``standing`` (attribution) and
``evidence`` (the optional second part's sentence checkboxes).

Parsing only reshapes what the form sent; whether the answer fits the question is decided by grading through
the service (a missing answer is passed on as ``None`` so grading names what is wrong). The one check made
here is that the positions of an ordering question form a ranking, which no answer shape could express.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.grading import MAX_OPEN_RESPONSE_LENGTH, MAX_SHORT_ANSWER_LENGTH, STANDINGS
from lessons.models import Standing
from lessons.selectors.player import QuestionSlot, SentenceRef
from lessons.services import InvalidAnswer

ANSWER: Final = "answer"
EVIDENCE: Final = "evidence"
MATCH_PREFIX: Final = "match-"
POSITION_PREFIX: Final = "position-"
ATTRIBUTION_GROUPS: Final = ("asserted_by", "source")
STANDING: Final = "standing"

EMPTY_POST: Final = QueryDict()

# ----------------------------------------------------------------------------------------------------
# Parsing: one small parser per kind


Parser = Callable[[Mapping[str, Any], QueryDict], Any]


def _one(question: Mapping[str, Any], data: QueryDict) -> Any:
    """A radio group or a text field: the value, or None when nothing was sent."""
    return data.get(ANSWER)


def _many(question: Mapping[str, Any], data: QueryDict) -> Any:
    """Checkboxes: the values ticked, or None when none was."""
    return data.getlist(ANSWER) or None


_BOOLEANS: Final = {"true": True, "false": False}


def _true_false(question: Mapping[str, Any], data: QueryDict) -> Any:
    raw = data.get(ANSWER)
    # Anything but "true"/"false" passes through as it came, so grading rejects it with its message.
    return _BOOLEANS.get(raw, raw) if raw is not None else None


def _matching(question: Mapping[str, Any], data: QueryDict) -> Any:
    """Item id → option id, an empty select meaning "not matched"; None when nothing was matched at all."""
    matched = {item["id"]: data.get(MATCH_PREFIX + item["id"]) or None for item in question["items"]}
    return matched if any(matched.values()) else None


def _ordering(question: Mapping[str, Any], data: QueryDict) -> Any:
    """The item ids sorted by the position chosen for each; None when no position was sent."""
    items = [item["id"] for item in question["items"]]
    raw = {item: data.get(POSITION_PREFIX + item) for item in items}
    if all(value in (None, "") for value in raw.values()):
        return None
    positions = {item: _int_or_none(value) for item, value in raw.items()}
    # Missing, repeated or out-of-range positions all leave some rank of 1..n unused.
    if set(positions.values()) != set(range(1, len(items) + 1)):
        raise InvalidAnswer(
            _("Give each item a different position, from 1 to %(count)d.") % {"count": len(items)},
            field=ANSWER,
        )
    return sorted(items, key=lambda item: positions[item] or 0)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _attribution(question: Mapping[str, Any], data: QueryDict) -> Any:
    """The three parts that were sent (a missing part is left out, so grading names it); None if none was."""
    parts = {name: data.get(name) for name in (*ATTRIBUTION_GROUPS, STANDING)}
    given = {name: value for name, value in parts.items() if value not in (None, "")}
    return given or None


PARSERS: Final[Mapping[str, Parser]] = {
    "single_choice": _one,
    "multiple_select": _many,
    "true_false": _true_false,
    "short_answer": _one,
    "matching": _matching,
    "ordering": _ordering,
    "evidence": _many,
    "attribution": _attribution,
    "open_response": _one,
}


def answer_from_post(question: Mapping[str, Any], data: QueryDict) -> tuple[Any, Any]:
    """(answer, evidence) from a posted answer form, in the shapes grading expects.

    ``evidence`` is the list of sentence ids ticked for the optional second part (``[]`` when none was), or
    None when the question has no such part. Raises InvalidAnswer for ordering positions that are not a
    ranking; a KeyError for a question kind this module does not know.
    """
    answer = PARSERS[question["kind"]](question, data)
    evidence = data.getlist(EVIDENCE) if question.get("evidence_part") else None
    return answer, evidence


# ----------------------------------------------------------------------------------------------------
# Fields: what a question's form shows, with any values sent before (after a rejected answer)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool = False
    group: int = 0  # the paragraph of a sentence choice, to group them; 0 otherwise


@dataclass(frozen=True)
class Select:
    name: str
    label: str
    choices: list[Choice]
    blank_label: str = ""  # text of an empty first choice, when there is one


@dataclass(frozen=True)
class AnswerForm:
    """The inputs of one question's form; the template shows whichever are present, whatever the kind."""

    legend: str = ""  # what the learner is asked to do with the inputs
    input_type: str = ""  # "radio" or "checkbox" for `choices`
    choices: list[Choice] = field(default_factory=list)
    sentence_choices: bool = False  # the choices are the article's sentences
    text: str | None = None  # a text input's value (None: no text input)
    multiline: bool = False
    max_length: int = 0
    selects: list[Select] = field(default_factory=list)
    ordering: bool = False  # the selects are positions; up/down buttons may move them
    standings: list[Choice] = field(default_factory=list)
    evidence_choices: list[Choice] = field(default_factory=list)  # the optional second part

    @property
    def evidence_picked(self) -> bool:
        return any(choice.checked for choice in self.evidence_choices)


FieldBuilder = Callable[[Mapping[str, Any], QueryDict, list[SentenceRef]], AnswerForm]


def _picked(data: QueryDict, name: str) -> set[str]:
    return set(data.getlist(name))


def _option_choices(
    question: Mapping[str, Any], data: QueryDict, *, input_type: str, legend: str
) -> AnswerForm:
    picked = _picked(data, ANSWER)
    return AnswerForm(
        legend=legend,
        input_type=input_type,
        choices=[
            Choice(option["id"], option["text"], option["id"] in picked) for option in question["options"]
        ],
    )


def _single_choice_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    return _option_choices(question, data, input_type="radio", legend=_("Choose one answer."))


def _multiple_select_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    return _option_choices(question, data, input_type="checkbox", legend=_("Select all that apply."))


def _true_false_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    picked = data.get(ANSWER)
    return AnswerForm(
        legend=_("True or false?"),
        input_type="radio",
        choices=[Choice("true", _("True"), picked == "true"), Choice("false", _("False"), picked == "false")],
    )


def _short_answer_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    return AnswerForm(legend=_("Your answer"), text=data.get(ANSWER, ""), max_length=MAX_SHORT_ANSWER_LENGTH)


def _open_response_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    return AnswerForm(
        legend=_("Your answer"),
        text=data.get(ANSWER, ""),
        multiline=True,
        max_length=MAX_OPEN_RESPONSE_LENGTH,
    )


def _matching_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    selects = []
    for item in question["items"]:
        name = MATCH_PREFIX + item["id"]
        chosen = data.get(name)
        choices = [
            Choice(option["id"], option["text"], option["id"] == chosen) for option in question["options"]
        ]
        selects.append(Select(name, item["text"], choices, blank_label=_("Choose…")))
    return AnswerForm(legend=_("Choose a match for each item."), selects=selects)


def _ordering_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    items = question["items"]
    count = len(items)
    sent = [(item, data.get(POSITION_PREFIX + item["id"])) for item in items]
    # Shown sorted by the positions sent before, if any, so the list reads in the learner's order.
    if all(_int_or_none(value) is not None for _item, value in sent):
        sent.sort(key=lambda pair: _int_or_none(pair[1]) or 0)
    selects = []
    for index, (item, value) in enumerate(sent, start=1):
        chosen = value if value else str(index)
        choices = [
            Choice(str(position), str(position), str(position) == chosen) for position in range(1, count + 1)
        ]
        selects.append(Select(POSITION_PREFIX + item["id"], item["text"], choices))
    return AnswerForm(legend=_("Give each item its position: 1 comes first."), selects=selects, ordering=True)


def _sentence_choices(data: QueryDict, name: str, sentences: list[SentenceRef]) -> list[Choice]:
    picked = _picked(data, name)
    return [
        Choice(sentence.id, sentence.text, sentence.id in picked, sentence.paragraph)
        for sentence in sentences
    ]


def _evidence_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    return AnswerForm(
        legend=_("Pick the sentence or sentences of the article."),
        input_type="checkbox",
        choices=_sentence_choices(data, ANSWER, sentences),
        sentence_choices=True,
    )


_GROUP_LABELS: Final = {
    "asserted_by": gettext_lazy("Who makes the claim?"),
    "source": gettext_lazy("Through which source?"),
}


def _attribution_fields(
    question: Mapping[str, Any], data: QueryDict, sentences: list[SentenceRef]
) -> AnswerForm:
    selects = []
    for group in ATTRIBUTION_GROUPS:
        chosen = data.get(group)
        choices = [
            Choice(option["id"], option["text"], option["id"] == chosen)
            for option in question["options"]
            if option.get("group") == group
        ]
        selects.append(Select(group, str(_GROUP_LABELS[group]), choices, blank_label=_("Choose…")))
    labels = dict(Standing.choices)
    chosen_standing = data.get(STANDING)
    standings = [Choice(value, str(labels[value]), value == chosen_standing) for value in STANDINGS]
    return AnswerForm(
        legend=_("Who makes the claim, and through which source?"), selects=selects, standings=standings
    )


FIELD_BUILDERS: Final[Mapping[str, FieldBuilder]] = {
    "single_choice": _single_choice_fields,
    "multiple_select": _multiple_select_fields,
    "true_false": _true_false_fields,
    "short_answer": _short_answer_fields,
    "matching": _matching_fields,
    "ordering": _ordering_fields,
    "evidence": _evidence_fields,
    "attribution": _attribution_fields,
    "open_response": _open_response_fields,
}


def answer_form(
    question: Mapping[str, Any], sentences: list[SentenceRef], data: QueryDict | None = None
) -> AnswerForm:
    """The form of a question (student fields only), filled with `data` as sent before, if any."""
    data = data if data is not None else EMPTY_POST
    form = FIELD_BUILDERS[question["kind"]](question, data, sentences)
    if question.get("evidence_part"):
        form = replace(form, evidence_choices=_sentence_choices(data, EVIDENCE, sentences))
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


Filler = Callable[[Mapping[str, Any], Any, QueryDict], None]


def _fill_one(question: Mapping[str, Any], answer: Any, data: QueryDict) -> None:
    data[ANSWER] = str(answer)


def _fill_many(question: Mapping[str, Any], answer: Any, data: QueryDict) -> None:
    data.setlist(ANSWER, [str(value) for value in answer])


def _fill_true_false(question: Mapping[str, Any], answer: Any, data: QueryDict) -> None:
    data[ANSWER] = "true" if answer else "false"


def _fill_matching(question: Mapping[str, Any], answer: Any, data: QueryDict) -> None:
    for item, option in answer.items():
        if option:
            data[MATCH_PREFIX + item] = str(option)


def _fill_ordering(question: Mapping[str, Any], answer: Any, data: QueryDict) -> None:
    for position, item in enumerate(answer, start=1):
        data[POSITION_PREFIX + item] = str(position)


def _fill_attribution(question: Mapping[str, Any], answer: Any, data: QueryDict) -> None:
    for name in (*ATTRIBUTION_GROUPS, STANDING):
        if answer.get(name):
            data[name] = str(answer[name])


FILLERS: Final[Mapping[str, Filler]] = {
    "single_choice": _fill_one,
    "multiple_select": _fill_many,
    "true_false": _fill_true_false,
    "short_answer": _fill_one,
    "matching": _fill_matching,
    "ordering": _fill_ordering,
    "evidence": _fill_many,
    "attribution": _fill_attribution,
    "open_response": _fill_one,
}


def saved_answer_data(question: Mapping[str, Any], answer: Any, evidence: Any) -> QueryDict:
    """The form data that sends `answer` (and `evidence`) as `answer_from_post` reads it: the inverse of
    parsing, so a saved answer shows in its form as it was given."""
    data = QueryDict(mutable=True)
    if answer is not None:
        FILLERS[question["kind"]](question, answer, data)
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
