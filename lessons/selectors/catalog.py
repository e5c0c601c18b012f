"""The catalogue: the published lessons a user may see, searched and filtered, with a learner's own status.

Everything a lesson card shows comes from one query: the focuses a lesson covers and the learner's status
are `EXISTS` / scalar subqueries on the lesson row, never a query per lesson.

Search is PostgreSQL full-text search (config "english") over the title, the introduction, the featured
actors' names and aliases and the featured treaties' names, ranked; on SQLite it falls back to matching
every word of the query, case-insensitively, anywhere in those same fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat

from lessons import selectors as _selectors
from lessons.models import Actor, Attempt, AttemptState, Focus, Lesson, Question, Treaty

from . import self_study
from .progress import score_percent

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20


class LearnerStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    SCORED = "scored"


def _focus_annotation(focus: str) -> str:
    return f"covers_{focus}"


@dataclass(frozen=True)
class CatalogEntry:
    """A lesson card: the lesson, the focuses its questions cover and, for a learner, their status on it."""

    lesson: Lesson
    focuses: list[str]
    """Labels of the focuses the lesson's questions cover, in the order of `Focus`."""
    status: LearnerStatus | None
    """None for an anonymous visitor."""
    in_progress: bool
    best_percent: int | None
    """The best score of the learner's submitted attempts, as a whole percentage."""


def catalog_queryset(
    user: User | AnonymousUser, *, query: str = "", focus: str = "", level: str = ""
) -> QuerySet[Lesson]:
    """The lessons `user` may see, searched and filtered, annotated for the catalogue.

    Annotations: `covers_<focus>` (bool) for every focus; for a signed-in user also `has_open_attempt`
    (bool), `best_earned` and `best_possible` (the submitted attempt with the best ratio, or None); when
    searching on PostgreSQL, `rank`.
    """
    # Looked up on the package at call time: the one place visibility is decided (and patched in tests).
    lessons = _selectors.published_lessons_for(user)
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if query:
        lessons = _search(lessons, query)
    if focus:
        lessons = lessons.filter(Exists(Question.objects.filter(lesson=OuterRef("pk"), focus=focus)))
    if level:
        lessons = lessons.filter(level=level)
    lessons = lessons.annotate(
        **{
            _focus_annotation(value): Exists(Question.objects.filter(lesson=OuterRef("pk"), focus=value))
            for value in Focus.values
        }
    )
    if user.is_authenticated:
        mine = Attempt.objects.filter(learner=user, lesson=OuterRef("pk"), assignment__isnull=True)
        # Ranked by the share earned; floats because SQLite divides integers as integers.
        best = (
            mine.filter(state=AttemptState.SUBMITTED, possible__gt=0)
            .annotate(ratio=Cast("earned", FloatField()) / Cast("possible", FloatField()))
            .order_by(F("ratio").desc(), "-submitted_at", "-pk")
        )
        lessons = lessons.annotate(
            has_open_attempt=Exists(mine.filter(state=AttemptState.OPEN)),
            best_earned=Subquery(best.values("earned")[:1]),
            best_possible=Subquery(best.values("possible")[:1]),
        )
    return lessons


def catalog_lessons(
    user: User | AnonymousUser, *, query: str = "", focus: str = "", level: str = ""
) -> list[CatalogEntry]:
    """The catalogue as lesson cards, in one query (see `catalog_queryset`)."""
    return _entries(user, catalog_queryset(user, query=query, focus=focus, level=level))


def catalog_entries(user: User | AnonymousUser, lessons: QuerySet[Lesson]) -> list[CatalogEntry]:
    """Lesson cards of a `catalog_queryset` narrowed or ordered further (the API's filters), in one query."""
    return _entries(user, lessons)


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalogue: Django's page (numbers, neighbours, the total count) and its cards."""

    page: Page[Lesson]
    entries: list[CatalogEntry]


