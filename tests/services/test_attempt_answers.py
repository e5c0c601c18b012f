"""Taking a self-study lesson: opening an attempt, saving answers as they are given, and submitting.

Every answer here is for a real question of the first fixture lesson (``venezuela-military-aid``), found by
its kind; each test first pins the facts about that question it relies on (points, key), so a change to the
fixture fails with a clear message rather than a puzzling score.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lessons.models import Attempt, AttemptState, FeedbackRelease, Lesson, Response, ReviewItem, Revision
from lessons.services import (
    AnswerLocked,
    AttemptClosed,
    InvalidAnswer,
    attempt_submit,
    response_save,
    self_study_attempt_open,
)
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    classroom_join,
    teacher_make,
)
from lessons.services.errors import NotAllowed

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=5)

Question = dict[str, Any]


def questions_of_kind(data: dict[str, Any], kind: str) -> list[Question]:
    found = [question for question in data["questions"] if question["kind"] == kind]
    assert found, f"the fixture lesson has no {kind} question"
    return found


def first_of_kind(data: dict[str, Any], kind: str, *, evidence_part: bool = False) -> Question:
    """The first question of `kind` (with an evidence part when asked) in the fixture lesson."""
    for question in questions_of_kind(data, kind):
        if (question["evidence_part"] > 0) == evidence_part:
            return question
    raise AssertionError(f"the fixture lesson has no {kind} question with evidence_part={evidence_part}")


def stored(attempt: Attempt) -> list[dict[str, Any]]:
    """Every response row of `attempt`, as plain values."""
    rows = (
        Response.objects.filter(attempt=attempt)
        .order_by("question_key")
        .values("question_key", "answer", "evidence", "sequence", "saved_at", "earned", "parts", "correct")
    )
    return [dict(row) for row in rows]


def parts(response: Response) -> dict[str, Decimal]:
    return {name: Decimal(value) for name, value in response.parts.items()}


# ----------------------------------------------------------------------------------------------------
# Opening and retrying


def test_opening_twice_returns_the_same_open_attempt(learner: Any, revision: Revision) -> None:
    first = self_study_attempt_open(learner=learner, revision=revision)
    second = self_study_attempt_open(learner=learner, revision=revision)

    assert second.pk == first.pk
    assert second.state == AttemptState.OPEN
    assert second.lesson_id == revision.lesson_id
    assert Attempt.objects.filter(learner=learner).count() == 1


def test_after_submitting_opening_starts_a_retry_and_the_first_attempt_keeps_its_score(
    learner: Any, revision: Revision, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    first = self_study_attempt_open(learner=learner, revision=revision)
    response_save(
        learner=first.learner,
        attempt=first,
        question_key=question["id"],
        answer=question["answer"]["correct"],
        now=NOW,
    )
    attempt_submit(learner=first.learner, attempt=first, now=NOW)

    retry = self_study_attempt_open(learner=learner, revision=revision)
    response_save(
        learner=retry.learner,
        attempt=retry,
        question_key=question["id"],
        answer=not question["answer"]["correct"],
        now=LATER,
    )
    attempt_submit(learner=retry.learner, attempt=retry, now=LATER)

    assert retry.pk != first.pk
    assert retry.state == AttemptState.OPEN  # as returned, before its submit
    first.refresh_from_db()
    retry.refresh_from_db()
    assert (first.state, first.earned, first.submitted_at) == (AttemptState.SUBMITTED, Decimal("1.00"), NOW)
    assert (retry.state, retry.earned, retry.submitted_at) == (AttemptState.SUBMITTED, Decimal("0.00"), LATER)


def test_self_study_leaves_an_assignment_attempt_on_the_same_revision_alone(
    learner: Any, revision: Revision, first_lesson: Lesson, django_user_model: Any
) -> None:
    teacher = django_user_model.objects.create_user("teacher")
    teacher_make(user=teacher)
    classroom = classroom_create(teacher=teacher, name="Year 10")
    assert classroom.join_code is not None
    classroom_join(student=learner, code=classroom.join_code)
    assignment = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=NOW - dt.timedelta(days=1),
        due_at=NOW + dt.timedelta(days=7),
        feedback_release=FeedbackRelease.AFTER_DUE,
    )
    assigned = assignment_attempt_start(assignment=assignment, student=learner, now=NOW)

    self_study = self_study_attempt_open(learner=learner, revision=revision)

    assert self_study.pk != assigned.pk
    assert self_study.assignment_id is None
    assert self_study_attempt_open(learner=learner, revision=revision).pk == self_study.pk


def test_possible_is_every_machine_scored_question_with_its_evidence_part(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    closed = [q for q in first_lesson_data["questions"] if q["kind"] != "open_response"]
    open_response = questions_of_kind(first_lesson_data, "open_response")

    # 23 closed questions worth 35 points, 6 of them with a 1-point evidence part; the open response's
    # 6 points need a teacher and are not part of a self-study score.
    assert (len(closed), sum(q["points"] for q in closed), sum(q["evidence_part"] for q in closed)) == (
        23,
        35,
        6,
    )
    assert [q["points"] for q in open_response] == [6]
    assert attempt.possible == Decimal("41")
    attempt.refresh_from_db()
    assert attempt.possible == Decimal("41.00")


# ----------------------------------------------------------------------------------------------------
# Saving and scoring one answer


def test_a_right_answer_with_its_evidence_is_stored_and_earns_every_point(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "single_choice", evidence_part=True)
    assert (question["points"], question["evidence_part"]) == (1, 1)
    evidence = question["evidence"]

    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=question["answer"]["correct"],
        evidence=[*evidence, evidence[0]],  # a repeated sentence is dropped
        sequence=1,
        now=NOW,
    )

    assert (saved.created, saved.stale) == (True, False)
    response = Response.objects.get(pk=saved.response.pk)
    assert response.answer == question["answer"]["correct"]
    assert response.evidence == evidence
    assert (response.earned, response.possible, response.correct) == (Decimal("2.00"), Decimal("2.00"), True)
    assert response.needs_teacher is False
    assert parts(response) == {"answer": Decimal(1), "evidence": Decimal(1)}
    assert (response.kind, response.focus, response.sequence) == ("single_choice", question["focus"], 1)
    assert response.first_saved_at == response.saved_at == NOW


def test_answers_are_stored_in_their_normalised_form(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    multiple = first_of_kind(first_lesson_data, "multiple_select")
    assert multiple["answer"]["correct"] == ["missiles", "jet-repairs", "radar-repairs"]
    short = questions_of_kind(first_lesson_data, "short_answer")[0]
    assert "Xi Jinping" in short["answer"]["accepted"]
    matching = first_of_kind(first_lesson_data, "matching")
    key = matching["answer"]["correct"]
    items = [item["id"] for item in matching["items"]]

    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=multiple["id"],
        answer=["radar-repairs", "missiles", "radar-repairs", "jet-repairs"],
        now=NOW,
    )
    response_save(
        learner=attempt.learner, attempt=attempt, question_key=short["id"], answer="  xi jinping \n", now=NOW
    )
    # Given in reverse item order, the first item left unmatched (null).
    given = {item: key[item] for item in reversed(items[1:])} | {items[0]: None}
    matched = response_save(
        learner=attempt.learner, attempt=attempt, question_key=matching["id"], answer=given, now=NOW
    ).response

    rows = {row["question_key"]: row for row in stored(attempt)}
    assert rows[multiple["id"]]["answer"] == ["radar-repairs", "missiles", "jet-repairs"]
    assert rows[multiple["id"]]["earned"] == Decimal("2.00")
    assert rows[short["id"]]["answer"] == "xi jinping"
    assert rows[short["id"]]["earned"] == Decimal("1.00")
    # In the question's item order, the unmatched item left out (PostgreSQL's jsonb keeps no key order).
    assert list(matched.answer.items()) == [(item, key[item]) for item in items[1:]]
    assert rows[matching["id"]]["answer"] == {item: key[item] for item in items[1:]}
    assert rows[matching["id"]]["earned"] == Decimal("2.50")  # 5 of 6 items of 3 points


def test_a_wrong_answer_is_stored_and_earns_nothing(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "multiple_select")
    assert question["points"] == 2
    assert {"drones", "radar-detectors"}.isdisjoint(question["answer"]["correct"])

    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=["drones", "radar-detectors"],
        now=NOW,
    )

    response = Response.objects.get(pk=saved.response.pk)
    assert response.answer == ["drones", "radar-detectors"]
    assert response.evidence is None
    assert (response.earned, response.possible, response.correct) == (Decimal("0.00"), Decimal("2.00"), False)
    assert parts(response) == {"answer": Decimal(0)}


def test_a_partly_right_attribution_earns_a_third_per_right_part(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "attribution")
    assert question["points"] == 3
    key = question["answer"]["correct"]
    assert key["standing"] != "denied"

    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer={**key, "standing": "denied"},
        now=NOW,
    )

    response = Response.objects.get(pk=saved.response.pk)
    assert response.answer == {**key, "standing": "denied"}
    assert (response.earned, response.possible, response.correct) == (Decimal("2.00"), Decimal("3.00"), False)
    assert parts(response) == {
        "answer": Decimal("0.6667"),
        "asserted_by": Decimal(1),
        "source": Decimal(1),
        "standing": Decimal(0),
    }


def test_a_partly_right_multiple_select_rounds_to_the_cent(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "multiple_select")
    assert (question["points"], question["answer"]["correct"]) == (
        2,
        ["missiles", "jet-repairs", "radar-repairs"],
    )

    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=["missiles", "jet-repairs"],
        now=NOW,
    )

    response = Response.objects.get(pk=saved.response.pk)
    assert (response.earned, response.possible, response.correct) == (Decimal("1.33"), Decimal("2.00"), False)
    assert parts(response) == {"answer": Decimal("0.6667")}


def test_an_open_response_waits_for_a_teacher_and_joins_no_review_queue(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "open_response")

    saved = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer="  It rests on unpublished documents.  ",
        now=NOW,
    )

    response = Response.objects.get(pk=saved.response.pk)
    assert response.answer == "It rests on unpublished documents."
    assert response.needs_teacher is True
    assert response.earned is None
    assert (response.possible, response.correct, response.parts) == (Decimal("6.00"), False, {})
    assert not ReviewItem.objects.exists()


def test_the_evidence_part_counts_only_when_the_first_part_is_right(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    with_evidence = questions_of_kind(first_lesson_data, "single_choice")
    wrong_first, half_evidence = [q for q in with_evidence if q["evidence_part"] > 0][:2]
    assert (wrong_first["points"], wrong_first["evidence_part"]) == (1, 1)
    assert (half_evidence["points"], half_evidence["evidence_part"], len(half_evidence["evidence"])) == (
        1,
        1,
        2,
    )
    wrong_option = next(
        o["id"] for o in wrong_first["options"] if o["id"] != wrong_first["answer"]["correct"]
    )

    # The right sentences after a wrong first part earn nothing.
    wrong = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=wrong_first["id"],
        answer=wrong_option,
        evidence=wrong_first["evidence"],
        now=NOW,
    ).response
    # A right first part, and one of the two evidence sentences: half the evidence point.
    half = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=half_evidence["id"],
        answer=half_evidence["answer"]["correct"],
        evidence=half_evidence["evidence"][:1],
        now=NOW,
    ).response

    wrong.refresh_from_db()
    half.refresh_from_db()
    assert (wrong.earned, wrong.correct, parts(wrong)) == (
        Decimal("0.00"),
        False,
        {"answer": Decimal(0), "evidence": Decimal(0)},
    )
    assert wrong.evidence == wrong_first["evidence"]  # kept, though not scored
    assert (half.earned, half.possible, half.correct, parts(half)) == (
        Decimal("1.50"),
        Decimal("2.00"),
        True,
        {"answer": Decimal(1), "evidence": Decimal("0.5")},
    )


# ----------------------------------------------------------------------------------------------------
# Saving again: repeats, changes, stale requests


def test_saving_the_same_answer_twice_is_harmless(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    answer = question["answer"]["correct"]

    first = response_save(
        learner=attempt.learner, attempt=attempt, question_key=question["id"], answer=answer, now=NOW
    )
    before = stored(attempt)
    again = response_save(
        learner=attempt.learner, attempt=attempt, question_key=question["id"], answer=answer, now=LATER
    )

    assert (first.created, again.created, again.stale) == (True, False, False)
    assert again.response.pk == first.response.pk
    assert stored(attempt) == before
    assert before[0]["saved_at"] == NOW


def test_a_different_answer_after_feedback_is_refused_and_the_first_one_stays(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    answer = question["answer"]["correct"]
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=answer,
        sequence=1,
        now=NOW,
    )
    before = stored(attempt)

    with pytest.raises(AnswerLocked) as raised:
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=question["id"],
            answer=not answer,
            sequence=2,
            now=LATER,
        )

    assert raised.value.status == 409
    assert raised.value.message == "You have already answered this question and seen its feedback."
    assert stored(attempt) == before


def test_an_unknown_question_is_refused_on_the_question_field(attempt: Attempt) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        response_save(learner=attempt.learner, attempt=attempt, question_key="q99", answer="a", now=NOW)

    assert (raised.value.field, raised.value.status) == ("question", 400)
    assert raised.value.message == "This lesson has no question q99."
    assert not Response.objects.exists()


MALFORMED = [
    pytest.param("single_choice", "z", None, "answer", "unknown option 'z'", id="unknown-option"),
    pytest.param(
        "multiple_select",
        "russia",
        None,
        "answer",
        "expected a list of option ids, got a string",
        id="not-a-list",
    ),
    pytest.param(
        "true_false", "true", None, "answer", "expected true or false, got a string", id="text-for-bool"
    ),
    pytest.param("short_answer", "   ", None, "answer", "the answer is empty", id="blank-text"),
    pytest.param("ordering", ["s-docs"], None, "answer", "missing item 's-article'", id="missing-item"),
    pytest.param(
        "attribution",
        {"asserted_by": "ab-post", "source": "src-docs"},
        None,
        "answer",
        "missing field 'standing'",
        id="attribution-missing-part",
    ),
    pytest.param("open_response", None, None, "answer", "expected text, got null", id="null-text"),
    pytest.param(
        "true_false",
        True,
        ["p1s1"],
        "evidence",
        "this question has no evidence part",
        id="evidence-not-asked",
    ),
]


@pytest.mark.parametrize(("kind", "answer", "evidence", "field", "message"), MALFORMED)
def test_a_malformed_answer_is_refused_and_nothing_is_stored(
    attempt: Attempt,
    first_lesson_data: dict[str, Any],
    kind: str,
    answer: Any,
    evidence: Any,
    field: str,
    message: str,
) -> None:
    question = questions_of_kind(first_lesson_data, kind)[0]

    with pytest.raises(InvalidAnswer) as raised:
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=question["id"],
            answer=answer,
            evidence=evidence,
            now=NOW,
        )

    assert (raised.value.field, raised.value.message) == (field, message)
    assert not Response.objects.exists()
    assert not ReviewItem.objects.exists()


def test_malformed_evidence_for_a_question_with_an_evidence_part_is_refused(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "single_choice", evidence_part=True)

    with pytest.raises(InvalidAnswer) as raised:
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=question["id"],
            answer=question["answer"]["correct"],
            evidence=["p9s9"],
            now=NOW,
        )

    assert (raised.value.field, raised.value.message) == ("evidence", "unknown sentence 'p9s9'")
    assert not Response.objects.exists()


@pytest.mark.parametrize("sequence", [3, 5], ids=["older", "same"])
def test_a_stale_save_is_reported_and_changes_nothing(
    attempt: Attempt, first_lesson_data: dict[str, Any], sequence: int
) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    answer = question["answer"]["correct"]
    first = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=answer,
        sequence=5,
        now=NOW,
    )
    before = stored(attempt)

    # A retried or out-of-order request: even a different answer is not an error, just ignored.
    late = response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=not answer,
        sequence=sequence,
        now=LATER,
    )

    assert (late.created, late.stale) == (False, True)
    assert late.response.pk == first.response.pk
    assert stored(attempt) == before
    assert before[0]["sequence"] == 5


# ----------------------------------------------------------------------------------------------------
# Closed attempts: submitted, or past the deadline


def test_saving_after_submitting_is_refused(attempt: Attempt, first_lesson_data: dict[str, Any]) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)

    with pytest.raises(AttemptClosed) as raised:
        response_save(
            learner=attempt.learner, attempt=attempt, question_key=question["id"], answer=True, now=LATER
        )

    assert raised.value.status == 409
    assert raised.value.message == "This attempt has been submitted; its answers can no longer change."
    assert not Response.objects.exists()


def test_a_save_after_the_deadline_is_refused_and_submits_what_was_saved_before(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    on_time, late = questions_of_kind(first_lesson_data, "true_false")[:2]
    Attempt.objects.filter(pk=attempt.pk).update(deadline=NOW)
    attempt.refresh_from_db()
    after = NOW + dt.timedelta(seconds=1)

    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=on_time["id"],
        answer=on_time["answer"]["correct"],
        now=NOW - dt.timedelta(seconds=1),
    )
    with pytest.raises(AttemptClosed) as raised:
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=late["id"],
            answer=late["answer"]["correct"],
            now=after,
        )

    assert raised.value.status == 409
    assert raised.value.message == (
        "The time for this attempt is over; it was submitted with the answers saved before."
    )
    assert [row["question_key"] for row in stored(attempt)] == [on_time["id"]]
    attempt.refresh_from_db()
    assert (attempt.state, attempt.earned, attempt.submitted_at, attempt.auto_submitted) == (
        AttemptState.SUBMITTED,
        Decimal("1.00"),
        after,
        True,
    )


def test_the_deadline_is_kept_by_the_server_clock_when_no_time_is_given(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    with pytest.raises(AttemptClosed):
        response_save(learner=attempt.learner, attempt=attempt, question_key=question["id"], answer=True)

    assert not Response.objects.exists()
    attempt.refresh_from_db()
    assert (attempt.state, attempt.earned) == (AttemptState.SUBMITTED, Decimal("0.00"))


# ----------------------------------------------------------------------------------------------------
# Submitting


def test_submitting_twice_returns_the_first_result(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=question["id"],
        answer=question["answer"]["correct"],
        now=NOW,
    )

    first = attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)
    second = attempt_submit(learner=attempt.learner, attempt=attempt, now=LATER)

    assert (first.state, first.earned, first.submitted_at) == (AttemptState.SUBMITTED, Decimal("1.00"), NOW)
    assert (second.state, second.earned, second.submitted_at) == (
        AttemptState.SUBMITTED,
        Decimal("1.00"),
        NOW,
    )
    attempt.refresh_from_db()
    assert (attempt.earned, attempt.submitted_at) == (Decimal("1.00"), NOW)


def test_submitting_with_no_answers_scores_zero(attempt: Attempt) -> None:
    submitted = attempt_submit(learner=attempt.learner, attempt=attempt, now=NOW)

    submitted.refresh_from_db()
    assert (submitted.state, submitted.earned, submitted.possible) == (
        AttemptState.SUBMITTED,
        Decimal("0.00"),
        Decimal("41.00"),
    )


def test_the_attempt_earns_exactly_the_sum_of_its_responses(
    attempt: Attempt, first_lesson_data: dict[str, Any]
) -> None:
    with_evidence = first_of_kind(first_lesson_data, "single_choice", evidence_part=True)
    multiple = first_of_kind(first_lesson_data, "multiple_select")
    attribution = first_of_kind(first_lesson_data, "attribution")
    true_false = first_of_kind(first_lesson_data, "true_false")
    open_response = first_of_kind(first_lesson_data, "open_response")

    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=with_evidence["id"],
        answer=with_evidence["answer"]["correct"],
        evidence=with_evidence["evidence"],
        now=NOW,
    )  # 2.00
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=multiple["id"],
        answer=["missiles", "jet-repairs"],
        now=NOW,
    )  # 1.33
    key = attribution["answer"]["correct"]
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=attribution["id"],
        answer={**key, "standing": "denied"},
        now=NOW,
    )
    response_save(
        learner=attempt.learner,
        attempt=attempt,
        question_key=true_false["id"],
        answer=not true_false["answer"]["correct"],
        now=NOW,
    )  # 0.00
    response_save(
        learner=attempt.learner, attempt=attempt, question_key=open_response["id"], answer="Because.", now=NOW
    )  # a teacher's

    submitted = attempt_submit(learner=attempt.learner, attempt=attempt, now=LATER)

    earned = [row["earned"] for row in stored(attempt)]
    assert sorted(earned, key=lambda value: (value is None, value)) == [
        Decimal("0.00"),
        Decimal("1.33"),
        Decimal("2.00"),
        Decimal("2.00"),
        None,
    ]
    assert submitted.earned == Decimal("5.33")
    submitted.refresh_from_db()
    assert submitted.earned == Decimal("5.33") == sum(value for value in earned if value is not None)


# ----------------------------------------------------------------------------------------------------
# Whose attempt: the service checks it, whatever calls it


def test_another_learner_cannot_save_into_an_attempt_and_nothing_is_stored(
    attempt: Attempt, first_lesson_data: dict[str, Any], django_user_model: Any
) -> None:
    question = first_of_kind(first_lesson_data, "true_false")
    stranger = django_user_model.objects.create_user("stranger")

    with pytest.raises(NotAllowed) as raised:
        response_save(
            learner=stranger,
            attempt=attempt,
            question_key=question["id"],
            answer=question["answer"]["correct"],
            now=NOW,
        )

    assert (raised.value.status, raised.value.message) == (404, "This attempt is not yours.")
    assert stored(attempt) == []
    assert not ReviewItem.objects.exists()


def test_another_learner_cannot_submit_an_attempt_and_it_stays_open(
    attempt: Attempt, django_user_model: Any
) -> None:
    stranger = django_user_model.objects.create_user("stranger")

    with pytest.raises(NotAllowed) as raised:
        attempt_submit(learner=stranger, attempt=attempt, now=NOW)

    assert raised.value.status == 404
    attempt.refresh_from_db()
    assert (attempt.state, attempt.submitted_at, attempt.earned) == (AttemptState.OPEN, None, None)


def test_another_student_cannot_save_into_or_submit_a_classmates_assignment_attempt(
    revision: Revision, django_user_model: Any
) -> None:
    teacher = django_user_model.objects.create_user("teacher")
    teacher_make(user=teacher)
    classroom = classroom_create(teacher=teacher, name="Period 1")
    assert classroom.join_code is not None
    assignment = assignment_create(
        classroom=classroom,
        lesson=revision.lesson,
        by=teacher,
        opens_at=NOW - dt.timedelta(days=1),
        due_at=NOW + dt.timedelta(days=7),
        feedback_release=FeedbackRelease.AFTER_DUE,
    )
    owner, classmate = (django_user_model.objects.create_user(name) for name in ("owner", "classmate"))
    for student in (owner, classmate):
        classroom_join(student=student, code=classroom.join_code)
    theirs = assignment_attempt_start(assignment=assignment, student=owner, now=NOW)

    with pytest.raises(NotAllowed):
        response_save(learner=classmate, attempt=theirs, question_key="q01", answer="a", now=NOW)
    with pytest.raises(NotAllowed):
        attempt_submit(learner=classmate, attempt=theirs, now=NOW)

    theirs.refresh_from_db()
    assert theirs.state == AttemptState.OPEN
    assert not Response.objects.filter(attempt=theirs).exists()
