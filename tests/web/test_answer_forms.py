"""Posted answer forms → the answer shapes grading expects, and the forms refilled after a refusal."""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from lessons import grading
from lessons.kinds import all_kinds, get_kind, kind_names
from lessons.kinds.attribution import STANDINGS
from lessons.selectors.player import SentenceRef
from lessons.services import InvalidAnswer
from lessons.web.answer_forms import answer_form, answer_from_post


def post(data: dict[str, Any]) -> QueryDict:
    return QueryDict(urlencode(data, doseq=True))


@pytest.fixture
def questions(first_lesson_data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {question["id"]: question for question in first_lesson_data["questions"]}


@pytest.fixture
def sentences(first_lesson_data: dict[str, Any]) -> list[SentenceRef]:
    return [
        SentenceRef(sentence["id"], sentence["text"], number)
        for number, paragraph in enumerate(first_lesson_data["article"]["paragraphs"], start=1)
        for sentence in paragraph
    ]


def test_there_is_a_parser_for_every_kind() -> None:
    assert [kind.name for kind in all_kinds() if callable(kind.parse)] == kind_names()


@pytest.mark.parametrize(
    ("key", "data", "expected"),
    [
        ("q01", {"answer": "c", "evidence": ["p3s4", "p1s1"]}, ("c", ["p3s4", "p1s1"])),
        ("q01", {"answer": "c"}, ("c", [])),  # the second part left empty
        ("q01", {}, (None, [])),  # nothing chosen: grading says what is missing
        ("q06", {"answer": ["missiles", "radar-repairs"]}, (["missiles", "radar-repairs"], None)),
        ("q06", {}, (None, None)),
        ("q05", {"answer": "true"}, (True, None)),
        ("q05", {"answer": "false"}, (False, None)),
        ("q05", {"answer": "yes"}, ("yes", None)),  # passed through, so grading rejects it
        ("q05", {}, (None, None)),
        ("q03", {"answer": " Xi "}, (" Xi ", None)),
        ("q22", {"answer": "Line one\r\nLine two"}, ("Line one\r\nLine two", None)),
        ("q16", {"answer": ["p3s8", "p3s7"]}, (["p3s8", "p3s7"], None)),
        ("q16", {}, (None, None)),
        (
            "q19",
            {"asserted_by": "ab-post", "source": "src-docs", "standing": "reported"},
            ({"asserted_by": "ab-post", "source": "src-docs", "standing": "reported"}, None),
        ),
        (
            "q19",
            {"asserted_by": "ab-post", "source": "", "standing": "reported"},
            ({"asserted_by": "ab-post", "standing": "reported"}, None),
        ),
        ("q19", {}, (None, None)),
    ],
)
def test_simple_kinds(
    questions: dict[str, dict[str, Any]], key: str, data: dict[str, Any], expected: tuple[Any, Any]
) -> None:
    assert answer_from_post(questions[key], post(data)) == expected


def test_evidence_is_none_for_a_question_without_a_second_part(questions: dict[str, dict[str, Any]]) -> None:
    assert answer_from_post(questions["q06"], post({"answer": ["missiles"], "evidence": ["p1s1"]}))[1] is None


def test_matching_reads_one_select_per_item_and_leaves_empty_ones_out(
    questions: dict[str, dict[str, Any]],
) -> None:
    data = post({"match-i-cartels": "o-trump", "match-i-war": "", "match-i-unknown": "o-maduro"})

    answer, evidence = answer_from_post(questions["q02"], data)

    assert answer == {
        "i-cartels": "o-trump",
        "i-war": None,
        "i-sovereignty": None,
        "i-requests": None,
        "i-responses": None,
        "i-support": None,
    }
    assert evidence is None
    assert grading.validate_answer(questions["q02"], answer, sentence_ids=[]) == {"i-cartels": "o-trump"}


def test_matching_with_nothing_matched_is_a_missing_answer(questions: dict[str, dict[str, Any]]) -> None:
    assert answer_from_post(questions["q02"], post({"match-i-cartels": ""})) == (None, None)


def test_matching_passes_an_unknown_option_on_for_grading_to_refuse(
    questions: dict[str, dict[str, Any]],
) -> None:
    answer, _evidence = answer_from_post(questions["q02"], post({"match-i-cartels": "o-nobody"}))

    with pytest.raises(grading.MalformedAnswer, match="unknown option 'o-nobody' for item 'i-cartels'"):
        grading.validate_answer(questions["q02"], answer, sentence_ids=[])


def test_ordering_sorts_the_items_by_position(questions: dict[str, dict[str, Any]]) -> None:
    data = post({"position-s-article": "3", "position-s-docs": "1", "position-s-post": "2"})

    assert answer_from_post(questions["q07"], data) == (["s-docs", "s-post", "s-article"], None)


def test_ordering_without_positions_is_a_missing_answer(questions: dict[str, dict[str, Any]]) -> None:
    assert answer_from_post(questions["q07"], post({})) == (None, None)


@pytest.mark.parametrize(
    "positions",
    [
        {"position-s-article": "1", "position-s-docs": "1", "position-s-post": "2"},  # a repeat
        {"position-s-article": "1", "position-s-docs": "2"},  # one missing
        {"position-s-article": "1", "position-s-docs": "2", "position-s-post": "4"},  # out of range
        {"position-s-article": "1", "position-s-docs": "2", "position-s-post": "third"},
        {"position-s-article": "0", "position-s-docs": "1", "position-s-post": "2"},
    ],
)
def test_ordering_positions_must_rank_every_item_once(
    questions: dict[str, dict[str, Any]], positions: dict[str, str]
) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        answer_from_post(questions["q07"], post(positions))

    assert raised.value.message == "Give each item a different position, from 1 to 3."
    assert raised.value.field == "answer"


def test_every_parsed_answer_of_a_well_filled_form_is_valid(
    questions: dict[str, dict[str, Any]], sentences: list[SentenceRef]
) -> None:
    """A form filled by picking the first choice of every input parses into a valid answer of each kind."""
    sentence_ids = [sentence.id for sentence in sentences]
    for question in questions.values():
        form = answer_form(question, sentences)
        data: dict[str, Any] = {}
        if form.choices:
            data["answer"] = form.choices[0].value
        if form.text is not None:
            data["answer"] = "12"  # text a short answer, an open answer and a number field all take
        for select in form.selects:
            data[select.name] = next((c.value for c in select.choices if c.checked), select.choices[0].value)
        if form.standings:
            data["standing"] = form.standings[0].value
        answer, evidence = answer_from_post(question, post(data))
        grading.grade(question, answer, evidence=evidence, sentence_ids=sentence_ids)  # raises if malformed


# ----------------------------------------------------------------------------------------------------
# Fields


def test_fields_by_kind(questions: dict[str, dict[str, Any]], sentences: list[SentenceRef]) -> None:
    single = answer_form(questions["q01"], sentences)
    assert (single.input_type, [c.value for c in single.choices]) == ("radio", ["a", "b", "c", "d"])
    assert [c.value for c in single.evidence_choices] == [s.id for s in sentences]

    assert answer_form(questions["q06"], sentences).input_type == "checkbox"
    assert [c.value for c in answer_form(questions["q05"], sentences).choices] == ["true", "false"]
    assert answer_form(questions["q03"], sentences).text == ""
    assert answer_form(questions["q22"], sentences).multiline is True

    matching = answer_form(questions["q02"], sentences)
    assert [select.name for select in matching.selects][:2] == ["match-i-cartels", "match-i-war"]
    assert all(select.blank_label for select in matching.selects)

    ordering = answer_form(questions["q07"], sentences)
    assert ordering.template == get_kind("ordering").form_template == "lessons/kinds/reorder.html"
    assert [(s.name, [c.value for c in s.choices if c.checked]) for s in ordering.selects] == [
        ("position-s-article", ["1"]),
        ("position-s-docs", ["2"]),
        ("position-s-post", ["3"]),
    ]

    evidence = answer_form(questions["q16"], sentences)
    assert evidence.sentence_choices is True and evidence.evidence_choices == []

    attribution = answer_form(questions["q19"], sentences)
    assert [select.name for select in attribution.selects] == ["asserted_by", "source"]
    assert [c.value for c in attribution.selects[0].choices] == [
        "ab-post",
        "ab-maduro",
        "ab-iran",
        "ab-trump",
    ]
    assert [c.value for c in attribution.standings] == list(STANDINGS)


def test_fields_keep_what_was_sent(
    questions: dict[str, dict[str, Any]], sentences: list[SentenceRef]
) -> None:
    single = answer_form(questions["q01"], sentences, post({"answer": "b", "evidence": ["p3s4"]}))
    assert [c.value for c in single.choices if c.checked] == ["b"]
    assert [c.value for c in single.evidence_choices if c.checked] == ["p3s4"]
    assert single.evidence_picked is True

    text = answer_form(questions["q03"], sentences, post({"answer": "Xi?"}))
    assert text.text == "Xi?"

    sent = {"position-s-article": "3", "position-s-docs": "1", "position-s-post": "2"}
    ordering = answer_form(questions["q07"], sentences, post(sent))
    assert [select.name for select in ordering.selects] == [
        "position-s-docs",
        "position-s-post",
        "position-s-article",
    ]

    attribution = answer_form(questions["q19"], sentences, post({"source": "src-iran", "standing": "denied"}))
    assert [c.value for c in attribution.selects[1].choices if c.checked] == ["src-iran"]
    assert [c.value for c in attribution.standings if c.checked] == ["denied"]
