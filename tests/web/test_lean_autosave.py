"""The autosave answered before the middleware stack (lessons.web.autosave): the same answers as the view
behind the whole stack, in one statement, and every case the statement must refuse — a sign-out, an expired
session, a password change, a deactivated user, a student taken out of the class, a submitted or late
attempt, another session's token — refused, with nothing written, and answered by the view as before."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from factories.people import PASSWORD
from test_assignment_autosave import (
    HTMX,
    MakeAssignment,
    data_queries,
    form_fields,
    save,
    save_url,
    started,
    take_url,
)
from test_database_outage import database_down

from lessons.models import Assignment, Attempt, AttemptState, Response
from lessons.services import attempt_submit
from lessons.services.classroom import classroom_remove_student
from lessons.services.people import SESSION_TEACHING, SESSION_TEMPORARY_PASSWORD
from lessons.web.autosave import SAVE_PATH, saved_status_html, session_binding
from lessons.web.views.student_assignments import save_status_response

pytestmark = pytest.mark.django_db

LEAN = "lessons.web.autosave.LeanAutosaveMiddleware"
WHOLE_STACK = [name for name in settings.MIDDLEWARE if name != LEAN]
# Headers that differ between any two requests.
VOLATILE = {"X-Request-ID", "Date"}


def lean_save(
    client: Client, assignment: Assignment, key: str, answer: str, token: str, sequence: int
) -> Any:
    """An htmx save, and whether the lean path wrote it: (response, statements)."""
    with data_queries() as statements:
        response = save(
            client, assignment, key, {"answer": answer}, token=token, sequence=sequence, htmx=True
        )
    return response, statements


def answered_lean(statements: list[str]) -> bool:
    """The save was the one statement of the lean path, and nothing else ran."""
    return len(statements) == 1 and "django_session" in statements[0] and "ON CONFLICT" in statements[0]


def client_like(client: Client) -> Client:
    """A new client (its handler loads the MIDDLEWARE of now) with `client`'s cookies and defaults."""
    copy = Client()
    copy.defaults = dict(client.defaults)
    copy.cookies = client.cookies
    return copy


def comparable(response: Any) -> tuple[int, bytes, dict[str, str], dict[str, str]]:
    headers = {name: value for name, value in response.headers.items() if name not in VOLATILE}
    cookies = {name: morsel.value for name, morsel in response.cookies.items()}
    return response.status_code, response.content, headers, cookies


def test_the_route_is_the_save_views() -> None:
    for number, key in ((1, "q01"), (12345, "q01-2"), (7, "a_b-C9")):
        match = SAVE_PATH.match(reverse("lessons:assignment_save", args=[number, key]))
        assert match is not None and (int(match["assignment"]), match["key"]) == (number, key)
    for name, args in (("lessons:assignment_take", [1]), ("lessons:assignment_submit", [1])):
        assert SAVE_PATH.match(reverse(name, args=args)) is None
    assert SAVE_PATH.match("/assignments/1/save/q01/extra/") is None
    assert SAVE_PATH.match("/x/assignments/1/save/q01/") is None


# ----------------------------------------------------------------------------------------------------
# The same answers as the whole stack


@pytest.mark.parametrize(
    ("language", "zone"),
    [("en", ""), ("es", "America/Bogota")],
)
def test_a_save_answers_as_the_whole_stack_does(
    student_client: Client, make_assignment: MakeAssignment, language: str, zone: str
) -> None:
    """Status, body (the time in the session's time zone, the words in the request's language), headers
    and cookies are the view's own, header by header; and the lean one took one statement."""
    if zone:
        assert student_client.post(reverse("profile"), {"time_zone": zone}).status_code == 302
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    student_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    answers = []
    for middleware, sequence in ((settings.MIDDLEWARE, 1), (WHOLE_STACK, 2)):
        with (
            override_settings(MIDDLEWARE=middleware),
            time_machine.travel(dt.datetime(2025, 6, 2, 10, 42, 5, tzinfo=dt.UTC), tick=False),
        ):
            # The same stored sequence in both answers: the second saves "b" after "a" was taken back.
            Response.objects.filter(attempt=attempt).delete()
            response, statements = lean_save(
                client_like(student_client), assignment, "q01", "b", token, sequence
            )
        answers.append((comparable(response), statements))
    (lean, lean_statements), (whole, whole_statements) = answers

    assert answered_lean(lean_statements), lean_statements
    assert not answered_lean(whole_statements)
    assert lean[0] == 200
    body = lean[1].decode()
    assert ("05:42:05" if zone else "10:42:05") in body
    assert lean[1] == whole[1].replace(b'data-sequence="2"', b'data-sequence="1"')
    assert lean[2] == whole[2] and lean[3] == whole[3]
    assert lean[2]["Content-Language"] == language


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("zone", ["UTC", "America/Bogota", "Asia/Kolkata"])
def test_the_saved_status_is_the_templates(language: str, zone: str) -> None:
    saved_at = dt.datetime(2025, 6, 2, 23, 42, 5, 123456, tzinfo=dt.UTC)
    for key, sequence in (("q01", 1), ("q12-b_x", 2**31 - 2)):
        with translation.override(language), timezone.override(zone):
            template = save_status_response(key, saved_at=saved_at, stored_sequence=sequence)
            built = saved_status_html(key, saved_at, sequence)
        assert built == template.content.decode()


