"""Reading aids: the lesson's sourcing note, the article's provenance line, the actor cards ("Who is who")
and the treaty cards, and when each appears to a student (DESIGN.md rule 9).

An aid can hold a question's answer (a card gives an actor's role; the sourcing note says what is only
reported), so each appears when its teacher chose: from the start, once the questions that depend on it
are answered, or after finishing. The lesson chooses (`lesson.reading_aids` of its file); an assignment may
choose otherwise for its class, aid by aid.

Which questions depend on an aid comes from the links questions carry, card by card:
- an actor's card: the questions linking the actor, and those linking a claim the actor asserts or whose
  chain of sources runs through the actor;
- a treaty's card: the questions linking the treaty;
- the sourcing note and the provenance line: the sourcing questions, and every question linking a claim.

"Answered" means the question's feedback (its key) is already on the student's page: a card those keys
have given away hands out nothing more. A finished attempt has no open question left, so every aid shown
"once its questions are answered" appears then too. An aid no question depends on needs no waiting.

Everything here is pure: it reads a revision's content and fields already loaded, never the database.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from lessons.content_types import LessonContent, LessonInfoContent
from lessons.models import READING_AIDS, AidVisibility, Assignment, Focus

from .lessons import Provenance, provenance_of

AidChoices = Mapping[str, str]  # an aid of READING_AIDS → an AidVisibility value


def lesson_aid_choices(lesson: LessonInfoContent) -> dict[str, str]:
    """When the lesson shows each aid; a lesson that says nothing (a revision frozen before aids had a
    timing, a file without `reading_aids`) shows each once its questions are answered."""
    given: Mapping[str, str] = lesson.get("reading_aids") or {}  # type: ignore[assignment]
    return {aid: given.get(aid, AidVisibility.AFTER_DEPENDENT.value) for aid in READING_AIDS}


def aid_choices(document: LessonContent, assignment: Assignment | None = None) -> dict[str, str]:
    """The lesson's choices, each replaced by the assignment's where its teacher made one."""
    choices = lesson_aid_choices(document["lesson"])
    if assignment is not None:
        for aid in READING_AIDS:
            chosen = getattr(assignment, f"aid_{aid}")
            if chosen:
                choices[aid] = chosen
    return choices


@dataclass(frozen=True)
class AidDependents:
    """The questions (by id) whose answers each aid could give away."""

    sourcing: frozenset[str]  # the sourcing note's and the provenance line's
    actors: Mapping[str, frozenset[str]]  # by actor id
    treaties: Mapping[str, frozenset[str]]  # by treaty id


def aid_dependents(document: LessonContent) -> AidDependents:
    sources_actor = {source["id"]: source["actor"] for source in document["sources"]}
    claim_actors: dict[str, set[str]] = {}
    for claim in document["claims"]:
        involved = {sources_actor.get(source) for source in claim["via"]} | {claim["asserted_by"]}
        claim_actors[claim["id"]] = {actor for actor in involved if actor}
    sourcing: set[str] = set()
    actors: dict[str, set[str]] = {}
    treaties: dict[str, set[str]] = {}
    for question in document["questions"]:
        key = question["id"]
        if question["focus"] == Focus.SOURCING or question["claims"]:
            sourcing.add(key)
        linked = set(question["actors"])
        for claim_id in question["claims"]:
            linked |= claim_actors.get(claim_id, set())
        for actor in linked:
            actors.setdefault(actor, set()).add(key)
        for treaty in question["treaties"]:
            treaties.setdefault(treaty, set()).add(key)
    return AidDependents(
        sourcing=frozenset(sourcing),
        actors={actor: frozenset(keys) for actor, keys in actors.items()},
        treaties={treaty: frozenset(keys) for treaty, keys in treaties.items()},
    )


def aid_shown(
    visibility: str, dependents: Collection[str], *, answered: Collection[str], finished: bool
) -> bool:
    """The one rule of when an aid appears: `dependents` are the questions it could answer, `answered`
    those whose feedback the student already sees, `finished` whether their attempt is handed in."""
    if visibility == AidVisibility.START or finished:
        return True
    if visibility == AidVisibility.AFTER_FINISH:
        return False
    return all(key in answered for key in dependents)


@dataclass(frozen=True)
class AidCard:
    """An actor's or a treaty's card; a card not shown yet shows its name and when it will appear."""

    id: str
    entity: Mapping[str, Any]  # the ActorContent or TreatyContent
    shown: bool
    visibility: str


@dataclass(frozen=True)
class ReadingAids:
    """Every aid of a lesson as one student's page shows it now."""

    choices: AidChoices
    provenance: Provenance  # what the provenance line says (false when the record says nothing)
    language: str  # the lesson's content language, for the aids' lang attributes
    sourcing_note: str  # Markdown; "" when the lesson has none
    sourcing_note_shown: bool
    provenance_shown: bool
    actor_cards: list[AidCard]
    treaty_cards: list[AidCard]
    actors_by_id: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # featured, for links

    @property
    def shown_actor_ids(self) -> set[str]:
        return {card.id for card in self.actor_cards if card.shown}

    def revealed_since(self, before: ReadingAids) -> RevealedAids:
        """What is shown now and was not in `before`: what an answer's response adds to the page."""
        was_shown = {card.id for card in before.actor_cards if card.shown}
        treaty_was_shown = {card.id for card in before.treaty_cards if card.shown}
        return RevealedAids(
            now=self,
            sourcing_note=bool(self.sourcing_note)
            and self.sourcing_note_shown
            and not before.sourcing_note_shown,
            provenance=self.provenance_shown and not before.provenance_shown,
            actor_cards=[card for card in self.actor_cards if card.shown and card.id not in was_shown],
            treaty_cards=[
                card for card in self.treaty_cards if card.shown and card.id not in treaty_was_shown
            ],
        )


