"""The self-study review queue: missed questions scheduled by spaced repetition (FSRS, no fuzzing).

A question missed in whole or in part joins the queue due at once, for a first review right after the
lesson; its card keeps FSRS's state. From then on the scheduler's default learning steps (1 and 10 minutes)
rule: a card rated Again is due 1 minute later, Hard halfway between the steps (5 min 30 s), Good at the
second step (10 minutes). Every time is passed explicitly with `now=`, so each due date is exact.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lessons.models import Attempt, ReviewItem, ReviewResult, Revision
from lessons.services import (
    InvalidAnswer,
    attempt_submit,
    lesson_import,
    response_save,
    review_answer,
    self_study_attempt_open,
)
from lessons.services.errors import NotAllowed

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
ONE_MINUTE = dt.timedelta(minutes=1)
HARD_STEP = dt.timedelta(minutes=5, seconds=30)
TEN_MINUTES = dt.timedelta(minutes=10)

Question = dict[str, Any]


def first_of_kind(data: dict[str, Any], kind: str) -> Question:
    question = next((q for q in data["questions"] if q["kind"] == kind), None)
    assert question is not None, f"the fixture lesson has no {kind} question"
    return question


def wrong_option(question: Question) -> str:
    return next(o["id"] for o in question["options"] if o["id"] != question["answer"]["correct"])


@pytest.fixture
def single_choice(first_lesson_data: dict[str, Any]) -> Question:
    """A one-point single-choice question without an evidence part."""
    question = next(
        q for q in first_lesson_data["questions"] if q["kind"] == "single_choice" and q["evidence_part"] == 0
    )
    assert question["points"] == 1
    return question


@pytest.fixture
def missed(attempt: Attempt, single_choice: Question) -> ReviewItem:
    """The review item of `single_choice`, answered wrongly at NOW."""
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=single_choice["id"],
        answer=wrong_option(single_choice),
        now=NOW,
    )
    return ReviewItem.objects.get()


def review_state(item: ReviewItem) -> tuple[Any, ...]:
    item.refresh_from_db()
    return (item.card, item.due, item.reviews, item.last_reviewed_at, item.last_correct, item.revision_id)


# ----------------------------------------------------------------------------------------------------
# Answers in an attempt fill the queue


def test_a_wrong_answer_joins_the_queue_missed_and_due_at_once(
    attempt: Attempt, single_choice: Question, learner: Any, revision: Revision
) -> None:
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=single_choice["id"],
        answer=wrong_option(single_choice),
        now=NOW,
    )

    item = ReviewItem.objects.get()
    assert (item.learner_id, item.lesson_id, item.question_key, item.revision_id) == (
        learner.pk,
        revision.lesson_id,
        single_choice["id"],
        revision.pk,
    )
    assert item.due == NOW
    assert item.card["due"] == (NOW + ONE_MINUTE).isoformat()  # FSRS's own step, kept in the card
    assert (item.reviews, item.last_reviewed_at, item.last_correct) == (0, NOW, False)
    assert item.last_result == ReviewResult.MISSED


def test_a_partly_right_answer_joins_the_queue_too(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "attribution")
    key = question["answer"]["correct"]
    assert key["standing"] != "unknown"

    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer={**key, "standing": "unknown"},
        now=NOW,
    )

    assert saved.response.earned == Decimal("2.00")
    item = ReviewItem.objects.get()
    assert item.question_key == question["id"]
    assert item.due == NOW
    assert item.card["due"] == (NOW + HARD_STEP).isoformat()
    assert (item.last_correct, item.last_result) == (False, ReviewResult.PARTIAL)


def test_a_right_answer_without_its_evidence_part_is_a_partial_answer_not_a_miss(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = next(q for q in first_lesson_data["questions"] if q["evidence_part"] > 0)

    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=question["answer"]["correct"],
        now=NOW,
    )

    assert (saved.response.correct, saved.response.earned) == (True, Decimal(question["points"]))
    item = ReviewItem.objects.get()
    assert item.last_result == ReviewResult.PARTIAL
    assert item.card["due"] == (NOW + HARD_STEP).isoformat()  # rated Hard, as a partial answer, not Again


def test_a_right_review_answer_without_its_evidence_part_stays_partial(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = next(q for q in first_lesson_data["questions"] if q["evidence_part"] > 0)
    wrong = next(o["id"] for o in question["options"] if o["id"] != question["answer"]["correct"])
    response_save(
        learner=attempt.learner, attempt=attempt, question_key=question["id"], answer=wrong, now=NOW
    )
    item = ReviewItem.objects.get()
    assert item.last_result == ReviewResult.MISSED
    at = NOW + dt.timedelta(minutes=2)

    outcome = review_answer(learner=item.learner, item=item, answer=question["answer"]["correct"], now=at)

    assert outcome.grade.correct is True
    assert (outcome.item.last_result, outcome.item.last_correct) == (ReviewResult.PARTIAL, False)
    assert outcome.item.due == at + HARD_STEP

    outcome = review_answer(
        learner=item.learner,
        item=outcome.item,
        answer=question["answer"]["correct"],
        evidence=question["evidence"],
        now=outcome.item.due,
    )
    assert (outcome.item.last_result, outcome.item.last_correct) == (ReviewResult.RIGHT, True)


def test_a_right_answer_joins_no_queue(attempt: Attempt, single_choice: Question) -> None:
    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=single_choice["id"],
        answer=single_choice["answer"]["correct"],
        now=NOW,
    )

    assert saved.response.correct is True
    assert not ReviewItem.objects.exists()


def test_a_right_answer_in_a_later_attempt_moves_the_item_later(
    attempt: Attempt, missed: ReviewItem, single_choice: Question, learner: Any, revision: Revision
) -> None:
    attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)
    retry = self_study_attempt_open(learner=learner, revision=revision)
    later = NOW + dt.timedelta(hours=1)

    response_save(
        learner=retry.learner,
        attempt=retry,
        question_key=single_choice["id"],
        answer=single_choice["answer"]["correct"],
        now=later,
    )

    item = ReviewItem.objects.get()
    assert item.pk == missed.pk
    assert item.due == later + TEN_MINUTES
    assert item.due > missed.due
    assert (item.last_reviewed_at, item.last_correct, item.reviews) == (later, True, 0)


# ----------------------------------------------------------------------------------------------------
# Answering a review item


def test_a_right_review_answer_counts_and_moves_the_item_later(
    missed: ReviewItem, single_choice: Question
) -> None:
    at = NOW + dt.timedelta(minutes=2)

    outcome = review_answer(
        learner=missed.learner, item=missed, answer=single_choice["answer"]["correct"], now=at
    )

    assert (outcome.grade.correct, outcome.grade.earned, outcome.answer) == (
        True,
        Decimal("1.00"),
        single_choice["answer"]["correct"],
    )
    item = ReviewItem.objects.get()
    assert (item.reviews, item.last_correct, item.last_reviewed_at) == (1, True, at)
    assert item.due == at + TEN_MINUTES
    assert item.due > missed.due


def test_a_wrong_review_answer_brings_the_item_back_soon(missed: ReviewItem, single_choice: Question) -> None:
    review_answer(
        learner=missed.learner,
        item=missed,
        answer=single_choice["answer"]["correct"],
        now=NOW + dt.timedelta(minutes=2),
    )
    at = NOW + dt.timedelta(minutes=15)

    outcome = review_answer(learner=missed.learner, item=missed, answer=wrong_option(single_choice), now=at)

    assert (outcome.grade.correct, outcome.grade.earned) == (False, Decimal("0.00"))
    item = ReviewItem.objects.get()
    assert (item.reviews, item.last_correct, item.last_reviewed_at) == (2, False, at)
    assert item.due == at + ONE_MINUTE


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param("z", "unknown option 'z'", id="unknown-option"),
        pytest.param(["a"], "expected an option id, got a list", id="list-for-option"),
        pytest.param(None, "expected an option id, got null", id="null"),
    ],
)
def test_a_malformed_review_answer_is_refused_and_changes_nothing(
    missed: ReviewItem, answer: Any, message: str
) -> None:
    before = review_state(missed)

    with pytest.raises(InvalidAnswer) as raised:
        review_answer(learner=missed.learner, item=missed, answer=answer, now=NOW + dt.timedelta(minutes=2))

    assert (raised.value.field, raised.value.message, raised.value.status) == ("answer", message, 400)
    assert review_state(missed) == before
    assert (missed.reviews, missed.due) == (0, NOW)


def test_a_review_is_graded_with_the_revision_it_was_answered_on(
    missed: ReviewItem, single_choice: Question, first_lesson_data: dict[str, Any], revision: Revision
) -> None:
    old_key = single_choice["answer"]["correct"]
    new_key = wrong_option(single_choice)
    changed = copy.deepcopy(first_lesson_data)
    question = next(q for q in changed["questions"] if q["id"] == single_choice["id"])
    question["answer"]["correct"] = new_key
    assert changed["lesson"]["status"] == "published"

    lesson = lesson_import(data=changed, replace=True)

    assert lesson.published_revision is not None
    assert (revision.number, lesson.published_revision.number) == (1, 2)
    assert missed.revision_id == revision.pk
    # Revision 1's key: the old answer is still right ...
    right = review_answer(
        learner=missed.learner, item=missed, answer=old_key, now=NOW + dt.timedelta(minutes=2)
    )
    assert (right.grade.correct, right.item.last_correct, right.item.revision_id) == (True, True, revision.pk)
    # ... and revision 2's key is wrong for it.
    wrong = review_answer(
        learner=missed.learner, item=missed, answer=new_key, now=NOW + dt.timedelta(minutes=20)
    )
    assert (wrong.grade.correct, wrong.item.last_correct) == (False, False)
    assert ReviewItem.objects.get().reviews == 2


def test_an_item_moves_to_the_revision_it_was_last_answered_on(
    missed: ReviewItem, single_choice: Question, first_lesson_data: dict[str, Any], learner: Any
) -> None:
    changed = copy.deepcopy(first_lesson_data)
    question = next(q for q in changed["questions"] if q["id"] == single_choice["id"])
    question["answer"]["correct"] = wrong_option(single_choice)
    lesson = lesson_import(data=changed, replace=True)
    assert lesson.published_revision is not None
    attempt = self_study_attempt_open(learner=learner, revision=lesson.published_revision)
    later = NOW + dt.timedelta(hours=1)

    # The old key is wrong on revision 2: the item stays, now pointing at revision 2.
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=single_choice["id"],
        answer=single_choice["answer"]["correct"],
        now=later,
    )

    item = ReviewItem.objects.get()
    assert (item.pk, item.revision_id, item.due) == (
        missed.pk,
        lesson.published_revision.pk,
        later + ONE_MINUTE,
    )
    outcome = review_answer(
        learner=item.learner,
        item=item,
        answer=question["answer"]["correct"],
        now=later + dt.timedelta(minutes=2),
    )
    assert outcome.grade.correct is True


def test_another_learner_cannot_answer_an_item_and_it_keeps_its_schedule(
    missed: ReviewItem, single_choice: Question, django_user_model: Any
) -> None:
    stranger = django_user_model.objects.create_user("stranger")
    before = review_state(missed)

    with pytest.raises(NotAllowed) as raised:
        review_answer(
            learner=stranger,
            item=missed,
            answer=single_choice["answer"]["correct"],
            now=NOW + dt.timedelta(minutes=2),
        )

    assert raised.value.status == 404
    assert review_state(missed) == before
