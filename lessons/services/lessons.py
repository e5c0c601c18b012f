"""Writing lessons: import from a lesson document, export to one, and publish an immutable revision."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lessons.content_types import LessonContent, QuestionContent, SentenceContent
from lessons.models import (
    READING_AIDS,
    Actor,
    AidVisibility,
    AnswerKey,
    Article,
    Claim,
    ClaimSource,
    Lesson,
    LessonActorNote,
    LessonStatus,
    LessonTreatyNote,
    Option,
    OptionGroup,
    Question,
    Revision,
    RubricCriterion,
    Sentence,
    Source,
    Treaty,
    TreatyParty,
)

from . import locks
from .lesson_documents import (
    FORMAT_NAME,
    FORMAT_VERSION,
    OUTSIDE_FACT_FIELDS,
    ActorRecord,
    LessonDocument,
    LessonFileError,
    NearMissRecord,
    OptionRecord,
    QuestionRecord,
    RubricRecord,
    outside_facts_content,
    parse_lesson_document,
    question_content,
)


def dump_document(document: Mapping[str, Any]) -> str:
    """The canonical text of a lesson file: same document, same bytes."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def content_digest(document: Mapping[str, Any]) -> str:
    # Sorted keys: PostgreSQL's jsonb does not keep key order, and the digest must not depend on it.
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _refuse_unless_owner(lesson: Lesson, by: User | None) -> None:
    """Only a lesson's owner, a co-author or a superuser changes it (services.authoring). `by` is None where
    the system acts (the import_lesson and load_demo commands), which may change any lesson."""
    from .authoring import check_can_author  # authoring builds on this module's services

    if by is not None:
        check_can_author(user=by, lesson=lesson)


@dataclass(frozen=True)
class ImportConflict:
    """A shared record the file describes otherwise (DESIGN.md rule 10: reported, never overwritten).

    `for_lesson`: the file's value became what this lesson says (a role, a description, a treaty's status
    or summary); otherwise the lesson uses the shared record's value and the file's is set aside."""

    kind: str  # "actor", "treaty" or "source"
    id: str
    field: str
    shared: str
    in_file: str
    for_lesson: bool

    def __str__(self) -> str:
        if self.for_lesson:
            return (
                _(
                    "%(kind)s %(id)s: %(field)s is %(in_file)s in this lesson "
                    "(the shared record says %(shared)s)"
                )
                % self._words()
            )
        return (
            _(
                "%(kind)s %(id)s: %(field)s kept as the shared record says, %(shared)s "
                "(the file says %(in_file)s)"
            )
            % self._words()
        )

    def _words(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "id": self.id,
            "field": self.field,
            "shared": repr(self.shared)[:120],
            "in_file": repr(self.in_file)[:120],
        }


@dataclass(frozen=True)
class ImportResult:
    lesson: Lesson
    conflicts: list[ImportConflict]


def lesson_import(*, data: Any, replace: bool = False, by: User | None = None) -> Lesson:
    """`lesson_import_reporting`'s lesson, for callers that need no list of conflicts."""
    return lesson_import_reporting(data=data, replace=replace, by=by).lesson


