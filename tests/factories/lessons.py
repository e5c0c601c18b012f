"""Lessons for tests: lesson documents, and the lessons they import to, made quickly.

`load_lesson(data)` gives the lesson `lesson_import(data=data)` would make. The first time a document is
loaded in a run it is imported for real and every row the import wrote is kept in memory; after that the
rows are written again with one bulk insert per table (some 25 statements instead of a few hundred, most of
them the read-back that publishing does). That copy is taken only onto a database holding none of those
tables' rows, where it gives exactly what a fresh import gives: new primary keys from the database's own
sequences, the foreign keys between the rows mapped onto them, and timestamps of the moment of copying.
Anywhere else (another lesson already shares its actors, say), `load_lesson` imports for real.

Tests of importing itself call `lesson_import`; everything else that only needs a lesson calls
`load_lesson`.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone

from lessons.models import Lesson
from lessons.services import lesson_import

FIRST_LESSON_FILE = Path(settings.BASE_DIR) / "fixtures" / "lessons" / "venezuela-military-aid.json"
# A second, small lesson of the tests' own (an original report, partial dates, near misses, on-record
# claims): rules that hold for any lesson are tested on it as well as on the first.
SECOND_LESSON_FILE = Path(settings.BASE_DIR) / "tests" / "fixture_lessons" / "second_lesson.json"
LESSON_FILES = (FIRST_LESSON_FILE, SECOND_LESSON_FILE)

Row = dict[str, Any]


@cache
def _first_lesson_text() -> str:
    return FIRST_LESSON_FILE.read_text(encoding="utf-8")


def first_lesson_document() -> dict[str, Any]:
    """A fresh copy of the first fixture lesson's document, free for a test to change."""
    return json.loads(_first_lesson_text())


def second_lesson_document() -> dict[str, Any]:
    """A fresh copy of the second lesson's document (6 questions)."""
    data: dict[str, Any] = json.loads(SECOND_LESSON_FILE.read_text(encoding="utf-8"))
    return data


def repeated_questions_document(data: dict[str, Any], count: int) -> dict[str, Any]:
    """The document with its questions repeated up to `count` (ids suffixed by round: ``q01-1`` …
    ``q01-2`` …), under the slug ``<slug>-<count>``."""
    document = copy.deepcopy(data)
    originals = document["questions"]
    document["questions"] = []
    for index in range(count):
        question = copy.deepcopy(originals[index % len(originals)])
        question["id"] = f"{question['id']}-{index // len(originals) + 1}"
        document["questions"].append(question)
    document["lesson"]["slug"] = f"{document['lesson']['slug']}-{count}"
    return document


def single_choice_document(data: dict[str, Any], *, count: int, slug: str) -> dict[str, Any]:
    """The document with its questions replaced by `count` copies of its single-choice questions (ids
    ``sc01``, ``sc02``, …), published under a new slug."""
    document = copy.deepcopy(data)
    originals = [q for q in document["questions"] if q["kind"] == "single_choice"]
    assert originals, "the fixture lesson has single-choice questions"
    questions = []
    for index in range(count):
        question = copy.deepcopy(originals[index % len(originals)])
        question["id"] = f"sc{index + 1:02d}"
        questions.append(question)
    document["questions"] = questions
    document["lesson"]["slug"] = slug
    document["lesson"]["status"] = "published"
    return document


# A small lesson whose reading aids each hold a fact that answers one question, and nowhere else: the
# tests of when aids appear look for these facts on every page, fragment and header.
AID_FACTS = {
    "sourcing_note": "rests on one unseen memo",
    "provenance": "a leaked memo seen by the Kestrel Daily",
    "actor_cards": "Keeper of the Northern Seal",  # Ana Ruiz's role, on her card
    "treaty_cards": "May 6, 2024",  # when Valdoria ratified the accord, as its card shows it in English
}
AID_TREATY_RATIFIED_ON = "2024-05-06"  # the same date as the lesson file writes it
# The question whose feedback each aid waits for (by the links of AIDS_DOCUMENT's questions).
AID_QUESTION = {
    "sourcing_note": "q-patrol",
    "provenance": "q-patrol",
    "actor_cards": "q-role",
    "treaty_cards": "q-treaty",
}
# Another card fact, of an actor only q-patrol depends on (through the source of the claim it links).
ORE_ROLE = "Chief of the Tidewater Guard"


