"""The registry of question kinds: found from their modules, in their order, and the source of the
models' kind choices and checks."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import lessons.kinds
from lessons.kinds import (
    Kind,
    UnknownKind,
    all_kinds,
    get_kind,
    kind_choices,
    kind_names,
    kinds_without_evidence_part,
)
from lessons.models import Question, Response


def test_every_module_with_a_kind_is_registered_once_in_its_order() -> None:
    modules = [
        importlib.import_module(f"lessons.kinds.{info.name}")
        for info in pkgutil.iter_modules(lessons.kinds.__path__)
    ]
    declared = {module.KIND.name for module in modules if hasattr(module, "KIND")}

    assert set(kind_names()) == declared
    assert len(kind_names()) == len(declared)
    assert [kind.order for kind in all_kinds()] == sorted(kind.order for kind in all_kinds())
    assert all(isinstance(kind, Kind) for kind in all_kinds())


def test_a_kind_is_found_by_its_name_and_an_unknown_name_is_a_lookup_error() -> None:
    assert get_kind("true_false").name == "true_false"
    for name in ("multiple choice", "", None, 3):
        with pytest.raises(UnknownKind, match="unknown question kind"):
            get_kind(name)
    assert issubclass(UnknownKind, LookupError)


def test_the_models_take_their_kind_choices_and_checks_from_the_registry() -> None:
    for model in (Question, Response):
        assert [value for value, _label in model._meta.get_field("kind").choices] == kind_names()
    constraints = {constraint.name: constraint for constraint in Question._meta.constraints}
    assert ("kind__in", kind_names()) in constraints["question_kind_valid"].condition.children
    no_second_part = constraints["question_evidence_part_only_for_closed_kinds"].condition.children[1]
    assert ("kind__in", kinds_without_evidence_part()) in no_second_part.children
    assert [str(label) for _name, label in kind_choices()][:3] == [
        "Single choice",
        "Multiple select",
        "True or false",
    ]


# Kind names that are also ordinary words of the domain ("evidence" part, Meta "ordering", text "matching")
# can only be caught where code compares a kind with them.
GENERIC_WORDS = {"evidence", "ordering", "matching", "attribution"}
KIND_COMPARISON = re.compile(rf"""kind\w*\s*(==|!=)\s*["']({"|".join(kind_names())})["']""")


def test_no_module_outside_the_kinds_names_a_kind_or_branches_on_one() -> None:
    """DESIGN.md rule 11: a question kind lives in its module of lessons/kinds and nowhere else."""
    package = Path(lessons.kinds.__file__).resolve().parent
    project = package.parent.parent
    outside = [
        path
        for folder in ("lessons", "quizsite")
        for path in (project / folder).rglob("*")
        if path.suffix in {".py", ".html", ".js"}
        and package not in path.parents
        and "migrations" not in path.parts
        # templates/lessons/kinds: each kind's own inputs (and kinds/editor: its part of the question editor)
        and "kinds" not in (path.parent.name, path.parent.parent.name)
    ]
    named = [
        f"{path.relative_to(project)}: {name}"
        for path in outside
        for name in set(kind_names()) - GENERIC_WORDS
        if re.search(rf"\b{name}\b", path.read_text(encoding="utf-8"))
    ]
    branching = [
        f"{path.relative_to(project)}: {match.group(0)}"
        for path in outside
        for match in KIND_COMPARISON.finditer(path.read_text(encoding="utf-8"))
    ]

    assert len(outside) > 50
    assert named == []
    assert branching == []
