"""The hostile-input catalogue: very long strings, NUL, bytes that are not UTF-8 (a lone surrogate's),
bidirectional overrides, huge integers, wrong JSON types and unknown ids, sent to every form, the autosave,
the roster upload, the lesson file import and the query strings. Each is refused or harmless: never a 5xx,
and a refused request changes nothing.

Bodies are sent as raw urlencoded bytes, so a value can hold what a browser could send but Python's test
client would not encode (`%ED%A0%80`, the UTF-8 form of a lone surrogate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lessons.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    FeedbackRelease,
    Lesson,
    Preferences,
    Response,
    TemporaryPassword,
)
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    classroom_join,
)
from lessons.services.people import teacher_verify

pytestmark = pytest.mark.django_db

OPEN_RESPONSE_KEY = "q22"  # the first lesson's open-response question


@dataclass(frozen=True)
class Site:
    teacher: User
    student: User
    classmate: User
    classroom: Classroom
    assignment: Assignment
    open_attempt: Attempt
    to_grade: Response


@pytest.fixture
def site(first_lesson: Lesson, django_user_model: type[User]) -> Site:
    teacher = django_user_model.objects.create_user("rivera", password="Quiet-harbour-1947")
    teacher_verify(teacher=teacher, by=None)  # may import a roster (rule 12)
    student = django_user_model.objects.create_user("amina", password="Quiet-harbour-1947")
    classmate = django_user_model.objects.create_user("bruno", password="Quiet-harbour-1947")
    classroom = classroom_create(teacher=teacher, name="Civics 9B")
    assert classroom.join_code is not None
    classroom_join(student=student, code=classroom.join_code)
    classroom_join(student=classmate, code=classroom.join_code)
    now = timezone.now()
    assignment = assignment_create(
        classroom=classroom,
        lesson=first_lesson,
        by=teacher,
        opens_at=now - dt.timedelta(days=1),
        due_at=now + dt.timedelta(days=7),
        feedback_release=FeedbackRelease.MANUAL,
    )
    open_attempt = assignment_attempt_start(assignment=assignment, student=student)
    submitted = assignment_attempt_start(assignment=assignment, student=classmate)
    response_save(
        learner=classmate, attempt=submitted, question_key=OPEN_RESPONSE_KEY, answer="They sent weapons."
    )
    attempt_submit(learner=classmate, attempt=submitted)
    to_grade = Response.objects.get(attempt=submitted, question_key=OPEN_RESPONSE_KEY)
    return Site(teacher, student, classmate, classroom, assignment, open_attempt, to_grade)


LONG = "x" * 100_000
NUL = "a\x00b"
SURROGATE = "%ED%A0%80"  # already percent-encoded: sent as is
BIDI = "Civics \u202e9B"
HUGE = "9" * 40
BEYOND_COLUMN = str(2**31)
BEYOND_BIGINT = str(2**63)
JSON_LIST = "[]"
JSON_OBJECT = '{"a": 1}'

WATCHED: list[type[Model]] = [
    User,
    Classroom,
    Enrollment,
    Assignment,
    Attempt,
    Response,
    Lesson,
    Preferences,
    TemporaryPassword,
]


def state() -> dict[str, Any]:
    """What a refused request must leave as it was: the rows, and every answer, grade and class name."""
    return {
        "counts": {model.__name__: model.objects.count() for model in WATCHED},
        "responses": sorted(
            Response.objects.values_list("pk", "answer", "sequence", "earned", "version", "teacher_comment")
        ),
        "classes": sorted(Classroom.objects.values_list("pk", "name", "join_code", "archived_at")),
        "users": sorted(User.objects.values_list("pk", "username", "first_name", "password")),
    }


def encoded(value: str) -> str:
    return value if value == SURROGATE else quote(value, safe="")


def form_body(fields: dict[str, str]) -> str:
    return "&".join(f"{name}={encoded(value)}" for name, value in fields.items())


def post_form(client: Client, url: str, fields: dict[str, str], **headers: str) -> Any:
    return client.post(
        url, form_body(fields), content_type="application/x-www-form-urlencoded", headers=headers
    )


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def take_token(client: Client, assignment: Assignment) -> str:
    """The attempt token the student's take page gives the answer forms."""
    html = client.get(reverse("lessons:assignment_take", args=[assignment.pk])).content.decode()
    return html.split('name="attempt" value="', 1)[1].split('"', 1)[0]


