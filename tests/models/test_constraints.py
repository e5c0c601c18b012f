"""The database itself keeps the lesson rules: check and unique constraints fire on bad rows.

Rows are written with the ORM directly, past every service check, so only the database stands in the way.
Check constraint names appear in the error on both SQLite and PostgreSQL; unique constraint names only on
PostgreSQL, so those are matched by the exception type alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction

from lessons.models import (
    Actor,
    AnswerKey,
    Article,
    Claim,
    Lesson,
    Question,
    Sentence,
    Source,
    Treaty,
    TreatyParty,
)

pytestmark = pytest.mark.django_db


def make_article() -> Article:
    source = Source.objects.create(slug="daily-planet", name="The Daily Planet", kind="outlet")
    return Article.objects.create(headline="A headline", source=source)


def make_lesson(**fields: object) -> Lesson:
    defaults: dict[str, object] = {"slug": "a-lesson", "title": "A lesson", "introduction": "Read it."}
    return Lesson.objects.create(article=make_article(), **{**defaults, **fields})


def make_question(lesson: Lesson, **fields: object) -> Question:
    defaults: dict[str, object] = {
        "key": "q1",
        "position": 0,
        "kind": "single_choice",
        "focus": "actor",
        "prompt": "Who?",
        "points": 1,
    }
    return Question.objects.create(lesson=lesson, **{**defaults, **fields})


def refused(write: Callable[[], object], constraint: str | None = None) -> None:
    """*write* raises IntegrityError (naming *constraint* when given) and leaves nothing behind."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


def test_a_valid_lesson_and_question_are_accepted() -> None:
    question = make_question(make_lesson(estimated_minutes=1))
    AnswerKey.objects.create(question=question, explanation="Because.", correct="a", typo_tolerance=3)

    assert Question.objects.get().points == 1


def test_a_published_lesson_needs_a_revision() -> None:
    article = make_article()

    refused(
        lambda: Lesson.objects.create(
            slug="published", title="T", introduction="I", article=article, status="published"
        ),
        "lesson_published_has_revision",
    )
    assert Lesson.objects.count() == 0


def test_estimated_minutes_of_0_is_refused() -> None:
    article = make_article()

    refused(
        lambda: Lesson.objects.create(
            slug="l", title="T", introduction="I", article=article, estimated_minutes=0
        ),
        "lesson_minutes_positive",
    )


def test_a_lesson_with_an_unknown_level_is_refused() -> None:
    article = make_article()

    refused(
        lambda: Lesson.objects.create(slug="l", title="T", introduction="I", article=article, level="expert"),
        "lesson_level_valid",
    )


def test_question_points_of_0_are_refused() -> None:
    lesson = make_lesson()

    refused(lambda: make_question(lesson, points=0), "question_points_positive")
    assert Question.objects.count() == 0


@pytest.mark.parametrize("kind", ["open_response", "evidence"])
def test_an_evidence_part_on_an_evidence_or_open_response_question_is_refused(kind: str) -> None:
    lesson = make_lesson()

    refused(
        lambda: make_question(lesson, kind=kind, evidence_part=1),
        "question_evidence_part_only_for_closed_kinds",
    )


def test_an_evidence_part_on_a_closed_question_is_accepted() -> None:
    question = make_question(make_lesson(), kind="true_false", evidence_part=2)

    assert question.evidence_part == 2


def test_an_unknown_question_kind_is_refused() -> None:
    lesson = make_lesson()

    refused(lambda: make_question(lesson, kind="essay"), "question_kind_valid")


def test_a_question_key_used_twice_in_a_lesson_is_refused() -> None:
    lesson = make_lesson()
    make_question(lesson, key="q1", position=0)

    refused(lambda: make_question(lesson, key="q1", position=1))
    assert Question.objects.count() == 1


def test_the_same_question_key_in_two_lessons_is_accepted() -> None:
    first = make_lesson()
    second = Lesson.objects.create(slug="other", title="T", introduction="I", article=first.article)
    make_question(first, key="q1")
    make_question(second, key="q1")

    assert Question.objects.filter(key="q1").count() == 2


