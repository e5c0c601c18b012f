"""The catalogue (home page): search, filters, a learner's status per lesson, reviews due, query bounds."""

import copy
import datetime as dt
import itertools
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from factories.lessons import load_lesson
from progress_scenario import revision_of

from lessons.models import Attempt, Lesson
from lessons.selectors.catalog import catalog_lessons, due_review_count
from lessons.services import attempt_submit, lesson_import, response_save, self_study_attempt_open

pytestmark = pytest.mark.django_db

OTHER_TITLE = "Fishing quotas in the North Sea"
OTHER_TREATY = "Bergen Fisheries Accord"


@pytest.fixture
def other_lesson(first_lesson: Lesson, first_lesson_data: dict[str, Any]) -> Lesson:
    """A beginner lesson that features no actor and one treaty of its own, with one event question."""
    data = copy.deepcopy(first_lesson_data)
    data["lesson"].update(
        slug="north-sea-fishing",
        title=OTHER_TITLE,
        introduction="Fishermen and regulators argue about how many fish may be caught each year.",
        level="beginner",
        actors=[],
        treaties=["bergen-fisheries-accord"],
    )
    data["treaties"].append(
        {
            "id": "bergen-fisheries-accord",
            "name": OTHER_TREATY,
            "kind": "agreement",
            "signed_on": None,
            "status": "signed",
            "summary": "",
            "parties": [],
        }
    )
    data["questions"] = [question for question in data["questions"] if question["id"] == "q05"]
    return load_lesson(data)


def take(
    learner: User,
    lesson: Lesson,
    answers: dict[str, Any],
    *,
    submit: bool,
    evidence: dict[str, list[str]] | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    attempt = self_study_attempt_open(learner=learner, revision=revision_of(lesson))
    for key, answer in answers.items():
        response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=key,
            answer=answer,
            evidence=(evidence or {}).get(key),
            now=now,
        )
    return attempt_submit(learner=attempt.learner, attempt=attempt) if submit else attempt


def titles(client: Client, **params: str) -> list[str]:
    html = client.get(reverse("lessons:home"), params).content.decode()
    return re.findall(r'<li class="lesson-card">\s*<h3[^>]*><a href="[^"]+">([^<]+)</a>', html)


def status_of(client: Client) -> str:
    html = client.get(reverse("lessons:home")).content.decode()
    match = re.search(r'class="learner-status[^"]*">.*?<strong>(.*?)</strong>', html, re.S)
    assert match is not None, "no status shown"
    return " ".join(match.group(1).split())


# ----------------------------------------------------------------------------------------------------
# Search and filters


def test_home_lists_every_visible_lesson_by_title(
    client: Client, first_lesson: Lesson, other_lesson: Lesson
) -> None:
    assert titles(client) == [OTHER_TITLE, first_lesson.title]


def test_search_by_a_title_word(client: Client, first_lesson: Lesson, other_lesson: Lesson) -> None:
    assert titles(client, q="quotas") == [OTHER_TITLE]
    assert titles(client, q="Venezuela") == [first_lesson.title]


def test_search_by_a_word_of_the_introduction(
    client: Client, first_lesson: Lesson, other_lesson: Lesson
) -> None:
    assert titles(client, q="regulators") == [OTHER_TITLE]


def test_search_by_an_actor_alias(client: Client, first_lesson: Lesson, other_lesson: Lesson) -> None:
    # "Caracas" is an alias of Venezuela only: neither the title nor the introduction says it.
    assert "caracas" not in (first_lesson.title + first_lesson.introduction).lower()

    assert titles(client, q="Caracas") == [first_lesson.title]
    assert titles(client, q="caracas") == [first_lesson.title]


def test_search_by_an_actor_name(client: Client, first_lesson: Lesson, other_lesson: Lesson) -> None:
    assert "zakharova" not in first_lesson.title.lower()

    assert titles(client, q="Zakharova") == [first_lesson.title]