# ---- forms ------------------------------------------------------------------------------------------

Request = Callable[[Site, str], Any]


def new_class(site: Site, value: str) -> Any:
    return post_form(as_user(site.teacher), reverse("lessons:classroom_new"), {"name": value})


def add_coteacher(site: Site, value: str) -> Any:
    url = reverse("lessons:classroom_coteacher_add", args=[site.classroom.pk])
    return post_form(as_user(site.teacher), url, {"username": value})


def join_class(site: Site, value: str) -> Any:
    return post_form(as_user(site.student), reverse("lessons:join_class"), {"code": value})


def choose_time_zone(site: Site, value: str) -> Any:
    return post_form(as_user(site.student), reverse("profile"), {"time_zone": value})


def sign_up(site: Site, value: str) -> Any:
    password = "Quiet-harbour-1947"
    return post_form(
        Client(), reverse("signup"), {"username": value, "password1": password, "password2": password}
    )


def log_in(site: Site, value: str) -> Any:
    return post_form(Client(), reverse("login"), {"username": value, "password": value})


def new_assignment(field: str) -> Request:
    def send(site: Site, value: str) -> Any:
        now = dt.datetime.now()
        fields = {
            "lesson": str(site.assignment.lesson_id),
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "tz": "UTC",
            "attempts_allowed": "1",
            "feedback_release": "after_submit",
            "late_policy": "refuse",
            field: value,
        }
        return post_form(
            as_user(site.teacher), reverse("lessons:assignment_new", args=[site.classroom.pk]), fields
        )

    return send


def grade(field: str) -> Request:
    def send(site: Site, value: str) -> Any:
        fields = {
            "criterion-r1": "1",
            "criterion-r2": "1",
            "criterion-r3": "1",
            "version": "0",
            "comment": "",
        }
        fields[field] = value
        url = reverse("lessons:grade_response", args=[site.to_grade.pk])
        return post_form(as_user(site.teacher), url, fields)

    return send


def roster_box(site: Site, value: str) -> Any:
    url = reverse("lessons:students_import", args=[site.classroom.pk])
    return post_form(as_user(site.teacher), url, {"names": f"Ana,García\n{value},{value}\n"})


NAMES = [LONG, NUL, SURROGATE, BIDI]
NUMBERS = [HUGE, BEYOND_COLUMN, BEYOND_BIGINT, "-1", "1e9", JSON_LIST, JSON_OBJECT, NUL, SURROGATE]

# Each target with the values it must refuse (a value it may accept, such as a class named "9999", is left
# out). One site is built per target, and every value is sent to it in turn.
FORM_CASES: dict[str, tuple[Request, list[str]]] = {
    "new-class": (new_class, [LONG, NUL, BIDI, "   "]),
    "co-teacher": (add_coteacher, [LONG, NUL, SURROGATE, BIDI, HUGE, "nobody-here"]),
    "join": (join_class, [LONG, NUL, SURROGATE, BIDI, HUGE, JSON_LIST]),
    "time-zone": (choose_time_zone, [LONG, NUL, SURROGATE, "Mars/Olympus", JSON_LIST]),
    "sign-up": (sign_up, [LONG, NUL, SURROGATE, BIDI, JSON_OBJECT]),
    "log-in": (log_in, [LONG, NUL, SURROGATE, HUGE]),
    "assignment-lesson": (new_assignment("lesson"), [HUGE, BEYOND_BIGINT, "0", "x", *NAMES]),
    "assignment-attempts": (new_assignment("attempts_allowed"), NUMBERS),
    "assignment-time-limit": (new_assignment("time_limit_minutes"), NUMBERS),
    "assignment-opens": (new_assignment("opens_at"), ["99999-01-01T00:00", "0001-01-01T00:00", *NAMES]),
    "assignment-tz": (new_assignment("tz"), ["Mars/Olympus", *NAMES]),
    "assignment-release": (new_assignment("feedback_release"), [JSON_LIST, *NAMES]),
    "grade-score": (grade("criterion-r1"), NUMBERS),
    "grade-version": (grade("version"), NUMBERS),
    "grade-comment": (grade("comment"), [LONG, NUL]),
    "roster-box": (roster_box, [LONG, NUL, BIDI]),
}


