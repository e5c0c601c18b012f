"""Schemathesis against the live schema: every operation of /api/v1/, as a learner, a student and a teacher,
with request data generated from the schema (valid, then invalid), over the seeded world of the access
matrix (path parameters name its real class, assignment, attempt, answer…). No answer may be a 5xx, and
every answer must match the schema (status, content type, headers, body).

A few examples per operation keep the three runs under a minute together; each run prints its figures
(operations, cases, statuses, seconds) with `-s`. What it found, now fixed: a grading-queue filter that took
any text for a boolean (`?pending=xyz` was ignored instead of refused), and a `?format=` query parameter the
CSV download accepted though nothing read it (the API no longer reads the format from the URL).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from factories.attempts import AssignmentAttemptFactory
from factories.classroom import join
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from lessons.models import Assignment, Lesson, ReviewItem
from lessons.services import response_save, self_study_attempt_open
from lessons.services.api_tokens import token_create
from lessons.services.classroom import classroom_add_coteacher

EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
# A request the schema allows may still break a rule the schema cannot state (a wrong join code, a due date
# before the opening): a 400 with its field is the right answer there, not a failure.
BUSINESS_RULES = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture(autouse=True)
def _test_connection_kept_open() -> Iterator[None]:
    """Requests go to the WSGI handler itself, not through Django's test client: like the client, keep the
    handler from closing the database connection at each request's end (on PostgreSQL that would close the
    connection holding the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(
    learner: User,
    class_student: User,
    teacher: User,
    make_user: Any,
    assignment: Assignment,
    first_lesson: Lesson,
) -> dict[str, Any]:
    """The ids each path parameter takes: a review item, an attempt in progress, a submitted open answer."""
    attempt = self_study_attempt_open(learner=learner, revision=first_lesson.published_revision)
    response_save(learner=learner, attempt=attempt, question_key="q04", answer="a")
    make_user("mendes", teacher=True)
    colleague = classroom_add_coteacher(classroom=assignment.classroom, teacher=teacher, username="mendes")
    noor = make_user("noor")
    join(noor, assignment.classroom)
    graded = AssignmentAttemptFactory(
        assignment=assignment, student=noor, answers={"q22": "Reported."}, submit=True
    )
    in_progress = AssignmentAttemptFactory(assignment=assignment, student=class_student)
    # The teacher authors the lesson: the author side's operations reach it, its questions and exports.
    # The teacher authors the lesson: its own parts (article, actors, treaties, claims) are theirs to change.
    Lesson.objects.filter(pk=first_lesson.pk).update(owner=teacher)
    return {
        "slug": first_lesson.slug,
        "question_key": "q01",
        "item_id": ReviewItem.objects.get(learner=learner).pk,
        "assignment_id": assignment.pk,
        "attempt_id": in_progress.pk,
        "classroom_id": assignment.classroom_id,
        "student_id": class_student.pk,
        "teacher_id": colleague.pk,
        "response_id": graded.responses.get(question_key="q22").pk,
        "actor": first_lesson.actors.order_by("slug").values_list("slug", flat=True)[0],
        "treaty": first_lesson.treaties.order_by("slug").values_list("slug", flat=True)[0],
        "claim": first_lesson.article.claims.order_by("key").values_list("key", flat=True)[0],
    }


@pytest.fixture(scope="module")
def api_schema(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The live schema, loaded once for the three runs (it does not depend on who calls it)."""
    # The token is ours to send: no generated Authorization header or session cookie.
    config = SchemathesisConfig.from_dict({"generation": {"with-security-parameters": False}})
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), config=config)


def run(schema: Any, user: User, seeded: dict[str, Any]) -> dict[str, Any]:
    """Every operation of the schema called with generated data as `user`; the figures of the run."""
    token = token_create(user=user, name="schemathesis").secret
    headers = {"Authorization": f"Bearer {token}"}
    figures: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        figures["operations"] += 1
        known = {p.name: seeded[p.name] for p in operation.path_parameters if p.name in seeded}
        for mode, examples in EXAMPLES.items():
            if mode == GenerationMode.NEGATIVE and not (len(operation.query) or len(operation.body)):
                # Nothing invalid can be made of this operation's inputs (none, or only the seeded path).
                figures["no_negative_case"] += 1
                continue
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=known or None)

            @given(case=strategy)
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.generate],  # no shrinking: a failure is reported as generated
            )
            def call(case: Any) -> None:
                cache.clear()  # the abuse limits would answer every later call 429
                response = case.call(headers=headers)
                figures["cases"] += 1
                statuses[response.status_code] += 1
                case.validate_response(response, headers=headers, excluded_checks=BUSINESS_RULES)

            try:
                call()
            except Unsatisfiable:
                figures["no_negative_case"] += 1
    figures["seconds"] = round(time.monotonic() - started)
    return {**figures, "statuses": dict(sorted(statuses.items()))}


@pytest.mark.parametrize("role", ["learner", "class_student", "teacher"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    role: str, request: pytest.FixtureRequest, seeded: dict[str, Any], api_schema: Any
) -> None:
    user = request.getfixturevalue(role)
    figures = run(api_schema, user, seeded)
    print(f"schemathesis as {role}: {figures}")
    assert figures["operations"] >= 39
    assert not any(status >= 500 for status in figures["statuses"])
    # The seeded ids reach real objects: a good share of the calls succeed, not only 4xx.
    assert sum(n for status, n in figures["statuses"].items() if status < 300) > 0
