"""Two first launches at once (two tabs, a double click) both find no account or class and both create one:
the unique constraint lets the first win and the other takes what it made, instead of failing with a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError

from lessons.services.lti import _create_or_find

pytestmark = pytest.mark.django_db


def test_the_second_creator_takes_the_record_the_first_made() -> None:
    first = User.objects.create(username="lti-0123456789abcdef")

    def create() -> User:
        return User.objects.create(username="lti-0123456789abcdef")

    def find() -> User | None:
        return User.objects.filter(username="lti-0123456789abcdef").first()

    assert _create_or_find(create, find) == first
    assert User.objects.filter(username="lti-0123456789abcdef").count() == 1
    # The failed insert was rolled back to its savepoint: the surrounding transaction goes on.
    assert User.objects.create(username="after").pk


def test_a_conflict_with_nothing_to_find_is_not_hidden() -> None:
    User.objects.create(username="taken")
    with pytest.raises(IntegrityError):
        _create_or_find(lambda: User.objects.create(username="taken"), lambda: None)


def test_creating_when_nobody_else_did_creates() -> None:
    made = _create_or_find(lambda: User.objects.create(username="fresh"), lambda: None)
    assert User.objects.get(username="fresh") == made
