"""Progress selectors: by lesson, by focus and by actor or treaty, with exact numbers and bounded queries.

The scenario, on a five-question copy of the first lesson (q05 event 1 pt, q10 treaty 1 pt, q11 treaty 2 pts,
q15 sourcing 1 pt, q22 an open response a teacher grades; a self-study attempt can earn 5 points):

attempt 1, submitted: q05 right 1, q10 right 1, q11 right 2, q15 wrong 0                 → 4 / 5 = 80 %
attempt 2, submitted: q05 right 1, q10 wrong 0, q11 partly 1, q22 waiting for a teacher  → 2 / 5 = 40 %
attempt 3, open:      q15 right 1                                                        → 1 of 5 answered
"""

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from progress_scenario import ATTEMPT_1, ATTEMPT_3, TREATY, five_question_data, import_copy, take

from lessons.models import Attempt, Lesson
from lessons.selectors.progress import (
    EntityKind,
    Outcome,
    Score,
    answers_about,
    focus_progress,
    lesson_progress,
    progress_overview,
    score_percent,
)
from lessons.services import attempt_submit, lesson_import

pytestmark = pytest.mark.django_db


def test_the_scenario_scores_as_described(scenario: list[Attempt]) -> None:
    assert [(attempt.earned, attempt.possible) for attempt in scenario[:2]] == [
        (Decimal(4), Decimal(5)),
        (Decimal(2), Decimal(5)),
    ]


@pytest.mark.parametrize(
    ("earned", "possible", "percent"),
    [
        ("4", "5", 80),
        ("2", "3", 67),
        ("1", "3", 33),
        ("1", "8", 13),
        ("3", "38", 8),
        ("0", "5", 0),
        ("1", "0", 0),
    ],
)
def test_score_percent_rounds_half_up(earned: str, possible: str, percent: int) -> None:
    assert score_percent(Decimal(earned), Decimal(possible)) == percent


# ----------------------------------------------------------------------------------------------------
# By lesson


def test_lesson_progress_has_last_best_completion_and_attempts(
    scenario: list[Attempt], learner: User
) -> None:
    [row] = lesson_progress(learner)

    assert (row.slug, row.title) == ("five-questions", "Five questions")
    assert row.attempts == 3
    assert row.last_score == Score(Decimal(2), Decimal(5))
    assert row.last_score.percent == 40
    assert row.best_score == Score(Decimal(4), Decimal(5))
    assert row.best_score.percent == 80
    assert (row.answered, row.total_questions, row.completion_percent) == (1, 5, 20)
    assert row.in_progress is True


def test_lesson_progress_before_any_submission(lesson: Lesson, learner: User) -> None:
    take(learner, lesson, {"q05": True, "q10": False}, submit=False)

    [row] = lesson_progress(learner)

    assert row.attempts == 1
    assert row.last_score is None
    assert row.best_score is None
    assert (row.answered, row.total_questions, row.completion_percent) == (2, 5, 40)


def test_lesson_progress_lists_each_lesson_by_title(
    scenario: list[Attempt], learner: User, first_lesson_data: dict[str, Any]
) -> None:
    other = import_copy(first_lesson_data, "another-lesson", "Another lesson")
    take(learner, other, {"q05": True, "q10": False, "q11": ["russia", "venezuela"], "q15": "c"}, submit=True)

    rows = lesson_progress(learner)

    assert [(row.title, row.attempts, row.best_score) for row in rows] == [
        ("Another lesson", 1, Score(Decimal(5), Decimal(5))),
        ("Five questions", 3, Score(Decimal(4), Decimal(5))),
    ]
    assert [(row.answered, row.total_questions) for row in rows] == [(4, 5), (1, 5)]


def test_completion_counts_the_questions_of_the_attempts_revision(
    lesson: Lesson, learner: User, first_lesson_data: dict[str, Any]
) -> None:
    take(learner, lesson, {"q05": True}, submit=False)
    # The teacher republishes with every question of the first lesson (22); the open attempt keeps its 5.
    republished = copy.deepcopy(first_lesson_data)
    republished["lesson"].update(slug="five-questions", title="Five questions")
    lesson_import(data=republished, replace=True)

    [row] = lesson_progress(learner)

    assert (row.answered, row.total_questions) == (1, 5)


