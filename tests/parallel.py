"""Running one piece of work in many threads at once, each with its own database connection.

Importable from any test module: the root conftest's folder (tests/) is on sys.path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def in_parallel(count: int, work: Callable[[int], T]) -> tuple[list[T], list[BaseException]]:
    """Run `work(0)` … `work(count - 1)` in `count` threads released together; their results and errors."""
    barrier = threading.Barrier(count, timeout=10)
    results: list[T] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            result = work(index)
        except BaseException as error:  # reported to the test
            with lock:
                errors.append(error)
        else:
            with lock:
                results.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running"
    return results, errors