@transaction.atomic
def lesson_import_reporting(
    *, data: Any, replace: bool = False, by: User | None = None, unfinished: bool = False
) -> ImportResult:
    """Create (or with `replace`, rewrite) a lesson from a lesson document, all or nothing.

    Shared sources, actors and treaties are matched by id. A new one is created; an existing one is never
    changed by a file (a lesson never silently changes another lesson): where the file says otherwise, an
    actor's role or description and a treaty's status or summary become this lesson's own, anything else
    keeps the shared record's value, and each difference is reported as an ImportConflict. A published
    lesson whose content changed gets a new revision; earlier revisions, and every grade that points at
    them, stay as they were. A new lesson is `by`'s own; rewriting one is its authors' (NotAllowed, 404,
    for anyone else). Raises LessonFileError naming the bad field; nothing is written then.
    `unfinished` lets a draft's document lack its introduction and questions (a copy of a draft not yet
    written).
    """
    document = parse_lesson_document(data, unfinished=unfinished)
    existing = locks.lessons_for_update().filter(slug=document.lesson.slug).first()
    if existing is not None and not replace:
        raise LessonFileError(
            "lesson.slug", f"a lesson {document.lesson.slug!r} already exists (use replace)"
        )
    if existing is not None:
        _refuse_unless_owner(existing, by)

    conflicts: list[ImportConflict] = []
    actors, actor_notes = _save_actors(document, conflicts)
    sources = _save_sources(document, actors, conflicts)
    treaties, treaty_notes = _save_treaties(document, actors, conflicts)
    article = _save_article(document, sources, existing)
    sentences = {sentence.key: sentence for sentence in article.sentences.all()}
    claims = _save_claims(document, article, actors, sources, sentences)

    record = document.lesson
    lesson = existing or Lesson(slug=record.slug, owner=by)
    lesson.title = record.title
    lesson.article = article
    lesson.introduction = record.introduction
    lesson.sourcing_note = record.sourcing_note
    for aid in READING_AIDS:
        setattr(lesson, f"aid_{aid}", record.reading_aids.get(aid, AidVisibility.AFTER_DEPENDENT))
    lesson.objectives = record.objectives
    lesson.level = record.level
    lesson.estimated_minutes = record.estimated_minutes
    lesson.visibility = record.visibility
    lesson.language = record.language
    if record.status == LessonStatus.DRAFT:
        lesson.status = LessonStatus.DRAFT
        lesson.published_revision = None
    lesson.save()
    lesson.actors.set([actors[actor_id] for actor_id in record.actors])
    lesson.treaties.set([treaties[treaty_id] for treaty_id in record.treaties])
    lesson.actor_notes.all().delete()
    LessonActorNote.objects.bulk_create(
        LessonActorNote(lesson=lesson, actor=actors[slug], role=role, description=description)
        for slug, (role, description) in actor_notes.items()
    )
    lesson.treaty_notes.all().delete()
    LessonTreatyNote.objects.bulk_create(
        LessonTreatyNote(lesson=lesson, treaty=treaties[slug], status=status, summary=summary)
        for slug, (status, summary) in treaty_notes.items()
    )
    lesson.questions.all().delete()
    _save_questions(document, lesson, actors, treaties, claims, sentences)
    if existing is not None and existing.article_id != article.pk:
        _delete_if_orphaned(existing.article_id)
    if record.status == LessonStatus.PUBLISHED:
        lesson_publish(lesson=lesson, by=by)
    return ImportResult(lesson=lesson, conflicts=conflicts)


def _differs(
    conflicts: list[ImportConflict],
    kind: str,
    identifier: str,
    field: str,
    shared: Any,
    in_file: Any,
    *,
    for_lesson: bool = False,
) -> bool:
    """Whether the shared value and the file's differ; if they do, the difference is reported."""
    if shared == in_file:
        return False
    conflicts.append(
        ImportConflict(
            kind=kind,
            id=identifier,
            field=field,
            shared=shared if isinstance(shared, str) else json.dumps(shared, ensure_ascii=False),
            in_file=in_file if isinstance(in_file, str) else json.dumps(in_file, ensure_ascii=False),
            for_lesson=for_lesson,
        )
    )
    return True


