"""What every question kind's validation and scoring share: pure Python, no Django, no database.

Scores are computed exactly with :class:`~fractions.Fraction` and rounded once, at the end, to
hundredths of a point (``ROUND_HALF_UP``).

Error messages of :class:`MalformedAnswer` are English; their templates are marked with
``gettext_noop`` so ``makemessages`` collects them, and a caller can show a translation with
``gettext(exc.template) % exc.params``, with the words of JSON_TYPE_WORDS among the params translated too.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final, NamedTuple

PART_PLACES: Final = 4  # parts are fractions 0..1, shown to 1/10000


def gettext_noop(message: str) -> str:
    """Mark *message* for translation without translating it (``makemessages`` looks for this name)."""
    return message


class MalformedAnswer(ValueError):
    """A student's answer that does not fit the question; the message says what is wrong (for a 400).

    ``field`` is ``"answer"`` or ``"evidence"`` (the part of the submission at fault), ``template`` and
    ``params`` let a caller translate the message: ``gettext(exc.template) % exc.params``.
    """

    def __init__(self, template: str, *, field: str = "answer", **params: object) -> None:
        self.template = template
        self.params: dict[str, object] = params
        self.field = field
        self.message = template % params if params else template
        super().__init__(self.message)


@dataclass(frozen=True)
class Grade:
    """The score of one answer.

    ``parts`` maps each scored part to the fraction of it that was right (0..1): ``"answer"`` always
    (except for open responses, which have no automatically scored part), ``"evidence"`` when the
    question has an evidence part, and for attribution also ``"asserted_by"``, ``"source"`` and
    ``"standing"``.
    """

    earned: Decimal
    possible: Decimal
    correct: bool
    parts: Mapping[str, Decimal]
    needs_teacher: bool = False


# ----------------------------------------------------------------------------------------------------
# Text


# Letters that Unicode does not decompose into a base letter plus a mark, but that readers treat as
# accented forms of a Latin letter (Łukasz, Søren, Đoković, Ærø).
_LETTER_FOLDS: Final = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def normalise_text(text: str) -> str:
    """Fold *text* for comparison of free-text answers.

    Unicode NFKD with combining marks dropped (``"Nicolás"`` → ``"nicolas"``), case folded, a few
    undecomposable Latin letters folded (``ł`` → ``l``, ``ø`` → ``o``), punctuation removed
    (``"U.S."`` → ``"us"``), runs of whitespace collapsed to one space and trimmed.
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    folded = folded.translate(_LETTER_FOLDS)
    kept = "".join(
        char
        for char in folded
        if not unicodedata.combining(char) and not unicodedata.category(char).startswith("P")
    )
    return " ".join(kept.split())


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether the Levenshtein distance between *a* and *b* is at most *limit*.

    Insertions, deletions and substitutions each cost one. Gives up as soon as the bound is exceeded,
    so comparing a long string with a short one is cheap.
    """
    if limit < 0:
        return False
    if abs(len(a) - len(b)) > limit:
        return False
    if a == b:
        return True
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,  # delete char_a
                    current[j - 1] + 1,  # insert char_b
                    previous[j - 1] + (char_a != char_b),  # substitute
                )
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


# ----------------------------------------------------------------------------------------------------
# Helpers the kinds share


# What a value looks like in JSON, as messages name it; a caller translates these like the templates.
JSON_TYPE_WORDS: Final = (
    gettext_noop("null"),
    gettext_noop("a boolean"),
    gettext_noop("a number"),
    gettext_noop("a string"),
    gettext_noop("an object"),
    gettext_noop("a list"),
)


def json_type(value: object) -> str:
    """How *value* looks in JSON, for messages ("a string", "null", ...): one of JSON_TYPE_WORDS."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal | Fraction):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def show(value: str, limit: int = 40) -> str:
    """*value* shortened for echoing back in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def ids(entries: Any, *, group: str | None = None) -> list[str]:
    """The ids of a question's ``options`` or ``items`` (only those of *group* when given)."""
    return [str(entry["id"]) for entry in entries or () if group is None or entry.get("group") == group]


def key_of(question: Mapping[str, Any]) -> Mapping[str, Any]:
    key: Mapping[str, Any] = question.get("answer") or {}
    return key


class IdListMessages(NamedTuple):
    not_a_list: str
    not_an_id: str
    unknown: str


