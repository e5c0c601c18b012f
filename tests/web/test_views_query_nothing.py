"""Views parse, call and render: every query lives in a selector of lessons/selectors (DESIGN.md). A view
module that reaches a model's manager or calls a queryset method is caught here."""

from __future__ import annotations

import ast
from pathlib import Path

import lessons.web.views

# Queryset methods; none of them is a method of the dicts, lists and forms a view otherwise handles.
QUERY_METHODS = {
    "filter",
    "exclude",
    "order_by",
    "exists",
    "first",
    "last",
    "select_related",
    "prefetch_related",
    "values_list",
    "only",
    "defer",
    "annotate",
    "aggregate",
}


def queries_in(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"line {node.lineno}: .objects")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
    return found


def test_the_scan_catches_a_query() -> None:
    assert queries_in("Lesson.objects.get(pk=1)") == ["line 1: .objects"]
    assert queries_in("lesson.actors.filter(pk=1)") == ["line 1: .filter()"]
    assert queries_in("x = {}.get('a')") == []


def test_no_view_module_queries_the_orm() -> None:
    folder = Path(lessons.web.views.__file__).resolve().parent
    modules = sorted(folder.glob("*.py"))
    found = [
        f"{path.name} {query}" for path in modules for query in queries_in(path.read_text(encoding="utf-8"))
    ]

    assert len(modules) > 10
    assert found == []
