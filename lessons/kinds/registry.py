"""The registry of question kinds: every other module asks here instead of naming a kind.

A kind is a module of this package that defines ``KIND``, an object satisfying
:class:`~lessons.kinds.base.Kind`; the registry finds every such module itself. A new kind is that module,
its templates, and a migration for the database's kind choices and checks.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .base import Kind, Label


def _discover() -> tuple[Kind, ...]:
    """The ``KIND`` of every module of this package that has one, in their `order`."""
    package = __name__.rpartition(".")[0]
    found: list[Kind] = []
    for module_info in pkgutil.iter_modules(importlib.import_module(package).__path__):
        module = importlib.import_module(f"{package}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if kind is not None:
            if not isinstance(kind, Kind):
                raise TypeError(f"{module.__name__}.KIND does not satisfy the Kind protocol")
            found.append(kind)
    names = [kind.name for kind in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two question kinds share a name: {sorted(names)}")
    return tuple(sorted(found, key=lambda kind: (kind.order, kind.name)))


# In the order people see them listed (the admin, the lesson file format's documentation).
KINDS: Final[tuple[Kind, ...]] = _discover()

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
