"""The API follows the reading aids as the pages do (DESIGN.md rule 9): a card, the sources behind the
provenance line or the sourcing note appears in a lesson's JSON only once the student's page would show it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import MakeApi
from django.contrib.auth.models import User
from factories.lessons import AID_FACTS, AID_TREATY_RATIFIED_ON, aids_lesson_document, load_lesson
from web.conftest import MakeAssignment

from lessons.models import FeedbackRelease, Lesson

pytestmark = pytest.mark.django_db


# The API gives data, not the pages' text: the treaty card's fact is its date as the file writes it.
API_FACTS = {**AID_FACTS, "treaty_cards": AID_TREATY_RATIFIED_ON}


def facts_in(data: Any) -> set[str]:
    text = json.dumps(data, ensure_ascii=False)
    return {aid for aid, fact in API_FACTS.items() if fact in text}


def aids_lesson(**reading_aids: str) -> Lesson:
    return load_lesson(aids_lesson_document(**reading_aids))


def test_the_lesson_endpoint_leaves_out_every_aid_that_waits_for_questions(make_api: MakeApi) -> None:
    lesson = aids_lesson()  # every aid after the questions that use it

    data = make_api(None).get(f"lessons/{lesson.slug}/").json()

    assert facts_in(data) == set()
    assert data["actors"] == [] or all(actor["id"] == "valdoria" for actor in data["actors"])
    assert data["lesson"]["reading_aids"]["actor_cards"] == "after_dependent"


def test_aids_shown_from_the_start_are_in_the_lesson(make_api: MakeApi) -> None:
    lesson = aids_lesson(sourcing_note="start", provenance="start", actor_cards="start", treaty_cards="start")

    data = make_api(None).get(f"lessons/{lesson.slug}/").json()

    assert facts_in(data) >= {"actor_cards", "treaty_cards", "sourcing_note"}


def test_an_attempt_shows_a_card_once_its_question_has_feedback(
    make_api: MakeApi, make_assignment: MakeAssignment, class_student: User
) -> None:
    assignment = make_assignment(lesson=aids_lesson(), feedback_release=FeedbackRelease.IMMEDIATELY)
    api = make_api(class_student)
    attempt = api.post(f"assignments/{assignment.pk}/attempts/").json()

    before = api.get(f"attempts/{attempt['id']}/").json()
    api.put(f"attempts/{attempt['id']}/answers/q-role/", {"answer": AID_FACTS["actor_cards"], "sequence": 1})
    after = api.get(f"attempts/{attempt['id']}/").json()

    assert facts_in(before["lesson"]) == set()
    assert "actor_cards" in facts_in(after["lesson"])
    assert "treaty_cards" not in facts_in(after["lesson"])
