"""GIFT: each supported question type read from a small file of its own into the question an import
writes, the broken files reported or refused, and a lesson written out as GIFT."""

from __future__ import annotations

from typing import Any

import pytest
from interop_support import key, options, read

from lessons.interop.documents import portable_questions
from lessons.interop.gift import read_gift, write_gift
from lessons.interop.report import Report
from lessons.kinds.file import LessonFileError

NO_EXPLANATION = "The imported question came without an explanation."

SUPPORTED: list[tuple[str, list[dict[str, Any]], list[str]]] = [
    (
        "single_choice.gift",
        [
            {
                "kind": "single_choice",
                "prompt": "Which city is the capital of Venezuela?",
                "points": 1,
                "options": options("Caracas", "Maracaibo", "Valencia"),
                "items": [],
                "correct": "o1",
                "option_feedback": {
                    "o1": "Right: the article names it.",
                    "o2": "No: that is another city.",
                    "o3": "Half a point in the file.",
                },
                "explanation": NO_EXPLANATION,
            }
        ],
        [
            "changed: Capital: answer “Valencia” was worth 50%: it now counts as wrong",
            "changed: Capital: it had no general feedback: the explanation says so",
        ],
    ),
    (
        "multiple_response.gift",
        [
            {
                "kind": "multiple_select",
                "prompt": "What did Venezuela reportedly ask Russia for?",
                "points": 1,
                "options": options("Missiles", "Radar repairs", "Drones"),
                "items": [],
                "correct": ["o1", "o2"],
                "option_feedback": {"o1": "Named in the letter.", "o3": "Asked of Iran."},
                "explanation": NO_EXPLANATION,
            }
        ],
        [
            "changed: Requests: wrong answers now each take away what a right one gives",
            "changed: Requests: it had no general feedback: the explanation says so",
        ],
    ),
    (
        "uneven_weights.gift",
        [
            {
                "kind": "multiple_select",
                "prompt": "Pick the reported requests.",
                "points": 1,
                "options": options("Missiles", "Radar repairs", "Drones"),
                "items": [],
                "correct": ["o1", "o2"],
                "option_feedback": {},
                "explanation": NO_EXPLANATION,
            }
        ],
        [
            "changed: Weights: the right answers were worth 70%, 30%: each now counts the same",
            "changed: Weights: it had no general feedback: the explanation says so",
        ],
    ),
    (
        "true_false.gift",
        [
            {
                "kind": "true_false",
                "prompt": "Russia has ratified the treaty.",
                "points": 1,
                "options": [],
                "items": [],
                "correct": True,
                "option_feedback": {
                    "true": "Yes: the article states it.",
                    "false": "The article says it has.",
                },
                "explanation": NO_EXPLANATION,
            }
        ],
        ["changed: Ratified: it had no general feedback: the explanation says so"],
    ),
    (
        "short_answer.gift",
        [
            {
                "kind": "short_answer",
                "prompt": "In which month was the treaty signed?",
                "points": 1,
                "options": [],
                "items": [],
                "correct": None,
                "option_feedback": {},
                "accepted": ["May", "mayo"],
                "near_misses": [{"text": "June", "feedback": "No: June is another month."}],
                "explanation": NO_EXPLANATION,
            }
        ],
        [
            "changed: Month: answer “Spring” was worth 50%: it is no longer accepted",
            "changed: Month: it had no general feedback: the explanation says so",
        ],
    ),
    (
        "matching.gift",
        [
            {
                "kind": "matching",
                "prompt": "Match each person with their role.",
                "points": 1,
                "options": [
                    {"id": "m1", "text": "Spokeswoman"},
                    {"id": "m2", "text": "President of Russia"},
                    {"id": "m3", "text": "President of China"},
                ],
                "items": [
                    {"id": "i1", "text": "Maria Zakharova"},
                    {"id": "i2", "text": "Vladimir Putin"},
                    {"id": "i3", "text": "Xi Jinping"},
                ],
                "correct": {"i1": "m1", "i2": "m2", "i3": "m3"},
                "option_feedback": {},
                "explanation": NO_EXPLANATION,
            }
        ],
        ["changed: Roles: it had no general feedback: the explanation says so"],
    ),
    (
        "numerical.gift",
        [
            {
                "kind": "numeric",
                "prompt": "How far, in kilometres, can the drones reportedly fly?",
                "points": 1,
                "options": [],
                "items": [],
                "correct": {"value": 1000, "tolerance": 100, "unit": ""},
                "option_feedback": {},
                "explanation": NO_EXPLANATION,
            },
            {
                "kind": "numeric",
                "prompt": "In which year was the treaty signed?",
                "points": 1,
                "options": [],
                "items": [],
                "correct": {"value": 2025.0, "tolerance": 1.0, "unit": ""},
                "option_feedback": {},
                "explanation": NO_EXPLANATION,
            },
        ],
        [
            "changed: Range: it had no general feedback: the explanation says so",
            "changed: Years: it had no general feedback: the explanation says so",
        ],
    ),
    (
        "essay.gift",
        [
            {
                "kind": "open_response",
                "prompt": 'Why does the article say "reportedly"?',
                "points": 1,
                "options": [],
                "items": [],
                "correct": None,
                "option_feedback": {},
                "model_answer": "It rests on documents the reader cannot see.",
                "explanation": "It rests on documents the reader cannot see.",
            }
        ],
        [],
    ),
]


