"""An LMS launches quizsite over LTI 1.3: the platform emulator (real HTTP) and the tool (test client)."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from lti_platform import CLAIM, INSTRUCTOR, LEARNER, Launch, Platform, course_claims, http_post_form

from lessons.models import (
    Assignment,
    Classroom,
    Enrollment,
    Lesson,
    LtiContext,
    LtiLineItem,
    LtiLoginState,
    LtiPlatform,
    LtiResourceLink,
    LtiScorePost,
    LtiUser,
)
from lessons.services import attempt_submit, response_save
from lessons.services.attempts import all_points
from lessons.services.classroom import assignment_attempt_start, is_teacher

DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


def link_claims(
    platform: Platform, *, link_id: str = "link-1", custom: dict[str, str] | None = None
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        CLAIM + "message_type": "LtiResourceLinkRequest",
        CLAIM + "resource_link": {"id": link_id, "title": "Water accord quiz"},
        AGS: {
            "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
            "lineitems": platform.url("/lineitems"),
            "lineitem": platform.url("/lineitems/1"),
        },
        NRPS: {"context_memberships_url": platform.url("/memberships"), "service_versions": ["2.0"]},
    }
    if custom is not None:
        claims[CLAIM + "custom"] = custom
    return claims


def submit_right_answer(assignment: Assignment, student: User) -> None:
    attempt = assignment_attempt_start(assignment=assignment, student=student)
    response_save(learner=student, attempt=attempt, question_key="q6", answer="b")
    attempt_submit(learner=student, attempt=attempt)


def test_deep_link_then_a_students_launch_and_submit_send_the_score_to_the_platform(
    platform: Platform,
    launch: Launch,
    second_lesson: Lesson,
    django_capture_on_commit_callbacks: Any,
) -> None:
    teacher_browser = Client()
    deep_link_request = {
        CLAIM + "message_type": "LtiDeepLinkingRequest",
        DEEP_LINKING: {
            "deep_link_return_url": platform.url("/deep-link-return"),
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["window"],
            "data": "opaque-platform-data",
        },
    }
    launched = launch(
        teacher_browser, course_claims(sub="teacher-1", roles=[INSTRUCTOR], **deep_link_request)
    )

    assert launched.status_code == 302
    assert launched["Location"].startswith("/lti/deep-link/")
    # The login sent the platform a state and nonce; the launch consumed them.
    sent = platform.auth_requests[0]
    assert sent["redirect_uri"] == "http://testserver/lti/launch/"
    assert sent["response_mode"] == "form_post"
    assert sent["lti_message_hint"] == "hint-1"
    assert LtiLoginState.objects.get(state=sent["state"]).used_at is not None
    teacher = LtiUser.objects.get(sub="teacher-1").user
    assert is_teacher(teacher)
    classroom = Classroom.objects.get(lti_context__context_id="course-101")
    assert classroom.name == "Civics 101"
    assert list(classroom.teachers.all()) == [teacher]

    picker = teacher_browser.get(launched["Location"])
    assert picker.status_code == 200
    assert second_lesson.title in picker.content.decode()
    answer = teacher_browser.post(launched["Location"], {"lesson": second_lesson.slug})
    assert answer.status_code == 200
    page = answer.content.decode()
    return_url = unescape(re.search(r'action="([^"]+)" id="lti-deep-link-return"', page).group(1))
    signed = re.search(r'name="JWT" value="([^"]+)"', page).group(1)
    assert return_url == platform.url("/deep-link-return")

    status, body = http_post_form(return_url, {"JWT": signed})

    assert (status, body) == (200, {"received": 1})
    [item] = platform.deep_link_items
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"lesson": second_lesson.slug}
    points = float(all_points(second_lesson.published_revision))
    assert item["lineItem"]["scoreMaximum"] == points

    # A student opens the link the platform made: the assignment and its grade column come with the launch.
    student_browser = Client()
    launched = launch(
        student_browser,
        course_claims(sub="student-1", roles=[LEARNER], **link_claims(platform, custom=item["custom"])),
    )

    link = LtiResourceLink.objects.select_related("assignment").get(resource_link_id="link-1")
    assert link.assignment is not None
    assert launched.status_code == 302
    assert launched["Location"] == f"/assignments/{link.assignment.pk}/"
    assert LtiLineItem.objects.get(assignment=link.assignment).url == platform.url("/lineitems/1")
    student = LtiUser.objects.get(sub="student-1").user
    assert not is_teacher(student)
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert student_browser.get(launched["Location"]).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        submit_right_answer(link.assignment, student)

    [score] = platform.scores
    assert score["userId"] == "student-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (1.0, points)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    assert platform.tokens_issued == 1
    assert LtiScorePost.objects.get().delivered_at is not None


def test_a_teachers_first_launch_of_a_new_link_picks_the_lesson(
    platform: Platform, launch: Launch, second_lesson: Lesson
) -> None:
    browser = Client()
    launched = launch(browser, course_claims(sub="teacher-1", roles=[INSTRUCTOR], **link_claims(platform)))
    link = LtiResourceLink.objects.get()
    assert launched["Location"] == f"/lti/links/{link.pk}/lesson/"

    chosen = browser.post(launched["Location"], {"lesson": second_lesson.slug})

    link.refresh_from_db()
    assert link.assignment is not None
    assert link.assignment.lesson == second_lesson
    assert chosen["Location"] == f"/teach/assignments/{link.assignment.pk}/"
    assert LtiLineItem.objects.get().assignment == link.assignment


def test_a_student_before_the_teacher_is_told_the_course_is_not_ready(
    platform: Platform, launch: Launch
) -> None:
    refused = launch(Client(), course_claims(sub="student-1", roles=[LEARNER], **link_claims(platform)))

    assert refused.status_code == 409
    assert "has not opened this course" in refused.content.decode()
    assert not User.objects.filter(username__startswith="lti-").exists()
    assert not LtiContext.objects.exists()


@pytest.mark.parametrize(
    ("token_options", "reason"),
    [
        ({"forged": True}, "signature is not valid"),
        ({"audience": "another-tool"}, "not addressed to this site"),
        ({"issued_ago": 7200, "expires_in": 3600}, "has expired"),
        ({"deployment_id": "unknown-deployment"}, "deployment of the tool is not registered"),
    ],
    ids=["forged-signature", "wrong-audience", "expired", "unknown-deployment"],
)
def test_a_bad_launch_is_refused_and_changes_nothing(
    platform: Platform, launch: Launch, token_options: dict[str, Any], reason: str
) -> None:
    users = User.objects.count()

    refused = launch(
        Client(), course_claims(sub="teacher-1", roles=[INSTRUCTOR], **link_claims(platform)), **token_options
    )

    assert refused.status_code == 403
    assert reason in unescape(refused.content.decode())
    assert User.objects.count() == users
    assert not LtiUser.objects.exists()
    assert not Classroom.objects.exists()
    assert LtiLoginState.objects.get().used_at is None
    assert "_auth_user_id" not in refused.client.session


def test_a_replayed_launch_is_refused(platform: Platform, launch: Launch, second_lesson: Lesson) -> None:
    browser = Client()
    first = launch(browser, course_claims(sub="teacher-1", roles=[INSTRUCTOR], **link_claims(platform)))
    assert first.status_code == 302
    links = LtiResourceLink.objects.count()

    # The same id_token and state again, with the state cookie put back (a replay from the same browser).
    browser.cookies["lti1p3_state"] = first.state
    replayed = browser.post("/lti/launch/", {"id_token": first.id_token, "state": first.state})
    # And from another browser, with no state cookie at all.
    elsewhere = Client().post("/lti/launch/", {"id_token": first.id_token, "state": first.state})

    assert replayed.status_code == 403
    assert "already used" in replayed.content.decode()
    assert elsewhere.status_code == 403
    assert "did not start in this browser" in elsewhere.content.decode()
    assert LtiResourceLink.objects.count() == links


def test_a_login_from_an_unregistered_platform_is_refused(client: Client, registration: Any) -> None:
    refused = client.post(
        "/lti/login/",
        {
            "iss": "https://unknown.example",
            "login_hint": "x",
            "target_link_uri": "http://testserver/lti/launch/",
        },
    )

    assert refused.status_code == 403
    assert not LtiLoginState.objects.exists()


def test_the_roster_button_adds_the_courses_two_students(platform: Platform, launch: Launch) -> None:
    browser = Client()
    launch(browser, course_claims(sub="teacher-1", roles=[INSTRUCTOR], **link_claims(platform)))
    classroom = Classroom.objects.get()
    platform.members = [
        {
            "user_id": "student-a",
            "given_name": "Ana",
            "family_name": "Kovac",
            "roles": [LEARNER],
            "status": "Active",
        },
        {"user_id": "teacher-1", "roles": [INSTRUCTOR], "status": "Active"},
        {"user_id": "student-b", "given_name": "Ben", "roles": ["Learner"]},
        {"user_id": "student-c", "roles": [LEARNER], "status": "Inactive"},
    ]
    page = browser.get(f"/teach/classes/{classroom.pk}/")
    assert f'action="/lti/classes/{classroom.pk}/roster/"' in page.content.decode()

    synced = browser.post(f"/lti/classes/{classroom.pk}/roster/")
    again = browser.post(f"/lti/classes/{classroom.pk}/roster/", follow=True)

    assert synced.status_code == 302
    enrolled = Enrollment.objects.filter(classroom=classroom).select_related("student")
    assert sorted(e.student.first_name for e in enrolled) == ["Ana", "Ben"]
    assert sorted(
        LtiUser.objects.filter(user__enrollments__classroom=classroom).values_list("sub", flat=True)
    ) == [
        "student-a",
        "student-b",
    ]
    assert "Students added from the course: 0 (already in the class: 2)." in again.content.decode()
    assert platform.tokens_issued == 1  # the token was cached for the second sync


def test_a_score_not_sent_while_the_platform_is_down_is_sent_later(
    platform: Platform,
    launch: Launch,
    second_lesson: Lesson,
    django_capture_on_commit_callbacks: Any,
) -> None:
    claims = link_claims(platform, custom={"lesson": second_lesson.slug})
    launch(Client(), course_claims(sub="teacher-1", roles=[INSTRUCTOR], **claims))
    launch(Client(), course_claims(sub="student-1", roles=[LEARNER], **claims))
    launch(Client(), course_claims(sub="student-2", roles=[LEARNER], **claims))
    assignment = LtiResourceLink.objects.get().assignment
    assert assignment is not None
    student = LtiUser.objects.get(sub="student-1").user
    platform.down = True

    with django_capture_on_commit_callbacks(execute=True):
        submit_right_answer(assignment, student)
    # The next student's submit does not wait on the platform known to be down: the command sends it.
    with django_capture_on_commit_callbacks(execute=True):
        submit_right_answer(assignment, LtiUser.objects.get(sub="student-2").user)

    post, second = LtiScorePost.objects.order_by("pk")
    assert (post.tries, post.delivered_at) == (1, None)
    assert "503" in post.last_error
    assert (second.tries, second.delivered_at) == (0, None)
    assert platform.token_requests == 1
    assert platform.scores == []
    platform.down = False
    early, later = io.StringIO(), io.StringIO()
    call_command("send_lti_scores", stdout=early)  # the first is not due yet: its retry waits a minute
    assert [score["userId"] for score in platform.scores] == ["student-2"]

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        call_command("send_lti_scores", stdout=later)

    assert early.getvalue() == "Scores sent: 1; failed, to retry: 0; given up: 0.\n"
    assert later.getvalue() == "Scores sent: 1; failed, to retry: 0; given up: 0.\n"
    post.refresh_from_db()
    assert post.delivered_at is not None
    assert post.tries == 2
    assert [(score["userId"], score["scoreGiven"]) for score in platform.scores] == [
        ("student-2", 1.0),
        ("student-1", 1.0),
    ]


def test_a_launch_when_the_platforms_keys_cannot_be_fetched_is_refused_and_changes_nothing(
    platform: Platform, launch: Launch, registration: LtiPlatform
) -> None:
    registration.jwks_url = platform.url("/no-such-jwks")
    registration.save()

    refused = launch(Client(), course_claims(sub="teacher-1", roles=[INSTRUCTOR], **link_claims(platform)))

    assert refused.status_code == 502
    assert "keys could not be fetched" in unescape(refused.content.decode())
    assert LtiLoginState.objects.get().used_at is None
    assert not LtiUser.objects.exists()


def test_a_deep_link_choice_not_started_by_a_launch_is_refused(
    platform: Platform, launch: Launch, second_lesson: Lesson
) -> None:
    browser = Client()
    launch(browser, course_claims(sub="teacher-1", roles=[INSTRUCTOR], **link_claims(platform)))

    refused = browser.post("/lti/deep-link/made-up-token/", {"lesson": second_lesson.slug})

    assert refused.status_code == 403
    assert "has expired" in refused.content.decode()