OPTION_LIST: Final = IdListMessages(
    gettext_noop("expected a list of option ids, got %(got)s"),
    gettext_noop("expected a list of option ids, but it contains %(got)s"),
    gettext_noop("unknown option '%(id)s'"),
)
SENTENCE_LIST: Final = IdListMessages(
    gettext_noop("expected a list of sentence ids, got %(got)s"),
    gettext_noop("expected a list of sentence ids, but it contains %(got)s"),
    gettext_noop("unknown sentence '%(id)s'"),
)


def unique_ids(
    value: Any, *, known: Collection[str], messages: IdListMessages, field: str = "answer"
) -> list[str]:
    """*value* as a list of known ids, duplicates dropped keeping the first; raise on anything else."""
    if not isinstance(value, list | tuple):
        raise MalformedAnswer(messages.not_a_list, field=field, got=json_type(value))
    seen: dict[str, None] = {}
    for entry in value:
        if not isinstance(entry, str):
            raise MalformedAnswer(messages.not_an_id, field=field, got=json_type(entry))
        if entry not in known:
            raise MalformedAnswer(messages.unknown, field=field, id=show(entry))
        seen.setdefault(entry, None)
    return list(seen)


def answer_text(value: Any, *, max_length: int) -> str:
    if not isinstance(value, str):
        raise MalformedAnswer(gettext_noop("expected text, got %(got)s"), got=json_type(value))
    if "\x00" in value:
        raise MalformedAnswer(gettext_noop("the answer contains a NUL character"))
    text = value.strip()
    if not text:
        raise MalformedAnswer(gettext_noop("the answer is empty"))
    if len(text) > max_length:
        raise MalformedAnswer(
            gettext_noop("the answer is too long (at most %(limit)d characters)"), limit=max_length
        )
    return text


def net_picks(picked: Collection[str], correct: Collection[str]) -> Fraction:
    """(right picks - wrong picks) / number of right answers, at least 0."""
    right = set(correct)
    if not right:
        return Fraction(0)
    hits = sum(1 for entry in picked if entry in right)
    misses = len(picked) - hits
    return max(Fraction(0), Fraction(hits - misses, len(right)))


def round_exact(value: Fraction, places: int) -> Decimal:
    """*value* (≥ 0) rounded half up to *places* decimal places, exactly."""
    scale = 10**places
    return Decimal(math.floor(value * scale + Fraction(1, 2))).scaleb(-places)


class Scored(NamedTuple):
    """What a kind's scorer says of a validated answer: the fraction (0..1) of the first part that is right,
    any sub-parts to report, and whether a teacher must grade it instead."""

    fraction: Fraction
    subparts: Mapping[str, Fraction] = MappingProxyType({})
    needs_teacher: bool = False


def all_or_nothing(right: bool) -> Scored:
    return Scored(Fraction(int(right)))


# ----------------------------------------------------------------------------------------------------
# Free-text answers: which words a typo may be forgiven in


# Month names and abbreviations in English and Spanish, one group a month: one letter apart from other
# months ("May"/"Mar", "junio"/"julio"), so a typo must never turn one into another.
MONTH_GROUPS: Final = (
    ("january", "jan", "enero", "ene"),
    ("february", "feb", "febrero"),
    ("march", "mar", "marzo"),
    ("april", "apr", "abril", "abr"),
    ("may", "mayo"),
    ("june", "jun", "junio"),
    ("july", "jul", "julio"),
    ("august", "aug", "agosto", "ago"),
    ("september", "sep", "sept", "septiembre", "setiembre", "set"),
    ("october", "oct", "octubre"),
    ("november", "nov", "noviembre"),
    ("december", "dec", "diciembre", "dic"),
)
MONTH_WORDS: Final = frozenset(word for group in MONTH_GROUPS for word in group)

# Words an answer may add or leave out without changing what it says ("in May" is "May").
FILLER_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "in",
        "on",
        "of",
        "at",
        "by",
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "de",
        "del",
        "en",
        "al",
    ]
)


def forgivable_edits(length: int) -> int:
    """How many typos a word of *length* letters can carry and still be recognised: none up to four letters
    ("Xi", "Hu", "May", "Mar", "Iran", "Iraq" are whole other words one or two letters away), then one,
    two, and three from ten letters on."""
    if length <= 4:
        return 0
    if length <= 6:
        return 1
    if length <= 9:
        return 2
    return 3


