"""Abuse limits (services.throttle): failed logins lock the account and the address out, password resets,
sign-ups and wrong join codes are limited, and a spoofed X-Forwarded-For does not reset a limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from lessons.models import Enrollment
from lessons.services.classroom import classroom_create, teacher_make
from lessons.services.throttle import (
    JOIN_PER_ACCOUNT,
    JOIN_PER_ADDRESS,
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    SIGNUP_PER_ADDRESS,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"


@pytest.fixture
def learner() -> User:
    return User.objects.create_user("learner", password=PASSWORD, email="learner@example.org")


def log_in(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client: Client, learner: User) -> None:
    statuses = [log_in(client, "learner", f"wrong-{n}").status_code for n in range(30)]
    right = log_in(client, "learner", PASSWORD)

    assert statuses[: LOGIN_PER_ACCOUNT.attempts] == [200] * LOGIN_PER_ACCOUNT.attempts
    assert set(statuses[LOGIN_PER_ACCOUNT.attempts :]) == {429}
    assert right.status_code == 429
    assert "Too many attempts. Try again in 15 minutes." in right.content.decode()
    assert not is_signed_in(client)


def test_the_account_lock_holds_from_another_address(client: Client, learner: User) -> None:
    for n in range(LOGIN_PER_ACCOUNT.attempts):
        log_in(client, "learner", f"wrong-{n}", REMOTE_ADDR="203.0.113.7")

    right = log_in(client, "learner", PASSWORD, REMOTE_ADDR="198.51.100.9")

    assert right.status_code == 429 and not is_signed_in(client)


def test_an_address_trying_many_accounts_is_locked_out(client: Client, learner: User) -> None:
    for n in range(LOGIN_PER_ADDRESS.attempts):
        log_in(client, f"guess-{n}", "wrong", REMOTE_ADDR="203.0.113.7")

    assert log_in(client, "learner", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert log_in(client, "learner", PASSWORD, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_a_few_wrong_passwords_then_the_right_one_logs_in_and_start_afresh(
    client: Client, learner: User
) -> None:
    for n in range(LOGIN_PER_ACCOUNT.attempts - 1):
        log_in(client, "learner", f"wrong-{n}")
    assert log_in(client, "learner", PASSWORD).status_code == 302
    client.logout()
    for n in range(LOGIN_PER_ACCOUNT.attempts - 1):
        log_in(client, "learner", f"wrong-{n}")
    assert log_in(client, "learner", PASSWORD).status_code == 302


def test_a_spoofed_forwarded_for_does_not_reset_the_limit(client: Client, learner: User) -> None:
    """Without a proxy in front (the default) X-Forwarded-For is not believed at all."""
    for n in range(LOGIN_PER_ADDRESS.attempts):
        log_in(client, f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = log_in(client, "learner", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429 and not is_signed_in(client)


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_only_the_address_it_appended_counts(client: Client, learner: User) -> None:
    for n in range(LOGIN_PER_ADDRESS.attempts):
        # The client writes what it likes first; the proxy appends the address it saw.
        log_in(client, f"guess-{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7")

    spoofed = log_in(client, "learner", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    other_client = log_in(Client(), "learner", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.9")

    assert spoofed.status_code == 429
    assert other_client.status_code == 302


def test_join_code_guessing_is_limited(client: Client, learner: User) -> None:
    teacher = User.objects.create_user("teacher", password=PASSWORD)
    teacher_make(user=teacher)
    classroom = classroom_create(teacher=teacher, name="Civics 9B")
    client.force_login(learner)
    url = reverse("lessons:join_class")

    statuses = [client.post(url, {"code": f"ZZZZZZ{n:02d}"}).status_code for n in range(12)]
    right = client.post(url, {"code": classroom.join_code})

    assert statuses[: JOIN_PER_ACCOUNT.attempts] == [400] * JOIN_PER_ACCOUNT.attempts
    assert set(statuses[JOIN_PER_ACCOUNT.attempts :]) == {429}
    assert right.status_code == 429
    assert not Enrollment.objects.exists()


def test_join_code_guessing_from_many_accounts_is_limited_per_address(client: Client) -> None:
    url = reverse("lessons:join_class")
    for n in range(JOIN_PER_ADDRESS.attempts // JOIN_PER_ACCOUNT.attempts + 1):
        client.force_login(User.objects.create_user(f"guesser-{n}", password=PASSWORD))
        statuses = [
            client.post(url, {"code": f"ZZZZZZ{m:02d}"}, REMOTE_ADDR="203.0.113.7").status_code
            for m in range(JOIN_PER_ACCOUNT.attempts - 1)
        ]
    assert statuses[-1] == 429


def test_sign_ups_are_limited_per_address(client: Client) -> None:
    def sign_up(n: int) -> Any:
        data = {"username": f"new-{n}", "password1": PASSWORD, "password2": PASSWORD}
        return Client().post(reverse("signup"), data, REMOTE_ADDR="203.0.113.7")

    statuses = [sign_up(n).status_code for n in range(SIGNUP_PER_ADDRESS.attempts + 2)]

    assert statuses[: SIGNUP_PER_ADDRESS.attempts] == [302] * SIGNUP_PER_ADDRESS.attempts
    assert set(statuses[SIGNUP_PER_ADDRESS.attempts :]) == {429}
    assert User.objects.count() == SIGNUP_PER_ADDRESS.attempts


def test_password_reset_requests_are_limited(client: Client, learner: User) -> None:
    url = reverse("password_reset")
    statuses = [client.post(url, {"email": "learner@example.org"}).status_code for _ in range(6)]

    assert statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}
    assert len(mail.outbox) == 3
