"""Passwords under the production hashers: Argon2id at the parameters measured for a class signing in at
once (lessons.hashers), and the PBKDF2 passwords set before still log in and are re-hashed with it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher, make_password
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from factories.people import LearnerFactory

from lessons.hashers import SchoolArgon2PasswordHasher
from quizsite.settings.base import PASSWORD_HASHERS as PRODUCTION_HASHERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_hashers")]

PASSWORD = "a long chosen passphrase"


@pytest.fixture
def production_hashers() -> object:
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        yield


def argon2_parameters(encoded: str) -> tuple[str, int, int, int]:
    decoded = identify_hasher(encoded).decode(encoded)
    return decoded["variety"], decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]


def test_a_new_password_is_hashed_with_argon2id_at_19_mib_2_passes_1_lane() -> None:
    encoded = make_password(PASSWORD)

    assert encoded.startswith("argon2$argon2id$")
    assert argon2_parameters(encoded) == ("argon2id", 19 * 1024, 2, 1)
    assert check_password(PASSWORD, encoded) and not check_password("another passphrase", encoded)


def test_a_pbkdf2_password_set_before_logs_in_and_is_rehashed_with_argon2() -> None:
    # Few iterations keep the test fast; the hash carries its own count, so it verifies all the same.
    old_hash = PBKDF2PasswordHasher().encode(PASSWORD, "oldsaltoldsalt", iterations=1_000)
    student = LearnerFactory(username="from-before")
    User.objects.filter(pk=student.pk).update(password=old_hash)

    refused = Client().post(reverse("login"), {"username": "from-before", "password": "wrong passphrase"})
    student.refresh_from_db()
    assert refused.status_code == 200 and student.password == old_hash  # a wrong password changes nothing

    response = Client().post(reverse("login"), {"username": "from-before", "password": PASSWORD})

    assert response.status_code == 302
    student.refresh_from_db()
    assert argon2_parameters(student.password) == ("argon2id", 19 * 1024, 2, 1)
    assert check_password(PASSWORD, student.password)


def test_an_argon2_hash_with_other_parameters_is_rehashed_at_login() -> None:
    class Heavier(SchoolArgon2PasswordHasher):
        time_cost = 3

    student = LearnerFactory(username="heavier")
    User.objects.filter(pk=student.pk).update(password=Heavier().encode(PASSWORD, Heavier().salt()))

    assert Client().post(reverse("login"), {"username": "heavier", "password": PASSWORD}).status_code == 302

    student.refresh_from_db()
    assert argon2_parameters(student.password) == ("argon2id", 19 * 1024, 2, 1)
