"""Scoring a student's answer against a question's answer key, whatever its kind.

A *question* here is a question object of the lesson file format (``fixtures/README.md``,
``questions[]``), including its ``answer`` key block. The service layer validates an answer with
:func:`validate_answer` (and :func:`validate_evidence`) when it is saved, and scores it with :func:`grade`.
What differs between kinds (the answer's shape and how it is scored) is the kind's own
(``lessons.kinds``); this module adds the parts every kind shares: the evidence second part, points and
rounding. No database.

Error messages of :class:`MalformedAnswer` are English; their templates are marked with
``gettext_noop`` so ``makemessages`` collects them, and a view can show a translation with
``gettext(exc.template) % exc.params``, with the words of JSON_TYPE_WORDS among the params translated too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, cast

from lessons.content_types import ActorContent, QuestionContent
from lessons.kinds import get_kind
from lessons.kinds.scoring import (
    JSON_TYPE_WORDS,
    MONTHS_ONLY,
    PART_PLACES,
    SENTENCE_LIST,
    Grade,
    LessonTerms,
    MalformedAnswer,
    gettext_noop,
    net_picks,
    normalise_text,
    round_exact,
    unique_ids,
    within_edits,
)

__all__ = [
    "JSON_TYPE_WORDS",
    "Grade",
    "LessonTerms",
    "MalformedAnswer",
    "grade",
    "lesson_terms",
    "normalise_text",
    "validate_answer",
    "validate_evidence",
    "within_edits",
]


# ----------------------------------------------------------------------------------------------------
# Public API


def validate_answer(question: Mapping[str, Any], answer: Any, *, sentence_ids: Collection[str]) -> Any:
    """Check the shape of a student's first-part answer and return it normalised.

    The shape returned is the kind's (each module of ``lessons.kinds`` says which). Raises
    :class:`MalformedAnswer` naming the problem (``unknown option 'x'``, ``expected a list of option ids,
    got a string``, ``missing item 'y'``, ...). *sentence_ids* are the ids of the article's sentences. An
    unknown question kind raises :class:`~lessons.kinds.UnknownKind` (a LookupError).
    """
    # An unknown kind is a wrong question, not a wrong answer: UnknownKind (a LookupError).
    return get_kind(question.get("kind")).validate(_typed(question), answer, _as_set(sentence_ids))


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
    return unique_ids(evidence, known=_as_set(sentence_ids), messages=SENTENCE_LIST, field="evidence")


def lesson_terms(actors: Iterable[ActorContent]) -> LessonTerms:
    """The words a typo must never turn into one another in a lesson: its actors' names and aliases (a
    revision's or a lesson file's ``actors``), and the months."""
    return LessonTerms.of([actor["name"], *actor["aliases"]] for actor in actors)


def grade(
    question: Mapping[str, Any],
    answer: Any,
    *,
    evidence: Any = None,
    sentence_ids: Collection[str],
    terms: LessonTerms = MONTHS_ONLY,
) -> Grade:
    """Validate and score a student's answer (and evidence, for a question with an evidence part).

    ``earned = points * answer fraction + evidence_part * evidence fraction``, where the evidence part
    is scored (against the question's ``evidence`` sentences, right picks less wrong ones) only when the
    first part is fully right. Raises :class:`MalformedAnswer` if the answer or the evidence is
    malformed, whether or not the evidence would be scored. *terms* are the lesson's
    (:func:`lesson_terms`): without them only the months are kept apart.
    """
    kind = get_kind(question.get("kind"))
    sentences = _as_set(sentence_ids)
    given = kind.validate(_typed(question), answer, sentences)
    picked = validate_evidence(question, evidence, sentence_ids=sentences)

    scored = kind.score(_typed(question), given, terms)
    correct = scored.fraction == 1 and not scored.needs_teacher
    points = Fraction(question["points"])
    evidence_points = Fraction(question.get("evidence_part") or 0)

    parts: dict[str, Fraction] = {}
    if not scored.needs_teacher:
        parts["answer"] = scored.fraction
        parts.update(scored.subparts)
    if evidence_points > 0:
        parts["evidence"] = net_picks(picked, question.get("evidence") or ()) if correct else Fraction(0)

    earned = points * scored.fraction + evidence_points * parts.get("evidence", Fraction(0))
    return Grade(
        earned=round_exact(earned, 2),
        possible=round_exact(points + evidence_points, 2),
        correct=correct,
        parts=MappingProxyType({name: round_exact(value, PART_PLACES) for name, value in parts.items()}),
        needs_teacher=scored.needs_teacher,
    )


def _has_evidence_part(question: Mapping[str, Any]) -> bool:
    return Fraction(question.get("evidence_part") or 0) > 0


def _as_set(ids: Collection[str]) -> Collection[str]:
    return ids if isinstance(ids, set | frozenset) else frozenset(ids)


def _typed(question: Mapping[str, Any]) -> QuestionContent:
    # Callers hold revision content and test builders alike; both are lesson-file question objects.
    return cast(QuestionContent, question)
