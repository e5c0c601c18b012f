"""A published revision's content, read once per process.

A revision never changes once published (DESIGN.md rule 4, enforced by the model and a database trigger), so
its parsed content can be kept in memory by revision id and reused by every request of the process: an
autosave grades against it without reading the revision's JSON again, and the player builds its pages from
it. The memory is bounded (least recently used revisions go first); what is kept is shared by every request,
so callers treat it as read-only.
"""

from __future__ import annotations

from lessons.content_types import LessonContent
from lessons.memory import BoundedCache
from lessons.models import Revision

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


def with_kept_content(revision: Revision) -> Revision:
    """A revision read without its content (`.defer("content")`), given the content this process keeps, if
    it keeps it; else its content is read when first used (one query), and kept from then on by
    `remember_revision`."""
    found = _contents.get(revision.pk)
    if found is not None:
        revision.content = found
    return revision


def forget_revisions() -> None:
    """Empties the memory (tests start from a cold process with it)."""
    _contents.clear()