def _save_actors(
    document: LessonDocument, conflicts: list[ImportConflict]
) -> tuple[dict[str, Actor], dict[str, tuple[str | None, str | None]]]:
    """The document's actors, new ones created; and what this lesson says of a shared actor (role,
    description; None where it agrees with the shared record)."""
    existing = {
        actor.slug: actor
        for actor in Actor.objects.filter(slug__in=[a.id for a in document.actors]).select_related(
            "affiliation"
        )
    }
    actors: dict[str, Actor] = {}
    notes: dict[str, tuple[str | None, str | None]] = {}
    created: list[ActorRecord] = []
    for record in document.actors:
        actor = existing.get(record.id)
        if actor is None:
            actor = Actor.objects.create(
                slug=record.id,
                name=record.name,
                kind=record.kind,
                aliases=record.aliases,
                role=record.role,
                description=record.description,
                outside_facts=outside_facts_content(record.outside_facts),
            )
            created.append(record)
        else:
            for field, shared, in_file in (
                ("name", actor.name, record.name),
                ("kind", actor.kind, record.kind),
                ("aliases", list(actor.aliases), record.aliases),
                ("affiliation", actor.affiliation.slug if actor.affiliation else None, record.affiliation),
                ("outside_facts", actor.outside_facts, outside_facts_content(record.outside_facts)),
            ):
                _differs(conflicts, "actor", record.id, field, shared, in_file)
            role = (
                record.role
                if _differs(conflicts, "actor", record.id, "role", actor.role, record.role, for_lesson=True)
                else None
            )
            description = (
                record.description
                if _differs(
                    conflicts,
                    "actor",
                    record.id,
                    "description",
                    actor.description,
                    record.description,
                    for_lesson=True,
                )
                else None
            )
            if role is not None or description is not None:
                notes[record.id] = (role, description)
        actors[record.id] = actor
    # Affiliations point at each other, so they are linked once every actor exists (new actors only).
    for record in created:
        if record.affiliation:
            actor = actors[record.id]
            actor.affiliation = actors[record.affiliation]
            actor.save(update_fields=["affiliation"])
    return actors, notes


def _save_sources(
    document: LessonDocument, actors: dict[str, Actor], conflicts: list[ImportConflict]
) -> dict[str, Source]:
    sources = {
        source.slug: source
        for source in Source.objects.filter(slug__in=[s.id for s in document.sources]).select_related("actor")
    }
    for record in document.sources:
        source = sources.get(record.id)
        if source is None:
            sources[record.id] = Source.objects.create(
                slug=record.id,
                name=record.name,
                kind=record.kind,
                url=record.url,
                actor=actors[record.actor] if record.actor else None,
                description=record.description,
            )
            continue
        for field, shared, in_file in (
            ("name", source.name, record.name),
            ("kind", source.kind, record.kind),
            ("url", source.url, record.url),
            ("actor", source.actor.slug if source.actor else None, record.actor),
            ("description", source.description, record.description),
        ):
            _differs(conflicts, "source", record.id, field, shared, in_file)
    return sources


def _save_treaties(
    document: LessonDocument, actors: dict[str, Actor], conflicts: list[ImportConflict]
) -> tuple[dict[str, Treaty], dict[str, tuple[str | None, str | None]]]:
    """The document's treaties, new ones created with their parties; and what this lesson says of a shared
    treaty (status, summary; None where it agrees with the shared record)."""
    treaties = {
        treaty.slug: treaty
        for treaty in Treaty.objects.filter(slug__in=[t.id for t in document.treaties]).prefetch_related(
            Prefetch("party_links", queryset=TreatyParty.objects.select_related("actor").order_by("position"))
        )
    }
    notes: dict[str, tuple[str | None, str | None]] = {}
    for record in document.treaties:
        treaty = treaties.get(record.id)
        if treaty is None:
            treaty = Treaty.objects.create(
                slug=record.id,
                name=record.name,
                kind=record.kind,
                signed_on=record.signed_on,
                status=record.status,
                summary=record.summary,
                outside_facts=outside_facts_content(record.outside_facts),
            )
            TreatyParty.objects.bulk_create(
                TreatyParty(
                    treaty=treaty,
                    actor=actors[party.actor],
                    position=position,
                    ratification=party.ratification,
                    ratified_on=party.ratified_on,
                )
                for position, party in enumerate(record.parties)
            )
            treaties[record.id] = treaty
            continue
        shared_parties = [
            {"actor": link.actor.slug, "ratification": link.ratification, "ratified_on": link.ratified_on}
            for link in treaty.party_links.all()
        ]
        file_parties = [
            {"actor": party.actor, "ratification": party.ratification, "ratified_on": party.ratified_on}
            for party in record.parties
        ]
        for field, shared, in_file in (
            ("name", treaty.name, record.name),
            ("kind", treaty.kind, record.kind),
            ("signed_on", treaty.signed_on, record.signed_on),
            ("parties", shared_parties, file_parties),
            ("outside_facts", treaty.outside_facts, outside_facts_content(record.outside_facts)),
        ):
            _differs(conflicts, "treaty", record.id, field, shared, in_file)
        status = (
            record.status
            if _differs(
                conflicts, "treaty", record.id, "status", treaty.status, record.status, for_lesson=True
            )
            else None
        )
        summary = (
            record.summary
            if _differs(
                conflicts, "treaty", record.id, "summary", treaty.summary, record.summary, for_lesson=True
            )
            else None
        )
        if status is not None or summary is not None:
            notes[record.id] = (status, summary)
    return treaties, notes


