"""Helpers of the API tests: a JSON client of /api/v1/, the one error shape, and the sentinel lesson whose
every piece of key material names its question."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client

SENTINEL = re.compile(r"ZQX-(?P<question>[a-z0-9-]+?)-(?P<part>[a-z_]+)-\d+-KEY")


def sentinel_document(data: dict[str, Any]) -> dict[str, Any]:
    """The first lesson with every explanation, option feedback, model answer, rubric criterion and
    accepted answer replaced by a unique sentinel naming its question (`ZQX-q01-explanation-0-KEY`)."""
    document = copy.deepcopy(data)
    document["lesson"]["slug"] = "sentinel-lesson"
    for question in document["questions"]:
        qid, answer = question["id"], question["answer"]

        def mark(part: str, number: int = 0, qid: str = qid) -> str:
            return f"ZQX-{qid}-{part}-{number}-KEY"

        answer["explanation"] = mark("explanation")
        answer["option_feedback"] = {
            option: mark("option_feedback", n) for n, option in enumerate(answer["option_feedback"])
        }
        if answer["model_answer"]:
            answer["model_answer"] = mark("model_answer")
        for n, criterion in enumerate(answer["rubric"]):
            criterion["criterion"] = mark("rubric", n)
        answer["accepted"] = [mark("accepted", n) for n in range(len(answer["accepted"]))]
    return document


def sentinels_in(body: bytes | str) -> set[str]:
    """The questions whose key material the body shows."""
    text = body.decode() if isinstance(body, bytes) else body
    return {match["question"] for match in SENTINEL.finditer(text)}


@dataclass
class Api:
    """A JSON client of /api/v1/, signed in by a personal token, a session, or not at all."""

    client: Client
    token: str = ""

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/{path}", params, headers=self._headers())

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(
            f"/api/v1/{path}",
            json.dumps(data or {}),
            content_type="application/json",
            headers=self._headers(),
        )

    def put(self, path: str, data: Any = None) -> Any:
        return self.client.put(
            f"/api/v1/{path}",
            json.dumps(data or {}),
            content_type="application/json",
            headers=self._headers(),
        )

    def patch(self, path: str, data: Any = None) -> Any:
        return self.client.patch(
            f"/api/v1/{path}",
            json.dumps(data or {}),
            content_type="application/json",
            headers=self._headers(),
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1/{path}", headers=self._headers())

    def upload(self, path: str, files: dict[str, Any]) -> Any:
        """A multipart/form-data POST (a file upload)."""
        return self.client.post(f"/api/v1/{path}", files, headers=self._headers())


MakeApi = Callable[..., "Api"]


def error_of(response: Any) -> dict[str, Any]:
    """The error of a response, checked to have the one error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return dict(body["error"])


def right_answer(question: dict[str, Any]) -> Any:
    """The key's answer in the shape a student sends it (kinds whose key is elsewhere send text)."""
    key = question["answer"]
    if key["accepted"]:
        return key["accepted"][0]
    return key["correct"] if key["correct"] is not None else "An answer in my own words."
