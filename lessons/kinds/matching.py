"""Matching: give each item its option (an official ↔ a role). The share of items matched right."""

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
    option_list,
    single_part,
)
from .scoring import LessonTerms, MalformedAnswer, Scored, gettext_noop, ids, json_type, show

MATCH_PREFIX: Final = "match-"


class Matching(BaseKind):
    name = "matching"
    order = 50
    label = gettext_lazy("Matching")
    key_help = gettext_lazy('{"item id": "option id", …} (matching)')
    shape = Shape(min_options=2, min_items=2)  # always shown arranged against the key: see key_arrangement
    form_template = "lessons/kinds/selects.html"

    def check_file_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> None:
        normalised = self.checked_key(node, question, sentence_ids)
        if set(normalised) != {item["id"] for item in question["items"]}:
            raise node.fail("every item must be matched")
        super().check_file_key(node, question, sentence_ids)

    def stored_key(self, correct: Any, question: StudentQuestionContent) -> Any:
        if not isinstance(correct, dict):
            return correct
        return {item["id"]: correct[item["id"]] for item in question["items"] if item["id"] in correct}

    def validate(
        self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]
    ) -> dict[str, str]:
        if not isinstance(answer, Mapping):
            raise MalformedAnswer(
                gettext_noop("expected an object mapping item ids to option ids, got %(got)s"),
                got=json_type(answer),
            )
        items = ids(question.get("items"))
        options = set(ids(question.get("options")))
        for item, option in answer.items():
            if not isinstance(item, str) or item not in items:
                raise MalformedAnswer(gettext_noop("unknown item '%(id)s'"), id=show(str(item)))
            if option is None:
                continue  # not matched yet: counts as wrong
            if not isinstance(option, str):
                raise MalformedAnswer(
                    gettext_noop("expected an option id for item '%(item)s', got %(got)s"),
                    item=item,
                    got=json_type(option),
                )
            if option not in options:
                raise MalformedAnswer(
                    gettext_noop("unknown option '%(id)s' for item '%(item)s'"), id=show(option), item=item
                )
        # In the question's item order; unmatched items left out.
        return {item: answer[item] for item in items if answer.get(item) is not None}

    def score(self, question: QuestionContent, answer: Mapping[str, str], terms: LessonTerms) -> Scored:
        correct: Mapping[str, str] = question["answer"]["correct"]
        if not correct:
            return Scored(Fraction(0))
        right = sum(1 for item, option in correct.items() if answer.get(item) == option)
        return Scored(Fraction(right, len(correct)))

    def key_arrangement(self, question: QuestionContent) -> tuple[str, list[str | None]] | None:
        """The options are listed beside the items: the key's arrangement puts each item's match level
        with it, so a student could match by position."""
        correct: Mapping[str, str] = question["answer"]["correct"]
        return "options", [correct.get(item["id"]) for item in question["items"]]

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        texts = option_texts(question)
        return [f"{texts[item]} → {texts[option]}" for item, option in question["answer"]["correct"].items()]

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        texts = option_texts(question)
        return [
            f"{item['text']} → {texts.get(answer.get(item['id'], ''), _('not matched'))}"
            for item in question["items"]
        ]

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
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

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        """Item id → option id, an empty select meaning "not matched"; None when nothing was matched."""
        matched = {item["id"]: data.get(MATCH_PREFIX + item["id"]) or None for item in question["items"]}
        return matched if any(matched.values()) else None

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        for item, option in answer.items():
            if option:
                data[MATCH_PREFIX + item] = str(option)

    # ---- the editor: the options, then each item with its match chosen beside it
    editor_template = "lessons/kinds/editor/matching.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        numbers = editing.option_row_numbers(question)
        correct = question["answer"]["correct"] or {}
        editing.put_option_rows(
            data, question, items_value={item: numbers.get(option, "") for item, option in correct.items()}
        )

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        options = editing.padded(editing.posted_rows(data, editing.OPTION), at_least=self.shape.min_options)
        items = editing.padded(editing.posted_rows(data, editing.ITEM), at_least=self.shape.min_items)
        written, blank = _("Option %(number)d: %(text)s"), _("Option %(number)d")
        return KeyEditor(
            template=self.editor_template,
            options=options,
            items=items,
            item_choices=[
                (
                    str(row.number),
                    written % {"number": index, "text": row.text} if row.text else blank % {"number": index},
                )
                for index, row in enumerate(options, start=1)
            ],
            item_choice_labels=(
                written.replace("%(number)d", "{number}").replace("%(text)s", "{text}"),
                blank.replace("%(number)d", "{number}"),
            ),
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        options, items = editing.option_rows(data)
        correct = {}
        for item in items:
            option = editing.row_by_number(options, item.value)
            if option is not None:
                correct[item.id] = option.id
        edited = EditedKey(
            options=editing.as_options(options),
            items=editing.as_options(items),
            correct=correct,
            option_feedback=editing.row_feedback(options),
        )
        unmatched = [item.text for item in items if item.id not in correct]
        if unmatched:
            edited.unreadable["answer.correct"] = _("choose the match of every item (not yet: %(items)s)") % {
                "items": "; ".join(unmatched)
            }
        return edited

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        feedback = question["answer"]["option_feedback"]
        choices = [
            Alternative(o["id"], o["text"], feedback=feedback.get(o["id"], "")) for o in question["options"]
        ]
        sources = [Alternative(item["id"], item["text"]) for item in question["items"]]
        correct = dict(question["answer"]["correct"])
        return Portrayal([Part(Interaction.MATCH, choices=choices, sources=sources, correct=correct)])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.MATCH)
        if part is None:
            return None
        if len(part.sources) < 2 or len(part.choices) < 2:
            raise NotCarried(_("a matching question needs at least two pairs"))
        correct = part.correct if isinstance(part.correct, dict) else {}
        if set(correct) != {source.id for source in part.sources}:
            raise NotCarried(_("every item of a matching question needs its match"))
        return TakenBack(
            kind=self.name,
            options=option_list(part.choices),
            items=option_list(part.sources),
            correct={source.id: correct[source.id] for source in part.sources},
            option_feedback=choice_feedback(part.choices),
        )


KIND: Final = Matching()
