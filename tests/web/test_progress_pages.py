"""The progress pages: overview by lesson and focus, and what a learner answered about an actor or treaty.

Same scenario as tests/selectors/test_progress_selectors.py, on a five-question copy of the first lesson
(q05 actor 1 pt, q10 treaty 1 pt, q11 treaty 2 pts, q15 sourcing 1 pt, q22 an open response):
attempt 1 submitted 4 / 5 = 80 %, attempt 2 submitted 2 / 5 = 40 %, attempt 3 open with 1 of 5 answered.
"""

import itertools
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from progress_scenario import ATTEMPT_1, ATTEMPT_3, TREATY, take

from lessons.models import Attempt, Lesson

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row(html: str, row_id: str) -> str:
    match = re.search(rf'<tr[^>]* id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match is not None, f"no row {row_id}"
    return text_of(match.group(1))


# ----------------------------------------------------------------------------------------------------
# Who may see what


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("lessons:progress", []),
        ("lessons:progress_actor", ["venezuela"]),
        ("lessons:progress_treaty", [TREATY]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(
    client: Client, lesson: Lesson, name: str, args: list[str]
) -> None:
    url = reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_unknown_actor_or_treaty_is_404(client: Client, scenario: list[Attempt], learner: User) -> None:
    client.force_login(learner)

    assert client.get(reverse("lessons:progress_actor", args=["nobody"])).status_code == 404
    assert client.get(reverse("lessons:progress_treaty", args=["no-such-treaty"])).status_code == 404
    assert client.get(reverse("lessons:progress_treaty", args=["venezuela"])).status_code == 404


# ----------------------------------------------------------------------------------------------------
# Overview


def test_overview_shows_each_lesson_with_scores_completion_and_a_link_to_play(
    client: Client, scenario: list[Attempt], learner: User
) -> None:
    client.force_login(learner)

    response = client.get(reverse("lessons:progress"))

    html = response.content.decode()
    assert response.status_code == 200
    assert row(html, "lesson-five-questions") == "Five questions 3 40% 80% 1 of 5 questions (20%) in progress"
    assert f'href="{reverse("lessons:play", args=["five-questions"])}"' in html


def test_overview_shows_points_per_focus_with_a_bar(
    client: Client, scenario: list[Attempt], learner: User
) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:progress")).content.decode()

    assert row(html, "focus-actor") == "Actors No answers yet"
    assert row(html, "focus-treaty") == "Treaties 4 of 6 67% 67%"
    assert row(html, "focus-sourcing") == "Sourcing 1 of 2 50% 50%"
    assert row(html, "focus-event") == "Events and timeline 2 of 2 100% 100%"
    assert '<meter min="0" max="100" value="67"' in html


def test_overview_links_the_actors_and_treaties_answered_about(
    client: Client, scenario: list[Attempt], learner: User
) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:progress")).content.decode()

    for slug in ("venezuela", "velazquez", "russia", "china", "iran", "zakharova"):
        assert f'href="{reverse("lessons:progress_actor", args=[slug])}"' in html
    assert f'href="{reverse("lessons:progress_actor", args=["putin"])}"' not in html  # never asked about
    assert f'href="{reverse("lessons:progress_treaty", args=[TREATY])}"' in html
    assert "Venezuela 7 answers" in text_of(html)


def test_overview_is_accessible(client: Client, scenario: list[Attempt], learner: User) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:progress")).content.decode()

    headings = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert headings[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(headings))
    assert html.count("<caption ") == 2
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    assert "<th>" not in html


def test_overview_of_a_learner_who_has_not_started(client: Client, lesson: Lesson, learner: User) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:progress")).content.decode()

    assert "You have not started a lesson yet." in html
    assert "Five questions" not in html


# ----------------------------------------------------------------------------------------------------
# By actor and treaty


def test_actor_page_lists_every_answer_about_the_actor(
    client: Client, scenario: list[Attempt], learner: User
) -> None:
    client.force_login(learner)

    response = client.get(reverse("lessons:progress_actor", args=["venezuela"]))

    html = response.content.decode()
    text = text_of(html)
    assert response.status_code == 200
    assert "What you have answered about Venezuela" in html
    assert html.count('<li class="answer ') == 7
    assert "7 answers: 3 right, 1 partly right, 2 not right, 1 waiting for a teacher." in text
    assert html.count("outcome-right") == 3
    assert html.count("outcome-partly") == 1
    assert html.count("outcome-wrong") == 2
    assert html.count("outcome-waiting") == 1
    assert "Partly right score 1/2" in text
    play = reverse("lessons:play", args=["five-questions"])
    for key in ("q10", "q11", "q15", "q22"):
        assert f'href="{play}#question-{key}"' in html
    assert "q05" not in html  # about Maduro and Trump, not Venezuela


def test_treaty_page_lists_every_answer_about_the_treaty(
    client: Client, scenario: list[Attempt], learner: User
) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:progress_treaty", args=[TREATY])).content.decode()

    assert "What you have answered about Russia–Venezuela strategic partnership treaty" in html
    assert html.count('<li class="answer ') == 5
    assert "#question-q15" not in html


def test_entity_pages_carry_no_key_material(
    client: Client, scenario: list[Attempt], learner: User, lesson_data: dict[str, Any]
) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:progress_actor", args=["venezuela"])).content.decode()

    text = " ".join(html.split())
    for question in lesson_data["questions"]:
        answer = question["answer"]
        for piece in [answer["explanation"], *answer["option_feedback"].values(), answer["model_answer"]]:
            if len(piece) >= 12:
                assert " ".join(piece.split()) not in text


def test_actor_page_without_answers_says_so(client: Client, scenario: list[Attempt], learner: User) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:progress_actor", args=["putin"])).content.decode()

    assert "You have not answered any question about Vladimir Putin yet." in html
    assert "answer-list" not in html


# ----------------------------------------------------------------------------------------------------
# Another learner's work


def test_another_learners_work_never_shows(
    client: Client, scenario: list[Attempt], other_learner: User
) -> None:
    client.force_login(other_learner)

    overview = client.get(reverse("lessons:progress")).content.decode()
    actor = client.get(reverse("lessons:progress_actor", args=["venezuela"])).content.decode()
    treaty = client.get(reverse("lessons:progress_treaty", args=[TREATY])).content.decode()

    assert "You have not started a lesson yet." in overview
    assert "Five questions" not in overview
    assert reverse("lessons:progress_actor", args=["venezuela"]) not in overview
    assert row(overview, "focus-actor") == "Actors No answers yet"
    assert "You have not answered any question about Venezuela yet." in actor
    assert "You have not answered any question about" in treaty
    assert "answer-list" not in actor + treaty


# ----------------------------------------------------------------------------------------------------
# Query bounds


@pytest.mark.parametrize("attempts", [1, 10])
def test_progress_pages_queries_do_not_grow_with_attempts(
    client: Client, lesson: Lesson, learner: User, attempts: int, django_assert_max_num_queries: Any
) -> None:
    for _number in range(attempts):
        take(learner, lesson, ATTEMPT_1, submit=True)
    take(learner, lesson, ATTEMPT_3, submit=False)
    client.force_login(learner)
    client.get(reverse("lessons:progress"))  # warm-up: the first request also saves the fresh session

    # Session and user, then: attempts, points per focus, answered questions, their revisions' questions,
    # actors, treaties.
    with django_assert_max_num_queries(8):
        overview = client.get(reverse("lessons:progress"))
    # Session and user, then: the actor, the responses, their revisions' questions.
    with django_assert_max_num_queries(5):
        actor = client.get(reverse("lessons:progress_actor", args=["venezuela"]))
    with django_assert_max_num_queries(5):
        treaty = client.get(reverse("lessons:progress_treaty", args=[TREATY]))

    assert f"Five questions {attempts + 1} 80% 80%" in row(overview.content.decode(), "lesson-five-questions")
    assert actor.content.decode().count('<li class="answer ') == 3 * attempts + 1
    assert treaty.content.decode().count('<li class="answer ') == 2 * attempts
