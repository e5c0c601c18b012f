"""The password hasher of one-time passwords, the ones a teacher is shown when a roster is imported.

A one-time password is 16 characters drawn at random from 32 (80 bits), used once and replaced at the first
login, and it expires (settings.ONE_TIME_PASSWORD_MAX_AGE). Its strength is its randomness: guessing 2⁸⁰
values is out of reach at any hashing speed, so the slow hashing a chosen password needs would only make a
roster of 200 students take minutes. At the first login Django re-hashes it with the site's default hasher
(the first of PASSWORD_HASHERS), and the student then replaces it.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "one_time_pbkdf2_sha256"
    iterations = 1_000
