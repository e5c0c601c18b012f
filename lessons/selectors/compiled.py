"""Queries of a fixed shape compiled to SQL once per process, run with each request's values.

Building a query's SQL through the ORM (resolving lookups, joins, `select_related`, subqueries) costs more
CPU than running it: on the pages a class opens at the same moment (the take page, a start) it was most of
the ORM's share. A `CompiledQuery` builds its queryset once, with stand-in values for what changes between
requests (ids), keeps the SQL, and then only swaps the values in, runs the statement and turns each row into
model instances exactly as the ORM's own iteration does (related objects of `select_related`, annotations,
deferred fields, the database's converters).

Only values passed as parameters can change (ids, never names or lookups); a stand-in that does not show up
among the compiled parameters is an error at the first use, not a wrong query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

# Stand-ins for the values of a compiled query: integers no id of this site reaches.
_STAND_IN = 7_300_000_001
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | None, ...]  # for each parameter: the index of the value it takes, or None (fixed)
    compiler: SQLCompiler
    init_list: list[str]  # the model's columns (none for a query of values)
    start: int
    end: int
    annotations: tuple[tuple[str, int], ...]


class CompiledQuery(Generic[M]):
    """`build(*values)` (a queryset of one model, values only in its filters) compiled once, run with the
    values of each call: `rows(*values)` are the instances the queryset would give."""

    def __init__(self, build: Callable[..., QuerySet[M, Any]], arity: int, using: str = "default") -> None:
        self._build = build
        self._arity = arity
        self._using = using
        self._compiled: dict[str, _Compiled] = {}  # by database vendor (tests switch databases)
        self._lock = threading.Lock()

    def _compile(self) -> _Compiled:
        vendor = connections[self._using].vendor
        found = self._compiled.get(vendor)
        if found is not None:
            return found
        stand_ins = [_STAND_IN + index for index in range(self._arity)]
        queryset = self._build(*stand_ins)
        compiler = queryset.query.get_compiler(using=self._using)
        sql, params = compiler.as_sql()
        slots = tuple(stand_ins.index(p) if isinstance(p, int) and p in stand_ins else None for p in params)
        if sorted({slot for slot in slots if slot is not None}) != list(range(self._arity)):
            raise ValueError("A value of the compiled query is not among its parameters.")
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"] if klass_info is not None else [-1]
        start, end = select_fields[0], select_fields[-1] + 1
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            init_list=[column[0].target.attname for column in compiler.select[start:end]],
            start=start,
            end=end,
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )
        with self._lock:
            self._compiled[vendor] = compiled
        return compiled

    def _run(self, values: tuple[Any, ...]) -> tuple[_Compiled, list[Any]]:
        compiled = self._compile()
        if any(isinstance(value, int) and not _INT64_MIN <= value <= _INT64_MAX for value in values):
            return compiled, []  # no id is that large (as the ORM's lookups find nothing for it)
        pairs = zip(compiled.params, compiled.slots, strict=True)
        params = [fixed if slot is None else values[slot] for fixed, slot in pairs]
        with connections[self._using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return compiled, cursor.fetchall()

    def tuples(self, *values: Any) -> list[tuple[Any, ...]]:
        """The rows of a query of values (`values_list`), converted as the ORM converts them."""
        compiled, fetched = self._run(values)
        if not fetched:
            return []
        return [tuple(row) for row in compiled.compiler.results_iter([fetched])]

    def rows(self, *values: Any) -> list[M]:
        """The instances the queryset would give (a queryset of a model, not of values)."""
        compiled, fetched = self._run(values)
        if not fetched:
            return []
        compiler = compiled.compiler
        klass_info = compiler.klass_info
        assert klass_info is not None
        model: type[M] = klass_info["model"]
        populators = get_related_populators(klass_info, compiler.select, self._using)
        found: list[M] = []
        for row in compiler.results_iter([fetched]):
            obj = model.from_db(self._using, compiled.init_list, row[compiled.start : compiled.end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def first(self, *values: Any) -> M | None:
        found = self.rows(*values)
        return found[0] if found else None