@dataclass(frozen=True)
class LessonTerms:
    """Words of a lesson that a typo must never turn into one another: the words of its actors' names and
    aliases, and the months (:data:`MONTH_GROUPS`), all normalised. Each word maps to the things it names
    (an actor, a month): words that name the same thing ("Velazquez", "Velásquez"; "May", "mayo") are
    spellings of one another, not rivals."""

    names: Mapping[str, frozenset[int]]

    @classmethod
    def of(cls, groups: Iterable[Iterable[str]]) -> LessonTerms:
        """The terms of *groups* (each the names of one actor) and of the months."""
        names: dict[str, set[int]] = {}
        for number, group in enumerate([*MONTH_GROUPS, *groups]):
            for name in group:
                for word in set(normalise_text(name).split()) - FILLER_WORDS:
                    names.setdefault(word, set()).add(number)
        return cls(MappingProxyType({word: frozenset(named) for word, named in names.items()}))

    @property
    def words(self) -> frozenset[str]:
        return frozenset(self.names)

    def rivals(self, word: str) -> list[str]:
        """The terms that name none of what *word* names (every term, for a word that is none)."""
        named = self.names.get(word, frozenset())
        return [term for term, others in self.names.items() if term != word and not named & others]


MONTHS_ONLY: Final = LessonTerms.of(())


def _meaningful_words(text: str) -> list[str]:
    words = normalise_text(text).split()
    kept = [word for word in words if word not in FILLER_WORDS]
    return kept or words  # an answer made only of filler words is compared as it is


def _is_number(word: str) -> bool:
    return any(char.isdigit() for char in word)


def _edits(given: str, wanted: str, limit: int) -> int | None:
    """The number of edits (at most *limit*) that turn *given* into *wanted*; None when more are needed."""
    return next((edits for edits in range(limit + 1) if within_edits(given, wanted, edits)), None)


def same_words(given: str, wanted: str) -> bool:
    """Whether *given* says *wanted* word for word (case, accents, punctuation and filler words aside)."""
    return _meaningful_words(given) == _meaningful_words(wanted)


def text_matches(given: str, wanted: str, *, tolerance: int, terms: LessonTerms = MONTHS_ONLY) -> bool:
    """Whether the free-text answer *given* is *wanted*, allowing at most *tolerance* typos in all.

    Compared word by word, after :func:`normalise_text` and with filler words (:data:`FILLER_WORDS`)
    dropped on both sides, so "in May" is "May". The words must be the same in number and order: an answer
    that adds a word the key lacks ("May 2025", "7 May 2025" for "May") is another answer. Typos are
    forgiven only in a word long enough to carry them (:func:`forgivable_edits`), never in a number, and
    never when the word written could as well be a typo of another of the lesson's *terms* (a name, an
    alias, a month) that names something else: "Julio" is not a typo of "Junio", nor "Kovacz" of
    "Kovacs" where the lesson also has a "Kovac".
    """
    given_words, wanted_words = _meaningful_words(given), _meaningful_words(wanted)
    if len(given_words) != len(wanted_words):
        return False
    budget = tolerance
    for written, meant in zip(given_words, wanted_words, strict=True):
        if written == meant:
            continue
        if _is_number(written) or _is_number(meant):
            return False
        edits = _edits(written, meant, min(budget, forgivable_edits(len(meant))))
        if edits is None:
            return False
        # Read as another term, the word written would be a typo that term forgives (or that term itself).
        if any(
            within_edits(written, rival, min(edits, forgivable_edits(len(rival))))
            for rival in terms.rivals(meant)
        ):
            return False
        budget -= edits
    return True


# ----------------------------------------------------------------------------------------------------
# Presenting a question without its answer


ARRANGEMENT_TRIES: Final = 64  # a random order avoids every key position about one time in e


def key_positions_kept(order: Sequence[str], key: Sequence[str | None]) -> int:
    """How many entries of *order* stand where the key puts them (``key[i]``: the id the key puts at
    position *i*, None where it puts none)."""
    return sum(1 for position, entry in enumerate(order) if position < len(key) and key[position] == entry)


def arrangement_avoiding(ids: Sequence[str], key: Sequence[str | None], seed: str) -> list[str]:
    """*ids* in an order fixed by *seed* in which, where any such order exists, no id stands where the key
    puts it: a derangement of the key. The same seed gives the same order on any device and after a
    reload; where no such order exists, the one that keeps the fewest."""
    # Not a secret: a stable, reproducible order. random.Random seeded with a str is the same everywhere.
    shuffler = random.Random(seed)  # noqa: S311
    best: list[str] | None = None
    for _ in range(ARRANGEMENT_TRIES):
        order = list(ids)
        shuffler.shuffle(order)
        if best is None or key_positions_kept(order, key) < key_positions_kept(best, key):
            best = order
        if key_positions_kept(best, key) == 0:
            break
    return best if best is not None else list(ids)
