"""Who may reach each teacher page of lessons/web/classroom_urls.py: every page × every kind of visitor.

- a visitor who is not signed in is sent to log in (302), and nothing changes;
- a student, of this class or another, gets 404: a teacher page does not admit it exists;
- a teacher of another class gets 404 for this class's pages (their own dashboard and "new class" page work);
- the class's teacher gets 200 for a page, and 200 or a redirect for a form posted with valid data;
- a GET of an action that only takes a POST gets 405.

The class-wide pages (dashboard, new class, class page, join code, archive, co-teachers, students, removing
a student, new assignment) are views/classes.py; a student's accommodations views/accommodations.py; the
results pages (gradebook … attempt review) are views/gradebook.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lessons.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    Extension,
    Lesson,
    Regrade,
    Response,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    """A class with its teacher, a student, an assignment and a submitted attempt; and another class."""

    teacher: User
    other_teacher: User
    class_student: User
    other_student: User
    classroom: Classroom
    other_classroom: Classroom
    assignment: Assignment
    attempt: Attempt
    open_response: Response
    lesson: Lesson


@pytest.fixture
def world(
    teacher: User,
    other_teacher: User,
    class_student: User,
    other_student: User,
    classroom: Classroom,
    other_classroom: Classroom,
    assignment: Assignment,
    submitted_attempt: Attempt,
    open_response: Response,
    first_lesson: Lesson,
) -> World:
    return World(
        teacher=teacher,
        other_teacher=other_teacher,
        class_student=class_student,
        other_student=other_student,
        classroom=classroom,
        other_classroom=other_classroom,
        assignment=assignment,
        attempt=submitted_attempt,
        open_response=open_response,
        lesson=first_lesson,
    )


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    args: Callable[[World], list[int]]
    data: Callable[[World], dict[str, str]] = lambda world: {}
    # The teacher's own pages, not a class's: any teacher reaches them.
    any_teacher: bool = False
    # Takes only a POST: a GET is answered 405.
    post_only: bool = False

    @property
    def id(self) -> str:
        return f"{self.name}-{self.method}"


def no_args(world: World) -> list[int]:
    return []


def class_args(world: World) -> list[int]:
    return [world.classroom.pk]


def assignment_args(world: World) -> list[int]:
    return [world.assignment.pk]


def new_assignment(world: World) -> dict[str, str]:
    return {
        "lesson": str(world.lesson.pk),
        "opens_at": "2030-03-01T09:00",
        "due_at": "2030-03-08T17:00",
        "tz": "UTC",
        "attempts_allowed": "1",
        "feedback_release": "after_submit",
        "late_policy": "refuse",
    }


def grade(world: World) -> dict[str, str]:
    return {
        "criterion-r1": "2",
        "criterion-r2": "1",
        "criterion-r3": "2",
        "comment": "Clear on the sourcing.",
        "version": str(world.open_response.version),
    }


PAGES = [
    # views/classes.py
    Page("teacher_dashboard", "get", no_args, any_teacher=True),
    Page("classroom_new", "get", no_args, any_teacher=True),
    Page("classroom_new", "post", no_args, lambda world: {"name": "Geography 8C"}, any_teacher=True),
    Page("teacher_invite", "get", no_args, any_teacher=True),
    Page("teacher_invite", "post", no_args, any_teacher=True),
    Page("classroom_detail", "get", class_args),
    Page("classroom_join_code", "post", class_args, lambda world: {"action": "rotate"}, post_only=True),
    Page("classroom_archive", "post", class_args, post_only=True),
    Page(
        "classroom_coteacher_add",
        "post",
        class_args,
        lambda world: {"username": world.other_teacher.username},
        post_only=True,
    ),
    Page("student_remove", "get", lambda world: [world.classroom.pk, world.class_student.pk]),
    Page("student_remove", "post", lambda world: [world.classroom.pk, world.class_student.pk]),
    Page("students_import", "get", class_args),
    Page("students_import", "post", class_args, lambda world: {"names": "Ana,García\nBen,Okoro"}),
    Page("assignment_new", "get", class_args),
    Page("assignment_new", "post", class_args, new_assignment),
    # views/accommodations.py
    Page("student_accommodations", "get", lambda world: [world.classroom.pk, world.class_student.pk]),
    Page(
        "student_accommodations",
        "post",
        lambda world: [world.classroom.pk, world.class_student.pk],
        lambda world: {"time_multiplier": "1.5"},
    ),
    Page(
        "student_extension",
        "post",
        lambda world: [world.classroom.pk, world.class_student.pk, world.assignment.pk],
        lambda world: {
            f"a{world.assignment.pk}-due_at": "2099-01-01T09:00",
            f"a{world.assignment.pk}-tz": "UTC",
        },
        post_only=True,
    ),
    # views/gradebook.py
    Page("gradebook", "get", class_args),
    Page("gradebook_csv", "get", class_args),
    Page("student_report", "get", lambda world: [world.classroom.pk, world.class_student.pk]),
    Page("assignment_results", "get", assignment_args),
    Page("item_analysis", "get", assignment_args),
    Page("grading_queue", "get", assignment_args),
    Page("release_feedback", "post", assignment_args, post_only=True),
    Page("regrade", "post", assignment_args, lambda world: {"note": "Key checked"}, post_only=True),
    Page("grade_response", "post", lambda world: [world.open_response.pk], grade, post_only=True),
    Page("attempt_review", "get", lambda world: [world.attempt.pk]),
]

ROLES = ["anonymous", "class_student", "other_student", "class_teacher", "other_teacher"]


def state() -> tuple[Any, ...]:
    """Everything a teacher page could change, to show that a refused request changed nothing."""
    return (
        list(Classroom.objects.order_by("pk").values_list("pk", "name", "join_code", "archived_at")),
        list(Classroom.teachers.through.objects.order_by("pk").values_list("classroom_id", "user_id")),
        list(Enrollment.objects.order_by("pk").values_list("classroom_id", "student_id", "time_multiplier")),
        list(Extension.objects.order_by("pk").values_list("assignment_id", "student_id", "due_at")),
        list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "revision_id", "released_at", "feedback_release"
            )
        ),
        list(Response.objects.order_by("pk").values_list("pk", "earned", "version", "teacher_comment")),
        list(Attempt.objects.order_by("pk").values_list("pk", "earned", "graded_revision_id")),
        Regrade.objects.count(),
        User.objects.count(),
    )


def client_for(role: str, world: World) -> Client:
    client = Client()
    user = {
        "anonymous": None,
        "class_student": world.class_student,
        "other_student": world.other_student,
        "class_teacher": world.teacher,
        "other_teacher": world.other_teacher,
    }[role]
    if user is not None:
        client.force_login(user)
    return client


def expected_status(page: Page, role: str) -> set[int]:
    if role == "anonymous":
        return {302}
    if role in ("class_student", "other_student"):
        return {404}
    if role == "other_teacher" and not page.any_teacher:
        return {404}
    return {200} if page.method == "get" else {200, 302, 303}


def test_the_matrix_covers_every_teacher_route() -> None:
    from lessons.web import classroom_urls

    teacher_routes = {
        pattern.name for pattern in classroom_urls.urlpatterns if str(pattern.pattern).startswith("teach/")
    }

    assert {page.name for page in PAGES} == teacher_routes


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.id)
def test_access(page: Page, role: str, world: World) -> None:
    client = client_for(role, world)
    url = reverse(f"lessons:{page.name}", args=page.args(world))
    before = state()

    response = client.get(url) if page.method == "get" else client.post(url, page.data(world))

    allowed = expected_status(page, role)
    assert response.status_code in allowed, f"{role} {page.method.upper()} {url}: {response.status_code}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login") + "?next=")
    if allowed & {302, 404} == allowed:  # refused: sent to log in, or told there is no such page
        assert state() == before, "a refused request changed something"
    if allowed == {404}:
        body = response.content.decode()
        assert world.classroom.name not in body
        assert world.classroom.join_code is not None and world.classroom.join_code not in body


@pytest.mark.parametrize("page", [page for page in PAGES if page.post_only], ids=lambda page: page.name)
def test_a_get_of_a_post_only_action_is_refused_and_changes_nothing(page: Page, world: World) -> None:
    client = client_for("class_teacher", world)
    before = state()

    response = client.get(reverse(f"lessons:{page.name}", args=page.args(world)))

    assert response.status_code == 405
    assert state() == before
