"""The review queue: missed questions come back when due (server time), and answering reschedules them."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from lessons.models import Attempt, AttemptState, Lesson, ReviewItem
from lessons.rendering import markdown_to_html

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"
HTMX = {"HX-Request": "true"}
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def answer_in_player(client: Client, lesson: Lesson, key: str, data: dict[str, Any]) -> None:
    client.get(reverse("lessons:play", args=[lesson.slug]))
    attempt = Attempt.objects.get(lesson=lesson, state=AttemptState.OPEN)
    url = reverse("lessons:answer", args=[lesson.slug, key])
    assert client.post(url, {"attempt": attempt.pk, **data}).status_code == 303


@pytest.fixture
def missed_q01(signed_in: Client, first_lesson: Lesson) -> ReviewItem:
    """q01 answered wrong at START: it joins the queue, due at once for its first review."""
    with time_machine.travel(START, tick=False):
        answer_in_player(signed_in, first_lesson, "q01", {"answer": "b"})
    return ReviewItem.objects.get()


def review_answer_url(item: ReviewItem) -> str:
    return reverse("lessons:review_answer", args=[item.pk])


def test_review_needs_a_login(client: Client) -> None:
    response = client.get(reverse("lessons:review"))

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next=/review/")


def test_a_missed_question_is_due_at_once_for_its_first_review(
    signed_in: Client, missed_q01: ReviewItem
) -> None:
    assert missed_q01.due == START
    with time_machine.travel(START, tick=False):
        html = signed_in.get(reverse("lessons:review")).content.decode()

    assert "1 question is due for review now." in html
    assert 'class="answer-form"' in html
    assert '<p class="meta last-result">Last time: Missed</p>' in html


def test_a_question_reviewed_right_says_when_it_comes_back_in_the_viewers_zone(
    signed_in: Client, missed_q01: ReviewItem, first_lesson: Lesson
) -> None:
    with time_machine.travel(START, tick=False):
        assert signed_in.post(reverse("profile"), {"time_zone": "America/New_York"}).status_code == 302
        answer_in_player(signed_in, first_lesson, "q06", {"answer": ["missiles"]})  # partly right
    now = START + dt.timedelta(minutes=2)
    with time_machine.travel(now, tick=False):
        html = signed_in.post(
            review_answer_url(missed_q01), {"answer": "a", "evidence": ["p3s4"]}
        ).content.decode()
        queue = signed_in.get(reverse("lessons:review")).content.decode()

    item = ReviewItem.objects.get(pk=missed_q01.pk)
    assert item.due == now + dt.timedelta(minutes=10)  # 09:12 UTC, 04:12 in New York
    for page in (html, queue):
        assert "1 question is due for review now." in page  # q06, partly right
        assert "1 more question comes back later." in page
        assert '<time datetime="2026-03-02T04:12:00-05:00">March 2, 2026, 4:12 a.m.' in page
        assert '<abbr class="zone" title="America/New_York">EST</abbr>' in page
    assert '<p class="meta last-result">Last time: Partly right</p>' in queue


def test_the_queue_says_when_the_next_question_comes_back_when_nothing_is_due(
    signed_in: Client, missed_q01: ReviewItem
) -> None:
    with time_machine.travel(START, tick=False):
        signed_in.post(review_answer_url(missed_q01), {"answer": "d"})  # missed again: back in a minute
    with time_machine.travel(START + dt.timedelta(seconds=30), tick=False):
        html = signed_in.get(reverse("lessons:review")).content.decode()

    assert "Nothing is due for review right now." in html
    assert "1 more question comes back later." in html
    assert '<time datetime="2026-03-02T09:01:00+00:00">' in html
    assert "<li>1 missed</li>" in html


def test_a_missed_question_is_served_when_due_without_its_key(
    signed_in: Client, missed_q01: ReviewItem, first_lesson_data: dict[str, Any]
) -> None:
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        response = signed_in.get(reverse("lessons:review"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 question is due for review now." in html
    assert 'id="question-q01"' in html
    assert f'action="{review_answer_url(missed_q01)}#question-q01"' in html
    assert 'name="attempt"' not in html
    q01 = first_lesson_data["questions"][0]
    assert markdown_to_html(q01["answer"]["explanation"]) not in html
    for text in q01["answer"]["option_feedback"].values():
        assert text not in html
    for word in ("correct", "explanation", "option_feedback"):
        assert word not in html.lower()


def test_due_items_come_oldest_first_across_lessons(
    signed_in: Client, missed_q01: ReviewItem, first_lesson: Lesson
) -> None:
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        answer_in_player(signed_in, first_lesson, "q05", {"answer": "false"})
    with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):
        html = signed_in.get(reverse("lessons:review")).content.decode()

    assert "2 questions are due for review now." in html
    assert 'id="question-q01"' in html and 'id="question-q05"' not in html


def test_answering_a_review_item_reschedules_it(
    signed_in: Client, missed_q01: ReviewItem, first_lesson_data: dict[str, Any]
) -> None:
    now = START + dt.timedelta(minutes=2)
    with time_machine.travel(now, tick=False):
        response = signed_in.post(review_answer_url(missed_q01), {"answer": "a", "evidence": ["p3s4"]})

    html = response.content.decode()
    item = ReviewItem.objects.get()
    assert response.status_code == 200
    assert (item.reviews, item.last_correct, item.last_reviewed_at) == (1, True, now)
    assert item.due > now + dt.timedelta(minutes=5)
    assert "Right" in html and "2 of 2 points" in html
    assert markdown_to_html(first_lesson_data["questions"][0]["answer"]["explanation"]) in html
    assert f'href="{reverse("lessons:lesson_detail", args=["venezuela-military-aid"])}#sentence-p3s4"' in html
    assert "That was the last question due for now." in html
    assert f'href="{reverse("lessons:review")}"' in html  # on to the next one
    with time_machine.travel(now, tick=False):
        assert (
            "Nothing is due for review right now."
            in signed_in.get(reverse("lessons:review")).content.decode()
        )


def test_missing_a_review_again_keeps_it_soon(signed_in: Client, missed_q01: ReviewItem) -> None:
    now = START + dt.timedelta(minutes=2)
    with time_machine.travel(now, tick=False):
        signed_in.post(review_answer_url(missed_q01), {"answer": "d"})

    item = ReviewItem.objects.get()
    assert (item.reviews, item.last_correct) == (1, False)
    assert now < item.due <= now + dt.timedelta(minutes=2)


def test_htmx_review_answer_returns_the_fragment_with_a_next_link(
    signed_in: Client, missed_q01: ReviewItem
) -> None:
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        response = signed_in.post(review_answer_url(missed_q01), {"answer": "a"}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="question is-answered" id="question-q01"')
    assert "<html" not in html
    assert f'<a href="{reverse("lessons:review")}" class="button-link">Back to the review queue' in html
    assert 'id="due-count" hx-swap-oob="true">That was the last question due for now.' in html


def test_bad_review_answer_is_400_and_changes_nothing(signed_in: Client, missed_q01: ReviewItem) -> None:
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        response = signed_in.post(review_answer_url(missed_q01), {"answer": "z"})
        htmx_response = signed_in.post(review_answer_url(missed_q01), {"answer": "z"}, headers=HTMX)

    assert response.status_code == 400
    assert "unknown option &#x27;z&#x27;" in response.content.decode()
    assert 'aria-describedby="question-q01-error"' in response.content.decode()
    assert htmx_response.status_code == 400
    assert htmx_response.content.decode().lstrip().startswith('<section class="question has-error"')
    item = ReviewItem.objects.get()
    assert (item.reviews, item.due, item.card) == (0, missed_q01.due, missed_q01.card)


def test_a_review_item_not_due_is_not_answered_again(signed_in: Client, missed_q01: ReviewItem) -> None:
    now = START + dt.timedelta(minutes=2)
    with time_machine.travel(now, tick=False):
        signed_in.post(review_answer_url(missed_q01), {"answer": "a"})
        rescheduled = ReviewItem.objects.get()
        response = signed_in.post(review_answer_url(missed_q01), {"answer": "a"})  # a reload of the POST

    assert response.status_code == 409
    assert "This question is not due for review yet" in response.content.decode()
    item = ReviewItem.objects.get()
    assert (item.reviews, item.due) == (1, rescheduled.due)


def test_another_learners_review_item_is_404(
    missed_q01: ReviewItem, django_user_model: Any, first_lesson: Lesson
) -> None:
    other = Client()
    other.force_login(django_user_model.objects.create_user("other", password=PASSWORD))

    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        response = other.post(review_answer_url(missed_q01), {"answer": "a"})
        queue = other.get(reverse("lessons:review")).content.decode()

    assert response.status_code == 404
    assert 'id="question-q01"' not in queue
    assert ReviewItem.objects.get().reviews == 0


def test_an_unknown_review_item_is_404(signed_in: Client) -> None:
    assert signed_in.post(reverse("lessons:review_answer", args=[999]), {"answer": "a"}).status_code == 404


def test_a_partly_right_answer_in_review_says_so(signed_in: Client, first_lesson: Lesson) -> None:
    with time_machine.travel(START, tick=False):
        answer_in_player(signed_in, first_lesson, "q06", {"answer": ["missiles"]})
    item = ReviewItem.objects.get()

    with time_machine.travel(item.due + dt.timedelta(seconds=1), tick=False):
        html = signed_in.post(
            review_answer_url(item), {"answer": ["missiles", "jet-repairs"]}
        ).content.decode()

    assert "Partly right" in html and "1.33 of 2 points" in html
    assert ReviewItem.objects.get().reviews == 1


def test_the_review_names_its_lesson_apart_from_the_interfaces_sentence(
    signed_in: Client, missed_q01: ReviewItem, first_lesson: Lesson
) -> None:
    with time_machine.travel(START, tick=False):
        html = signed_in.get(reverse("lessons:review"), headers={"accept-language": "es"}).content.decode()

    # The title, in the lesson's language, stands after a label of the interface's, not inside its sentence.
    assert f'De la lección: <cite lang="en">{first_lesson.title}</cite>' in html
