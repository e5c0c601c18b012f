"""A published revision's content, read once per process.

A revision never changes once published (DESIGN.md rule 4, enforced by the model and a database trigger), so
its parsed content can be kept in memory by revision id and reused by every request of the process: an
autosave grades against it without reading the revision's JSON again, and the player builds its pages from
it. The memory is bounded (least recently used revisions go first); what is kept is shared by every request,
so callers treat it as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from lessons.content_types import LessonContent
from lessons.models import Revision

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A thread-safe least-recently-used map of at most `size` entries (gunicorn threads share it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        found = self.get(key)
        return found if found is not None else self.put(key, build())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


# A school's day uses a few dozen lessons; a revision's parsed content is a few hundred kilobytes at most.
REVISIONS_KEPT = 64
_contents: BoundedCache[int, LessonContent] = BoundedCache(REVISIONS_KEPT)


def remember_revision(revision: Revision) -> LessonContent:
    """The content of a revision already read, kept for the requests that follow."""
    return _contents.get_or_build(revision.pk, lambda: revision.document)


def revision_content(revision_id: int) -> LessonContent | None:
    """The content of revision `revision_id`: from memory, else read once (one query); None if unknown."""
    found = _contents.get(revision_id)
    if found is not None:
        return found
    content = Revision.objects.filter(pk=revision_id).values_list("content", flat=True).first()
    return _contents.put(revision_id, content) if content is not None else None


def forget_revisions() -> None:
    """Empties the memory (tests start from a cold process with it)."""
    _contents.clear()