def test_search_by_a_treaty_name(client: Client, first_lesson: Lesson, other_lesson: Lesson) -> None:
    assert "bergen" not in (other_lesson.title + other_lesson.introduction).lower()

    assert titles(client, q="Bergen") == [OTHER_TITLE]
    assert titles(client, q="strategic partnership") == [first_lesson.title]


def test_search_without_a_match_says_so_kindly(
    client: Client, first_lesson: Lesson, other_lesson: Lesson
) -> None:
    response = client.get(reverse("lessons:home"), {"q": "volcano"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="lesson-card"' not in html
    assert "No lessons match your search." in html
    assert f'href="{reverse("lessons:home")}"' in html  # a way back to every lesson


def test_search_keeps_what_was_typed_in_the_box(client: Client, first_lesson: Lesson) -> None:
    html = client.get(reverse("lessons:home"), {"q": "Caracas <b>"}).content.decode()

    assert 'value="Caracas &lt;b&gt;"' in html
    assert "<b>" not in html.split("<main", 1)[1].split("</form>", 1)[0]


def test_filter_by_focus(client: Client, first_lesson: Lesson, other_lesson: Lesson) -> None:
    assert titles(client, focus="treaty") == [first_lesson.title]
    assert titles(client, focus="event") == [OTHER_TITLE, first_lesson.title]


def test_filter_by_level(client: Client, first_lesson: Lesson, other_lesson: Lesson) -> None:
    assert titles(client, level="beginner") == [OTHER_TITLE]
    assert titles(client, level="intermediate") == [first_lesson.title]
    assert titles(client, level="advanced") == []


def test_search_and_filters_combine(client: Client, first_lesson: Lesson, other_lesson: Lesson) -> None:
    assert titles(client, q="Venezuela", focus="event") == [first_lesson.title]
    assert titles(client, q="Venezuela", level="beginner") == []


def test_an_unknown_filter_value_is_reported_and_ignored(
    client: Client, first_lesson: Lesson, other_lesson: Lesson
) -> None:
    response = client.get(reverse("lessons:home"), {"focus": "gossip", "level": "expert"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="errorlist') == 2
    assert titles(client, focus="gossip") == [OTHER_TITLE, first_lesson.title]


def test_cards_show_minutes_level_and_focuses(client: Client, first_lesson: Lesson) -> None:
    html = client.get(reverse("lessons:home")).content.decode()

    assert "Intermediate · 25 minutes" in html
    assert "Covers: Actors, Treaties, Sourcing, Events and timeline" in html


def test_search_controls_are_labelled_with_a_submit_button(client: Client, first_lesson: Lesson) -> None:
    html = client.get(reverse("lessons:home")).content.decode()

    assert 'role="search"' in html
    for name in ("q", "focus", "level"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    assert 'type="search"' in html
    assert '<button type="submit">Search</button>' in html
    headings = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert headings[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(headings))


# ----------------------------------------------------------------------------------------------------
# A learner's status on each lesson


def test_anonymous_visitors_see_no_status_and_no_review_count(client: Client, first_lesson: Lesson) -> None:
    html = client.get(reverse("lessons:home")).content.decode()

    assert "learner-status" not in html
    assert reverse("lessons:review") not in html


def test_a_lesson_not_started_is_new(client: Client, first_lesson: Lesson, learner: User) -> None:
    client.force_login(learner)

    assert status_of(client) == "New"


def test_an_open_attempt_is_in_progress(client: Client, first_lesson: Lesson, learner: User) -> None:
    take(learner, first_lesson, {"q05": True}, submit=False)
    client.force_login(learner)

    assert status_of(client) == "In progress"


def test_a_submitted_attempt_shows_its_score(client: Client, first_lesson: Lesson, learner: User) -> None:
    # 1 point (q05) + 1 point and 1 evidence point (q08) out of the 41 a self-study attempt can earn.
    take(
        learner,
        first_lesson,
        {"q05": True, "q08": "c"},
        evidence={"q08": ["p1s6", "p4s1", "p4s2"]},
        submit=True,
    )
    client.force_login(learner)

    assert status_of(client) == "Best score 7%"  # 3 / 41 = 7.3 %


def test_the_best_of_several_attempts_is_shown_and_an_open_one_says_in_progress(
    client: Client, first_lesson: Lesson, learner: User
) -> None:
    take(learner, first_lesson, {"q05": True}, submit=True)  # 1 / 41 = 2.4 %
    take(
        learner,
        first_lesson,
        {"q06": ["missiles", "jet-repairs", "radar-repairs"], "q10": False},
        submit=True,
    )  # 3 / 41
    take(learner, first_lesson, {"q05": False}, submit=True)  # 0 / 41
    client.force_login(learner)

    assert status_of(client) == "Best score 7%"

    take(learner, first_lesson, {"q05": True}, submit=False)

    assert status_of(client) == "In progress · Best score 7%"


def test_another_learners_attempts_never_show(
    client: Client, first_lesson: Lesson, learner: User, other_learner: User
) -> None:
    take(other_learner, first_lesson, {"q05": True}, submit=True)
    take(other_learner, first_lesson, {"q05": True}, submit=False)
    client.force_login(learner)

    assert status_of(client) == "New"


def test_catalog_lessons_reports_status_fields(first_lesson: Lesson, learner: User) -> None:
    take(learner, first_lesson, {"q05": True, "q10": False, "q12": "b"}, submit=True)  # 3 / 41

    [entry] = catalog_lessons(learner)

    assert entry.lesson == first_lesson
    assert entry.status == "scored"
    assert entry.best_percent == 7
    assert entry.in_progress is False
    assert entry.focuses == ["Actors", "Treaties", "Sourcing", "Events and timeline"]


# ----------------------------------------------------------------------------------------------------
# Reviews due


def test_home_shows_how_many_reviews_are_due_with_a_link(
    client: Client, first_lesson: Lesson, learner: User, other_learner: User
) -> None:
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    # Missed two days ago and missed just now: a missed question is due at once for its first review.
    take(learner, first_lesson, {"q05": False, "q10": True}, submit=False, now=two_days_ago)
    take(learner, first_lesson, {"q12": "a"}, submit=False)
    take(other_learner, first_lesson, {"q05": False}, submit=False, now=two_days_ago)
    client.force_login(learner)

    html = client.get(reverse("lessons:home")).content.decode()

    assert "3 questions are due for review now." in html
    assert f'href="{reverse("lessons:review")}"' in html
    assert due_review_count(learner, timezone.now()) == 3
    assert due_review_count(learner, two_days_ago - dt.timedelta(days=1)) == 0


def test_home_says_when_nothing_is_due(client: Client, first_lesson: Lesson, learner: User) -> None:
    client.force_login(learner)

    html = client.get(reverse("lessons:home")).content.decode()

    assert "Nothing is due for review right now." in html
    assert f'href="{reverse("lessons:review")}"' in html


# ----------------------------------------------------------------------------------------------------
# Query bounds


def copies(data: dict[str, Any], count: int) -> None:
    for number in range(count):
        lesson_copy = copy.deepcopy(data)
        lesson_copy["lesson"]["slug"] = f"copy-{number}"
        lesson_copy["lesson"]["title"] = f"Copy {number}"
        lesson_import(data=lesson_copy)


# The page's bound (DESIGN.md rule 8): session and user, the lessons with their status, the reviews due,
# and room for the navigation's own occasional check. Measured after a first request, which also saves the
# fresh session.
HOME_PAGE_MAX_QUERIES = 6


@pytest.mark.parametrize("extra_lessons", [0, 4])
def test_home_queries_for_a_learner_do_not_grow_with_lessons(
    client: Client,
    first_lesson: Lesson,
    first_lesson_data: dict[str, Any],
    learner: User,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
    extra_lessons: int,
) -> None:
    copies(first_lesson_data, extra_lessons)
    for lesson in Lesson.objects.all():
        take(learner, lesson, {"q05": True}, submit=True)
        take(learner, lesson, {"q05": False}, submit=False)
    client.force_login(learner)
    params = {"q": "Venezuela", "focus": "actor"}
    client.get(reverse("lessons:home"), params)  # warm-up

    with django_assert_max_num_queries(HOME_PAGE_MAX_QUERIES):
        response = client.get(reverse("lessons:home"), params)
    with django_assert_num_queries(1):
        entries = catalog_lessons(learner, query="Venezuela", focus="actor")
    with django_assert_num_queries(1):
        due_review_count(learner, timezone.now())

    assert len(entries) == 1 + extra_lessons
    assert response.content.decode().count('class="lesson-card"') == 1 + extra_lessons
    assert response.content.decode().count("In progress · Best score 2%") == 1 + extra_lessons  # 1 / 41


@pytest.mark.parametrize("attempts", [1, 10])
def test_home_queries_for_a_learner_do_not_grow_with_attempts(
    client: Client,
    first_lesson: Lesson,
    learner: User,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
    attempts: int,
) -> None:
    for _number in range(attempts):
        take(learner, first_lesson, {"q05": True, "q10": False}, submit=True)
    client.force_login(learner)
    client.get(reverse("lessons:home"))  # warm-up

    with django_assert_max_num_queries(HOME_PAGE_MAX_QUERIES):
        response = client.get(reverse("lessons:home"))
    with django_assert_num_queries(1):
        catalog_lessons(learner)

    assert "Best score 5%" in response.content.decode()  # 2 / 41 = 4.9 %


def test_home_makes_one_query_for_an_anonymous_visitor_searching(
    client: Client, first_lesson: Lesson, other_lesson: Lesson, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        response = client.get(
            reverse("lessons:home"), {"q": "Caracas", "focus": "actor", "level": "intermediate"}
        )

    assert response.content.decode().count('class="lesson-card"') == 1


# ----------------------------------------------------------------------------------------------------
# Pages of the catalogue


def test_the_catalogue_shows_twenty_lessons_a_page() -> None:
    from lessons.selectors import catalog

    assert catalog.PAGE_SIZE == 20


def test_page_links_keep_the_search_and_filters(
    client: Client,
    first_lesson: Lesson,
    other_lesson: Lesson,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Any,
) -> None:
    monkeypatch.setattr("lessons.selectors.catalog.PAGE_SIZE", 1)
    home = reverse("lessons:home")

    first = client.get(home, {"focus": "event"}).content.decode()
    with django_assert_num_queries(2):  # the count, then the page
        second = client.get(home, {"focus": "event", "page": "2"}).content.decode()

    assert titles(client, focus="event", page="1") == [OTHER_TITLE]
    assert titles(client, focus="event", page="2") == [first_lesson.title]
    for html in (first, second):
        assert "2 lessons found" in html
        assert "Page" in html and re.search(r"Page [12] of 2", html)
    assert '<a href="?focus=event&amp;page=2" rel="next">Next page</a>' in first
    assert 'rel="prev"' not in first
    assert '<a href="?focus=event&amp;page=1" rel="prev">Previous page</a>' in second
    assert 'rel="next"' not in second


def test_a_page_number_out_of_range_or_not_a_number_still_shows_lessons(
    client: Client, first_lesson: Lesson, other_lesson: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lessons.selectors.catalog.PAGE_SIZE", 1)

    assert titles(client, page="x") == [OTHER_TITLE]  # the first page
    assert titles(client, page="99") == [first_lesson.title]  # the last page
    assert titles(client, page="-1") == [first_lesson.title]


def test_one_page_of_lessons_shows_no_page_links(client: Client, first_lesson: Lesson) -> None:
    html = client.get(reverse("lessons:home")).content.decode()

    assert 'class="pagination"' not in html
