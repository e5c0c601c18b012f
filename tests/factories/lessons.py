"""Lessons for tests: lesson documents, and the lessons they import to, made quickly.

`load_lesson(data)` gives the lesson `lesson_import(data=data)` would make. The first time a document is
loaded in a run it is imported for real and every row the import wrote is kept in memory; after that the
rows are written again with one prepared INSERT per table (some 25 statements instead of a few hundred, most
of them the read-back that publishing does), from values kept as the database takes them: no model object is
built for a copy. That copy is taken only onto a database holding none of those tables' rows, where it
gives exactly what a fresh import gives: new primary keys from the database's own sequences, the foreign
keys between the rows mapped onto them, and timestamps of the moment of copying (a microsecond apart, in
the order the import wrote them, so none is later than the copy's end).
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
    """One table's rows as the copy inserts them: values ready for the database, but for the keys (and the
    timestamps of the import), which each copy works out afresh."""

    model: type[models.Model]
    insert_sql: str
    # Every row's values in column order, as the database takes them (None where a key or a time goes).
    rows: list[list[Any]]
    # The column of the table's own key, when its sequence gives it.
    own_key: int | None
    # For every key (own or foreign) to a copied row: (row index, column, table of the row, rank of the row).
    keys: list[tuple[int, int, type[models.Model], int]]
    # For every time the import wrote: (row index, column, field, its rank among the import's times).
    times: list[tuple[int, int, models.DateTimeField[Any, Any], int]]


@dataclass(frozen=True)
class _SavedImport:
    tables: tuple[_Table, ...]  # in the order they can be inserted
    lesson_rank: int  # the imported lesson's, among the saved lessons


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


def _insert_order(written: list[type[models.Model]]) -> list[type[models.Model]]:
    """The tables in an order each can be inserted in: a required foreign key only to a table inserted
    before (a nullable one, to itself or to a later table, is checked at commit: Django makes every foreign
    key constraint deferred)."""
    placed: list[type[models.Model]] = []
    waiting = list(written)
    while waiting:
        for model in waiting:
            required = [
                field.related_model
                for field in _foreign_keys(model)
                if not field.null and field.related_model is not model
            ]
            if all(target in placed or target not in written for target in required):
                placed.append(model)
                waiting.remove(model)
                break
        else:
            raise _CannotCopy(f"no insert order for {waiting}")
    return placed


def _save(written: list[type[models.Model]], imported_at: dt.datetime, lesson_pk: int) -> _SavedImport:
    """Keep the rows the import wrote, each key as the rank of the row it points at among the saved rows."""
    order = _insert_order(written)
    saved_rows: dict[type[models.Model], list[Row]] = {}
    ranks: dict[type[models.Model], dict[Any, int]] = {}
    for model in order:
        attnames = [field.attname for field in model._meta.concrete_fields]
        saved_rows[model] = list(model._base_manager.order_by("pk").values(*attnames))
        pk_name = model._meta.pk.attname
        ranks[model] = {row[pk_name]: rank for rank, row in enumerate(saved_rows[model])}
    # The times the import wrote (not those from the document), in their order.
    written_times = sorted(
        {
            row[field.attname]
            for model in order
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateTimeField)
            for row in saved_rows[model]
            if row[field.attname] is not None and row[field.attname] >= imported_at
        }
    )
    time_ranks = {value: rank for rank, value in enumerate(written_times)}
    tables = []
    for model in order:
        meta = model._meta
        fields = list(meta.concrete_fields)
        own_key = None
        if not meta.pk.is_relation:  # a key of its own, not a one-to-one link's: from the table's sequence
            if not isinstance(meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
                raise _CannotCopy(f"{meta.label}: a primary key no sequence gives")
            own_key = fields.index(meta.pk)
        rows: list[list[Any]] = []
        keys: list[tuple[int, int, type[models.Model], int]] = []
        times: list[tuple[int, int, Any, int]] = []
        for index, row in enumerate(saved_rows[model]):
            values: list[Any] = []
            for column, field in enumerate(fields):
                value = row[field.attname]
                if column == own_key:
                    keys.append((index, column, model, ranks[model][value]))
                    value = None
                elif isinstance(field, models.ForeignKey) and value is not None:
                    target = field.related_model
                    if target not in ranks:
                        raise _CannotCopy(f"{meta.label}.{field.name} points at a row from before")
                    if target._meta.pk.is_relation:
                        raise _CannotCopy(f"{meta.label}.{field.name} points at a row keyed by another's key")
                    keys.append((index, column, target, ranks[target][value]))
                    value = None
                elif isinstance(field, models.DateTimeField) and value in time_ranks:
                    times.append((index, column, field, time_ranks[value]))
                    value = None
                else:
                    value = field.get_db_prep_save(value, connection)
                values.append(value)
            rows.append(values)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        insert_sql = f"INSERT INTO {_table(model)} ({columns}) VALUES ({marks})"
        tables.append(_Table(model, insert_sql, rows, own_key, keys, times))
    return _SavedImport(tables=tuple(tables), lesson_rank=ranks[Lesson][lesson_pk])


def _keys_before(models_: list[type[models.Model]], counts: list[int]) -> dict[type[models.Model], int]:
    """Take from each table's own sequence as many keys as inserting its rows would; give, for each table,
    the key before the first taken."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # An AUTOINCREMENT table's next key is one past the highest it has given (a mark rolled back with
            # the rest of a transaction); inserting keys explicitly moves the mark past them.
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            given = dict(cursor.fetchall())
            return {model: int(given.get(model._meta.db_table, 0)) for model in models_}
        if connection.vendor == "postgresql":
            # One statement for every table: each sequence moved past `count` keys, the one before the first.
            sequence = "pg_get_serial_sequence(%s, %s)"
            one = f"setval({sequence}, nextval({sequence}) + %s - 1) - %s"
            taken = ", ".join([one] * len(models_))
            params = []
            for model, count in zip(models_, counts, strict=True):
                table_column = [model._meta.db_table, model._meta.pk.column]
                params += [*table_column, *table_column, count, count]
            cursor.execute(f"SELECT {taken}", params)
            return dict(zip(models_, map(int, cursor.fetchone()), strict=True))
    raise NotImplementedError(connection.vendor)


def _copy(saved: _SavedImport) -> Lesson:
    """Insert the saved rows anew: fresh keys, foreign keys mapped onto them, this moment's timestamps."""
    # The times the import wrote become the moment of copying, a microsecond apart in their order: an
    # import's span (tens of milliseconds, more on a busy machine) would put them after the copy's end.
    start = timezone.now()
    sequenced = [table for table in saved.tables if table.own_key is not None]
    with transaction.atomic():
        before = _keys_before([table.model for table in sequenced], [len(table.rows) for table in sequenced])
        with connection.cursor() as cursor:
            for table in saved.tables:
                rows = [list(row) for row in table.rows]
                for index, column, target, rank in table.keys:
                    rows[index][column] = before[target] + rank + 1
                for index, column, field, rank in table.times:
                    moment = start + dt.timedelta(microseconds=rank)
                    rows[index][column] = field.get_db_prep_save(moment, connection)
                cursor.executemany(table.insert_sql, rows)
    return Lesson.objects.get(pk=before[Lesson] + 1 + saved.lesson_rank)
