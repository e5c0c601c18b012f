"""The teacher's accommodations page (standing extra time, extensions per assignment) reached from the
class page, and what the student sees of their own terms: their due date shown as extended, their time
limit with extra time. The gradebook and its CSV mark them, with a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lessons.models import Assignment, Attempt, AttemptState, Classroom, Enrollment, Extension, LatePolicy
from lessons.services.accommodations import extension_grant, student_set_extra_time
from lessons.services.classroom import classroom_archive, classroom_join

pytestmark = pytest.mark.django_db


def page_url(classroom: Classroom, student: User) -> str:
    return reverse("lessons:student_accommodations", args=[classroom.pk, student.pk])


def extension_url(classroom: Classroom, student: User, assignment: Assignment) -> str:
    return reverse("lessons:student_extension", args=[classroom.pk, student.pk, assignment.pk])


def multiplier(classroom: Classroom, student: User) -> Decimal:
    return Enrollment.objects.get(classroom=classroom, student=student).time_multiplier


# ----------------------------------------------------------------------------------------------------
# The teacher's side


def test_the_class_page_links_each_student_to_their_accommodations_and_shows_them(
    teacher_client: Client, classroom: Classroom, class_student: User, assignment: Assignment, teacher: User
) -> None:
    student_set_extra_time(
        classroom=classroom, teacher=teacher, student_id=class_student.pk, time_multiplier="1.5"
    )
    extension_grant(
        assignment=assignment,
        teacher=teacher,
        student_id=class_student.pk,
        due_at=assignment.due_at + dt.timedelta(days=2),
    )

    html = teacher_client.get(reverse("lessons:classroom_detail", args=[classroom.pk])).content.decode()

    assert f'href="{page_url(classroom, class_student)}"' in html
    assert "×1.5 time" in html and "1 extension" in html


def test_a_teacher_sets_standing_extra_time(
    teacher_client: Client, classroom: Classroom, class_student: User
) -> None:
    page = teacher_client.get(page_url(classroom, class_student))
    assert page.status_code == 200
    assert 'name="time_multiplier"' in page.content.decode()

    response = teacher_client.post(page_url(classroom, class_student), {"time_multiplier": "1.5"})

    assert response.status_code == 302
    assert multiplier(classroom, class_student) == Decimal("1.5")
    after = teacher_client.get(response["Location"]).content.decode()
    assert "The extra time is saved." in after and 'value="1.5"' in after


@pytest.mark.parametrize("bad", ["5", "0.5", "abc", ""])
def test_bad_extra_time_is_a_400_with_the_fields_error_and_changes_nothing(
    teacher_client: Client, classroom: Classroom, class_student: User, bad: str
) -> None:
    response = teacher_client.post(page_url(classroom, class_student), {"time_multiplier": bad})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and "<title>Error:" in html
    assert multiplier(classroom, class_student) == 1


def test_a_teacher_grants_an_extension_in_their_time_zone_and_removes_it(
    teacher_client: Client, classroom: Classroom, class_student: User, make_assignment: Any
) -> None:
    assignment = make_assignment(due_at=dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC), time_limit_minutes=20)
    prefix = f"a{assignment.pk}"

    response = teacher_client.post(
        extension_url(classroom, class_student, assignment),
        {
            f"{prefix}-due_at": "2030-01-17T09:00",
            f"{prefix}-extra_minutes": "10",
            f"{prefix}-tz": "America/New_York",
            f"{prefix}-action": "grant",
        },
    )

    assert response.status_code == 302
    extension = Extension.objects.get(assignment=assignment, student=class_student)
    assert extension.due_at == dt.datetime(2030, 1, 17, 14, 0, tzinfo=dt.UTC)  # 9:00 EST
    assert extension.extra_minutes == 10
    html = teacher_client.get(page_url(classroom, class_student)).content.decode()
    assert "The extension is saved." in html and "30 minutes" in html  # 20 + 10

    removed = teacher_client.post(
        extension_url(classroom, class_student, assignment), {f"{prefix}-action": "withdraw"}
    )
    assert removed.status_code == 302
    assert not Extension.objects.exists()


def test_an_extension_not_after_the_class_due_date_is_a_400_on_its_own_form(
    teacher_client: Client, classroom: Classroom, class_student: User, make_assignment: Any
) -> None:
    assignment = make_assignment(due_at=dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC))
    prefix = f"a{assignment.pk}"

    response = teacher_client.post(
        extension_url(classroom, class_student, assignment),
        {f"{prefix}-due_at": "2030-01-15T14:00", f"{prefix}-tz": "UTC", f"{prefix}-action": "grant"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "An extension&#x27;s due date comes after the class&#x27;s" in html
    assert f'id="id_{prefix}-due_at"' in html
    assert not Extension.objects.exists()


def test_another_teacher_and_a_student_get_404_and_an_archived_class_refuses_changes(
    client: Client,
    classroom: Classroom,
    class_student: User,
    other_teacher: User,
    teacher: User,
    assignment: Assignment,
) -> None:
    client.force_login(other_teacher)
    assert client.get(page_url(classroom, class_student)).status_code == 404
    assert client.post(page_url(classroom, class_student), {"time_multiplier": "2"}).status_code == 404
    client.force_login(class_student)
    assert client.get(page_url(classroom, class_student)).status_code == 404

    client.force_login(teacher)
    assert client.get(page_url(classroom, other_teacher)).status_code == 404  # not in the class
    classroom_archive(classroom=classroom, teacher=teacher)
    page = client.get(page_url(classroom, class_student))
    assert page.status_code == 200 and 'name="time_multiplier"' not in page.content.decode()
    assert client.post(page_url(classroom, class_student), {"time_multiplier": "2"}).status_code == 409
    prefix = f"a{assignment.pk}"
    refused = client.post(
        extension_url(classroom, class_student, assignment),
        {f"{prefix}-due_at": "2099-01-01T00:00", f"{prefix}-tz": "UTC"},
    )
    assert refused.status_code == 409
    assert multiplier(classroom, class_student) == 1 and not Extension.objects.exists()


# ----------------------------------------------------------------------------------------------------
# The student's side


def test_the_student_sees_their_own_due_date_marked_extended_and_their_time_limit(
    student_client: Client, classroom: Classroom, class_student: User, teacher: User, make_assignment: Any
) -> None:
    assignment = make_assignment(due_at=dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC), time_limit_minutes=20)
    student_set_extra_time(
        classroom=classroom, teacher=teacher, student_id=class_student.pk, time_multiplier=2
    )
    extension_grant(
        assignment=assignment,
        teacher=teacher,
        student_id=class_student.pk,
        due_at=dt.datetime(2030, 1, 20, 14, 0, tzinfo=dt.UTC),
    )

    home = student_client.get(reverse("lessons:assignment_home", args=[assignment.pk])).content.decode()
    listing = student_client.get(reverse("lessons:my_classes")).content.decode()

    assert 'datetime="2030-01-20T14:00:00+00:00"' in home and "extended for you" in home
    assert "the class’s due date:" in home and 'datetime="2030-01-15T14:00:00+00:00"' in home
    assert "40 minutes from the moment you start" in home and "with your extra time" in home
    assert 'datetime="2030-01-20T14:00:00+00:00"' in listing and "extended for you" in listing


def test_a_student_without_accommodations_sees_the_class_terms(
    client: Client,
    classroom: Classroom,
    class_student: User,
    teacher: User,
    make_assignment: Any,
    make_user: Any,
) -> None:
    assignment = make_assignment(due_at=dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC), time_limit_minutes=20)
    extension_grant(
        assignment=assignment,
        teacher=teacher,
        student_id=class_student.pk,
        due_at=dt.datetime(2030, 1, 20, 14, 0, tzinfo=dt.UTC),
        extra_minutes=5,
    )
    other = make_user("lena")
    assert classroom.join_code is not None
    classroom_join(student=other, code=classroom.join_code)
    client.force_login(other)

    home = client.get(reverse("lessons:assignment_home", args=[assignment.pk])).content.decode()

    assert "extended for you" not in home and "2030-01-20" not in home
    assert "20 minutes from the moment you start" in home


def test_a_student_with_an_extension_can_start_after_the_class_closed(
    student_client: Client, class_student: User, teacher: User, make_assignment: Any
) -> None:
    due = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)
    assignment = make_assignment(due_at=due, late_policy=LatePolicy.REFUSE)
    extension_grant(
        assignment=assignment, teacher=teacher, student_id=class_student.pk, due_at=due + dt.timedelta(days=1)
    )
    home_url = reverse("lessons:assignment_home", args=[assignment.pk])

    with time_machine.travel(due + dt.timedelta(hours=1), tick=False):
        home = student_client.get(home_url)
        assert home.status_code == 200 and "closed at its due date" not in home.content.decode()
        started = student_client.post(reverse("lessons:assignment_take", args=[assignment.pk]))
        assert started.status_code == 303
    # A second past the student's own due date (and its grace), the attempt is over.
    with time_machine.travel(due + dt.timedelta(days=1, seconds=31), tick=False):
        home = student_client.get(home_url)
    assert home.status_code == 200
    assert Attempt.objects.get(assignment=assignment).state == AttemptState.SUBMITTED


# ----------------------------------------------------------------------------------------------------
# The gradebook and its CSV


def test_the_gradebook_and_csv_show_extra_time_and_extensions(
    teacher_client: Client, classroom: Classroom, class_student: User, teacher: User, assignment: Assignment
) -> None:
    student_set_extra_time(
        classroom=classroom, teacher=teacher, student_id=class_student.pk, time_multiplier="1.5"
    )
    extension_grant(
        assignment=assignment,
        teacher=teacher,
        student_id=class_student.pk,
        due_at=dt.datetime(2099, 3, 7, 9, 0, tzinfo=dt.UTC),
    )

    html = teacher_client.get(reverse("lessons:gradebook", args=[classroom.pk])).content.decode()
    body = teacher_client.get(reverse("lessons:gradebook_csv", args=[classroom.pk])).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(body)))

    assert "×1.5 time" in html and "Extension: due 2099-03-07 09:00 UTC" in html
    assert rows[0][3] == "Extra time (time limits ×)"
    assert rows[0][-1] == f"Extension: {assignment.lesson.title}"
    assert rows[1][3] == "1.5" and rows[1][-1] == "due 2099-03-07 09:00 UTC"


def count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_gradebook_and_class_page_queries_stay_the_same_with_more_accommodated_students(
    teacher_client: Client, classroom: Classroom, teacher: User, assignment: Assignment, make_user: Any
) -> None:
    urls = [
        reverse("lessons:gradebook", args=[classroom.pk]),
        reverse("lessons:gradebook_csv", args=[classroom.pk]),
        reverse("lessons:classroom_detail", args=[classroom.pk]),
    ]
    counts = []
    for batch in range(2):
        for n in range(3 * batch + 1):
            student = make_user(f"s{batch}-{n}")
            assert classroom.join_code is not None
            classroom_join(student=student, code=classroom.join_code)
            student_set_extra_time(
                classroom=classroom, teacher=teacher, student_id=student.pk, time_multiplier=2
            )
            extension_grant(
                assignment=assignment,
                teacher=teacher,
                student_id=student.pk,
                due_at=assignment.due_at + dt.timedelta(days=1),
            )
        counts.append([count(teacher_client, url) for url in urls])

    assert counts[0] == counts[1]