# ----------------------------------------------------------------------------------------------------
# By focus


def test_focus_progress_sums_auto_scored_points_per_focus(scenario: list[Attempt], learner: User) -> None:
    by_focus = {row.focus: row for row in focus_progress(learner)}

    assert list(by_focus) == ["actor", "treaty", "sourcing", "event"]
    assert (by_focus["event"].earned, by_focus["event"].possible, by_focus["event"].percent) == (2, 2, 100)
    # q10 1 + 0 of 2, q11 2 + 1 of 4.
    assert (by_focus["treaty"].earned, by_focus["treaty"].possible, by_focus["treaty"].percent) == (4, 6, 67)
    # q15 0 + 1 of 2; the open response (q22) waits for a teacher and counts nowhere.
    assert (by_focus["sourcing"].earned, by_focus["sourcing"].possible) == (1, 2)
    assert by_focus["sourcing"].percent == 50
    assert by_focus["sourcing"].answered == 2
    assert (by_focus["actor"].answered, by_focus["actor"].possible, by_focus["actor"].percent) == (0, 0, None)


# ----------------------------------------------------------------------------------------------------
# By actor and treaty


def test_overview_lists_the_actors_and_treaties_answered_about(
    scenario: list[Attempt], learner: User
) -> None:
    overview = progress_overview(learner)

    assert {actor.slug: actor.answered for actor in overview.actors} == {
        # q05 ×2
        "velazquez": 2,
        # q10 ×2, q11 ×2, q15 ×2, q22
        "venezuela": 7,
        # q05 ×2, q10 ×2, q11 ×2, q22
        "russia": 7,
        # q15 ×2, q22
        "china": 3,
        "iran": 3,
        # q22
        "united-states": 1,
        "washington-post": 1,
        "zakharova": 1,
    }
    assert [actor.name for actor in overview.actors] == sorted(actor.name for actor in overview.actors)
    assert [(treaty.slug, treaty.answered) for treaty in overview.treaties] == [(TREATY, 5)]
    assert [row.slug for row in overview.lessons] == ["five-questions"]


def test_answers_about_an_actor(scenario: list[Attempt], learner: User) -> None:
    page = answers_about(learner, EntityKind.ACTOR, "venezuela")

    assert page is not None
    assert page.name == "Venezuela"
    assert len(page.answers) == 7
    assert sorted((answer.question_key, answer.outcome) for answer in page.answers) == [
        ("q10", Outcome.RIGHT),
        ("q10", Outcome.WRONG),
        ("q11", Outcome.PARTLY),
        ("q11", Outcome.RIGHT),
        ("q15", Outcome.RIGHT),
        ("q15", Outcome.WRONG),
        ("q22", Outcome.WAITING),
    ]
    assert page.outcome_counts == {"right": 3, "partly": 1, "wrong": 2, "waiting": 1}
    # Newest first: the open attempt's answer leads.
    assert (page.answers[0].question_key, page.answers[0].attempt_open) == ("q15", True)
    assert {answer.lesson_slug for answer in page.answers} == {"five-questions"}
    partly = next(answer for answer in page.answers if answer.outcome == Outcome.PARTLY)
    assert (partly.earned, partly.possible) == (Decimal(1), Decimal(2))


def test_answers_about_an_actor_only_in_some_questions(scenario: list[Attempt], learner: User) -> None:
    page = answers_about(learner, EntityKind.ACTOR, "velazquez")

    assert page is not None
    assert [(answer.question_key, answer.outcome) for answer in page.answers] == [
        ("q05", Outcome.RIGHT),
        ("q05", Outcome.RIGHT),
    ]


