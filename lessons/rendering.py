"""Teacher-authored Markdown rendered to sanitised HTML: nothing a user types runs as script.

A page shows the same prompts and introductions to every student, so the sanitised HTML of a text is kept
per process (bounded, least recently used first) and Markdown and nh3 run once per text, not once per
request. The cache is keyed by the text itself: it can only hand back what rendering that same text would
give, so it never shows anyone a text their page did not already include. One Markdown converter is reused
(building one loads its extensions each time); it keeps state while converting, so one thread at a time
uses it and it is reset before each text.
"""

import threading

import markdown
import nh3

from lessons.memory import BoundedCache

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}

_converter = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
_converter_lock = threading.Lock()
# A lesson has a few dozen texts; a server keeps those of a few hundred lessons.
FRAGMENTS_KEPT = 4096
_fragments: BoundedCache[str, str] = BoundedCache(FRAGMENTS_KEPT)


def sanitise_html(html: str) -> str:
    """HTML cut down to what a rendered teacher text may hold: no script, no other tags or attributes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _render(text: str) -> str:
    with _converter_lock:
        html = _converter.reset().convert(text)
    return sanitise_html(html)


def markdown_to_html(text: str) -> str:
    return _fragments.get_or_build(text, lambda: _render(text))


def cached_fragments() -> list[str]:
    """The HTML fragments this process keeps (the tests walk them for key material)."""
    return _fragments.values()


def forget_fragments() -> None:
    _fragments.clear()