@pytest.mark.parametrize(
    ("case", "data", "sequence", "status"),
    [
        ("bad answer", {"answer": "zz"}, 1, 400),
        ("bad sequence", {"answer": "a"}, 0, 400),
        ("huge sequence", {"answer": "a"}, 2**40, 400),
        ("unknown question", {"answer": "a"}, 1, 400),
        ("no sequence", {"answer": "a"}, None, 200),  # saved by the view, as before
    ],
)
def test_a_save_the_lean_path_leaves_is_answered_by_the_view_as_before(
    student_client: Client,
    make_assignment: MakeAssignment,
    case: str,
    data: dict[str, Any],
    sequence: int | None,
    status: int,
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    key = "no-such-question" if case == "unknown question" else "q01"

    answers = []
    for middleware in (settings.MIDDLEWARE, WHOLE_STACK):
        Response.objects.filter(attempt=attempt).delete()
        with (
            override_settings(MIDDLEWARE=middleware),
            time_machine.travel(dt.datetime(2025, 6, 2, 10, 42, 5, tzinfo=dt.UTC), tick=False),
            data_queries() as statements,
        ):
            response = save(
                client_like(student_client), assignment, key, data, token=token, sequence=sequence, htmx=True
            )
        assert not answered_lean(statements)
        answers.append(comparable(response))

    assert answers[0] == answers[1]
    assert answers[0][0] == status
    assert Response.objects.filter(attempt=attempt).exists() == (status == 200)


def test_a_stale_save_is_answered_by_the_view_with_its_notice(
    student_client: Client, make_assignment: MakeAssignment
) -> None:
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    assert answered_lean(lean_save(student_client, assignment, "q01", "b", token, 2)[1])

    response, statements = lean_save(student_client, assignment, "q01", "a", token, 1)

    assert response.status_code == 200 and "A newer answer" in response.content.decode()
    assert len(statements) > 1  # the lean statement wrote nothing; the view said why
    assert Response.objects.get(attempt=attempt).answer == "b"


# ----------------------------------------------------------------------------------------------------
# What the one statement must refuse


def refused(
    client: Client, assignment: Assignment, attempt: Attempt, token: str, *, sequence: int = 2
) -> Any:
    """A save the lean statement refuses: nothing written, and the view answers it."""
    before = list(Response.objects.filter(attempt=attempt).values_list("answer", "sequence"))
    response, statements = lean_save(client, assignment, "q01", "c", token, sequence)
    assert not answered_lean(statements)
    assert "ON CONFLICT" in statements[0] and "django_session" in statements[0]  # tried, wrote nothing
    assert list(Response.objects.filter(attempt=attempt).values_list("answer", "sequence")) == before
    return response


@pytest.fixture
def saving(student_client: Client, make_assignment: MakeAssignment) -> tuple[Assignment, Attempt, str]:
    """An attempt with q01 saved once through the lean path, and its page's token."""
    assignment = make_assignment()
    attempt, html = started(student_client, assignment)
    token = form_fields(html, "q01")["attempt"]
    assert answered_lean(lean_save(student_client, assignment, "q01", "a", token, 1)[1])
    return assignment, attempt, token


def test_a_signed_out_session_is_refused(student_client: Client, saving: Any) -> None:
    assignment, attempt, token = saving
    elsewhere = Client()
    elsewhere.cookies[settings.SESSION_COOKIE_NAME] = student_client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    elsewhere.post(reverse("logout"))  # the same session, signed out from another tab

    response = refused(student_client, assignment, attempt, token)

    assert response.status_code == 200 and response["HX-Redirect"].startswith(reverse("login"))


def test_an_expired_session_is_refused(student_client: Client, saving: Any) -> None:
    assignment, attempt, token = saving
    Session.objects.update(expire_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    cache.clear()  # cached_db: the cached copy expires with it

    response = refused(student_client, assignment, attempt, token)

    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_password_changed_elsewhere_is_refused(
    student_client: Client, class_student: User, saving: Any
) -> None:
    assignment, attempt, token = saving
    class_student.set_password("a new one, chosen elsewhere")
    class_student.save()

    response = refused(student_client, assignment, attempt, token)

    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_password_changed_in_this_session_keeps_saving_through_the_view(
    student_client: Client, saving: Any
) -> None:
    """Django gives the session a new key: the page's tokens no longer bind, so its saves go the whole way
    (and still land: the session is signed in)."""
    assignment, attempt, token = saving
    new = "Another-long-passphrase-42"
    changed = student_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302

    response, statements = lean_save(student_client, assignment, "q01", "b", token, 2)

    assert response.status_code == 200 and not answered_lean(statements)
    assert Response.objects.get(attempt=attempt).answer == "b"


def test_a_deactivated_user_is_refused(student_client: Client, class_student: User, saving: Any) -> None:
    assignment, attempt, token = saving
    User.objects.filter(pk=class_student.pk).update(is_active=False)

    response = refused(student_client, assignment, attempt, token)

    assert response["HX-Redirect"].startswith(reverse("login"))


def test_a_student_taken_out_of_the_class_is_refused(
    student_client: Client, class_student: User, teacher: User, saving: Any
) -> None:
    assignment, attempt, token = saving
    classroom_remove_student(teacher=teacher, classroom=assignment.classroom, student_id=class_student.pk)

    response = refused(student_client, assignment, attempt, token)

    assert response.status_code == 404


def test_a_submitted_attempt_is_refused(student_client: Client, class_student: User, saving: Any) -> None:
    assignment, attempt, token = saving
    attempt_submit(learner=class_student, attempt=attempt)

    response = refused(student_client, assignment, attempt, token)

    assert response.status_code == 409 and "submitted" in response.content.decode()


def test_a_late_attempt_is_refused_and_submitted(student_client: Client, saving: Any) -> None:
    assignment, attempt, token = saving
    Attempt.objects.filter(pk=attempt.pk).update(deadline=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    response = refused(student_client, assignment, attempt, token)

    assert response.status_code == 409
    assert Attempt.objects.get(pk=attempt.pk).state == AttemptState.SUBMITTED


def test_another_sessions_token_goes_the_whole_way(
    student_client: Client, class_student: User, saving: Any
) -> None:
    """A token bound to one session, sent with another session of the same student (another device), is
    not trusted for the lean path: the view saves it, authenticating the session itself."""
    assignment, attempt, token = saving
    other_device = Client()
    other_device.force_login(class_student)

    response, statements = lean_save(other_device, assignment, "q01", "b", token, 2)

    assert response.status_code == 200 and not answered_lean(statements)
    assert Response.objects.get(attempt=attempt).answer == "b"


def test_a_tampered_binding_goes_the_whole_way(student_client: Client, saving: Any) -> None:
    assignment, attempt, token = saving
    value, signature = token.rsplit(":", 1)
    forged = re.sub(r"\.[0-9a-f]{32}\.", "." + "0" * 32 + ".", value, count=1) + ":" + signature

    response, statements = lean_save(student_client, assignment, "q01", "b", forged, 2)

    assert not answered_lean(statements)
    assert response.status_code == 200  # the view ignores the bad token and finds the attempt itself
    assert Response.objects.get(attempt=attempt).answer == "b"


def test_csrf_is_checked(class_student: User, make_assignment: MakeAssignment) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(class_student)
    assignment = make_assignment()
    assert client.get(reverse("lessons:assignment_home", args=[assignment.pk])).status_code == 200
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    attempt, html = started_with_csrf(client, assignment, csrf)
    token = form_fields(html, "q01")["attempt"]
    url = save_url(assignment, "q01")
    fields = {"attempt": token, "sequence": 1, "answer": "a"}

    with data_queries() as statements:
        forbidden = client.post(url, fields, headers=HTMX)
    assert forbidden.status_code == 403 and not any("ON CONFLICT" in sql for sql in statements)
    assert not Response.objects.filter(attempt=attempt).exists()

    with data_queries() as statements:
        allowed = client.post(url, fields, headers={**HTMX, "X-CSRFToken": csrf})
    assert allowed.status_code == 200 and answered_lean(statements)


def started_with_csrf(client: Client, assignment: Assignment, csrf: str) -> tuple[Attempt, str]:
    assert client.post(take_url(assignment), headers={"X-CSRFToken": csrf}).status_code == 303
    page = client.get(take_url(assignment))
    return Attempt.objects.get(assignment=assignment, state=AttemptState.OPEN), page.content.decode()


def test_an_outage_is_the_same_503(class_student: User, make_assignment: MakeAssignment) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(class_student)
    assignment = make_assignment()
    attempt, html = started(client, assignment)
    token = form_fields(html, "q01")["attempt"]

    answers = []
    for middleware in (settings.MIDDLEWARE, WHOLE_STACK):
        with override_settings(MIDDLEWARE=middleware), database_down():
            response = save(client, assignment, "q01", {"answer": "a"}, token=token, sequence=1, htmx=True)
        answers.append(comparable(response))

    assert answers[0] == answers[1]
    assert answers[0][0] == 503 and answers[0][2]["Retry-After"] == "30"
    assert not Response.objects.filter(attempt=attempt).exists()


# ----------------------------------------------------------------------------------------------------
# Sessions whose saves always go the whole way


def test_a_teachers_session_gets_no_binding(
    teacher: User, make_assignment: MakeAssignment, classroom: Any
) -> None:
    """A teacher's session must pass the idle logout on every request: its pages' tokens bind nothing."""
    client = Client()
    client.force_login(teacher)
    classroom.enrollments.create(student=teacher)
    assignment = make_assignment()
    _attempt, html = started(client, assignment)

    response, statements = lean_save(client, assignment, "q01", "a", form_fields(html, "q01")["attempt"], 1)

    assert response.status_code == 200 and not answered_lean(statements)


def test_a_session_that_becomes_a_teachers_changes_its_key(student_client: Client, saving: Any) -> None:
    assignment, _attempt, token = saving
    before = student_client.cookies[settings.SESSION_COOKIE_NAME].value
    student_client.get(reverse("lessons:teacher_dashboard"))  # any teach/ page marks the session

    assert student_client.cookies[settings.SESSION_COOKIE_NAME].value != before
    response, statements = lean_save(student_client, assignment, "q01", "b", token, 2)
    assert response.status_code == 200 and not answered_lean(statements)


def test_a_session_held_to_a_one_time_password_gets_no_binding(
    student_client: Client, class_student: User
) -> None:
    """(The flag is set at login, which gives the session a new key, and its pages are the password change
    until it is cleared: no take page of it could carry a binding anyway.)"""
    session = student_client.session
    request = HttpRequest()
    request.session, request.user = session, class_student
    assert session_binding(request) != ""
    session[SESSION_TEMPORARY_PASSWORD] = True
    assert session_binding(request) == ""
    session[SESSION_TEMPORARY_PASSWORD] = False
    session[SESSION_TEACHING] = True
    assert session_binding(request) == ""


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache")
def test_with_sessions_only_in_the_cache_every_save_goes_the_whole_way(
    class_student: User, make_assignment: MakeAssignment
) -> None:
    """The statement cannot see a cache-only session (a sign-out would go unnoticed): no binding."""
    client = Client()
    client.force_login(class_student)
    assignment = make_assignment()
    attempt, html = started(client, assignment)

    response, statements = lean_save(client, assignment, "q01", "a", form_fields(html, "q01")["attempt"], 1)

    assert response.status_code == 200 and not any("django_session" in sql for sql in statements)
    assert Response.objects.get(attempt=attempt).answer == "a"
