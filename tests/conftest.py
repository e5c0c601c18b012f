"""Shared fixtures: the first lesson imported from its fixture file, and users."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache

from lessons.models import Lesson
from lessons.services import lesson_import

# Fixtures shared by the progress tests of two layers (selectors and pages).
pytest_plugins = ["progress_scenario"]

FIRST_LESSON_FILE = Path(settings.BASE_DIR) / "fixtures" / "lessons" / "venezuela-military-aid.json"


@pytest.fixture(autouse=True)
def _fresh_abuse_limits() -> None:
    """Every test starts with no tries counted (services.throttle keeps them in the cache)."""
    cache.clear()


@pytest.fixture
def first_lesson_data() -> dict[str, Any]:
    return json.loads(FIRST_LESSON_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def first_lesson(db: None, first_lesson_data: dict[str, Any]) -> Lesson:
    return lesson_import(data=first_lesson_data)
