"""The API under real concurrency: threads, each with its own client and database connection.

PostgreSQL only: SQLite serialises every writer, so a race there proves nothing.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from api_support import Api, MakeApi
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from parallel import in_parallel

from lessons.models import ApiToken, Assignment, Attempt, AttemptState, Response

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks and concurrent writers (SQLite serialises every write)",
    ),
]


@pytest.fixture
def started(make_api: MakeApi, class_student: User, assignment: Assignment) -> tuple[Api, int]:
    api = make_api(class_student)
    attempt = api.post(f"assignments/{assignment.pk}/attempts/").json()["id"]
    api.put(f"attempts/{attempt}/answers/q01/", {"answer": "a", "sequence": 1})
    return api, attempt


def test_twenty_parallel_submits_make_one_submission(started: tuple[Api, int]) -> None:
    api, attempt = started

    answers, errors = in_parallel(
        20, lambda index: Api(Client(), api.token).post(f"attempts/{attempt}/submit/")
    )

    assert errors == []
    assert [answer.status_code for answer in answers] == [200] * 20
    assert len({answer.json()["submitted_at"] for answer in answers}) == 1
    row = Attempt.objects.get()
    assert row.state == AttemptState.SUBMITTED and row.earned == 1


def test_saves_in_any_order_keep_the_newest(started: tuple[Api, int]) -> None:
    api, attempt = started
    ApiToken.objects.update(last_used_at=None)  # every thread's first use writes it too: more contention
    sequences = list(range(2, 12))
    random.Random(11).shuffle(sequences)
    answers_by_sequence = {sequence: "abcd"[sequence % 4] for sequence in sequences}

    def save(index: int) -> Any:
        sequence = sequences[index]
        body = {"answer": answers_by_sequence[sequence], "sequence": sequence}
        return Api(Client(), api.token).put(f"attempts/{attempt}/answers/q01/", body)

    answers, errors = in_parallel(10, save)

    assert errors == []
    assert [answer.status_code for answer in answers] == [200] * 10
    stored = Response.objects.get(question_key="q01")
    assert stored.sequence == 11 and stored.answer == answers_by_sequence[11]
