"""Content checks of a lesson (lessons.services.lesson_checks): each kind of slip a careful reader found in
the first lesson, caught in any lesson. Each check is shown firing and not firing on the small lesson of
conftest.py, changed just enough to hold the slip; the lessons shipped in fixtures/ raise none."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from lessons.models import Lesson
from lessons.services import dump_document, parse_lesson_document
from lessons.services.lesson_checks import (
    Problem,
    circular_source_chains,
    evidence_misses_linked_actors,
    lesson_problems,
    mentions,
    reported_claims_stated_as_fact,
    role_pairs_without_evidence,
    silence_read_as_negative,
)
from lessons.services.lesson_documents import ActorRecord, LessonDocument

Check = Callable[[LessonDocument], list[Problem]]

# Indexes of the small lesson's questions (conftest.py lists them).
TREATY_PARTNER, MATCH_ROLES, FIND_THE_SOURCE = 0, 4, 6


def problems(data: dict[str, Any], check: Check) -> list[Problem]:
    return check(parse_lesson_document(data))


def sentence(data: dict[str, Any], sentence_id: str) -> dict[str, str]:
    return next(s for paragraph in data["article"]["paragraphs"] for s in paragraph if s["id"] == sentence_id)


def test_the_small_lesson_and_the_first_lesson_raise_no_problem(
    minimal_doc: dict[str, Any], first_lesson_data: dict[str, Any]
) -> None:
    assert lesson_problems(parse_lesson_document(minimal_doc)) == []
    assert lesson_problems(parse_lesson_document(first_lesson_data)) == []


# ---- evidence names the actors a question links ------------------------------------------------------


def test_evidence_that_never_names_a_linked_actor_is_a_problem(minimal_doc: dict[str, Any]) -> None:
    minimal_doc["questions"][TREATY_PARTNER]["evidence"] = ["p1s2"]  # the memo sentence: no Borduria

    assert problems(minimal_doc, evidence_misses_linked_actors) == [
        Problem(
            "questions[0].evidence",
            "no evidence sentence mentions Borduria (borduria), whom the question links",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Republic of Ruritania and Borduria signed a friendship treaty in January 2024.",  # an alias
        "Ruritanian and Bordurian envoys signed a friendship treaty in January 2024.",  # adjectives
    ],
)
def test_an_actor_is_named_by_an_alias_or_its_adjective(minimal_doc: dict[str, Any], text: str) -> None:
    sentence(minimal_doc, "p2s1")["text"] = text
    minimal_doc["questions"][TREATY_PARTNER]["actors"] = ["borduria", "ruritania"]

    assert problems(minimal_doc, evidence_misses_linked_actors) == []


def test_a_short_name_is_matched_with_its_case() -> None:
    united_states = ActorRecord(
        id="united-states",
        name="United States",
        kind="state",
        aliases=["US"],
        role="",
        affiliation=None,
        description="",
        outside_facts=[],
    )

    assert mentions("Donald Trump, the US president", united_states)
    assert mentions("the United States", united_states)
    assert not mentions("Tell us what you think", united_states)
    assert not mentions("a statesman", united_states)


# ---- a role is shown by one sentence that says it ---------------------------------------------------


def test_a_role_no_single_evidence_sentence_gives_is_a_problem(minimal_doc: dict[str, Any]) -> None:
    sentence(minimal_doc, "p2s2")["text"] = "Anna Berg denied any request."  # her role is gone

    assert problems(minimal_doc, role_pairs_without_evidence) == [
        Problem(
            "questions[4].evidence",
            "no single evidence sentence gives Anna Berg as “Foreign ministry spokeswoman”",
        )
    ]


def test_a_role_naming_a_state_needs_that_state_in_the_same_sentence(minimal_doc: dict[str, Any]) -> None:
    options = minimal_doc["questions"][MATCH_ROLES]["options"]
    next(option for option in options if option["id"] == "spokeswoman")["text"] = "Spokeswoman for Ruritania"
    assert problems(minimal_doc, role_pairs_without_evidence) != []  # p2s2 does not say which state

    sentence(minimal_doc, "p2s2")["text"] = "Anna Berg, the Ruritanian spokeswoman, denied any request."
    assert problems(minimal_doc, role_pairs_without_evidence) == []


# ---- reported claims are not stated as fact ----------------------------------------------------------


def test_a_reported_claim_restated_without_hedge_is_a_problem(minimal_doc: dict[str, Any]) -> None:
    minimal_doc["questions"][FIND_THE_SOURCE]["answer"]["explanation"] = (
        "Ruritania asked Borduria for military equipment last spring."
    )

    found = problems(minimal_doc, reported_claims_stated_as_fact)

    assert [problem.path for problem in found] == ["questions[6].answer.explanation"]
    assert "arms-request (reported)" in found[0].message


def test_a_reported_claim_in_option_feedback_is_a_problem(minimal_doc: dict[str, Any]) -> None:
    minimal_doc["questions"][TREATY_PARTNER]["answer"]["option_feedback"]["syldavia"] = (
        "Syldavia is not in the story; Ruritania asked Borduria for military equipment."
    )

    assert [problem.path for problem in problems(minimal_doc, reported_claims_stated_as_fact)] == [
        "questions[0].answer.option_feedback.syldavia"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Ruritania reportedly asked Borduria for military equipment.",
        "According to the memo, Ruritania asked Borduria for military equipment.",
        "The newspaper says Ruritania asked Borduria for military equipment.",
        "Ruritania’s envoy was to ask Borduria for military equipment.",
        "Ruritania needs equipment.",  # one word of the claim is not a restatement
    ],
)
def test_a_hedged_or_attributed_restatement_is_not_a_problem(minimal_doc: dict[str, Any], text: str) -> None:
    minimal_doc["questions"][FIND_THE_SOURCE]["answer"]["explanation"] = text

    assert problems(minimal_doc, reported_claims_stated_as_fact) == []


def test_words_a_confirmed_claim_settles_are_not_doubtful(minimal_doc: dict[str, Any]) -> None:
    minimal_doc["claims"].append(
        {
            "id": "treaty-means",
            "statement": "The friendship treaty signed in January shows that military equipment is coming.",
            "asserted_by": None,
            "via": ["daily-planet"],
            "standing": "reported",
            "evidence": ["p2s1"],
            "counter_claims": [],
            "note": "",
        }
    )
    minimal_doc["claims"][1]["statement"] = "The friendship treaty was signed in January."  # confirmed
    explanation = minimal_doc["questions"][FIND_THE_SOURCE]["answer"]
    explanation["explanation"] = "The friendship treaty was signed in January 2024."
    assert problems(minimal_doc, reported_claims_stated_as_fact) == []

    explanation["explanation"] = "The friendship treaty shows that military equipment is coming."
    assert [problem.path for problem in problems(minimal_doc, reported_claims_stated_as_fact)] == [
        "questions[6].answer.explanation"
    ]


# ---- a claim does not rest on itself -----------------------------------------------------------------


def add_letter(data: dict[str, Any], via: list[str]) -> None:
    data["sources"].append(
        {
            "id": "berg-letter",
            "name": "Anna Berg’s letter to Borduria",
            "kind": "government_document",
            "url": "",
            "actor": "anna-berg",
            "description": "",
        }
    )
    data["claims"].append(
        {
            "id": "letter-sent",
            "statement": "Anna Berg sent a letter to Borduria asking for arms.",
            "asserted_by": None,
            "via": via,
            "standing": "reported",
            "evidence": ["p1s1"],
            "counter_claims": [],
            "note": "",
        }
    )


def test_a_claim_listing_what_it_reports_among_its_sources_is_a_problem(minimal_doc: dict[str, Any]) -> None:
    add_letter(minimal_doc, via=["daily-planet", "leaked-memo", "berg-letter"])

    assert [problem.path for problem in problems(minimal_doc, circular_source_chains)] == ["claims[2].via"]


def test_a_chain_of_other_sources_or_an_official_statement_is_not_circular(
    minimal_doc: dict[str, Any],
) -> None:
    add_letter(minimal_doc, via=["daily-planet", "leaked-memo"])
    minimal_doc["claims"][1]["statement"] = "A foreign ministry statement denies the request."
    assert problems(minimal_doc, circular_source_chains) == []  # the statement is how a denial is made


# ---- silence is not a "no" ---------------------------------------------------------------------------


def test_a_negative_the_article_does_not_state_is_flagged(minimal_doc: dict[str, Any]) -> None:
    minimal_doc["questions"][FIND_THE_SOURCE]["answer"]["explanation"] = (
        "The memo is named in p1s2, and Borduria has not replied to the request."
    )

    found = problems(minimal_doc, silence_read_as_negative)

    assert [problem.path for problem in found] == ["questions[6].answer.explanation"]
    assert "“has not replied”" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "The article does not say whether Borduria has replied.",
        "Borduria’s reply is not mentioned: we cannot tell whether it has not replied or was not asked.",
        "It rests on a memo the newspaper has not published.",  # p1s2 says so itself
    ],
)
def test_silence_attributed_to_the_article_is_not_flagged(minimal_doc: dict[str, Any], text: str) -> None:
    minimal_doc["questions"][FIND_THE_SOURCE]["answer"]["explanation"] = text

    assert problems(minimal_doc, silence_read_as_negative) == []


# ---- import_lesson prints them -----------------------------------------------------------------------


@pytest.mark.django_db
def test_import_lesson_warns_of_each_problem_and_still_imports(
    minimal_doc: dict[str, Any], tmp_path: Path
) -> None:
    minimal_doc["questions"][FIND_THE_SOURCE]["answer"]["explanation"] = "Borduria has not replied."
    lesson_file = tmp_path / "lesson.json"
    lesson_file.write_text(dump_document(minimal_doc), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_lesson", str(lesson_file), stdout=stdout, stderr=stderr)

    assert stdout.getvalue() == "Imported 'ruritania-arms' (9 questions, draft).\n"
    assert stderr.getvalue().splitlines() == [
        f"{lesson_file}: warning: questions[6].answer.explanation: “has not replied”: says something has not "
        "happened where the article may only be silent; say what the article does not say instead"
    ]
    assert Lesson.objects.filter(slug="ruritania-arms").exists()
