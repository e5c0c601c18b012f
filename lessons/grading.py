"""Pure scoring of student answers against a question's answer key.

A *question* here is a question object of the lesson file format (``fixtures/README.md``,
``questions[]``), including its ``answer`` key block. This module is standard-library only: no Django,
no database. The service layer validates an answer with :func:`validate_answer` (and
:func:`validate_evidence`) when it is saved, and scores it with :func:`grade`.

Scores are computed exactly with :class:`~fractions.Fraction` and rounded once, at the end, to
hundredths of a point (``ROUND_HALF_UP``).

Error messages of :class:`MalformedAnswer` are English; their templates are marked with
``gettext_noop`` so ``makemessages`` collects them, and a view can show a translation with
``gettext(exc.template) % exc.params``, with the words of JSON_TYPE_WORDS among the params translated too.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final, NamedTuple

__all__ = [
    "MAX_OPEN_RESPONSE_LENGTH",
    "MAX_SHORT_ANSWER_LENGTH",
    "SHORT_ANSWER_MIN_TYPO_LENGTH",
    "STANDINGS",
    "Grade",
    "MalformedAnswer",
    "grade",
    "normalise_text",
    "validate_answer",
    "validate_evidence",
    "within_edits",
]

STANDINGS: Final[tuple[str, ...]] = ("confirmed", "reported", "alleged", "denied", "unknown")
"""The standings a claim can have, in the order the lesson format lists them."""

ATTRIBUTION_FIELDS: Final[tuple[str, ...]] = ("asserted_by", "source", "standing")

SHORT_ANSWER_MIN_TYPO_LENGTH: Final = 4
"""Accepted answers shorter than this (after normalisation) must be matched exactly."""

MAX_SHORT_ANSWER_LENGTH: Final = 500
MAX_OPEN_RESPONSE_LENGTH: Final = 20_000

_CENT: Final = Fraction(1, 100)
_PART_PLACES: Final = 4  # parts are fractions 0..1, shown to 1/10000


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
# Helpers


# What a value looks like in JSON, as messages name it; a caller translates these like the templates.
JSON_TYPE_WORDS: Final = (
    gettext_noop("null"),
    gettext_noop("a boolean"),
    gettext_noop("a number"),
    gettext_noop("a string"),
    gettext_noop("an object"),
    gettext_noop("a list"),
)


def _json_type(value: object) -> str:
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


def _show(value: str, limit: int = 40) -> str:
    """*value* shortened for echoing back in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _ids(entries: Any, *, group: str | None = None) -> list[str]:
    """The ids of a question's ``options`` or ``items`` (only those of *group* when given)."""
    return [str(entry["id"]) for entry in entries or () if group is None or entry.get("group") == group]


def _key(question: Mapping[str, Any]) -> Mapping[str, Any]:
    key: Mapping[str, Any] = question.get("answer") or {}
    return key


class _IdListMessages(NamedTuple):
    not_a_list: str
    not_an_id: str
    unknown: str


_OPTION_LIST: Final = _IdListMessages(
    gettext_noop("expected a list of option ids, got %(got)s"),
    gettext_noop("expected a list of option ids, but it contains %(got)s"),
    gettext_noop("unknown option '%(id)s'"),
)
_SENTENCE_LIST: Final = _IdListMessages(
    gettext_noop("expected a list of sentence ids, got %(got)s"),
    gettext_noop("expected a list of sentence ids, but it contains %(got)s"),
    gettext_noop("unknown sentence '%(id)s'"),
)


def _unique_ids(
    value: Any, *, known: Collection[str], messages: _IdListMessages, field: str = "answer"
) -> list[str]:
    """*value* as a list of known ids, duplicates dropped keeping the first; raise on anything else."""
    if not isinstance(value, list | tuple):
        raise MalformedAnswer(messages.not_a_list, field=field, got=_json_type(value))
    seen: dict[str, None] = {}
    for entry in value:
        if not isinstance(entry, str):
            raise MalformedAnswer(messages.not_an_id, field=field, got=_json_type(entry))
        if entry not in known:
            raise MalformedAnswer(messages.unknown, field=field, id=_show(entry))
        seen.setdefault(entry, None)
    return list(seen)


def _text(value: Any, *, max_length: int) -> str:
    if not isinstance(value, str):
        raise MalformedAnswer(gettext_noop("expected text, got %(got)s"), got=_json_type(value))
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


