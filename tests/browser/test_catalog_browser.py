"""The catalogue journey in a real Chromium: home page → lesson page, with and without JavaScript."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from lessons.models import Lesson

pytestmark = pytest.mark.browser

MOBILE_WIDTH = 375


def open_home(page: Page, live_server: Any) -> None:
    page.goto(live_server.url + reverse("lessons:home"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def open_lesson_from_home(page: Page, live_server: Any, lesson: Lesson) -> None:
    open_home(page, live_server)
    link = page.locator(".lesson-card").get_by_role("link", name=lesson.title)
    expect(link).to_be_visible()
    link.click()
    lesson_path = reverse("lessons:lesson_detail", args=[lesson.slug])
    expect(page).to_have_url(re.compile(re.escape(lesson_path) + "$"))


def assert_lesson_page_shown(page: Page, lesson: Lesson, data: dict[str, Any]) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    first_sentence = data["article"]["paragraphs"][0][0]
    expect(page.locator(f"#sentence-{first_sentence['id']}")).to_have_text(first_sentence["text"])
    sentence_count = sum(len(paragraph) for paragraph in data["article"]["paragraphs"])
    expect(page.locator(".article .sentence")).to_have_count(sentence_count)
    names = {actor["id"]: actor["name"] for actor in data["actors"]}
    for actor_id in data["lesson"]["actors"]:
        card = page.locator(f"#actor-{actor_id}")
        expect(card).to_be_visible()
        expect(card).to_contain_text(names[actor_id])  # its facts may wait for the questions
    for treaty_id in data["lesson"]["treaties"]:
        expect(page.locator(f"#treaty-{treaty_id}")).to_be_visible()
    expect(page.locator("li.question")).to_have_count(len(data["questions"]))
    expect(page.locator("li.question").first).to_be_visible()


def test_home_lists_the_lesson_and_opens_it(
    page: Page, live_server: Any, live_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    open_lesson_from_home(page, live_server, live_lesson)

    assert_lesson_page_shown(page, live_lesson, first_lesson_data)


def test_the_journey_works_without_javascript(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    live_lesson: Lesson,
    first_lesson_data: dict[str, Any],
) -> None:
    page = new_context(java_script_enabled=False).new_page()

    open_lesson_from_home(page, live_server, live_lesson)

    assert_lesson_page_shown(page, live_lesson, first_lesson_data)


def test_home_and_lesson_pages_have_no_serious_axe_violations(
    page: Page, live_server: Any, live_lesson: Lesson, axe_check: Callable[[Page], list[dict[str, Any]]]
) -> None:
    open_home(page, live_server)
    assert axe_check(page) == []

    open_lesson_from_home(page, live_server, live_lesson)
    assert axe_check(page) == []


def test_screenshots_at_desktop_and_phone_widths_without_sideways_scrolling(
    page: Page,
    live_server: Any,
    live_lesson: Lesson,
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    for name, url in (
        ("home", reverse("lessons:home")),
        ("lesson", reverse("lessons:lesson_detail", args=[live_lesson.slug])),
    ):
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

        paths = screenshot(page, name)

        assert [path.name for path in paths] == [f"{name}-1280.png", f"{name}-375.png"]
        assert all(path.stat().st_size > 0 for path in paths)
        page.set_viewport_size({"width": MOBILE_WIDTH, "height": 800})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= MOBILE_WIDTH, f"{name} scrolls sideways at {MOBILE_WIDTH}px: {scroll_width}px"


def test_tab_from_page_load_reaches_the_visible_skip_link_first(
    page: Page, live_server: Any, live_lesson: Lesson
) -> None:
    page.goto(live_server.url + reverse("lessons:lesson_detail", args=[live_lesson.slug]))
    skip_link = page.locator("a.skip-link")
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    expect(skip_link).to_be_in_viewport()
    expect(skip_link).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
