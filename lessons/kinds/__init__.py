"""Question kinds: one module per kind behind one protocol, and the registry every other module asks.

Dependency direction: kinds ← models ← services and selectors ← web, admin and commands. The kinds import
no model: the models take their kind choices and check constraints from here.
"""

from .base import BaseKind, Kind, Shape
from .registry import (
    UnknownKind,
    all_kinds,
    get_kind,
    kind_choices,
    kind_labels,
    kind_names,
    kinds_without_evidence_part,
)

__all__ = [
    "BaseKind",
    "Kind",
    "Shape",
    "UnknownKind",
    "all_kinds",
    "get_kind",
    "kind_choices",
    "kind_labels",
    "kind_names",
    "kinds_without_evidence_part",
]
