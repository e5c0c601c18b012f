"""Teacher-authored Markdown rendered to sanitised HTML: nothing a user types runs as script."""

from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


# The same few texts (a lesson's introduction, prompts, explanations) are rendered on every page that shows
# them, to every student; converting one takes about a millisecond, looking it up here next to nothing. The
# HTML depends on the text alone, so a remembered result is the one a fresh conversion would give.
@lru_cache(maxsize=4096)
def markdown_to_html(text: str) -> str:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
