"""A lesson held for an assignment keeps its review items back: the review queue is one more road to a key,
and the rule that makes the player answer 409 holds there too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lessons.models import Assignment, Attempt, AttemptState, Classroom, Lesson, ReviewItem
from lessons.rendering import markdown_to_html
from lessons.services.classroom import classroom_join

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LATER = START + dt.timedelta(minutes=10)


@pytest.fixture
def missed_then_assigned(
    client: Client,
    other_student: User,
    classroom: Classroom,
    first_lesson: Lesson,
    make_assignment: Callable[..., Assignment],
) -> ReviewItem:
    """`other_student` misses q01 in self-study, then joins `classroom`, where the lesson is assigned."""
    client.force_login(other_student)
    with time_machine.travel(START, tick=False):
        client.get(reverse("lessons:play", args=[first_lesson.slug]))
        attempt = Attempt.objects.get(learner=other_student, lesson=first_lesson, state=AttemptState.OPEN)
        url = reverse("lessons:answer", args=[first_lesson.slug, "q01"])
        assert client.post(url, {"attempt": attempt.pk, "answer": "b"}).status_code == 303
    with time_machine.travel(LATER, tick=False):
        assert classroom.join_code is not None
        classroom_join(student=other_student, code=classroom.join_code)
        make_assignment()
    return ReviewItem.objects.get(learner=other_student)


def test_the_queue_does_not_serve_an_item_of_a_held_lesson(
    client: Client, missed_then_assigned: ReviewItem, first_lesson: Lesson
) -> None:
    with time_machine.travel(LATER, tick=False):
        assert client.get(reverse("lessons:play", args=[first_lesson.slug])).status_code == 409
        html = client.get(reverse("lessons:review")).content.decode()

    assert "Nothing is due for review right now." in html
    assert 'id="question-q01"' not in html


def test_answering_an_item_of_a_held_lesson_is_409_without_its_key(
    client: Client, missed_then_assigned: ReviewItem, first_lesson_data: dict[str, Any]
) -> None:
    url = reverse("lessons:review_answer", args=[missed_then_assigned.pk])
    with time_machine.travel(LATER, tick=False):
        response = client.post(url, {"answer": "a", "evidence": ["p3s4"]})

    html = response.content.decode()
    assert response.status_code == 409
    assert markdown_to_html(first_lesson_data["questions"][0]["answer"]["explanation"]) not in html
    assert "assigned to you in Civics 9B" in html
    item = ReviewItem.objects.get(pk=missed_then_assigned.pk)
    assert (item.reviews, item.due) == (0, missed_then_assigned.due)  # not rescheduled