def _short_answer(key: str, focus: str, prompt: str, accepted: str, **links: list[str]) -> dict[str, Any]:
    return {
        "id": key,
        "kind": "short_answer",
        "focus": focus,
        "prompt": prompt,
        "points": 1,
        "actors": links.get("actors", []),
        "treaties": links.get("treaties", []),
        "claims": [],
        "evidence": ["p1s1"],
        "options": [],
        "items": [],
        "evidence_part": 0,
        "answer": {
            "explanation": f"The card says so: {accepted}.",
            "correct": None,
            "option_feedback": {},
            "accepted": [accepted],
            "typo_tolerance": 0,
            "model_answer": "",
            "rubric": [],
        },
    }


def aids_lesson_document(slug: str = "tidewater-aids", **reading_aids: str) -> dict[str, Any]:
    """A published lesson of three questions, one per kind of aid it depends on; `reading_aids` as its
    file gives them (none given: the file leaves `reading_aids` out)."""
    lesson: dict[str, Any] = {
        "slug": slug,
        "title": "The Tidewater accord",
        "introduction": "A ports deal between neighbours, and who says what about it.",
        "sourcing_note": f"The claim about ships {AID_FACTS['sourcing_note']}: it is *reported*.",
        "objectives": ["Tell who is who."],
        "level": "beginner",
        "estimated_minutes": 5,
        "status": "published",
        "visibility": "public",
        "language": "en",
        "actors": ["ana-ruiz", "borin-ode", "valdoria"],
        "treaties": ["tidewater-accord"],
    }
    if reading_aids:
        lesson["reading_aids"] = reading_aids
    return {
        "format": "quizsite.lesson",
        "version": 1,
        "lesson": lesson,
        "sources": [
            {
                "id": "cabinet-statement",
                "name": "Cabinet statement",
                "kind": "official_statement",
                "url": "",
                "actor": "borin-ode",
                "description": "",
            },
            {
                "id": "kestrel-daily",
                "name": "Kestrel Daily",
                "kind": "outlet",
                "url": "",
                "actor": None,
                "description": "",
            },
        ],
        "actors": [
            {
                "id": "ana-ruiz",
                "name": "Ana Ruiz",
                "kind": "person",
                "aliases": [],
                "role": AID_FACTS["actor_cards"],
                "affiliation": "valdoria",
                "description": "",
            },
            {
                "id": "borin-ode",
                "name": "Borin Ode",
                "kind": "person",
                "aliases": [],
                "role": ORE_ROLE,
                "affiliation": None,
                "description": "",
            },
            {
                "id": "valdoria",
                "name": "Valdoria",
                "kind": "state",
                "aliases": [],
                "role": "",
                "affiliation": None,
                "description": "",
            },
        ],
        "treaties": [
            {
                "id": "tidewater-accord",
                "name": "Tidewater accord",
                "kind": "agreement",
                "signed_on": None,
                "status": "in_force",
                "summary": "",
                "parties": [
                    {
                        "actor": "valdoria",
                        "ratification": "ratified",
                        "ratified_on": AID_TREATY_RATIFIED_ON,
                    }
                ],
            }
        ],
        "article": {
            "headline": "Neighbours sign a ports accord",
            "source": "kestrel-daily",
            "published_on": None,
            "url": "",
            "original_headline": "Ports deal stirs doubts",
            "rests_on": AID_FACTS["provenance"],
            "cites": [],
            "paragraphs": [
                [
                    {"id": "p1s1", "text": "Ana Ruiz signed the accord for Valdoria."},
                    {"id": "p1s2", "text": "Borin Ode's office said the guard would patrol the harbour."},
                ]
            ],
        },
        "claims": [
            {
                "id": "c-patrol",
                "statement": "The guard will patrol the harbour.",
                "asserted_by": None,
                "via": ["cabinet-statement"],
                "standing": "reported",
                "evidence": ["p1s2"],
                "counter_claims": [],
                "note": "",
            }
        ],
        "questions": [
            _short_answer(
                "q-role",
                "actor",
                "What title does Ana Ruiz hold?",
                AID_FACTS["actor_cards"],
                actors=["ana-ruiz"],
            ),
            {
                **_short_answer("q-patrol", "sourcing", "Is the patrol on the record?", "no"),
                "kind": "true_false",
                "claims": ["c-patrol"],
                "evidence": ["p1s2"],
                "answer": {
                    "explanation": "Only through the office's statement.",
                    "correct": False,
                    "option_feedback": {},
                    "accepted": [],
                    "typo_tolerance": 0,
                    "model_answer": "",
                    "rubric": [],
                },
            },
            _short_answer(
                "q-treaty",
                "treaty",
                "When did Valdoria ratify the accord?",
                AID_FACTS["treaty_cards"],
                treaties=["tidewater-accord"],
            ),
        ],
    }


