"""What the player says of a lesson's sources, dates and standings, and what it never hands out: on both
lesson files (the first lesson and the tests' second, an original report)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories.lessons import load_lesson

from lessons.kinds.scoring import key_positions_kept
from lessons.models import READING_AIDS, Attempt, AttemptState, Lesson, Response
from lessons.services.lesson_checks import stored_in_key_order
from lessons.vocabulary import STANDING_DEFINITIONS, Standing

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def page_text(client: Client, lesson: Lesson) -> str:
    html = client.get(reverse("lessons:play", args=[lesson.slug])).content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def answer(client: Client, lesson: Lesson, key: str, data: dict[str, Any]) -> Response:
    client.get(reverse("lessons:play", args=[lesson.slug]))
    attempt = Attempt.objects.get(lesson=lesson, state=AttemptState.OPEN)
    client.post(reverse("lessons:answer", args=[lesson.slug, key]), {"attempt": attempt.pk, **data})
    return Response.objects.get(attempt=attempt, question_key=key)


def shown_from_the_start(data: dict[str, Any]) -> dict[str, Any]:
    """The document with every reading aid shown from the start, so a page shows what the aids say."""
    data["lesson"]["reading_aids"] = dict.fromkeys(READING_AIDS, "start")
    return data


@pytest.fixture
def first_lesson_shown(first_lesson_data: dict[str, Any]) -> Lesson:
    return load_lesson(shown_from_the_start(first_lesson_data))


@pytest.fixture
def second_lesson_shown(second_lesson_data: dict[str, Any]) -> Lesson:
    return load_lesson(shown_from_the_start(second_lesson_data))


# ---- the provenance line says what the article record says


def test_a_retelling_names_the_report_and_what_it_rests_on(
    signed_in: Client, first_lesson_shown: Lesson
) -> None:
    text = page_text(signed_in, first_lesson_shown)

    assert (
        "Retold from the report: “Venezuela Seeks Military Aid from Russia, China and Iran Amid Tensions "
        "with the US” Rests on: a Washington Post report citing US government documents" in text
    )


def test_original_reporting_names_its_publisher_and_never_an_empty_report(
    signed_in: Client, second_lesson_shown: Lesson
) -> None:
    text = page_text(signed_in, second_lesson_shown)

    assert "Original reporting by: The Harbour Gazette Published: March 2025" in text
    assert "Retold" not in text and "“”" not in text
    detail = signed_in.get(reverse("lessons:lesson_detail", args=[second_lesson_shown.slug])).content.decode()
    assert "The Harbour Gazette" in detail and "Retold" not in detail


# ---- dates known in part, and facts from outside the article


def test_a_month_without_its_year_is_shown_as_such_and_the_outside_date_marked(
    signed_in: Client, first_lesson_shown: Lesson
) -> None:
    with translation.override("en"):
        text = page_text(signed_in, first_lesson_shown)

    assert "Signed May, year not given" in text
    assert "From outside the article" in text
    assert "Signed: May 7, 2025 (source: Arab Observer" in text
    assert "2025-05-07" not in text


def test_partial_dates_and_an_actor_outside_fact_on_the_second_lesson(
    signed_in: Client, second_lesson_shown: Lesson
) -> None:
    text = page_text(signed_in, second_lesson_shown)

    assert "Signed June, year not given" in text
    assert "Estmark : Ratified (2024)" in text
    assert (
        "From outside the article Role: President of Norland since 2021 (source: Norland presidency" in text
    )


# ---- near misses: wrong, with their feedback once answered, never shown before


def test_a_near_miss_is_wrong_and_says_why(signed_in: Client, second_lesson: Lesson) -> None:
    feedback = "2024 is when Estmark ratified it"
    assert feedback not in page_text(signed_in, second_lesson)

    saved = answer(signed_in, second_lesson, "q1", {"answer": "June 2024"})

    assert (saved.correct, saved.earned) == (False, Decimal("0.00"))
    assert feedback in page_text(signed_in, second_lesson)


@pytest.mark.parametrize(
    ("given", "correct"), [("in June", True), ("Junio", True), ("Juen", False), ("July", False)]
)
def test_the_month_key_accepts_the_month_only(
    signed_in: Client, second_lesson: Lesson, given: str, correct: bool
) -> None:
    assert answer(signed_in, second_lesson, "q1", {"answer": given}).correct is correct


@pytest.mark.parametrize(("given", "correct"), [("Kovacs", True), ("Kovac", False), ("Marek Kovacss", True)])
def test_a_name_key_refuses_the_other_actor_one_letter_away(
    signed_in: Client, second_lesson: Lesson, given: str, correct: bool
) -> None:
    assert answer(signed_in, second_lesson, "q2", {"answer": given}).correct is correct


# ---- lists never arrive solved


def shown_positions(client: Client, lesson: Lesson, question_key: str, prefix: str) -> list[tuple[str, str]]:
    """The (field, preselected value) of each select of a question's form, in page order."""
    html = client.get(reverse("lessons:play", args=[lesson.slug])).content.decode()
    start = html.index(f'id="question-{question_key}"')
    form = html[start : html.index("</form>", start)]
    selects = re.findall(rf'<select[^>]*name="({prefix}[^"]+)"[^>]*>(.*?)</select>', form, re.S)
    return [(name, (re.findall(r'value="([^"]*)" selected', body) or [""])[0]) for name, body in selects]


