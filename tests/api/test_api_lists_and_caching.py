"""Lists (pagination, filters, ordering), the lesson's ETag with If-None-Match, and the throttles on
anonymous use and join codes."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import MakeApi, error_of
from django.contrib.auth.models import User
from django.core.cache import cache
from factories.classroom import ClassroomFactory
from factories.lessons import load_lesson
from rest_framework.throttling import AnonRateThrottle

from lessons.models import Classroom, Lesson
from lessons.services.lessons import lesson_import


@pytest.fixture
def clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_the_lesson_has_an_etag_and_if_none_match_gives_a_304(
    make_api: MakeApi, first_lesson: Lesson
) -> None:
    api = make_api(None)
    first = api.get(f"lessons/{first_lesson.slug}/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"lesson-r')
    assert "no-store" not in first["Cache-Control"] and "private" in first["Cache-Control"]

    again = api.client.get(f"/api/v1/lessons/{first_lesson.slug}/", headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    other = api.client.get(f"/api/v1/lessons/{first_lesson.slug}/", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200 and other.json() == first.json()


def test_a_new_revision_changes_the_etag(
    make_api: MakeApi, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    api = make_api(None)
    before = api.get(f"lessons/{first_lesson.slug}/")["ETag"]
    changed = copy.deepcopy(first_lesson_data)
    changed["lesson"]["title"] += " (corrected)"
    lesson_import(data=changed, replace=True)  # published content changed: a new revision
    after = api.client.get(f"/api/v1/lessons/{first_lesson.slug}/", headers={"If-None-Match": before})
    assert after.status_code == 200 and after["ETag"] != before


def test_the_catalogue_is_ordered_on_request(make_api: MakeApi, first_lesson_data: dict[str, Any]) -> None:
    for slug, minutes in (("short-one", 5), ("long-one", 90)):
        document = copy.deepcopy(first_lesson_data)
        document["lesson"].update(slug=slug, estimated_minutes=minutes)
        load_lesson(document)
    api = make_api(None)

    def slugs(**params: str) -> list[str]:
        return [card["slug"] for card in api.get("lessons/", **params).json()["results"]]

    assert slugs(ordering="minutes") == ["short-one", "long-one"]
    assert slugs(ordering="-minutes") == ["long-one", "short-one"]
    bad = api.get("lessons/", ordering="secret")
    assert bad.status_code == 400 and set(error_of(bad)["fields"]) == {"ordering"}


def test_classes_are_paginated_filtered_and_ordered(
    make_api: MakeApi, teacher: User, classroom: Classroom
) -> None:
    ClassroomFactory(teacher=teacher, name="Art 7A")
    api = make_api(teacher)

    page = api.get("teach/classes/").json()
    assert (page["count"], page["next"], page["previous"]) == (2, None, None)
    assert [c["name"] for c in page["results"]] == ["Art 7A", "Civics 9B"]
    assert [c["name"] for c in api.get("teach/classes/", ordering="-students").json()["results"]] == [
        "Civics 9B",
        "Art 7A",
    ]
    assert [c["name"] for c in api.get("teach/classes/", name="civ").json()["results"]] == ["Civics 9B"]
    assert api.get("teach/classes/", page="9").status_code == 404


def test_anonymous_use_is_throttled_with_retry_after(
    make_api: MakeApi, first_lesson: Lesson, monkeypatch: pytest.MonkeyPatch, clean_cache: None
) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    api = make_api(None)
    assert [api.get("lessons/").status_code for _ in range(2)] == [200, 200]
    refused = api.get("lessons/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert error_of(refused)["code"] == "throttled"


def test_wrong_join_codes_are_throttled_per_account(
    make_api: MakeApi, learner: User, clean_cache: None
) -> None:
    api = make_api(learner)
    statuses = [api.post("classes/join/", {"code": "ZZZZ-ZZZZ"}).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    assert int(api.post("classes/join/", {"code": "ZZZZ-ZZZZ"})["Retry-After"]) == 15 * 60