def test_answers_about_a_treaty(scenario: list[Attempt], learner: User) -> None:
    page = answers_about(learner, EntityKind.TREATY, TREATY)

    assert page is not None
    assert page.name == "Russia–Venezuela strategic partnership treaty"
    assert sorted(answer.question_key for answer in page.answers) == ["q10", "q10", "q11", "q11", "q22"]


def test_answers_about_an_unknown_entity_is_none(scenario: list[Attempt], learner: User) -> None:
    assert answers_about(learner, EntityKind.ACTOR, "nobody") is None
    assert answers_about(learner, EntityKind.TREATY, "venezuela") is None
    assert answers_about(learner, EntityKind.ACTOR, TREATY) is None


def test_answers_about_follow_the_revision_each_attempt_was_taken_on(
    scenario: list[Attempt], learner: User, first_lesson_data: dict[str, Any]
) -> None:
    # Republished: q05 is now about Putin. Answers already given stay about Velazquez; a new one is Putin's.
    republished = five_question_data(first_lesson_data, "five-questions", "Five questions")
    next(q for q in republished["questions"] if q["id"] == "q05")["actors"] = ["putin"]
    lesson = lesson_import(data=republished, replace=True)
    attempt_submit(learner=scenario[2].learner, attempt=scenario[2])
    take(learner, lesson, {"q05": False}, submit=False)

    velazquez = answers_about(learner, EntityKind.ACTOR, "velazquez")
    putin = answers_about(learner, EntityKind.ACTOR, "putin")

    assert velazquez is not None and putin is not None
    assert [answer.outcome for answer in velazquez.answers] == [Outcome.RIGHT, Outcome.RIGHT]
    assert [(answer.question_key, answer.outcome) for answer in putin.answers] == [("q05", Outcome.WRONG)]


def test_answers_never_carry_key_material(scenario: list[Attempt], learner: User) -> None:
    page = answers_about(learner, EntityKind.ACTOR, "venezuela")

    assert page is not None
    for answer in page.answers:
        assert set(vars(answer)) == {
            "lesson_slug",
            "lesson_title",
            "question_key",
            "prompt",
            "focus",
            "outcome",
            "earned",
            "possible",
            "answered_at",
            "attempt_open",
        }


# ----------------------------------------------------------------------------------------------------
# Another learner's work


def test_another_learners_work_never_counts(
    scenario: list[Attempt], lesson: Lesson, learner: User, other_learner: User
) -> None:
    before = (lesson_progress(learner), focus_progress(learner), progress_overview(learner))
    assert progress_overview(other_learner).lessons == []
    assert progress_overview(other_learner).actors == []
    assert all(row.answered == 0 for row in focus_progress(other_learner))

    take(other_learner, lesson, {"q05": False, "q10": True, "q15": "c"}, submit=True)
    take(other_learner, lesson, {"q11": ["china"]}, submit=False)

    assert (lesson_progress(learner), focus_progress(learner), progress_overview(learner)) == before
    venezuela = answers_about(learner, EntityKind.ACTOR, "venezuela")
    assert venezuela is not None and len(venezuela.answers) == 7
    [theirs] = lesson_progress(other_learner)
    assert (theirs.attempts, theirs.best_score, theirs.answered) == (2, Score(Decimal(1), Decimal(5)), 1)


# ----------------------------------------------------------------------------------------------------
# Query bounds


@pytest.mark.parametrize("attempts", [1, 10])
def test_queries_do_not_grow_with_attempts(
    lesson: Lesson, learner: User, attempts: int, django_assert_max_num_queries: Any
) -> None:
    for _number in range(attempts):
        take(learner, lesson, ATTEMPT_1, submit=True)
    take(learner, lesson, ATTEMPT_3, submit=False)

    with django_assert_max_num_queries(6):
        overview = progress_overview(learner)
    with django_assert_max_num_queries(3):
        page = answers_about(learner, EntityKind.ACTOR, "venezuela")

    assert overview.lessons[0].attempts == attempts + 1
    assert page is not None and len(page.answers) == 3 * attempts + 1
