"""Characters a title or a name must not hold. Pure Python, shared by the lesson file reader (the question
kinds' side, which imports no Django) and the services."""

from __future__ import annotations

# The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): in a title or a name
# they reorder the text around them on every page that shows it, so "gnp.exe" can read as "exe.png" and one
# student's name can pass for another's. Running text in a right-to-left language needs none of them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_bidi_controls(text: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(text)
