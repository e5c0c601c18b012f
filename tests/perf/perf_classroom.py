"""Benchmark (not a test): the gradebook and the item analysis on PostgreSQL at classroom scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python tests/perf/perf_classroom.py
    make bench

DATABASE_URL names a server and a database to connect to for administration; the benchmark creates its own
scratch database next to it (``quizsite_perf``, or $PERF_DATABASE), migrates it, fills it with bulk inserts,
and drops it at the end. It times, as the median of 20 runs after a warm-up:

- the gradebook of a class of 200 students × one assignment of a 30-question lesson (6,000 responses):
  the selector alone, and the whole page through Django's test client (middleware, session, rendering);
- the item analysis of an assignment taken by 2,000 students × 30 questions (60,000 responses):
  the selector alone, and the whole page.

Targets (server time of the page): gradebook under 50 ms, item analysis under 100 ms. Every timing is also
given as a ratio to a bare Django view (an empty response through the same middleware, session and login)
timed in the same run, which stays comparable between a quiet and a busy machine. The file's name does not
start with ``test_``, so pytest never collects it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RUNS = 20
GRADEBOOK_STUDENTS = 200
ANALYSIS_STUDENTS = 2_000
QUESTIONS = 30
TARGETS_MS = {"gradebook": 50.0, "item analysis": 100.0}
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def scratch_database_url() -> tuple[str, str, str]:
    """(admin URL, scratch URL, scratch database name) from $DATABASE_URL."""
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://user@host:port/db (the benchmark is for PostgreSQL).")
    name = os.environ.get("PERF_DATABASE", "quizsite_perf")
    parts = urlsplit(admin_url)
    return admin_url, urlunsplit(parts._replace(path=f"/{name}")), name


def admin_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def thirty_question_lesson() -> dict[str, Any]:
    """The first fixture lesson (24 questions) with closed questions repeated under new ids up to 30."""
    data = json.loads((ROOT / "fixtures" / "lessons" / "venezuela-military-aid.json").read_text("utf-8"))
    data["lesson"]["slug"] = "perf-lesson"
    closed = [q for q in data["questions"] if q["kind"] in ("single_choice", "multiple_select", "true_false")]
    number = len(data["questions"])
    while len(data["questions"]) < QUESTIONS:
        extra = copy.deepcopy(closed[(number - 22) % len(closed)])
        number += 1
        extra["id"] = f"q{number:02d}"
        data["questions"].append(extra)
    return data


def sample_answer(question: dict[str, Any], n: int) -> Any:
    options = [o["id"] for o in question["options"]]
    kind = question["kind"]
    if kind == "single_choice":
        return options[n % len(options)]
    if kind == "multiple_select":
        return options[: 1 + n % len(options)]
    if kind == "true_false":
        return n % 3 != 0
    if kind == "open_response":
        return "An open answer written by a student."
    if kind == "short_answer":
        return question["answer"]["accepted"][0]
    return question["answer"]["correct"]  # other kinds: the key itself, a valid answer


def fill(lesson: Any, teacher: Any, students: int, prefix: str) -> tuple[Any, Any]:
    """A class of `students` with one assignment and a submitted attempt (nearly) each, every question
    answered. Bulk inserts; scores are plausible, not graded (the statistics only need numbers)."""
    from django.contrib.auth.models import User

    from lessons.models import Attempt, AttemptState, Enrollment, Response
    from lessons.services.classroom import assignment_create, classroom_create

    classroom = classroom_create(teacher=teacher, name=f"{prefix} class")
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{n:05d}", first_name=f"First{n}", last_name=f"Last{n:05d}", password="!")
            for n in range(students)
        ],
        batch_size=2_000,
    )
    Enrollment.objects.bulk_create(
        [Enrollment(classroom=classroom, student=user) for user in users], batch_size=2_000
    )
    assignment = assignment_create(
        classroom=classroom,
        lesson=lesson,
        by=teacher,
        opens_at=T0 - dt.timedelta(days=1),
        due_at=T0 + dt.timedelta(days=1),
    )
    questions = assignment.revision.content["questions"]
    possible = sum(q["points"] + q["evidence_part"] for q in questions)
    attempts = []
    for n, user in enumerate(users):
        state = AttemptState.OPEN if n % 20 == 19 else AttemptState.SUBMITTED
        attempts.append(
            Attempt(
                learner=user,
                assignment=assignment,
                revision=assignment.revision,
                lesson=lesson,
                state=state,
                submitted_at=T0 + dt.timedelta(minutes=30) if state == AttemptState.SUBMITTED else None,
                earned=Decimal(0) if state == AttemptState.SUBMITTED else None,
                possible=possible,
                is_late=n % 25 == 0,
            )
        )
    attempts = Attempt.objects.bulk_create(attempts, batch_size=2_000)
    Attempt.objects.filter(assignment=assignment).update(started_at=T0)
    responses = []
    totals: dict[int, Decimal] = {}
    for n, attempt in enumerate(attempts):
        total = Decimal(0)
        times = [
            T0 + dt.timedelta(seconds=20 * (index + 1) + (n * 13 + index * 7) % 40)
            for index in range(len(questions))
        ]
        ordered = sorted(times)
        for index, question in enumerate(questions):
            points = question["points"] + question["evidence_part"]
            open_kind = question["kind"] == "open_response"
            earned = None if open_kind and n % 4 else Decimal((n * 7 + index * 3) % (points + 1))
            total += earned or 0
            at = times[index]
            before = ordered[ordered.index(at) - 1] if ordered.index(at) else T0
            responses.append(
                Response(
                    attempt=attempt,
                    question_key=question["id"],
                    kind=question["kind"],
                    focus=question["focus"],
                    answer=sample_answer(question, n + index),
                    first_saved_at=at,
                    seconds_to_answer=(at - before).total_seconds(),
                    saved_at=at,
                    earned=earned,
                    possible=points,
                    correct=earned == points,
                    needs_teacher=open_kind,
                )
            )
        totals[attempt.pk] = total
        if len(responses) >= 10_000:
            Response.objects.bulk_create(responses)
            responses = []
    Response.objects.bulk_create(responses)
    for attempt in attempts:
        if attempt.state == AttemptState.SUBMITTED:
            attempt.earned = totals[attempt.pk]
    Attempt.objects.bulk_update(attempts, ["earned"], batch_size=2_000)
    return classroom, assignment


def use_urls_with_bare_view() -> str:
    """Serve the project's URLs plus a bare view, and return the bare view's path."""
    import types

    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.urls import clear_url_caches, include, path

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType("perf_urls")
    module.urlpatterns = [path("perf/bare/", bare), path("", include(settings.ROOT_URLCONF))]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()
    return "/perf/bare/"


def median_ms(action: Callable[[], object]) -> float:
    action()  # warm-up: connection, template loading, caches
    action()
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    admin_url, scratch_url, name = scratch_database_url()
    admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = scratch_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "quizsite.settings.test"
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lessons.models import Response
    from lessons.selectors import classroom as selectors
    from lessons.services import lesson_import
    from lessons.services.classroom import teacher_make

    print(f"PostgreSQL scratch database {connection.settings_dict['NAME']!r}: migrating and filling…")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    lesson = lesson_import(data=thirty_question_lesson())
    teacher = User.objects.create_user("perf-teacher", password="perf-password-1")
    teacher_make(user=teacher)
    gradebook_class, _assignment = fill(lesson, teacher, GRADEBOOK_STUDENTS, "g")
    _analysis_class, analysed = fill(lesson, teacher, ANALYSIS_STUDENTS, "a")
    with connection.cursor() as cursor:
        # Settle the freshly filled tables (visibility map, statistics) so autovacuum does not run mid-timing.
        cursor.execute("VACUUM ANALYZE")
    responses = Response.objects.filter(attempt__assignment=analysed).count()
    print(
        f"  filled in {time.perf_counter() - started:.1f} s: gradebook {GRADEBOOK_STUDENTS} students × "
        f"{len(lesson.published_revision.content['questions'])} questions; item analysis over "
        f"{responses:,} responses"
    )

    client = Client()
    client.force_login(teacher)
    bare_url = use_urls_with_bare_view()
    gradebook_url = reverse("lessons:gradebook", args=[gradebook_class.pk])
    analysis_url = reverse("lessons:item_analysis", args=[analysed.pk])

    def page(url: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    def book() -> None:
        selectors.gradebook(gradebook_class).rows()

    def analysis() -> None:
        selectors.item_analysis(analysed)

    for url in (gradebook_url, analysis_url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"  {url}: {len(queries)} queries")

    bare_ms = median_ms(page(bare_url))
    results = [
        ("bare Django view", bare_ms, None),
        ("gradebook selector", median_ms(book), None),
        ("gradebook page", median_ms(page(gradebook_url)), TARGETS_MS["gradebook"]),
        ("item analysis selector", median_ms(analysis), None),
        ("item analysis page", median_ms(page(analysis_url)), TARGETS_MS["item analysis"]),
    ]
    print(f"Median of {RUNS} runs (server time, in-process test client; × = ratio to the bare view):")
    for label, ms, target in results:
        met = target is None or ms < target
        verdict = "" if target is None else f"  target < {target:.0f} ms: {'met' if met else 'MISSED'}"
        print(f"  {label:<24} {ms:8.1f} ms {ms / bare_ms:7.1f} ×{verdict}")


if __name__ == "__main__":
    main()
