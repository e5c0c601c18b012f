"""Scores sent again after a teacher's grade, the outbox's rules, the tool's keys and the admin page where a
site administrator registers a platform."""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

import jwt
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from factories.classroom import AssignmentFactory, ClassroomFactory
from factories.people import LearnerFactory, TeacherFactory
from lti_platform import Platform

from lessons import lti_jwt
from lessons.models import Lesson, LtiLineItem, LtiPlatform, LtiScorePost, LtiToolKey, LtiUser, Response
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import assignment_attempt_start, assignment_regrade, response_grade
from lessons.services.lessons import lesson_import
from lessons.services.lti import roles_learn, roles_teach
from lessons.services.lti_scores import retry_delay, scores_url


@pytest.fixture
def corrected_lesson_data(first_lesson_data: dict[str, Any]) -> dict[str, Any]:
    """The first lesson with the key of q01 corrected from a to b."""
    data = copy.deepcopy(first_lesson_data)
    [q01] = [question for question in data["questions"] if question["id"] == "q01"]
    q01["answer"]["correct"] = "b"
    return data


def test_a_regrade_that_changes_a_score_sends_it(
    platform: Platform,
    registration: LtiPlatform,
    first_lesson: Lesson,
    corrected_lesson_data: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    teacher, student = TeacherFactory(username="teacher"), LearnerFactory(username="student")
    assignment = AssignmentFactory(
        classroom=ClassroomFactory(teacher=teacher, students=[student]), lesson=first_lesson
    )
    LtiUser.objects.create(platform=registration, issuer=registration.issuer, sub="student-1", user=student)
    LtiLineItem.objects.create(platform=registration, assignment=assignment, url=platform.url("/lineitems/1"))
    attempt = assignment_attempt_start(assignment=assignment, student=student)
    response_save(learner=student, attempt=attempt, question_key="q01", answer="a")
    attempt_submit(learner=student, attempt=attempt)
    lesson_import(data=corrected_lesson_data, replace=True)

    with django_capture_on_commit_callbacks(execute=True):
        assignment_regrade(assignment=assignment, by=teacher, note="q01 key corrected")

    [regraded] = platform.scores  # the submit's own post was never sent: its callback was not run
    assert regraded["scoreGiven"] == 0.0
    assert LtiScorePost.objects.filter(delivered_at__isnull=False).count() == 2


def test_a_teachers_grade_sends_the_new_score_after_the_pending_one(
    platform: Platform,
    registration: LtiPlatform,
    first_lesson: Lesson,
    django_capture_on_commit_callbacks: Any,
) -> None:
    teacher = TeacherFactory(username="teacher")
    student, other = LearnerFactory(username="student"), LearnerFactory(username="other")
    classroom = ClassroomFactory(teacher=teacher, students=[student, other])
    assignment = AssignmentFactory(classroom=classroom, lesson=first_lesson)
    LtiUser.objects.create(platform=registration, issuer=registration.issuer, sub="student-1", user=student)
    LtiLineItem.objects.create(platform=registration, assignment=assignment, url=platform.url("/lineitems/1"))
    attempt = assignment_attempt_start(assignment=assignment, student=student)
    response_save(learner=student, attempt=attempt, question_key="q01", answer="a")
    response_save(learner=student, attempt=attempt, question_key="q22", answer="Unpublished documents.")
    not_from_the_lms = assignment_attempt_start(assignment=assignment, student=other)

    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(learner=student, attempt=attempt)
        attempt_submit(learner=other, attempt=not_from_the_lms)
    with django_capture_on_commit_callbacks(execute=True):
        response_grade(
            response=Response.objects.get(attempt=attempt, question_key="q22"),
            by=teacher,
            criterion_scores={"r1": 1, "r2": 1, "r3": 1},
            comment="",
            expected_version=0,
        )

    attempt.refresh_from_db()
    submitted, graded = platform.scores
    assert (submitted["scoreGiven"], submitted["gradingProgress"]) == (1.0, "PendingManual")
    assert (graded["scoreGiven"], graded["gradingProgress"]) == (4.0, "FullyGraded")
    assert graded["scoreMaximum"] == float(attempt.possible)
    assert graded["timestamp"] >= submitted["timestamp"]
    assert list(LtiScorePost.objects.values_list("attempt_id", flat=True)) == [attempt.pk, attempt.pk]
    assert platform.tokens_issued == 1  # the second score reused the cached token


def test_retries_back_off_from_a_minute_to_six_hours() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 10, 30)] == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=4),
        dt.timedelta(hours=6),
        dt.timedelta(hours=6),
    ]


