"""A learner's pages in the states they reach after each action, each with its message or result, checked
with axe-core at 1280 and 375 px: a confirmation on the profile, the lesson page (and printed as a
worksheet), the review queue right after a miss and after a partial answer, and the player with the
evidence marked by the server. One journey in one page, so the suite pays for one sign-in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from browser_support import sign_in
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import BrowserContext, expect

from lessons.models import Lesson, ReviewItem, ReviewResult

pytestmark = pytest.mark.browser


def test_a_learners_pages_after_each_action(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    live_lesson: Lesson,
    first_lesson_data: dict[str, Any],
    state_check: Callable[..., None],
) -> None:
    learner = User.objects.create_user("learner-states")
    page = sign_in(new_context(), live_server, learner).new_page()
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)

    # A confirmation: the time zone chosen on the profile.
    page.goto(live_server.url + reverse("profile"))
    page.get_by_role("combobox", name="Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Save the time zone").click()
    expect(page.get_by_role("status")).to_have_text("Dates and times are now shown in America/New_York.")
    state_check(page, "profile-confirmation")

    # The header reaches the catalogue, then the lesson page: labels, not ids, and its content language.
    learning = page.get_by_role("navigation", name="Learning")
    learning.get_by_role("link", name="Lessons").click()
    expect(page).to_have_url(live_server.url + reverse("lessons:home"))
    page.locator(".lesson-card").get_by_role("link", name=live_lesson.title).click()
    q01 = page.locator("#question-q01")
    expect(q01.locator(".meta")).to_have_text("Actors · Single choice · 1 point")
    expect(page.locator("#article-heading")).to_have_attribute("lang", "en")
    state_check(page, "lesson-page", screenshot=True)
    # Printed: a worksheet of the article and the questions with room to answer; no header, no start link.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Start the lesson")).to_be_hidden()
    expect(q01.locator(".answer-space")).to_be_visible()
    expect(page.locator("#question-q22 .answer-space")).to_be_visible()
    page.emulate_media(media="screen")
    expect(q01.locator(".answer-space")).to_be_hidden()

    # A miss in the player is due for review at once: the header's review link finds it.
    page.get_by_role("link", name="Start the lesson").click()
    player_q01 = page.locator("#question-q01")
    player_q01.get_by_role("radio", name="Venezuela’s Defense Minister", exact=True).check()
    player_q01.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback-q01")).to_have_class(re.compile(r"\bverdict-wrong\b"))
    page.get_by_role("navigation", name="Learning").get_by_role("link", name="Review").click()
    expect(page.locator("#due-count")).to_have_text("1 question is due for review now.")
    expect(page.locator(".last-result")).to_have_text("Last time: Missed")
    state_check(page, "review-due-at-once")

    # Right, but without the supporting sentence: a partial answer, back soon, and the page says when.
    review_q01 = page.locator("#question-q01")
    review_q01.get_by_role("radio", name="Venezuela’s Transport Minister", exact=True).check()
    review_q01.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback-q01-live")).to_be_focused()
    expect(page.locator("#due-count")).to_have_text("That was the last question due for now.")
    upcoming = page.locator("#review-upcoming")
    expect(upcoming).to_contain_text("1 more question comes back later.")
    expect(upcoming).to_contain_text("1 partly right")
    item = ReviewItem.objects.get(learner=learner)
    assert item.last_result == ReviewResult.PARTIAL
    expect(upcoming.locator("time")).to_have_attribute(
        "datetime", item.due.astimezone(ZoneInfo("America/New_York")).isoformat()
    )
    expect(upcoming.locator("abbr.zone")).to_have_attribute("title", "America/New_York")
    state_check(page, "review-after-partial-answer", screenshot=True)

    # The player as a plain form leaves it after an answer: the evidence marked by the server, labelled.
    page.goto(live_server.url + reverse("lessons:play", args=[live_lesson.slug]) + "?answered=q01")
    marked = page.locator(".player-article .sentence.evidence mark")
    expect(marked).to_have_count(len(first_lesson_data["questions"][0]["evidence"]))
    expect(marked.first.locator(".visually-hidden")).to_have_text("Evidence for question 1:")
    marked.first.scroll_into_view_if_needed()
    state_check(page, "player-evidence-marked", screenshot=True)
    # With JavaScript the next answer moves the highlight, and the server's mark and its label go.
    q03 = page.locator("#question-q03")
    q03.get_by_label("Your answer").fill("Xi Jinping")
    q03.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback-q03-live")).to_be_focused()
    expect(page.locator(".player-article mark")).to_have_count(0)
    expect(page.locator("#sentence-p3s4")).not_to_have_class(re.compile(r"\bevidence\b"))
    expect(page.locator(".player-article .sentence.evidence").first).to_be_visible()

    assert page.request.get(live_server.url + "/favicon.ico").ok
    assert failed == []
