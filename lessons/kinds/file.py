"""Reading a lesson file: every value with its path, so every error can say where it is.

Shared by the lesson document reader (``lessons.services.lesson_documents``) and the question kinds, which
read and check their own part of a question. Pure Python: no Django, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from lessons.partial_dates import PARTIAL_DATE_FORMS, parse_partial_date
from lessons.text_checks import has_bidi_controls

# Matched with fullmatch: `$` would also match before a final newline, and a slug ending in one breaks URLs.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WEB_ADDRESS_RE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# A BCP 47 language tag as HTML's lang attribute takes it, in its common forms: en, es, pt-BR, zh-Hant-TW.
LANGUAGE_TAG_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Z]{2}|[0-9]{3}))?")

# Bounds of a lesson file (fixtures/README.md states them): far above any real lesson, far below what would
# make an import, a page or a search slow for everyone.
MAX_FILE_BYTES = 1_000_000
MAX_TEXT_LENGTH = 20_000  # characters in any one string
MAX_LIST_LENGTH = 500  # entries in any one list or object
MAX_DEPTH = 12  # objects and lists inside each other; the format needs 6
# NUL and the other control characters but tab and line ends, and halves of UTF-16 pairs (a JSON `\ud800`
# escape alone): no database stores them as text and no page can show them.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class LessonFileError(ValueError):
    """A lesson file that cannot be imported; `path` locates the bad field in the file."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path or "(top level)"
        self.message = message
        super().__init__(f"{self.path}: {message}")


class KeysGivenTwice(dict[str, Any]):
    """An object of the file that gives a key twice; `check_bounds` names it by its path."""

    def __init__(self, pairs: list[tuple[str, Any]], twice: str) -> None:
        super().__init__(pairs)
        self.twice = twice


def object_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's `object_pairs_hook`: json.loads keeps the last of two equal keys, and silently."""
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            return KeysGivenTwice(pairs, key)
        seen.add(key)
    return dict(pairs)


def _describe(value: str) -> str:
    return repr(value.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace"))


def check_bounds(document: Any) -> None:
    """Refuse, by the path of the first offender, a document nested too deep, a list or object too long, a
    string too long or holding a character no database stores, or an object giving a key twice. Walks
    without recursion, so a document nested thousands deep is refused rather than crashing the check."""
    pending: list[tuple[Any, str, int]] = [(document, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LENGTH:
                raise LessonFileError(path, f"must be at most {MAX_TEXT_LENGTH} characters")
            if UNSTORABLE.search(value):
                raise LessonFileError(
                    path, "contains a control character (such as NUL) or a broken character"
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_DEPTH:
            raise LessonFileError(path, f"is nested more than {MAX_DEPTH} levels deep")
        if len(value) > MAX_LIST_LENGTH:
            raise LessonFileError(path, f"must hold at most {MAX_LIST_LENGTH} entries")
        if isinstance(value, list):
            pending.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))
            continue
        if isinstance(value, KeysGivenTwice):
            raise LessonFileError(path, f"gives the field {_describe(value.twice)} twice")
        for key, item in value.items():
            if not isinstance(key, str) or UNSTORABLE.search(key) or len(key) > MAX_TEXT_LENGTH:
                raise LessonFileError(path, f"has a field name that is not text: {_describe(str(key))[:80]}")
            pending.append((item, f"{path}.{key}" if path else key, depth + 1))


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

    def title(self, *, max_length: int) -> str:
        """A title or a name: text without bidirectional controls, which would reorder what follows it."""
        value = self.text(max_length=max_length)
        if has_bidi_controls(value):
            raise self.fail("contains a bidirectional control character (U+202A–U+202E, U+2066–U+2069)")
        return value

    def slug(self, *, max_length: int = 80) -> str:
        value = self.text(max_length=max_length)
        if not SLUG_RE.fullmatch(value):
            raise self.fail(f"{value!r} is not an id (lowercase letters, digits and single hyphens)")
        return value

    def integer(self, *, minimum: int, maximum: int = 32767) -> int:
        if not isinstance(self.value, int) or isinstance(self.value, bool):
            raise self.fail("must be a whole number")
        if not minimum <= self.value <= maximum:
            raise self.fail(f"must be between {minimum} and {maximum}")
        return self.value

    def language_tag(self) -> str:
        value = self.text(max_length=35)
        if not LANGUAGE_TAG_RE.fullmatch(value):
            raise self.fail(f"{value!r} is not a language tag (en, es, pt-BR)")
        return value

    def choice(self, choices: Iterable[str]) -> str:
        allowed = list(choices)
        if self.value not in allowed:
            raise self.fail(f"{self.value!r} is not one of: {', '.join(allowed)}")
        return str(self.value)

    def optional_partial_date(self) -> str | None:
        """A date known in part (lessons.partial_dates: YYYY-MM-DD, YYYY-MM, YYYY, --MM, --MM-DD) or null."""
        if self.value is None:
            return None
        if not isinstance(self.value, str):
            raise self.fail(f"must be a date ({PARTIAL_DATE_FORMS}) or null")
        try:
            parse_partial_date(self.value)
        except ValueError as error:
            raise self.fail(str(error)) from None
        return self.value

    def web_address(self) -> str:
        """An http(s) address, or "" for none: a page links to it, so no other scheme (`javascript:`)."""
        value = self.text(blank=True, max_length=200)
        if value and not WEB_ADDRESS_RE.fullmatch(value):
            raise self.fail(f"{value[:80]!r} is not a web address (http:// or https://)")
        return value

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