def _save_article(document: LessonDocument, sources: dict[str, Source], existing: Lesson | None) -> Article:
    record = document.article
    article: Article | None = None
    if existing is not None and not Lesson.objects.filter(article_id=existing.article_id).exclude(
        pk=existing.pk
    ):
        # The article is this lesson's alone: rewrite it in place.
        article = existing.article
        article.claims.all().delete()
        article.sentences.all().delete()
    article = article or Article()
    article.headline = record.headline
    article.source = sources[record.source]
    article.published_on = record.published_on
    article.url = record.url
    article.original_headline = record.original_headline
    article.rests_on = record.rests_on
    article.save()
    article.cites.set([sources[source_id] for source_id in record.cites])
    Sentence.objects.bulk_create(
        Sentence(
            article=article,
            key=sentence.id,
            paragraph=paragraph_number,
            position=position,
            text=sentence.text,
        )
        for position, (paragraph_number, sentence) in enumerate(
            (number, sentence)
            for number, paragraph in enumerate(record.paragraphs, start=1)
            for sentence in paragraph
        )
    )
    return article


def _delete_if_orphaned(article_id: int) -> None:
    if not Lesson.objects.filter(article_id=article_id).exists():
        Article.objects.filter(pk=article_id).delete()


def _save_claims(
    document: LessonDocument,
    article: Article,
    actors: dict[str, Actor],
    sources: dict[str, Source],
    sentences: dict[str, Sentence],
) -> dict[str, Claim]:
    created = Claim.objects.bulk_create(
        Claim(
            article=article,
            key=record.id,
            statement=record.statement,
            asserted_by=actors[record.asserted_by] if record.asserted_by else None,
            standing=record.standing,
            note=record.note,
        )
        for record in document.claims
    )
    claims = {claim.key: claim for claim in created}
    Claim.evidence.through.objects.bulk_create(
        Claim.evidence.through(claim_id=claims[record.id].pk, sentence_id=sentences[sentence_id].pk)
        for record in document.claims
        for sentence_id in record.evidence
    )
    ClaimSource.objects.bulk_create(
        ClaimSource(claim=claims[record.id], source=sources[source_id], position=position)
        for record in document.claims
        for position, source_id in enumerate(record.via)
    )
    Claim.counter_claims.through.objects.bulk_create(
        Claim.counter_claims.through(from_claim_id=claims[record.id].pk, to_claim_id=claims[other].pk)
        for record in document.claims
        for other in record.counter_claims
    )
    return claims