def _net_picks(picked: Collection[str], correct: Collection[str]) -> Fraction:
    """(right picks - wrong picks) / number of right answers, at least 0."""
    right = set(correct)
    if not right:
        return Fraction(0)
    hits = sum(1 for entry in picked if entry in right)
    misses = len(picked) - hits
    return max(Fraction(0), Fraction(hits - misses, len(right)))


def _round(value: Fraction, places: int) -> Decimal:
    """*value* (≥ 0) rounded half up to *places* decimal places, exactly."""
    scale = 10**places
    return Decimal(math.floor(value * scale + Fraction(1, 2))).scaleb(-places)


# ----------------------------------------------------------------------------------------------------
# Validation, one function per kind


Validator = Callable[[Mapping[str, Any], Any, Collection[str]], Any]


def _validate_single_choice(question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]) -> str:
    if not isinstance(answer, str):
        raise MalformedAnswer(gettext_noop("expected an option id, got %(got)s"), got=_json_type(answer))
    if answer not in _ids(question.get("options")):
        raise MalformedAnswer(gettext_noop("unknown option '%(id)s'"), id=_show(answer))
    return answer


def _validate_multiple_select(
    question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]
) -> list[str]:
    return _unique_ids(answer, known=_ids(question.get("options")), messages=_OPTION_LIST)


def _validate_true_false(question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]) -> bool:
    if not isinstance(answer, bool):
        raise MalformedAnswer(gettext_noop("expected true or false, got %(got)s"), got=_json_type(answer))
    return answer


def _validate_short_answer(question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]) -> str:
    text = _text(answer, max_length=MAX_SHORT_ANSWER_LENGTH)
    if not normalise_text(text):
        raise MalformedAnswer(gettext_noop("the answer has no letters or digits"))
    return text


def _validate_matching(
    question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]
) -> dict[str, str]:
    if not isinstance(answer, Mapping):
        raise MalformedAnswer(
            gettext_noop("expected an object mapping item ids to option ids, got %(got)s"),
            got=_json_type(answer),
        )
    items = _ids(question.get("items"))
    options = set(_ids(question.get("options")))
    for item, option in answer.items():
        if not isinstance(item, str) or item not in items:
            raise MalformedAnswer(gettext_noop("unknown item '%(id)s'"), id=_show(str(item)))
        if option is None:
            continue  # not matched yet: counts as wrong
        if not isinstance(option, str):
            raise MalformedAnswer(
                gettext_noop("expected an option id for item '%(item)s', got %(got)s"),
                item=item,
                got=_json_type(option),
            )
        if option not in options:
            raise MalformedAnswer(
                gettext_noop("unknown option '%(id)s' for item '%(item)s'"), id=_show(option), item=item
            )
    # In the question's item order; unmatched items left out.
    return {item: answer[item] for item in items if answer.get(item) is not None}


def _validate_ordering(question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]) -> list[str]:
    if not isinstance(answer, list | tuple):
        raise MalformedAnswer(
            gettext_noop("expected a list of item ids, got %(got)s"), got=_json_type(answer)
        )
    items = _ids(question.get("items"))
    seen: set[str] = set()
    for entry in answer:
        if not isinstance(entry, str):
            raise MalformedAnswer(
                gettext_noop("expected a list of item ids, but it contains %(got)s"), got=_json_type(entry)
            )
        if entry not in items:
            raise MalformedAnswer(gettext_noop("unknown item '%(id)s'"), id=_show(entry))
        if entry in seen:
            raise MalformedAnswer(gettext_noop("item '%(id)s' appears more than once"), id=entry)
        seen.add(entry)
    for item in items:
        if item not in seen:
            raise MalformedAnswer(gettext_noop("missing item '%(id)s'"), id=item)
    return list(answer)


def _validate_evidence(question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]) -> list[str]:
    return _unique_ids(answer, known=sentence_ids, messages=_SENTENCE_LIST)


def _validate_attribution(
    question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]
) -> dict[str, str]:
    if not isinstance(answer, Mapping):
        raise MalformedAnswer(
            gettext_noop("expected an object with asserted_by, source and standing, got %(got)s"),
            got=_json_type(answer),
        )
    for name in answer:
        if name not in ATTRIBUTION_FIELDS:
            raise MalformedAnswer(
                gettext_noop("unexpected field '%(field_name)s'"), field_name=_show(str(name))
            )
    for name in ATTRIBUTION_FIELDS:
        if name not in answer:
            raise MalformedAnswer(gettext_noop("missing field '%(field_name)s'"), field_name=name)
        if not isinstance(answer[name], str):
            raise MalformedAnswer(
                gettext_noop("expected text for '%(field_name)s', got %(got)s"),
                field_name=name,
                got=_json_type(answer[name]),
            )
    options = question.get("options")
    for group in ("asserted_by", "source"):
        if answer[group] not in _ids(options, group=group):
            raise MalformedAnswer(
                gettext_noop("unknown %(group)s option '%(id)s'"), group=group, id=_show(answer[group])
            )
    if answer["standing"] not in STANDINGS:
        raise MalformedAnswer(
            gettext_noop("unknown standing '%(id)s' (expected one of %(choices)s)"),
            id=_show(answer["standing"]),
            choices=", ".join(STANDINGS),
        )
    return {name: answer[name] for name in ATTRIBUTION_FIELDS}


