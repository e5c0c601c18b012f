"""Rules that hold for any lesson, checked on both lesson files: the first lesson and the tests' own second
(an original report with partial dates, near misses and on-record claims).

A lesson file is its own export; every date in it is a date known in part; a list whose arrangement is
the answer never reaches a student in that arrangement, and the importer warns when a file stores it so.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command
from factories.lessons import LESSON_FILES

from lessons.content_types import QuestionContent
from lessons.kinds import get_kind
from lessons.kinds.scoring import key_positions_kept
from lessons.partial_dates import is_partial_date
from lessons.selectors.lessons import student_question
from lessons.services import dump_document, lesson_document, lesson_import, parse_lesson_document
from lessons.services.lesson_checks import Problem, lesson_problems, stored_in_key_order

SEEDS = [f"{assignment}:{learner}" for assignment in range(1, 11) for learner in range(1, 11)] + [
    f"self-study:{attempt}" for attempt in range(1, 51)
]


@pytest.fixture(params=LESSON_FILES, ids=lambda path: path.stem)
def lesson_file(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def document_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def arranged_questions(document: dict[str, Any]) -> list[tuple[int, QuestionContent, str, list[str | None]]]:
    """The questions whose answer is an arrangement of one of their lists, with that list and the key's."""
    found = []
    for index, question in enumerate(document["questions"]):
        typed = cast(QuestionContent, question)
        arrangement = get_kind(question["kind"]).key_arrangement(typed)
        if arrangement is not None:
            found.append((index, typed, *arrangement))
    return found


@pytest.mark.django_db
def test_a_lesson_file_is_its_own_export(lesson_file: Path) -> None:
    text = lesson_file.read_text(encoding="utf-8")

    lesson = lesson_import(data=json.loads(text))

    assert dump_document(lesson_document(lesson)) == text


def test_every_date_is_a_date_known_in_part(lesson_file: Path) -> None:
    document = document_of(lesson_file)
    dates = [document["article"]["published_on"]]
    for treaty in document["treaties"]:
        dates += [treaty["signed_on"], *(party["ratified_on"] for party in treaty["parties"])]
        dates += [fact["value"] for fact in treaty.get("outside_facts", []) if fact["field"] == "signed_on"]
    assert all(date is None or is_partial_date(date) for date in dates), dates


def test_both_lessons_have_lists_whose_arrangement_is_the_answer() -> None:
    for path in LESSON_FILES:
        fields = {field for _index, _question, field, _key in arranged_questions(document_of(path))}
        assert fields == {"items", "options"}, path.name  # an ordering and a matching question each


def test_a_student_never_gets_a_list_in_the_arrangement_of_its_key(lesson_file: Path) -> None:
    for _index, question, field, key in arranged_questions(document_of(lesson_file)):
        orders = set()
        for seed in ["", *SEEDS]:
            shown = [entry["id"] for entry in student_question(question, seed)[field]]  # type: ignore[literal-required]
            assert sorted(shown) == sorted(entry["id"] for entry in question[field])  # type: ignore[literal-required]
            assert key_positions_kept(shown, key) == 0, (question["id"], seed, shown)
            orders.add(tuple(shown))
        # Fixed per seed, and not one order for everyone where the list allows more than one.
        assert student_question(question, SEEDS[0]) == student_question(question, SEEDS[0])
        if len(key) > 2:
            assert len(orders) > 1, question["id"]


def in_key_order(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every list whose arrangement is the answer stored in the key's arrangement."""
    changed = copy.deepcopy(document)
    for index, _question, field, key in arranged_questions(document):
        question = changed["questions"][index]
        by_id = {entry["id"]: entry for entry in question[field]}
        keyed = [by_id[entry] for entry in dict.fromkeys(entry for entry in key if entry is not None)]
        question[field] = keyed + [entry for entry in question[field] if entry["id"] not in set(key)]
    return changed


def test_no_warning_for_lists_stored_in_another_order(lesson_file: Path) -> None:
    assert stored_in_key_order(document_of(lesson_file)) == []


def test_lists_stored_in_key_order_are_warned_of_by_path(lesson_file: Path) -> None:
    document = document_of(lesson_file)
    expected = [
        Problem(
            f"questions[{index}].{field}",
            f"the {field} are stored in the order of the answer key: list them in another order",
        )
        for index, _question, field, _key in arranged_questions(document)
    ]

    assert stored_in_key_order(in_key_order(document)) == expected
    assert set(expected) <= set(lesson_problems(parse_lesson_document(in_key_order(document))))


@pytest.mark.django_db
def test_the_import_command_prints_the_warnings_and_imports_all_the_same(
    lesson_file: Path, tmp_path: Path
) -> None:
    document = in_key_order(document_of(lesson_file))
    target = tmp_path / "lesson.json"
    target.write_text(dump_document(document), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_lesson", str(target), stdout=stdout, stderr=stderr)

    assert stdout.getvalue().startswith(f"Imported '{document['lesson']['slug']}'")
    warnings = stderr.getvalue().splitlines()
    assert warnings == [
        f"{target}: warning: {problem.path}: {problem.message}"
        for problem in lesson_problems(parse_lesson_document(document))
    ]
    assert len(warnings) >= 2
