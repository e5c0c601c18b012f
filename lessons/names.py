"""Names in an article's text: where known names and aliases occur (for highlighting), and capitalised
names not yet known (offered as candidate actors or agreements). Pure and deterministic: no model, no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lessons.splitter import SENTENCE_STARTERS

SHORT_NAME = 3  # names this short ("US", "Xi") are matched with their case, so "us" is not the United States
# Words that may join the capitalised words of one name: "Ministry of Foreign Affairs", "Bank for …".
CONNECTORS = frozenset(["of", "for", "de", "del", "la", "van", "von", "bin", "al"])
# Capitalised words that are rarely a name on their own.
NOT_NAMES = SENTENCE_STARTERS | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december president minister spokeswoman spokesman""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Segment:
    """A piece of a sentence: plain text, or a mention of `label` (an actor's or treaty's name)."""

    text: str
    label: str = ""


def _pattern(name: str) -> re.Pattern[str]:
    flags = 0 if len(name) <= SHORT_NAME else re.IGNORECASE
    return re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])", flags)


def mention_segments(text: str, names: Sequence[tuple[str, str]]) -> list[Segment]:
    """`text` cut into plain pieces and mentions of `names` ((name or alias, label) pairs); the longest name
    wins where two overlap, the earliest where they start together."""
    spans: list[tuple[int, int, str]] = []
    for name, label in sorted(names, key=lambda pair: -len(pair[0])):
        if not name.strip():
            continue
        for match in _pattern(name).finditer(text):
            start, end = match.span()
            if all(end <= taken_start or start >= taken_end for taken_start, taken_end, _l in spans):
                spans.append((start, end, label))
    segments: list[Segment] = []
    at = 0
    for start, end, label in sorted(spans):
        if start > at:
            segments.append(Segment(text[at:start]))
        segments.append(Segment(text[start:end], label))
        at = end
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


TOKEN = re.compile(r"[^\W\d_][\w-]*(?:[’'][\w]+)?|\S", re.UNICODE)
TITLE_WORDS = frozenset(
    """president minister spokeswoman spokesman secretary general chancellor king queen prime foreign
    transport defence defense interior finance leader chief""".split()  # noqa: SIM905
)


def _bare(word: str) -> str:
    """A word without a possessive ending: "Moscow’s" → "Moscow"."""
    return re.sub(r"[’']s$", "", word)


def _runs(sentence: str) -> list[tuple[list[str], bool]]:
    """Runs of capitalised words (joined by "of", "de"…) unbroken by punctuation, each with whether it
    starts the sentence."""
    runs: list[tuple[list[str], bool]] = []
    run: list[str] = []
    starts = False
    for index, token in enumerate(TOKEN.findall(sentence)):
        word = _bare(token)
        is_word = word[:1].isalpha()
        if is_word and (word[:1].isupper() or (run and word.lower() in CONNECTORS)):
            if not run:
                starts = index == 0
            run.append(word)
            if word != token:  # a possessive ends the name
                runs.append((run, starts))
                run = []
            continue
        if run:
            runs.append((run, starts))
        run = []
    if run:
        runs.append((run, starts))
    return runs


def _pieces(run: list[str]) -> list[list[str]]:
    """A run cut at title words ("Venezuelan President Nicolás Maduro" → "Venezuelan", "Nicolás Maduro")."""
    pieces: list[list[str]] = [[]]
    for word in run:
        if word.lower() in TITLE_WORDS or word.lower() in NOT_NAMES:
            pieces.append([])
        else:
            pieces[-1].append(word)
    trimmed = []
    for piece in pieces:
        while piece and piece[-1].lower() in CONNECTORS:
            piece.pop()
        while piece and piece[0].lower() in CONNECTORS:
            piece.pop(0)
        if piece:
            trimmed.append(piece)
    return trimmed


def name_candidates(sentences: Iterable[str], known: Iterable[str]) -> list[str]:
    """Runs of capitalised words ("Xi Jinping", "Ministry of Defence") not among the `known` names and
    aliases, in order of first appearance. A word capitalised only for starting a sentence is left out, as
    are common and title words ("The", "President", month and day names) and the adjective of a known name
    ("Venezuelan" when "Venezuela" is known)."""
    known_folded = {name.casefold() for name in known if name.strip()}
    stems = {name[:-1] for name in known_folded if len(name) > SHORT_NAME + 1 and " " not in name}
    texts = list(sentences)
    mid_sentence = {
        word for sentence in texts for run, starts in _runs(sentence) for word in (run[1:] if starts else run)
    }
    found: dict[str, None] = {}
    for sentence in texts:
        for run, starts in _runs(sentence):
            if starts and run[0] not in mid_sentence:
                run = run[1:]  # "Citing US documents": capitalised for being first
            for piece in _pieces(run):
                name = " ".join(piece)
                folded = name.casefold()
                if folded in known_folded:
                    continue
                if len(piece) == 1 and any(folded.startswith(stem) for stem in stems):
                    continue
                found.setdefault(name, None)
    return list(found)