@dataclass(frozen=True)
class _Table:
    model: type[models.Model]
    rows: list[Row]  # by attname, in primary-key order
    # Foreign keys set after the insert: to a row of the same table, or of a table inserted later.
    deferred: tuple[models.ForeignKey[Any, Any], ...]
    # Fields a check constraint ties to those keys (a published lesson has a revision): inserted at their
    # default, set together with the keys.
    held: tuple[models.Field[Any, Any], ...]


@dataclass(frozen=True)
class _SavedImport:
    tables: tuple[_Table, ...]  # in the order they can be inserted
    imported_at: dt.datetime
    lesson_pk: int


class _CannotCopy(Exception):
    """The rows of this import do not stand on their own (they point at rows written before it)."""


_saved: dict[str, _SavedImport] = {}


def load_lesson(data: dict[str, Any]) -> Lesson:
    """The lesson `lesson_import(data=data)` makes, copied in bulk when an earlier import can be reused."""
    key = json.dumps(data, sort_keys=True)
    saved = _saved.get(key)
    if saved is not None and _all_empty(table.model for table in saved.tables):
        return _copy(saved)
    if saved is not None:
        return lesson_import(data=copy.deepcopy(data))
    counts_before = _row_counts()
    imported_at = timezone.now()
    lesson = lesson_import(data=copy.deepcopy(data))
    written = [model for model, count in _row_counts().items() if count != counts_before[model] and count > 0]
    if all(counts_before[model] == 0 for model in written):
        with contextlib.suppress(_CannotCopy):  # then this document is imported every time
            _saved[key] = _save(written, imported_at, lesson.pk)
    return lesson


def _concrete_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _row_counts() -> dict[type[models.Model], int]:
    """Rows in every table, read in one statement."""
    every = _concrete_models()
    counts = ", ".join(f"(SELECT COUNT(*) FROM {_table(model)})" for model in every)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return dict(zip(every, row, strict=True))


def _all_empty(tables: Iterable[type[models.Model]]) -> bool:
    """Whether none of these tables holds a row, asked in one statement."""
    any_row = " OR ".join(f"EXISTS (SELECT 1 FROM {_table(model)})" for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN {any_row} THEN 1 ELSE 0 END")
        (found,) = cursor.fetchone()
    return not found


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]


def _insert_order(written: list[type[models.Model]]) -> list[tuple[type[models.Model], tuple[Any, ...]]]:
    """The tables in an order each can be inserted in: a required foreign key only to a table inserted
    before; a nullable one to itself or to a later table is filled in afterwards."""
    placed: list[tuple[type[models.Model], tuple[Any, ...]]] = []
    done: set[type[models.Model]] = set()
    waiting = list(written)
    while waiting:
        for model in waiting:
            required = [
                field.related_model
                for field in _foreign_keys(model)
                if not field.null and field.related_model is not model
            ]
            if all(target in done or target not in written for target in required):
                deferred = tuple(
                    field
                    for field in _foreign_keys(model)
                    if field.null
                    and (field.related_model is model or field.related_model not in done)
                    and field.related_model in written
                )
                placed.append((model, deferred))
                done.add(model)
                waiting.remove(model)
                break
        else:
            raise _CannotCopy(f"no insert order for {waiting}")
    return placed


