"""What the kinds' question editors share: the rows a teacher writes options and items in, and the parts of
the key each kind sets in the same place (a "right" mark beside an option, a position or a match chosen
beside an item, the article's sentences ticked).

A kind's editor has two halves, both the kind's own (``Kind.editor`` and ``Kind.edited``): filling the
editor from a question (or from a form sent back with problems), and reading a posted editor into the
question's options, items and key block. Reading never refuses: what is missing or wrong is left as the
teacher wrote it, and the authoring service checks the result with the kinds' own lesson-file checks,
so the editor and a lesson file obey the same rules. Pure Python over Django's ``QueryDict``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _

from lessons.content_types import (
    NearMissContent,
    OptionContent,
    QuestionContent,
    RubricCriterionContent,
)

from .file import SLUG_RE
from .forms import SentenceRef

OPTION: Final = "option"
ITEM: Final = "item"
NEAR_MISS: Final = "near"
RUBRIC: Final = "rubric"
KEY_SENTENCE: Final = "key-sentence"
MAX_ROWS: Final = 40  # rows of one list an editor reads: far above any real question
EXTRA_ROWS: Final = 2  # blank rows offered after the written ones, to add more without a script
_NUMBER: Final = re.compile(r"\d{1,3}")


@dataclass
class Row:
    """One written line of a list: an option, an item, a near miss or a rubric criterion."""

    number: int  # 1-based, the row's place in the form (a key names rows by it)
    id: str = ""  # the id it is stored under; "" for a row not saved yet
    text: str = ""
    group: str = ""  # the option group (attribution), "" for plain options
    right: bool = False  # marked as (part of) the key
    feedback: str = ""  # what a student who picks it is told
    value: str = ""  # a select's choice beside it: an item's position or its matching option's row


@dataclass(frozen=True)
class RowGroup:
    """Option rows of one group, with the name of its "right" radio (attribution's two groups)."""

    name: str
    label: str
    rows: list[Row]


@dataclass
class KeyEditor:
    """The kind's part of the question editor, as its template (``template``) shows it."""

    template: str
    options: list[Row] = field(default_factory=list)
    option_groups: list[RowGroup] = field(default_factory=list)
    items: list[Row] = field(default_factory=list)
    item_choices: list[tuple[str, str]] = field(default_factory=list)  # the selects beside the items
    # How a choice of the selects beside the items names the option row it stands for, written and blank
    # ("{number}" and "{text}" filled in): the page renames the choices as the options are typed.
    item_choice_labels: tuple[str, str] | None = None
    values: dict[str, str] = field(default_factory=dict)  # single inputs by name (a number, a standing…)
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # a select's choices by name
    near_misses: list[Row] = field(default_factory=list)
    rubric: list[Row] = field(default_factory=list)
    key_sentences: list[tuple[SentenceRef, bool]] = field(default_factory=list)


@dataclass
class EditedKey:
    """A posted editor read into the question's lists and key block (the file format's fields)."""

    options: list[OptionContent] = field(default_factory=list)
    items: list[OptionContent] = field(default_factory=list)
    correct: Any = None
    option_feedback: dict[str, str] = field(default_factory=dict)
    accepted: list[str] = field(default_factory=list)
    typo_tolerance: int = 0
    near_misses: list[NearMissContent] = field(default_factory=list)
    model_answer: str = ""
    rubric: list[RubricCriterionContent] = field(default_factory=list)
    # Sentences the key itself picks: a question whose key is sentences needs no separate evidence.
    key_evidence: list[str] = field(default_factory=list)
    # What the editor could not read at all, by field ("answer.correct.value": "… is not a number").
    unreadable: dict[str, str] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------------
# Reading rows back


def posted_rows(data: QueryDict, prefix: str) -> list[Row]:
    """The written rows of list `prefix` (`option-1-text`, `option-1-id`, …): rows left blank dropped."""
    rows = []
    for number in range(1, MAX_ROWS + 1):
        name = f"{prefix}-{number}"
        text = data.get(f"{name}-text", "").strip()
        if not text:
            continue
        rows.append(
            Row(
                number=number,
                id=data.get(f"{name}-id", "").strip(),
                text=text,
                group=data.get(f"{name}-group", "").strip(),
                right=bool(data.get(f"{name}-right")),
                feedback=data.get(f"{name}-feedback", "").strip(),
                value=data.get(f"{name}-value", "").strip(),
            )
        )
    return rows


def give_ids(rows: Iterable[Row], *, prefix: str, taken: set[str]) -> None:
    """Keep each row's id when it is a sound one not used twice; give the others `prefix` and a number."""
    pending = []
    for row in rows:
        if row.id and SLUG_RE.fullmatch(row.id) and len(row.id) <= 40 and row.id not in taken:
            taken.add(row.id)
        else:
            pending.append(row)
    counter = 1
    for row in pending:
        while f"{prefix}{counter}" in taken:
            counter += 1
        row.id = f"{prefix}{counter}"
        taken.add(row.id)


def option_rows(data: QueryDict) -> tuple[list[Row], list[Row]]:
    """The option and item rows of a posted editor, each with its id (options `o1`…, items `i1`…)."""
    options, items = posted_rows(data, OPTION), posted_rows(data, ITEM)
    taken: set[str] = set()
    give_ids(options, prefix="o", taken=taken)
    give_ids(items, prefix="i", taken=taken)
    return options, items


def as_options(rows: Sequence[Row], *, grouped: bool = False) -> list[OptionContent]:
    if grouped:
        return [{"id": row.id, "text": row.text, "group": row.group} for row in rows]
    return [{"id": row.id, "text": row.text} for row in rows]


def row_feedback(rows: Iterable[Row]) -> dict[str, str]:
    return {row.id: row.feedback for row in rows if row.feedback}


def row_number(value: str | None) -> int | None:
    return int(value) if value and _NUMBER.fullmatch(value) else None


def row_by_number(rows: Iterable[Row], value: str | None) -> Row | None:
    number = row_number(value)
    return next((row for row in rows if row.number == number), None)


def picked_sentences(
    data: QueryDict, sentences: Sequence[SentenceRef], name: str = KEY_SENTENCE
) -> list[str]:
    """The sentences ticked under `name`, in the article's order (ids of other articles dropped)."""
    chosen = set(data.getlist(name))
    return [sentence.id for sentence in sentences if sentence.id in chosen]


def near_miss_rows(data: QueryDict) -> list[NearMissContent]:
    return [{"text": row.text, "feedback": row.feedback} for row in posted_rows(data, NEAR_MISS)]


def rubric_rows(data: QueryDict) -> tuple[list[RubricCriterionContent], dict[str, str]]:
    """The rubric's criteria, each `{id, criterion, points}`; points that are not a whole number ≥ 1 are
    reported under the row's field rather than guessed."""
    rows = posted_rows(data, RUBRIC)
    give_ids(rows, prefix="r", taken=set())
    criteria: list[RubricCriterionContent] = []
    unreadable = {}
    for index, row in enumerate(rows):
        points = row_number(row.value)
        if points is None or points < 1:
            unreadable[f"answer.rubric[{index}].points"] = _(
                "give each criterion a whole number of points, 1 or more"
            )
            points = 0
        criteria.append({"id": row.id, "criterion": row.text, "points": points})
    return criteria, unreadable


# ----------------------------------------------------------------------------------------------------
# Filling rows


def padded(rows: list[Row], *, at_least: int, group: str = "", start: int = 0) -> list[Row]:
    """`rows` as numbered, then blank rows (numbered after every other row, from `start`): at least
    `at_least` rows, and EXTRA_ROWS more to add to them."""
    filled = list(rows)
    number = max([start, *(row.number for row in rows)])
    while len(filled) < max(at_least, len(rows)) + EXTRA_ROWS:
        number += 1
        filled.append(Row(number=number, group=group))
    return filled


def rows_of(
    entries: Iterable[OptionContent], *, right: Iterable[str] = (), feedback: dict[str, str] | None = None
) -> list[Row]:
    marked = set(right)
    feedback = feedback or {}
    return [
        Row(
            number=0,
            id=entry["id"],
            text=entry["text"],
            group=entry.get("group", ""),
            right=entry["id"] in marked,
            feedback=feedback.get(entry["id"], ""),
        )
        for entry in entries
    ]


def rows_from_post(data: QueryDict, prefix: str) -> list[Row]:
    """The rows as they were sent, for showing a refused editor again."""
    return posted_rows(data, prefix)


def sentence_ticks(sentences: Sequence[SentenceRef], ticked: Iterable[str]) -> list[tuple[SentenceRef, bool]]:
    chosen = set(ticked)
    return [(sentence, sentence.id in chosen) for sentence in sentences]


def key_of(question: QuestionContent | None) -> Any:
    return question["answer"]["correct"] if question is not None else None


def near_miss_rows_of(question: QuestionContent | None) -> list[Row]:
    if question is None:
        return []
    return [
        Row(number=0, text=entry, feedback="")
        if isinstance(entry, str)
        else Row(number=0, text=entry["text"], feedback=entry["feedback"])
        for entry in question["answer"].get("near_misses") or ()
    ]


def rubric_rows_of(question: QuestionContent | None) -> list[Row]:
    if question is None:
        return []
    return [
        Row(number=0, id=criterion["id"], text=criterion["criterion"], value=str(criterion["points"]))
        for criterion in question["answer"]["rubric"]
    ]


# ----------------------------------------------------------------------------------------------------
# Writing a question into editor data (the inverse of reading a posted editor)


def put_rows(data: QueryDict, prefix: str, rows: Iterable[Row]) -> None:
    for number, row in enumerate(rows, start=1):
        name = f"{prefix}-{number}"
        data[f"{name}-text"] = row.text
        if row.id:
            data[f"{name}-id"] = row.id
        if row.group:
            data[f"{name}-group"] = row.group
        if row.right:
            data[f"{name}-right"] = "on"
        if row.feedback:
            data[f"{name}-feedback"] = row.feedback
        if row.value:
            data[f"{name}-value"] = row.value


def put_option_rows(
    data: QueryDict,
    question: QuestionContent,
    *,
    right: Iterable[str] = (),
    items_value: dict[str, str] | None = None,
) -> None:
    """The question's options (with their feedback and key marks) and items (with the value of the select
    beside each) as editor rows."""
    put_rows(
        data,
        OPTION,
        rows_of(question["options"], right=right, feedback=question["answer"]["option_feedback"]),
    )
    item_rows = rows_of(question["items"])
    for row in item_rows:
        row.value = (items_value or {}).get(row.id, "")
    put_rows(data, ITEM, item_rows)


def option_row_numbers(question: QuestionContent) -> dict[str, str]:
    """Each option's row number in the editor, by id (a select beside an item names its match by it)."""
    return {option["id"]: str(number) for number, option in enumerate(question["options"], start=1)}