@pytest.mark.parametrize("target", FORM_CASES)
def test_a_hostile_form_value_is_refused_and_changes_nothing(site: Site, target: str) -> None:
    send, values = FORM_CASES[target]
    before = state()

    for value in values:
        response = send(site, value)

        assert response.status_code < 500, value[:40]
        assert state() == before, value[:40]


# ---- autosave ---------------------------------------------------------------------------------------

AUTOSAVE_CASES: dict[str, list[tuple[dict[str, str], str]]] = {
    "sequence": [({"answer": "a", "sequence": value}, "q01") for value in NUMBERS],
    "answer": [({"answer": value, "sequence": "1"}, "q01") for value in [*NAMES, HUGE, JSON_LIST, "zzz"]],
    "evidence": [({"answer": "a", "evidence": value, "sequence": "1"}, "q01") for value in [*NAMES, HUGE]],
    "unknown-question": [({"answer": "a", "sequence": "1"}, key) for key in ["q99", "x" * 200]],
}


@pytest.mark.parametrize("target", AUTOSAVE_CASES)
def test_a_hostile_autosave_is_refused_and_changes_nothing(site: Site, target: str) -> None:
    client = as_user(site.student)
    token = take_token(client, site.assignment)
    before = state()

    for fields, question_key in AUTOSAVE_CASES[target]:
        url = reverse("lessons:assignment_save", args=[site.assignment.pk, question_key])
        for headers in ({}, {"HX-Request": "true"}):
            response = post_form(client, url, {"attempt": token, **fields}, **headers)

            assert response.status_code < 500, (fields, headers)
            assert state() == before, (fields, headers)


def test_a_forged_attempt_token_reaches_only_the_students_own_attempt(site: Site) -> None:
    client = as_user(site.classmate)  # submitted: a save must be refused, whatever the token says
    before = state()
    url = reverse("lessons:assignment_save", args=[site.assignment.pk, "q01"])

    for token in [
        LONG,
        NUL,
        SURROGATE,
        HUGE,
        JSON_OBJECT,
        take_token(as_user(site.student), site.assignment),
    ]:
        response = post_form(client, url, {"attempt": token, "answer": "a", "sequence": "1"})

        assert response.status_code < 500, token[:40]
        assert state() == before, token[:40]


# ---- roster upload ----------------------------------------------------------------------------------

HOSTILE_ROSTERS = [
    b"\xff\xfe\x00A\x00n\x00a",  # UTF-16
    b"Ana,Garc\xed\xa0\x80a\n",  # a lone surrogate's bytes
    b"Ana,Gar\x00cia\n",
    "Ana,Gar\u202ecía\n".encode(),
    b"Solo\n" * 20_000,  # too big
    b"Ana," + b"x" * 90_000 + b"\n",
    b'"unclosed,quote\nBen,Okoro\n',
    b"=cmd|' /C calc'!A0,Evil\n",
]


def test_a_hostile_roster_file_is_refused_and_changes_nothing(site: Site) -> None:
    client = as_user(site.teacher)
    before = state()

    for content in HOSTILE_ROSTERS:
        response = client.post(
            reverse("lessons:students_import", args=[site.classroom.pk]),
            {"csv_file": SimpleUploadedFile("roster.csv", content, content_type="text/csv")},
        )

        assert response.status_code == 400, content[:40]
        assert state() == before, content[:40]


