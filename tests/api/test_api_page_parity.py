"""What the pages offer beyond authoring, through the API: the profile's time zone and API tokens, teacher
invitations, a past self-study attempt, progress about one actor or treaty, the standings glossary, and a
teacher's report of one student, their accommodations and the review of one attempt. Each answers as its
page does (the same services and selectors); what is not the caller's is a 404."""

from __future__ import annotations

from typing import Any

from api_support import MakeApi, error_of
from classroom.classroom_support import data_queries
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories.attempts import AssignmentAttemptFactory
from factories.classroom import AssignmentFactory, ClassroomFactory, join
from factories.people import UnverifiedTeacherFactory

from lessons.models import Actor, ApiToken, Assignment, Classroom, Enrollment, Lesson, Standing
from lessons.services import response_save, self_study_attempt_open
from lessons.services.api_tokens import token_create
from lessons.services.classroom import is_teacher
from lessons.services.people import time_zone_of


def fields(response: Any) -> set[str]:
    return set(error_of(response)["fields"])


# ---- the profile ----------------------------------------------------------------------------------------


def test_the_time_zone_is_read_and_chosen(make_api: MakeApi, learner: User) -> None:
    api = make_api(learner)
    assert api.get("me/time-zone/").json() == {"time_zone": None}
    chosen = api.put("me/time-zone/", {"time_zone": "Europe/Madrid"})
    assert chosen.status_code == 200
    assert api.get("me/time-zone/").json() == {"time_zone": "Europe/Madrid"}
    refused = api.put("me/time-zone/", {"time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 400 and fields(refused) == {"time_zone"}
    assert time_zone_of(learner) == "Europe/Madrid"


def test_tokens_are_made_once_listed_and_revoked(make_api: MakeApi, learner: User, teacher: User) -> None:
    api = make_api(learner)
    made = api.post("me/tokens/", {"name": "my phone", "read_only": True})
    assert made.status_code == 201
    secret = made.json()["token"]
    assert secret.startswith("qs_") and made.json()["read_only"] is True
    listed = api.get("me/tokens/").json()
    assert listed["count"] == 2
    assert all("token" not in item for item in listed["results"])
    assert secret not in str(listed)
    phone = type(api)(api.client.__class__(), secret)
    assert phone.get("me/").json()["read_only"] is True
    assert phone.post("me/tokens/", {"name": "another"}).status_code == 403  # a read-only token only reads
    assert make_api(teacher).delete(f"me/tokens/{made.json()['id']}/").status_code == 404
    assert api.delete(f"me/tokens/{made.json()['id']}/").status_code == 204
    assert phone.get("me/").status_code == 401
    assert "name" in fields(api.post("me/tokens/", {"name": "   "}))


def test_a_verified_teacher_invites_a_colleague(make_api: MakeApi, teacher: User, learner: User) -> None:
    made = make_api(teacher).post("teach/invitations/")
    assert made.status_code == 201
    body = made.json()
    assert body["link"].endswith(f"/accounts/teacher-invitation/{body['token']}/")
    accepted = make_api(learner).post(f"invitations/{body['token']}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["is_teacher"] is True and accepted.json()["verified"] is True
    assert is_teacher(User.objects.get(pk=learner.pk))


def test_invitations_refused(make_api: MakeApi, learner: User, teacher: User) -> None:
    assert make_api(learner).post("teach/invitations/").status_code == 404
    unverified = UnverifiedTeacherFactory(username="newcomer")
    assert make_api(unverified).post("teach/invitations/").status_code == 404
    assert make_api(learner).post("invitations/not-a-token/accept/").status_code == 400
    assert not is_teacher(learner)


# ---- a learner's pages ----------------------------------------------------------------------------------


def test_a_past_self_study_attempt_is_its_learners_alone(
    make_api: MakeApi,
    learner: User,
    other_student: User,
    class_student: User,
    first_lesson: Lesson,
    assignment: Assignment,
) -> None:
    attempt = self_study_attempt_open(learner=learner, revision=first_lesson.published_revision)
    response_save(learner=learner, attempt=attempt, question_key="q04", answer="a")
    summary = make_api(learner).get(f"self-study/attempts/{attempt.pk}/")
    assert summary.status_code == 200
    assert summary.json()["attempt"] == attempt.pk
    assert sum(item["answered"] for item in summary.json()["by_focus"]) == 1
    assert make_api(other_student).get(f"self-study/attempts/{attempt.pk}/").status_code == 404
    class_attempt = AssignmentAttemptFactory(assignment=assignment, student=class_student)
    # An assignment's attempt is its class's: the release policy rules there.
    assert make_api(class_student).get(f"self-study/attempts/{class_attempt.pk}/").status_code == 404


def test_progress_about_one_actor_or_treaty(make_api: MakeApi, learner: User, first_lesson: Lesson) -> None:
    api = make_api(learner)
    actor = first_lesson.actors.order_by("slug")[0]
    page = api.get(f"progress/actors/{actor.slug}/")
    assert page.status_code == 200
    assert (page.json()["kind"], page.json()["slug"], page.json()["name"]) == (
        "actor",
        actor.slug,
        actor.name,
    )
    assert api.get("progress/actors/nobody-at-all/").status_code == 404
    treaty = first_lesson.treaties.order_by("slug")[0]
    assert api.get(f"progress/treaties/{treaty.slug}/").json()["kind"] == "treaty"


def test_the_standings_glossary_is_public(make_api: MakeApi) -> None:
    body = make_api(None).get("standings/").json()
    assert [item["value"] for item in body["standings"]] == list(Standing.values)
    assert all(item["definition"] for item in body["standings"])


# ---- a teacher's pages ----------------------------------------------------------------------------------


def test_a_students_report_accommodations_and_attempt_review(
    make_api: MakeApi, teacher: User, other_teacher: User, class_student: User, assignment: Assignment
) -> None:
    attempt = AssignmentAttemptFactory(
        assignment=assignment, student=class_student, answers={"q01": "a"}, submit=True
    )
    classroom = assignment.classroom_id
    api, other = make_api(teacher), make_api(other_teacher)
    report = api.get(f"teach/classes/{classroom}/students/{class_student.pk}/report/")
    assert report.status_code == 200
    rows = report.json()["assignments"]
    assert [row["assignment"] for row in rows] == [assignment.pk]
    assert [item["id"] for item in rows[0]["attempts"]] == [attempt.pk]
    assert (
        api.put(
            f"teach/classes/{classroom}/students/{class_student.pk}/extra-time/", {"time_multiplier": "1.5"}
        ).status_code
        == 200
    )
    terms = api.get(f"teach/classes/{classroom}/students/{class_student.pk}/accommodations/").json()
    assert terms["time_multiplier"] == "1.50"
    assert terms["assignments"][0]["assignment"] == assignment.pk
    review = api.get(f"teach/attempts/{attempt.pk}/")
    assert review.status_code == 200
    first = review.json()["questions"][0]
    assert (first["question"], first["answered"], first["answer"] != []) == ("q01", True, True)
    assert first["right_answer"]
    for path in (
        f"teach/classes/{classroom}/students/{class_student.pk}/report/",
        f"teach/classes/{classroom}/students/{class_student.pk}/accommodations/",
        f"teach/attempts/{attempt.pk}/",
    ):
        assert other.get(path).status_code == 404, path
    assert api.get(f"teach/classes/{classroom}/students/{other_teacher.pk}/report/").status_code == 404


def test_a_students_classes_and_an_unlinked_roster(
    make_api: MakeApi, class_student: User, learner: User, teacher: User, assignment: Assignment
) -> None:
    classes = make_api(class_student).get("classes/").json()
    assert classes["results"] == [{"id": assignment.classroom_id, "name": assignment.classroom.name}]
    assert make_api(learner).get("classes/").json()["count"] == 0
    refused = make_api(teacher).post(f"teach/classes/{assignment.classroom_id}/lti-roster/")
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "lti_not_ready"


# ---- query bounds ---------------------------------------------------------------------------------------


def counted(api: Any, path: str) -> int:
    api.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(data_queries(captured))


def test_the_new_lists_make_as_many_queries_for_many_items_as_for_few(
    make_api: MakeApi, teacher: User, class_student: User, assignment: Assignment
) -> None:
    api, student = make_api(teacher), make_api(class_student)
    found: dict[str, list[int]] = {"me/tokens/": [], "author/actors/": [], "classes/": [], "report": []}
    report = f"teach/classes/{assignment.classroom_id}/students/{class_student.pk}/report/"
    for size in (2, 6):
        while ApiToken.objects.filter(user=teacher).count() < size:
            token_create(user=teacher, name=f"token {ApiToken.objects.count()}")
        while Actor.objects.count() < size:
            Actor.objects.create(slug=f"actor-{Actor.objects.count()}", name="An actor", kind="person")
        while Enrollment.objects.filter(student=class_student).count() < size:
            join(class_student, ClassroomFactory(teacher=teacher, name=f"Class {Classroom.objects.count()}"))
        while Assignment.objects.filter(classroom_id=assignment.classroom_id).count() < size:
            AssignmentFactory(classroom=assignment.classroom, lesson=assignment.lesson)
        found["me/tokens/"].append(counted(api, "me/tokens/"))
        found["author/actors/"].append(counted(api, "author/actors/"))
        found["classes/"].append(counted(student, "classes/"))
        found["report"].append(counted(api, report))
    assert all(few == many for few, many in found.values()), found
