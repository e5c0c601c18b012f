"""What the studio's pages of one lesson show: its article's sentences with the names in them, the actors
and treaties it features with what it says of each, candidate names, and its claims with hedge hints.
Each reads a fixed number of queries whatever the lesson's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from lessons.models import (
    Actor,
    Assignment,
    Claim,
    ClaimSource,
    Lesson,
    LessonActorNote,
    LessonTreatyNote,
    Revision,
    Sentence,
    Treaty,
)
from lessons.names import Segment, mention_segments, name_candidates
from lessons.services.lesson_checks import hedge_words


@dataclass(frozen=True)
class FeaturedActor:
    actor: Actor
    note: LessonActorNote | None

    @property
    def role(self) -> str:
        return self.note.role if self.note and self.note.role is not None else self.actor.role

    @property
    def description(self) -> str:
        if self.note and self.note.description is not None:
            return self.note.description
        return self.actor.description


@dataclass(frozen=True)
class FeaturedTreaty:
    treaty: Treaty
    note: LessonTreatyNote | None

    @property
    def status(self) -> str:
        return self.note.status if self.note and self.note.status is not None else self.treaty.status

    @property
    def summary(self) -> str:
        return self.note.summary if self.note and self.note.summary is not None else self.treaty.summary


@dataclass(frozen=True)
class MarkedSentence:
    sentence: Sentence
    segments: list[Segment]
    hedges: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntitiesPage:
    actors: list[FeaturedActor]
    treaties: list[FeaturedTreaty]
    paragraphs: list[list[MarkedSentence]]
    known_elsewhere: list[Actor]  # shared actors named in the text that the lesson does not feature yet
    candidates: list[str]


def sentences_of(lesson: Lesson) -> list[Sentence]:
    return list(Sentence.objects.filter(article_id=lesson.article_id).order_by("position"))


def _paragraphs(marked: list[MarkedSentence]) -> list[list[MarkedSentence]]:
    paragraphs: list[list[MarkedSentence]] = []
    number = None
    for item in marked:
        if item.sentence.paragraph != number:
            paragraphs.append([])
            number = item.sentence.paragraph
        paragraphs[-1].append(item)
    return paragraphs


def entities_page(lesson: Lesson) -> EntitiesPage:
    notes = {note.actor_id: note for note in lesson.actor_notes.all()}
    treaty_notes = {note.treaty_id: note for note in lesson.treaty_notes.all()}
    actors = [FeaturedActor(actor, notes.get(actor.pk)) for actor in lesson.actors.order_by("name")]
    treaties = [FeaturedTreaty(t, treaty_notes.get(t.pk)) for t in lesson.treaties.order_by("name")]
    sentences = sentences_of(lesson)
    every_actor = list(Actor.objects.only("pk", "slug", "name", "aliases").order_by("name"))
    every_treaty = list(Treaty.objects.only("pk", "slug", "name").order_by("name"))
    featured = {item.actor.pk for item in actors}
    names: list[tuple[str, str]] = []
    for actor in every_actor:
        names += [(name, actor.name) for name in (actor.name, *actor.aliases)]
    names += [(treaty.name, treaty.name) for treaty in every_treaty]
    marked = [MarkedSentence(s, mention_segments(s.text, names)) for s in sentences]
    named = {segment.label for item in marked for segment in item.segments if segment.label}
    known_elsewhere = [a for a in every_actor if a.pk not in featured and a.name in named]
    known = [name for name, _label in names]
    return EntitiesPage(
        actors=actors,
        treaties=treaties,
        paragraphs=_paragraphs(marked),
        known_elsewhere=known_elsewhere,
        candidates=name_candidates([s.text for s in sentences], known),
    )


@dataclass(frozen=True)
class ClaimsPage:
    claims: list[Claim]
    paragraphs: list[list[MarkedSentence]]


def lesson_claims(lesson: Lesson) -> QuerySet[Claim]:
    """The claims of the lesson's article with what they point at (a fixed number of queries)."""
    return (
        Claim.objects.filter(article_id=lesson.article_id)
        .select_related("asserted_by")
        .prefetch_related(
            Prefetch(
                "source_chain", queryset=ClaimSource.objects.select_related("source").order_by("position")
            ),
            Prefetch("evidence", queryset=Sentence.objects.order_by("position")),
            "counter_claims",
        )
        .order_by("pk")
    )


def claims_page(lesson: Lesson) -> ClaimsPage:
    claims = list(lesson_claims(lesson))
    marked = [MarkedSentence(s, [Segment(s.text)], hedge_words(s.text)) for s in sentences_of(lesson)]
    return ClaimsPage(claims=claims, paragraphs=_paragraphs(marked))


def claim_choices(lesson: Lesson) -> list[tuple[str, str]]:
    """The lesson's claims as a claim's form offers them: id and the start of the statement."""
    claims = Claim.objects.filter(article_id=lesson.article_id).order_by("pk").values_list("key", "statement")
    return [(key, statement[:100]) for key, statement in claims]


def claim_actor_choices(lesson: Lesson) -> Any:
    """Who may assert a claim: the lesson's actors first would need two lists; every shared actor, by name."""
    return Actor.objects.order_by("name")


@dataclass(frozen=True)
class OverviewPage:
    """The studio's overview of one lesson: how much each part holds, and its revisions (newest first),
    assignments and co-authors."""

    sentence_count: int
    actor_count: int
    treaty_count: int
    claim_count: int
    question_count: int
    revisions: list[Revision]
    assignments: list[Assignment]
    co_authors: list[Any]


def overview_page(lesson: Lesson) -> OverviewPage:
    return OverviewPage(
        sentence_count=lesson.article.sentences.count(),
        actor_count=lesson.actors.count(),
        treaty_count=lesson.treaties.count(),
        claim_count=lesson.article.claims.count(),
        question_count=lesson.questions.count(),
        revisions=list(
            lesson.revisions.only("pk", "number", "published_at", "lesson_id").order_by("-number")
        ),
        assignments=list(lesson.assignments.select_related("classroom", "revision").order_by("pk")),
        co_authors=co_authors_of(lesson),
    )


def co_authors_of(lesson: Lesson) -> list[Any]:
    """The lesson's co-authors by username."""
    return list(lesson.co_authors.order_by("username"))


def lesson_actor(lesson: Lesson, actor_id: int) -> Actor | None:
    """The actor `actor_id` if the lesson features it, else None."""
    return lesson.actors.filter(pk=actor_id).first()


def lesson_treaty(lesson: Lesson, treaty_id: int) -> Treaty | None:
    """The treaty `treaty_id` if the lesson features it, else None."""
    return lesson.treaties.filter(pk=treaty_id).first()


def lesson_claim(lesson: Lesson, claim_id: int) -> Claim | None:
    """The claim `claim_id` of the lesson's article, else None."""
    return Claim.objects.filter(article_id=lesson.article_id, pk=claim_id).first()


@dataclass(frozen=True)
class ClaimLinks:
    """What a claim points at, as its edit form shows it: its sources in chain order (ids), and the keys of
    its evidence sentences and counter-claims."""

    sources: list[int]
    evidence: list[str]
    counter_claims: list[str]


def claim_links(claim: Claim) -> ClaimLinks:
    return ClaimLinks(
        sources=[link.source_id for link in claim.source_chain.order_by("position")],
        evidence=list(claim.evidence.values_list("key", flat=True)),
        counter_claims=list(claim.counter_claims.values_list("key", flat=True)),
    )
