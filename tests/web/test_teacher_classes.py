"""The teacher's class pages: dashboard, creating a class, the class page, its join code, co-teachers,
adding students from a list, removing a student, assigning a lesson, archiving; and signing up as a
teacher.

Who may reach each page is the access matrix's business (test_classroom_access_matrix.py); here the class's
own teacher uses them. Fixtures (teacher, classroom, assignment, …) are in tests/web/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lessons.models import (
    Assignment,
    Classroom,
    Enrollment,
    FeedbackRelease,
    LatePolicy,
    Lesson,
    LessonStatus,
    TemporaryPassword,
    Visibility,
)
from lessons.services import lesson_import
from lessons.services.classroom import (
    InvalidInput,
    classroom_archive,
    classroom_create,
    classroom_join,
    is_teacher,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"
MakeUser = Callable[..., User]


def detail_url(classroom: Classroom) -> str:
    return reverse("lessons:classroom_detail", args=[classroom.pk])


def roster_usernames(classroom: Classroom) -> list[str]:
    return sorted(Enrollment.objects.filter(classroom=classroom).values_list("student__username", flat=True))


# Dashboard


def test_dashboard_lists_current_classes_with_counts_and_archived_ones_apart(
    teacher_client: Client,
    teacher: User,
    classroom: Classroom,
    assignment: Assignment,
    other_classroom: Classroom,
) -> None:
    old = classroom_create(teacher=teacher, name="Civics 2023")
    classroom_archive(teacher=teacher, classroom=old)

    response = teacher_client.get(reverse("lessons:teacher_dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    current, archived = html.split('id="archived-heading"')
    assert re.search(
        rf'<a href="{detail_url(classroom)}">Civics 9B</a></th>\s*<td>1</td>\s*<td>1</td>', current
    )
    assert f'href="{detail_url(old)}">Civics 2023</a>' in archived
    assert "Civics 2023" not in current
    assert "History 10A" not in html  # another teacher's class
    assert f'href="{reverse("lessons:classroom_new")}"' in html


def test_dashboard_without_classes_invites_to_create_one(teacher_client: Client) -> None:
    html = teacher_client.get(reverse("lessons:teacher_dashboard")).content.decode()

    assert "You have no classes yet." in html
    assert 'id="archived-heading"' not in html


def test_dashboard_queries_do_not_grow_with_classes(
    teacher_client: Client, teacher: User, classroom: Classroom, django_assert_num_queries: Any
) -> None:
    for number in range(3):
        classroom_archive(
            teacher=teacher, classroom=classroom_create(teacher=teacher, name=f"Old class {number}")
        )
        classroom_create(teacher=teacher, name=f"Class {number}")

    teacher_client.get(reverse("lessons:teacher_dashboard"))  # warm-up: the session notes the teacher

    # user, is the user a teacher, current classes, archived classes (the session comes from the cache)
    with django_assert_num_queries(4):
        response = teacher_client.get(reverse("lessons:teacher_dashboard"))
    assert response.content.decode().count('href="/teach/classes/') == 8


# Navigation


def test_navigation_shows_teach_to_teachers_and_my_classes_to_everyone_signed_in(
    client: Client, teacher: User, class_student: User
) -> None:
    visitor = client.get(reverse("lessons:home")).content.decode()
    client.force_login(class_student)
    student = client.get(reverse("lessons:home")).content.decode()
    client.force_login(teacher)
    teaching = client.get(reverse("lessons:home")).content.decode()

    teach_link = f'href="{reverse("lessons:teacher_dashboard")}"'
    my_classes_link = f'href="{reverse("lessons:my_classes")}"'
    assert teach_link not in visitor and my_classes_link not in visitor
    assert teach_link not in student and my_classes_link in student
    assert teach_link in teaching and my_classes_link in teaching


def test_navigation_asks_whether_the_user_teaches_once_at_login_then_remembers(
    client: Client, teacher: User, django_assert_num_queries: Any
) -> None:
    def teacher_checks(captured: CaptureQueriesContext) -> int:
        return sum(
            1
            for query in captured.captured_queries
            if query["sql"].startswith('SELECT 1 AS "a" FROM "auth_group"')
        )

    with CaptureQueriesContext(connection) as login:
        client.force_login(teacher)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("profile"))
    assert teacher_checks(login) == 1 and teacher_checks(first) == 0

    # user, lessons, tokens: the session (from the cache) remembered the answer
    with django_assert_num_queries(3):
        response = client.get(reverse("profile"))
    assert f'href="{reverse("lessons:teacher_dashboard")}"' in response.content.decode()


def test_navigation_notices_a_new_teacher_when_its_copy_expires(
    client: Client, class_student: User, time_machine: Any
) -> None:
    from lessons.services.classroom import teacher_make
    from lessons.web.context_processors import NAV_RECHECK_SECONDS

    time_machine.move_to(dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC))
    client.force_login(class_student)
    client.get(reverse("profile"))
    teacher_make(user=class_student)  # made a teacher by an admin meanwhile

    time_machine.shift(NAV_RECHECK_SECONDS + 1)
    html = client.get(reverse("profile")).content.decode()

    assert f'href="{reverse("lessons:teacher_dashboard")}"' in html


# Creating a class


def test_new_class_form_labels_its_field(teacher_client: Client) -> None:
    html = teacher_client.get(reverse("lessons:classroom_new")).content.decode()

    assert '<label for="id_name"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_creating_a_class_makes_it_with_a_join_code_and_opens_it(
    teacher_client: Client, teacher: User
) -> None:
    response = teacher_client.post(reverse("lessons:classroom_new"), {"name": "  Geography 8C  "})

    classroom = Classroom.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(classroom)
    assert classroom.name == "Geography 8C"
    assert list(classroom.teachers.all()) == [teacher]
    assert classroom.join_code is not None and re.fullmatch(r"[A-Z2-9]{8}", classroom.join_code)


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_creating_a_class_with_a_bad_name_is_refused_with_the_error_on_the_field(
    teacher_client: Client, name: str
) -> None:
    response = teacher_client.post(reverse("lessons:classroom_new"), {"name": name})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html and 'id="id_name_error"' in html
    assert '<a href="#id_name">' in html
    assert "<title>Error: Create a class" in html
    assert not Classroom.objects.exists()


# The class page


def test_class_page_shows_roster_join_code_teachers_and_assignments(
    teacher_client: Client, classroom: Classroom, assignment: Assignment, class_student: User
) -> None:
    response = teacher_client.get(detail_url(classroom))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Civics 9B</h1>" in html
    assert f'<p class="join-code"><code>{classroom.join_code}</code></p>' in html
    assert 'name="action" value="rotate"' in html and 'name="action" value="disable"' in html
    student_link = reverse("lessons:student_report", args=[classroom.pk, class_student.pk])
    assert f'<a href="{student_link}">Amina Haddad</a>' in html
    assert "<code>amina</code>" in html
    assert 'Lucía Rivera (rivera) <span class="meta">(you)</span>' in html
    assert '<label for="id_username"' in html
    assert f'action="{reverse("lessons:classroom_archive", args=[classroom.pk])}"' in html
    for name, pk in (
        ("gradebook", classroom.pk),
        ("gradebook_csv", classroom.pk),
        ("assignment_results", assignment.pk),
        ("item_analysis", assignment.pk),
        ("grading_queue", assignment.pk),
        ("students_import", classroom.pk),
        ("assignment_new", classroom.pk),
    ):
        assert f'href="{reverse(f"lessons:{name}", args=[pk])}"' in html, name
    rules = html[html.index(f'id="assignment-{assignment.pk}"') :]
    assert "<dd>When the teacher releases them</dd>" in rules
    assert "<dd>Accepted and marked late</dd>" in rules
    assert "<dd>2</dd>" in rules  # attempts allowed
    assert f'datetime="{assignment.due_at.isoformat()}"' in rules


@override_settings(TIME_ZONE="America/New_York")
def test_class_page_shows_due_dates_in_the_display_zone_and_names_it(
    teacher_client: Client, classroom: Classroom, teacher: User, first_lesson: Lesson
) -> None:
    assignment_due = dt.datetime(2030, 1, 15, 22, 0, tzinfo=dt.UTC)  # 17:00 in New York (EST)
    Assignment.objects.create(
        classroom=classroom,
        lesson=first_lesson,
        revision_id=first_lesson.published_revision_id,
        opens_at=assignment_due - dt.timedelta(days=7),
        due_at=assignment_due,
        created_by=teacher,
    )

    html = teacher_client.get(detail_url(classroom)).content.decode()

    assert "Dates and times are in the America/New_York time zone." in html
    assert re.search(r'datetime="2030-01-15T17:00:00-05:00">Jan\. 15, 2030, 5 p\.m\.</time> EST', html)


def test_class_page_queries_do_not_grow_with_students_or_assignments(
    teacher_client: Client,
    classroom: Classroom,
    assignment: Assignment,
    make_user: MakeUser,
    django_assert_num_queries: Any,
) -> None:
    for number in range(4):
        assert classroom.join_code is not None
        classroom_join(student=make_user(f"extra{number}"), code=classroom.join_code)
        Assignment.objects.create(
            classroom=classroom,
            lesson=assignment.lesson,
            revision=assignment.revision,
            opens_at=assignment.opens_at,
            due_at=assignment.due_at,
        )

    teacher_client.get(detail_url(classroom))  # warm-up: the session notes the teacher

    # user, is a teacher?, the class, roster, teachers, assignments (the session comes from the cache)
    with django_assert_num_queries(6):
        response = teacher_client.get(detail_url(classroom))
    assert response.content.decode().count('class="card" id="assignment-') == 5


# Join code


def test_rotating_the_join_code_makes_a_new_one_and_the_old_stops_working(
    teacher_client: Client, classroom: Classroom, make_user: MakeUser
) -> None:
    old_code = classroom.join_code
    assert old_code is not None

    response = teacher_client.post(
        reverse("lessons:classroom_join_code", args=[classroom.pk]), {"action": "rotate"}
    )

    classroom.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == detail_url(classroom) + "#join-code"
    assert classroom.join_code not in (None, old_code)
    with pytest.raises(InvalidInput):
        classroom_join(student=make_user("late"), code=old_code)
    assert f"<code>{classroom.join_code}</code>" in teacher_client.get(detail_url(classroom)).content.decode()


def test_switching_the_join_code_off_stops_joining_until_a_new_code_is_made(
    teacher_client: Client, classroom: Classroom, make_user: MakeUser
) -> None:
    old_code = classroom.join_code
    assert old_code is not None
    url = reverse("lessons:classroom_join_code", args=[classroom.pk])

    teacher_client.post(url, {"action": "disable"})

    classroom.refresh_from_db()
    assert classroom.join_code is None
    with pytest.raises(InvalidInput):
        classroom_join(student=make_user("late"), code=old_code)
    html = teacher_client.get(detail_url(classroom)).content.decode()
    assert "Joining by code is switched off." in html
    assert 'value="disable"' not in html

    teacher_client.post(url, {"action": "rotate"})
    classroom.refresh_from_db()
    assert classroom.join_code is not None


@pytest.mark.parametrize("data", [{}, {"action": "delete"}])
def test_an_unknown_join_code_action_is_refused_and_changes_nothing(
    teacher_client: Client, classroom: Classroom, data: dict[str, str]
) -> None:
    code = classroom.join_code

    response = teacher_client.post(reverse("lessons:classroom_join_code", args=[classroom.pk]), data)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    classroom.refresh_from_db()
    assert classroom.join_code == code


@pytest.mark.parametrize("name", ["classroom_join_code", "classroom_archive", "classroom_coteacher_add"])
def test_changes_are_refused_without_a_csrf_token(
    teacher: User, classroom: Classroom, other_teacher: User, name: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    before = Classroom.objects.values().get(pk=classroom.pk)

    response = client.post(
        reverse(f"lessons:{name}", args=[classroom.pk]), {"action": "rotate", "username": "okafor"}
    )

    assert response.status_code == 403
    assert Classroom.objects.values().get(pk=classroom.pk) == before
    assert list(classroom.teachers.all()) == [teacher]


# Co-teachers


def test_a_co_teacher_added_by_username_sees_and_manages_the_class(
    teacher_client: Client, classroom: Classroom, other_teacher: User, client: Client
) -> None:
    response = teacher_client.post(
        reverse("lessons:classroom_coteacher_add", args=[classroom.pk]), {"username": " okafor "}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(classroom) + "#teachers"
    assert set(classroom.teachers.all()) == {classroom.teachers.get(username="rivera"), other_teacher}
    co_teacher = Client()
    co_teacher.force_login(other_teacher)
    assert "Civics 9B" in co_teacher.get(reverse("lessons:teacher_dashboard")).content.decode()
    assert co_teacher.get(detail_url(classroom)).status_code == 200
    rotated = co_teacher.post(
        reverse("lessons:classroom_join_code", args=[classroom.pk]), {"action": "rotate"}
    )
    assert rotated.status_code == 302


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "No teacher has the username nobody."),
        ("amina", "No teacher has the username amina."),  # a student
        ("", "This field is required."),
    ],
)
def test_adding_a_co_teacher_who_is_not_a_teacher_is_refused_on_the_field(
    teacher_client: Client, classroom: Classroom, teacher: User, username: str, message: str
) -> None:
    response = teacher_client.post(
        reverse("lessons:classroom_coteacher_add", args=[classroom.pk]), {"username": username}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html
    assert re.search(rf'id="id_username_error">\s*<li>{re.escape(message)}</li>', html)
    assert list(classroom.teachers.all()) == [teacher]


# Adding students from a list


def test_students_import_form_has_a_labelled_box_and_file_input(
    teacher_client: Client, classroom: Classroom
) -> None:
    html = teacher_client.get(reverse("lessons:students_import", args=[classroom.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_names"' in html and "<textarea" in html
    assert '<label for="id_csv_file"' in html and 'type="file"' in html


def test_students_from_the_box_get_accounts_shown_once_with_one_time_passwords_that_work(
    teacher_client: Client, classroom: Classroom
) -> None:
    response = teacher_client.post(
        reverse("lessons:students_import", args=[classroom.pk]),
        {"names": "first name,last name\nAna,García\nBen,Okoro\n"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Copy these passwords now" in html
    rows = re.findall(
        r"<th scope=\"row\">([^<]+)</th>\s*<td><code>([^<]+)</code></td>\s*<td><code>([^<]+)</code>", html
    )
    assert [(name, username) for name, username, _password in rows] == [
        ("Ana García", "ana.garcia"),
        ("Ben Okoro", "ben.okoro"),
    ]
    assert roster_usernames(classroom) == ["amina", "ana.garcia", "ben.okoro"]
    for _name, username, password in rows:
        assert User.objects.get(username=username).password != password  # only a hash is kept
        assert Client().login(username=username, password=password)
    # Shown once: no later page of the class shows the passwords again.
    for url in (detail_url(classroom), reverse("lessons:students_import", args=[classroom.pk])):
        later = teacher_client.get(url).content.decode()
        assert all(password not in later for _name, _username, password in rows)


def test_a_student_with_a_one_time_password_must_choose_their_own_before_anything_else(
    teacher_client: Client, classroom: Classroom, assignment: Assignment
) -> None:
    html = teacher_client.post(
        reverse("lessons:students_import", args=[classroom.pk]), {"names": "Ana,García\n"}
    ).content.decode()
    (password,) = re.findall(r"<td><code>([a-z0-9]{4}(?:-[a-z0-9]{4}){3})</code></td>", html)
    student = Client()
    change = reverse("password_change")

    logged_in = student.post(reverse("login"), {"username": "ana.garcia", "password": password})

    assert logged_in.status_code == 302
    for url in (reverse("lessons:my_classes"), reverse("lessons:assignment_home", args=[assignment.pk]), "/"):
        held = student.get(url)
        assert (held.status_code, held["Location"]) == (302, change), url
    page = student.get(change).content.decode()
    assert "Choose your own password first" in page
    htmx = student.post(reverse("lessons:my_classes"), headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx["HX-Redirect"]) == (204, change)
    same = student.post(
        change, {"old_password": password, "new_password1": password, "new_password2": password}
    )
    assert same.status_code == 200
    assert "Choose a password different from the one you have now." in same.content.decode()
    assert student.get(reverse("lessons:my_classes")).status_code == 302
    changed = student.post(
        change,
        {
            "old_password": password,
            "new_password1": "Lantern-orchard-2031",
            "new_password2": "Lantern-orchard-2031",
        },
    )
    assert changed.status_code == 302
    assert student.get(reverse("lessons:my_classes")).status_code == 200
    # Logging in again with the new password is not held either.
    again = Client()
    assert (
        again.post(
            reverse("login"), {"username": "ana.garcia", "password": "Lantern-orchard-2031"}
        ).status_code
        == 302
    )
    assert again.get(reverse("lessons:my_classes")).status_code == 200


def test_a_one_time_password_changed_elsewhere_no_longer_holds_an_open_session(
    teacher_client: Client, classroom: Classroom
) -> None:
    html = teacher_client.post(
        reverse("lessons:students_import", args=[classroom.pk]), {"names": "Ben,Okoro\n"}
    ).content.decode()
    (password,) = re.findall(r"<td><code>([a-z0-9]{4}(?:-[a-z0-9]{4}){3})</code></td>", html)
    student = Client()
    student.post(reverse("login"), {"username": "ben.okoro", "password": password})
    assert student.get(reverse("lessons:my_classes")).status_code == 302

    user = User.objects.get(username="ben.okoro")
    user.set_password("Lantern-orchard-2031")  # e.g. reset by e-mail, which ends every session
    user.save()

    assert student.get(reverse("lessons:my_classes"))["Location"].startswith(reverse("login"))


def test_a_password_set_from_a_reset_link_ends_a_one_time_password(
    teacher_client: Client, classroom: Classroom
) -> None:
    teacher_client.post(reverse("lessons:students_import", args=[classroom.pk]), {"names": "Cara,Diaz\n"})
    cara = User.objects.get(username="cara.diaz")
    assert TemporaryPassword.objects.filter(user=cara).exists()
    link = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(cara.pk)), default_token_generator.make_token(cara)],
    )
    visitor = Client()
    form_page = visitor.get(link, follow=True)

    done = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Lantern-orchard-2031", "new_password2": "Lantern-orchard-2031"},
    )

    assert done.status_code == 302
    assert not TemporaryPassword.objects.filter(user=cara).exists()


def test_students_from_an_uploaded_csv_file_are_added(teacher_client: Client, classroom: Classroom) -> None:
    upload = SimpleUploadedFile(
        "class.csv", "\ufefffirst name,last name\r\nZoë,Lambert\r\n".encode(), "text/csv"
    )

    response = teacher_client.post(
        reverse("lessons:students_import", args=[classroom.pk]), {"csv_file": upload}
    )

    assert response.status_code == 200
    assert "<code>zoe.lambert</code>" in response.content.decode()
    assert User.objects.get(username="zoe.lambert").first_name == "Zoë"


def test_a_bad_row_is_reported_with_its_line_number_and_no_account_is_made(
    teacher_client: Client, classroom: Classroom
) -> None:
    users_before = User.objects.count()

    response = teacher_client.post(
        reverse("lessons:students_import", args=[classroom.pk]),
        {"names": "Ana,García\nBen\nCarla,Ruiz\n,Smith\n"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: expected two cells, first name and last name" in html
    assert "Line 4: both first name and last name are needed" in html
    assert "Line 1" not in html and "Line 3" not in html
    assert 'id="id_names_error"' in html
    assert "Ana,García" in html  # the list comes back to be mended
    assert User.objects.count() == users_before
    assert roster_usernames(classroom) == ["amina"]


def test_a_bad_row_in_an_uploaded_file_is_reported_on_the_file_field(
    teacher_client: Client, classroom: Classroom
) -> None:
    upload = SimpleUploadedFile("class.csv", b"Ana,Garcia\n=cmd(),Evil\n", "text/csv")

    response = teacher_client.post(
        reverse("lessons:students_import", args=[classroom.pk]), {"csv_file": upload}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="id_csv_file_error">\s*<li>Line 2: a name cannot start with', html)
    assert not User.objects.filter(username="ana.garcia").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"names": "   "}, "List at least one student, or choose a file."),
        ({"names": "Ana,García", "csv_file": "file"}, "Give the list in the box or as a file, not both."),
        ({"csv_file": "latin-1"}, "The file is not UTF-8 text."),
    ],
)
def test_a_missing_doubled_or_unreadable_list_is_refused(
    teacher_client: Client, classroom: Classroom, data: dict[str, str], message: str
) -> None:
    files = {
        "file": SimpleUploadedFile("a.csv", b"Ben,Okoro\n", "text/csv"),
        "latin-1": SimpleUploadedFile("a.csv", "Zoë,Lambert\n".encode("latin-1"), "text/csv"),
    }
    post = {key: files.get(value, value) if key == "csv_file" else value for key, value in data.items()}
    users_before = User.objects.count()

    response = teacher_client.post(reverse("lessons:students_import", args=[classroom.pk]), post)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == users_before


# Assigning a lesson


def assignment_data(lesson: Lesson, /, **overrides: str) -> dict[str, Any]:
    return {
        "lesson": str(lesson.pk),
        "opens_at": "2030-03-01T09:00",
        "due_at": "2030-07-01T17:00",
        "tz": "UTC",
        "time_limit_minutes": "",
        "attempts_allowed": "1",
        "feedback_release": FeedbackRelease.AFTER_SUBMIT,
        "late_policy": LatePolicy.REFUSE,
        **overrides,
    }


def test_assignment_form_offers_published_lessons_and_states_the_time_zone(
    teacher_client: Client,
    classroom: Classroom,
    first_lesson: Lesson,
    first_lesson_data: dict[str, Any],
    other_teacher: User,
) -> None:
    private = {
        **first_lesson_data,
        "lesson": {**first_lesson_data["lesson"], "slug": "private-copy", "visibility": Visibility.PRIVATE},
    }
    lesson_import(data=private, by=other_teacher)
    draft = {
        **first_lesson_data,
        "lesson": {**first_lesson_data["lesson"], "slug": "draft-copy", "status": LessonStatus.DRAFT},
    }
    lesson_import(data=draft, by=other_teacher)

    response = teacher_client.get(reverse("lessons:assignment_new", args=[classroom.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    options = re.findall(r'<option value="(\d+)"', html)
    assert options == [str(first_lesson.pk)]
    assert html.count('type="datetime-local"') == 2
    assert 'id="id_due_at_helptext">Date and time in the UTC time zone.' in html
    assert 'aria-describedby="id_due_at_helptext"' in html
    assert '<input type="hidden" name="tz" value="UTC"' in html
    assert "<legend>When students see feedback and the answers:</legend>" in html
    assert html.count('type="radio" name="feedback_release"') == 4
    assert html.count('type="radio" name="late_policy"') == 2
    assert '<label for="id_shuffle_questions"' in html and '<label for="id_shuffle_options"' in html
    assert '<label for="id_time_limit_minutes"' in html


def test_assigning_a_lesson_reads_times_in_the_named_zone_and_keeps_every_rule(
    teacher_client: Client, classroom: Classroom, teacher: User, first_lesson: Lesson
) -> None:
    data = assignment_data(
        first_lesson,
        tz="Europe/Madrid",
        time_limit_minutes="45",
        attempts_allowed="3",
        feedback_release=FeedbackRelease.AFTER_DUE,
        late_policy=LatePolicy.ACCEPT,
        shuffle_questions="on",
    )

    response = teacher_client.post(reverse("lessons:assignment_new", args=[classroom.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == detail_url(classroom) + "#assignments"
    assignment = Assignment.objects.get()
    assert assignment.opens_at == dt.datetime(2030, 3, 1, 8, 0, tzinfo=dt.UTC)  # 09:00 CET
    assert assignment.due_at == dt.datetime(2030, 7, 1, 15, 0, tzinfo=dt.UTC)  # 17:00 CEST
    assert assignment.revision_id == first_lesson.published_revision_id
    assert assignment.classroom == classroom and assignment.created_by == teacher
    assert (assignment.time_limit_minutes, assignment.attempts_allowed) == (45, 3)
    assert (assignment.feedback_release, assignment.late_policy) == (
        FeedbackRelease.AFTER_DUE,
        LatePolicy.ACCEPT,
    )
    assert (assignment.shuffle_questions, assignment.shuffle_options) == (True, False)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_at": "2030-02-01T09:00"}, "due_at", "The due date must come after the opening date."),
        ({"due_at": "2030-03-01T09:00"}, "due_at", "The due date must come after the opening date."),
        ({"opens_at": "next Tuesday"}, "opens_at", "Enter a date and time"),
        ({"opens_at": ""}, "opens_at", "This field is required."),
        (
            {"tz": "Europe/Madrid", "opens_at": "2030-03-31T02:30"},
            "opens_at",
            "This time does not exist in Europe/Madrid",
        ),
        ({"attempts_allowed": "0"}, "attempts_allowed", "Ensure this value is greater than or equal to 1."),
        (
            {"time_limit_minutes": "0"},
            "time_limit_minutes",
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"feedback_release": "never"}, "feedback_release", "Select a valid choice."),
        ({"opens_at": "0001-01-01T00:00", "tz": "Asia/Tokyo"}, "opens_at", "Give a date from 2000 to 2199."),
        (
            {"due_at": "9999-12-31T23:59", "tz": "America/New_York"},
            "due_at",
            "Give a date from 2000 to 2199.",
        ),
        ({"late_policy": "sometimes"}, "late_policy", "Select a valid choice."),
        ({"lesson": "999999"}, "lesson", "Select a valid choice."),
    ],
)
def test_bad_assignment_input_is_refused_on_its_field_and_nothing_is_assigned(
    teacher_client: Client,
    classroom: Classroom,
    first_lesson: Lesson,
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = teacher_client.post(
        reverse("lessons:assignment_new", args=[classroom.pk]), assignment_data(first_lesson, **overrides)
    )

    html = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert error is not None and message in error.group(1)
    assert f'<a href="#id_{field}' in html
    assert not Assignment.objects.exists()


def test_an_unknown_time_zone_is_refused(
    teacher_client: Client, classroom: Classroom, first_lesson: Lesson
) -> None:
    response = teacher_client.post(
        reverse("lessons:assignment_new", args=[classroom.pk]),
        assignment_data(first_lesson, tz="Mars/Olympus"),
    )

    assert response.status_code == 400
    assert "Unknown time zone." in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_lesson_the_teacher_cannot_see_cannot_be_assigned(
    teacher_client: Client, classroom: Classroom, first_lesson_data: dict[str, Any], other_teacher: User
) -> None:
    private = {
        **first_lesson_data,
        "lesson": {**first_lesson_data["lesson"], "visibility": Visibility.PRIVATE},
    }
    hidden = lesson_import(data=private, by=other_teacher)

    response = teacher_client.post(
        reverse("lessons:assignment_new", args=[classroom.pk]), assignment_data(hidden)
    )

    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_a_lesson_shared_with_teachers_can_be_assigned(
    teacher_client: Client, classroom: Classroom, first_lesson_data: dict[str, Any], other_teacher: User
) -> None:
    shared = {
        **first_lesson_data,
        "lesson": {**first_lesson_data["lesson"], "visibility": Visibility.TEACHERS},
    }
    lesson = lesson_import(data=shared, by=other_teacher)

    response = teacher_client.post(
        reverse("lessons:assignment_new", args=[classroom.pk]), assignment_data(lesson)
    )

    assert response.status_code == 302
    assert Assignment.objects.get().lesson == lesson


# Archiving


def test_archiving_moves_the_class_to_the_archived_list_and_switches_joining_off(
    teacher_client: Client, classroom: Classroom, make_user: MakeUser
) -> None:
    code = classroom.join_code
    assert code is not None

    response = teacher_client.post(reverse("lessons:classroom_archive", args=[classroom.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:teacher_dashboard")
    classroom.refresh_from_db()
    assert classroom.archived_at is not None and classroom.join_code is None
    with pytest.raises(InvalidInput):
        classroom_join(student=make_user("late"), code=code)
    dashboard = teacher_client.get(reverse("lessons:teacher_dashboard")).content.decode()
    assert "Civics 9B" in dashboard.split('id="archived-heading"')[1]
    page = teacher_client.get(detail_url(classroom))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The class can be read but no longer changed." in html
    assert "<form" not in html.split('id="main"')[1].replace('action="/accounts/logout/"', "")
    assert "amina" in html  # the roster stays


def test_archiving_twice_keeps_the_first_date(teacher_client: Client, classroom: Classroom) -> None:
    url = reverse("lessons:classroom_archive", args=[classroom.pk])
    teacher_client.post(url)
    classroom.refresh_from_db()
    first = classroom.archived_at

    teacher_client.post(url)

    classroom.refresh_from_db()
    assert classroom.archived_at == first


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("classroom_join_code", {"action": "rotate"}),
        ("classroom_coteacher_add", {"username": "okafor"}),
        ("students_import", {"names": "Ana,García"}),
        ("assignment_new", {}),
    ],
)
def test_an_archived_class_refuses_changes(
    teacher_client: Client,
    classroom: Classroom,
    other_teacher: User,
    teacher: User,
    name: str,
    data: dict[str, str],
) -> None:
    classroom_archive(teacher=teacher, classroom=classroom)
    users_before = User.objects.count()

    response = teacher_client.post(reverse(f"lessons:{name}", args=[classroom.pk]), data)

    assert response.status_code == 409
    assert "This class is archived" in response.content.decode()
    classroom.refresh_from_db()
    assert classroom.join_code is None
    assert list(classroom.teachers.all()) == [teacher]
    assert User.objects.count() == users_before
    assert not Assignment.objects.exists()


def test_removing_a_student_asks_first_then_takes_them_out_and_says_so(
    teacher_client: Client, classroom: Classroom, class_student: User
) -> None:
    url = reverse("lessons:student_remove", args=[classroom.pk, class_student.pk])
    roster = teacher_client.get(detail_url(classroom)).content.decode()
    assert f'<a href="{url}">Remove<span class="visually-hidden"> Amina Haddad</span></a>' in roster

    asked = teacher_client.get(url)
    assert asked.status_code == 200
    assert "<h1>Remove Amina Haddad from Civics 9B</h1>" in asked.content.decode()
    assert roster_usernames(classroom) == ["amina"]  # asking changes nothing

    removed = teacher_client.post(url)

    assert (removed.status_code, removed["Location"]) == (302, detail_url(classroom) + "#students")
    assert roster_usernames(classroom) == []
    assert User.objects.filter(pk=class_student.pk).exists()
    page = teacher_client.get(detail_url(classroom)).content.decode()
    assert "Amina Haddad is no longer in Civics 9B." in page
    assert teacher_client.get(url).status_code == 404
    assert teacher_client.post(url).status_code == 404


def test_removing_a_student_from_an_archived_class_is_refused(
    teacher_client: Client, classroom: Classroom, class_student: User, teacher: User
) -> None:
    classroom_archive(teacher=teacher, classroom=classroom)
    url = reverse("lessons:student_remove", args=[classroom.pk, class_student.pk])

    assert teacher_client.get(url).status_code == 409
    assert teacher_client.post(url).status_code == 409
    assert roster_usernames(classroom) == ["amina"]


# Signing up as a teacher


def test_signup_offers_a_labelled_teacher_checkbox(client: Client) -> None:
    html = client.get(reverse("signup")).content.decode()

    assert '<label for="id_is_teacher">I am a teacher:</label>' in html
    assert 'type="checkbox" name="is_teacher"' in html


def test_signing_up_as_a_teacher_makes_a_teacher_and_opens_the_dashboard(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {"username": "new.teacher", "password1": PASSWORD, "password2": PASSWORD, "is_teacher": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("lessons:teacher_dashboard")
    assert is_teacher(User.objects.get(username="new.teacher"))
    assert client.get(reverse("lessons:teacher_dashboard")).status_code == 200


def test_signing_up_without_the_checkbox_makes_a_learner(client: Client) -> None:
    response = client.post(
        reverse("signup"), {"username": "learner", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response["Location"] == reverse("lessons:home")
    assert not is_teacher(User.objects.get(username="learner"))
    assert client.get(reverse("lessons:teacher_dashboard")).status_code == 404
