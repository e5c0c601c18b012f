"""A bad lesson file names the bad field by its path, says what is wrong, and writes nothing.

CATALOGUE holds broken documents, each the minimal document (see conftest.py for its layout) with one
small change. Question indices: 0 single_choice, 1 multiple_select, 2 true_false, 3 short_answer,
4 matching, 5 ordering, 6 evidence, 7 attribution, 8 open_response.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.models import Actor
from lessons.services import LessonFileError, lesson_import

RowCounts = Callable[[], dict[str, int]]
Mutation = Callable[[dict[str, Any]], Any]

pytestmark = pytest.mark.django_db


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


def put(*path_and_value: Any) -> Mutation:
    """Set the value at a path: ``put("questions", 0, "points", 0)``; adds the key if it is new."""
    *path, value = path_and_value

    def mutate(doc: dict[str, Any]) -> None:
        _parent(doc, tuple(path))[path[-1]] = value

    return mutate


def drop(*path: Any) -> Mutation:
    """Remove the key (or list entry) at a path."""

    def mutate(doc: dict[str, Any]) -> None:
        del _parent(doc, path)[path[-1]]

    return mutate


def append(*path_and_value: Any) -> Mutation:
    *path, value = path_and_value

    def mutate(doc: dict[str, Any]) -> None:
        _parent(doc, tuple(path))[path[-1]].append(value)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(doc)

    return mutate


def case(mutation: Mutation, path: str, message: str, *, id: str, marks: Any = ()) -> Any:
    return pytest.param(mutation, path, message, id=id, marks=marks)


RUBRIC_CRITERION = {"id": "extra", "criterion": "Anything", "points": 1}
OUTSIDE_FACT = {"field": "signed_on", "value": "2024-01-15", "source": "The treaty's text", "url": ""}

CATALOGUE = [
    # ---- the file as a whole
    case(lambda doc: [doc], "(top level)", "must be an object", id="not-an-object"),
    case(put("format", "quizsite.quiz"), "format", "must be 'quizsite.lesson'", id="format-wrong"),
    case(drop("format"), "format", "is missing", id="format-missing"),
    case(put("version", 2), "version", "version 2 is not supported (expected 1)", id="version-2"),
    case(put("version", "1"), "version", "version '1' is not supported", id="version-string"),
    case(put("comment", "hello"), "comment", "is not a field of this object", id="top-unknown-field"),
    case(drop("article"), "article", "is missing", id="article-missing"),
    case(put("questions", []), "questions", "must list at least one question", id="questions-empty"),
    case(put("questions", {}), "questions", "must be a list", id="questions-not-a-list"),
    # ---- lesson
    case(drop("lesson", "title"), "lesson.title", "is missing", id="lesson-title-missing"),
    case(put("lesson", "author", "me"), "lesson.author", "is not a field of this object", id="lesson-extra"),
    case(put("lesson", "slug", "Ruritania Arms"), "lesson.slug", "is not an id", id="lesson-slug-not-slug"),
    case(put("lesson", "title", ""), "lesson.title", "must not be empty", id="lesson-title-empty"),
    case(
        put("lesson", "language", "Spanish"),
        "lesson.language",
        "'Spanish' is not a language tag (en, es, pt-BR)",
        id="lesson-language-not-a-tag",
    ),
    case(
        put("lesson", "language", "es\n"),
        "lesson.language",
        "is not a language tag",
        id="lesson-language-eol",
    ),
    case(put("lesson", "language", 7), "lesson.language", "must be a string", id="lesson-language-number"),
    case(
        put("lesson", "level", "expert"),
        "lesson.level",
        "'expert' is not one of: beginner, intermediate, advanced",
        id="lesson-level-bad",
    ),
    case(
        put("lesson", "status", "archived"),
        "lesson.status",
        "'archived' is not one of: draft, published",
        id="lesson-status-bad",
    ),
    case(
        put("lesson", "visibility", "secret"),
        "lesson.visibility",
        "'secret' is not one of: private, teachers, public",
        id="lesson-visibility-bad",
    ),
    case(
        put("lesson", "estimated_minutes", 0),
        "lesson.estimated_minutes",
        "must be between 1 and 600",
        id="lesson-minutes-0",
    ),
    case(
        append("lesson", "actors", "syldavia"),
        "lesson.actors[3]",
        "actor 'syldavia' is not defined in this file",
        id="lesson-unknown-actor",
    ),
    case(
        append("lesson", "treaties", "nato"),
        "lesson.treaties[1]",
        "treaty 'nato' is not defined in this file",
        id="lesson-unknown-treaty",
    ),
    case(
        put("lesson", "objectives", ["Read.", ""]),
        "lesson.objectives[1]",
        "must not be empty",
        id="objective-empty",
    ),
    # ---- sources
    case(
        put("sources", 0, "kind", "blog"),
        "sources[0].kind",
        "'blog' is not one of: outlet",
        id="source-kind-bad",
    ),
    case(
        put("sources", 2, "actor", "nobody"),
        "sources[2].actor",
        "actor 'nobody' is not defined in this file",
        id="source-unknown-actor",
    ),
    case(
        put("sources", 1, "id", "daily-planet"),
        "sources[1].id",
        "'daily-planet' is used twice",
        id="source-duplicate-id",
    ),
    case(drop("sources", 0, "url"), "sources[0].url", "is missing", id="source-url-missing"),
    # ---- actors
    case(
        put("actors", 0, "id", "Anna Berg"),
        "actors[0].id",
        "'Anna Berg' is not an id",
        id="actor-id-not-slug",
    ),
    case(
        put("actors", 1, "id", "anna-berg"),
        "actors[1].id",
        "'anna-berg' is used twice",
        id="actor-duplicate-id",
    ),
    case(
        put("actors", 1, "kind", "country"),
        "actors[1].kind",
        "'country' is not one of: person, state, organisation, group",
        id="actor-kind-bad",
    ),
    case(
        put("actors", 1, "affiliation", "borduria"),
        "actors[1].affiliation",
        "an actor cannot be affiliated with itself",
        id="actor-own-affiliation",
    ),
    case(
        # anna-berg → ruritania-foreign-ministry → ruritania → anna-berg
        put("actors", 2, "affiliation", "anna-berg"),
        "actors[0].affiliation",
        "affiliations go round in a circle",
        id="actor-affiliation-cycle",
    ),
    case(
        put("actors", 0, "affiliation", "foreign-office"),
        "actors[0].affiliation",
        "actor 'foreign-office' is not defined in this file",
        id="actor-unknown-affiliation",
    ),
    case(
        put("actors", 0, "aliases", "A. Berg"), "actors[0].aliases", "must be a list", id="actor-aliases-text"
    ),
    case(put("actors", 3, "nickname", "MFA"), "actors[3].nickname", "is not a field", id="actor-extra-field"),
    # ---- treaties
    case(
        put("treaties", 0, "parties", 1, "ratification", "signed"),
        "treaties[0].parties[1].ratification",
        "'signed' is not one of: pending, ratified, refused, unknown",
        id="party-ratification-bad",
    ),
    case(
        put("treaties", 0, "parties", 1, "ratified_on", "2024-04-01"),
        "treaties[0].parties[1].ratified_on",
        "only a party that has ratified has a ratification date",
        id="party-ratified-on-without-ratified",
    ),
    case(
        put("treaties", 0, "parties", 1, "actor", "syldavia"),
        "treaties[0].parties[1].actor",
        "actor 'syldavia' is not defined in this file",
        id="party-unknown-actor",
    ),
    case(
        put("treaties", 0, "parties", 1, "actor", "ruritania"),
        "treaties[0].parties",
        "lists a party twice",
        id="party-twice",
    ),
    case(
        put("treaties", 0, "signed_on", "15/01/2024"),
        "treaties[0].signed_on",
        "'15/01/2024' is not a date (YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD)",
        id="treaty-signed-on-bad-date",
    ),
    case(
        put("treaties", 0, "signed_on", "--13"),
        "treaties[0].signed_on",
        "'--13' is not a date (YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD)",
        id="treaty-signed-on-month-13",
    ),
    case(
        put("treaties", 0, "signed_on", "--02-30"),
        "treaties[0].signed_on",
        "'--02-30' is not a date",
        id="treaty-signed-on-day-the-month-lacks",
    ),
    case(
        put("treaties", 0, "parties", 0, "ratified_on", "2024-1"),
        "treaties[0].parties[0].ratified_on",
        "'2024-1' is not a date",
        id="party-ratified-on-one-digit-month",
    ),
    case(
        put("treaties", 0, "signed_on", "-05"),
        "treaties[0].signed_on",
        "'-05' is not a date",
        id="treaty-signed-on-one-dash",
    ),
    case(
        put("treaties", 0, "status", "active"),
        "treaties[0].status",
        "'active' is not one of: proposed, signed",
        id="treaty-status-bad",
    ),
    # ---- near misses
    case(
        put("questions", 3, "answer", "near_misses", ["Anna", "berg."]),
        "questions[3].answer.near_misses[1]",
        "'berg.' is also an accepted answer ('Berg')",
        id="near-miss-also-accepted",
    ),
    case(
        put("questions", 3, "answer", "near_misses", [{"text": "Anna", "hint": "No."}]),
        "questions[3].answer.near_misses[0].hint",
        "is not a field of this object",
        id="near-miss-extra-field",
    ),
    case(
        put("questions", 3, "answer", "near_misses", ["?!"]),
        "questions[3].answer.near_misses[0]",
        "a near miss needs letters or digits",
        id="near-miss-without-letters",
    ),
    case(
        put("questions", 0, "answer", "near_misses", ["Syldavia"]),
        "questions[0].answer.near_misses",
        "only a short-answer question has near misses",
        id="near-miss-on-a-choice",
    ),
    # ---- facts from outside the article
    case(
        put("treaties", 0, "outside_facts", [{**OUTSIDE_FACT, "field": "signed"}]),
        "treaties[0].outside_facts[0].field",
        "'signed' is not one of: name, kind, signed_on, status, summary, parties",
        id="outside-fact-unknown-field",
    ),
    case(
        put("actors", 0, "outside_facts", [{**OUTSIDE_FACT, "field": "role", "url": "javascript:alert(1)"}]),
        "actors[0].outside_facts[0].url",
        "is not a web address (http:// or https://)",
        id="outside-fact-script-address",
    ),
    case(
        put("actors", 0, "outside_facts", [{**OUTSIDE_FACT, "field": "role", "source": " "}]),
        "actors[0].outside_facts[0].source",
        "must not be empty",
        id="outside-fact-without-source",
    ),
    case(
        put("treaties", 0, "outside_facts", [{**OUTSIDE_FACT, "by": "me"}]),
        "treaties[0].outside_facts[0].by",
        "is not a field of this object",
        id="outside-fact-extra-field",
    ),
    # ---- article
    case(
        put("article", "published_on", "2025-02-30"),
        "article.published_on",
        "'2025-02-30' is not a date (YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD)",
        id="article-date-impossible",
    ),
    case(
        put("article", "published_on", 20250301),
        "article.published_on",
        "must be a date (YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD) or null",
        id="article-date-number",
    ),
    case(
        put("article", "source", "the-times"),
        "article.source",
        "source 'the-times' is not defined in this file",
        id="article-unknown-source",
    ),
    case(
        put("article", "paragraphs", 0, 0, "id", "P1S1"),
        "article.paragraphs[0][0].id",
        "'P1S1' is not an id",
        id="sentence-id-not-slug",
    ),
    case(
        put("article", "paragraphs", 0, 1, "id", "p1s1"),
        "article.paragraphs[0][1].id",
        "sentence id 'p1s1' is used twice",
        id="sentence-duplicate-id",
    ),
    case(
        put("article", "paragraphs", 1, []),
        "article.paragraphs[1]",
        "a paragraph must hold at least one sentence",
        id="paragraph-empty",
    ),
    case(
        put("article", "paragraphs", 0, 0, "speaker", "x"),
        "article.paragraphs[0][0].speaker",
        "is not a field of this object",
        id="sentence-extra-field",
    ),
    # ---- claims
    case(
        put("claims", 0, "evidence", 0, "p9s9"),
        "claims[0].evidence[0]",
        "sentence 'p9s9' is not defined in this file",
        id="claim-unknown-sentence",
    ),
    case(
        put("claims", 1, "evidence", []), "claims[1].evidence", "must list at least 1", id="claim-no-evidence"
    ),
    case(
        put("claims", 0, "standing", "rumoured"),
        "claims[0].standing",
        "'rumoured' is not one of: confirmed, on_record, reported, alleged, denied, unknown",
        id="claim-standing-bad",
    ),
    case(
        put("claims", 0, "via", 1, "the-times"),
        "claims[0].via[1]",
        "source 'the-times' is not defined in this file",
        id="claim-unknown-source",
    ),
    case(
        put("claims", 1, "asserted_by", "syldavia"),
        "claims[1].asserted_by",
        "actor 'syldavia' is not defined in this file",
        id="claim-unknown-actor",
    ),
    case(
        put("claims", 0, "counter_claims", ["retraction"]),
        "claims[0].counter_claims[0]",
        "claim 'retraction' is not defined in this file",
        id="claim-unknown-counter-claim",
    ),
    case(
        put("claims", 0, "counter_claims", ["arms-request"]),
        "claims[0].counter_claims",
        "a claim cannot answer itself",
        id="claim-answers-itself",
    ),
    case(
        both(put("claims", 0, "counter_claims", []), put("claims", 1, "id", "arms-request")),
        "claims[1].id",
        "'arms-request' is used twice",
        id="claim-duplicate-id",
    ),
    # ---- questions: ids and references
    case(
        put("questions", 1, "id", "treaty-partner"),
        "questions[1].id",
        "'treaty-partner' is used twice",
        id="question-duplicate-id",
    ),
    case(
        put("questions", 0, "id", "q_1"), "questions[0].id", "'q_1' is not an id", id="question-id-not-slug"
    ),
    case(put("questions", 0, "hint", "x"), "questions[0].hint", "is not a field", id="question-extra-field"),
    case(
        drop("questions", 0, "answer", "explanation"),
        "questions[0].answer.explanation",
        "is missing",
        id="answer-explanation-missing",
    ),
    case(
        put("questions", 1, "options", 2, "id", "ruritania"),
        "questions[1].options",
        "option or item id 'ruritania' is used twice",
        id="option-duplicate-id",
    ),
    case(
        put("questions", 4, "items", 0, "id", "spokeswoman"),
        "questions[4].options",
        "option or item id 'spokeswoman' is used twice",
        id="item-id-same-as-option-id",
    ),
    case(
        put("questions", 0, "treaties", ["nato"]),
        "questions[0].treaties[0]",
        "treaty 'nato' is not defined in this file",
        id="question-unknown-treaty",
    ),
    case(
        put("questions", 0, "actors", ["syldavia"]),
        "questions[0].actors[0]",
        "actor 'syldavia' is not defined in this file",
        id="question-unknown-actor",
    ),
    case(
        put("questions", 6, "claims", ["retraction"]),
        "questions[6].claims[0]",
        "claim 'retraction' is not defined in this file",
        id="question-unknown-claim",
    ),
    case(
        put("questions", 0, "evidence", ["p9s9"]),
        "questions[0].evidence[0]",
        "sentence 'p9s9' is not defined in this file",
        id="question-unknown-sentence",
    ),
    case(
        put("questions", 0, "evidence", []),
        "questions[0].evidence",
        "must list at least 1",
        id="question-no-evidence",
    ),
    case(
        put("questions", 0, "evidence", ["p2s1", "p2s1"]),
        "questions[0].evidence",
        "lists 'p2s1' twice",
        id="question-evidence-twice",
    ),
    # ---- questions: enums, prompt, points
    case(
        put("questions", 0, "kind", "essay"),
        "questions[0].kind",
        "'essay' is not one of: single_choice, multiple_select",
        id="question-kind-bad",
    ),
    case(
        put("questions", 0, "focus", "economy"),
        "questions[0].focus",
        "'economy' is not one of: actor, treaty, sourcing, event",
        id="question-focus-bad",
    ),
    case(put("questions", 0, "prompt", "   "), "questions[0].prompt", "must not be empty", id="prompt-blank"),
    case(put("questions", 0, "points", 0), "questions[0].points", "must be between 1 and 100", id="points-0"),
    case(
        put("questions", 0, "points", "2"),
        "questions[0].points",
        "must be a whole number",
        id="points-string",
    ),
    case(
        put("questions", 0, "points", True), "questions[0].points", "must be a whole number", id="points-bool"
    ),
    case(
        put("questions", 0, "points", 1.5), "questions[0].points", "must be a whole number", id="points-float"
    ),
    case(
        put("questions", 0, "evidence_part", -1),
        "questions[0].evidence_part",
        "must be between 0 and 100",
        id="evidence-part-negative",
    ),
    # ---- questions: shape by kind
    case(
        put("questions", 2, "options", [{"id": "yes", "text": "Yes"}, {"id": "no", "text": "No"}]),
        "questions[2].options",
        "this kind of question has no options",
        id="true-false-with-options",
    ),
    case(
        put("questions", 0, "items", [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]),
        "questions[0].items",
        "this kind of question has no items",
        id="single-choice-with-items",
    ),
    case(
        drop("questions", 0, "options", 1),
        "questions[0].options",
        "this kind of question needs at least 2 options",
        id="single-choice-one-option",
    ),
    case(
        both(
            put("questions", 5, "items", [{"id": "signed", "text": "Signed"}]),
            drop("questions", 5, "answer", "correct"),
        ),
        "questions[5].items",
        "this kind of question needs at least 2 items",
        id="ordering-one-item",
    ),
    case(
        put("questions", 1, "options", 0, "text", ""),
        "questions[1].options[0].text",
        "must not be empty",
        id="option-text-empty",
    ),
    case(
        put("questions", 0, "options", 0, "group", "source"),
        "questions[0].options[0].group",
        "is not a field of this object",
        id="group-on-a-choice-option",
    ),
    case(
        put("questions", 6, "evidence_part", 1),
        "questions[6].evidence_part",
        "cannot add an evidence part",
        id="evidence-part-on-evidence",
    ),
    case(
        put("questions", 8, "evidence_part", 1),
        "questions[8].evidence_part",
        "cannot add an evidence part",
        id="evidence-part-on-open-response",
    ),
    # ---- answer keys
    case(
        put("questions", 0, "answer", "correct", "ruritania"),
        "questions[0].answer.correct",
        "unknown option 'ruritania'",
        id="single-choice-correct-not-an-option",
    ),
    case(
        put("questions", 0, "answer", "correct", ["borduria"]),
        "questions[0].answer.correct",
        "expected an option id, got a list",
        id="single-choice-correct-a-list",
    ),
    case(
        put("questions", 1, "answer", "correct", []),
        "questions[1].answer.correct",
        "at least one option must be right",
        id="multiple-select-correct-empty",
    ),
    case(
        put("questions", 1, "answer", "correct", ["borduria", "borduria"]),
        "questions[1].answer.correct",
        "lists an option twice",
        id="multiple-select-correct-twice",
    ),
    case(
        put("questions", 2, "answer", "correct", "true"),
        "questions[2].answer.correct",
        "expected true or false, got a string",
        id="true-false-correct-string",
    ),
    case(
        put("questions", 2, "answer", "option_feedback", "yes", "Indeed."),
        "questions[2].answer.option_feedback.yes",
        "option 'yes' is not defined in this file",
        id="true-false-feedback-unknown",
    ),
    case(
        put("questions", 0, "answer", "option_feedback", "zzz", "No."),
        "questions[0].answer.option_feedback.zzz",
        "option 'zzz' is not defined in this file",
        id="option-feedback-unknown-option",
    ),
    case(
        put("questions", 0, "answer", "option_feedback", "syldavia", ""),
        "questions[0].answer.option_feedback.syldavia",
        "must not be empty",
        id="option-feedback-empty",
    ),
    case(
        put("questions", 3, "answer", "accepted", []),
        "questions[3].answer.accepted",
        "a short-answer question needs at least one accepted answer",
        id="short-answer-without-accepted",
    ),
    case(
        put("questions", 3, "answer", "typo_tolerance", 4),
        "questions[3].answer.typo_tolerance",
        "must be between 0 and 3",
        id="typo-tolerance-4",
    ),
    case(
        put("questions", 3, "answer", "correct", "Anna Berg"),
        "questions[3].answer.correct",
        "`correct` must be null",
        id="short-answer-correct-not-null",
    ),
    case(
        drop("questions", 4, "answer", "correct", "daily-planet"),
        "questions[4].answer.correct",
        "every item must be matched",
        id="matching-correct-missing-an-item",
    ),
    case(
        put("questions", 4, "answer", "correct", "daily-planet", "editor"),
        "questions[4].answer.correct",
        "unknown option 'editor' for item 'daily-planet'",
        id="matching-correct-unknown-option",
    ),
    case(
        put("questions", 5, "answer", "correct", ["signed", "ratified"]),
        "questions[5].answer.correct",
        "missing item 'request'",
        id="ordering-correct-missing-an-item",
    ),
    case(
        put("questions", 5, "answer", "correct", ["signed", "signed", "request"]),
        "questions[5].answer.correct",
        "item 'signed' appears more than once",
        id="ordering-correct-repeats-an-item",
    ),
    case(
        put("questions", 6, "answer", "correct", ["p9s9"]),
        "questions[6].answer.correct",
        "unknown sentence 'p9s9'",
        id="evidence-correct-unknown-sentence",
    ),
    case(
        put("questions", 6, "answer", "correct", []),
        "questions[6].answer.correct",
        "at least one sentence must be right",
        id="evidence-correct-empty",
    ),
    case(
        put("questions", 7, "answer", "correct", "standing", "rumoured"),
        "questions[7].answer.correct",
        "unknown standing 'rumoured'",
        id="attribution-standing-bad",
    ),
    case(
        put("questions", 7, "answer", "correct", "asserted_by", "leaked-memo"),
        "questions[7].answer.correct",
        "unknown asserted_by option 'leaked-memo'",
        id="attribution-option-of-the-wrong-group",
    ),
    case(
        drop("questions", 7, "answer", "correct", "source"),
        "questions[7].answer.correct",
        "missing field 'source'",
        id="attribution-correct-part-missing",
    ),
    case(
        put("questions", 7, "claims", ["arms-request", "denial"]),
        "questions[7].claims",
        "an attribution question is about exactly one claim",
        id="attribution-two-claims",
    ),
    case(
        put("questions", 7, "options", 0, "group", "speaker"),
        "questions[7].options[0].group",
        "'speaker' is not one of: asserted_by, source",
        id="attribution-group-bad",
    ),
    case(
        put("questions", 8, "answer", "model_answer", " "),
        "questions[8].answer.model_answer",
        "an open-response question needs a model answer",
        id="open-response-without-model-answer",
    ),
    case(
        put("questions", 8, "answer", "rubric", []),
        "questions[8].answer.rubric",
        "an open-response question needs a rubric",
        id="open-response-without-rubric",
    ),
    case(
        put("questions", 8, "answer", "rubric", 1, "points", 2),
        "questions[8].answer.rubric",
        "rubric points add up to 3, but the question is worth 2",
        id="rubric-sum-not-points",
    ),
    case(
        put("questions", 8, "answer", "rubric", 1, "id", "names-memo"),
        "questions[8].answer.rubric",
        "a rubric criterion id is used twice",
        id="rubric-duplicate-id",
    ),
    case(
        put("questions", 8, "answer", "rubric", 1, "points", 0),
        "questions[8].answer.rubric[1].points",
        "must be between 1 and 100",
        id="rubric-criterion-points-0",
    ),
    case(
        put("questions", 0, "answer", "rubric", [RUBRIC_CRITERION]),
        "questions[0].answer.rubric",
        "only an open-response question has a rubric",
        id="rubric-on-a-closed-question",
    ),
    case(
        put("questions", 8, "answer", "correct", "It rests on a memo."),
        "questions[8].answer.correct",
        "`correct` must be null",
        id="open-response-correct-not-null",
    ),
]

# Documents that once slipped through (or failed with a database error instead of a LessonFileError).
FORMERLY_ACCEPTED = [
    case(
        put("version", True),
        "version",
        "is not supported",
        id="version-true",
    ),
    case(
        put("article", "published_on", "20250301"),
        "article.published_on",
        "is not a date (YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD)",
        id="article-date-basic-iso-format",
    ),
    case(
        put("questions", 0, "id", "which-state-signed-the-friendship-treaty-with-ruritania"),
        "questions[0].id",
        "must be at most 40 characters",
        id="question-id-longer-than-the-column",
    ),
    case(
        append("article", "paragraphs", 1, {"id": "paragraph-2-sentence-3", "text": "More news."}),
        "article.paragraphs[1][2].id",
        "must be at most 20 characters",
        id="sentence-id-longer-than-the-column",
    ),
    case(
        put("questions", 7, "options", 3, "group", "asserted_by"),
        "questions[7].options",
        "needs at least two 'source' options",
        id="attribution-one-source-option",
    ),
]


@pytest.mark.parametrize(("mutate", "path", "message"), CATALOGUE + FORMERLY_ACCEPTED)
def test_broken_document_is_refused_with_its_path_and_nothing_is_written(
    minimal_doc: dict[str, Any], row_counts: RowCounts, mutate: Mutation, path: str, message: str
) -> None:
    replaced = mutate(minimal_doc)
    data = minimal_doc if replaced is None else replaced

    with pytest.raises(LessonFileError) as caught:
        lesson_import(data=data)

    assert caught.value.path == path
    assert message in caught.value.message
    assert str(caught.value) == f"{path}: {caught.value.message}"
    assert set(row_counts().values()) == {0}


def test_catalogue_ids_are_unique() -> None:
    ids = [param.id for param in CATALOGUE + FORMERLY_ACCEPTED]
    assert len(ids) == len(set(ids))
    assert len(CATALOGUE) >= 30


def test_the_unbroken_minimal_document_imports(minimal_doc: dict[str, Any], row_counts: RowCounts) -> None:
    lesson_import(data=minimal_doc)

    assert row_counts()["lessons.Question"] == 9


def test_a_bad_document_leaves_an_existing_lesson_as_it_was(
    minimal_doc: dict[str, Any], row_counts: RowCounts
) -> None:
    lesson_import(data=json.loads(json.dumps(minimal_doc)))
    before = row_counts()
    minimal_doc["actors"][2]["name"] = "Republic of Ruritania"
    minimal_doc["questions"][2]["answer"]["correct"] = "true"

    with pytest.raises(LessonFileError) as caught:
        lesson_import(data=minimal_doc, replace=True)

    assert caught.value.path == "questions[2].answer.correct"
    assert row_counts() == before
    assert Actor.objects.get(slug="ruritania").name == "Ruritania"


# ---- the import_lesson command ------------------------------------------------------------------------


def test_import_command_refuses_a_file_that_is_not_json_naming_line_and_column(
    tmp_path: Path, row_counts: RowCounts
) -> None:
    lesson_file = tmp_path / "broken.json"
    lesson_file.write_text('{\n  "format": "quizsite.lesson",\n  "version": 1,,\n}\n', encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("import_lesson", str(lesson_file))

    assert str(caught.value) == (
        f"{lesson_file}: not valid JSON (line 3, column 16: "
        "Expecting property name enclosed in double quotes)"
    )
    assert set(row_counts().values()) == {0}


def test_import_command_refuses_a_missing_file(tmp_path: Path, row_counts: RowCounts) -> None:
    missing = tmp_path / "nowhere.json"

    with pytest.raises(CommandError) as caught:
        call_command("import_lesson", str(missing))

    assert str(caught.value) == f"{missing}: no such file"
    assert set(row_counts().values()) == {0}


def test_import_command_refuses_a_file_that_is_not_utf8(tmp_path: Path, row_counts: RowCounts) -> None:
    lesson_file = tmp_path / "latin1.json"
    lesson_file.write_bytes('{"format": "quizsite.lesson", "note": "Bogotá"}'.encode("latin-1"))

    with pytest.raises(CommandError) as caught:
        call_command("import_lesson", str(lesson_file))

    assert str(caught.value) == f"{lesson_file}: not UTF-8 text"
    assert set(row_counts().values()) == {0}


def test_import_command_refuses_a_bad_document_naming_the_path(
    tmp_path: Path, minimal_doc: dict[str, Any], row_counts: RowCounts
) -> None:
    minimal_doc["questions"][2]["answer"]["correct"] = "true"
    lesson_file = tmp_path / "lesson.json"
    lesson_file.write_text(json.dumps(minimal_doc), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("import_lesson", str(lesson_file))

    assert str(caught.value) == (
        f"{lesson_file}: questions[2].answer.correct: expected true or false, got a string"
    )
    assert set(row_counts().values()) == {0}


def test_import_command_refuses_an_existing_slug_without_replace(
    tmp_path: Path, minimal_doc: dict[str, Any], row_counts: RowCounts
) -> None:
    lesson_file = tmp_path / "lesson.json"
    lesson_file.write_text(json.dumps(minimal_doc), encoding="utf-8")
    call_command("import_lesson", str(lesson_file), stdout=io.StringIO())
    before = row_counts()

    with pytest.raises(CommandError) as caught:
        call_command("import_lesson", str(lesson_file))

    assert str(caught.value) == (
        f"{lesson_file}: lesson.slug: a lesson 'ruritania-arms' already exists (use replace)"
    )
    assert row_counts() == before
