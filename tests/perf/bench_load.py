"""Benchmark (not a test): the site under gunicorn on PostgreSQL against a bare Django view, and class days.

    make bench-load            (DATABASE_URL=postgres://… names the server; default the local one)
    .venv/bin/python tests/perf/bench_load.py --class-day 200,500,1000 --chaos --json bench.json

It makes a scratch database next to $DATABASE_URL's (``qs_perf_bench``, or $PERF_DATABASE), migrates and
seeds it, collects the static files, and starts two gunicorns with the site's settings file
(quizsite/gunicorn_conf.py): the site under production settings, and the yardstick (tests/perf/yardstick.py,
one view doing one primary-key SELECT, "db1") on the same database. Then:

1. Endpoints: for autosave, the player (the assignment page of a 22-question lesson), submit + score, the
   gradebook and the item analysis, a run of db1 and a run of the endpoint, alternating, each
   `--seconds` long with `--connections` keep-alive connections; requests/s, p50, p99 and the ratio of
   requests/s to the db1 run just before.
2. Class days: N students (each `--class-day` value) start within 10 s (start, load the player), save an
   answer every 15 s ± 5 s for `--day-seconds`, then submit; saves that fail are retried with the same
   sequence, as the page does. Errors by kind and latency by endpoint.
3. With `--chaos`, one more class day during which one gunicorn worker is killed with SIGKILL, and with
   `--restart-postgres` PostgreSQL is restarted too (pg_ctlcluster; this disturbs everything else using that
   server: run it once).

Every class day ends with the lost-answer check against the database: every acknowledged save is stored
with its sequence or a newer one (0 lost, 0 stale overwrites), every student's attempt is submitted once
with the score of its stored answers (0 double submits). The machine may be shared: the ratios, each to the
yardstick of the same run, are the figures to compare. The file's name does not start with ``test_``, so
pytest never collects it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from perf_classroom import admin_execute, fill, sample_answer, scratch_database_url  # noqa: E402

APP_PORT, YARDSTICK_PORT = 18431, 18432
CLOSED_KINDS = ("single_choice", "true_false", "multiple_select")
TOKEN = re.compile(r'id="question-([\w-]+)".*?name="attempt" value="([^"]+)"', re.S)


# ----------------------------------------------------------------------------------------------------
# A small HTTP/1.1 client (keep-alive, Content-Length or chunked): lighter on the shared CPU than a library


class HttpError(Exception):
    pass


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, *, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                return await self._exchange(method, path, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                await self.close()
                if attempt == 2:
                    raise HttpError(type(error).__name__) from error
        raise AssertionError("unreachable")

    async def _exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed")
        status = int(status_line.split()[1])
        received: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            received[name.strip().lower()] = value.strip()
        if "content-length" in received:
            content = await self.reader.readexactly(int(received["content-length"]))
        elif received.get("transfer-encoding") == "chunked":
            parts = []
            while (size := int((await self.reader.readline()).strip(), 16)) > 0:
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            content = b"".join(parts)
        else:
            content = await self.reader.read()
            await self.close()
        if received.get("connection", "").lower() == "close":
            await self.close()
        return status, received, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


@dataclass
class Student:
    username: str
    session: str
    csrf: str
    assignment_id: int
    attempt_id: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)

    def headers(self, htmx: bool = False) -> dict[str, str]:
        headers = {"Cookie": f"sessionid={self.session}; csrftoken={self.csrf}", "X-CSRFToken": self.csrf}
        if htmx:
            headers["HX-Request"] = "true"
        return headers


def form(fields: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, "true" if item is True else "false" if item is False else str(item)))
    return urlencode(pairs).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


# ----------------------------------------------------------------------------------------------------
# Seeding (in this process, with the site's own services, against the scratch database)


def session_for(user: Any) -> str:
    return sessions_for([user])[0]


def sessions_for(users: list[Any]) -> list[str]:
    """A signed-in session for each user, as logging in makes it (bulk inserts): with what the login's
    receivers keep in it (lessons.web.signals) for a student."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from lessons.services.people import SESSION_LAST_SEEN
    from lessons.web.context_processors import SESSION_KEY as NAV_IS_TEACHER

    store, keys, rows = SessionStore(), [], []
    now = timezone.now()
    expires = now + dt.timedelta(days=1)
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
            SESSION_LAST_SEEN: int(now.timestamp()),
            NAV_IS_TEACHER: [user.pk, False, now.timestamp()],
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=2_000)
    return keys


