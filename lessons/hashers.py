"""The site's password hashers: Argon2id sized for a school's bell, and the cheap one of one-time passwords.

Argon2id (`SchoolArgon2PasswordHasher`) is the site's default. Its cost is chosen so that a class signing
in at once does not stall the server: on the 2-core server this site was measured on (`make bench-logins`),
Django's own Argon2 settings (100 MiB, 8 lanes) took over a second per check and PBKDF2 at Django's 1,000,000
iterations 417 ms, so 200 students at the bell were over 80 CPU-seconds. OWASP's first recommended Argon2id
setting (19 MiB of memory, 2 passes, 1 lane) takes 60–70 ms there, under the 100 ms budget, while each guess
still needs 19 MiB of memory, which is what makes Argon2 costly to attack with GPUs. A password hashed with
another hasher or other parameters (PBKDF2 from before) still verifies and is re-hashed with these at the
next login (Django's `must_update`).

A one-time password is 16 characters drawn at random from 32 (80 bits), used once and replaced at the first
login, and it expires (settings.ONE_TIME_PASSWORD_MAX_AGE). Its strength is its randomness: guessing 2⁸⁰
values is out of reach at any hashing speed, so the slow hashing a chosen password needs would only make a
roster of 200 students take minutes. At the first login Django re-hashes it with the site's default hasher
(the first of PASSWORD_HASHERS), and the student then replaces it.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


class SchoolArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's 19 MiB, 2 passes, 1 lane (its algorithm name stays Django's `argon2`)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = "one_time_pbkdf2_sha256"
    iterations = 1_000
