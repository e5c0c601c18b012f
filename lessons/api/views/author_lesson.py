"""An author's side of one lesson's own parts, as the studio's pages change them: a new lesson from a pasted
article (cut into sentences by lessons.splitter), its overview, its article (details and sentences), the
actors and treaties it features with its own notes on those shared records, its claims, and its settings;
and the shared actors, treaties and sources a lesson picks from.

Each mirrors a page of `lessons.web.views.studio` (new, overview, article, entities, claims, settings) and
calls the same selectors and services (`lessons.services.authoring`): who may author what, and every rule of
what is saved, is decided there. A lesson the caller may not author is a 404, as on the pages; so are an
actor, treaty or claim the lesson does not have. A service's field is named by its path in the request
(`article.headline`, `reading_aids.provenance`); a state conflict (an article another lesson shares, a claim
a question asks about) is a 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import django_filters as filters
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lessons.models import READING_AIDS, Actor, Claim, Lesson, Source, Treaty
from lessons.selectors import shared_records as records
from lessons.selectors.studio import (
    FeaturedActor,
    FeaturedTreaty,
    entities_page,
    overview_page,
    sentences_of,
)
from lessons.services import authoring as services
from lessons.services.authoring import ArticleDetails, ClaimInput, LessonSettings
from lessons.services.errors import ServiceError
from lessons.services.lesson_checks import hedge_words

from .. import author_serializers as a
from ..base import ApiView, documented, not_modified
from ..lists import PAGE_PARAMETER, Pages, filter_parameters, filtered, page_example, page_serializer
from .author import authored
from .teacher import teacher_of

# A pasted article is at most 60,000 characters, which UTF-8 and JSON may make several times as many bytes.
ARTICLE_BODY_BYTES = 512 * 1024


@contextmanager
def fields_named(paths: dict[str, str]) -> Iterator[None]:
    """A service's error with its field named by its path in the request (`headline` → `article.headline`)."""
    try:
        yield
    except ServiceError as error:
        if error.field in paths:
            error.field = paths[error.field]
        raise


def etag_of(kind: str, data: Any) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{kind}-{digest[:32]}"'


# ---- the article ------------------------------------------------------------------------------------------


def article_data(lesson: Lesson) -> dict[str, Any]:
    article = lesson.article
    paragraphs: list[list[dict[str, Any]]] = []
    number = None
    for sentence in sentences_of(lesson):
        if sentence.paragraph != number:
            paragraphs.append([])
            number = sentence.paragraph
        paragraphs[-1].append(
            {"id": sentence.key, "text": sentence.text, "hedges": hedge_words(sentence.text)}
        )
    source = article.source
    return {
        "headline": article.headline,
        "source": {"id": source.slug, "name": source.name} if source else None,
        "published_on": article.published_on or None,
        "url": article.url,
        "original_headline": article.original_headline,
        "rests_on": article.rests_on,
        "paragraphs": paragraphs,
    }


def article_details(data: dict[str, Any], prefix: str = "") -> ArticleDetails:
    """What the request says of the article; an unknown publisher's id is a 400 naming it."""
    source: Source | None = None
    if data.get("source"):
        source = records.sources_by_id([data["source"]]).get(data["source"])
        if source is None:
            raise ValidationError({f"{prefix}source": [_("No publisher has this id.")]})
    return ArticleDetails(
        headline=data["headline"],
        source=source,
        new_source_name=data.get("new_source_name", ""),
        published_on=data.get("published_on", ""),
        url=data.get("url", ""),
        original_headline=data.get("original_headline", ""),
        rests_on=data.get("rests_on", ""),
    )


SENTENCES = [
    {"id": "p1s1", "text": "Venezuela asked Russia, China and Iran for military help.", "hedges": []},
    {"id": "p1s2", "text": "Officials reportedly feared a strike.", "hedges": ["reportedly"]},
]
ARTICLE = {
    "headline": "Venezuela asks Russia, China and Iran for military help",
    "source": {"id": "wapo", "name": "The Washington Post"},
    "published_on": "2025-11",
    "url": "https://example.com/venezuela",
    "original_headline": "",
    "rests_on": "US government documents",
    "paragraphs": [SENTENCES],
}
ARTICLE_INPUT = {
    "headline": "Venezuela asks Russia, China and Iran for military help",
    "source": "wapo",
    "published_on": "2025-11",
    "url": "https://example.com/venezuela",
    "rests_on": "US government documents",
}
NEW_LESSON = {
    "slug": "venezuela-asks-for-help",
    "title": "Venezuela asks for help",
    "status": "draft",
    "visibility": "private",
    "article": ARTICLE,
}


