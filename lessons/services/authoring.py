"""Authoring a lesson in the studio: who may, and every change a teacher makes to a lesson's rows.

The draft of a lesson is its rows (Lesson, Article and Sentence, Claim, Question…); publishing
(services.lessons.lesson_publish) freezes them into a revision. Every service here takes the lesson row's
lock (services.locks, order 1), checks `check_can_author` inside its transaction, and raises NotAllowed (404
for a view) or InvalidInput (a form error naming its field) with nothing changed.

Shared actors, treaties and sources are never changed from a lesson (DESIGN.md rule 10): what a lesson says
of one (an actor's role at the time, a treaty's status) is the lesson's own note; a new record may be
created, and the shared one is edited only in the admin by a site administrator.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lessons.models import (
    READING_AIDS,
    Actor,
    ActorKind,
    AidVisibility,
    Article,
    Claim,
    ClaimSource,
    Lesson,
    LessonActorNote,
    LessonStatus,
    LessonTreatyNote,
    Level,
    Question,
    Sentence,
    Source,
    SourceKind,
    Standing,
    Treaty,
    TreatyKind,
    TreatyStatus,
    Visibility,
)
from lessons.partial_dates import is_partial_date
from lessons.splitter import split_article, split_sentences

from . import locks
from .classroom import is_teacher
from .errors import InvalidInput, NotAllowed
from .lesson_documents import (
    MAX_FILE_BYTES,
    LessonFileError,
    LessonFileProblem,
    lesson_file_problems,
    load_lesson_json,
)
from .lessons import ImportResult, lesson_document, lesson_import_reporting

SLUG_LENGTH = 100
SIMILAR_ENOUGH = 0.6  # an edited sentence this close to the one it replaces keeps its id
MAX_ARTICLE_CHARACTERS = 60_000  # a pasted article, or its sentences, longer than this is refused
MAX_SOURCE_CHAIN = 3  # a claim is reported by a source, citing one, citing one in turn: no more
MAX_ESTIMATED_MINUTES = 600
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Z]{2}|[0-9]{3}))?$")


class ArticleShared(InvalidInput):
    """Another lesson is built on the same article: changing its text would change theirs (409)."""

    status = 409


class ClaimInUse(InvalidInput):
    """A question asks about the claim: it cannot go before the question changes (409)."""

    status = 409


def may_author(*, user: Any, lesson: Lesson) -> bool:
    """Whether `user` may change `lesson`: its owner, a co-author, or a superuser."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or (lesson.owner_id is not None and lesson.owner_id == user.pk):
        return True
    return lesson.co_authors.filter(pk=user.pk).exists()


def check_can_author(*, user: Any, lesson: Lesson) -> None:
    """Raise NotAllowed (404) unless `user` owns or co-authors `lesson` or is a superuser."""
    if not may_author(user=user, lesson=lesson):
        raise NotAllowed(_("Only the owner or a co-author of this lesson may change it."))


def _refuse_unless_teacher(user: Any) -> None:
    if not (getattr(user, "is_superuser", False) or is_teacher(user)):
        raise NotAllowed(_("Only teachers write lessons."))


def _locked(lesson: Lesson, by: Any) -> Lesson:
    """The lesson's row, locked, once `by` is known to author it."""
    locked = locks.lessons_for_update().select_related("article").filter(pk=lesson.pk).first()
    if locked is None:
        raise NotAllowed(_("No such lesson."))
    check_can_author(user=by, lesson=locked)
    return locked


def _touch(lesson: Lesson) -> None:
    lesson.save(update_fields=["updated_at"])