@pytest.mark.parametrize(("name", "expected", "report"), SUPPORTED, ids=[case[0] for case in SUPPORTED])
def test_each_supported_gift_type_becomes_its_question(
    name: str, expected: list[dict[str, Any]], report: list[str]
) -> None:
    document, lines = read(read_gift, f"gift/{name}")
    assert [key(question) for question in document["questions"]] == expected
    assert lines == report


def test_an_essay_gets_a_rubric_of_one_criterion_worth_its_points() -> None:
    document, _lines = read(read_gift, "gift/essay.gift")
    assert document["questions"][0]["answer"]["rubric"] == [
        {"id": "overall", "criterion": "Agrees with the model answer", "points": 1}
    ]


def test_text_formats_are_read_html_sanitised_and_the_category_kept() -> None:
    document, lines = read(read_gift, "gift/formats.gift")
    prompts = [question["prompt"] for question in document["questions"]]
    assert prompts == [
        "<p>Who <strong>said</strong> it?</p>",
        "Who **said** it?",
        "Who said \\*it\\*?",
        "Russia _____ the treaty.",
    ]
    assert document["questions"][0]["options"] == options("Zakharova", "Putin")
    assert document["questions"][0]["answer"]["option_feedback"] == {"o1": "<em>Yes</em>"}
    assert "changed: Html: embedded files and images are not carried" in lines
    assert "changed: Blank: a missing-word question: the blank is shown as _____" in lines
    assert "skipped: question 5: a description (no answer) is not a question" in lines


def test_a_bad_fraction_skips_its_question_and_keeps_the_others() -> None:
    document, lines = read(read_gift, "gift/bad_fraction.gift")
    assert [question["answer"]["correct"] for question in document["questions"]] == ["o1"]
    assert lines[0] == "skipped: Bad: an answer weight of 150% is not a share of the points"


def test_a_matching_question_with_one_pair_is_skipped_and_the_file_refused() -> None:
    with pytest.raises(LessonFileError, match="no question that can be imported"):
        read(read_gift, "gift/one_pair.gift")


def test_a_file_of_nothing_importable_is_refused() -> None:
    with pytest.raises(LessonFileError, match="no question that can be imported"):
        read(read_gift, "gift/nothing.gift")


def test_the_first_lesson_written_as_gift_reads_back_with_a_report_of_what_changed(
    first_lesson_data: dict[str, Any],
) -> None:
    report = Report()
    questions = portable_questions(first_lesson_data, report)
    text, notes = write_gift(questions, category=first_lesson_data["lesson"]["title"])
    assert text.startswith("$CATEGORY: $course$/top/")
    back = read_gift(text.encode())
    document = lesson_of_bank_for(back)
    kinds = [question["kind"] for question in document["questions"]]
    # Attribution's three parts become three single choices; evidence a multiple response; ordering a
    # matching of each item to its position.
    assert len(kinds) == len(first_lesson_data["questions"]) + 2 * 3
    assert "attribution" not in kinds and "evidence" not in kinds and "ordering" not in kinds
    assert back.report.lines() == []
    simplified = {note for _question, note in notes}
    assert "its 3 parts are written as separate questions" in simplified
    assert "the article's sentences become a multiple-response question" in simplified
    assert "GIFT has no ordering question: each item is matched to its position" in simplified


def lesson_of_bank_for(bank: Any) -> dict[str, Any]:
    from lessons.interop.documents import lesson_of_bank

    return lesson_of_bank(bank, slug="back", title="Back", introduction="Back.")