def _validate_open_response(question: Mapping[str, Any], answer: Any, sentence_ids: Collection[str]) -> str:
    return _text(answer, max_length=MAX_OPEN_RESPONSE_LENGTH)


_VALIDATORS: Final[Mapping[str, Validator]] = MappingProxyType(
    {
        "single_choice": _validate_single_choice,
        "multiple_select": _validate_multiple_select,
        "true_false": _validate_true_false,
        "short_answer": _validate_short_answer,
        "matching": _validate_matching,
        "ordering": _validate_ordering,
        "evidence": _validate_evidence,
        "attribution": _validate_attribution,
        "open_response": _validate_open_response,
    }
)


# ----------------------------------------------------------------------------------------------------
# Scoring, one function per kind. Each takes a validated answer and returns the fraction (0..1) of the
# first part that is right, plus any sub-parts to report.


class _Scored(NamedTuple):
    fraction: Fraction
    subparts: Mapping[str, Fraction] = MappingProxyType({})
    needs_teacher: bool = False


Scorer = Callable[[Mapping[str, Any], Any], _Scored]


def _all_or_nothing(right: bool) -> _Scored:
    return _Scored(Fraction(int(right)))


def _score_single_choice(question: Mapping[str, Any], answer: str) -> _Scored:
    return _all_or_nothing(answer == _key(question)["correct"])


def _score_multiple_select(question: Mapping[str, Any], answer: list[str]) -> _Scored:
    return _Scored(_net_picks(answer, _key(question)["correct"]))


def _score_true_false(question: Mapping[str, Any], answer: bool) -> _Scored:
    return _all_or_nothing(answer is _key(question)["correct"])


def _score_short_answer(question: Mapping[str, Any], answer: str) -> _Scored:
    key = _key(question)
    tolerance = int(key.get("typo_tolerance") or 0)
    given = normalise_text(answer)
    for accepted in key.get("accepted") or ():
        wanted = normalise_text(accepted)
        if given == wanted:
            return _all_or_nothing(True)
        if len(wanted) >= SHORT_ANSWER_MIN_TYPO_LENGTH and within_edits(given, wanted, tolerance):
            return _all_or_nothing(True)
    return _all_or_nothing(False)


def _score_matching(question: Mapping[str, Any], answer: Mapping[str, str]) -> _Scored:
    correct: Mapping[str, str] = _key(question)["correct"]
    if not correct:
        return _Scored(Fraction(0))
    right = sum(1 for item, option in correct.items() if answer.get(item) == option)
    return _Scored(Fraction(right, len(correct)))


def _score_ordering(question: Mapping[str, Any], answer: list[str]) -> _Scored:
    rank = {item: position for position, item in enumerate(_key(question)["correct"])}
    given = [rank[item] for item in answer if item in rank]
    pairs = len(given) * (len(given) - 1) // 2
    if pairs == 0:
        return _all_or_nothing(given == sorted(given))
    in_order = sum(1 for i, earlier in enumerate(given) for later in given[i + 1 :] if earlier < later)
    return _Scored(Fraction(in_order, pairs))


def _score_evidence(question: Mapping[str, Any], answer: list[str]) -> _Scored:
    return _Scored(_net_picks(answer, _key(question)["correct"]))


def _score_attribution(question: Mapping[str, Any], answer: Mapping[str, str]) -> _Scored:
    correct: Mapping[str, Any] = _key(question)["correct"]
    subparts = {name: Fraction(int(answer[name] == correct.get(name))) for name in ATTRIBUTION_FIELDS}
    return _Scored(sum(subparts.values(), Fraction(0)) / len(ATTRIBUTION_FIELDS), MappingProxyType(subparts))


def _score_open_response(question: Mapping[str, Any], answer: str) -> _Scored:
    return _Scored(Fraction(0), needs_teacher=True)


