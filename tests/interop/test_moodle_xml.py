"""Moodle XML: each supported question type read from a small file of its own into the question an import
writes, what cannot be carried reported question by question, broken and hostile files refused, and a
lesson written out as Moodle XML."""

from __future__ import annotations

from typing import Any

import pytest
from interop_support import FILES, key, options, read

from lessons.interop.documents import lesson_of_bank, portable_questions
from lessons.interop.moodle_xml import read_moodle_xml, write_moodle_xml
from lessons.interop.report import FormatError, Report
from lessons.interop.safety import MAX_UPLOAD_BYTES


def question(kind: str, prompt: str, explanation: str, **fields: Any) -> dict[str, Any]:
    shown = {
        "kind": kind,
        "prompt": prompt,
        "points": 1,
        "options": [],
        "items": [],
        "correct": None,
        "option_feedback": {},
    }
    shown.update(fields)
    shown["explanation"] = explanation
    return shown


SUPPORTED: list[tuple[str, list[dict[str, Any]], list[str]]] = [
    (
        "multichoice.xml",
        [
            question(
                "single_choice",
                "<p>Which city is the capital?</p>",
                "Caracas is the **capital**.",
                points=2,
                options=options("Caracas", "Maracaibo"),
                correct="o1",
                option_feedback={"o1": "Right."},
            ),
            question(
                "multiple_select",
                "What did Venezuela ask for?",
                "See the letter.",
                options=options("Missiles", "Radar repairs", "Jet repairs", "Drones"),
                correct=["o1", "o2", "o3"],
                option_feedback={"o4": "Asked of Iran."},
            ),
        ],
        ["changed: Requests: wrong answers now each take away what a right one gives"],
    ),
    (
        "truefalse.xml",
        [
            question(
                "true_false",
                "Russia has ratified the treaty.  \nThe article says so.",
                "It says Russia has since ratified it.",
                correct=True,
                option_feedback={"true": "Yes.", "false": "Read again."},
            )
        ],
        [],
    ),
    (
        "shortanswer.xml",
        [
            question(
                "short_answer",
                "In which month was the treaty signed?",
                "The article says May, with no year.",
                accepted=["May"],
                near_misses=[{"text": "June", "feedback": "Another month."}],
            )
        ],
        [
            "changed: Month: case-sensitive matching is not carried: case is forgiven",
            "changed: Month: answer “Spring” was worth 50%: it is no longer accepted",
        ],
    ),
    (
        "matching.xml",
        [
            question(
                "matching",
                "Match each person with their role.",
                "Roles as the article gives them.",
                points=3,
                options=[
                    {"id": "m1", "text": "Spokeswoman"},
                    {"id": "m2", "text": "President of Russia"},
                    {"id": "m3", "text": "Transport minister"},
                ],
                items=[{"id": "i1", "text": "Maria Zakharova"}, {"id": "i2", "text": "Vladimir Putin"}],
                correct={"i1": "m1", "i2": "m2"},
            )
        ],
        [],
    ),
    (
        "ordering.xml",
        [
            question(
                "ordering",
                "Put these in order.",
                "Signed, then ratified.",
                items=options("The treaty is signed", "Russia ratifies it", "Zakharova speaks"),
                correct=["o1", "o2", "o3"],
            )
        ],
        [],
    ),
    (
        "essay_numerical.xml",
        [
            question(
                "open_response",
                'Why does the article say "reportedly"?',
                "It rests on documents the reader cannot see.",
                points=2,
                model_answer="It rests on documents the reader cannot see.",
            ),
            question(
                "numeric",
                "How far can the drones reportedly fly?",
                "Up to 1,000 km.",
                points=2,
                correct={"value": 1000, "tolerance": 50, "unit": "km"},
            ),
        ],
        [
            "changed: Range: answer 1000 (50%) is not carried",
            "changed: Range: its default mark 1.5 is now 2 points",
        ],
    ),
    (
        "not_carried.xml",
        [
            question(
                "single_choice",
                "<p>Who is this? </p>",
                "Zakharova.",
                options=options("Zakharova", "Putin"),
                correct="o1",
            )
        ],
        [
            "skipped: Cloze: Moodle's cloze (embedded answers) questions are not carried",
            "skipped: Drag: Moodle's drag and drop into text questions are not carried",
            "skipped: Unknown: unknown question type “madeup”",
            "changed: With a picture: embedded files and images are not carried",
        ],
    ),
    (
        "bad_fraction.xml",
        [question("true_false", "Russia ratified it.", "It did.", correct=True, option_feedback={})],
        [
            "skipped: Bad: an answer weight of 37% is not one Moodle offers",
            "skipped: No right answer: a single-choice question needs exactly one answer worth 100%",
            "skipped: One pair: a matching question needs at least two pairs",
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected", "report"), SUPPORTED, ids=[case[0] for case in SUPPORTED])
def test_each_moodle_question_type_becomes_its_question(
    name: str, expected: list[dict[str, Any]], report: list[str]
) -> None:
    document, lines = read(read_moodle_xml, f"moodle/{name}")
    assert [key(question) for question in document["questions"]] == expected
    assert lines == report


def test_an_essay_keeps_its_grader_information_as_the_rubric() -> None:
    document, _lines = read(read_moodle_xml, "moodle/essay_numerical.xml")
    assert document["questions"][0]["answer"]["rubric"] == [
        {"id": "overall", "criterion": "Names the documents.", "points": 2}
    ]


def test_categories_are_kept() -> None:
    bank = read_moodle_xml((FILES / "moodle/multichoice.xml").read_bytes())
    assert bank.categories == ["Sourcing"]


BROKEN = [
    ("bomb.xml", "Moodle XML: declares a DTD or entities, which are refused"),
    ("external_entity.xml", "Moodle XML: declares a DTD or entities, which are refused"),
    ("not_quiz.xml", "a Moodle XML file has <quiz> at its root, not <questions>"),
    ("broken.xml", "Moodle XML: not well-formed XML (no element found: line 1, column 29)"),
]


@pytest.mark.parametrize(("name", "message"), BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_and_hostile_files_are_refused(name: str, message: str) -> None:
    with pytest.raises(FormatError) as refused:
        read(read_moodle_xml, f"moodle/{name}")
    assert refused.value.message == message


def test_a_file_over_the_size_cap_is_refused_unread() -> None:
    with pytest.raises(FormatError, match="larger than 2,000,000 bytes"):
        read_moodle_xml(b"<quiz>" + b" " * MAX_UPLOAD_BYTES + b"</quiz>")


def test_the_first_lesson_written_as_moodle_xml_reads_back(first_lesson_data: dict[str, Any]) -> None:
    report = Report()
    questions = portable_questions(first_lesson_data, report)
    content, notes = write_moodle_xml(questions, category=first_lesson_data["lesson"]["title"])
    bank = read_moodle_xml(content)
    document = lesson_of_bank(bank, slug="back", title="Back", introduction="Back.")
    kinds = [question["kind"] for question in document["questions"]]
    assert len(kinds) == len(first_lesson_data["questions"]) + 2 * 3  # attribution: three questions
    assert kinds.count("ordering") == 1 and kinds.count("numeric") == 1 and kinds.count("open_response") == 1
    assert bank.report.lines() == []
    assert bank.categories == [first_lesson_data["lesson"]["title"]]
    # Options are renumbered (o1, o2, …); each keeps its text and its feedback.
    first = next(q for q in first_lesson_data["questions"] if q["kind"] == "single_choice")
    back = document["questions"][first_lesson_data["questions"].index(first)]
    texts = {option["id"]: option["text"] for option in first["options"]}
    back_texts = {option["id"]: option["text"] for option in back["options"]}
    assert [back_texts[back["answer"]["correct"]]] == [texts[first["answer"]["correct"]]]
    assert sorted(back["answer"]["option_feedback"].values()) == sorted(
        first["answer"]["option_feedback"].values()
    )
    simplified = {note for _question, note in notes}
    assert simplified == {
        "its 3 parts are written as separate questions",
        "the article's sentences become a multiple-response question",
        "Moodle grades the order by its own rule, not by pairs in order",
        "the model answer is written as the general feedback",
        "feedback on matches is not carried",
    }