def test_a_sentence_key_used_twice_in_an_article_is_refused() -> None:
    article = make_article()
    Sentence.objects.create(article=article, key="p1s1", paragraph=1, position=0, text="One.")

    refused(
        lambda: Sentence.objects.create(article=article, key="p1s1", paragraph=1, position=1, text="Two.")
    )
    assert Sentence.objects.count() == 1


def test_a_typo_tolerance_of_4_is_refused() -> None:
    question = make_question(make_lesson(), kind="short_answer")

    refused(
        lambda: AnswerKey.objects.create(
            question=question, explanation="E", accepted=["x"], typo_tolerance=4
        ),
        "answer_key_typo_tolerance_small",
    )
    assert AnswerKey.objects.count() == 0


def test_a_ratification_date_without_ratification_is_refused() -> None:
    treaty = Treaty.objects.create(slug="t", name="Treaty", kind="treaty", status="signed")
    actor = Actor.objects.create(slug="borduria", name="Borduria", kind="state")

    refused(
        lambda: TreatyParty.objects.create(
            treaty=treaty, actor=actor, ratification="pending", ratified_on="2024-03-01"
        ),
        "treaty_party_ratified_on_only_when_ratified",
    )
    assert TreatyParty.objects.count() == 0


def test_a_ratification_date_with_ratification_is_accepted() -> None:
    treaty = Treaty.objects.create(slug="t", name="Treaty", kind="treaty", status="signed")
    actor = Actor.objects.create(slug="borduria", name="Borduria", kind="state")

    party = TreatyParty.objects.create(
        treaty=treaty, actor=actor, ratification="ratified", ratified_on="2024-03"
    )

    party.refresh_from_db()
    assert party.ratified_on == "2024-03"


@pytest.mark.parametrize("signed_on", ["2025-05-07", "2025-05", "2025", "--05", "--05-07", None])
def test_a_date_known_in_part_is_stored_as_written(signed_on: str | None) -> None:
    treaty = Treaty.objects.create(
        slug="t", name="Treaty", kind="treaty", status="signed", signed_on=signed_on
    )

    treaty.refresh_from_db()
    assert treaty.signed_on == signed_on


@pytest.mark.parametrize("signed_on", ["May 2025", "07/05/2025", "2025-5", "-05", "--5", "20250507", ""])
def test_a_date_in_no_partial_form_is_refused_by_the_database(signed_on: str) -> None:
    refused(
        lambda: Treaty.objects.create(
            slug="t", name="T", kind="treaty", status="signed", signed_on=signed_on
        ),
        "treaty_signed_on_partial_date",
    )
    assert Treaty.objects.count() == 0


def test_a_claim_with_an_unknown_standing_is_refused() -> None:
    article = make_article()

    refused(
        lambda: Claim.objects.create(article=article, key="c1", statement="S", standing="rumoured"),
        "claim_standing_valid",
    )
    assert Claim.objects.count() == 0


def test_an_unknown_ratification_is_refused() -> None:
    treaty = Treaty.objects.create(slug="t", name="Treaty", kind="treaty", status="signed")
    actor = Actor.objects.create(slug="borduria", name="Borduria", kind="state")

    refused(
        lambda: TreatyParty.objects.create(treaty=treaty, actor=actor, ratification="maybe"),
        "treaty_party_ratification_valid",
    )


def test_an_actor_affiliated_with_itself_is_refused() -> None:
    actor = Actor.objects.create(slug="ruritania", name="Ruritania", kind="state")
    actor.affiliation = actor

    refused(actor.save, "actor_not_own_affiliation")
    assert Actor.objects.get(pk=actor.pk).affiliation_id is None


def test_an_actor_affiliated_with_another_actor_is_accepted() -> None:
    state = Actor.objects.create(slug="ruritania", name="Ruritania", kind="state")
    ministry = Actor.objects.create(slug="ministry", name="Ministry", kind="organisation", affiliation=state)

    assert Actor.objects.get(pk=ministry.pk).affiliation == state