def _save_questions(
    document: LessonDocument,
    lesson: Lesson,
    actors: dict[str, Actor],
    treaties: dict[str, Treaty],
    claims: dict[str, Claim],
    sentences: dict[str, Sentence],
) -> None:
    """All questions, their links, options, keys and rubrics in a fixed number of bulk inserts."""
    records = document.questions
    questions = Question.objects.bulk_create(
        Question(
            lesson=lesson,
            key=record.id,
            position=position,
            kind=record.kind,
            focus=record.focus,
            prompt=record.prompt,
            points=record.points,
            evidence_part=record.evidence_part,
        )
        for position, record in enumerate(records)
    )
    pairs = list(zip(questions, records, strict=True))
    Question.actors.through.objects.bulk_create(
        Question.actors.through(question_id=q.pk, actor_id=actors[actor_id].pk)
        for q, record in pairs
        for actor_id in record.actors
    )
    Question.treaties.through.objects.bulk_create(
        Question.treaties.through(question_id=q.pk, treaty_id=treaties[treaty_id].pk)
        for q, record in pairs
        for treaty_id in record.treaties
    )
    Question.claims.through.objects.bulk_create(
        Question.claims.through(question_id=q.pk, claim_id=claims[claim_id].pk)
        for q, record in pairs
        for claim_id in record.claims
    )
    Question.evidence.through.objects.bulk_create(
        Question.evidence.through(question_id=q.pk, sentence_id=sentences[sentence_id].pk)
        for q, record in pairs
        for sentence_id in record.evidence
    )
    Option.objects.bulk_create(
        Option(question=q, key=option.id, group=option.group, position=option_position, text=option.text)
        for q, record in pairs
        for option_position, option in enumerate(record.options + record.items)
    )
    AnswerKey.objects.bulk_create(
        AnswerKey(
            question=q,
            explanation=record.explanation,
            correct=record.correct,
            option_feedback=record.option_feedback,
            accepted=record.accepted,
            typo_tolerance=record.typo_tolerance,
            near_misses=[{"text": miss.text, "feedback": miss.feedback} for miss in record.near_misses],
            model_answer=record.model_answer,
        )
        for q, record in pairs
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(
            question=q,
            key=criterion.id,
            position=criterion_position,
            criterion=criterion.criterion,
            points=criterion.points,
        )
        for q, record in pairs
        for criterion_position, criterion in enumerate(record.rubric)
    )


@transaction.atomic
def lesson_publish(*, lesson: Lesson, by: User | None = None) -> Revision:
    """Freeze the lesson as it is now into a new revision and make it the published one.

    Locks the lesson row so two publishes cannot take the same revision number. Publishing unchanged
    content returns the current revision instead of making a copy. Raises LessonFileError when the lesson
    as edited (in the admin, say) does not form a valid lesson, NotAllowed (404) when `by` is neither its
    owner nor a superuser (None: the system publishes).
    """
    given = lesson
    lesson = locks.lessons_for_update().get(pk=given.pk)
    _refuse_unless_owner(lesson, by)
    document = lesson_document(lesson, status=LessonStatus.PUBLISHED)
    parse_lesson_document(document)  # an edited lesson must still be a whole, valid lesson
    digest = content_digest(document)
    latest = lesson.revisions.order_by("-number").first()
    if latest is not None and latest.content_sha256 == digest:
        revision = latest
    else:
        revision = Revision.objects.create(
            lesson=lesson,
            number=(latest.number + 1) if latest else 1,
            content=document,
            content_sha256=digest,
            published_by=by,
        )
    lesson.status = LessonStatus.PUBLISHED
    lesson.published_revision = revision
    lesson.save(update_fields=["status", "published_revision", "updated_at"])
    given.status, given.published_revision, given.updated_at = lesson.status, revision, lesson.updated_at
    return revision


def _actor_closure(seed: set[int]) -> dict[int, Actor]:
    """The actors in `seed` and every actor their affiliations lead to."""
    found: dict[int, Actor] = {}
    wanted = set(seed)
    while wanted:
        batch = list(Actor.objects.filter(pk__in=wanted))
        found.update({actor.pk: actor for actor in batch})
        wanted = {actor.affiliation_id for actor in batch if actor.affiliation_id} - set(found)
    return found


def with_outside_facts(record: dict[str, Any], facts: list[dict[str, str]]) -> Any:
    """An actor or treaty of a document, with its outside facts last when it has any (the field is
    optional: a file without them stays as it was written)."""
    if facts:
        # In the format's key order: PostgreSQL's jsonb does not keep the order they were stored in.
        record["outside_facts"] = [{key: fact[key] for key in OUTSIDE_FACT_FIELDS} for fact in facts]
    return record


