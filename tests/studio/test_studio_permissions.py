"""Who may open the studio's pages of a lesson: its owner and co-authors (and a superuser); another
teacher, a student and a learner get 404, a visitor is sent to log in, on every page and every POST."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lessons.models import Lesson
from lessons.selectors.authoring import authored_lessons, lesson_for_author
from lessons.services.authoring import check_can_author
from lessons.services.errors import NotAllowed

pytestmark = pytest.mark.django_db

LESSON_PAGES = ("lesson", "article", "entities", "claims", "settings", "file", "duplicate", "archive")


def lesson_urls(lesson: Lesson) -> list[str]:
    return [reverse(f"studio:{name}", args=[lesson.slug]) for name in LESSON_PAGES]


def test_owner_and_co_author_open_every_page(
    client: Client, authored_lesson: Lesson, author: User, co_author: User
) -> None:
    for user in (author, co_author):
        client.force_login(user)
        for url in lesson_urls(authored_lesson):
            assert client.get(url).status_code == 200, (user.username, url)


@pytest.mark.parametrize("who", ["stranger_teacher", "student", "learner"])
def test_anyone_else_gets_404_on_every_page(
    client: Client, authored_lesson: Lesson, who: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))
    for url in lesson_urls(authored_lesson):
        assert client.get(url).status_code == 404, url
    for url in lesson_urls(authored_lesson)[1:]:  # every page but the overview takes a POST
        assert client.post(url, {"title": "Taken over"}).status_code == 404, url
    authored_lesson.refresh_from_db()
    assert authored_lesson.title != "Taken over"


def test_a_visitor_is_sent_to_log_in(client: Client, authored_lesson: Lesson) -> None:
    for url in [*lesson_urls(authored_lesson), reverse("studio:lessons"), reverse("studio:new")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_my_lessons_and_new_are_teachers_only(client: Client, learner: User, author: User) -> None:
    client.force_login(learner)
    assert client.get(reverse("studio:lessons")).status_code == 404
    assert client.get(reverse("studio:new")).status_code == 404
    client.force_login(author)
    assert client.get(reverse("studio:lessons")).status_code == 200


def test_selectors_and_service_agree(
    authored_lesson: Lesson, author: User, co_author: User, stranger_teacher: User
) -> None:
    for user in (author, co_author):
        assert lesson_for_author(user=user, slug=authored_lesson.slug) == authored_lesson
        assert list(authored_lessons(user=user)) == [authored_lesson]
        check_can_author(user=user, lesson=authored_lesson)
    assert lesson_for_author(user=stranger_teacher, slug=authored_lesson.slug) is None
    assert list(authored_lessons(user=stranger_teacher)) == []
    with pytest.raises(NotAllowed):
        check_can_author(user=stranger_teacher, lesson=authored_lesson)


def test_my_lessons_lists_own_and_co_authored_lessons(
    client: Client, authored_lesson: Lesson, co_author: User
) -> None:
    client.force_login(co_author)
    body = client.get(reverse("studio:lessons")).content.decode()
    assert authored_lesson.title in body
    assert reverse("studio:lesson", args=[authored_lesson.slug]) in body