def seed_site(teacher_name: str) -> tuple[Any, Any, Any]:
    """A migrated database with the static files collected, the first lesson published and a teacher:
    (lesson, its revision, the teacher)."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from lessons.services import lesson_import
    from lessons.services.classroom import teacher_make

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    data = json.loads((ROOT / "fixtures" / "lessons" / "venezuela-military-aid.json").read_text("utf-8"))
    lesson = lesson_import(data=data)
    teacher = User.objects.create_user(teacher_name, password="!")
    User.objects.filter(pk=teacher.pk).update(password="!")  # no password: sessions are made directly
    teacher.refresh_from_db()
    teacher_make(user=teacher)
    return lesson, lesson.published_revision, teacher


def log_in_again(students: list[Student]) -> None:
    """New sessions for a class about to start, as its students log in at the bell."""
    from django.contrib.auth.models import User

    users = {user.username: user for user in User.objects.filter(username__in=[s.username for s in students])}
    for student, key in zip(students, sessions_for([users[s.username] for s in students]), strict=True):
        student.session = key


def class_of(lesson: Any, teacher: Any, count: int, prefix: str, *, started: bool) -> list[Student]:
    """A class of `count` students with one assignment open now; each with a session, and with `started`
    an attempt in progress (bulk inserted, as starting makes it) and the tokens its page would give."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from lessons.models import Attempt, Enrollment
    from lessons.services.attempts import all_points
    from lessons.services.classroom import assignment_create, classroom_create
    from lessons.web.autosave import binding_for
    from lessons.web.views.student_assignments import attempt_token

    classroom = classroom_create(teacher=teacher, name=f"{prefix} class")
    users = User.objects.bulk_create(
        [
            User(username=f"{prefix}{n:05d}", first_name="S", last_name=f"{n:05d}", password="!")
            for n in range(count)
        ]
    )
    Enrollment.objects.bulk_create([Enrollment(classroom=classroom, student=user) for user in users])
    now = timezone.now()
    assignment = assignment_create(
        classroom=classroom, lesson=lesson, by=teacher, opens_at=now - dt.timedelta(hours=1),
        due_at=now + dt.timedelta(days=1),
    )  # fmt: skip
    students = [
        Student(user.username, key, secrets.token_hex(16), assignment.pk)
        for user, key in zip(users, sessions_for(users), strict=True)
    ]
    if started:
        revision = assignment.revision
        attempts = Attempt.objects.bulk_create(
            [
                Attempt(
                    learner=user,
                    revision=revision,
                    lesson=lesson,
                    assignment=assignment,
                    possible=all_points(revision),
                )
                for user in users
            ]
        )
        keys = [q["id"] for q in closed_questions(revision)]
        for student, attempt, user in zip(students, attempts, users, strict=True):
            student.attempt_id = attempt.pk
            token = attempt_token(attempt, revision, binding_for(student.session, user.password))
            student.tokens = dict.fromkeys(keys, token)
    return students


def closed_questions(revision: Any) -> list[dict[str, Any]]:
    return [q for q in revision.content["questions"] if q["kind"] in CLOSED_KINDS]


