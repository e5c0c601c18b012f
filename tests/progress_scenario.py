"""The progress scenario shared by the selector and page tests of progress.

On a five-question copy of the first lesson (q05 event 1 pt, q10 treaty 1 pt, q11 treaty 2 pts, q15 sourcing
1 pt, q22 an open response a teacher grades; a self-study attempt can earn 5 points):

attempt 1, submitted: q05 right 1, q10 right 1, q11 right 2, q15 wrong 0                 → 4 / 5 = 80 %
attempt 2, submitted: q05 right 1, q10 wrong 0, q11 partly 1, q22 waiting for a teacher  → 2 / 5 = 40 %
attempt 3, open:      q15 right 1                                                        → 1 of 5 answered

Loaded as a plugin by the root conftest (its fixtures are available everywhere); test modules import the
constants and helpers.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth.models import User
from factories.lessons import load_lesson

from lessons.models import Attempt, Lesson, Revision
from lessons.services import attempt_submit, response_save, self_study_attempt_open

KEPT_QUESTIONS = ("q05", "q10", "q11", "q15", "q22")
TREATY = "russia-venezuela-strategic-partnership"

ATTEMPT_1 = {"q05": True, "q10": False, "q11": ["russia", "venezuela"], "q15": "a"}
ATTEMPT_2 = {"q05": True, "q10": True, "q11": ["russia", "venezuela", "china"], "q22": "Because they say so."}
ATTEMPT_3 = {"q15": "c"}


def five_question_data(data: dict[str, Any], slug: str, title: str) -> dict[str, Any]:
    lesson_data = copy.deepcopy(data)
    lesson_data["lesson"]["slug"] = slug
    lesson_data["lesson"]["title"] = title
    lesson_data["questions"] = [
        question for question in data["questions"] if question["id"] in KEPT_QUESTIONS
    ]
    return lesson_data


def import_copy(data: dict[str, Any], slug: str, title: str) -> Lesson:
    return load_lesson(five_question_data(data, slug, title))


@pytest.fixture
def lesson_data(first_lesson_data: dict[str, Any]) -> dict[str, Any]:
    return five_question_data(first_lesson_data, "five-questions", "Five questions")


@pytest.fixture
def lesson(db: None, lesson_data: dict[str, Any]) -> Lesson:
    return load_lesson(lesson_data)


def revision_of(lesson: Lesson) -> Revision:
    lesson.refresh_from_db()
    assert lesson.published_revision is not None
    return lesson.published_revision


def take(learner: User, lesson: Lesson, answers: dict[str, Any], *, submit: bool) -> Attempt:
    attempt = self_study_attempt_open(learner=learner, revision=revision_of(lesson))
    for key, answer in answers.items():
        response_save(learner=attempt.learner, attempt=attempt, question_key=key, answer=answer)
    return attempt_submit(learner=attempt.learner, attempt=attempt) if submit else attempt


@pytest.fixture
def scenario(lesson: Lesson, learner: User) -> list[Attempt]:
    return [
        take(learner, lesson, ATTEMPT_1, submit=True),
        take(learner, lesson, ATTEMPT_2, submit=True),
        take(learner, lesson, ATTEMPT_3, submit=False),
    ]
