"""Shared fixtures: the first lesson (its document, and the lesson it imports to) and two learners."""

import gc
import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from factories.lessons import first_lesson_document, load_lesson, second_lesson_document
from factories.people import LearnerFactory
from migrated_template import install as migrate_test_database_once

from lessons.models import Lesson
from lessons.selectors.revisions import forget_revisions
from lessons.web.question_fragments import forget_question_fragments

# Fixtures shared by the progress tests of two layers (selectors and pages).
pytest_plugins = ["progress_scenario"]

# SQLite's in-memory test database is copied from one migrated by an earlier run (tests/migrated_template.py).
migrate_test_database_once()


BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: one worker per core, and one more when the browser tests are to run. Those spend much of
    their time waiting (for Chromium, for the live server's thread, for a countdown), and the extra worker
    runs other tests in that time; without it a core sits idle. $PYTEST_XDIST_AUTO_NUM_WORKERS still
    decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1 if any(_reaches_browser_tests(arg) for arg in config.args) else cores


def _reaches_browser_tests(arg: str) -> bool:
    """Whether this command-line path is tests/browser, a file in it, or a folder holding it."""
    path = Path(arg.split("::", 1)[0]).resolve()
    return path == BROWSER_TESTS or BROWSER_TESTS in path.parents or path in BROWSER_TESTS.parents


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once collected, the modules, settings and test items stay for the whole run: frozen, the garbage
    collector no longer walks them at every collection, and it collects less often (the tests render many
    templates, which allocate objects by the hundred thousand)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


@pytest.fixture(autouse=True)
def _fresh_abuse_limits() -> None:
    """Every test starts with no tries counted (services.throttle keeps them in the cache)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _cold_revision_memory() -> None:
    """Every test starts with no revision, nor a question's HTML, kept in memory: SQLite gives a rolled-back
    revision's (and assignment's) id again."""
    forget_revisions()
    forget_question_fragments()


@pytest.fixture
def first_lesson_data() -> dict[str, Any]:
    return first_lesson_document()


@pytest.fixture
def first_lesson(db: None, first_lesson_data: dict[str, Any]) -> Lesson:
    """The first lesson as importing its file makes it (copied in bulk after the first import of a run)."""
    return load_lesson(first_lesson_data)


@pytest.fixture
def second_lesson_data() -> dict[str, Any]:
    return second_lesson_document()


@pytest.fixture
def second_lesson(db: None, second_lesson_data: dict[str, Any]) -> Lesson:
    """The second, small lesson of the tests' own (tests/fixture_lessons/second_lesson.json)."""
    return load_lesson(second_lesson_data)


@pytest.fixture
def learner(db: None) -> User:
    """`learner`, an account in no class."""
    return LearnerFactory(username="learner")


@pytest.fixture
def other_learner(db: None) -> User:
    return LearnerFactory(username="someone-else")
