"""Signing up, as the service does it for the sign-up page or any other caller: the account and, for a
teacher, their role are made together."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from lessons.services.classroom import is_teacher
from lessons.services.people import account_sign_up

pytestmark = pytest.mark.django_db


def test_a_learner_signs_up_with_a_usable_password_and_is_no_teacher() -> None:
    user = account_sign_up(
        username="ana", email="ana@example.org", password="a long pass phrase", teaches=False
    )

    fresh = User.objects.get(pk=user.pk)
    assert (fresh.username, fresh.email) == ("ana", "ana@example.org")
    assert fresh.check_password("a long pass phrase")
    assert not is_teacher(fresh)


def test_a_teacher_signs_up_as_a_teacher() -> None:
    user = account_sign_up(username="bo", email="", password="a long pass phrase", teaches=True)

    assert is_teacher(User.objects.get(pk=user.pk))


def test_a_refused_role_leaves_no_account_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*, user: User) -> None:
        raise RuntimeError("the role could not be given")

    monkeypatch.setattr("lessons.services.people.teacher_make", refuse)

    with pytest.raises(RuntimeError):
        account_sign_up(username="cy", email="", password="a long pass phrase", teaches=True)

    assert not User.objects.filter(username="cy").exists()