def answer_all(students: list[Student], revision: Any) -> None:
    """Every closed question answered (graded as the site grades) in each student's attempt: bulk inserts."""
    from django.utils import timezone

    from lessons import grading
    from lessons.content_types import sentence_ids_of
    from lessons.models import Response

    sentence_ids = sentence_ids_of(revision.content["article"])
    now, rows = timezone.now(), []
    for n, student in enumerate(students):
        for question in closed_questions(revision):
            answer = sample_answer(question, n)
            result = grading.grade(question, answer, evidence=None, sentence_ids=sentence_ids)
            rows.append(
                Response(
                    attempt_id=student.attempt_id, question_key=question["id"], kind=question["kind"],
                    focus=question["focus"], answer=answer, sequence=1, first_saved_at=now, saved_at=now,
                    earned=result.earned, possible=result.possible, correct=result.correct,
                )
            )  # fmt: skip
            student.sequences[question["id"]] = 1
    Response.objects.bulk_create(rows, batch_size=5_000)


# ----------------------------------------------------------------------------------------------------
# Load


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def closed_loop(
    port: int,
    connections: int,
    seconds: float,
    make: Callable[[int], Awaitable[tuple[str, str, dict, bytes]] | Any],
) -> dict[str, Any]:
    """`connections` clients each sending the request `make(i)` gives, one after another, for `seconds`."""
    latencies: list[float] = []
    errors: dict[str, int] = defaultdict(int)
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def client() -> None:
        conn = Connection(port)
        while time.perf_counter() < deadline:
            request = make(next(counter))
            if request is None:
                break
            method, path, headers, body = request
            started = time.perf_counter()
            try:
                status, _headers, _content = await conn.request(method, path, headers=headers, body=body)
            except HttpError as error:
                errors[f"connection: {error}"] += 1
                continue
            if status >= 400:
                errors[f"HTTP {status}"] += 1
            else:
                latencies.append(time.perf_counter() - started)
        await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "errors": dict(errors),
    }


def db1_request(_n: int) -> tuple[str, str, dict, bytes]:
    return "GET", "/db1/", {}, b""


async def endpoint_table(args: argparse.Namespace, seeded: dict[str, Any]) -> dict[str, Any]:
    table_students: list[Student] = seeded["table"]
    submitters: list[Student] = seeded["submitters"]
    teacher: Student = seeded["teacher"]
    rng = random.Random(1)

    def autosave(_n: int) -> tuple[str, str, dict, bytes]:
        student = rng.choice(table_students)
        key = rng.choice(list(student.tokens))
        student.sequences[key] = student.sequences.get(key, 0) + 1
        question = seeded["questions"][key]
        body, headers = form(
            {"attempt": student.tokens[key], "sequence": student.sequences[key],
             "answer": sample_answer(question, student.sequences[key])}
        )  # fmt: skip
        path = f"/assignments/{student.assignment_id}/save/{key}/"
        return "POST", path, {**student.headers(htmx=True), **headers}, body

    def player(_n: int) -> tuple[str, str, dict, bytes]:
        student = rng.choice(table_students)
        return "GET", f"/assignments/{student.assignment_id}/take/", student.headers(), b""

    queue = iter(submitters)

    def submit(_n: int) -> tuple[str, str, dict, bytes] | None:
        student = next(queue, None)
        if student is None:
            return None
        body, headers = form({"attempt": student.attempt_id})
        path = f"/assignments/{student.assignment_id}/submit/"
        return "POST", path, {**student.headers(), **headers}, body

    def gradebook(_n: int) -> tuple[str, str, dict, bytes]:
        return "GET", f"/teach/classes/{seeded['gradebook_class']}/gradebook/", teacher.headers(), b""

    def analysis(_n: int) -> tuple[str, str, dict, bytes]:
        return "GET", f"/teach/assignments/{seeded['analysis_assignment']}/analysis/", teacher.headers(), b""

    endpoints = {
        "autosave": autosave, "player": player, "submit": submit, "gradebook": gradebook,
        "item analysis": analysis,
    }  # fmt: skip
    table: dict[str, Any] = {}
    for name, make in endpoints.items():
        await closed_loop(APP_PORT, 4, 1.0, make if name != "submit" else (lambda n: None))  # warm-up
        yard = await closed_loop(YARDSTICK_PORT, args.connections, args.seconds, db1_request)
        run = await closed_loop(APP_PORT, args.connections, args.seconds, make)
        run["db1"] = yard
        run["ratio_to_db1"] = round(run["rps"] / yard["rps"], 3) if yard["rps"] else None
        run["load_average"] = os.getloadavg()
        table[name] = run
        print(
            f"{name:14} {run['rps']:8.1f} req/s  p50 {run['p50_ms']:7.1f} ms  p99 {run['p99_ms']:7.1f} ms  "
            f"db1 {yard['rps']:7.1f} req/s (p50 {yard['p50_ms']:.1f} ms)  ratio {run['ratio_to_db1']:.1%}  "
            f"errors {run['errors'] or 0}",
            flush=True,
        )
    return table