def _noted(note: Any, field: str, shared: str) -> str:
    """The lesson's own value of `field` where its note gives one, else the shared record's."""
    value = getattr(note, field, None) if note is not None else None
    return shared if value is None else str(value)


def lesson_document(lesson: Lesson, *, status: str | None = None) -> LessonContent:
    """The lesson in the lesson file format, in canonical order: export and revisions both use this."""
    article = Article.objects.select_related("source").prefetch_related("cites").get(pk=lesson.article_id)
    sentences = list(article.sentences.order_by("position"))
    sentence_order = {sentence.pk: sentence.position for sentence in sentences}
    claims = list(
        article.claims.order_by("pk")
        .select_related("asserted_by")
        .prefetch_related(
            Prefetch(
                "source_chain", queryset=ClaimSource.objects.select_related("source").order_by("position")
            ),
            "evidence",
            "counter_claims",
        )
    )
    questions = list(
        lesson.questions.order_by("position")
        .select_related("answer_key")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position")),
            Prefetch("rubric", queryset=RubricCriterion.objects.order_by("position")),
            "actors",
            "treaties",
            "claims",
            "evidence",
        )
    )
    lesson_actors = list(lesson.actors.all())
    treaties = {treaty.pk: treaty for treaty in lesson.treaties.all()}
    for question in questions:
        treaties.update({treaty.pk: treaty for treaty in question.treaties.all()})
    parties = defaultdict(list)
    for party in TreatyParty.objects.filter(treaty__in=treaties).select_related("actor").order_by("position"):
        parties[party.treaty_id].append(party)

    sources = {article.source.pk: article.source}
    sources.update({source.pk: source for source in article.cites.all()})
    for claim in claims:
        sources.update({link.source.pk: link.source for link in claim.source_chain.all()})

    actor_seed = {actor.pk for actor in lesson_actors}
    actor_seed |= {claim.asserted_by_id for claim in claims if claim.asserted_by_id}
    actor_seed |= {source.actor_id for source in sources.values() if source.actor_id}
    actor_seed |= {party.actor_id for treaty_parties in parties.values() for party in treaty_parties}
    for question in questions:
        actor_seed |= {actor.pk for actor in question.actors.all()}
    actors = _actor_closure(actor_seed)
    # What this lesson says of a shared actor or treaty, in place of the shared record's value.
    actor_notes = {note.actor_id: note for note in lesson.actor_notes.all()}
    treaty_notes = {note.treaty_id: note for note in lesson.treaty_notes.all()}
    slug_of_actor = {pk: actor.slug for pk, actor in actors.items()}
    key_of_claim = {claim.pk: claim.key for claim in claims}

    def in_article_order(linked: Any) -> list[str]:
        return [sentence.key for sentence in sorted(linked, key=lambda sentence: sentence_order[sentence.pk])]

    paragraphs: list[list[SentenceContent]] = []
    for sentence in sentences:
        while len(paragraphs) < sentence.paragraph:
            paragraphs.append([])
        paragraphs[sentence.paragraph - 1].append({"id": sentence.key, "text": sentence.text})

    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "lesson": {
            "slug": lesson.slug,
            "title": lesson.title,
            "introduction": lesson.introduction,
            "sourcing_note": lesson.sourcing_note,
            "objectives": list(lesson.objectives),
            "level": lesson.level,
            "estimated_minutes": lesson.estimated_minutes,
            "status": status or lesson.status,
            "visibility": lesson.visibility,
            "language": lesson.language,
            "reading_aids": {
                "sourcing_note": lesson.aid_sourcing_note,
                "provenance": lesson.aid_provenance,
                "actor_cards": lesson.aid_actor_cards,
                "treaty_cards": lesson.aid_treaty_cards,
            },
            "actors": sorted(actor.slug for actor in lesson_actors),
            "treaties": sorted(treaty.slug for treaty in lesson.treaties.all()),
        },
        "sources": [
            {
                "id": source.slug,
                "name": source.name,
                "kind": source.kind,
                "url": source.url,
                "actor": slug_of_actor.get(source.actor_id) if source.actor_id else None,
                "description": source.description,
            }
            for source in sorted(sources.values(), key=lambda source: source.slug)
        ],
        "actors": [
            with_outside_facts(
                {
                    "id": actor.slug,
                    "name": actor.name,
                    "kind": actor.kind,
                    "aliases": list(actor.aliases),
                    "role": _noted(actor_notes.get(actor.pk), "role", actor.role),
                    "affiliation": slug_of_actor[actor.affiliation_id] if actor.affiliation_id else None,
                    "description": _noted(actor_notes.get(actor.pk), "description", actor.description),
                },
                actor.outside_facts,
            )
            for actor in sorted(actors.values(), key=lambda actor: actor.slug)
        ],
        "treaties": [
            with_outside_facts(
                {
                    "id": treaty.slug,
                    "name": treaty.name,
                    "kind": treaty.kind,
                    "signed_on": treaty.signed_on,
                    "status": _noted(treaty_notes.get(treaty.pk), "status", treaty.status),
                    "summary": _noted(treaty_notes.get(treaty.pk), "summary", treaty.summary),
                    "parties": [
                        {
                            "actor": slug_of_actor[party.actor_id],
                            "ratification": party.ratification,
                            "ratified_on": party.ratified_on,
                        }
                        for party in parties[treaty.pk]
                    ],
                },
                treaty.outside_facts,
            )
            for treaty in sorted(treaties.values(), key=lambda treaty: treaty.slug)
        ],
        "article": {
            "headline": article.headline,
            "source": article.source.slug,
            "published_on": article.published_on,
            "url": article.url,
            "original_headline": article.original_headline,
            "rests_on": article.rests_on,
            "cites": sorted(source.slug for source in article.cites.all()),
            "paragraphs": paragraphs,
        },
        "claims": [
            {
                "id": claim.key,
                "statement": claim.statement,
                "asserted_by": slug_of_actor[claim.asserted_by_id] if claim.asserted_by_id else None,
                "via": [link.source.slug for link in claim.source_chain.all()],
                "standing": claim.standing,
                "evidence": in_article_order(claim.evidence.all()),
                "counter_claims": sorted(key_of_claim[other.pk] for other in claim.counter_claims.all()),
                "note": claim.note,
            }
            for claim in claims
        ],
        "questions": [_question_document(question, in_article_order) for question in questions],
    }


