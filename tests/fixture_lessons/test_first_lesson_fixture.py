"""The first lesson, as shipped in fixtures/: complete keys, real evidence, every kind, every focus."""

from collections import Counter
from typing import Any

import pytest

from lessons.kinds import kind_names
from lessons.models import Revision
from lessons.services import lesson_import, parse_lesson_document

REQUIRED_ACTORS = {
    "maduro",
    "trump",
    "xi-jinping",
    "putin",
    "zakharova",
    "velazquez",
    "venezuela",
    "united-states",
    "russia",
    "china",
    "iran",
}


def sentence_ids(data: dict[str, Any]) -> set[str]:
    return {sentence["id"] for paragraph in data["article"]["paragraphs"] for sentence in paragraph}


def test_fixture_parses_as_a_valid_lesson_document(first_lesson_data: dict[str, Any]) -> None:
    document = parse_lesson_document(first_lesson_data)

    assert document.lesson.slug == "venezuela-military-aid"
    assert document.lesson.status == "published"
    assert document.lesson.visibility == "public"


def test_article_names_the_original_and_what_it_rests_on(first_lesson_data: dict[str, Any]) -> None:
    article = first_lesson_data["article"]

    assert article["original_headline"] == (
        "Venezuela Seeks Military Aid from Russia, China and Iran Amid Tensions with the US"
    )
    assert "Washington Post" in article["rests_on"]
    assert "US government documents" in article["rests_on"]
    assert {"washington-post", "us-government-documents"} <= set(article["cites"])
    assert len(article["paragraphs"]) == 4


def test_every_question_has_a_key_an_explanation_and_real_evidence(first_lesson_data: dict[str, Any]) -> None:
    known_sentences = sentence_ids(first_lesson_data)
    for question in first_lesson_data["questions"]:
        answer = question["answer"]
        assert len(answer["explanation"].strip()) >= 40, question["id"]
        assert question["evidence"], question["id"]
        assert set(question["evidence"]) <= known_sentences, question["id"]
        if question["kind"] == "short_answer":
            assert answer["accepted"], question["id"]
        elif question["kind"] == "open_response":
            assert answer["model_answer"].strip() and answer["rubric"], question["id"]
        else:
            assert answer["correct"] not in (None, [], {}), question["id"]
        option_ids = {option["id"] for option in question["options"]}
        if question["kind"] in ("single_choice", "multiple_select"):
            assert set(answer["option_feedback"]) == option_ids, question["id"]


def test_at_least_eighteen_questions_with_five_per_focus_and_every_kind(
    first_lesson_data: dict[str, Any],
) -> None:
    questions = first_lesson_data["questions"]
    focus_counts = Counter(question["focus"] for question in questions)

    assert len(questions) >= 18
    assert focus_counts["actor"] >= 5
    assert focus_counts["treaty"] >= 5
    assert focus_counts["sourcing"] >= 5
    assert {question["kind"] for question in questions} == set(kind_names())  # every kind, one or more each
    assert sum(1 for question in questions if question["evidence_part"] > 0) >= 1


def test_required_actors_have_role_and_affiliation(first_lesson_data: dict[str, Any]) -> None:
    actors = {actor["id"]: actor for actor in first_lesson_data["actors"]}

    assert set(actors) >= REQUIRED_ACTORS
    for actor_id in REQUIRED_ACTORS:
        assert actors[actor_id]["role"], actor_id
        if actors[actor_id]["kind"] == "person":
            assert actors[actor_id]["affiliation"] in actors, actor_id
    assert actors["zakharova"]["affiliation"] == "russian-foreign-ministry"
    assert actors["russian-foreign-ministry"]["affiliation"] == "russia"


def test_treaty_signed_in_may_and_ratified_by_russia(first_lesson_data: dict[str, Any]) -> None:
    (treaty,) = first_lesson_data["treaties"]
    parties = {party["actor"]: party for party in treaty["parties"]}

    assert treaty["kind"] == "strategic_partnership"
    # The article says "signed in May": the month, year not given. The exact date is an outside fact.
    assert treaty["signed_on"] == "--05"
    (outside,) = treaty["outside_facts"]
    assert (outside["field"], outside["value"]) == ("signed_on", "2025-05-07")
    assert outside["source"] and outside["url"].startswith("https://")
    assert set(parties) == {"russia", "venezuela"}
    assert parties["russia"]["ratification"] == "ratified"


def test_claims_carry_their_sourcing_and_standing(first_lesson_data: dict[str, Any]) -> None:
    claims = first_lesson_data["claims"]
    standings = Counter(claim["standing"] for claim in claims)
    by_asserter = {(claim["asserted_by"], claim["standing"]) for claim in claims}

    assert {"reported", "unknown", "alleged", "on_record", "confirmed"} <= set(standings)
    assert ("maduro", "on_record") in by_asserter  # his denial: that he denied it is on record
    reported_requests = [claim for claim in claims if claim["standing"] == "reported"]
    assert any(
        claim["via"][:2] == ["washington-post", "us-government-documents"] for claim in reported_requests
    )
    denial = next(claim for claim in claims if claim["id"] == "c-maduro-denial")
    assert any(denial["id"] in claim["counter_claims"] for claim in claims)


@pytest.mark.django_db
def test_fixture_imports_and_publishes_revision_one(first_lesson_data: dict[str, Any]) -> None:
    first_lesson = lesson_import(data=first_lesson_data)
    revision = Revision.objects.get(lesson=first_lesson)

    assert revision.number == 1
    assert first_lesson.published_revision == revision
    assert first_lesson.questions.count() == len(first_lesson_data["questions"])
    assert len(revision.content["questions"]) == len(first_lesson_data["questions"])
