"""Profiler (not a test): where one request's time goes, under the production settings, one at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qs_perf .venv/bin/python tests/perf/profile_requests.py

It makes a scratch database next to $DATABASE_URL's (as `make bench-load` does), seeds a 22-question lesson
and a class with started attempts, then sends autosave, player and submit requests through Django's test
client (the whole middleware stack, sessions from the cache) and prints the mean wall time of each and
cProfile's functions by time spent inside them (`--top`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from perf_classroom import admin_execute, scratch_database_url  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--only", default="", help="comma-separated: autosave,player,submit,start")
    parser.add_argument("--queries", action="store_true", help="time each statement of one request each")
    args = parser.parse_args()
    os.environ.setdefault("PERF_DATABASE", "qs_perf_profile")
    admin_url, scratch_url, name = scratch_database_url()
    admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "DATABASE_URL": scratch_url,
            "SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_SETTINGS_MODULE": "quizsite.settings.production",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("REDIS_URL", None)
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from bench_load import answer_all, class_of, closed_questions, form, seed_site
    from django.test import Client
    from perf_classroom import sample_answer

    lesson, revision, teacher = seed_site("profile-teacher")
    students = class_of(lesson, teacher, 20, "p", started=True)
    submitters = class_of(lesson, teacher, args.requests + 10, "q", started=True)
    answer_all(submitters, revision)
    starters = iter(class_of(lesson, teacher, args.requests + 10, "r", started=False))
    questions = {q["id"]: q for q in closed_questions(revision)}

    # One client (its handler loads the middleware once, as a worker does), a student's cookies each time.
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)

    def client_of(student) -> Client:  # type: ignore[no-untyped-def]
        client.cookies.clear()
        client.cookies["sessionid"] = student.session
        client.cookies["csrftoken"] = student.csrf
        return client

    counter = iter(range(10**9))

    def autosave() -> int:
        n = next(counter)
        student = students[n % len(students)]
        key = list(student.tokens)[n % len(student.tokens)]
        student.sequences[key] = student.sequences.get(key, 0) + 1
        body = {
            "attempt": student.tokens[key],
            "sequence": student.sequences[key],
            "answer": sample_answer(questions[key], student.sequences[key]),
        }
        body = {name: ("true" if v is True else "false" if v is False else v) for name, v in body.items()}
        response = client_of(student).post(
            f"/assignments/{student.assignment_id}/save/{key}/", body, HTTP_HX_REQUEST="true",
            HTTP_X_CSRFTOKEN=student.csrf,
        )  # fmt: skip
        if response.status_code == 400 and os.environ.get("PROFILE_SHOW_400"):
            print(key, body, response.content[:300])
        return response.status_code

    def player() -> int:
        student = students[next(counter) % len(students)]
        return client_of(student).get(f"/assignments/{student.assignment_id}/take/").status_code

    queue = iter(submitters)

    def submit() -> int:
        student = next(queue)
        return client_of(student).post(
            f"/assignments/{student.assignment_id}/submit/", {"attempt": student.attempt_id},
            HTTP_X_CSRFTOKEN=student.csrf,
        ).status_code  # fmt: skip

    def start() -> int:
        student = next(starters)
        path = f"/assignments/{student.assignment_id}/take/"
        return client_of(student).post(path, {}, HTTP_X_CSRFTOKEN=student.csrf).status_code

    del form
    chosen = [name for name in args.only.split(",") if name] or ["autosave", "player", "submit", "start"]
    endpoints = {"autosave": autosave, "player": player, "submit": submit, "start": start}
    for name, request in endpoints.items():
        if name not in chosen:
            continue
        for _ in range(5):  # warm-up: caches, templates, connections
            request()
        if args.queries:
            show_statements(name, request)
        statuses: dict[int, int] = {}
        started = time.perf_counter()
        cpu = time.process_time()
        count = args.requests if name not in ("submit", "start") else args.requests - 10
        for _ in range(count):
            status = request()
            statuses[status] = statuses.get(status, 0) + 1
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(min(count, 50) if name not in ("submit", "start") else 5):
            request()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        each = f"{1000 * wall / count:.2f} ms wall, {1000 * cpu / count:.2f} ms CPU each"
        print(f"== {name}: {count} requests, {each}; statuses {statuses}")
        print(out.getvalue())


def show_statements(name: str, request: Any) -> None:
    """Each statement of one request: its time and its start."""
    from django.db import connection

    timings: list[tuple[float, str]] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(timed):
        request()
    print(f"== {name}: {len(timings)} statements")
    for seconds, sql in timings:
        print(f"  {1000 * seconds:7.2f} ms  {sql[:160]}")


if __name__ == "__main__":
    main()
