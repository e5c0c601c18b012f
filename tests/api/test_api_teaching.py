"""A teacher's side through the API: classes, the join code, co-teachers, the roster (a list, a CSV file),
assignments with their rules, grading with its version guard, release, regrade, item analysis and the
gradebook's CSV file — each answering as the page's service decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api_support import MakeApi, error_of
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from factories.attempts import AssignmentAttemptFactory

from lessons.models import Assignment, Attempt, Classroom, Enrollment, Extension, Lesson, Response
from lessons.policy import DEADLINE_GRACE


def _when(days: float) -> str:
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def test_a_class_is_made_its_code_rotated_and_switched_off_then_archived(
    make_api: MakeApi, teacher: User
) -> None:
    api = make_api(teacher)

    made = api.post("teach/classes/", {"name": "Civics 9C"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["name"], body["teachers"], body["students"]) == (
        "Civics 9C",
        [{"id": teacher.pk, "username": teacher.username}],
        [],
    )
    classroom = Classroom.objects.get(pk=body["id"])
    assert body["join_code"] == classroom.join_code

    rotated = api.post(f"teach/classes/{classroom.pk}/code/", {"action": "rotate"}).json()
    classroom.refresh_from_db()
    assert rotated["join_code"] == classroom.join_code != body["join_code"]
    assert api.post(f"teach/classes/{classroom.pk}/code/", {"action": "disable"}).json()["join_code"] is None

    archived = api.post(f"teach/classes/{classroom.pk}/archive/")
    assert archived.status_code == 200 and archived.json()["archived_at"] is not None
    refused = api.post(f"teach/classes/{classroom.pk}/code/", {"action": "rotate"})
    assert refused.status_code == 409 and error_of(refused)["code"] == "classroom_archived"
    assert api.get("teach/classes/").json()["count"] == 0
    assert [c["id"] for c in api.get("teach/classes/", archived="true").json()["results"]] == [classroom.pk]


def test_a_class_name_is_required_and_a_learner_cannot_make_one(
    make_api: MakeApi, teacher: User, learner: User
) -> None:
    blank = make_api(teacher).post("teach/classes/", {"name": ""})
    assert blank.status_code == 400 and set(error_of(blank)["fields"]) == {"name"}
    assert make_api(learner).post("teach/classes/", {"name": "Mine"}).status_code == 404
    assert Classroom.objects.count() == 0


def test_co_teachers_are_added_and_removed_and_a_class_keeps_one(
    make_api: MakeApi, teacher: User, other_teacher: User, classroom: Classroom
) -> None:
    api = make_api(teacher)
    path = f"teach/classes/{classroom.pk}/coteachers/"

    unknown = api.post(path, {"username": "nobody"})
    assert unknown.status_code == 400 and set(error_of(unknown)["fields"]) == {"username"}
    added = api.post(path, {"username": other_teacher.username})
    assert added.status_code == 201 and added.json() == {
        "id": other_teacher.pk,
        "username": other_teacher.username,
    }
    assert make_api(other_teacher).get(f"teach/classes/{classroom.pk}/").status_code == 200

    assert api.delete(f"{path}{other_teacher.pk}/").status_code == 204
    assert list(classroom.teachers.all()) == [teacher]
    last = api.delete(f"{path}{teacher.pk}/")
    assert last.status_code == 400 and error_of(last)["fields"] == {
        "teacher": ["A class keeps at least one teacher."]
    }
    assert api.delete(f"{path}{other_teacher.pk}/").status_code == 404


def test_students_are_added_from_a_list_or_a_csv_file_and_removed(
    make_api: MakeApi, teacher: User, classroom: Classroom
) -> None:
    api = make_api(teacher)
    path = f"teach/classes/{classroom.pk}/students/"

    one = api.post(path, {"names": "Ana,García"})
    assert one.status_code == 201, one.content
    [made] = one.json()
    assert made["name"] == "Ana García" and made["password"]
    upload = SimpleUploadedFile(
        "class.csv", "first name,last name\nLuis,Ortega\nMei,Chen\n".encode("utf-8-sig")
    )
    two = api.upload(path, {"csv_file": upload})
    assert two.status_code == 201, two.content
    assert [student["name"] for student in two.json()] == ["Luis Ortega", "Mei Chen"]
    assert classroom.enrollments.count() == 4

    bad = api.post(path, {"names": "Ana\n"})
    assert bad.status_code == 400 and set(error_of(bad)["fields"]) == {"names"}
    empty = api.post(path, {})
    assert empty.status_code == 400 and set(error_of(empty)["fields"]) == {"names"}
    assert classroom.enrollments.count() == 4

    student = User.objects.get(username=made["username"])
    assert api.delete(f"teach/classes/{classroom.pk}/students/{student.pk}/").status_code == 204
    assert not Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert api.delete(f"teach/classes/{classroom.pk}/students/{student.pk}/").status_code == 404


def test_an_assignment_pins_the_published_revision_with_its_rules(
    make_api: MakeApi, teacher: User, classroom: Classroom, first_lesson: Lesson
) -> None:
    api = make_api(teacher)
    path = f"teach/classes/{classroom.pk}/assignments/"
    body = {
        "lesson": first_lesson.slug,
        "opens_at": _when(0),
        "due_at": _when(7),
        "time_limit_minutes": 30,
        "feedback_release": "manual",
        "reading_aids": {"actor_cards": "after_finish"},
    }

    made = api.post(path, body)
    assert made.status_code == 201, made.content
    found = made.json()
    assignment = Assignment.objects.get(pk=found["id"])
    assert assignment.revision_id == first_lesson.published_revision_id
    assert found["revision"] == first_lesson.published_revision.number
    assert (found["time_limit_minutes"], found["feedback_release"], found["attempts_allowed"]) == (
        30,
        "manual",
        1,
    )
    assert found["reading_aids"] == {
        "sourcing_note": None,
        "provenance": None,
        "actor_cards": "after_finish",
        "treaty_cards": None,
    }

    backwards = api.post(path, {**body, "due_at": _when(-1)})
    assert backwards.status_code == 400 and set(error_of(backwards)["fields"]) == {"due_at"}
    unknown = api.post(path, {**body, "lesson": "no-such-lesson"})
    assert unknown.status_code == 400 and set(error_of(unknown)["fields"]) == {"lesson"}
    assert Assignment.objects.count() == 1


def test_assignments_are_listed_filtered_and_ordered(
    make_api: MakeApi, teacher: User, classroom: Classroom, make_assignment: Any
) -> None:
    api = make_api(teacher)
    soon = make_assignment(due_at=timezone.now() + dt.timedelta(days=2))
    later = make_assignment(due_at=timezone.now() + dt.timedelta(days=9))
    path = f"teach/classes/{classroom.pk}/assignments/"

    def ids(**params: str) -> list[int]:
        answer = api.get(path, **params)
        assert answer.status_code == 200, answer.content
        return [item["id"] for item in answer.json()["results"]]

    assert ids() == [soon.pk, later.pk]
    assert ids(ordering="-due_at") == [later.pk, soon.pk]
    assert ids(due_after=_when(5)) == [later.pk]
    # Valid ISO 8601 with an offset PostgreSQL would refuse (beyond ±15:59): read as the same moment in UTC.
    in_five_days = (timezone.now() + dt.timedelta(days=5)).astimezone(dt.timezone(-dt.timedelta(hours=20)))
    assert ids(due_after=in_five_days.isoformat()) == [later.pk]
    far = api.get(path, due_after="9999-12-31T23:00:00-20:00")  # past the year 9999 in UTC
    assert far.status_code == 400 and set(error_of(far)["fields"]) == {"due_after"}
    assert ids(lesson="no-such-lesson") == []
    bad = api.get(path, ordering="title")
    assert bad.status_code == 400 and set(error_of(bad)["fields"]) == {"ordering"}


def test_grading_is_guarded_by_the_version_then_released_regraded_and_analysed(
    make_api: MakeApi,
    teacher: User,
    other_teacher: User,
    class_student: User,
    assignment: Assignment,
    open_response: Response,
) -> None:
    api = make_api(teacher)
    queue = api.get(f"teach/assignments/{assignment.pk}/grading/", pending="true").json()
    [item] = queue["results"]
    assert (item["id"], item["pending"], item["version"]) == (open_response.pk, True, 0)
    criteria = {criterion["id"]: criterion["points"] for criterion in item["criteria"]}

    graded = api.put(
        f"teach/responses/{item['id']}/grade/", {"criteria": criteria, "comment": "Good.", "version": 0}
    )
    assert graded.status_code == 200, graded.content
    assert (graded.json()["pending"], graded.json()["version"], graded.json()["comment"]) == (
        False,
        1,
        "Good.",
    )
    stale = api.put(
        f"teach/responses/{item['id']}/grade/", {"criteria": criteria, "comment": "Mine.", "version": 0}
    )
    assert stale.status_code == 409 and error_of(stale)["code"] == "grading_conflict"
    open_response.refresh_from_db()
    assert open_response.teacher_comment == "Good."
    too_many = api.put(
        f"teach/responses/{item['id']}/grade/",
        {"criteria": dict.fromkeys(criteria, 99), "comment": "", "version": 1},
    )
    assert too_many.status_code == 400
    assert api.get(f"teach/assignments/{assignment.pk}/grading/", pending="true").json()["count"] == 0
    assert (
        make_api(other_teacher)
        .put(f"teach/responses/{item['id']}/grade/", {"criteria": criteria, "version": 1})
        .status_code
        == 404
    )

    released = api.post(f"teach/assignments/{assignment.pk}/release/")
    assert released.status_code == 200 and released.json()["released_at"]
    again = api.post(f"teach/assignments/{assignment.pk}/release/")
    assert again.status_code == 409 and error_of(again)["code"] == "nothing_to_release"

    regraded = api.post(f"teach/assignments/{assignment.pk}/regrade/", {"note": "Checked."})
    assert regraded.status_code == 200 and regraded.json()["changed"] == 0
    results = api.get(f"teach/assignments/{assignment.pk}/").json()
    assert [row["student"]["id"] for row in results["students"]] == [class_student.pk]
    assert [r["note"] for r in results["regrades"]] == ["Checked."]

    analysis = api.get(f"teach/assignments/{assignment.pk}/analysis/").json()
    assert analysis["attempts"] == 1
    assert len(analysis["questions"]) == len(assignment.revision.document["questions"])


def test_the_gradebook_csv_is_the_pages_file_byte_for_byte(
    make_api: MakeApi, teacher: User, classroom: Classroom, submitted_attempt: Attempt
) -> None:
    page = Client()
    page.force_login(teacher)
    from_page = page.get(f"/teach/classes/{classroom.pk}/gradebook.csv")
    from_api = make_api(teacher).get(f"teach/classes/{classroom.pk}/gradebook.csv")
    assert from_api.status_code == 200
    assert from_api["Content-Type"] == from_page["Content-Type"] == "text/csv; charset=utf-8"
    assert from_api.content == from_page.content
    assert from_api["Content-Disposition"] == from_page["Content-Disposition"]
    assert from_api.content.startswith("\ufeff".encode())


def test_extra_time_and_an_extension_are_granted_and_withdrawn(
    make_api: MakeApi, teacher: User, class_student: User, classroom: Classroom, assignment: Assignment
) -> None:
    api = make_api(teacher)
    extra = api.put(
        f"teach/classes/{classroom.pk}/students/{class_student.pk}/extra-time/", {"time_multiplier": "1.5"}
    )
    assert extra.status_code == 200 and extra.json() == {"time_multiplier": "1.50"}

    path = f"teach/assignments/{assignment.pk}/extensions/{class_student.pk}/"
    early = api.put(path, {"due_at": _when(1)})
    assert early.status_code == 400 and set(error_of(early)["fields"]) == {"due_at"}
    granted = api.put(path, {"due_at": _when(10)})
    assert granted.status_code == 200 and granted.json()["student"] == class_student.pk
    assert Extension.objects.filter(assignment=assignment, student=class_student).exists()
    assert api.delete(path).status_code == 204
    assert not Extension.objects.exists()


def test_an_assignments_terms_change_and_open_attempts_follow_the_new_time_limit(
    make_api: MakeApi, teacher: User, class_student: User, make_assignment: Any
) -> None:
    assignment = make_assignment(time_limit_minutes=30, due_at=timezone.now() + dt.timedelta(days=7))
    attempt = AssignmentAttemptFactory(assignment=assignment, student=class_student)
    api = make_api(teacher)
    path = f"teach/assignments/{assignment.pk}/"

    changed = api.patch(path, {"time_limit_minutes": 60, "reading_aids": {"treaty_cards": "after_finish"}})

    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["time_limit_minutes"], body["attempts_allowed"]) == (60, assignment.attempts_allowed)
    assert body["reading_aids"]["treaty_cards"] == "after_finish"
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + dt.timedelta(minutes=60) + DEADLINE_GRACE

    reshuffle = api.patch(path, {"shuffle_questions": True})
    assert reshuffle.status_code == 409 and error_of(reshuffle)["code"] == "attempts_started"
    backwards = api.patch(path, {"due_at": _when(-30)})
    assert backwards.status_code == 400 and set(error_of(backwards)["fields"]) == {"due_at"}
    assignment.refresh_from_db()
    assert (assignment.shuffle_questions, assignment.time_limit_minutes) == (False, 60)


def test_an_archived_class_keeps_its_assignments_terms(
    make_api: MakeApi, teacher: User, classroom: Classroom, assignment: Assignment
) -> None:
    api = make_api(teacher)
    api.post(f"teach/classes/{classroom.pk}/archive/")

    refused = api.patch(f"teach/assignments/{assignment.pk}/", {"attempts_allowed": 5})

    assert refused.status_code == 409 and error_of(refused)["code"] == "classroom_archived"
    assignment.refresh_from_db()
    assert assignment.attempts_allowed == 2
