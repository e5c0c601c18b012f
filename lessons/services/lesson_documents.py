"""Reading and checking a lesson document (the lesson file format of fixtures/README.md).

`parse_lesson_document` turns untrusted JSON into a checked `LessonDocument` or raises `LessonFileError`
naming the first bad field by its path in the file (`questions[3].answer.correct`). Nothing here touches the
database: the import service writes what this module has checked.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from django.utils.translation import gettext_lazy as _

from lessons.content_types import AnswerContent, OptionContent, QuestionContent
from lessons.kinds import get_kind, kind_names
from lessons.kinds.file import MAX_DEPTH, MAX_FILE_BYTES, LessonFileError, Node, check_bounds, object_once
from lessons.kinds.scoring import normalise_text, same_words
from lessons.models.choices import (
    READING_AIDS,
    ActorKind,
    AidVisibility,
    Focus,
    LessonStatus,
    Level,
    OptionGroup,
    Ratification,
    SourceKind,
    Standing,
    TreatyKind,
    TreatyStatus,
    Visibility,
)

FORMAT_NAME = "quizsite.lesson"
FORMAT_VERSION = 1
DEFAULT_LANGUAGE = "en"  # a lesson's content language when its file names none
# Ids stored in shorter columns than the shared 80 characters.
SENTENCE_ID_LENGTH = 20
QUESTION_ID_LENGTH = 40
MAX_TYPO_TOLERANCE = 3
NEAR_MISS_LENGTH = 500  # as long as a short answer may be

T = TypeVar("T")


def unique_ids(nodes: list[Node], read: Callable[[Node], T], id_of: Callable[[T], str]) -> list[T]:
    seen: set[str] = set()
    records = []
    for node in nodes:
        record = read(node)
        identifier = id_of(record)
        if identifier in seen:
            raise LessonFileError(f"{node.path}.id", f"{identifier!r} is used twice")
        seen.add(identifier)
        records.append(record)
    return records


@dataclass(frozen=True)
class OutsideFactRecord:
    """A fact about an actor or treaty that a teacher adds from outside the article, with its source."""

    field: str
    value: str
    source: str
    url: str


@dataclass(frozen=True)
class SourceRecord:
    id: str
    name: str
    kind: str
    url: str
    actor: str | None
    description: str


@dataclass(frozen=True)
class ActorRecord:
    id: str
    name: str
    kind: str
    aliases: list[str]
    role: str
    affiliation: str | None
    description: str
    outside_facts: list[OutsideFactRecord]


@dataclass(frozen=True)
class PartyRecord:
    actor: str
    ratification: str
    ratified_on: str | None


@dataclass(frozen=True)
class TreatyRecord:
    id: str
    name: str
    kind: str
    signed_on: str | None
    status: str
    summary: str
    parties: list[PartyRecord]
    outside_facts: list[OutsideFactRecord]


@dataclass(frozen=True)
class SentenceRecord:
    id: str
    text: str


@dataclass(frozen=True)
class ArticleRecord:
    headline: str
    source: str
    published_on: str | None
    url: str
    original_headline: str
    rests_on: str
    cites: list[str]
    paragraphs: list[list[SentenceRecord]]

    @property
    def sentence_ids(self) -> list[str]:
        return [sentence.id for paragraph in self.paragraphs for sentence in paragraph]


@dataclass(frozen=True)
class ClaimRecord:
    id: str
    statement: str
    asserted_by: str | None
    via: list[str]
    standing: str
    evidence: list[str]
    counter_claims: list[str]
    note: str


@dataclass(frozen=True)
class OptionRecord:
    id: str
    text: str
    group: str


@dataclass(frozen=True)
class RubricRecord:
    id: str
    criterion: str
    points: int


@dataclass(frozen=True)
class NearMissRecord:
    text: str
    feedback: str


@dataclass(frozen=True)
class QuestionRecord:
    id: str
    kind: str
    focus: str
    prompt: str
    points: int
    actors: list[str]
    treaties: list[str]
    claims: list[str]
    evidence: list[str]
    options: list[OptionRecord]
    items: list[OptionRecord]
    evidence_part: int
    explanation: str
    correct: Any
    option_feedback: dict[str, str]
    accepted: list[str]
    typo_tolerance: int
    model_answer: str
    rubric: list[RubricRecord]
    near_misses: list[NearMissRecord]


@dataclass(frozen=True)
class LessonRecord:
    slug: str
    title: str
    introduction: str
    sourcing_note: str
    objectives: list[str]
    level: str
    estimated_minutes: int
    status: str
    visibility: str
    language: str
    reading_aids: dict[str, str]  # every aid of READING_AIDS → an AidVisibility value
    actors: list[str]
    treaties: list[str]


@dataclass(frozen=True)
class LessonDocument:
    lesson: LessonRecord
    sources: list[SourceRecord]
    actors: list[ActorRecord]
    treaties: list[TreatyRecord]
    article: ArticleRecord
    claims: list[ClaimRecord]
    questions: list[QuestionRecord]
    raw: dict[str, Any]


TOP_FIELDS = (
    "format",
    "version",
    "lesson",
    "sources",
    "actors",
    "treaties",
    "article",
    "claims",
    "questions",
)
LESSON_FIELDS = (
    "slug",
    "title",
    "introduction",
    "sourcing_note",
    "objectives",
    "level",
    "estimated_minutes",
    "status",
    "visibility",
    "language",
    "reading_aids",
    "actors",
    "treaties",
)
SOURCE_FIELDS = ("id", "name", "kind", "url", "actor", "description")
# `outside_facts` is optional: written only when there are any.
ACTOR_FIELDS = ("id", "name", "kind", "aliases", "role", "affiliation", "description", "outside_facts")
TREATY_FIELDS = ("id", "name", "kind", "signed_on", "status", "summary", "parties", "outside_facts")
OUTSIDE_FACT_FIELDS = ("field", "value", "source", "url")
PARTY_FIELDS = ("actor", "ratification", "ratified_on")
ARTICLE_FIELDS = (
    "headline",
    "source",
    "published_on",
    "url",
    "original_headline",
    "rests_on",
    "cites",
    "paragraphs",
)
SENTENCE_FIELDS = ("id", "text")
CLAIM_FIELDS = ("id", "statement", "asserted_by", "via", "standing", "evidence", "counter_claims", "note")
QUESTION_FIELDS = (
    "id",
    "kind",
    "focus",
    "prompt",
    "points",
    "actors",
    "treaties",
    "claims",
    "evidence",
    "options",
    "items",
    "evidence_part",
    "answer",
)
ANSWER_FIELDS = (
    "explanation",
    "correct",
    "option_feedback",
    "accepted",
    "typo_tolerance",
    "near_misses",  # optional: written only when there are any
    "model_answer",
    "rubric",
)
NEAR_MISS_FIELDS = ("text", "feedback")
OPTION_FIELDS = ("id", "text")
GROUPED_OPTION_FIELDS = ("id", "text", "group")
RUBRIC_FIELDS = ("id", "criterion", "points")


def load_lesson_json(raw: bytes) -> Any:
    """The JSON of a lesson file's bytes, within MAX_FILE_BYTES; an object giving a key twice is kept for
    `parse_lesson_document` to refuse by its path. Raises LessonFileError for a file too big or nested too
    deep for the parser, UnicodeDecodeError or json.JSONDecodeError for one that is not UTF-8 JSON."""
    if len(raw) > MAX_FILE_BYTES:
        raise LessonFileError("", f"the file is larger than {MAX_FILE_BYTES:,} bytes")
    text = raw.decode("utf-8")
    try:
        return json.loads(text, object_pairs_hook=object_once)
    except RecursionError:
        raise LessonFileError("", f"values are nested more than {MAX_DEPTH} levels deep") from None


def read_lesson_file(path: Path) -> Any:
    """`load_lesson_json` of a file, reading no more of it than the limit allows (FileNotFoundError when
    there is none)."""
    with path.open("rb") as lesson_file:
        return load_lesson_json(lesson_file.read(MAX_FILE_BYTES + 1))


def parse_lesson_document(data: Any, *, unfinished: bool = False) -> LessonDocument:
    """The lesson document `data` read and checked; LessonFileError names the first bad field. A lesson
    file has an introduction and lists at least one question; only a copy of a draft (`unfinished`,
    and a draft's document) may lack them, as the draft it copies does: publishing still refuses it."""
    check_bounds(data)
    root = Node(data)
    root.known_fields(TOP_FIELDS)
    if root["format"].value != FORMAT_NAME:
        raise root["format"].fail(f"must be {FORMAT_NAME!r}")
    version = root["version"].value
    if type(version) is not int or version != FORMAT_VERSION:
        raise root["version"].fail(
            f"version {root['version'].value!r} is not supported (expected {FORMAT_VERSION})"
        )

    actor_nodes = root["actors"].items()
    actor_ids = [Node(node.mapping().get("id"), f"{node.path}.id").slug() for node in actor_nodes]
    actors = unique_ids(actor_nodes, lambda node: _read_actor(node, actor_ids), lambda record: record.id)
    _refuse_affiliation_cycles(actors, root["actors"].path)

    sources = unique_ids(
        root["sources"].items(), lambda node: _read_source(node, actor_ids), lambda record: record.id
    )
    source_ids = [source.id for source in sources]
    treaties = unique_ids(
        root["treaties"].items(), lambda node: _read_treaty(node, actor_ids), lambda record: record.id
    )
    treaty_ids = [treaty.id for treaty in treaties]
    # A draft may lack its article (questions brought in from another tool): no paragraphs, and then no
    # evidence. Publishing reads the lesson as published, and refuses it until it has an article.
    article = _read_article(root["article"], source_ids, may_be_empty=may_lack_article(data))
    sentence_ids = article.sentence_ids

    claim_nodes = root["claims"].items()
    claim_ids = [Node(node.mapping().get("id"), f"{node.path}.id").slug() for node in claim_nodes]
    claims = unique_ids(
        claim_nodes,
        lambda node: _read_claim(node, actor_ids, source_ids, sentence_ids, claim_ids),
        lambda record: record.id,
    )
    questions = unique_ids(
        root["questions"].items(),
        lambda node: _read_question(node, actor_ids, treaty_ids, claim_ids, sentence_ids),
        lambda record: record.id,
    )
    unfinished = unfinished and may_lack_article(data)
    if not questions and not unfinished:
        raise root["questions"].fail("must list at least one question")
    lesson = _read_lesson(root["lesson"], actor_ids, treaty_ids, unfinished=unfinished)
    return LessonDocument(
        lesson=lesson,
        sources=sources,
        actors=actors,
        treaties=treaties,
        article=article,
        claims=claims,
        questions=questions,
        raw=data,
    )


def _read_lesson(
    node: Node, actor_ids: list[str], treaty_ids: list[str], *, unfinished: bool
) -> LessonRecord:
    node.known_fields(LESSON_FIELDS)
    fields = node.mapping()
    return LessonRecord(
        slug=node["slug"].slug(),
        title=node["title"].title(max_length=200),
        introduction=node["introduction"].text(blank=unfinished),
        sourcing_note=node["sourcing_note"].text(blank=True) if "sourcing_note" in fields else "",
        objectives=node["objectives"].strings(),
        level=node["level"].choice(Level.values),
        estimated_minutes=node["estimated_minutes"].integer(minimum=1, maximum=600),
        status=node["status"].choice(LessonStatus.values),
        visibility=node["visibility"].choice(Visibility.values),
        # Optional, for files written before lessons had a content language: those are English.
        language=node["language"].language_tag() if "language" in node.mapping() else DEFAULT_LANGUAGE,
        reading_aids=_read_reading_aids(node["reading_aids"]) if "reading_aids" in fields else {},
        actors=node["actors"].refs(actor_ids, "actor"),
        treaties=node["treaties"].refs(treaty_ids, "treaty"),
    )


def _read_reading_aids(node: Node) -> dict[str, str]:
    """When each reading aid appears; an aid left out appears once its questions are answered, the choice
    that never shows a student an answer early (DESIGN.md rule 9)."""
    node.known_fields(READING_AIDS)
    given = node.mapping()
    return {
        aid: node[aid].choice(AidVisibility.values) if aid in given else AidVisibility.AFTER_DEPENDENT.value
        for aid in READING_AIDS
    }


def _read_source(node: Node, actor_ids: list[str]) -> SourceRecord:
    node.known_fields(SOURCE_FIELDS)
    return SourceRecord(
        id=node["id"].slug(),
        name=node["name"].title(max_length=200),
        kind=node["kind"].choice(SourceKind.values),
        url=node["url"].text(blank=True, max_length=200),
        actor=node["actor"].optional_ref(actor_ids, "actor"),
        description=node["description"].text(blank=True),
    )


def _read_actor(node: Node, actor_ids: list[str]) -> ActorRecord:
    node.known_fields(ACTOR_FIELDS)
    record = ActorRecord(
        id=node["id"].slug(),
        name=node["name"].title(max_length=200),
        kind=node["kind"].choice(ActorKind.values),
        aliases=node["aliases"].strings(),
        role=node["role"].text(blank=True, max_length=200),
        affiliation=node["affiliation"].optional_ref(actor_ids, "actor"),
        description=node["description"].text(blank=True),
        outside_facts=_read_outside_facts(node, ACTOR_FIELDS),
    )
    if record.affiliation == record.id:
        raise node["affiliation"].fail("an actor cannot be affiliated with itself")
    return record


def _refuse_affiliation_cycles(actors: list[ActorRecord], path: str) -> None:
    parent_of = {actor.id: actor.affiliation for actor in actors}
    for index, actor in enumerate(actors):
        seen = {actor.id}
        parent = actor.affiliation
        while parent is not None:
            if parent in seen:
                raise LessonFileError(f"{path}[{index}].affiliation", "affiliations go round in a circle")
            seen.add(parent)
            parent = parent_of.get(parent)


def _read_treaty(node: Node, actor_ids: list[str]) -> TreatyRecord:
    node.known_fields(TREATY_FIELDS)
    parties = []
    for party_node in node["parties"].items():
        party_node.known_fields(PARTY_FIELDS)
        ratification = party_node["ratification"].choice(Ratification.values)
        ratified_on = party_node["ratified_on"].optional_partial_date()
        if ratified_on is not None and ratification != Ratification.RATIFIED:
            raise party_node["ratified_on"].fail("only a party that has ratified has a ratification date")
        parties.append(
            PartyRecord(
                actor=party_node["actor"].ref(actor_ids, "actor"),
                ratification=ratification,
                ratified_on=ratified_on,
            )
        )
    party_actors = [party.actor for party in parties]
    if len(set(party_actors)) != len(party_actors):
        raise node["parties"].fail("lists a party twice")
    return TreatyRecord(
        id=node["id"].slug(),
        name=node["name"].title(max_length=250),
        kind=node["kind"].choice(TreatyKind.values),
        signed_on=node["signed_on"].optional_partial_date(),
        status=node["status"].choice(TreatyStatus.values),
        summary=node["summary"].text(blank=True),
        parties=parties,
        outside_facts=_read_outside_facts(node, TREATY_FIELDS),
    )


def _read_outside_facts(node: Node, entity_fields: tuple[str, ...]) -> list[OutsideFactRecord]:
    """An actor's or treaty's `outside_facts` (optional): each names a field of the record it is about,
    what it says and where it comes from."""
    if "outside_facts" not in node.mapping():
        return []
    about = [field for field in entity_fields if field not in ("id", "outside_facts")]
    records = []
    for fact in node["outside_facts"].items():
        fact.known_fields(OUTSIDE_FACT_FIELDS)
        records.append(
            OutsideFactRecord(
                field=fact["field"].choice(about),
                value=fact["value"].text(max_length=500),
                source=fact["source"].title(max_length=300),
                url=fact["url"].web_address(),
            )
        )
    return records


def outside_facts_content(facts: list[OutsideFactRecord]) -> list[dict[str, str]]:
    return [{"field": f.field, "value": f.value, "source": f.source, "url": f.url} for f in facts]


def may_lack_article(data: dict[str, Any]) -> bool:
    """Whether a document may have an article of no paragraphs: only a draft's (its questions were
    brought in from another tool), and publishing reads it as published, so refuses it."""
    return isinstance(data.get("lesson"), dict) and data["lesson"].get("status") == LessonStatus.DRAFT


def _read_article(node: Node, source_ids: list[str], *, may_be_empty: bool) -> ArticleRecord:
    node.known_fields(ARTICLE_FIELDS)
    paragraphs: list[list[SentenceRecord]] = []
    seen: set[str] = set()
    paragraph_nodes = node["paragraphs"].items()
    if not paragraph_nodes and not may_be_empty:
        raise node["paragraphs"].fail("must hold at least one paragraph (only a draft may lack its article)")
    for paragraph_node in paragraph_nodes:
        sentences = []
        sentence_nodes = paragraph_node.items()
        if not sentence_nodes:
            raise paragraph_node.fail("a paragraph must hold at least one sentence")
        for sentence_node in sentence_nodes:
            sentence_node.known_fields(SENTENCE_FIELDS)
            sentence_id = sentence_node["id"].slug(max_length=SENTENCE_ID_LENGTH)
            if sentence_id in seen:
                raise sentence_node["id"].fail(f"sentence id {sentence_id!r} is used twice")
            seen.add(sentence_id)
            sentences.append(SentenceRecord(id=sentence_id, text=sentence_node["text"].text()))
        paragraphs.append(sentences)
    return ArticleRecord(
        headline=node["headline"].title(max_length=300),
        source=node["source"].ref(source_ids, "source"),
        published_on=node["published_on"].optional_partial_date(),
        url=node["url"].text(blank=True, max_length=200),
        original_headline=node["original_headline"].text(blank=True, max_length=300),
        rests_on=node["rests_on"].text(blank=True, max_length=300),
        cites=node["cites"].refs(source_ids, "source"),
        paragraphs=paragraphs,
    )


def _read_claim(
    node: Node, actor_ids: list[str], source_ids: list[str], sentence_ids: list[str], claim_ids: list[str]
) -> ClaimRecord:
    node.known_fields(CLAIM_FIELDS)
    record = ClaimRecord(
        id=node["id"].slug(),
        statement=node["statement"].text(),
        asserted_by=node["asserted_by"].optional_ref(actor_ids, "actor"),
        via=node["via"].refs(source_ids, "source"),
        standing=node["standing"].choice(Standing.values),
        evidence=node["evidence"].refs(sentence_ids, "sentence", at_least=1),
        counter_claims=node["counter_claims"].refs(claim_ids, "claim"),
        note=node["note"].text(blank=True),
    )
    if record.id in record.counter_claims:
        raise node["counter_claims"].fail("a claim cannot answer itself")
    return record


def _read_options(node: Node, *, groups: tuple[str, ...]) -> list[OptionRecord]:
    """A question's options (or items); with `groups`, each option names the group it belongs to."""
    records = []
    for option_node in node.items():
        option_node.known_fields(GROUPED_OPTION_FIELDS if groups else OPTION_FIELDS)
        group = option_node["group"].choice(groups) if groups else OptionGroup.CHOICE
        records.append(
            OptionRecord(
                id=option_node["id"].slug(), text=option_node["text"].text(max_length=500), group=group
            )
        )
    return records


def _read_question(
    node: Node,
    actor_ids: list[str],
    treaty_ids: list[str],
    claim_ids: list[str],
    sentence_ids: list[str],
) -> QuestionRecord:
    node.known_fields(QUESTION_FIELDS)
    kind = get_kind(node["kind"].choice(kind_names()))
    shape = kind.shape
    options = _read_options(node["options"], groups=shape.option_groups)
    items = [
        OptionRecord(id=item.id, text=item.text, group=OptionGroup.ITEM)
        for item in _read_options(node["items"], groups=())
    ]
    _check_count(node["options"], options, shape.min_options, "options")
    _check_count(node["items"], items, shape.min_items, "items")
    all_ids = [option.id for option in options + items]
    duplicated = {option_id for option_id in all_ids if all_ids.count(option_id) > 1}
    if duplicated:
        raise node["options"].fail(f"option or item id {sorted(duplicated)[0]!r} is used twice")

    question_claims = node["claims"].refs(claim_ids, "claim")
    kind.check_file_links(node, _options_content(kind.name, options), question_claims)
    points = node["points"].integer(minimum=1, maximum=100)
    evidence_part = node["evidence_part"].integer(minimum=0, maximum=100)
    if evidence_part and not shape.evidence_part:
        raise node["evidence_part"].fail(f"an {kind.name} question cannot add an evidence part")

    answer = node["answer"]
    answer.known_fields(ANSWER_FIELDS)
    rubric = _read_rubric(answer["rubric"])
    kind.check_file_rubric(
        answer["rubric"],
        [{"id": record.id, "criterion": record.criterion, "points": record.points} for record in rubric],
        points,
    )
    accepted = answer["accepted"].strings()
    model_answer = answer["model_answer"].text(blank=True)
    kind.check_file_answer(answer, accepted, model_answer)
    near_misses = _read_near_misses(answer, accepted, allowed=shape.near_misses)
    feedback_node = answer["option_feedback"]
    feedback_ids = kind.feedback_ids(_options_content(kind.name, options))
    option_feedback = {
        key: Node(value, f"{feedback_node.path}.{key}").text()
        for key, value in feedback_node.mapping().items()
        if Node(key, f"{feedback_node.path}.{key}").ref(feedback_ids, "option")
    }
    record = QuestionRecord(
        id=node["id"].slug(max_length=QUESTION_ID_LENGTH),
        kind=kind.name,
        focus=node["focus"].choice(Focus.values),
        prompt=node["prompt"].text(),
        points=points,
        actors=node["actors"].refs(actor_ids, "actor"),
        treaties=node["treaties"].refs(treaty_ids, "treaty"),
        claims=question_claims,
        # Without an article (a draft's), a question has no sentence to cite.
        evidence=node["evidence"].refs(sentence_ids, "sentence", at_least=1 if sentence_ids else 0),
        options=options,
        items=items,
        evidence_part=evidence_part,
        explanation=answer["explanation"].text(),
        correct=answer["correct"].value,
        option_feedback=option_feedback,
        accepted=accepted,
        typo_tolerance=answer["typo_tolerance"].integer(minimum=0, maximum=MAX_TYPO_TOLERANCE),
        model_answer=model_answer,
        rubric=rubric,
        near_misses=near_misses,
    )
    kind.check_file_key(answer["correct"], question_content(record), frozenset(sentence_ids))
    return record


def _read_near_misses(answer: Node, accepted: list[str], *, allowed: bool) -> list[NearMissRecord]:
    """`answer.near_misses`: answers always wrong, each a string or `{text, feedback}`; optional."""
    if "near_misses" not in answer.mapping():
        return []
    node = answer["near_misses"]
    records = []
    for entry in node.items():
        if isinstance(entry.value, str):
            record = NearMissRecord(text=entry.text(max_length=NEAR_MISS_LENGTH), feedback="")
        else:
            entry.known_fields(NEAR_MISS_FIELDS)
            record = NearMissRecord(
                text=entry["text"].text(max_length=NEAR_MISS_LENGTH),
                feedback=entry["feedback"].text(blank=True),
            )
        if not normalise_text(record.text):
            raise entry.fail("a near miss needs letters or digits")
        same = next((text for text in accepted if same_words(record.text, text)), None)
        if same is not None:
            raise entry.fail(f"{record.text!r} is also an accepted answer ({same!r})")
        records.append(record)
    if records and not allowed:
        raise node.fail("only a short-answer question has near misses")
    return records


def _check_count(node: Node, records: list[OptionRecord], minimum: int, what: str) -> None:
    if minimum == 0 and records:
        raise node.fail(f"this kind of question has no {what}")
    if len(records) < minimum:
        raise node.fail(f"this kind of question needs at least {minimum} {what}")


def _read_rubric(node: Node) -> list[RubricRecord]:
    records = []
    for criterion_node in node.items():
        criterion_node.known_fields(RUBRIC_FIELDS)
        records.append(
            RubricRecord(
                id=criterion_node["id"].slug(max_length=QUESTION_ID_LENGTH),
                criterion=criterion_node["criterion"].text(),
                points=criterion_node["points"].integer(minimum=1, maximum=100),
            )
        )
    return records


def _options_content(kind_name: str, options: list[OptionRecord]) -> list[OptionContent]:
    """Options as a document stores them: with their group only where the kind's options come in groups."""
    if get_kind(kind_name).shape.option_groups:
        return [{"id": option.id, "text": option.text, "group": option.group} for option in options]
    return [{"id": option.id, "text": option.text} for option in options]


def question_content(record: QuestionRecord) -> QuestionContent:
    """A question in the file format: what grading reads and what a revision stores.

    The one writer of a question object: reading a lesson file and freezing a lesson into a revision (by
    way of ``lesson_document``) both build it here.
    """
    kind = get_kind(record.kind)
    options = _options_content(record.kind, record.options)
    feedback_order = kind.feedback_ids(options)
    answer: dict[str, Any] = {
        "explanation": record.explanation,
        "correct": record.correct,
        "option_feedback": {
            key: record.option_feedback[key] for key in feedback_order if key in record.option_feedback
        },
        "accepted": record.accepted,
        "typo_tolerance": record.typo_tolerance,
    }
    if record.near_misses:
        answer["near_misses"] = [
            {"text": miss.text, "feedback": miss.feedback} if miss.feedback else miss.text
            for miss in record.near_misses
        ]
    answer["model_answer"] = record.model_answer
    answer["rubric"] = [
        {"id": criterion.id, "criterion": criterion.criterion, "points": criterion.points}
        for criterion in record.rubric
    ]
    question: QuestionContent = {
        "id": record.id,
        "kind": record.kind,
        "focus": record.focus,
        "prompt": record.prompt,
        "points": record.points,
        "actors": record.actors,
        "treaties": record.treaties,
        "claims": record.claims,
        "evidence": record.evidence,
        "options": options,
        "items": [{"id": item.id, "text": item.text} for item in record.items],
        "evidence_part": record.evidence_part,
        "answer": cast(AnswerContent, answer),
    }
    question["answer"]["correct"] = kind.stored_key(record.correct, question)
    return question


# ---------------------------------------------------------------------------------------------------------
# Every problem of a document at once (the studio's upload and its publish checklist).


@dataclass(frozen=True)
class LessonFileProblem:
    """One problem of a lesson document: where it is (`path` in the file, and for a question its number,
    counting from 1, and id) and what is wrong (`message`)."""

    path: str
    message: str
    question_number: int | None = None
    question_id: str | None = None

    @property
    def field(self) -> str:
        """The path inside its question (`answer.correct`), or the whole path outside questions."""
        if self.question_number is None:
            return self.path
        return re.sub(r"^questions\[\d+\]\.?", "", self.path)

    @property
    def where(self) -> str:
        """The place in plain words: "Question 4 (q04), answer › correct" or "article › paragraphs"."""
        field = " › ".join(_plain_field(part) for part in _path_parts(self.field)) if self.field else ""
        if self.question_number is None:
            return field or str(_("the whole file"))
        if self.question_id:
            question = _("Question %(number)s (%(id)s)") % {
                "number": self.question_number,
                "id": self.question_id,
            }
        else:
            question = _("Question %(number)s") % {"number": self.question_number}
        return f"{question}, {field}" if field else question

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PLAIN_FIELDS = {
    "correct": _("answer key"),
    "explanation": _("explanation"),
    "option_feedback": _("feedback per option"),
    "accepted": _("accepted answers"),
    "model_answer": _("model answer"),
    "evidence": _("evidence sentences"),
    "evidence_part": _("evidence part"),
    "paragraph": _("paragraph"),
    "sentence": _("sentence"),
    "prompt": _("prompt"),
    "options": _("options"),
    "items": _("items"),
    "focus": _("focus"),
    "points": _("points"),
}


def _path_parts(path: str) -> list[str]:
    parts: list[str] = []
    for name, index in _PATH_PART.findall(path):
        if name:
            parts.append(name)
        elif parts and parts[-1] == "paragraphs":
            parts[-1] = f"paragraph {int(index) + 1}"
        elif parts and parts[-1].startswith("paragraph "):
            parts.append(f"sentence {int(index) + 1}")
        elif parts:
            parts[-1] = f"{parts[-1]} {int(index) + 1}"
    return parts


def _plain_field(part: str) -> str:
    name, _space, number = part.partition(" ")
    plain = str(_PLAIN_FIELDS.get(name, name.replace("_", " ")))
    return f"{plain} {number}" if number else plain


def _ids_of(value: Any) -> list[str]:
    """The string `id`s of a list of objects, whatever else is wrong with it."""
    if not isinstance(value, list):
        return []
    return [item["id"] for item in value if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _sentence_ids_of(article: Any) -> list[str]:
    paragraphs = article.get("paragraphs") if isinstance(article, dict) else None
    if not isinstance(paragraphs, list):
        return []
    return [sentence_id for paragraph in paragraphs for sentence_id in _ids_of(paragraph)]


class _Problems:
    """Collects LessonFileErrors, each once, with the question each belongs to."""

    def __init__(self, questions: Any) -> None:
        self.found: list[LessonFileProblem] = []
        self._seen: set[tuple[str, str]] = set()
        self._question_ids = [
            item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
            for item in (questions if isinstance(questions, list) else [])
        ]

    def add(self, error: LessonFileError) -> None:
        if (error.path, error.message) in self._seen:
            return
        self._seen.add((error.path, error.message))
        match = re.match(r"questions\[(\d+)\]", error.path)
        index = int(match.group(1)) if match else None
        self.found.append(
            LessonFileProblem(
                path=error.path,
                message=error.message,
                question_number=None if index is None else index + 1,
                question_id=(
                    self._question_ids[index]
                    if index is not None and index < len(self._question_ids)
                    else None
                ),
            )
        )

    def check(self, probe: Callable[[], Any]) -> bool:
        """Run `probe`, keeping the problem it raises; whether it passed."""
        try:
            probe()
        except LessonFileError as error:
            self.add(error)
            return False
        return True


def _duplicates(problems: _Problems, nodes: list[Node], what: str) -> None:
    seen: set[str] = set()
    for node in nodes:
        identifier = node.value.get("id") if isinstance(node.value, dict) else None
        if isinstance(identifier, str):
            if identifier in seen:
                problems.add(LessonFileError(f"{node.path}.id", f"{identifier!r} is used twice"))
            seen.add(identifier)


def _question_probes(
    node: Node, actor_ids: list[str], treaty_ids: list[str], claim_ids: list[str], sentence_ids: list[str]
) -> list[Callable[[], Any]]:
    """Checks of a question's fields that do not depend on each other, so one question can show several
    problems at once; the whole question is read after them for what depends on its kind and options."""
    return [
        lambda: node["kind"].choice(kind_names()),
        lambda: node["focus"].choice(Focus.values),
        lambda: node["prompt"].text(),
        lambda: node["points"].integer(minimum=1, maximum=100),
        lambda: node["actors"].refs(actor_ids, "actor"),
        lambda: node["treaties"].refs(treaty_ids, "treaty"),
        lambda: node["claims"].refs(claim_ids, "claim"),
        lambda: node["evidence"].refs(sentence_ids, "sentence", at_least=1 if sentence_ids else 0),
        lambda: node["answer"]["explanation"].text(),
    ]


def lesson_file_problems(data: Any) -> list[LessonFileProblem]:
    """Every problem of a lesson document, not only the first: an empty list when
    `parse_lesson_document(data)` accepts it. Each problem names its place by its path and, inside a
    question, by the question's number and id. Problems that hide others (the file is not an object, its
    format is wrong, a list is not a list) are reported alone for their part.
    """
    try:
        check_bounds(data)
    except LessonFileError as error:
        return [LessonFileProblem(path=error.path, message=error.message)]
    root = Node(data)
    top = data if isinstance(data, dict) else {}
    problems = _Problems(top.get("questions"))
    if not problems.check(root.mapping):
        return problems.found
    problems.check(lambda: root.known_fields(TOP_FIELDS))
    if not problems.check(lambda: root["format"]) or root["format"].value != FORMAT_NAME:
        if "format" in top:
            problems.add(root["format"].fail(f"must be {FORMAT_NAME!r}"))
        return problems.found
    if problems.check(lambda: root["version"]):
        version = root["version"].value
        if type(version) is not int or version != FORMAT_VERSION:
            expected = f"version {version!r} is not supported (expected {FORMAT_VERSION})"
            problems.add(root["version"].fail(expected))
            return problems.found

    actor_ids = _ids_of(top.get("actors"))
    source_ids = _ids_of(top.get("sources"))
    treaty_ids = _ids_of(top.get("treaties"))
    claim_ids = _ids_of(top.get("claims"))
    sentence_ids = _sentence_ids_of(top.get("article"))

    def each(section: str, read: Callable[[Node], Any]) -> list[Node]:
        nodes: list[Node] = []
        if problems.check(lambda: nodes.extend(root[section].items())):
            for node in nodes:
                problems.check(lambda node=node: read(node))  # type: ignore[misc]
            _duplicates(problems, nodes, section)
        return nodes

    actor_nodes = each("actors", lambda node: _read_actor(node, actor_ids))
    if actor_nodes:
        problems.check(lambda: _refuse_affiliation_cycles(_lenient_actors(actor_nodes, actor_ids), "actors"))
    each("sources", lambda node: _read_source(node, actor_ids))
    each("treaties", lambda node: _read_treaty(node, actor_ids))
    problems.check(lambda: _read_article(root["article"], source_ids, may_be_empty=may_lack_article(top)))
    problems.check(lambda: _check_sentence_ids(root["article"]))

    claims: list[ClaimRecord] = []

    def read_claim(node: Node) -> None:
        claims.append(_read_claim(node, actor_ids, source_ids, sentence_ids, claim_ids))

    each("claims", read_claim)

    def read_question(node: Node) -> None:
        for probe in _question_probes(node, actor_ids, treaty_ids, claim_ids, sentence_ids):
            problems.check(probe)
        linked = node.value.get("claims") if isinstance(node.value, dict) else None
        read = {claim.id for claim in claims}
        broken = [claim_id for claim_id in claim_ids if claim_id not in read]
        if isinstance(linked, list) and any(claim_id in broken for claim_id in linked):
            return  # it links a claim with problems of its own: its links cannot be judged until it is fixed
        _read_question(node, actor_ids, treaty_ids, [claim.id for claim in claims], sentence_ids)

    question_nodes = each("questions", read_question)
    if "questions" in top and isinstance(top["questions"], list) and not question_nodes:
        problems.add(root["questions"].fail("must list at least one question"))
    problems.check(lambda: _read_lesson(root["lesson"], actor_ids, treaty_ids, unfinished=False))
    return problems.found


def read_one_question(
    data: Any, *, document: Mapping[str, Any]
) -> tuple[QuestionContent | None, list[tuple[str, str]]]:
    """One question as a lesson file gives it (untrusted JSON), read by the lesson file's rules against the
    rest of `document` (its actors, treaties, claims and article's sentences): the question as a document
    stores it and no problem, or None and every problem found, each (path, message) with the path inside
    the question (`answer.correct`; "" for the question as a whole)."""
    problems = _Problems(None)

    def found() -> list[tuple[str, str]]:
        return [(re.sub(r"^\(top level\)$", "", p.path), p.message) for p in problems.found]

    node = Node(data)
    if not problems.check(lambda: check_bounds(data)) or not problems.check(node.mapping):
        return None, found()
    actor_ids = _ids_of(document.get("actors"))
    treaty_ids = _ids_of(document.get("treaties"))
    claim_ids = _ids_of(document.get("claims"))
    sentence_ids = _sentence_ids_of(document.get("article"))
    for probe in _question_probes(node, actor_ids, treaty_ids, claim_ids, sentence_ids):
        problems.check(probe)
    read: list[QuestionRecord] = []
    problems.check(lambda: read.append(_read_question(node, actor_ids, treaty_ids, claim_ids, sentence_ids)))
    if problems.found or not read:
        return None, found()
    return question_content(read[0]), []


def _lenient_actors(nodes: list[Node], actor_ids: list[str]) -> list[ActorRecord]:
    actors = []
    for node in nodes:
        with contextlib.suppress(LessonFileError):
            actors.append(_read_actor(node, actor_ids))
    return actors


def _check_sentence_ids(article: Node) -> None:
    """A sentence id given twice, found even where `_read_article` stopped at an earlier problem."""
    seen: set[str] = set()
    for paragraph in article["paragraphs"].items():
        for sentence in paragraph.items():
            identifier = sentence.value.get("id") if isinstance(sentence.value, dict) else None
            if isinstance(identifier, str):
                if identifier in seen:
                    raise sentence["id"].fail(f"sentence id {identifier!r} is used twice")
                seen.add(identifier)