def unique_lesson_slug(text: str) -> str:
    """A lesson id made from `text` that no lesson has yet: "water-talks", else "water-talks-2"…"""
    base = slugify(text)[: SLUG_LENGTH - 4].strip("-") or "lesson"
    taken = set(Lesson.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _unique_slug(model: type[Actor] | type[Treaty] | type[Source], text: str) -> str:
    base = slugify(text)[:74].strip("-") or model.__name__.lower()
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# ---- the article ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleDetails:
    """What a teacher says of the article a lesson is built on."""

    headline: str
    source: Source | None  # the publisher, if already known
    new_source_name: str  # else a new publisher by this name
    published_on: str  # a partial date (lessons.partial_dates) or ""
    url: str
    original_headline: str  # the report this article retells; "" for original reporting
    rests_on: str


def article_paragraphs(text: str) -> list[list[str]]:
    """A pasted article cut into paragraphs of sentences (lessons.splitter), as the studio's new lesson
    offers them to merge and split before the lesson is made."""
    return split_article(text)


def resplit_paragraphs(paragraphs: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each line of each paragraph split into sentences again (for text pasted as whole paragraphs)."""
    return [
        [sentence for line in paragraph for sentence in split_sentences(line)] for paragraph in paragraphs
    ]


def _check_paragraphs(paragraphs: Sequence[Sequence[str]]) -> list[list[str]]:
    cleaned = [[" ".join(text.split()) for text in paragraph if text.strip()] for paragraph in paragraphs]
    cleaned = [paragraph for paragraph in cleaned if paragraph]
    if not cleaned:
        raise InvalidInput(_("Paste the article's text: it has no sentence yet."), field="sentences")
    if sum(len(text) for paragraph in cleaned for text in paragraph) > MAX_ARTICLE_CHARACTERS:
        raise InvalidInput(
            _("The article is longer than %(count)s characters.") % {"count": MAX_ARTICLE_CHARACTERS},
            field="sentences",
        )
    return cleaned


def _publisher(details: ArticleDetails) -> Source:
    if details.source is not None:
        return details.source
    name = details.new_source_name.strip()
    if not name:
        raise InvalidInput(_("Choose the publisher or name a new one."), field="source")
    known = Source.objects.filter(name__iexact=name[:200]).order_by("pk").first()
    if known is not None:  # read, never changed: it is shared
        return known
    return Source.objects.create(slug=_unique_slug(Source, name), name=name[:200], kind=SourceKind.OUTLET)


def _apply_details(article: Article, details: ArticleDetails) -> None:
    if not details.headline.strip():
        raise InvalidInput(_("Give the article's headline."), field="headline")
    if details.published_on and not is_partial_date(details.published_on):
        raise InvalidInput(
            _("Give the date as YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD."), field="published_on"
        )
    article.headline = details.headline.strip()[:300]
    article.source = _publisher(details)
    article.published_on = details.published_on or None
    article.url = details.url.strip()
    article.original_headline = details.original_headline.strip()[:300]
    article.rests_on = details.rests_on.strip()[:300]


@transaction.atomic
def lesson_create_from_article(
    *, by: User, title: str, details: ArticleDetails, paragraphs: Sequence[Sequence[str]]
) -> Lesson:
    """A new draft lesson of `by`'s, private, on a new article split into `paragraphs` of sentences (ids
    p1s1, p1s2…). Its introduction and questions come next."""
    _refuse_unless_teacher(by)
    cleaned = _check_paragraphs(paragraphs)
    article = Article()
    _apply_details(article, details)
    article.save()
    Sentence.objects.bulk_create(
        Sentence(article=article, key=f"p{p}s{s}", paragraph=p, position=position, text=text)
        for position, (p, s, text) in enumerate(
            (p, s, text)
            for p, paragraph in enumerate(cleaned, start=1)
            for s, text in enumerate(paragraph, start=1)
        )
    )
    title = title.strip() or article.headline
    return Lesson.objects.create(
        slug=unique_lesson_slug(title),
        title=title[:200],
        article=article,
        introduction="",
        owner=by,
        status=LessonStatus.DRAFT,
        visibility=Visibility.PRIVATE,
    )


@dataclass(frozen=True)
class BrokenLink:
    """A link to a sentence the new text no longer has."""

    holder: str  # "Question 3 (q3)" or "Claim c-denial"
    field: str  # "evidence" or "answer key"
    sentence_id: str
    sentence_text: str

    def __str__(self) -> str:
        return _("%(holder)s, %(field)s: sentence %(id)s (“%(text)s”) is no longer in the article") % {
            "holder": self.holder,
            "field": self.field,
            "id": self.sentence_id,
            "text": self.sentence_text[:80],
        }


@dataclass(frozen=True)
class TextChange:
    kept: int
    added: int
    removed: int
    broken_links: list[BrokenLink]


def _mentions(value: Any, keys: set[str]) -> set[str]:
    """The sentence ids among `keys` that a key's JSON names anywhere."""
    if isinstance(value, str):
        return {value} & keys
    if isinstance(value, dict):
        return set().union(*(_mentions(item, keys) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_mentions(item, keys) for item in value)) if value else set()
    return set()


def _broken_links(lesson: Lesson, removed: dict[str, str]) -> list[BrokenLink]:
    """Every question, answer key and claim of `lesson` that points at one of the `removed` sentences."""
    gone = set(removed)
    links: list[BrokenLink] = []
    questions = (
        lesson.questions.order_by("position").select_related("answer_key").prefetch_related("evidence")
    )
    for number, question in enumerate(questions, start=1):
        holder = _("Question %(number)s (%(id)s)") % {"number": number, "id": question.key}
        for sentence in question.evidence.all():
            if sentence.key in gone:
                links.append(BrokenLink(holder, _("evidence"), sentence.key, removed[sentence.key]))
        key = getattr(question, "answer_key", None)
        if key is not None:
            for sentence_id in sorted(_mentions(key.correct, gone)):
                links.append(BrokenLink(holder, _("answer key"), sentence_id, removed[sentence_id]))
    for claim in lesson.article.claims.order_by("pk").prefetch_related("evidence"):
        holder = _("Claim %(id)s") % {"id": claim.key}
        for sentence in claim.evidence.all():
            if sentence.key in gone:
                links.append(BrokenLink(holder, _("evidence"), sentence.key, removed[sentence.key]))
    return links


def match_sentences(old: Sequence[tuple[str, str]], new: Sequence[Sequence[str]]) -> list[list[str | None]]:
    """For each new sentence (by paragraph), the id of the old sentence it keeps, or None for a new one.

    An unchanged sentence keeps its id wherever it moves within the run of the text; an edited one keeps the
    id of the sentence it replaces when they are at least SIMILAR_ENOUGH alike. Pure: `old` is (id, text)
    in article order."""
    flat = [text for paragraph in new for text in paragraph]
    old_texts = [text for _key, text in old]
    kept: list[str | None] = [None] * len(flat)
    matcher = difflib.SequenceMatcher(None, old_texts, flat, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                kept[j1 + offset] = old[i1 + offset][0]
        elif tag == "replace":
            for offset in range(min(i2 - i1, j2 - j1)):
                before, after = old_texts[i1 + offset], flat[j1 + offset]
                if difflib.SequenceMatcher(None, before, after).ratio() >= SIMILAR_ENOUGH:
                    kept[j1 + offset] = old[i1 + offset][0]
    result: list[list[str | None]] = []
    index = 0
    for paragraph in new:
        result.append(kept[index : index + len(paragraph)])
        index += len(paragraph)
    return result


def _new_key(p: int, s: int, taken: set[str]) -> str:
    key = f"p{p}s{s}"
    number = 2
    while key in taken:
        key = f"p{p}s{s}-{number}"
        number += 1
    taken.add(key)
    return key


@transaction.atomic
def article_update(
    *, lesson: Lesson, by: User, details: ArticleDetails, paragraphs: Sequence[Sequence[str]]
) -> TextChange:
    """Change the article's details and text. Unchanged sentences keep their ids (so evidence links and
    keys survive); the links to sentences that are gone are returned for the teacher to mend."""
    lesson = _locked(lesson, by)
    article = lesson.article
    if Lesson.objects.filter(article_id=article.pk).exclude(pk=lesson.pk).exists():
        raise ArticleShared(_("Another lesson uses this article; duplicate the lesson to change it."))
    cleaned = _check_paragraphs(paragraphs)
    _apply_details(article, details)
    article.save()

    old = list(article.sentences.order_by("position"))
    matches = match_sentences([(s.key, s.text) for s in old], cleaned)
    kept_keys = {key for paragraph in matches for key in paragraph if key is not None}
    removed = {s.key: s.text for s in old if s.key not in kept_keys}
    broken = _broken_links(lesson, removed)
    by_key = {s.key: s for s in old}
    article.sentences.filter(key__in=removed).delete()
    # Positions are unique in the article: move the kept rows out of the way before placing them.
    offset = max((s.position for s in old), default=0) + sum(len(p) for p in cleaned) + 1
    Sentence.objects.filter(article=article).update(position=F("position") + offset)
    taken = {s.key for s in old}  # a removed sentence's id is never given again: keys may still name it
    updated: list[Sentence] = []
    created: list[Sentence] = []
    position = 0
    for p, (paragraph, keys) in enumerate(zip(cleaned, matches, strict=True), start=1):
        for s, (text, key) in enumerate(zip(paragraph, keys, strict=True), start=1):
            if key is not None:
                sentence = by_key[key]
                sentence.paragraph, sentence.position, sentence.text = p, position, text
                updated.append(sentence)
            else:
                created.append(
                    Sentence(
                        article=article, key=_new_key(p, s, taken), paragraph=p, position=position, text=text
                    )
                )
            position += 1
    for sentence in updated:  # one at a time: a bulk update may meet the unique position half-way
        sentence.save(update_fields=["paragraph", "position", "text"])
    Sentence.objects.bulk_create(created)
    _touch(lesson)
    return TextChange(kept=len(updated), added=len(created), removed=len(removed), broken_links=broken)


# ---- settings, co-authors, duplicate, archive -----------------------------------------------------------


@dataclass(frozen=True)
class LessonSettings:
    title: str
    introduction: str
    sourcing_note: str
    objectives: list[str]
    level: str
    estimated_minutes: int
    language: str
    visibility: str
    reading_aids: dict[str, str]  # every aid of READING_AIDS → an AidVisibility value


@transaction.atomic
def lesson_update_settings(*, lesson: Lesson, by: User, settings: LessonSettings) -> Lesson:
    lesson = _locked(lesson, by)
    if not settings.title.strip():
        raise InvalidInput(_("Give the lesson a title."), field="title")
    if settings.level not in Level.values:
        raise InvalidInput(_("Choose the lesson's level."), field="level")
    if not 1 <= settings.estimated_minutes <= MAX_ESTIMATED_MINUTES:
        raise InvalidInput(
            _("Give the minutes as a number from 1 to %(most)s.") % {"most": MAX_ESTIMATED_MINUTES},
            field="estimated_minutes",
        )
    if not LANGUAGE_TAG.match(settings.language):
        raise InvalidInput(_("Give a language tag: en, es, pt-BR."), field="language")
    if settings.visibility not in Visibility.values:
        raise InvalidInput(_("Choose who sees the lesson."), field="visibility")
    for aid in READING_AIDS:
        if settings.reading_aids.get(aid) not in AidVisibility.values:
            raise InvalidInput(_("Choose when this reading aid is shown."), field=f"aid_{aid}")
    lesson.title = settings.title.strip()[:200]
    lesson.introduction = settings.introduction
    lesson.sourcing_note = settings.sourcing_note
    lesson.objectives = [objective.strip() for objective in settings.objectives if objective.strip()]
    lesson.level = settings.level
    lesson.estimated_minutes = settings.estimated_minutes
    lesson.language = settings.language
    lesson.visibility = settings.visibility
    for aid in READING_AIDS:
        setattr(lesson, f"aid_{aid}", settings.reading_aids[aid])
    lesson.full_clean(exclude=["article", "owner", "published_revision", "slug", "introduction"])
    lesson.save()
    return lesson


def _refuse_unless_owner(lesson: Lesson, by: Any) -> None:
    if not (getattr(by, "is_superuser", False) or lesson.owner_id == by.pk):
        raise NotAllowed(_("Only the lesson's owner chooses its co-authors."))


@transaction.atomic
def co_author_add(*, lesson: Lesson, by: User, username: str) -> User:
    """Let the teacher `username` edit the lesson too. Only its owner (or a superuser) may."""
    lesson = _locked(lesson, by)
    _refuse_unless_owner(lesson, by)
    user = User.objects.filter(username=username.strip()).first()
    if user is None or not is_teacher(user):
        raise InvalidInput(_("No teacher has that username."), field="username")
    if user.pk == lesson.owner_id:
        raise InvalidInput(_("The owner already edits this lesson."), field="username")
    lesson.co_authors.add(user)
    return user


@transaction.atomic
def co_author_remove(*, lesson: Lesson, by: User, user_id: int) -> None:
    lesson = _locked(lesson, by)
    _refuse_unless_owner(lesson, by)
    lesson.co_authors.remove(user_id)


@transaction.atomic
def lesson_duplicate(*, lesson: Lesson, by: User) -> ImportResult:
    """A copy of the lesson as it is now (its own article, claims and questions, what it says of shared
    actors and treaties), a private draft of `by`'s with a new id; a draft with no question yet too."""
    lesson = _locked(lesson, by)
    _refuse_unless_teacher(by)
    document: Any = lesson_document(lesson, status=LessonStatus.DRAFT)
    title = _("Copy of %(title)s") % {"title": lesson.title}
    document["lesson"].update(
        slug=unique_lesson_slug(f"{lesson.slug}-copy"), title=title[:200], visibility=Visibility.PRIVATE
    )
    try:
        return lesson_import_reporting(data=document, by=by, unfinished=True)
    except LessonFileError as error:  # a draft not yet whole (a claim without evidence…)
        raise InvalidInput(
            _("This draft cannot be copied until it is a whole lesson: %(problem)s") % {"problem": error}
        ) from None


@transaction.atomic
def lesson_archive(*, lesson: Lesson, by: User, archive: bool = True) -> Lesson:
    """Take the lesson out of the catalogue and the list of lessons to assign (or put it back). Its
    assignments keep their revision and keep working."""
    lesson = _locked(lesson, by)
    lesson.archived_at = timezone.now() if archive else None
    lesson.save(update_fields=["archived_at", "updated_at"])
    return lesson


# ---- actors and treaties ------------------------------------------------------------------------------


@transaction.atomic
def lesson_actor_add(*, lesson: Lesson, by: User, actor: Actor) -> None:
    lesson = _locked(lesson, by)
    lesson.actors.add(actor)
    _touch(lesson)


@transaction.atomic
def lesson_actor_create(
    *, lesson: Lesson, by: User, name: str, kind: str, role: str, aliases: Iterable[str], description: str
) -> Actor:
    """A new shared actor, featured in this lesson."""
    lesson = _locked(lesson, by)
    if not name.strip():
        raise InvalidInput(_("Give the actor's name."), field="name")
    if kind not in ActorKind.values:
        raise InvalidInput(_("Choose what kind of actor this is."), field="kind")
    actor = Actor.objects.create(
        slug=_unique_slug(Actor, name),
        name=name.strip()[:200],
        kind=kind,
        role=role.strip()[:200],
        aliases=[alias.strip() for alias in aliases if alias.strip()],
        description=description.strip(),
    )
    lesson.actors.add(actor)
    _touch(lesson)
    return actor


@transaction.atomic
def lesson_actor_remove(*, lesson: Lesson, by: User, actor: Actor) -> None:
    lesson = _locked(lesson, by)
    lesson.actors.remove(actor)
    lesson.actor_notes.filter(actor=actor).delete()
    _touch(lesson)


@transaction.atomic
def lesson_actor_note(*, lesson: Lesson, by: User, actor: Actor, role: str, description: str) -> None:
    """What this lesson says of `actor`: a role or description equal to the shared record's (or empty)
    keeps the shared one; the shared record itself never changes here."""
    lesson = _locked(lesson, by)
    own_role = role.strip() if role.strip() and role.strip() != actor.role else None
    own_description = (
        description.strip() if description.strip() and description.strip() != actor.description else None
    )
    lesson.actor_notes.filter(actor=actor).delete()
    if own_role is not None or own_description is not None:
        LessonActorNote.objects.create(
            lesson=lesson, actor=actor, role=own_role and own_role[:200], description=own_description
        )
    _touch(lesson)


@transaction.atomic
def lesson_treaty_add(*, lesson: Lesson, by: User, treaty: Treaty) -> None:
    lesson = _locked(lesson, by)
    lesson.treaties.add(treaty)
    _touch(lesson)


@transaction.atomic
def lesson_treaty_create(
    *, lesson: Lesson, by: User, name: str, kind: str, status: str, signed_on: str, summary: str
) -> Treaty:
    lesson = _locked(lesson, by)
    if not name.strip():
        raise InvalidInput(_("Give the agreement's name."), field="name")
    if kind not in TreatyKind.values:
        raise InvalidInput(_("Choose what kind of agreement this is."), field="kind")
    if status not in TreatyStatus.values:
        raise InvalidInput(_("Choose the agreement's status."), field="status")
    if signed_on and not is_partial_date(signed_on):
        raise InvalidInput(
            _("Give the date as YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD."), field="signed_on"
        )
    treaty = Treaty.objects.create(
        slug=_unique_slug(Treaty, name),
        name=name.strip()[:250],
        kind=kind,
        status=status,
        signed_on=signed_on or None,
        summary=summary.strip(),
    )
    lesson.treaties.add(treaty)
    _touch(lesson)
    return treaty


@transaction.atomic
def lesson_treaty_remove(*, lesson: Lesson, by: User, treaty: Treaty) -> None:
    lesson = _locked(lesson, by)
    lesson.treaties.remove(treaty)
    lesson.treaty_notes.filter(treaty=treaty).delete()
    _touch(lesson)


@transaction.atomic
def lesson_treaty_note(*, lesson: Lesson, by: User, treaty: Treaty, status: str, summary: str) -> None:
    lesson = _locked(lesson, by)
    if status and status not in TreatyStatus.values:
        raise InvalidInput(_("Choose the agreement's status."), field="status")
    own_status = status if status and status != treaty.status else None
    own_summary = summary.strip() if summary.strip() and summary.strip() != treaty.summary else None
    lesson.treaty_notes.filter(treaty=treaty).delete()
    if own_status is not None or own_summary is not None:
        LessonTreatyNote.objects.create(lesson=lesson, treaty=treaty, status=own_status, summary=own_summary)
    _touch(lesson)


# ---- claims -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimInput:
    statement: str
    asserted_by: Actor | None
    via: list[Source]  # the chain of sources, outermost first
    standing: str
    evidence: list[str]  # sentence ids of this lesson's article
    counter_claims: list[str]  # ids of this article's claims that deny or answer it
    note: str


@transaction.atomic
def claim_save(*, lesson: Lesson, by: User, claim_id: int | None, data: ClaimInput) -> Claim:
    """Create a claim of the lesson's article, or change one (`claim_id`)."""
    lesson = _locked(lesson, by)
    article = lesson.article
    if not data.statement.strip():
        raise InvalidInput(_("Write what the claim says."), field="statement")
    if data.standing not in Standing.values:
        raise InvalidInput(_("Choose the claim's standing."), field="standing")
    sentences = list(article.sentences.filter(key__in=data.evidence))
    if not data.evidence or len(sentences) != len(set(data.evidence)):
        raise InvalidInput(_("Select the sentences the claim rests on."), field="evidence")
    if len(data.via) > MAX_SOURCE_CHAIN:
        raise InvalidInput(
            _("A chain has at most %(most)s sources.") % {"most": MAX_SOURCE_CHAIN}, field="via"
        )
    if len({source.pk for source in data.via}) != len(data.via):
        raise InvalidInput(_("A source appears twice in the chain."), field="via")
    if claim_id is None:
        claim = Claim(article=article, key=_new_claim_key(article, data.statement))
    else:
        found = article.claims.filter(pk=claim_id).first()
        if found is None:
            raise NotAllowed(_("No such claim."))
        claim = found
    counters = list(article.claims.filter(key__in=data.counter_claims).exclude(pk=claim.pk))
    if len(counters) != len(set(data.counter_claims) - {claim.key}):
        raise InvalidInput(_("Choose claims of this article."), field="counter_claims")
    claim.statement = data.statement.strip()
    claim.asserted_by = data.asserted_by
    claim.standing = data.standing
    claim.note = data.note.strip()
    claim.save()
    claim.evidence.set(sentences)
    claim.counter_claims.set(counters)
    claim.source_chain.all().delete()
    ClaimSource.objects.bulk_create(
        ClaimSource(claim=claim, source=source, position=position) for position, source in enumerate(data.via)
    )
    _touch(lesson)
    return claim


def _new_claim_key(article: Article, statement: str) -> str:
    base = "c-" + (slugify(" ".join(statement.split()[:4]))[:60].strip("-") or "claim")
    taken = set(article.claims.values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


@transaction.atomic
def claim_delete(*, lesson: Lesson, by: User, claim_id: int) -> None:
    lesson = _locked(lesson, by)
    claim = lesson.article.claims.filter(pk=claim_id).first()
    if claim is None:
        raise NotAllowed(_("No such claim."))
    if Question.objects.filter(claims=claim).exists():
        raise ClaimInUse(_("A question asks about this claim: change the question first."))
    claim.delete()
    _touch(lesson)


# ---- lesson files ---------------------------------------------------------------------------------------


class LessonFileRefused(InvalidInput):
    """A lesson file that cannot be imported, with every problem found in it (`problems`)."""

    def __init__(self, message: str, problems: list[LessonFileProblem] | None = None) -> None:
        super().__init__(message, field="file")
        self.problems = problems or []


def read_upload(raw: bytes) -> Any:
    """The JSON of an uploaded lesson file, or LessonFileRefused with every problem of it."""
    if len(raw) > MAX_FILE_BYTES:
        raise LessonFileRefused(
            _("The file is larger than %(limit)s bytes.") % {"limit": f"{MAX_FILE_BYTES:,}"}
        )
    try:
        data = load_lesson_json(raw)
    except UnicodeDecodeError:
        raise LessonFileRefused(_("The file is not UTF-8 text.")) from None
    except ValueError as error:  # json.JSONDecodeError and LessonFileError
        raise LessonFileRefused(_("The file is not a lesson file: %(error)s") % {"error": error}) from None
    problems = lesson_file_problems(data)
    if problems:
        raise LessonFileRefused(
            _("The file has %(count)s problems; nothing was imported.") % {"count": len(problems)}, problems
        )
    return data


@transaction.atomic
def lesson_file_import(*, raw: bytes, by: User, into: Lesson | None = None) -> ImportResult:
    """Import an uploaded lesson file: a new lesson of `by`'s, or (`into`) a rewrite of a lesson they author,
    whose id the file must keep. Every problem of the file is reported at once."""
    _refuse_unless_teacher(by)
    data = read_upload(raw)
    slug = data["lesson"]["slug"]
    if into is not None:
        into = _locked(into, by)
        if slug != into.slug:
            raise LessonFileRefused(
                _("The file is the lesson %(file)s, not %(lesson)s.") % {"file": slug, "lesson": into.slug}
            )
    elif Lesson.objects.filter(slug=slug).exists():
        raise LessonFileRefused(
            _("A lesson with the id %(slug)s exists already: upload it on that lesson's File page.")
            % {"slug": slug}
        )
    try:
        return lesson_import_reporting(data=data, replace=into is not None, by=by)
    except LessonFileError as error:  # checked above; kept for what only the import can see
        raise LessonFileRefused(str(error)) from None
