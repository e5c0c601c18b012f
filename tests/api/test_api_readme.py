"""The README's curl walk-through, run line by line against the API (through Django's test client): a
token, joining a class, starting, saving, submitting, the results."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from lessons.models import Assignment, Classroom, Lesson, Response
from lessons.services.api_tokens import token_create

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE_CODE = "K7QH-P2MX"
EXAMPLE_DUE = "2027-07-01T08:00:00Z"


def walk_through() -> list[str]:
    """The lines of the shell block in the README's API section."""
    section = README.read_text(encoding="utf-8").split("## API\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the API section has a shell block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def curl(client: Client, words: list[str]) -> Any:
    """Do what a curl command line asks (-X, -H, -d, -o and the URL), with the shell's variables expanded."""
    method, headers, data, url = "GET", {}, None, ""
    words = iter(words[1:])
    for word in words:
        if word == "-s":
            continue
        if word == "-X":
            method = next(words)
        elif word == "-H":
            name, _colon, value = next(words).partition(": ")
            headers[name] = value
        elif word == "-d":
            data = next(words)
            method = "POST" if method == "GET" else method
        elif word == "-o":
            next(words)  # the file the answer is written to: the test reads the answer itself
        else:
            url = word
    path = url.removeprefix("http://127.0.0.1:8000")
    content_type = headers.pop("Content-Type", "application/json")
    return client.generic(method, path, data or "", content_type=content_type, headers=headers)


# Variables whose value the README takes from the answer before: the test takes it from that answer too.
FROM_THE_LAST_ANSWER = {"CLASS", "ASSIGNMENT", "ATTEMPT", "RESPONSE"}


def test_the_readme_walk_through_runs(class_student: User, teacher: User, first_lesson: Lesson) -> None:
    client = Client()
    variables = {
        "TEACHER": token_create(user=teacher, name="curl").secret,
        "TOKEN": token_create(user=class_student, name="curl").secret,
    }
    last: Any = None
    answers = []
    for line in walk_through():
        command = line.split("  #")[0].split(" # ")[0].strip()
        assignment_match = re.fullmatch(r"([A-Z]+)=(\S+)", command)
        if assignment_match:
            name, example = assignment_match.groups()
            if name in FROM_THE_LAST_ANSWER:
                body = last.json()
                variables[name] = str(body["results"][0]["id"] if "results" in body else body["id"])
            elif name not in {"TEACHER", "TOKEN"}:
                variables[name] = example
            continue
        expanded = re.sub(r"\$([A-Z]+)", lambda m: variables[m.group(1)], command)
        # The README's due date, kept a year ahead of today so that the walk-through's assignment is open.
        expanded = expanded.replace(
            EXAMPLE_DUE, (timezone.now() + dt.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        if "join_code" in variables:
            expanded = expanded.replace(EXAMPLE_CODE, variables["join_code"])
        last = curl(client, shlex.split(expanded))
        assert last.status_code in {200, 201}, (line, last.content)
        answers.append(last.json() if last["Content-Type"] == "application/json" else last.content)
        if "join_code" in answers[-1] if isinstance(answers[-1], dict) else False:
            variables["join_code"] = answers[-1]["join_code"]

    classroom = Classroom.objects.get()
    assert (
        classroom.teachers.get() == teacher and classroom.enrollments.count() == 3
    )  # two listed, one joined
    assignment = Assignment.objects.get()
    assert assignment.revision_id == first_lesson.published_revision_id and assignment.released_at is not None
    graded = Response.objects.get(question_key="q22")
    assert (graded.earned, graded.teacher_comment, graded.graded_by) == (5, "Name the newspaper.", teacher)
    results = next(answer for answer in answers if isinstance(answer, dict) and "released" in answer)
    assert results["released"] is True and results["answered"] == 2
    assert [(line["question"], line["earned"]) for line in results["lines"] if line["teacher_comment"]] == [
        ("q22", "5")
    ]
    book = answers[-2]
    assert [cell["status"] for cell in book["cells"] if cell["student"] == class_student.pk] == ["submitted"]
    assert answers[-1].startswith("\ufeffUsername,".encode()) and b"amina,Amina,Haddad," in answers[-1]
