"""The README's curl walk-through, run line by line against the API (through Django's test client): a
token, joining a class, starting, saving, submitting, the results."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from lessons.models import Assignment, Classroom, Response
from lessons.services.api_tokens import token_create

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE_CODE = "K7QH-P2MX"


def walk_through() -> list[str]:
    """The lines of the shell block in the README's API section."""
    section = README.read_text(encoding="utf-8").split("## API\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the API section has a shell block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def curl(client: Client, words: list[str]) -> Any:
    """Do what a curl command line asks (-X, -H, -d and the URL), with the shell's variables expanded."""
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
        else:
            url = word
    path = url.removeprefix("http://127.0.0.1:8000")
    content_type = headers.pop("Content-Type", "application/json")
    return client.generic(method, path, data or "", content_type=content_type, headers=headers)


def test_the_readme_walk_through_runs(
    class_student: User, classroom: Classroom, assignment: Assignment
) -> None:
    client = Client()
    variables = {"TOKEN": token_create(user=class_student, name="curl").secret}
    last: Any = None
    answers = []
    for line in walk_through():
        command = line.split("  #")[0].split(" # ")[0].strip()
        assignment_match = re.fullmatch(r"([A-Z]+)=(\S+)", command)
        if assignment_match:
            name, example = assignment_match.groups()
            if name in {"ASSIGNMENT", "ATTEMPT"}:
                # The README names the id the previous answer gave; the test takes it from that answer.
                body = last.json()
                variables[name] = str(body["results"][0]["id"] if "results" in body else body["id"])
            elif name != "TOKEN":
                variables[name] = example
            continue
        expanded = re.sub(r"\$([A-Z]+)", lambda m: variables[m.group(1)], command)
        expanded = expanded.replace(EXAMPLE_CODE, str(classroom.join_code))
        last = curl(client, shlex.split(expanded))
        assert last.status_code == 200, (line, last.content)
        answers.append(last.json())

    assert answers[0]["username"] == class_student.username
    assert answers[1] == {"id": classroom.pk, "name": classroom.name}
    assert Response.objects.get().answer == "a"
    results = answers[-1]
    assert results["attempt"]["state"] == "submitted" and results["answered"] == 1