@dataclass
class DayLog:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acknowledged: dict[tuple[int, str], tuple[int, Any]] = field(default_factory=dict)
    submitted: dict[int, int] = field(default_factory=lambda: defaultdict(int))


async def class_day(
    students: list[Student],
    questions: dict[str, Any],
    seconds: float,
    chaos: Callable[[], Awaitable[None]] | None,
    timeout: float = 30.0,
) -> DayLog:
    log = DayLog()
    rng = random.Random(len(students))
    deadline = time.perf_counter() + 10 + seconds

    async def call(kind: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Any:
        """One request on a new connection (a browser that was idle for seconds); retried on failure."""
        while True:
            conn = Connection(APP_PORT)
            started = time.perf_counter()
            try:
                status, received, content = await asyncio.wait_for(
                    conn.request(method, path, headers=headers, body=body), timeout
                )
            except (HttpError, OSError, TimeoutError) as error:
                # A browser gives up too: a request not answered within `timeout` is an error and retried.
                log.errors[f"{kind}: connection {type(error).__name__}"] += 1
                status, received, content = 0, {}, b""
            finally:
                await conn.close()
            if 200 <= status < 400 or status == 409:
                log.latencies[kind].append(time.perf_counter() - started)
                return status, received, content
            if status:
                log.errors[f"{kind}: HTTP {status}"] += 1
            if time.perf_counter() > deadline + 60:
                return status, received, content
            await asyncio.sleep(1 + rng.random())

    async def one(student: Student) -> None:
        await asyncio.sleep(rng.uniform(0, 10))
        body, form_headers = form({})
        await call(
            "start",
            "POST",
            f"/assignments/{student.assignment_id}/take/",
            {**student.headers(), **form_headers},
            body,
        )
        _status, _h, page = await call(
            "player", "GET", f"/assignments/{student.assignment_id}/take/", student.headers()
        )
        html = page.decode("utf-8", "replace")
        student.tokens = {key: token for key, token in TOKEN.findall(html) if key in questions}
        attempt = re.search(r'name="attempt" value="(\d+)"', html)
        student.attempt_id = int(attempt.group(1)) if attempt else 0
        keys = list(student.tokens)
        while keys and time.perf_counter() + 15 < deadline:
            await asyncio.sleep(rng.uniform(10, 20))
            key = rng.choice(keys)
            sequence = student.sequences.get(key, 0) + 1
            student.sequences[key] = sequence
            answer = sample_answer(questions[key], sequence + rng.randrange(3))
            body, form_headers = form(
                {"attempt": student.tokens[key], "sequence": sequence, "answer": answer}
            )
            status, _h, _c = await call(
                "autosave", "POST", f"/assignments/{student.assignment_id}/save/{key}/",
                {**student.headers(htmx=True), **form_headers}, body,
            )  # fmt: skip
            if status == 200:
                attempt_id = _attempt_of(student.tokens[key])
                log.acknowledged[(attempt_id, key)] = (sequence, answer)
        body, form_headers = form({"attempt": student.attempt_id} if student.attempt_id else {})
        status, _h, _c = await call(
            "submit",
            "POST",
            f"/assignments/{student.assignment_id}/submit/",
            {**student.headers(), **form_headers},
            body,
        )
        if status in (302, 303):
            log.submitted[student.attempt_id] += 1

    tasks = [asyncio.create_task(one(student)) for student in students]
    if chaos is not None:
        tasks.append(asyncio.create_task(chaos()))
    await asyncio.gather(*tasks)
    return log


def _attempt_of(token: str) -> int:
    return int(token.split(":")[0].split(".")[2])


def check_answers(log: DayLog, students: list[Student]) -> dict[str, int]:
    """Every acknowledged save against the database, and every attempt submitted once with its score."""
    from django.db.models import Sum

    from lessons.models import Attempt, AttemptState, Response

    stored = {
        (row.attempt_id, row.question_key): row
        for row in Response.objects.filter(attempt_id__in=[a for a, _k in log.acknowledged])
    }
    lost = stale = 0
    for key, (sequence, answer) in log.acknowledged.items():
        row = stored.get(key)
        if row is None:
            lost += 1
        elif row.sequence < sequence or (row.sequence == sequence and row.answer != answer):
            stale += 1
    usernames = [s.username for s in students]
    attempts = Attempt.objects.filter(learner__username__in=usernames)
    submitted = attempts.filter(state=AttemptState.SUBMITTED)
    per_student: dict[int, int] = defaultdict(int)
    for attempt in submitted:
        per_student[attempt.learner_id] += 1
    scores = dict(
        Response.objects.filter(attempt__in=submitted).values_list("attempt").annotate(total=Sum("earned"))
    )
    wrong_scores = sum(1 for a in submitted if (scores.get(a.pk) or 0) != a.earned)
    return {
        "acknowledged_saves": len(log.acknowledged),
        "lost": lost,
        "stale_overwrites": stale,
        "students": len(students),
        "submitted": submitted.count(),
        "not_submitted": attempts.exclude(state=AttemptState.SUBMITTED).count(),
        "double_submits": sum(1 for count in per_student.values() if count > 1),
        "scores_not_matching_answers": wrong_scores,
    }


def day_summary(log: DayLog, check: dict[str, int], wall: float) -> dict[str, Any]:
    return {
        "wall_seconds": round(wall, 1),
        "latency_ms": {
            kind: {
                "count": len(v),
                "p50": round(percentile(v, 0.5) * 1000, 1),
                "p99": round(percentile(v, 0.99) * 1000, 1),
            }
            for kind, v in log.latencies.items()
        },
        "errors": dict(log.errors),
        "check": check,
    }


def summary_table(figures: dict[str, Any]) -> str:
    """The figures as the tables README.md's "Performance" section gives."""
    machine = figures["machine"]
    g = figures["gunicorn"]
    lines = [
        "",
        f"{machine['cpus']} CPUs; load average {machine['load_before'][0]:.1f} before, "
        f"{machine.get('load_after', [float('nan')])[0]:.1f} after; gunicorn {g['workers']} workers x "
        f"{g['threads']} threads ({g['worker_class']}); {figures['connections']} connections, "
        f"{figures['seconds']:g} s a run; a {figures['lesson_questions']}-question lesson",
    ]
    for number, table in enumerate(figures["endpoints"], start=1):
        lines += [
            "",
            f"endpoints, run {number}",
            f"| {'endpoint':14} | req/s | p50 ms | p99 ms | db1 req/s | share of db1 | load | errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, run in table.items():
            ratio = f"{run['ratio_to_db1']:.1%}" if run["ratio_to_db1"] is not None else "-"
            lines.append(
                f"| {name:14} | {run['rps']:.1f} | {run['p50_ms']:.0f} | {run['p99_ms']:.0f} | "
                f"{run['db1']['rps']:.1f} | {ratio} | {run['load_average'][0]:.1f} | "
                f"{sum(run['errors'].values()) if run['errors'] else 0} |"
            )
    days = [(str(n), day) for n, day in figures.get("class_days", {}).items()]
    if "chaos_day" in figures:
        days.append((f"{figures['chaos_day']['students_count']} (chaos)", figures["chaos_day"]))
    if days:
        lines += [
            "",
            "class days (latency p50 / p99 in ms)",
            "| students | autosave | player | start | submit | errors | acknowledged | lost | stale | "
            "double submits | wrong scores | not submitted | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, day in days:
            lat = day["latency_ms"]

            def cell(kind: str, lat: dict[str, Any] = lat) -> str:
                return f"{lat[kind]['p50']:.0f} / {lat[kind]['p99']:.0f}" if kind in lat else "-"

            check = day["check"]
            lines.append(
                f"| {name} | {cell('autosave')} | {cell('player')} | {cell('start')} | {cell('submit')} | "
                f"{sum(day['errors'].values())} | {check['acknowledged_saves']} | {check['lost']} | "
                f"{check['stale_overwrites']} | {check['double_submits']} | "
                f"{check['scores_not_matching_answers']} | {check['not_submitted']} | "
                f"{day['load_average'][0]:.1f} |"
            )
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------
# Servers


def start_server(env: dict[str, str], port: int, app: str, extra: list[str]) -> subprocess.Popen[bytes]:
    """gunicorn, its log in tests/artifacts/ (a pipe nobody reads would fill up and stop its workers)."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "quizsite" / "gunicorn_conf.py")]
    command += [*extra, "--bind", f"127.0.0.1:{port}", app]
    log = ROOT / "tests" / "artifacts" / f"bench_gunicorn_{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


async def wait_ready(port: int, path: str) -> None:
    for _ in range(200):
        try:
            status, _h, _c = await Connection(port).request("GET", path, headers={})
            if status < 500:
                return
        except (HttpError, OSError):
            pass
        await asyncio.sleep(0.1)
    raise SystemExit(f"the server on port {port} did not start")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each endpoint run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=1, help="endpoint table runs")
    parser.add_argument(
        "--class-day", default="200,500,1000,2000", help="students per class day, comma-separated"
    )
    parser.add_argument("--day-seconds", type=float, default=45.0, help="saving time of a class day")
    parser.add_argument(
        "--request-timeout", type=float, default=30.0, help="a class day's request not answered by then fails"
    )
    parser.add_argument(
        "--chaos", action="store_true", help="one more class day, with a worker killed (kill -9)"
    )
    parser.add_argument(
        "--restart-postgres",
        action="store_true",
        help="and PostgreSQL restarted during it (disturbs its users)",
    )
    parser.add_argument("--chaos-students", type=int, default=300)
    parser.add_argument("--submitters", type=int, default=800, help="attempts answered, for submit's run")
    parser.add_argument("--skip-table", action="store_true", help="class days only")
    parser.add_argument("--pg-cluster", default="15 main")
    parser.add_argument("--json", type=Path, default=ROOT / "tests" / "artifacts" / "bench_load.json")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"
    os.environ.setdefault("PERF_DATABASE", "qs_perf_bench")
    admin_url, scratch_url, name = scratch_database_url()
    admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_SETTINGS_MODULE": "quizsite.settings.production",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WEB_ACCESS_LOG": "",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        import django

        django.setup()
        lesson, revision, teacher_user = seed_site("bench-teacher")
        questions = {q["id"]: q for q in closed_questions(revision)}
        print(f"seeding: a {len(revision.content['questions'])}-question lesson …", flush=True)
        seeding = time.perf_counter()
        table = class_of(lesson, teacher_user, 300, "t", started=True)
        submitters = class_of(lesson, teacher_user, args.submitters, "s", started=True)
        answer_all(submitters, revision)
        gradebook_class, analysis_assignment = fill(lesson, teacher_user, 30, "g")
        seeded = {
            "table": table,
            "submitters": submitters,
            "questions": questions,
            "teacher": Student("bench-teacher", session_for(teacher_user), secrets.token_hex(16), 0),
            "gradebook_class": gradebook_class.pk,
            "analysis_assignment": analysis_assignment.pk,
        }
        days = [int(n) for n in args.class_day.split(",") if n]
        day_classes = {n: class_of(lesson, teacher_user, n, f"d{n}-", started=False) for n in days}
        chaos_class = (
            class_of(lesson, teacher_user, args.chaos_students, "k", started=False) if args.chaos else []
        )

        from django.db import connections

        connections.close_all()
        print(f"seeded in {time.perf_counter() - seeding:.0f} s", flush=True)
        app = start_server(env, APP_PORT, "quizsite.wsgi", [])
        yard_env = {**env, "DJANGO_SETTINGS_MODULE": "yardstick"}
        yardstick = start_server(
            yard_env, YARDSTICK_PORT, "yardstick", ["--pythonpath", str(ROOT / "tests" / "perf")]
        )
        servers += [app, yardstick]
        asyncio.run(wait_ready(APP_PORT, "/"))
        asyncio.run(wait_ready(YARDSTICK_PORT, "/db1/"))
        from quizsite import gunicorn_conf

        figures: dict[str, Any] = {
            "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()},
            "gunicorn": {"workers": gunicorn_conf.workers, "threads": gunicorn_conf.threads,
                         "worker_class": gunicorn_conf.worker_class},
            "connections": args.connections,
            "seconds": args.seconds,
            "lesson_questions": len(revision.content["questions"]),
        }  # fmt: skip
        figures["endpoints"] = []
        for run in range(0 if args.skip_table else args.repeat):
            print(f"== endpoints, run {run + 1} (load {os.getloadavg()[0]:.1f}) ==", flush=True)
            figures["endpoints"].append(asyncio.run(endpoint_table(args, seeded)))
            if run + 1 < args.repeat:  # fresh attempts to submit
                seeded["submitters"] = class_of(
                    lesson, teacher_user, args.submitters, f"s{run}-", started=True
                )
                answer_all(seeded["submitters"], revision)
        figures["class_days"] = {}
        for n, students in day_classes.items():
            print(f"== class day: {n} students (load {os.getloadavg()[0]:.1f}) ==", flush=True)
            log_in_again(students)
            connections.close_all()
            started = time.perf_counter()
            log = asyncio.run(class_day(students, questions, args.day_seconds, None, args.request_timeout))
            summary = day_summary(log, check_answers(log, students), time.perf_counter() - started)
            summary["load_average"] = os.getloadavg()
            figures["class_days"][n] = summary
            print(json.dumps(summary), flush=True)
        if args.chaos:

            async def chaos() -> None:
                await asyncio.sleep(15)
                victims = worker_pids(app.pid)
                if victims:
                    os.kill(victims[0], signal.SIGKILL)
                    print(f"killed worker {victims[0]} with SIGKILL", flush=True)
                if not args.restart_postgres:
                    return
                await asyncio.sleep(10)
                print("restarting PostgreSQL …", flush=True)
                await asyncio.to_thread(
                    subprocess.run,
                    ["pg_ctlcluster", "--skip-systemctl-redirect", *args.pg_cluster.split(), "restart"],
                    check=False,
                )
                print("PostgreSQL restarted", flush=True)

            print(
                f"== class day with kill -9{' and a PostgreSQL restart' if args.restart_postgres else ''}: "
                f"{len(chaos_class)} students ==",
                flush=True,
            )
            log_in_again(chaos_class)
            connections.close_all()
            started = time.perf_counter()
            day = class_day(chaos_class, questions, args.day_seconds, chaos, args.request_timeout)
            log = asyncio.run(day)
            connections.close_all()
            summary = day_summary(log, check_answers(log, chaos_class), time.perf_counter() - started)
            summary["load_average"] = os.getloadavg()
            summary["students_count"] = len(chaos_class)
            figures["chaos_day"] = summary
            print(json.dumps(summary), flush=True)
        figures["machine"]["load_after"] = os.getloadavg()
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str))
        print(summary_table(figures))
        print(f"figures written to {args.json}")
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        from django.db import connections

        connections.close_all()
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
