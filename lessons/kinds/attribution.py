"""Attribution: for one claim, who asserts it, through which source, and its standing. Each part scored."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import OptionContent, QuestionContent, SentenceContent, StudentQuestionContent
from lessons.vocabulary import STANDING_DEFINITIONS, OptionGroup, Standing

from . import editor as editing
from .base import BaseKind, Shape
from .editor import EditedKey, KeyEditor, RowGroup
from .file import Node
from .forms import AnswerForm, Choice, Select, SentenceRef, option_texts
from .portable import (
    Alternative,
    Interaction,
    NotCarried,
    Part,
    PortableQuestion,
    Portrayal,
    TakenBack,
    choice_feedback,
    portable_choices,
)
from .scoring import LessonTerms, MalformedAnswer, Scored, gettext_noop, ids, json_type, show

STANDINGS: Final[tuple[str, ...]] = tuple(Standing.values)
"""The standings a claim can have, in the order the lesson format lists them."""

GROUPS: Final[tuple[str, ...]] = (OptionGroup.ASSERTED_BY.value, OptionGroup.SOURCE.value)
STANDING: Final = "standing"
FIELDS: Final[tuple[str, ...]] = (*GROUPS, STANDING)

_GROUP_LABELS: Final = {
    OptionGroup.ASSERTED_BY.value: gettext_lazy("Who makes the claim?"),
    OptionGroup.SOURCE.value: gettext_lazy("Through which source?"),
}


def _lines(who: str, source: str, standing: str) -> list[str]:
    return [
        _("Asserted by: %(who)s") % {"who": who},
        _("Through: %(source)s") % {"source": source},
        _("Standing: %(standing)s") % {"standing": standing},
    ]


class Attribution(BaseKind):
    name = "attribution"
    order = 80
    label = gettext_lazy("Attribution")
    key_help = gettext_lazy('{"asserted_by": …, "source": …, "standing": …} (attribution)')
    shape = Shape(min_options=4, option_groups=GROUPS, shuffled="options")
    form_template = "lessons/kinds/attribution.html"

    def check_file_links(self, node: Node, options: Sequence[OptionContent], claims: Sequence[str]) -> None:
        for group in GROUPS:
            if sum(option.get("group") == group for option in options) < 2:
                raise node["options"].fail(f"an attribution question needs at least two '{group}' options")
        if len(claims) != 1:
            raise node["claims"].fail("an attribution question is about exactly one claim")

    def stored_key(self, correct: Any, question: StudentQuestionContent) -> Any:
        if not isinstance(correct, dict):
            return correct
        return {part: correct.get(part) for part in FIELDS}

    def validate(
        self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]
    ) -> dict[str, str]:
        if not isinstance(answer, Mapping):
            raise MalformedAnswer(
                gettext_noop("expected an object with asserted_by, source and standing, got %(got)s"),
                got=json_type(answer),
            )
        for name in answer:
            if name not in FIELDS:
                raise MalformedAnswer(
                    gettext_noop("unexpected field '%(field_name)s'"), field_name=show(str(name))
                )
        for name in FIELDS:
            if name not in answer:
                raise MalformedAnswer(gettext_noop("missing field '%(field_name)s'"), field_name=name)
            if not isinstance(answer[name], str):
                raise MalformedAnswer(
                    gettext_noop("expected text for '%(field_name)s', got %(got)s"),
                    field_name=name,
                    got=json_type(answer[name]),
                )
        options = question.get("options")
        for group in GROUPS:
            if answer[group] not in ids(options, group=group):
                raise MalformedAnswer(
                    gettext_noop("unknown %(group)s option '%(id)s'"), group=group, id=show(answer[group])
                )
        if answer[STANDING] not in STANDINGS:
            raise MalformedAnswer(
                gettext_noop("unknown standing '%(id)s' (expected one of %(choices)s)"),
                id=show(answer[STANDING]),
                choices=", ".join(STANDINGS),
            )
        return {name: answer[name] for name in FIELDS}

    def score(self, question: QuestionContent, answer: Mapping[str, str], terms: LessonTerms) -> Scored:
        correct: Mapping[str, Any] = question["answer"]["correct"]
        subparts = {name: Fraction(int(answer[name] == correct.get(name))) for name in FIELDS}
        return Scored(sum(subparts.values(), Fraction(0)) / len(FIELDS), MappingProxyType(subparts))

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        correct = question["answer"]["correct"]
        texts = option_texts(question)
        labels = dict(Standing.choices)
        return _lines(texts[correct["asserted_by"]], texts[correct["source"]], str(labels[correct[STANDING]]))

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        texts = option_texts(question)
        labels = dict(Standing.choices)
        return _lines(
            texts.get(answer["asserted_by"], answer["asserted_by"]),
            texts.get(answer["source"], answer["source"]),
            str(labels.get(answer[STANDING], answer[STANDING])),
        )

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        selects = []
        for group in GROUPS:
            chosen = data.get(group)
            choices = [
                Choice(option["id"], option["text"], option["id"] == chosen)
                for option in question["options"]
                if option.get("group") == group
            ]
            selects.append(Select(group, str(_GROUP_LABELS[group]), choices, blank_label=_("Choose…")))
        labels = dict(Standing.choices)
        chosen_standing = data.get(STANDING)
        # Each standing with its one definition, as the glossary gives it.
        standings = [
            Choice(value, str(labels[value]), value == chosen_standing, hint=str(STANDING_DEFINITIONS[value]))
            for value in STANDINGS
        ]
        return AnswerForm(
            legend=_("Who makes the claim, and through which source?"), selects=selects, standings=standings
        )

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        """The parts that were sent (a missing part is left out, so grading names it); None if none was."""
        parts = {name: data.get(name) for name in FIELDS}
        given = {name: value for name, value in parts.items() if value not in (None, "")}
        return given or None

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        for name in FIELDS:
            if answer.get(name):
                data[name] = str(answer[name])

    # ---- the editor: the options of each group with the right one marked beside it; the standing
    editor_template = "lessons/kinds/editor/attribution.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        editing.put_option_rows(data, question)
        correct = question["answer"]["correct"]
        if isinstance(correct, Mapping):
            numbers = editing.option_row_numbers(question)
            for group in GROUPS:
                data[f"right-{group}"] = numbers.get(correct.get(group) or "", "")
            data[STANDING] = str(correct.get(STANDING) or "")

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        posted = editing.posted_rows(data, editing.OPTION)
        groups = []
        last = max([0, *(row.number for row in posted)])
        for group in GROUPS:
            rows = editing.padded(
                [row for row in posted if row.group == group], at_least=2, group=group, start=last
            )
            last = max(last, *(row.number for row in rows))
            chosen = editing.row_number(data.get(f"right-{group}"))
            for row in rows:
                row.right = row.number == chosen
            groups.append(RowGroup(group, str(_GROUP_LABELS[group]), rows))
        labels = dict(Standing.choices)
        return KeyEditor(
            template=self.editor_template,
            option_groups=groups,
            values={STANDING: data.get(STANDING, "")},
            choices={STANDING: [(value, str(labels[value])) for value in STANDINGS]},
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        options, items = editing.option_rows(data)
        correct: dict[str, str | None] = {}
        edited = EditedKey(
            options=editing.as_options(options, grouped=True),
            items=editing.as_options(items),
            option_feedback=editing.row_feedback(options),
        )
        for group in GROUPS:
            chosen = editing.row_by_number(options, data.get(f"right-{group}"))
            correct[group] = chosen.id if chosen is not None and chosen.group == group else None
            if correct[group] is None:
                edited.unreadable["answer.correct"] = _("mark who makes the claim and through which source")
        standing = data.get(STANDING, "")
        correct[STANDING] = standing if standing in STANDINGS else None
        if correct[STANDING] is None:
            edited.unreadable["answer.correct.standing"] = _("choose the claim's standing")
        edited.correct = correct
        return edited

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        correct = question["answer"]["correct"]
        feedback = question["answer"]["option_feedback"]
        labels = dict(Standing.choices)
        parts = [
            Part(
                Interaction.CHOICE,
                label=str(_GROUP_LABELS[group]),
                choices=portable_choices(
                    [option for option in question["options"] if option.get("group") == group],
                    feedback,
                    {correct[group]},
                ),
                correct=[correct[group]],
            )
            for group in GROUPS
        ]
        standings = [Alternative(value, str(labels[value])) for value in STANDINGS]
        for choice in standings:
            choice.fraction = Fraction(int(choice.id == correct[STANDING]))
        parts.append(
            Part(
                Interaction.CHOICE,
                label=_("What is its standing?"),
                choices=standings,
                correct=[correct[STANDING]],
            )
        )
        return Portrayal(parts, [_("its three parts (who, through which source, standing) are each a third")])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        parts = question.parts
        if len(parts) != len(FIELDS) or any(
            part.interaction != Interaction.CHOICE or part.multiple or len(part.correct or []) != 1
            for part in parts
        ):
            return None
        # A standing read back from another tool's identifiers may have a hyphen for its underscore.
        standings = {choice.id: choice.id.replace("-", "_") for choice in parts[-1].choices}
        if not set(standings.values()) <= set(STANDINGS):
            return None
        options: list[dict[str, str]] = []
        feedback: dict[str, str] = {}
        for group, part in zip(GROUPS, parts, strict=False):
            if len(part.choices) < 2:
                raise NotCarried(_("each part of an attribution question needs at least two options"))
            options += [{"id": choice.id, "text": choice.text, "group": group} for choice in part.choices]
            feedback.update(choice_feedback(part.choices))
        correct = {name: part.correct[0] for name, part in zip(FIELDS, parts, strict=True)}
        correct[STANDING] = standings.get(correct[STANDING], correct[STANDING])
        return TakenBack(kind=self.name, options=options, correct=correct, option_feedback=feedback)


KIND: Final = Attribution()