@pytest.mark.parametrize(("lesson_name", "key"), [("first_lesson", "q07"), ("second_lesson", "q3")])
def test_checking_an_untouched_ordering_question_never_submits_the_key(
    signed_in: Client, request: pytest.FixtureRequest, lesson_name: str, key: str
) -> None:
    lesson: Lesson = request.getfixturevalue(lesson_name)
    question = next(q for q in lesson.published_revision.document["questions"] if q["id"] == key)
    shown = shown_positions(signed_in, lesson, key, "position-")

    assert [name.removeprefix("position-") for name, _value in shown] != question["answer"]["correct"]
    saved = answer(signed_in, lesson, key, dict(shown))  # Check pressed as the page arrived

    assert saved.correct is False
    assert saved.answer != question["answer"]["correct"]


@pytest.mark.parametrize(("lesson_name", "key"), [("first_lesson", "q02"), ("second_lesson", "q4")])
def test_matching_arrives_with_nothing_chosen(
    signed_in: Client, request: pytest.FixtureRequest, lesson_name: str, key: str
) -> None:
    lesson: Lesson = request.getfixturevalue(lesson_name)

    shown = shown_positions(signed_in, lesson, key, "match-")

    assert shown and all(value == "" for _name, value in shown)


# ---- the standings' glossary


def test_the_glossary_defines_every_standing_once(client: Client) -> None:
    text = re.sub(r"\s+", " ", unescape(client.get(reverse("lessons:standings")).content.decode()))

    for standing in Standing:
        assert (
            f'id="standing-{standing.value}">{standing.label}</dt> <dd>{STANDING_DEFINITIONS[standing]}</dd>'
            in text
        )
    assert "On record" in text


def test_attribution_questions_link_to_the_glossary_and_define_each_standing(
    signed_in: Client, second_lesson: Lesson
) -> None:
    html = unescape(signed_in.get(reverse("lessons:play", args=[second_lesson.slug])).content.decode())
    start = html.index('id="question-q5"')
    form = html[start : html.index("</form>", start)]

    assert f'href="{reverse("lessons:standings")}"' in form
    assert 'value="on_record" aria-describedby="question-q5-standing-on_record"' in form
    definition = str(STANDING_DEFINITIONS[Standing.ON_RECORD])
    assert f'<p class="hint" id="question-q5-standing-on_record">{definition}</p>' in form


def test_an_on_record_claim_is_scored_as_any_standing(signed_in: Client, second_lesson: Lesson) -> None:
    data = {"asserted_by": "ab-kovac", "source": "src-statement", "standing": "on_record"}

    saved = answer(signed_in, second_lesson, "q5", data)

    assert (saved.correct, saved.earned) == (True, Decimal("3.00"))


def stored_solved(data: dict[str, Any]) -> dict[str, Any]:
    """The first lesson with q07's items stored in the key's order and q02's options level with their
    matches: a file an author might well write."""
    data = copy.deepcopy(data)
    data["lesson"]["slug"] = "stored-solved"
    questions = {question["id"]: question for question in data["questions"]}
    ordering, matching = questions["q07"], questions["q02"]
    items = {item["id"]: item for item in ordering["items"]}
    ordering["items"] = [items[item] for item in ordering["answer"]["correct"]]
    options = {option["id"]: option for option in matching["options"]}
    level = [matching["answer"]["correct"][item["id"]] for item in matching["items"]]
    matching["options"] = [options[option] for option in level] + [
        option for option in matching["options"] if option["id"] not in level
    ]
    return data


def shown_in(page: str, key: str, prefix: str, *, options: bool) -> list[str]:
    """A question's items as its form lists them (`prefix` of their fields), or with `options` the options
    of its first select."""
    start = page.index(f'id="question-{key}"')
    section = page[start : page.index("</form>", start)]
    if options:
        first = re.search(r"<select[^>]*>(.*?)</select>", section, re.S)
        assert first is not None
        return [value for value in re.findall(r'value="([^"]*)"', first.group(1)) if value]
    return [name.removeprefix(prefix) for name in re.findall(rf'name="({prefix}[^"]+)"', section)]


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_class_assignment_never_shows_a_list_in_its_key_arrangement(
    student_client: Client,
    make_assignment: Callable[..., Any],
    first_lesson_data: dict[str, Any],
    shuffle: bool,
) -> None:
    data = stored_solved(first_lesson_data)
    assert len(stored_in_key_order(data)) == 2
    lesson = load_lesson(data)
    assignment = make_assignment(lesson=lesson, shuffle_questions=shuffle, shuffle_options=shuffle)
    take = reverse("lessons:assignment_take", args=[assignment.pk])
    student_client.post(take)
    html = student_client.get(take).content.decode()
    questions = {question["id"]: question for question in data["questions"]}

    ordering = shown_in(html, "q07", "position-", options=False)
    key = questions["q07"]["answer"]["correct"]
    assert sorted(ordering) == sorted(key)
    assert key_positions_kept(ordering, key) == 0
    matching = shown_in(html, "q02", "match-", options=True)
    level = [questions["q02"]["answer"]["correct"][item["id"]] for item in questions["q02"]["items"]]
    assert key_positions_kept(matching, level) == 0
    again = student_client.get(take).content.decode()
    assert shown_in(again, "q07", "position-", options=False) == ordering  # the same after a reload


def test_self_study_never_shows_a_list_in_its_key_arrangement(
    signed_in: Client, first_lesson_data: dict[str, Any]
) -> None:
    data = stored_solved(first_lesson_data)
    lesson = load_lesson(data)
    html = signed_in.get(reverse("lessons:play", args=[lesson.slug])).content.decode()
    key = next(q for q in data["questions"] if q["id"] == "q07")["answer"]["correct"]

    assert key_positions_kept(shown_in(html, "q07", "position-", options=False), key) == 0