def test_the_scores_endpoint_keeps_the_line_items_query() -> None:
    assert scores_url("https://lms.example/api/lineitems/7?type_id=3") == (
        "https://lms.example/api/lineitems/7/scores?type_id=3"
    )


@pytest.mark.parametrize(
    ("roles", "teaches", "learns"),
    [
        (["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"], True, False),
        (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"], True, False),
        (["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], False, True),
        (["Learner"], False, True),
        (["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"], False, False),
        ("Instructor", False, False),
    ],
)
def test_lti_roles_map_to_teaching_and_learning(roles: Any, teaches: bool, learns: bool) -> None:
    assert (roles_teach(roles), roles_learn(roles)) == (teaches, learns)


def test_a_rotated_key_signs_and_the_old_one_stays_published(client: Client, tool_key: LtiToolKey) -> None:
    out = io.StringIO()
    call_command("lti_tool_key", "--rotate", stdout=out)

    new = LtiToolKey.objects.get(active=True)
    published = client.get("/lti/jwks/").json()["keys"]
    assert [key["kid"] for key in published] == [new.kid, tool_key.kid]
    assert all("d" not in key and "p" not in key for key in published)  # no private part
    assert jwt.get_unverified_header(lti_jwt.sign({"a": 1}))["kid"] == new.kid
    assert out.getvalue() == f"New signing key: {new.kid}\n"

    call_command("lti_tool_key", "--retire", tool_key.kid, stdout=io.StringIO())
    assert [key["kid"] for key in client.get("/lti/jwks/").json()["keys"]] == [new.kid]


def test_the_private_key_is_stored_encrypted(tool_key: LtiToolKey) -> None:
    assert "PRIVATE KEY" not in tool_key.private_key_encrypted
    assert tool_key.private_key_encrypted.startswith("gAAAA")  # a Fernet token


def test_a_site_administrator_registers_a_platform_in_the_admin(admin_client: Client) -> None:
    form = {
        "name": "District Moodle",
        "issuer": "https://moodle.district.example",
        "client_id": "abc123",
        "deployment_ids": "  1 \n\n 2\n",
        "jwks_url": "https://moodle.district.example/mod/lti/certs.php",
        "auth_login_url": "https://moodle.district.example/mod/lti/auth.php",
        "token_url": "https://moodle.district.example/mod/lti/token.php",
        "audience": "",
        "active": "on",
    }

    added = admin_client.post("/admin/lessons/ltiplatform/add/", form)
    refused = admin_client.post(
        "/admin/lessons/ltiplatform/add/", {**form, "client_id": "x", "deployment_ids": " "}
    )

    assert added.status_code == 302
    platform = LtiPlatform.objects.get()
    assert platform.deployments == ["1", "2"]
    assert platform.token_audience == form["token_url"]
    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["deployment_ids"]
    assert LtiPlatform.objects.count() == 1


def test_staff_who_are_not_site_administrators_cannot_register_platforms(db: None) -> None:
    staff = User.objects.create_user("staff", password="pw", is_staff=True)
    client = Client()
    client.force_login(staff)

    assert client.get("/admin/lessons/ltiplatform/add/").status_code == 403
