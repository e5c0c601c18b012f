"""Reading a lesson file: every value with its path, so every error can say where it is.

Shared by the lesson document reader (``lessons.services.lesson_documents``) and the question kinds, which
read and check their own part of a question. Pure Python: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LessonFileError(ValueError):
    """A lesson file that cannot be imported; `path` locates the bad field in the file."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path or "(top level)"
        self.message = message
        super().__init__(f"{self.path}: {message}")


class Node:
    """A value of the document with its path, so every error can say where it is."""

    def __init__(self, value: Any, path: str = "") -> None:
        self.value = value
        self.path = path

    def fail(self, message: str) -> LessonFileError:
        return LessonFileError(self.path, message)

    def __getitem__(self, name: str) -> Node:
        mapping = self.mapping()
        if name not in mapping:
            raise LessonFileError(self._child(name), "is missing")
        return Node(mapping[name], self._child(name))

    def _child(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail("must be an object")
        return self.value

    def known_fields(self, fields: Iterable[str]) -> None:
        unknown = sorted(set(self.mapping()) - set(fields))
        if unknown:
            raise LessonFileError(self._child(unknown[0]), "is not a field of this object")

    def items(self) -> list[Node]:
        if not isinstance(self.value, list):
            raise self.fail("must be a list")
        return [Node(item, f"{self.path}[{index}]") for index, item in enumerate(self.value)]

    def text(self, *, blank: bool = False, max_length: int | None = None) -> str:
        if not isinstance(self.value, str):
            raise self.fail("must be a string")
        if not blank and not self.value.strip():
            raise self.fail("must not be empty")
        if max_length is not None and len(self.value) > max_length:
            raise self.fail(f"must be at most {max_length} characters")
        return self.value

    def slug(self, *, max_length: int = 80) -> str:
        value = self.text(max_length=max_length)
        if not SLUG_RE.match(value):
            raise self.fail(f"{value!r} is not an id (lowercase letters, digits and single hyphens)")
        return value

    def integer(self, *, minimum: int, maximum: int = 32767) -> int:
        if not isinstance(self.value, int) or isinstance(self.value, bool):
            raise self.fail("must be a whole number")
        if not minimum <= self.value <= maximum:
            raise self.fail(f"must be between {minimum} and {maximum}")
        return self.value

    def choice(self, choices: Iterable[str]) -> str:
        allowed = list(choices)
        if self.value not in allowed:
            raise self.fail(f"{self.value!r} is not one of: {', '.join(allowed)}")
        return str(self.value)

    def optional_date(self) -> dt.date | None:
        if self.value is None:
            return None
        if not isinstance(self.value, str):
            raise self.fail("must be a date (YYYY-MM-DD) or null")
        if not DATE_RE.match(self.value):
            raise self.fail(f"{self.value!r} is not a date (YYYY-MM-DD)")
        try:
            return dt.date.fromisoformat(self.value)
        except ValueError:
            raise self.fail(f"{self.value!r} is not a date (YYYY-MM-DD)") from None

    def optional_ref(self, known: Iterable[str], what: str) -> str | None:
        if self.value is None:
            return None
        return self.ref(known, what)

    def ref(self, known: Iterable[str], what: str) -> str:
        value = self.text()
        if value not in set(known):
            raise self.fail(f"{what} {value!r} is not defined in this file")
        return value

    def refs(self, known: Iterable[str], what: str, *, at_least: int = 0) -> list[str]:
        nodes = self.items()
        if len(nodes) < at_least:
            raise self.fail(f"must list at least {at_least}")
        known_set = set(known)
        values = [node.ref(known_set, what) for node in nodes]
        duplicates = {value for value in values if values.count(value) > 1}
        if duplicates:
            raise self.fail(f"lists {sorted(duplicates)[0]!r} twice")
        return values

    def strings(self) -> list[str]:
        return [node.text() for node in self.items()]
