"""Splitting a pasted article into paragraphs and sentences: pure, deterministic, no model or network.

Paragraphs are separated by a blank line; a text with no blank line but several lines (as many pages copy)
has one paragraph per line. Inside a paragraph line ends and runs of spaces become one space.

A sentence ends at ".", "!", "?" or an ellipsis ("..." or "…"), with any closing quotes or brackets after
it, followed by a space and a sentence start: a capital letter, a digit, or an opening quote or bracket
before one. It does not end:

- after a title or a word always followed by a name or number ("Mr.", "Gen.", "Dr.", "St.", "No.");
- after an initial ("John F. Kennedy"), a dotted abbreviation ("U.S.", "p.m.") or another abbreviation
  ("Jan.", "approx."), unless the next word is one that usually starts a sentence ("The", "He", "But"…);
- inside a number ("3.5", "1,000.25": no space follows the point);
- before a word in lower case ("It was ... a surprise", "“Why?” she asked");
- after a question or exclamation in quotes followed by who said it ("“Why now?” Maduro asked.").
"""

from __future__ import annotations

import re

# Always followed by a name or a number: never the end of a sentence.
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pvt",
        "gov",
        "sen",
        "rep",
        "pres",
        "amb",
        "rev",
        "hon",
        "fr",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "no",
        "nos",
        "vol",
        "art",
        "fig",
        "pp",
        "sec",
        "supt",
        "insp",
        "det",
    ]
)
# Abbreviations that may end a sentence only where the next word usually starts one.
ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "plc",
        "bros",
        "approx",
        "est",
        "dept",
        "univ",
        "assn",
        "govt",
        "int'l",
        "natl",
        "intl",
        "vs",
        "etc",
        "al",
        "cf",
        "ca",
    ]
)
# Words that usually begin a sentence, so an abbreviation or initial before them ends one.
SENTENCE_STARTERS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "there",
        "here",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "however",
        "meanwhile",
        "still",
        "also",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "after",
        "before",
        "when",
        "while",
        "as",
        "if",
        "since",
        "although",
        "though",
        "despite",
        "according",
        "asked",
        "what",
        "who",
        "why",
        "how",
        "where",
        "which",
        "no",
        "not",
        "many",
        "some",
        "most",
        "all",
        "both",
        "each",
        "such",
        "one",
        "two",
        "three",
        "several",
        "officials",
    ]
)
SPEECH_VERBS = frozenset(
    [
        "said",
        "says",
        "asked",
        "asks",
        "added",
        "adds",
        "told",
        "tells",
        "wrote",
        "writes",
        "replied",
        "replies",
        "insisted",
        "insists",
        "shouted",
        "declared",
        "declares",
        "answered",
        "warned",
        "warns",
        "cried",
    ]
)
CLOSERS = "\"'”’»)]"
OPENERS = "\"'“‘«(["
# A candidate end: terminal punctuation (or an ellipsis), closers, then space.
END = re.compile(r"(\.\.\.|…|[.!?]+)([" + re.escape(CLOSERS) + r"]*)(\s+)")
WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z'.]*)$")
WORD_AFTER = re.compile(r"[" + re.escape(OPENERS) + r"]*([^\s" + re.escape(OPENERS) + r"]+)")
DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?$")


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a pasted text, each on one line with single spaces; empty ones dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t\u00a0]*\n", text)
    if len(blocks) == 1:
        blocks = text.split("\n")
    return [paragraph for paragraph in (" ".join(block.split()) for block in blocks) if paragraph]


def _starts_sentence(word: str) -> bool:
    first = word[0]
    return first.isupper() or first.isdigit()


def _is_boundary(before: str, punctuation: str, closers: str, after: str) -> bool:
    match = WORD_AFTER.match(after)
    if match is None:
        return False
    next_word = match.group(1)
    if not _starts_sentence(next_word):
        return False
    bare_next = next_word.strip(".,;:!?" + CLOSERS).lower()
    if punctuation in ("!", "?") or punctuation.startswith(("!", "?")):
        if closers:  # “Why now?” Maduro asked. — the quote goes on with who said it
            following = [w.strip(".,;:").lower() for w in after.split()[:4]]
            if any(w in SPEECH_VERBS for w in following[1:]):
                return False
        return True
    if punctuation != "." or closers:
        return True  # an ellipsis before a capital, "?!", or a full stop inside quotes: “No.”
    word_match = WORD_BEFORE.search(before)
    if word_match is None:
        return True  # after a number, a quote, a bracket: "It rose 5%." "(See above.)"
    word = word_match.group(1)
    bare = word.rstrip(".").lower()
    if "." in word.rstrip(".") or DOTTED.fullmatch(word + "."):
        # U.S., p.m., a.m.; a single letter (an initial) is also DOTTED
        return bare_next in SENTENCE_STARTERS
    if len(bare) == 1:
        return bare_next in SENTENCE_STARTERS  # an initial: "John F. Kennedy"
    if bare in TITLES:
        return False
    if bare in ABBREVIATIONS:
        return bare_next in SENTENCE_STARTERS
    return True


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, in order, each stripped; joined with spaces they give it back."""
    text = " ".join(paragraph.split())
    sentences: list[str] = []
    start = 0
    for match in END.finditer(text):
        before = text[start : match.start()]
        if _is_boundary(before, match.group(1), match.group(2), text[match.end() :]):
            sentences.append(text[start : match.end()].strip())
            start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def split_article(text: str) -> list[list[str]]:
    """Paragraphs, each a list of its sentences."""
    return [split_sentences(paragraph) for paragraph in split_paragraphs(text)]