def catalog_page(
    user: User | AnonymousUser,
    *,
    query: str = "",
    focus: str = "",
    level: str = "",
    number: str | int | None = None,
) -> CatalogPage:
    """Page `number` of the catalogue, PAGE_SIZE cards a page.

    A page number that is not a number shows the first page, one past the end the last (Django's
    `Paginator.get_page`): a stale link still lands on lessons. A first page that holds every lesson found
    costs one query; any other page two (the count, then the page).
    """
    lessons = catalog_queryset(user, query=query, focus=focus, level=level)
    lessons = lessons.order_by(*lessons.query.order_by, "pk")  # two lessons of one title keep their pages
    if str(number or "1").strip() == "1":
        first = list(lessons[: PAGE_SIZE + 1])
        if len(first) <= PAGE_SIZE:  # all there is: counted without asking the database again
            page = Paginator(first, PAGE_SIZE).get_page(1)
            return CatalogPage(page=page, entries=_entries(user, page.object_list))
    paged = Paginator(lessons, PAGE_SIZE).get_page(number)
    return CatalogPage(page=paged, entries=_entries(user, paged.object_list))


def _entries(user: User | AnonymousUser, lessons: Iterable[Lesson]) -> list[CatalogEntry]:
    labels = dict(Focus.choices)
    entries = []
    for lesson in lessons:
        focuses = [str(labels[value]) for value in Focus.values if getattr(lesson, _focus_annotation(value))]
        status: LearnerStatus | None = None
        in_progress = False
        best_percent: int | None = None
        if user.is_authenticated:
            in_progress = bool(lesson.has_open_attempt)  # type: ignore[attr-defined]
            best_earned: Decimal | None = lesson.best_earned  # type: ignore[attr-defined]
            best_possible: Decimal | None = lesson.best_possible  # type: ignore[attr-defined]
            if best_earned is not None and best_possible:
                best_percent = score_percent(best_earned, best_possible)
            if in_progress:
                status = LearnerStatus.IN_PROGRESS
            elif best_percent is not None:
                status = LearnerStatus.SCORED
            else:
                status = LearnerStatus.NEW
        entries.append(
            CatalogEntry(
                lesson=lesson,
                focuses=focuses,
                status=status,
                in_progress=in_progress,
                best_percent=best_percent,
            )
        )
    return entries


def due_review_count(user: User | AnonymousUser, now: dt.datetime) -> int:
    """How many of the learner's review items are due at `now` and not held for an assignment (0 for an
    anonymous visitor)."""
    if not user.is_authenticated:
        return 0
    return self_study.due_review_count(user, now=now)


def _search(lessons: QuerySet[Lesson], query: str) -> QuerySet[Lesson]:
    if connection.vendor == "postgresql":
        return _search_postgresql(lessons, query)
    return _search_icontains(lessons, query)


def _search_postgresql(lessons: QuerySet[Lesson], query: str) -> QuerySet[Lesson]:
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    # The featured actors' and treaties' text, one string per lesson: a scalar subquery, so the search
    # joins nothing into the lesson rows and every lesson appears once.
    actor_text = (
        Actor.objects.filter(lessons=OuterRef("pk"))
        .order_by()
        .values("lessons")
        .annotate(
            text=StringAgg(
                Concat("name", Value(" "), Cast("aliases", TextField()), output_field=TextField()),
                delimiter=" ",
            )
        )
        .values("text")
    )
    treaty_text = (
        Treaty.objects.filter(lessons=OuterRef("pk"))
        .order_by()
        .values("lessons")
        .annotate(text=StringAgg("name", delimiter=" "))
        .values("text")
    )

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector(Subquery(actor_text, output_field=TextField()), weight="B", config="english")
        + SearchVector(Subquery(treaty_text, output_field=TextField()), weight="B", config="english")
        + SearchVector("introduction", weight="C", config="english")
    )
    # "websearch" accepts anything a person types (quotes, OR, -word) without a syntax error.
    search_query = SearchQuery(query, config="english", search_type="websearch")
    return (
        lessons.alias(search=vector)  # filtered and ranked on, never fetched
        .filter(search=search_query)
        .annotate(rank=SearchRank(F("search"), search_query))
        .order_by("-rank", "title")
    )


def _search_icontains(lessons: QuerySet[Lesson], query: str) -> QuerySet[Lesson]:
    for word in query.split():
        actors = Actor.objects.filter(lessons=OuterRef("pk")).filter(
            Q(name__icontains=word) | Q(aliases__icontains=word)
        )
        treaties = Treaty.objects.filter(lessons=OuterRef("pk"), name__icontains=word)
        lessons = lessons.filter(
            Q(title__icontains=word) | Q(introduction__icontains=word) | Exists(actors) | Exists(treaties)
        )
    return lessons
