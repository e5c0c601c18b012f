"""Benchmark (not a test): a class signing in at the bell, as CPU time of password checks.

Checks one password `--logins` times (200) split over `--workers` processes (2, as the gunicorn workers),
with the site's hasher (Argon2id, lessons.hashers) and, for comparison, Django's PBKDF2 at its default
iterations and Django's default Argon2 parameters. Prints per hasher the median milliseconds of one check,
the CPU-seconds of the burst and its wall time on this machine; `--json FILE` writes them too.

    .venv/bin/python tests/perf/perf_logins.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings.test")

PASSWORD = "a long chosen passphrase"
HASHERS = {
    "site argon2id (19 MiB, t=2, p=1)": "lessons.hashers.SchoolArgon2PasswordHasher",
    "django pbkdf2_sha256 (1,000,000)": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django argon2 default (100 MiB, t=2, p=8)": "django.contrib.auth.hashers.Argon2PasswordHasher",
}


def _hasher(path: str) -> object:
    import django
    from django.utils.module_loading import import_string

    django.setup()
    return import_string(path)()


def _check(path: str, encoded: str, count: int) -> tuple[float, list[float]]:
    hasher = _hasher(path)
    started = time.process_time()
    each = []
    for _ in range(count):
        before = time.perf_counter()
        assert hasher.verify(PASSWORD, encoded)  # type: ignore[attr-defined]
        each.append(time.perf_counter() - before)
    return time.process_time() - started, each


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    for name, path in HASHERS.items():
        hasher = _hasher(path)
        encoded = hasher.encode(PASSWORD, hasher.salt())  # type: ignore[attr-defined]
        share = [args.logins // args.workers] * args.workers
        wall = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            parts = list(pool.map(_check, [path] * args.workers, [encoded] * args.workers, share))
        wall = time.perf_counter() - wall
        times = [t for _cpu, each in parts for t in each]
        results[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "cpu_seconds": round(sum(cpu for cpu, _each in parts), 1),
            "wall_seconds": round(wall, 1),
        }
        print(f"{name:45} {results[name]}", flush=True)
    if args.json:
        figures = {"logins": args.logins, "workers": args.workers, **results}
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
