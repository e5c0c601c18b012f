"""A learner's progress: by lesson, by focus, and everything they answered about one actor or treaty.

Every function here makes a fixed number of queries, however many lessons, attempts or responses the
learner has. Scores are read from the attempts and responses as they were graded; which actors and treaties
a question is about is read from the revision the attempt was taken on, so a later edit of the lesson
changes nothing here. Only self-study attempts count: an assignment's attempt is its class's, and its
scores reach the student only as the assignment's release policy allows (DESIGN.md rule 1).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from lessons.content_types import QuestionContent
from lessons.models import Actor, Attempt, AttemptState, Focus, Response, Revision, Treaty


def score_percent(earned: Decimal, possible: Decimal) -> int:
    """`earned` out of `possible` as a whole percentage, half rounded up (2 of 3 → 67)."""
    if not possible:
        return 0
    return int((earned * 100 / possible).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Score:
    earned: Decimal
    possible: Decimal

    @property
    def percent(self) -> int:
        return score_percent(self.earned, self.possible)


class QuestionCount(Func):
    """The number of questions in a revision's content (`questions[]`), counted by the database."""

    output_field = IntegerField()
    template = "JSON_ARRAY_LENGTH(%(expressions)s, '$.questions')"

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        template = "jsonb_array_length(%(expressions)s -> 'questions')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


# ----------------------------------------------------------------------------------------------------
# By lesson


@dataclass(frozen=True)
class LessonProgress:
    slug: str
    title: str
    attempts: int
    last_score: Score | None
    """The most recently submitted attempt's score."""
    best_score: Score | None
    """The best score of the submitted attempts."""
    answered: int
    """Questions answered in the latest attempt (submitted or not)."""
    total_questions: int
    """Questions in the revision the latest attempt was taken on."""
    in_progress: bool
    """Whether the latest attempt is still open."""

    @property
    def completion_percent(self) -> int:
        return score_percent(Decimal(self.answered), Decimal(self.total_questions))


def lesson_progress(user: User) -> list[LessonProgress]:
    """Per lesson the learner has attempted, ordered by title: one query over their attempts."""
    answered = (
        Response.objects.filter(attempt=OuterRef("pk"))
        .order_by()
        .values("attempt")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        Attempt.objects.filter(learner=user, assignment__isnull=True)
        .annotate(
            answered=Coalesce(Subquery(answered, output_field=IntegerField()), Value(0)),
            total_questions=QuestionCount(F("revision__content")),
        )
        .order_by("lesson__title", "lesson_id", "-started_at", "-pk")
        .values(
            "lesson_id",
            "lesson__slug",
            "lesson__title",
            "state",
            "earned",
            "possible",
            "answered",
            "total_questions",
        )
    )
    by_lesson: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_lesson.setdefault(row["lesson_id"], []).append(row)

    progress = []
    for attempts in by_lesson.values():
        latest = attempts[0]  # newest first
        scores = [
            Score(row["earned"], row["possible"])
            for row in attempts
            if row["state"] == AttemptState.SUBMITTED and row["earned"] is not None
        ]
        progress.append(
            LessonProgress(
                slug=latest["lesson__slug"],
                title=latest["lesson__title"],
                attempts=len(attempts),
                last_score=scores[0] if scores else None,
                best_score=max(scores, key=_ratio) if scores else None,
                answered=latest["answered"],
                total_questions=latest["total_questions"] or 0,
                in_progress=latest["state"] == AttemptState.OPEN,
            )
        )
    return progress


def _ratio(score: Score) -> Decimal:
    return score.earned / score.possible if score.possible else Decimal(0)


# ----------------------------------------------------------------------------------------------------
# By focus


@dataclass(frozen=True)
class FocusProgress:
    focus: str
    label: str
    answered: int
    earned: Decimal
    possible: Decimal

    @property
    def percent(self) -> int | None:
        return score_percent(self.earned, self.possible) if self.possible else None


def focus_progress(user: User) -> list[FocusProgress]:
    """Points earned / possible per focus over every auto-scored response of the learner, summed in SQL.

    Every focus is listed, in the order of `Focus`; one without answers has zero of zero points. Open
    responses waiting for a teacher count nowhere.
    """
    totals = {
        row["focus"]: row
        for row in Response.objects.filter(
            attempt__learner=user, attempt__assignment__isnull=True, needs_teacher=False, earned__isnull=False
        )
        .order_by()
        .values("focus")
        .annotate(answered=Count("pk"), earned=Sum("earned"), possible=Sum("possible"))
    }
    progress = []
    for value, label in Focus.choices:
        row = totals.get(value)
        progress.append(
            FocusProgress(
                focus=value,
                label=str(label),
                answered=row["answered"] if row else 0,
                earned=row["earned"] if row else Decimal(0),
                possible=row["possible"] if row else Decimal(0),
            )
        )
    return progress


# ----------------------------------------------------------------------------------------------------
# By actor and treaty


class EntityKind(StrEnum):
    ACTOR = "actor"
    TREATY = "treaty"

    def ids_in(self, question: QuestionContent) -> list[str]:
        """The entities of this kind a revision's question is about."""
        return question["actors"] if self is EntityKind.ACTOR else question["treaties"]


@dataclass(frozen=True)
class EntitySummary:
    slug: str
    name: str
    answered: int
    """How many of the learner's responses were to questions about it."""


