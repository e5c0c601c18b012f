"""Checks of a lesson's content that a well-formed file can still fail: warnings for whoever imports it.

A lesson file that breaks the format is refused (``lesson_documents``); these checks find what the format
allows but a careful teacher would not sign off. ``lesson_problems`` runs every check on a lesson
document (a lesson file's JSON, or a revision's content) and lists what it finds by path, as the file
format names fields (``questions[6].items``). Each check is its own function, called from
``lesson_problems``. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from lessons.content_types import QuestionContent
from lessons.kinds import get_kind
from lessons.kinds.scoring import key_positions_kept


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


def lesson_problems(document: Mapping[str, Any]) -> list[Problem]:
    """Everything the checks find in *document*, in the order of the checks and then of the file."""
    return [*stored_in_key_order(document)]


def stored_in_key_order(document: Mapping[str, Any]) -> list[Problem]:
    """Questions whose list is stored in the arrangement their key asks for (items in the right order,
    each option level with its item): the player never shows them so, but a printout, an export or another
    tool that shows the file's order hands out the answer."""
    problems = []
    for index, question in enumerate(document.get("questions") or ()):
        arrangement = get_kind(question["kind"]).key_arrangement(cast(QuestionContent, question))
        if arrangement is None:
            continue
        field, key = arrangement
        stored = [entry["id"] for entry in question[field]]
        kept = key_positions_kept(stored, key)
        if kept == sum(1 for entry in key if entry is not None):
            problems.append(
                Problem(
                    f"questions[{index}].{field}",
                    f"the {field} are stored in the order of the answer key: list them in another order",
                )
            )
    return problems
