"""A teacher makes a lesson from a pasted article in a real browser: the details, the pasted text, the
sentences the splitter found (merging two), then the lesson's actors page with the names it highlights.
axe-core finds nothing serious on each step; screenshots at 1280 and 375 px (tests/artifacts/studio-*)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_support import sign_in
from django.contrib.auth.models import User
from django.urls import reverse
from factories.people import TeacherFactory
from playwright.sync_api import Page, expect

from lessons.models import Lesson

ARTICLE = (
    "The Tolaran navy sent two ships to the Gulf of Tolara on Jan. 5. "
    "Officials reportedly feared a clash.\n\n"
    "Gen. Ana Ruiz said the ships would stay. “We are not leaving,” she said."
)


@pytest.fixture
def author(transactional_db: None) -> User:
    return TeacherFactory(username="rivera")


def test_a_teacher_makes_a_lesson_from_a_pasted_article(
    page: Page,
    live_server: Any,
    author: User,
    screenshot: Callable[[Page, str], list[Path]],
    axe_check: Callable[[Page], list[dict[str, Any]]],
) -> None:
    sign_in(page.context, live_server, author)
    page.goto(live_server.url + reverse("lessons:home"))
    page.get_by_role("link", name="My lessons").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My lessons")
    page.get_by_role("link", name="New lesson from an article").click()

    page.locator("#id_headline").fill("Navy ships head to the Gulf of Tolara")
    page.get_by_label("Or a new publisher").fill("The Harbour Times")
    page.get_by_label("Published on").fill("2025-01")
    page.get_by_label("original reporting by its publisher").check()
    page.get_by_label("The article’s text").fill(ARTICLE)
    axe_check(page)
    screenshot(page, "studio-new-article")
    page.get_by_role("button", name="Cut into sentences").click()

    box = page.get_by_label("Sentences")
    expect(box).to_have_value(
        "The Tolaran navy sent two ships to the Gulf of Tolara on Jan. 5.\n"
        "Officials reportedly feared a clash.\n\n"
        "Gen. Ana Ruiz said the ships would stay.\n“We are not leaving,” she said."
    )
    axe_check(page)
    screenshot(page, "studio-sentences")
    box.fill(box.input_value().replace("stay.\n“We", "stay. “We"))  # merge the last two sentences
    page.get_by_role("button", name="Make the lesson").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Actors & treaties")
    lesson = Lesson.objects.get()
    assert list(lesson.article.sentences.values_list("key", flat=True)) == ["p1s1", "p1s2", "p2s1"]
    expect(page.get_by_role("link", name="Add “Ana Ruiz” as an actor")).to_be_visible()
    page.get_by_role("link", name="Add “Ana Ruiz” as an actor").click()
    expect(page.locator("#id_new-actor-name")).to_have_value("Ana Ruiz")
    page.locator("#id_new-actor-kind").select_option("person")
    page.locator("#id_new-actor-role").fill("General")
    page.get_by_role("button", name="Create the actor").click()
    expect(page.locator("mark", has_text="Ana Ruiz")).to_be_visible()
    axe_check(page)
    screenshot(page, "studio-actors")