_SCORERS: Final[Mapping[str, Scorer]] = MappingProxyType(
    {
        "single_choice": _score_single_choice,
        "multiple_select": _score_multiple_select,
        "true_false": _score_true_false,
        "short_answer": _score_short_answer,
        "matching": _score_matching,
        "ordering": _score_ordering,
        "evidence": _score_evidence,
        "attribution": _score_attribution,
        "open_response": _score_open_response,
    }
)


# ----------------------------------------------------------------------------------------------------
# Public API


def _kind(question: Mapping[str, Any], table: Mapping[str, Any]) -> str:
    kind = question.get("kind")
    if kind not in table:
        # The question itself is wrong, not the student's answer: not a MalformedAnswer.
        raise LookupError(f"unknown question kind {kind!r}")
    return str(kind)


def validate_answer(question: Mapping[str, Any], answer: Any, *, sentence_ids: Collection[str]) -> Any:
    """Check the shape of a student's first-part answer and return it normalised.

    Returns, by kind: an option id (single choice); a list of option ids without duplicates, in the
    order given (multiple select); a bool (true/false); the text with surrounding whitespace trimmed
    (short answer, open response); a dict item id → option id in the question's item order, with items
    given as ``null`` left out (matching); the list of item ids (ordering); a list of sentence ids
    without duplicates (evidence); a dict with exactly ``asserted_by``, ``source``, ``standing``
    (attribution).

    Raises :class:`MalformedAnswer` naming the problem (``unknown option 'x'``, ``expected a list of
    option ids, got a string``, ``missing item 'y'``, ...). *sentence_ids* are the ids of the article's
    sentences. An unknown question kind raises :class:`LookupError`.
    """
    return _VALIDATORS[_kind(question, _VALIDATORS)](question, answer, _as_set(sentence_ids))


def validate_evidence(
    question: Mapping[str, Any], evidence: Any, *, sentence_ids: Collection[str]
) -> list[str]:
    """Check the sentence ids a student gave for a question's evidence part; return them de-duplicated.

    ``None`` means no evidence was given and returns ``[]``. Anything else must be a list of ids of the
    article's sentences (an empty list is allowed), and the question must have an evidence part
    (``evidence_part`` > 0); otherwise :class:`MalformedAnswer` with ``field == "evidence"``.
    """
    if evidence is None:
        return []
    if not _has_evidence_part(question):
        raise MalformedAnswer(gettext_noop("this question has no evidence part"), field="evidence")
    return _unique_ids(evidence, known=_as_set(sentence_ids), messages=_SENTENCE_LIST, field="evidence")


def grade(
    question: Mapping[str, Any], answer: Any, *, evidence: Any = None, sentence_ids: Collection[str]
) -> Grade:
    """Validate and score a student's answer (and evidence, for a question with an evidence part).

    ``earned = points * answer fraction + evidence_part * evidence fraction``, where the evidence part
    is scored (against the question's ``evidence`` sentences, like the evidence kind) only when the
    first part is fully right. Raises :class:`MalformedAnswer` if the answer or the evidence is
    malformed, whether or not the evidence would be scored.
    """
    kind = _kind(question, _SCORERS)
    sentences = _as_set(sentence_ids)
    given = _VALIDATORS[kind](question, answer, sentences)
    picked = validate_evidence(question, evidence, sentence_ids=sentences)

    scored = _SCORERS[kind](question, given)
    correct = scored.fraction == 1 and not scored.needs_teacher
    points = Fraction(question["points"])
    evidence_points = Fraction(question.get("evidence_part") or 0)

    parts: dict[str, Fraction] = {}
    if not scored.needs_teacher:
        parts["answer"] = scored.fraction
        parts.update(scored.subparts)
    if evidence_points > 0:
        parts["evidence"] = _net_picks(picked, question.get("evidence") or ()) if correct else Fraction(0)

    earned = points * scored.fraction + evidence_points * parts.get("evidence", Fraction(0))
    return Grade(
        earned=_round(earned, 2),
        possible=_round(points + evidence_points, 2),
        correct=correct,
        parts=MappingProxyType({name: _round(value, _PART_PLACES) for name, value in parts.items()}),
        needs_teacher=scored.needs_teacher,
    )


def _has_evidence_part(question: Mapping[str, Any]) -> bool:
    return Fraction(question.get("evidence_part") or 0) > 0


def _as_set(ids: Collection[str]) -> Collection[str]:
    return ids if isinstance(ids, set | frozenset) else frozenset(ids)
