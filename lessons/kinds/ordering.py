"""Ordering (a timeline): put the items in order. The share of pairs of items in the right order."""

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
from .forms import AnswerForm, Choice, Select, SentenceRef, UnreadableAnswer, int_or_none, option_texts
from .portable import (
    Alternative,
    Interaction,
    NotCarried,
    Part,
    PortableQuestion,
    Portrayal,
    TakenBack,
    option_list,
    single_part,
)
from .scoring import LessonTerms, MalformedAnswer, Scored, all_or_nothing, gettext_noop, ids, json_type, show

POSITION_PREFIX: Final = "position-"


class Ordering(BaseKind):
    name = "ordering"
    order = 60
    label = gettext_lazy("Ordering")
    key_help = gettext_lazy("the item ids in order (ordering)")
    # Always shown arranged against the key (see key_arrangement); the form lists items in the saved order.
    shape = Shape(min_items=2, form_arranged_by_answer=True)
    form_template = "lessons/kinds/reorder.html"

    def validate(
        self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]
    ) -> list[str]:
        if not isinstance(answer, list | tuple):
            raise MalformedAnswer(
                gettext_noop("expected a list of item ids, got %(got)s"), got=json_type(answer)
            )
        items = ids(question.get("items"))
        seen: set[str] = set()
        for entry in answer:
            if not isinstance(entry, str):
                raise MalformedAnswer(
                    gettext_noop("expected a list of item ids, but it contains %(got)s"),
                    got=json_type(entry),
                )
            if entry not in items:
                raise MalformedAnswer(gettext_noop("unknown item '%(id)s'"), id=show(entry))
            if entry in seen:
                raise MalformedAnswer(gettext_noop("item '%(id)s' appears more than once"), id=entry)
            seen.add(entry)
        for item in items:
            if item not in seen:
                raise MalformedAnswer(gettext_noop("missing item '%(id)s'"), id=item)
        return list(answer)

    def score(self, question: QuestionContent, answer: list[str], terms: LessonTerms) -> Scored:
        rank = {item: position for position, item in enumerate(question["answer"]["correct"])}
        given = [rank[item] for item in answer if item in rank]
        pairs = len(given) * (len(given) - 1) // 2
        if pairs == 0:
            return all_or_nothing(given == sorted(given))
        in_order = sum(1 for i, earlier in enumerate(given) for later in given[i + 1 :] if earlier < later)
        return Scored(Fraction(in_order, pairs))

    def key_arrangement(self, question: QuestionContent) -> tuple[str, list[str | None]] | None:
        return "items", list(question["answer"]["correct"])

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        texts = option_texts(question)
        return [
            f"{position}. {texts[item]}" for position, item in enumerate(question["answer"]["correct"], 1)
        ]

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        texts = option_texts(question)
        return [f"{position}. {texts.get(item, item)}" for position, item in enumerate(answer, start=1)]

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        items = question["items"]
        count = len(items)
        sent = [(item, data.get(POSITION_PREFIX + item["id"])) for item in items]
        # Shown sorted by the positions sent before, if any, so the list reads in the learner's order.
        if all(int_or_none(value) is not None for _item, value in sent):
            sent.sort(key=lambda pair: int_or_none(pair[1]) or 0)
        selects = []
        for index, (item, value) in enumerate(sent, start=1):
            chosen = value if value else str(index)
            choices = [
                Choice(str(position), str(position), str(position) == chosen)
                for position in range(1, count + 1)
            ]
            selects.append(Select(POSITION_PREFIX + item["id"], item["text"], choices))
        return AnswerForm(legend=_("Give each item its position: 1 comes first."), selects=selects)

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        """The item ids sorted by the position chosen for each; None when no position was sent."""
        items = [item["id"] for item in question["items"]]
        raw = {item: data.get(POSITION_PREFIX + item) for item in items}
        if all(value in (None, "") for value in raw.values()):
            return None
        positions = {item: int_or_none(value) for item, value in raw.items()}
        # Missing, repeated or out-of-range positions all leave some rank of 1..n unused.
        if set(positions.values()) != set(range(1, len(items) + 1)):
            raise UnreadableAnswer(
                _("Give each item a different position, from 1 to %(count)d.") % {"count": len(items)}
            )
        return sorted(items, key=lambda item: positions[item] or 0)

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        for position, item in enumerate(answer, start=1):
            data[POSITION_PREFIX + item] = str(position)

    # ---- the editor: each item with its right position chosen beside it (1 comes first)
    editor_template = "lessons/kinds/editor/ordering.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        correct = question["answer"]["correct"] or []
        editing.put_option_rows(
            data, question, items_value={item: str(place) for place, item in enumerate(correct, start=1)}
        )

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        items = editing.padded(editing.posted_rows(data, editing.ITEM), at_least=self.shape.min_items)
        for place, row in enumerate(items, start=1):
            row.value = row.value or str(place)  # written in order, an item needs no position chosen
        return KeyEditor(
            template=self.editor_template,
            items=items,
            item_choices=[(str(place), str(place)) for place in range(1, len(items) + 1)],
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        options, items = editing.option_rows(data)
        places = {item.id: editing.row_number(item.value) for item in items}
        edited = EditedKey(options=editing.as_options(options), items=editing.as_options(items))
        given = [place for place in places.values() if place is not None]
        if len(given) != len(items) or len(set(given)) != len(given):
            edited.unreadable["answer.correct"] = _("give each item a different position")
        edited.correct = sorted(places, key=lambda item: (places[item] or 0, item))
        return edited

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        choices = [Alternative(item["id"], item["text"]) for item in question["items"]]
        correct = list(question["answer"]["correct"])
        return Portrayal([Part(Interaction.ORDER, choices=choices, correct=correct)])

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.ORDER)
        if part is None:
            return None
        if len(part.choices) < 2:
            raise NotCarried(_("an ordering question needs at least two items"))
        correct = list(part.correct or [])
        if sorted(correct) != sorted(choice.id for choice in part.choices):
            raise NotCarried(_("an ordering question needs every item in its right place"))
        return TakenBack(kind=self.name, items=option_list(part.choices), correct=correct)


KIND: Final = Ordering()