class SplitView(ApiView):
    max_body_bytes = ARTICLE_BODY_BYTES

    @documented(
        summary="A pasted article cut into paragraphs of sentences, to merge and split before a new lesson",
        request=a.SplitInputSerializer,
        request_example={"text": "Venezuela asked for help. Officials reportedly feared a strike."},
        response=a.SplitSerializer,
        example={"paragraphs": [[item["text"] for item in SENTENCES]]},
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str) -> Response:
        teacher_of(request)
        body = a.SplitInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"paragraphs": services.article_paragraphs(body.validated_data["text"])})


class NewLessonView(ApiView):
    max_body_bytes = ARTICLE_BODY_BYTES

    @documented(
        summary="A new draft lesson of mine from a title and an article: its pasted text, or its sentences",
        request=a.NewLessonInputSerializer,
        request_example={
            "title": "Venezuela asks for help",
            "article": ARTICLE_INPUT,
            "text": "Venezuela asked Russia, China and Iran for military help. Officials reportedly feared a "
            "strike.",
        },
        response=a.NewLessonSerializer,
        example=NEW_LESSON,
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str) -> Response:
        by = teacher_of(request)
        body = a.NewLessonInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "paragraphs" in data:
            paragraphs = data["paragraphs"]
            where = "paragraphs"
        else:
            paragraphs = services.article_paragraphs(data.get("text", ""))
            where = "text"
        names = {name: f"article.{name}" for name in ("headline", "source", "published_on")}
        with fields_named({**names, "sentences": where}):
            lesson = services.lesson_create_from_article(
                by=by,
                title=data.get("title", ""),
                details=article_details(data["article"], "article."),
                paragraphs=paragraphs,
            )
        lesson = authored(request, lesson.slug)
        result = {
            "slug": lesson.slug,
            "title": lesson.title,
            "status": lesson.status,
            "visibility": lesson.visibility,
            "article": article_data(lesson),
        }
        return Response(a.NewLessonSerializer(result).data, status=201)


