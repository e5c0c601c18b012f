"""Queries compiled once per process (lessons.selectors.compiled) give what the ORM gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from lessons.models import Assignment, Attempt, Extension
from lessons.selectors.assignments import open_attempt
from lessons.selectors.classroom import assignment_for_student
from lessons.selectors.compiled import CompiledQuery
from lessons.selectors.player import responses_of
from lessons.services import response_save
from lessons.services.classroom import assignment_attempt_start

pytestmark = pytest.mark.django_db


def _fields(instance: Any) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_a_students_assignment_open_attempt_and_answers_are_those_the_orm_reads(
    make_assignment: Any, student: User, teacher: User
) -> None:
    now = timezone.now()
    assignment = make_assignment(opens_at=now - dt.timedelta(hours=1), due_at=now + dt.timedelta(days=1))
    Extension.objects.create(assignment=assignment, student=student, extra_minutes=15, granted_at=now)
    attempt = assignment_attempt_start(assignment=assignment, student=student)
    response_save(learner=student, attempt=attempt, question_key="q01", answer="b", sequence=1)

    found = assignment_for_student(student, assignment.pk)
    direct = Assignment.objects.select_related("classroom", "lesson", "revision").get(pk=assignment.pk)

    assert found is not None and found.pk == assignment.pk
    assert found.own_extra_minutes == 15 and found.own_multiplier == 1  # type: ignore[attr-defined]
    for name in ("classroom", "lesson"):
        assert _fields(getattr(found, name)) == _fields(getattr(direct, name))
    assert found.revision.content == direct.revision.content  # read when first used (not kept yet)
    assert assignment_for_student(teacher, assignment.pk) is None  # not in the class
    assert assignment_for_student(student, assignment.pk + 1000) is None
    assert assignment_for_student(student, 10**40) is None  # no id is that large: no query to fail

    mine = open_attempt(assignment, student)
    assert mine is not None and _fields(mine) == _fields(Attempt.objects.get(pk=attempt.pk))
    answers = responses_of(attempt)
    assert list(answers) == ["q01"] and answers["q01"].answer == "b" and answers["q01"].sequence == 1
    assert isinstance(answers["q01"].saved_at, dt.datetime) and answers["q01"].saved_at.tzinfo is not None


def test_a_value_that_is_not_a_parameter_is_refused() -> None:
    query = CompiledQuery(lambda attempt_id, other: Attempt.objects.filter(pk=attempt_id), 2)

    with pytest.raises(ValueError, match="not among its parameters"):
        query.rows(1, 2)
