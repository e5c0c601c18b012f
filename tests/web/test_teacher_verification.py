"""Who may be a teacher (DESIGN.md rule 12): self-registered teachers are unverified: they build their own
lessons and run their own classes, but material shared with teachers and accounts made in bulk wait until a
site administrator, or a verified teacher of the same school by an invitation link, verifies them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from lessons.models import Classroom, Lesson, TeacherProfile, Visibility
from lessons.rendering import markdown_to_html
from lessons.selectors import published_revision_for
from lessons.services import lesson_import
from lessons.services.classroom import classroom_create, students_bulk_add, teacher_make
from lessons.services.errors import InvalidInput, NotAllowed, NotVerified
from lessons.services.people import teacher_invitation_accept, teacher_invitation_make, teacher_verify

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"
ROLES = ("anonymous", "learner", "unverified_teacher", "verified_teacher", "superuser")
ROSTER = "first name,last name\nAna,García\n"


def make(username: str, **fields: Any) -> User:
    return User.objects.create_user(username, password=PASSWORD, **fields)


def user_for(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "learner":
        return make("learner")
    if role == "superuser":
        user = make("site-admin", is_superuser=True, is_staff=True)
        teacher_make(user=user)  # a site administrator who also teaches
        return user
    user = make(role)
    # Signing up with "I am a teacher" is teacher_make: unverified.
    teacher_make(user=user)
    if role == "verified_teacher":
        teacher_verify(teacher=user, by=make("root", is_superuser=True))
    return user


@pytest.fixture
def shared_lesson(first_lesson_data: dict[str, Any]) -> Lesson:
    """A lesson another teacher shares with teachers only."""
    sharer = make("sharer")
    teacher_make(user=sharer)
    data = {**first_lesson_data, "lesson": {**first_lesson_data["lesson"], "visibility": Visibility.TEACHERS}}
    return lesson_import(data=data, by=sharer)


def client_for(client: Client, user: User | None) -> Client:
    if user is not None:
        client.force_login(user)
    return client


SEES_SHARED = {"verified_teacher", "superuser"}
TEACHES = {"unverified_teacher", "verified_teacher", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_lesson_shared_with_teachers_and_its_keys(
    client: Client, role: str, shared_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    user = user_for(role)
    client = client_for(client, user)
    explanation = markdown_to_html(first_lesson_data["questions"][0]["answer"]["explanation"])

    detail = client.get(reverse("lessons:lesson_detail", args=[shared_lesson.slug]))
    play = client.get(reverse("lessons:play", args=[shared_lesson.slug]))
    answered = client.post(
        reverse("lessons:answer", args=[shared_lesson.slug, "q01"]), {"answer": "a"}, follow=True
    )

    sees = role in SEES_SHARED
    assert (detail.status_code == 200) is sees
    assert (play.status_code == 200) is sees
    assert (explanation in answered.content.decode()) is sees
    if not sees:
        assert detail.status_code in (302, 404) and play.status_code in (302, 404)
        assert (
            published_revision_for(user or client.get("/").wsgi_request.user, slug=shared_lesson.slug) is None
        )


@pytest.mark.parametrize("role", ROLES)
def test_who_creates_a_class_and_imports_a_roster(client: Client, role: str) -> None:
    user = user_for(role)
    client = client_for(client, user)

    created = client.post(reverse("lessons:classroom_new"), {"name": "Civics 9B"})

    teaches = role in TEACHES
    assert Classroom.objects.filter(name="Civics 9B").exists() is teaches
    if not teaches:
        assert created.status_code in (302, 404)
        return
    classroom = Classroom.objects.get(name="Civics 9B")
    imported = client.post(reverse("lessons:students_import", args=[classroom.pk]), {"names": ROSTER})
    made = User.objects.filter(first_name="Ana", last_name="García").exists()
    if role in SEES_SHARED:
        assert made and imported.status_code == 200
    else:
        assert not made and imported.status_code == 403
        assert "verified teacher" in imported.content.decode()


@pytest.mark.parametrize("role", ["unverified_teacher", "verified_teacher", "superuser"])
def test_every_teacher_builds_a_lesson_of_their_own_and_sees_it(
    role: str, first_lesson_data: dict[str, Any]
) -> None:
    user = user_for(role)
    assert user is not None
    data = {**first_lesson_data, "lesson": {**first_lesson_data["lesson"], "visibility": Visibility.TEACHERS}}

    lesson = lesson_import(data=data, by=user)

    assert lesson.owner == user
    assert published_revision_for(user, slug=lesson.slug) is not None


def test_the_bulk_service_refuses_an_unverified_teacher() -> None:
    teacher = make("new-teacher")
    teacher_make(user=teacher)
    classroom = classroom_create(teacher=teacher, name="Civics 9B")

    with pytest.raises(NotVerified):
        students_bulk_add(classroom=classroom, teacher=teacher, csv_text=ROSTER)
    assert not User.objects.filter(first_name="Ana").exists()


def test_only_a_superuser_verifies_directly() -> None:
    teacher = make("new-teacher")
    teacher_make(user=teacher)
    colleague = user_for("verified_teacher")
    assert colleague is not None

    with pytest.raises(NotAllowed):
        teacher_verify(teacher=teacher, by=colleague)
    assert TeacherProfile.objects.get(user=teacher).verified_at is None


def test_a_superuser_verifies_a_teacher_from_the_admin(admin_client: Client, admin_user: User) -> None:
    teacher = make("new-teacher")
    teacher_make(user=teacher)

    admin_client.post(
        reverse("admin:lessons_teacherprofile_changelist"),
        {"action": "verify_teachers", "_selected_action": [str(teacher.pk)]},
    )

    profile = TeacherProfile.objects.get(user=teacher)
    assert profile.verified_at is not None and profile.verified_by == admin_user


def test_a_staff_teacher_cannot_open_the_verification_admin(client: Client) -> None:
    staff = make("staff-teacher", is_staff=True)
    teacher_make(user=staff)
    client.force_login(staff)

    assert client.get(reverse("admin:lessons_teacherprofile_changelist")).status_code == 403


# Invitations


@pytest.fixture
def inviter() -> User:
    user = user_for("verified_teacher")
    assert user is not None
    TeacherProfile.objects.filter(user=user).update(school="Instituto Goya")
    return user


def test_signing_up_through_an_invitation_makes_a_verified_teacher_of_the_same_school(
    client: Client, inviter: User
) -> None:
    client.force_login(inviter)
    page = client.post(reverse("lessons:teacher_invite")).content.decode()
    link = page.split('id="invitation-link" type="text" readonly size="80" value="')[1].split('"')[0]
    path = link.removeprefix("http://testserver")
    client.logout()

    landing = client.get(path).content.decode()
    assert f'href="{reverse("signup")}?next=' in landing
    client.post(
        f"{reverse('signup')}?next={path}",
        {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD, "next": path},
    )
    accepted = client.post(path)

    newcomer = User.objects.get(username="newcomer")
    profile = TeacherProfile.objects.get(user=newcomer)
    assert accepted.status_code == 302
    assert (profile.school, profile.verified_by) == ("Instituto Goya", inviter)
    assert profile.verified_at is not None


def test_an_unverified_teacher_cannot_invite(client: Client) -> None:
    teacher = user_for("unverified_teacher")
    assert teacher is not None
    client.force_login(teacher)

    response = client.post(reverse("lessons:teacher_invite"))

    assert response.status_code == 404
    assert "invitation-link" not in response.content.decode()
    with pytest.raises(NotAllowed):
        teacher_invitation_make(by=teacher)


def test_an_invitation_expires_after_seven_days(inviter: User) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        token = teacher_invitation_make(by=inviter)
    invitee = make("late-invitee")

    with (
        time_machine.travel(start + dt.timedelta(days=7, minutes=1), tick=False),
        pytest.raises(InvalidInput),
    ):
        teacher_invitation_accept(user=invitee, token=token)
    with pytest.raises(InvalidInput):
        teacher_invitation_accept(user=invitee, token=token[:-2] + "xx")
    assert not TeacherProfile.objects.filter(user=invitee, verified_at__isnull=False).exists()


def test_an_invitation_from_a_teacher_no_longer_verified_is_refused(inviter: User) -> None:
    token = teacher_invitation_make(by=inviter)
    TeacherProfile.objects.filter(user=inviter).update(verified_at=None)

    with pytest.raises(NotAllowed):
        teacher_invitation_accept(user=make("invitee"), token=token)