def _names_in(condition: Any) -> set[str]:
    """The field names a check constraint's Q condition reads."""
    if isinstance(condition, Q):
        return set().union(*(_names_in(child) for child in condition.children))
    if isinstance(condition, tuple):
        return {condition[0].split(LOOKUP_SEP)[0]}
    raise _CannotCopy(f"a check constraint this copy cannot read: {condition!r}")


def _held_with(model: type[models.Model], deferred: tuple[Any, ...]) -> tuple[models.Field[Any, Any], ...]:
    deferred_names = {field.name for field in deferred} | {field.attname for field in deferred}
    held: set[str] = set()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            names = _names_in(constraint.condition)
            if names & deferred_names:
                held |= names - deferred_names
    fields = tuple(model._meta.get_field(name) for name in sorted(held))
    if not all(isinstance(field, models.Field) and field.has_default() for field in fields):
        raise _CannotCopy(f"{model._meta.label}: a field tied to a later key has no default")
    return fields  # type: ignore[return-value]


def _save(written: list[type[models.Model]], imported_at: dt.datetime, lesson_pk: int) -> _SavedImport:
    tables = []
    for model, deferred in _insert_order(written):
        attnames = [field.attname for field in model._meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values(*attnames))
        for field in _foreign_keys(model):
            if field.related_model not in written and any(row[field.attname] is not None for row in rows):
                raise _CannotCopy(f"{model._meta.label}.{field.name} points at a row from before")
        tables.append(_Table(model=model, rows=rows, deferred=deferred, held=_held_with(model, deferred)))
    return _SavedImport(tables=tuple(tables), imported_at=imported_at, lesson_pk=lesson_pk)


def _copy(saved: _SavedImport) -> Lesson:
    """Insert the saved rows anew: fresh keys, foreign keys mapped onto them, this moment's timestamps."""
    shift = timezone.now() - saved.imported_at
    new_pk: dict[type[models.Model], dict[Any, Any]] = {}
    inserted: list[tuple[_Table, list[models.Model]]] = []
    with transaction.atomic():
        for table in saved.tables:
            objects = [
                table.model(**_insert_values(table, row, new_pk, saved.imported_at, shift))
                for row in table.rows
            ]
            table.model._base_manager.bulk_create(objects)
            pk_name = table.model._meta.pk.attname
            new_pk[table.model] = {row[pk_name]: obj.pk for row, obj in zip(table.rows, objects, strict=True)}
            inserted.append((table, objects))
        for table, objects in inserted:
            if table.deferred:
                _complete(table, objects, new_pk)
    return Lesson.objects.get(pk=new_pk[Lesson][saved.lesson_pk])


def _insert_values(
    table: _Table,
    row: Row,
    new_pk: dict[type[models.Model], dict[Any, Any]],
    imported_at: dt.datetime,
    shift: dt.timedelta,
) -> Row:
    """One row as inserted: no key of its own yet, keys to rows already copied mapped onto their copies,
    keys to later rows (and what a constraint ties to them) left at their defaults for `_complete`."""
    values = dict(row)
    meta = table.model._meta
    if not meta.pk.is_relation:  # a key of its own, not a one-to-one link's
        values[meta.pk.attname] = None
    for field in _foreign_keys(table.model):
        if field in table.deferred:
            values[field.attname] = None
        elif row[field.attname] is not None:
            values[field.attname] = new_pk[field.related_model][row[field.attname]]
    for field in table.held:
        values[field.attname] = field.get_default()
    for field in meta.concrete_fields:
        value = values[field.attname]
        # A time the import wrote (not one from the document) moves to the time of copying.
        if isinstance(field, models.DateTimeField) and value is not None and value >= imported_at:
            values[field.attname] = value + shift
    return values


def _complete(
    table: _Table, objects: list[models.Model], new_pk: dict[type[models.Model], dict[Any, Any]]
) -> None:
    """Set the keys left out at insert time, now that every row they point at exists."""
    for row, obj in zip(table.rows, objects, strict=True):
        for field in table.deferred:
            old = row[field.attname]
            setattr(obj, field.attname, None if old is None else new_pk[field.related_model][old])
        for field in table.held:
            setattr(obj, field.attname, row[field.attname])
    fields = [field.name for field in (*table.deferred, *table.held)]
    table.model._base_manager.bulk_update(objects, fields)