class ArticleView(ApiView):
    max_body_bytes = ARTICLE_BODY_BYTES

    @documented(
        summary="The article of a lesson I author: its details and sentences (with their ids) by paragraph",
        response=a.AuthoredArticleSerializer,
        example=ARTICLE,
        errors=[401, 404, 429],
        conditional=True,
        tags=["authoring"],
        operation_id="author_article_retrieve",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        data = a.AuthoredArticleSerializer(article_data(authored(request, slug))).data
        etag = etag_of("article", data)
        if (unchanged := not_modified(request, etag)) is not None:
            return unchanged
        return Response(data, headers={"ETag": etag})

    @documented(
        summary="Rewrite the article of a lesson I author: unchanged sentences keep their ids; the links to "
        "sentences now gone are listed",
        request=a.ArticleInputSerializer,
        request_example={**ARTICLE_INPUT, "paragraphs": [[item["text"] for item in SENTENCES]]},
        response=a.ArticleChangeSerializer,
        example={"kept": 2, "added": 0, "removed": 0, "broken_links": [], "article": ARTICLE},
        errors=[400, 401, 403, 404, 409, 413, 429],
        tags=["authoring"],
        operation_id="author_article_update",
    )
    def put(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        body = a.ArticleInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        paragraphs = data["paragraphs"]
        if data["resplit"]:
            paragraphs = services.resplit_paragraphs(paragraphs)
        with fields_named({"sentences": "paragraphs"}):
            change = services.article_update(
                lesson=lesson, by=request.user, details=article_details(data), paragraphs=paragraphs
            )
        result = {
            "kept": change.kept,
            "added": change.added,
            "removed": change.removed,
            "broken_links": [vars(link) for link in change.broken_links],
            "article": article_data(authored(request, slug)),
        }
        return Response(a.ArticleChangeSerializer(result).data)


# ---- the overview ---------------------------------------------------------------------------------------


class OverviewView(ApiView):
    @documented(
        summary="The overview of a lesson I author: how much each part holds, its revisions, assignments and "
        "co-authors",
        response=a.OverviewSerializer,
        example={
            "slug": "venezuela-military-aid",
            "title": "Venezuela asks Russia, China and Iran for military help",
            "status": "published",
            "sentences": 24,
            "actors": 6,
            "treaties": 1,
            "claims": 5,
            "questions": 12,
            "revisions": [2, 1],
            "assignments": [{"id": 4, "classroom": "Civics 9B", "revision": 2}],
            "co_authors": ["mr.mendes"],
        },
        errors=[401, 404, 429],
        tags=["authoring"],
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        page = overview_page(lesson)
        revision_numbers = {revision.pk: revision.number for revision in page.revisions}
        data = {
            "slug": lesson.slug,
            "title": lesson.title,
            "status": lesson.status,
            "sentences": page.sentence_count,
            "actors": page.actor_count,
            "treaties": page.treaty_count,
            "claims": page.claim_count,
            "questions": page.question_count,
            "revisions": [revision.number for revision in page.revisions],
            "assignments": [
                {
                    "id": assignment.pk,
                    "classroom": assignment.classroom.name,
                    "revision": revision_numbers.get(assignment.revision_id, assignment.revision.number),
                }
                for assignment in page.assignments
            ],
            "co_authors": [user.username for user in page.co_authors],
        }
        return Response(a.OverviewSerializer(data).data)


# ---- actors and treaties ---------------------------------------------------------------------------------


def actor_data(item: FeaturedActor) -> dict[str, Any]:
    actor, note = item.actor, item.note
    return {
        "id": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "aliases": list(actor.aliases),
        "role": item.role,
        "description": item.description,
        "note": {"role": note.role, "description": note.description} if note else None,
        "shared": {"role": actor.role, "description": actor.description},
    }


def treaty_data(item: FeaturedTreaty) -> dict[str, Any]:
    treaty, note = item.treaty, item.note
    return {
        "id": treaty.slug,
        "name": treaty.name,
        "kind": treaty.kind,
        "signed_on": treaty.signed_on or None,
        "status": item.status,
        "summary": item.summary,
        "note": {"status": note.status, "summary": note.summary} if note else None,
        "shared": {"status": treaty.status, "summary": treaty.summary},
    }


def featured_actor(lesson: Lesson, actor_id: str) -> Actor:
    actor = records.featured_actor(lesson, actor_id)
    if actor is None:
        raise Http404
    return actor


def featured_treaty(lesson: Lesson, treaty_id: str) -> Treaty:
    treaty = records.featured_treaty(lesson, treaty_id)
    if treaty is None:
        raise Http404
    return treaty


def actor_answer(lesson: Lesson, actor: Actor, status: int = 200) -> Response:
    item = next(item for item in records.featured_actors(lesson) if item.actor.pk == actor.pk)
    return Response(a.FeaturedActorSerializer(actor_data(item)).data, status=status)


def treaty_answer(lesson: Lesson, treaty: Treaty, status: int = 200) -> Response:
    item = next(item for item in records.featured_treaties(lesson) if item.treaty.pk == treaty.pk)
    return Response(a.FeaturedTreatySerializer(treaty_data(item)).data, status=status)


ACTOR = {
    "id": "maduro",
    "name": "Nicolás Maduro",
    "kind": "person",
    "aliases": ["Maduro"],
    "role": "President of Venezuela at the time",
    "description": "",
    "note": {"role": "President of Venezuela at the time", "description": None},
    "shared": {"role": "Former president of Venezuela", "description": ""},
}
TREATY = {
    "id": "npt",
    "name": "Treaty on the Non-Proliferation of Nuclear Weapons",
    "kind": "treaty",
    "signed_on": "1968-07-01",
    "status": "in_force",
    "summary": "…",
    "note": None,
    "shared": {"status": "in_force", "summary": "…"},
}
FeaturedActorPage = page_serializer(a.FeaturedActorSerializer, "FeaturedActorPage")
FeaturedTreatyPage = page_serializer(a.FeaturedTreatySerializer, "FeaturedTreatyPage")


class ActorsView(ApiView):
    @documented(
        summary="The actors a lesson I author features, each as the lesson says it and as the shared record",
        response=FeaturedActorPage,
        example=page_example(ACTOR),
        errors=[401, 404, 429],
        parameters=[PAGE_PARAMETER],
        tags=["authoring"],
        operation_id="author_actors_list",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        paginator = Pages()
        page = paginator.paginate_queryset(records.featured_actors(lesson), request, view=self) or []
        return paginator.get_paginated_response(
            a.FeaturedActorSerializer([actor_data(item) for item in page], many=True).data
        )

    @documented(
        summary="Feature a shared actor (by `actor`, its id) in a lesson I author, or a new shared actor (by "
        "`name` and `kind`)",
        request=a.ActorAddInputSerializer,
        request_example={"actor": "maduro"},
        response=a.FeaturedActorSerializer,
        example=ACTOR,
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        body = a.ActorAddInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        actor: Actor | None
        if data.get("actor"):
            actor = records.actor_by_id(data["actor"])
            if actor is None:
                raise ValidationError({"actor": [_("No shared actor has this id.")]})
            services.lesson_actor_add(lesson=lesson, by=request.user, actor=actor)
        else:
            actor = services.lesson_actor_create(
                lesson=lesson,
                by=request.user,
                name=data.get("name", ""),
                kind=data.get("kind", ""),
                role=data["role"],
                aliases=data["aliases"],
                description=data["description"],
            )
        return actor_answer(lesson, actor, status=201)


class ActorView(ApiView):
    @documented(
        summary="One actor a lesson I author features",
        response=a.FeaturedActorSerializer,
        example=ACTOR,
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_actor_retrieve",
    )
    def get(self, request: Request, version: str, slug: str, actor: str) -> Response:
        lesson = authored(request, slug)
        return actor_answer(lesson, featured_actor(lesson, actor))

    @documented(
        summary="What a lesson I author says of an actor (its role then, its description): the lesson's own "
        "note; empty or equal to the shared record keeps the shared one",
        request=a.ActorNoteInputSerializer,
        request_example={"role": "President of Venezuela at the time", "description": ""},
        response=a.FeaturedActorSerializer,
        example=ACTOR,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def put(self, request: Request, version: str, slug: str, actor: str) -> Response:
        lesson = authored(request, slug)
        found = featured_actor(lesson, actor)
        body = a.ActorNoteInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.lesson_actor_note(lesson=lesson, by=request.user, actor=found, **body.validated_data)
        return actor_answer(lesson, found)

    @documented(
        summary="Stop featuring an actor in a lesson I author (its note goes; the shared record stays)",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 429],
        tags=["authoring"],
    )
    def delete(self, request: Request, version: str, slug: str, actor: str) -> Response:
        lesson = authored(request, slug)
        services.lesson_actor_remove(lesson=lesson, by=request.user, actor=featured_actor(lesson, actor))
        return Response(status=204)


class TreatiesView(ApiView):
    @documented(
        summary="The treaties a lesson I author features, as the lesson says them and as the shared records",
        response=FeaturedTreatyPage,
        example=page_example(TREATY),
        errors=[401, 404, 429],
        parameters=[PAGE_PARAMETER],
        tags=["authoring"],
        operation_id="author_treaties_list",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        paginator = Pages()
        page = paginator.paginate_queryset(records.featured_treaties(lesson), request, view=self) or []
        return paginator.get_paginated_response(
            a.FeaturedTreatySerializer([treaty_data(item) for item in page], many=True).data
        )

    @documented(
        summary="Feature a shared treaty (by `treaty`, its id) in a lesson I author, or a new shared treaty "
        "(by `name`, `kind` and `status`)",
        request=a.TreatyAddInputSerializer,
        request_example={"treaty": "npt"},
        response=a.FeaturedTreatySerializer,
        example=TREATY,
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        body = a.TreatyAddInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        treaty: Treaty | None
        if data.get("treaty"):
            treaty = records.treaty_by_id(data["treaty"])
            if treaty is None:
                raise ValidationError({"treaty": [_("No shared treaty has this id.")]})
            services.lesson_treaty_add(lesson=lesson, by=request.user, treaty=treaty)
        else:
            treaty = services.lesson_treaty_create(
                lesson=lesson,
                by=request.user,
                name=data.get("name", ""),
                kind=data.get("kind", ""),
                status=data.get("status", ""),
                signed_on=data["signed_on"],
                summary=data["summary"],
            )
        return treaty_answer(lesson, treaty, status=201)


class TreatyView(ApiView):
    @documented(
        summary="One treaty a lesson I author features",
        response=a.FeaturedTreatySerializer,
        example=TREATY,
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_treaty_retrieve",
    )
    def get(self, request: Request, version: str, slug: str, treaty: str) -> Response:
        lesson = authored(request, slug)
        return treaty_answer(lesson, featured_treaty(lesson, treaty))

    @documented(
        summary="What a lesson I author says of a treaty (its status then, its summary): the lesson's own "
        "note; empty or equal to the shared record keeps the shared one",
        request=a.TreatyNoteInputSerializer,
        request_example={"status": "signed", "summary": ""},
        response=a.FeaturedTreatySerializer,
        example=TREATY,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def put(self, request: Request, version: str, slug: str, treaty: str) -> Response:
        lesson = authored(request, slug)
        found = featured_treaty(lesson, treaty)
        body = a.TreatyNoteInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.lesson_treaty_note(lesson=lesson, by=request.user, treaty=found, **body.validated_data)
        return treaty_answer(lesson, found)

    @documented(
        summary="Stop featuring a treaty in a lesson I author (its note goes; the shared record stays)",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 429],
        tags=["authoring"],
    )
    def delete(self, request: Request, version: str, slug: str, treaty: str) -> Response:
        lesson = authored(request, slug)
        services.lesson_treaty_remove(lesson=lesson, by=request.user, treaty=featured_treaty(lesson, treaty))
        return Response(status=204)


class NamesView(ApiView):
    @documented(
        summary="Names in the article of a lesson I author: shared actors it does not feature yet, and names "
        "no shared record has",
        response=a.NamesSerializer,
        example={"known_elsewhere": [{"id": "putin", "name": "Vladimir Putin"}], "candidates": ["Gen. Ruiz"]},
        errors=[401, 404, 429],
        tags=["authoring"],
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        page = entities_page(authored(request, slug))
        data = {
            "known_elsewhere": [{"id": actor.slug, "name": actor.name} for actor in page.known_elsewhere],
            "candidates": page.candidates,
        }
        return Response(a.NamesSerializer(data).data)


# ---- claims ---------------------------------------------------------------------------------------------


def claim_data(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.key,
        "statement": claim.statement,
        "asserted_by": claim.asserted_by.slug if claim.asserted_by else None,
        "via": [link.source.slug for link in claim.source_chain.all()],
        "standing": claim.standing,
        "evidence": [sentence.key for sentence in claim.evidence.all()],
        "counter_claims": sorted(counter.key for counter in claim.counter_claims.all()),
        "note": claim.note,
    }


def claim_input(data: dict[str, Any]) -> ClaimInput:
    """The request's claim with its actor and sources found; an unknown id is a 400 naming its place."""
    asserted_by: Actor | None = None
    if data.get("asserted_by"):
        asserted_by = records.actor_by_id(data["asserted_by"])
        if asserted_by is None:
            raise ValidationError({"asserted_by": [_("No shared actor has this id.")]})
    found = records.sources_by_id(data["via"])
    unknown = {
        f"via[{index}]": [_("No source has this id.")]
        for index, slug in enumerate(data["via"])
        if slug not in found
    }
    if unknown:
        raise ValidationError(unknown)
    return ClaimInput(
        statement=data["statement"],
        asserted_by=asserted_by,
        via=[found[slug] for slug in data["via"]],
        standing=data["standing"],
        evidence=data["evidence"],
        counter_claims=data["counter_claims"],
        note=data["note"],
    )


def lesson_claim(lesson: Lesson, claim_id: str) -> Claim:
    claim = records.lesson_claim_by_id(lesson, claim_id)
    if claim is None:
        raise Http404
    return claim


CLAIM = {
    "id": "c-venezuela-asked-for-help",
    "statement": "Venezuela asked Russia, China and Iran for military help.",
    "asserted_by": None,
    "via": ["wapo"],
    "standing": "reported",
    "evidence": ["p1s1"],
    "counter_claims": [],
    "note": "",
}
CLAIM_INPUT = {key: value for key, value in CLAIM.items() if key != "id"}
ClaimPage = page_serializer(a.AuthoredClaimSerializer, "AuthoredClaimPage")


class ClaimsView(ApiView):
    @documented(
        summary="The claims of the article of a lesson I author: who asserts them, through which sources, "
        "their standing and evidence",
        response=ClaimPage,
        example=page_example(CLAIM),
        errors=[401, 404, 429],
        parameters=[PAGE_PARAMETER],
        tags=["authoring"],
        operation_id="author_claims_list",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        paginator = Pages()
        page = paginator.paginate_queryset(records.lesson_claims(lesson), request, view=self) or []
        return paginator.get_paginated_response(
            a.AuthoredClaimSerializer([claim_data(claim) for claim in page], many=True).data
        )

    @documented(
        summary="A new claim of the article of a lesson I author",
        request=a.ClaimInputSerializer,
        request_example=CLAIM_INPUT,
        response=a.AuthoredClaimSerializer,
        example=CLAIM,
        status=201,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def post(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        body = a.ClaimInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = services.claim_save(
            lesson=lesson, by=request.user, claim_id=None, data=claim_input(body.validated_data)
        )
        claim = lesson_claim(lesson, made.key)
        return Response(a.AuthoredClaimSerializer(claim_data(claim)).data, status=201)


class ClaimView(ApiView):
    @documented(
        summary="One claim of the article of a lesson I author",
        response=a.AuthoredClaimSerializer,
        example=CLAIM,
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_claim_retrieve",
    )
    def get(self, request: Request, version: str, slug: str, claim: str) -> Response:
        found = lesson_claim(authored(request, slug), claim)
        return Response(a.AuthoredClaimSerializer(claim_data(found)).data)

    @documented(
        summary="Rewrite a claim of the article of a lesson I author (it keeps its id)",
        request=a.ClaimInputSerializer,
        request_example=CLAIM_INPUT,
        response=a.AuthoredClaimSerializer,
        example=CLAIM,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def put(self, request: Request, version: str, slug: str, claim: str) -> Response:
        lesson = authored(request, slug)
        found = lesson_claim(lesson, claim)
        body = a.ClaimInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.claim_save(
            lesson=lesson, by=request.user, claim_id=found.pk, data=claim_input(body.validated_data)
        )
        return Response(a.AuthoredClaimSerializer(claim_data(lesson_claim(lesson, claim))).data)

    @documented(
        summary="Remove a claim of the article of a lesson I author (409 while a question asks about it)",
        response=None,
        example=None,
        status=204,
        errors=[401, 403, 404, 409, 429],
        tags=["authoring"],
    )
    def delete(self, request: Request, version: str, slug: str, claim: str) -> Response:
        lesson = authored(request, slug)
        services.claim_delete(lesson=lesson, by=request.user, claim_id=lesson_claim(lesson, claim).pk)
        return Response(status=204)


# ---- settings -------------------------------------------------------------------------------------------


def settings_data(lesson: Lesson) -> dict[str, Any]:
    return {
        "title": lesson.title,
        "introduction": lesson.introduction,
        "sourcing_note": lesson.sourcing_note,
        "objectives": list(lesson.objectives),
        "level": lesson.level,
        "estimated_minutes": lesson.estimated_minutes,
        "language": lesson.language,
        "visibility": lesson.visibility,
        "reading_aids": {aid: getattr(lesson, f"aid_{aid}") for aid in READING_AIDS},
    }


SETTINGS = {
    "title": "Venezuela asks Russia, China and Iran for military help",
    "introduction": "Read *this* first.",
    "sourcing_note": "",
    "objectives": ["Tell who asserts what"],
    "level": "intermediate",
    "estimated_minutes": 20,
    "language": "en",
    "visibility": "public",
    "reading_aids": {
        "sourcing_note": "after_dependent",
        "provenance": "start",
        "actor_cards": "start",
        "treaty_cards": "start",
    },
}


class SettingsView(ApiView):
    @documented(
        summary="The settings of a lesson I author: title, introduction, objectives, level, minutes, "
        "language, who sees it, and when each reading aid shows",
        response=a.LessonSettingsSerializer,
        example=SETTINGS,
        errors=[401, 404, 429],
        tags=["authoring"],
        operation_id="author_settings_retrieve",
    )
    def get(self, request: Request, version: str, slug: str) -> Response:
        return Response(a.LessonSettingsSerializer(settings_data(authored(request, slug))).data)

    @documented(
        summary="Change settings of a lesson I author; those left out stay as they are",
        request=a.SettingsChangeSerializer,
        request_example={"level": "advanced", "reading_aids": {"provenance": "after_finish"}},
        response=a.LessonSettingsSerializer,
        example=SETTINGS,
        errors=[400, 401, 403, 404, 413, 429],
        tags=["authoring"],
    )
    def patch(self, request: Request, version: str, slug: str) -> Response:
        lesson = authored(request, slug)
        body = a.SettingsChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        current = settings_data(lesson)
        aids = {**current["reading_aids"], **changes.pop("reading_aids", {})}
        merged = {**current, **changes, "reading_aids": aids}
        with fields_named({f"aid_{aid}": f"reading_aids.{aid}" for aid in READING_AIDS}):
            saved = services.lesson_update_settings(
                lesson=lesson, by=request.user, settings=LessonSettings(**merged)
            )
        return Response(a.LessonSettingsSerializer(settings_data(saved)).data)


# ---- the shared records a lesson picks from -------------------------------------------------------------


class SharedRecordFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains", max_length=200, label="Names containing this text.")


SharedRecordPage = page_serializer(a.SharedRecordSerializer, "SharedRecordPage")


def shared_page(view: ApiView, request: Request, found: Any) -> Response:
    teacher_of(request)
    paginator = Pages()
    page = paginator.paginate_queryset(filtered(SharedRecordFilter, request, found), request, view=view) or []
    data = [{"id": record.slug, "name": record.name} for record in page]
    return paginator.get_paginated_response(a.SharedRecordSerializer(data, many=True).data)


class SharedActorsView(ApiView):
    @documented(
        summary="The shared actors a lesson may feature, by name (teachers)",
        response=SharedRecordPage,
        example=page_example({"id": "maduro", "name": "Nicolás Maduro"}),
        errors=[400, 401, 404, 429],
        parameters=filter_parameters(SharedRecordFilter),
        tags=["authoring"],
        operation_id="author_shared_actors_list",
    )
    def get(self, request: Request, version: str) -> Response:
        return shared_page(self, request, records.shared_actors())


class SharedTreatiesView(ApiView):
    @documented(
        summary="The shared treaties a lesson may feature, by name (teachers)",
        response=SharedRecordPage,
        example=page_example({"id": "npt", "name": "Treaty on the Non-Proliferation of Nuclear Weapons"}),
        errors=[400, 401, 404, 429],
        parameters=filter_parameters(SharedRecordFilter),
        tags=["authoring"],
        operation_id="author_shared_treaties_list",
    )
    def get(self, request: Request, version: str) -> Response:
        return shared_page(self, request, records.shared_treaties())


class SharedSourcesView(ApiView):
    @documented(
        summary="The shared sources (publishers and the sources claims come through), by name (teachers)",
        response=SharedRecordPage,
        example=page_example({"id": "wapo", "name": "The Washington Post"}),
        errors=[400, 401, 404, 429],
        parameters=filter_parameters(SharedRecordFilter),
        tags=["authoring"],
        operation_id="author_shared_sources_list",
    )
    def get(self, request: Request, version: str) -> Response:
        return shared_page(self, request, records.shared_sources())