# ---- lesson files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": "quizsite.lesson", "format": "quizsite.lesson"}',
        b'{"format": "quizsite.lesson\\u0000"}',
        b'{"format": "\\ud800"}',
        b'{"format": "quizsite.lesson", "version": ' + HUGE.encode() + b"}",
        b'{"format": "quizsite.lesson", "version": 1, "lesson": []}',
        b"\xed\xa0\x80",
        b"[]",
        b"1e999999",
    ],
    ids=["deep", "twice", "nul", "surrogate", "huge-int", "wrong-type", "not-utf8", "a-list", "huge-float"],
)
def test_a_hostile_lesson_file_is_refused_by_the_import_command(tmp_path: Path, content: bytes) -> None:
    lesson_file = tmp_path / "hostile.json"
    lesson_file.write_bytes(content)
    before = state()

    with pytest.raises(CommandError):
        call_command("import_lesson", str(lesson_file))

    assert state() == before


# ---- query strings ----------------------------------------------------------------------------------

QUERY_VALUES = [LONG, NUL, SURROGATE, BIDI, HUGE, BEYOND_BIGINT, JSON_LIST, "-1"]
QUERY_TARGETS: dict[str, tuple[str, Callable[[Site], str], str]] = {
    "home-q": ("anonymous", lambda site: reverse("lessons:home"), "q"),
    "home-level": ("anonymous", lambda site: reverse("lessons:home"), "level"),
    "home-focus": ("anonymous", lambda site: reverse("lessons:home"), "focus"),
    "login-next": ("anonymous", lambda site: reverse("login"), "next"),
    "play-attempt": (
        "student",
        lambda site: reverse("lessons:play", args=[site.assignment.lesson.slug]),
        "attempt",
    ),
    "results-attempt": (
        "student",
        lambda site: reverse("lessons:assignment_results_student", args=[site.assignment.pk]),
        "attempt",
    ),
    "review": ("student", lambda site: reverse("lessons:review"), "page"),
    "gradebook": ("teacher", lambda site: reverse("lessons:gradebook", args=[site.classroom.pk]), "sort"),
    "csv": ("teacher", lambda site: reverse("lessons:gradebook_csv", args=[site.classroom.pk]), "sort"),
    "grading": ("teacher", lambda site: reverse("lessons:grading_queue", args=[site.assignment.pk]), "page"),
}


def test_a_hostile_query_string_is_never_a_server_error(site: Site) -> None:
    clients = {"anonymous": Client(), "student": as_user(site.student), "teacher": as_user(site.teacher)}
    before = state()

    for name, (who, url_of, parameter) in QUERY_TARGETS.items():
        for value in QUERY_VALUES:
            response = clients[who].get(f"{url_of(site)}?{parameter}={encoded(value)}")

            assert response.status_code < 500, (name, value[:40])
    assert state() == before


HOSTILE_PATHS = [
    f"/teach/classes/{HUGE}/",
    f"/teach/classes/{BEYOND_BIGINT}/gradebook/",
    f"/teach/attempts/{HUGE}/",
    f"/teach/responses/{BEYOND_BIGINT}/grade/",
    f"/assignments/{HUGE}/",
    f"/attempts/{BEYOND_BIGINT}/",
    f"/review/{HUGE}/answer/",
    "/lessons/%ED%A0%80/",
    "/lessons/" + "x" * 5_000 + "/",
]


def test_an_unknown_or_huge_id_in_a_path_is_a_404_never_a_500(site: Site) -> None:
    client = as_user(site.teacher)
    before = state()

    for path in HOSTILE_PATHS:
        for method in (client.get, client.post):
            response = method(path)

            assert response.status_code in {404, 405}, (path[:60], method.__name__)
    assert state() == before
