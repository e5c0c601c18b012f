"""Text between formats: Moodle's text formats read into our Markdown, and our Markdown written out.

HTML from a file is sanitised with nh3 to the tags a rendered teacher text may hold (``lessons.rendering``),
so what a page shows of it is what it would show of the same text typed by a teacher.
"""

from __future__ import annotations

import html
import re
from typing import Final

import nh3

from lessons import rendering

HTML: Final = "html"
MARKDOWN: Final = "markdown"
PLAIN: Final = "plain_text"
AUTO: Final = "moodle_auto_format"
# Moodle's names of its text formats, and the short ones GIFT uses in brackets ([html], [plain], …).
FORMATS: Final = {
    "html": HTML,
    "markdown": MARKDOWN,
    "plain_text": PLAIN,
    "plain": PLAIN,
    "moodle_auto_format": AUTO,
    "moodle": AUTO,
}
_EMBEDDED = re.compile(r"@@PLUGINFILE@@|<img\b|<object\b|<embed\b|<video\b|<audio\b|data:", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+|!])")


def sanitise_html(text: str) -> str:
    return rendering.sanitise_html(text).strip()


def plain_of_html(text: str) -> str:
    """The words of an HTML fragment, without its tags: for options and items, which are plain text."""
    spaced = _BLOCK_END.sub(" ", text)
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())


def embeds_files(text: str) -> bool:
    return bool(_EMBEDDED.search(text))


def to_markdown(text: str, text_format: str) -> str:
    """A prompt or feedback of a file as our Markdown: HTML sanitised (Markdown passes it through),
    plain text escaped so it reads as typed, Moodle's auto-format with its line breaks kept."""
    text_format = FORMATS.get(text_format, HTML)
    if text_format == HTML:
        return sanitise_html(text)
    if text_format == MARKDOWN:
        return text.strip()
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text.strip())
    if text_format == AUTO:
        return "\n".join(
            line.rstrip() + ("  " if line.strip() else "") for line in escaped.split("\n")
        ).rstrip()
    return escaped


def to_plain(text: str, text_format: str) -> str:
    """An option's text as plain text."""
    if FORMATS.get(text_format, HTML) == HTML:
        return plain_of_html(text)
    return " ".join(text.split())


def markdown_as_html(text: str) -> str:
    """Our Markdown as the sanitised HTML every page shows of it."""
    return rendering.markdown_to_html(text)
