"""The registry of question kinds: every other module asks here instead of naming a kind.

A new kind is a module of this package with a class satisfying :class:`~lessons.kinds.base.Kind`, listed
in ``KINDS`` below, plus its templates and a migration for the database's kind check.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .attribution import Attribution
from .base import Kind, Label
from .evidence import Evidence
from .matching import Matching
from .multiple_select import MultipleSelect
from .open_response import OpenResponse
from .ordering import Ordering
from .short_answer import ShortAnswer
from .single_choice import SingleChoice
from .true_false import TrueFalse

# In the order people see them listed (the admin, the lesson file format's documentation).
KINDS: Final[tuple[Kind, ...]] = (
    SingleChoice(),
    MultipleSelect(),
    TrueFalse(),
    ShortAnswer(),
    Matching(),
    Ordering(),
    Evidence(),
    Attribution(),
    OpenResponse(),
)

_BY_NAME: Final[Mapping[str, Kind]] = MappingProxyType({kind.name: kind for kind in KINDS})


class UnknownKind(LookupError):
    """A question names a kind the registry does not hold: the question is wrong, not an answer to it."""


def get_kind(name: object) -> Kind:
    """The kind called `name`; UnknownKind (a LookupError) when there is none."""
    kind = _BY_NAME.get(name) if isinstance(name, str) else None
    if kind is None:
        raise UnknownKind(f"unknown question kind {name!r}")
    return kind


def all_kinds() -> tuple[Kind, ...]:
    return KINDS


def kind_names() -> list[str]:
    return [kind.name for kind in KINDS]


def kind_choices() -> list[tuple[str, Label]]:
    """(name, label) pairs for a model field's choices."""
    return [(kind.name, kind.label) for kind in KINDS]


def kind_labels() -> dict[str, Label]:
    return {kind.name: kind.label for kind in KINDS}


def kinds_without_evidence_part() -> list[str]:
    """The kinds that may not add a second part asking for the supporting sentences."""
    return [kind.name for kind in KINDS if not kind.shape.evidence_part]