@dataclass(frozen=True)
class RevealedAids:
    now: ReadingAids  # the aids as the page shows them with the new feedback
    sourcing_note: bool
    provenance: bool
    actor_cards: list[AidCard]
    treaty_cards: list[AidCard]

    def __bool__(self) -> bool:
        return self.sourcing_note or self.provenance or bool(self.actor_cards) or bool(self.treaty_cards)


def reading_aids(
    document: LessonContent, choices: AidChoices, *, answered: Collection[str], finished: bool
) -> ReadingAids:
    """The lesson's aids for a student whose page shows the feedback of `answered` (question ids)."""
    dependents = aid_dependents(document)
    lesson = document["lesson"]
    featured_actors = set(lesson["actors"])
    featured_treaties = set(lesson["treaties"])
    answered = set(answered)

    def shown(aid: str, on: Collection[str]) -> bool:
        return aid_shown(choices[aid], on, answered=answered, finished=finished)

    actors = [actor for actor in document["actors"] if actor["id"] in featured_actors]
    treaties = [treaty for treaty in document["treaties"] if treaty["id"] in featured_treaties]
    return ReadingAids(
        choices=choices,
        provenance=provenance_of(document["article"], document["sources"]),
        language=lesson.get("language", "en"),
        sourcing_note=lesson.get("sourcing_note", ""),
        sourcing_note_shown=shown("sourcing_note", dependents.sourcing),
        provenance_shown=shown("provenance", dependents.sourcing),
        actor_cards=[
            AidCard(
                actor["id"],
                actor,
                shown("actor_cards", dependents.actors.get(actor["id"], ())),
                choices["actor_cards"],
            )
            for actor in actors
        ],
        treaty_cards=[
            AidCard(
                treaty["id"],
                treaty,
                shown("treaty_cards", dependents.treaties.get(treaty["id"], ())),
                choices["treaty_cards"],
            )
            for treaty in treaties
        ],
        actors_by_id={actor["id"]: actor for actor in actors},
    )


def aids_revealed_by_answer(
    document: LessonContent, choices: AidChoices, *, answered: Collection[str], question_key: str
) -> RevealedAids:
    """The aids the feedback of `question_key` (now among `answered`) brings onto an open attempt's page."""
    after = reading_aids(document, choices, answered=answered, finished=False)
    before = reading_aids(document, choices, answered=set(answered) - {question_key}, finished=False)
    return after.revealed_since(before)


def lesson_page_aids(document: LessonContent) -> ReadingAids:
    """The aids of a lesson's own page, before any attempt: only those shown from the start, or those no
    question depends on."""
    return reading_aids(document, lesson_aid_choices(document["lesson"]), answered=(), finished=False)
