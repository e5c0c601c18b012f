"""When each reading aid appears: which questions it depends on (from the links questions carry), the one
rule of visibility, and the assignment's choice over the lesson's. Pure functions: no database."""

from typing import Any

import pytest
from factories.lessons import aids_lesson_document, first_lesson_document

from lessons.models import READING_AIDS, Assignment
from lessons.selectors.reading_aids import (
    aid_choices,
    aid_dependents,
    aid_shown,
    aids_revealed_by_answer,
    lesson_aid_choices,
    reading_aids,
)


def test_each_card_depends_on_the_questions_linking_it_or_a_claim_it_stands_behind() -> None:
    dependents = aid_dependents(aids_lesson_document())  # type: ignore[arg-type]

    assert dependents.actors == {
        "ana-ruiz": {"q-role"},
        "borin-ode": {"q-patrol"},  # the source of the claim q-patrol links speaks for him
    }
    assert dependents.treaties == {"tidewater-accord": {"q-treaty"}}
    assert dependents.sourcing == {"q-patrol"}  # a sourcing question, and it links a claim


def test_the_first_lessons_sourcing_aids_wait_for_every_question_about_claims() -> None:
    document: Any = first_lesson_document()

    dependents = aid_dependents(document)

    expected = {
        question["id"]
        for question in document["questions"]
        if question["focus"] == "sourcing" or question["claims"]
    }
    assert dependents.sourcing == expected and expected
    for actor in document["lesson"]["actors"]:
        linking = {question["id"] for question in document["questions"] if actor in question["actors"]}
        assert linking <= dependents.actors.get(actor, set()), actor


@pytest.mark.parametrize(
    ("visibility", "answered", "finished", "shown"),
    [
        ("start", set(), False, True),
        ("after_dependent", set(), False, False),
        ("after_dependent", {"q1"}, False, False),
        ("after_dependent", {"q1", "q2"}, False, True),
        ("after_dependent", set(), True, True),  # nothing is open once the attempt is handed in
        ("after_finish", {"q1", "q2"}, False, False),
        ("after_finish", set(), True, True),
    ],
)
def test_the_visibility_rule(visibility: str, answered: set[str], finished: bool, shown: bool) -> None:
    assert aid_shown(visibility, {"q1", "q2"}, answered=answered, finished=finished) is shown


def test_an_aid_no_question_depends_on_follows_start_unless_kept_for_the_end() -> None:
    assert aid_shown("after_dependent", set(), answered=set(), finished=False) is True
    assert aid_shown("after_finish", set(), answered=set(), finished=False) is False


def test_a_lesson_that_names_no_timing_waits_for_the_questions() -> None:
    document: Any = aids_lesson_document()
    assert "reading_aids" not in document["lesson"]

    assert lesson_aid_choices(document["lesson"]) == dict.fromkeys(READING_AIDS, "after_dependent")


def test_the_assignments_choice_beats_the_lessons_aid_by_aid() -> None:
    document: Any = aids_lesson_document(actor_cards="start", treaty_cards="start")
    assignment = Assignment(aid_actor_cards="after_finish", aid_provenance="start")

    assert aid_choices(document, assignment) == {
        "sourcing_note": "after_dependent",
        "provenance": "start",
        "actor_cards": "after_finish",
        "treaty_cards": "start",  # null on the assignment: the lesson's
    }


def test_answering_reveals_only_the_cards_that_question_unlocks() -> None:
    document: Any = aids_lesson_document()
    choices = lesson_aid_choices(document["lesson"])

    revealed = aids_revealed_by_answer(document, choices, answered={"q-role"}, question_key="q-role")

    assert [card.id for card in revealed.actor_cards] == ["ana-ruiz"]
    assert (revealed.treaty_cards, revealed.sourcing_note, revealed.provenance) == ([], False, False)
    page = reading_aids(document, choices, answered={"q-role"}, finished=False)
    assert {card.id: card.shown for card in page.actor_cards} == {
        "ana-ruiz": True,
        "borin-ode": False,
        "valdoria": True,  # no question depends on it
    }