def _question_document(question: Question, in_article_order: Any) -> QuestionContent:
    """A question as its lesson file holds it, written by the one writer of question objects."""
    key = question.answer_key
    options = [option for option in question.options.all() if option.group != OptionGroup.ITEM]
    items = [option for option in question.options.all() if option.group == OptionGroup.ITEM]
    record = QuestionRecord(
        id=question.key,
        kind=question.kind,
        focus=question.focus,
        prompt=question.prompt,
        points=question.points,
        actors=sorted(actor.slug for actor in question.actors.all()),
        treaties=sorted(treaty.slug for treaty in question.treaties.all()),
        claims=sorted(claim.key for claim in question.claims.all()),
        evidence=in_article_order(question.evidence.all()),
        options=[OptionRecord(id=o.key, text=o.text, group=o.group) for o in options],
        items=[OptionRecord(id=item.key, text=item.text, group=item.group) for item in items],
        evidence_part=question.evidence_part,
        explanation=key.explanation,
        correct=key.correct,
        option_feedback=dict(key.option_feedback),
        accepted=list(key.accepted),
        typo_tolerance=key.typo_tolerance,
        model_answer=key.model_answer,
        near_misses=[NearMissRecord(miss["text"], miss["feedback"]) for miss in key.near_misses],
        rubric=[
            RubricRecord(id=criterion.key, criterion=criterion.criterion, points=criterion.points)
            for criterion in question.rubric.all()
        ],
    )
    return question_content(record)


__all__ = [
    "LessonFileError",
    "content_digest",
    "dump_document",
    "lesson_document",
    "lesson_import",
    "lesson_publish",
    "question_content",
]
