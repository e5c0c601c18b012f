"""The shared actors, treaties and sources a lesson picks from (the studio's pick lists and a claim's chain),
found by their ids (slugs), and one lesson's featured actor, treaty or claim by its id.

None (never Http404) when nothing matches; a lesson never changes a shared record (services.authoring)."""

from __future__ import annotations

from django.db.models import QuerySet

from lessons.models import Actor, Claim, Lesson, Source, Treaty

from .studio import FeaturedActor, FeaturedTreaty, lesson_claims


def shared_actors() -> QuerySet[Actor]:
    """Every shared actor, by name (the studio's pick list)."""
    return Actor.objects.order_by("name", "pk")


def shared_treaties() -> QuerySet[Treaty]:
    return Treaty.objects.order_by("name", "pk")


def shared_sources() -> QuerySet[Source]:
    return Source.objects.order_by("name", "pk")


def actor_by_id(slug: str) -> Actor | None:
    return Actor.objects.filter(slug=slug).first()


def treaty_by_id(slug: str) -> Treaty | None:
    return Treaty.objects.filter(slug=slug).first()


def sources_by_id(slugs: list[str]) -> dict[str, Source]:
    """The sources of `slugs` that exist, by slug (one query)."""
    return {source.slug: source for source in Source.objects.filter(slug__in=slugs)}


def featured_actor(lesson: Lesson, slug: str) -> Actor | None:
    """The actor `slug` if the lesson features it, else None."""
    return lesson.actors.filter(slug=slug).first()


def featured_treaty(lesson: Lesson, slug: str) -> Treaty | None:
    return lesson.treaties.filter(slug=slug).first()


def lesson_claim_by_id(lesson: Lesson, key: str) -> Claim | None:
    """The claim `key` of the lesson's article, with what it points at, else None."""
    return lesson_claims(lesson).filter(key=key).first()


def featured_actors(lesson: Lesson) -> list[FeaturedActor]:
    """The actors the lesson features, by name, each with the lesson's own note (two queries)."""
    notes = {note.actor_id: note for note in lesson.actor_notes.all()}
    return [FeaturedActor(actor, notes.get(actor.pk)) for actor in lesson.actors.order_by("name", "pk")]


def featured_treaties(lesson: Lesson) -> list[FeaturedTreaty]:
    notes = {note.treaty_id: note for note in lesson.treaty_notes.all()}
    return [FeaturedTreaty(treaty, notes.get(treaty.pk)) for treaty in lesson.treaties.order_by("name", "pk")]