def _questions_by_revision(revision_ids: Iterable[int]) -> dict[int, dict[str, QuestionContent]]:
    """revision id → question id → question, for the given revisions: one query, questions only.

    The questions include the answer key: callers keep only what a student may see.
    """
    ids = set(revision_ids)
    if not ids:
        return {}
    rows = Revision.objects.filter(pk__in=ids).values_list("pk", F("content__questions"))
    return {
        pk: {question["id"]: question for question in cast(list[QuestionContent], questions or [])}
        for pk, questions in rows
    }


def _entity_counts(user: User) -> dict[EntityKind, Counter[str]]:
    """Per actor and per treaty, how many of the learner's responses were to questions about it.

    Two queries: the learner's (revision, question) pairs, then those revisions' questions.
    """
    answered = list(
        Response.objects.filter(attempt__learner=user, attempt__assignment__isnull=True)
        .order_by()
        .values_list("attempt__revision_id", "question_key")
    )
    questions = _questions_by_revision(revision_id for revision_id, _key in answered)
    counts: dict[EntityKind, Counter[str]] = {kind: Counter() for kind in EntityKind}
    for revision_id, key in answered:
        question = questions.get(revision_id, {}).get(key)
        if question is not None:
            for kind in EntityKind:
                counts[kind].update(set(kind.ids_in(question)))
    return counts


def _summaries(kind: EntityKind, counts: Counter[str]) -> list[EntitySummary]:
    """The entities counted, by name; only those that exist (the links lead to their pages)."""
    if not counts:
        return []
    model: type[Actor] | type[Treaty] = Actor if kind is EntityKind.ACTOR else Treaty
    names = model.objects.filter(slug__in=list(counts)).order_by("name", "slug").values_list("slug", "name")
    return [EntitySummary(slug=slug, name=name, answered=counts[slug]) for slug, name in names]


@dataclass(frozen=True)
class ProgressOverview:
    lessons: list[LessonProgress]
    focuses: list[FocusProgress]
    actors: list[EntitySummary]
    treaties: list[EntitySummary]

    @property
    def is_empty(self) -> bool:
        return not self.lessons


def progress_overview(user: User) -> ProgressOverview:
    """Everything the progress page shows, in at most six queries however much the learner has done."""
    counts = _entity_counts(user)
    return ProgressOverview(
        lessons=lesson_progress(user),
        focuses=focus_progress(user),
        actors=_summaries(EntityKind.ACTOR, counts[EntityKind.ACTOR]),
        treaties=_summaries(EntityKind.TREATY, counts[EntityKind.TREATY]),
    )


class Outcome(StrEnum):
    RIGHT = "right"
    PARTLY = "partly"
    WRONG = "wrong"
    WAITING = "waiting"
    """An open response, waiting for a teacher's grade."""


@dataclass(frozen=True)
class AnsweredQuestion:
    """One of the learner's responses, with what a student may see of its question (never the key)."""

    lesson_slug: str
    lesson_title: str
    question_key: str
    prompt: str
    """Markdown."""
    focus: str
    outcome: Outcome
    earned: Decimal | None
    possible: Decimal
    answered_at: dt.datetime
    attempt_open: bool


@dataclass(frozen=True)
class EntityAnswers:
    kind: EntityKind
    slug: str
    name: str
    answers: list[AnsweredQuestion]

    @property
    def outcome_counts(self) -> dict[str, int]:
        counts = Counter(answer.outcome.value for answer in self.answers)
        return {outcome.value: counts[outcome.value] for outcome in Outcome}


def _outcome(row: Mapping[str, Any]) -> Outcome:
    if row["needs_teacher"]:
        return Outcome.WAITING
    if row["correct"]:
        return Outcome.RIGHT
    return Outcome.PARTLY if row["earned"] and row["earned"] > 0 else Outcome.WRONG


def answers_about(user: User, kind: EntityKind, slug: str) -> EntityAnswers | None:
    """Every response of the learner to a question about the actor (or treaty) `slug`, newest first.

    None when there is no such actor (treaty). Three queries: the entity, the learner's responses with their
    attempt and lesson, and the questions of the revisions those attempts were taken on; which questions are
    about the entity is read from each revision's content, in Python.
    """
    model: type[Actor] | type[Treaty] = Actor if kind is EntityKind.ACTOR else Treaty
    entity = model.objects.filter(slug=slug).values_list("name", flat=True).first()
    if entity is None:
        return None
    rows = list(
        Response.objects.filter(attempt__learner=user, attempt__assignment__isnull=True)
        .order_by("-first_saved_at", "-pk")
        .values(
            "question_key",
            "focus",
            "earned",
            "possible",
            "correct",
            "needs_teacher",
            "first_saved_at",
            "attempt__state",
            "attempt__revision_id",
            "attempt__lesson__slug",
            "attempt__lesson__title",
        )
    )
    questions = _questions_by_revision(row["attempt__revision_id"] for row in rows)
    answers = []
    for row in rows:
        question = questions.get(row["attempt__revision_id"], {}).get(row["question_key"])
        if question is None or slug not in kind.ids_in(question):
            continue
        answers.append(
            AnsweredQuestion(
                lesson_slug=row["attempt__lesson__slug"],
                lesson_title=row["attempt__lesson__title"],
                question_key=row["question_key"],
                prompt=str(question.get("prompt") or ""),
                focus=row["focus"],
                outcome=_outcome(row),
                earned=row["earned"],
                possible=row["possible"],
                answered_at=row["first_saved_at"],
                attempt_open=row["attempt__state"] == AttemptState.OPEN,
            )
        )
    return EntityAnswers(kind=kind, slug=slug, name=entity, answers=answers)
