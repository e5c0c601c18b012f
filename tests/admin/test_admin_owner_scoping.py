"""The admin is scoped by owner: a staff teacher lists, opens, changes, publishes and reads the keys of their
own lessons only; a superuser sees every lesson."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from factories.classroom import ClassroomFactory
from factories.people import LearnerFactory, TeacherFactory
from test_admin_pages import admin_url, make_lesson, publish_through_admin

from lessons.models import Actor, Lesson, LessonStatus, Question, Revision

pytestmark = pytest.mark.django_db

KEY_TEXTS = (
    "The article says so.",
    "Denials are common.",
    "Because the request would embarrass the government.",
)


def staff_teacher(username: str) -> User:
    user = User.objects.create_user(username, password="Quiet-harbour-1947", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="lessons"))
    return user


@pytest.fixture
def teacher_a() -> User:
    return staff_teacher("teacher-a")


@pytest.fixture
def a_lesson(teacher_a: User) -> Lesson:
    lesson = make_lesson(slug="a-lesson", title="Teacher A's lesson", status="published")
    lesson.owner = teacher_a
    lesson.save(update_fields=["owner"])
    return lesson


@pytest.fixture
def client_b(client: Client) -> Client:
    client.force_login(staff_teacher("teacher-b"))
    return client


def assert_refused(response: Any) -> None:
    body = response.content.decode()
    assert response.status_code in (302, 403, 404), response.status_code
    for text in KEY_TEXTS:
        assert text not in body


def test_another_teachers_lesson_is_not_listed(client_b: Client, a_lesson: Lesson) -> None:
    for model in (Lesson, Question, Revision):
        response = client_b.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        assert "Teacher A&#x27;s lesson" not in response.content.decode()
        assert "a-lesson" not in response.content.decode()


def test_another_teachers_lesson_its_questions_and_keys_cannot_be_opened(
    client_b: Client, a_lesson: Lesson
) -> None:
    question = a_lesson.questions.get(key="q2")
    revision = a_lesson.published_revision
    assert revision is not None
    for url in (
        admin_url(Lesson, "change", a_lesson.pk),
        admin_url(Lesson, "history", a_lesson.pk),
        admin_url(Lesson, "delete", a_lesson.pk),
        admin_url(Question, "change", question.pk),
        admin_url(Question, "delete", question.pk),
        admin_url(Revision, "change", revision.pk),
    ):
        assert_refused(client_b.get(url))


def test_another_teachers_lesson_cannot_be_changed_or_published(client_b: Client, a_lesson: Lesson) -> None:
    question = a_lesson.questions.get(key="q2")
    assert_refused(client_b.post(admin_url(Lesson, "change", a_lesson.pk), {"title": "Taken over"}))
    assert_refused(client_b.post(admin_url(Question, "change", question.pk), {"prompt": "Taken over"}))
    a_lesson.title = "Edited by A"
    a_lesson.save(update_fields=["title"])
    Lesson.objects.filter(pk=a_lesson.pk).update(status=LessonStatus.DRAFT)
    before = Revision.objects.filter(lesson=a_lesson).count()

    publish_through_admin(client_b, a_lesson)

    a_lesson.refresh_from_db()
    assert (a_lesson.title, a_lesson.status) == ("Edited by A", LessonStatus.DRAFT)
    assert Revision.objects.filter(lesson=a_lesson).count() == before
    assert question.prompt == Question.objects.get(pk=question.pk).prompt


def test_a_question_cannot_be_added_to_another_teachers_lesson(client_b: Client, a_lesson: Lesson) -> None:
    found = client_b.get(
        "/admin/autocomplete/",
        {"app_label": "lessons", "model_name": "question", "field_name": "lesson", "term": "lesson"},
    ).json()
    assert str(a_lesson.pk) not in [result["id"] for result in found["results"]]

    before = Question.objects.count()
    response = client_b.post(
        admin_url(Question, "add"),
        {"lesson": a_lesson.pk, "key": "q9", "position": 9, "kind": "true_false", "prompt": "Planted?"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert Question.objects.count() == before


def test_the_owner_and_a_superuser_open_the_lesson_and_its_keys(
    client: Client, teacher_a: User, a_lesson: Lesson, admin_user: User
) -> None:
    question = a_lesson.questions.get(key="q2")
    for user in (teacher_a, admin_user):
        client.force_login(user)
        assert client.get(admin_url(Lesson, "change", a_lesson.pk)).status_code == 200
        response = client.get(admin_url(Question, "change", question.pk))
        assert response.status_code == 200
        assert "Denials are common." in response.content.decode()


@pytest.mark.parametrize("who", ["teacher", "co-author", "student", "learner"])
def test_no_one_without_staff_opens_the_admin_page_of_a_lesson(
    client: Client, a_lesson: Lesson, who: str
) -> None:
    """Teachers author in the studio; the admin is a site administrators' tool. A teacher without staff (even
    a co-author of the lesson), a student and a learner are sent to the admin's login, and see no key."""
    user = TeacherFactory(username=who) if who in ("teacher", "co-author") else LearnerFactory(username=who)
    if who == "co-author":
        a_lesson.co_authors.add(user)
    if who == "student":
        ClassroomFactory(teacher=TeacherFactory(username="their-teacher"), name="9B", students=[user])
    client.force_login(user)
    for url in (admin_url(Lesson, "change", a_lesson.pk), admin_url(Lesson, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert_refused(response)


def test_a_staff_teacher_sees_shared_records_but_only_a_superuser_changes_them(
    client_b: Client, a_lesson: Lesson, admin_client: Client
) -> None:
    """Actors, treaties and sources are shared by every lesson: changing one would change other lessons."""
    actor = a_lesson.actors.order_by("pk").first()
    assert actor is not None
    url = admin_url(Actor, "change", actor.pk)
    page = client_b.get(url)
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # read only
    response = client_b.post(url, {"name": "Renamed", "slug": actor.slug, "kind": actor.kind})
    assert response.status_code == 403
    actor.refresh_from_db()
    assert actor.name != "Renamed"
    assert client_b.get(admin_url(Actor, "delete", actor.pk)).status_code == 403
    assert 'name="name"' in admin_client.get(url).content.decode()
