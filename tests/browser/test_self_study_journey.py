"""The self-study journey in a real Chromium, with JavaScript on (htmx) and off (plain forms).

A new learner signs up, opens the first lesson from the catalogue, starts it, answers one question of every
kind (some wrong on purpose) and reads each feedback, finishes, reads the score by focus on the summary and on
the progress page, and answers a missed question from the review queue. Separate tests check the pages with
axe-core and save their screenshots, and log the demo `student` in through the login form.

Questions are always found by `#question-<id>`; every wait is on a locator or `expect`, never a sleep.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_support import sign_in
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import BrowserContext, Locator, Page, expect

from lessons import services
from lessons.management.commands.load_demo import DEMO_PASSWORD
from lessons.models import Lesson, ReviewItem

pytestmark = pytest.mark.browser

PASSWORD = "quiet-harbour-lantern-58"  # passes AUTH_PASSWORD_VALIDATORS
MOBILE_WIDTH = 375


@dataclass(frozen=True)
class Step:
    """One answer of the journey: what is given (ids, as the answer shape grading expects) and the feedback
    it must get."""

    key: str
    kind: str
    answer: Any
    verdict: str  # the .feedback.verdict-<verdict> class: right, partly, wrong or teacher
    label: str  # the verdict as the learner reads it
    points: str  # "" for an open response, which is not scored automatically
    evidence: list[str] | None = None


# One question of every kind; q01 and q10 wrong, q02, q06 and q19 partly right, q23 right without its evidence
# part: those six join the review queue (a fully right answer does not, an open response is never scheduled).
STEPS = (
    Step("q01", "single_choice", "b", "wrong", "Not right", "0 of 2 points"),
    Step(
        "q02",
        "matching",
        {  # the sources of two statements swapped, the other four right: 4 of 6 matches
            "i-cartels": "o-docs",
            "i-war": "o-maduro",
            "i-sovereignty": "o-zakharova",
            "i-requests": "o-trump",
            "i-responses": "o-post",
            "i-support": "o-no-one",
        },
        "partly",
        "Partly right",
        "2 of 3 points",
    ),
    Step("q03", "short_answer", "xi jingping", "right", "Right", "1 of 1 point"),  # a listed misspelling
    Step("q06", "multiple_select", ["missiles", "jet-repairs"], "partly", "Partly right", "1.33 of 2 points"),
    Step("q07", "ordering", ["s-docs", "s-post", "s-article"], "right", "Right", "2 of 2 points"),
    Step("q10", "true_false", True, "wrong", "Not right", "0 of 1 point"),
    Step("q16", "evidence", ["p3s8"], "right", "Right", "1 of 1 point"),
    Step(
        "q19",
        "attribution",
        {"asserted_by": "ab-post", "source": "src-docs", "standing": "alleged"},  # the standing is wrong
        "partly",
        "Partly right",
        "2 of 3 points",
    ),
    Step("q23", "numeric", 1000, "right", "Right", "1 of 2 points"),  # the evidence part left out
    Step(
        "q22",
        "open_response",
        "Only requests are reported, by the Post citing US documents; how Russia, China or Iran answered is "
        "unclear. Confirmed: Russia ratified the treaty and Zakharova spoke on the record.",
        "teacher",
        "Not scored automatically",
        "",
    ),
)
MISSED = ["q01", "q02", "q06", "q10", "q19", "q23"]
ALL_KINDS = {
    "single_choice",
    "multiple_select",
    "true_false",
    "short_answer",
    "matching",
    "ordering",
    "evidence",
    "attribution",
    "open_response",
    "numeric",
}

# The summary counts every auto-scored question of a focus, answered or not (points + evidence part):
# actors q01-q04, q06 = 10, events q05 = 1, treaties q08-q13 = 8, sourcing q07, q14-q21, q23, q24 = 22 (q22 is
# an open answer).
SUMMARY_BY_FOCUS = {
    "actor": ("Actors", "4.33 of 10", "4 of 5 questions"),
    "treaty": ("Treaties", "0 of 8", "1 of 6 questions"),
    "sourcing": ("Sourcing", "6 of 22", "5 of 12 questions"),
    "event": ("Events and timeline", "0 of 1", "0 of 1 question"),
}
SUMMARY_TOTAL = "10.33 of 41 points"
# The progress page counts only the answers scored automatically: actors 4.33 of 2+3+1+2, treaties 0 of 1,
# sourcing 2+1+2+1 of 2+1+3+2 (q07, q16, q19, q23); no event question was answered.
PROGRESS_BY_FOCUS = {
    "actor": ("Actors", "4.33 of 8", "54%"),
    "treaty": ("Treaties", "0 of 1", "0%"),
    "sourcing": ("Sourcing", "6 of 8", "75%"),
}


def test_the_steps_cover_every_question_kind(first_lesson_data: dict[str, Any]) -> None:
    kinds = {question["id"]: question["kind"] for question in first_lesson_data["questions"]}
    assert {step.kind for step in STEPS} == ALL_KINDS
    assert all(kinds[step.key] == step.kind for step in STEPS)


# ----------------------------------------------------------------------------------------------------
# Helpers


def questions_by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {question["id"]: question for question in data["questions"]}


def sentence_texts(data: dict[str, Any]) -> dict[str, str]:
    return {
        sentence["id"]: sentence["text"]
        for paragraph in data["article"]["paragraphs"]
        for sentence in paragraph
    }


def option_text(question: dict[str, Any], option_id: str) -> str:
    return next(option["text"] for option in question["options"] if option["id"] == option_id)


def item_text(question: dict[str, Any], item_id: str) -> str:
    return next(item["text"] for item in question["items"] if item["id"] == item_id)


def plain(markdown: str) -> str:
    """The start of a teacher's Markdown as the page shows it (emphasis marks gone)."""
    return markdown.replace("*", "")[:60]


def url_ending(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path) + "$")


def sign_up(page: Page, live_server: Any, username: str) -> None:
    """Sign up through the form, reached from the site header; the new learner lands on the catalogue."""
    page.goto(live_server.url + reverse("lessons:home"))
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password confirmation:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(url_ending(reverse("lessons:home")))
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()
    assert User.objects.filter(username=username, is_staff=False).exists()


def open_and_start_first_lesson(page: Page, lesson: Lesson) -> None:
    """From the catalogue: the lesson's card → the lesson page → its start link → the player."""
    page.locator(".lesson-card").get_by_role("link", name=lesson.title).click()
    expect(page).to_have_url(url_ending(reverse("lessons:lesson_detail", args=[lesson.slug])))
    start = page.get_by_role("link", name=re.compile(r"^Start", re.IGNORECASE))
    # This link was missing: the player could not be reached from the catalogue.
    expect(start, "the lesson page has a link that starts the lesson").to_have_attribute(
        "href", reverse("lessons:play", args=[lesson.slug])
    )
    start.click()
    expect(page).to_have_url(url_ending(reverse("lessons:play", args=[lesson.slug])))
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)


def fill_answer(page: Page, step: Step, data: dict[str, Any], *, js: bool) -> None:
    """Fill one question's form as a learner would: with the mouse, the Up/Down buttons and clickable
    sentences when JavaScript runs; with the position selects and checkboxes when it does not."""
    question_data = questions_by_id(data)[step.key]
    question = page.locator(f"#question-{step.key}")
    form = question.locator("form.answer-form")
    if step.kind in ("single_choice", "multiple_select"):
        chosen = [step.answer] if isinstance(step.answer, str) else step.answer
        for option_id in chosen:
            name = option_text(question_data, option_id)
            if step.kind == "single_choice":
                form.get_by_role("radio", name=name, exact=True).check()
            else:
                form.get_by_role("checkbox", name=name, exact=True).check()
    elif step.kind == "true_false":
        form.get_by_role("radio", name="True" if step.answer else "False", exact=True).check()
    elif step.kind in ("short_answer", "open_response", "numeric"):
        form.get_by_label("Your answer").fill(str(step.answer))
    elif step.kind == "matching":
        for item_id, option_id in step.answer.items():
            form.get_by_label(item_text(question_data, item_id), exact=True).select_option(
                label=option_text(question_data, option_id)
            )
    elif step.kind == "ordering":
        order_items(page, question, question_data, step.answer, js=js)
    elif step.kind == "evidence":
        pick_sentences(page, question, step.answer, sentence_texts(data), js=js)
    elif step.kind == "attribution":
        form.get_by_label("Who makes the claim?").select_option(
            label=option_text(question_data, step.answer["asserted_by"])
        )
        form.get_by_label("Through which source?").select_option(
            label=option_text(question_data, step.answer["source"])
        )
        form.get_by_role("radio", name=step.answer["standing"].capitalize(), exact=True).check()
    else:  # pragma: no cover - the steps cover the kinds above
        raise AssertionError(step.kind)


def move_name(direction: str, item: str) -> re.Pattern[str]:
    """An Up/Down button's accessible name; Chromium computes "Down : <item>" (a space before the
    visually hidden part), a screen reader "Down: <item>"."""
    return re.compile(rf"^{direction}\s*:\s*{re.escape(item)}$")


def order_items(
    page: Page, question: Locator, question_data: dict[str, Any], order: list[str], *, js: bool
) -> None:
    items = question.locator("[data-reorder-item]")
    shown = [
        name.removeprefix("position-")
        for name in items.locator("select").evaluate_all("s => s.map(e => e.name)")
    ]
    # Never the key's order (the page arranges the items against it), whatever order the file stores.
    assert sorted(shown) == sorted(order) and shown != order
    if js:
        # Each item in turn moved up to its place with the accessible buttons, named "Up: <item>" for
        # screen readers; each move announced.
        for position, item_id in enumerate(order):
            text = item_text(question_data, item_id)
            while shown.index(item_id) > position:
                question.get_by_role("button", name=move_name("Up", text)).click()
                at = shown.index(item_id)
                shown[at - 1], shown[at] = shown[at], shown[at - 1]
                expect(page.locator("#player-status")).to_have_text(
                    f"“{text}” is now at position {at} of {len(order)}."
                )
        expect(items.locator(".item-text")).to_have_text([item_text(question_data, item) for item in order])
    else:
        expect(question.locator("button.move").first).to_be_hidden()  # no JavaScript, no buttons
        for position, item_id in enumerate(order, start=1):
            question.get_by_label(f"Position of {item_text(question_data, item_id)}").select_option(
                str(position)
            )
    for position, item_id in enumerate(order, start=1):
        expect(question.locator(f"select[name='position-{item_id}']")).to_have_value(str(position))


def pick_sentences(
    page: Page, question: Locator, picks: list[str], texts: dict[str, str], *, js: bool
) -> None:
    picker = question.locator("[data-sentence-picker='answer']")
    if js:
        # Focus inside the question makes it the one the article's sentences pick for (as tabbing in does).
        picker.get_by_role("checkbox").first.focus()
        expect(page.locator("#pick-hint")).to_contain_text("Picking for Question")
        decoy = "p4s3"
        for sentence_id in [*picks, decoy, decoy]:  # a sentence clicked twice is unticked again
            page.locator(f".player-article #sentence-{sentence_id}").click()
        for sentence_id in picks:
            expect(picker.get_by_role("checkbox", name=texts[sentence_id], exact=True)).to_be_checked()
            expect(page.locator(f"#sentence-{sentence_id}")).to_have_class(re.compile(r"\bpicked\b"))
        expect(picker.get_by_role("checkbox", name=texts[decoy], exact=True)).not_to_be_checked()
        expect(page.locator(f"#sentence-{decoy}")).not_to_have_class(re.compile(r"\bpicked\b"))
    else:
        for sentence_id in picks:
            picker.get_by_role("checkbox", name=texts[sentence_id], exact=True).check()


def expect_feedback(page: Page, step: Step, data: dict[str, Any]) -> Locator:
    """The question now shows its feedback: the verdict in words, the points, the teacher's explanation, and
    for a wrong or partly right answer the right one."""
    question_data = questions_by_id(data)[step.key]
    question = page.locator(f"#question-{step.key}")
    feedback = question.locator(f"#feedback-{step.key}")
    expect(feedback).to_be_visible()
    expect(feedback).to_have_class(re.compile(rf"\bverdict-{step.verdict}\b"))
    expect(feedback.locator(".verdict strong")).to_have_text(step.label)
    if step.points:
        expect(feedback.locator(".verdict")).to_contain_text(step.points)
    expect(feedback.locator(".why")).to_contain_text(plain(question_data["answer"]["explanation"]))
    # An answer is final once its feedback shows: the form is gone.
    expect(question.locator("form.answer-form")).to_have_count(0)
    if step.verdict in ("wrong", "partly"):
        expect(feedback.locator(".right-answer li").first).to_be_visible()
    else:
        expect(feedback.locator(".right-answer")).to_have_count(0)
    if step.kind == "single_choice":
        # The teacher's feedback on the option chosen, and the right option when it was not that one.
        expect(feedback.locator(".chosen-feedback")).to_have_text(
            question_data["answer"]["option_feedback"][step.answer]
        )
        if step.verdict == "wrong":
            expect(feedback.locator(".right-answer")).to_have_text(
                option_text(question_data, question_data["answer"]["correct"])
            )
    if step.verdict == "teacher":
        expect(feedback.locator(".model-answer")).to_contain_text(
            plain(question_data["answer"]["model_answer"])
        )
    return feedback


def answer_question(page: Page, step: Step, data: dict[str, Any], *, js: bool, play_path: str) -> Locator:
    """Fill and send one answer; htmx swaps the question in place, a plain form redirects back to it."""
    question = page.locator(f"#question-{step.key}")
    fill_answer(page, step, data, js=js)
    submit = "Submit my answer" if step.kind == "open_response" else "Check my answer"
    question.get_by_role("button", name=submit).click()
    if js:
        # Focus moves to the feedback's live region, so a screen reader reads the verdict out.
        expect(page.locator(f"#feedback-{step.key}-live")).to_be_focused()
    else:
        # The address names the question answered, so the server marks its evidence in the article.
        expect(page).to_have_url(url_ending(f"{play_path}?answered={step.key}#question-{step.key}"))
    return expect_feedback(page, step, data)


def expect_summary(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your score")
    expect(page.locator("#total-score")).to_have_text(SUMMARY_TOTAL)
    expect(page.locator("table.focus-scores tbody tr")).to_have_count(len(SUMMARY_BY_FOCUS))
    for focus, (label, points, answered) in SUMMARY_BY_FOCUS.items():
        row = page.locator(f"#focus-{focus}")
        expect(row.locator("th")).to_have_text(label)
        expect(row.locator("td").nth(0)).to_have_text(points)
        expect(row.locator("td").nth(1)).to_contain_text(answered)
    expect(page.locator("#focus-sourcing")).to_contain_text("(1 open answer not counted)")
    expect(page.locator(".summary-line")).to_have_count(24)


def open_progress_from_home(page: Page) -> None:
    page.get_by_role("link", name="quizsite").click()
    page.get_by_role("link", name="See your progress").click()
    expect(page).to_have_url(url_ending(reverse("lessons:progress")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your progress")


def expect_progress(page: Page, lesson: Lesson) -> None:
    for focus, (label, points, percent) in PROGRESS_BY_FOCUS.items():
        row = page.locator(f"#focus-{focus}")
        expect(row.locator("th")).to_have_text(label)
        expect(row.locator("td").nth(0)).to_have_text(points)
        expect(row.locator(".score-text")).to_have_text(percent)
    lesson_row = page.locator(f"#lesson-{lesson.slug}")
    expect(lesson_row.get_by_role("link", name=lesson.title)).to_be_visible()
    expect(lesson_row).to_contain_text("10 of 24 questions (42%)")


def expect_missed_questions_due_at_once(username: str) -> None:
    """A question missed in whole or in part is due for its first review the moment it was answered (its
    FSRS card keeps the learning step, a minute or more later, for the reviews after that)."""
    items = ReviewItem.objects.filter(learner__username=username)
    assert sorted(item.question_key for item in items) == MISSED
    for item in items:
        assert item.due == item.last_reviewed_at, item.question_key
        assert dt.datetime.fromisoformat(item.card["due"]) > item.due, item.question_key


def answer_from_review_queue(page: Page, data: dict[str, Any], *, js: bool) -> Locator:
    """The queue holds the missed questions, oldest due first: q01, missed first. Answer it right this time,
    with its supporting sentence ticked (the review page has no article to click)."""
    page.get_by_role("link", name="quizsite").click()
    expect(page.locator(".study-summary .due-count")).to_contain_text(
        f"{len(MISSED)} questions are due for review now."
    )
    page.get_by_role("link", name="Open your review queue").click()
    expect(page).to_have_url(url_ending(reverse("lessons:review")))
    expect(page.locator("#due-count")).to_have_text(f"{len(MISSED)} questions are due for review now.")
    question_data = questions_by_id(data)["q01"]
    question = page.locator("#question-q01")
    expect(question.locator(".prompt")).to_contain_text("What position does the article give")
    question.get_by_role("radio", name=option_text(question_data, "a"), exact=True).check()
    question.locator(".evidence-part summary").click()
    question.get_by_role("checkbox", name=sentence_texts(data)["p3s4"], exact=True).check()
    question.get_by_role("button", name="Check my answer").click()
    if js:
        expect(page.locator("#feedback-q01-live")).to_be_focused()
    step = Step("q01", "single_choice", "a", "right", "Right", "2 of 2 points")
    feedback = expect_feedback(page, step, data)
    expect(page.locator("#due-count")).to_have_text(f"{len(MISSED) - 1} questions are due for review now.")
    expect(page.get_by_role("link", name="Next question")).to_be_visible()
    return feedback


def make_journey_context(new_context: Callable[..., BrowserContext], *, js: bool) -> Page:
    return new_context(java_script_enabled=js).new_page()


# ----------------------------------------------------------------------------------------------------
# The journeys


def test_self_study_journey_with_javascript(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    live_lesson: Lesson,
    first_lesson_data: dict[str, Any],
) -> None:
    page = make_journey_context(new_context, js=True)
    sign_up(page, live_server, "learner-js")
    open_and_start_first_lesson(page, live_lesson)
    play_path = reverse("lessons:play", args=[live_lesson.slug])
    expect(page.locator("#player-progress")).to_have_text("0 of 24 questions answered")
    page.evaluate("window.journeyMarker = 'no reload'")  # gone if any answer reloads the page
    evidence_sentence = page.locator("#sentence-p3s4")  # q01's evidence, in the article's third paragraph
    assert page.locator(".player-article").evaluate("article => article.scrollTop") == 0

    for number, step in enumerate(STEPS, start=1):
        answer_question(page, step, first_lesson_data, js=True, play_path=play_path)
        expect(page.locator("#player-progress")).to_have_text(f"{number} of 24 questions answered")
        if step.key == "q01":
            # The answer's event highlights its evidence in the article and scrolls the article to it.
            expect(evidence_sentence).to_have_class(re.compile(r"\bevidence\b"))
            page.wait_for_function("document.querySelector('.player-article').scrollTop > 0")
            expect(evidence_sentence).to_be_in_viewport()
        if step.key == "q16":
            expect(page.locator("#sentence-p3s8")).to_have_class(re.compile(r"\bevidence\b"))
            expect(page.locator("#sentence-p3s8")).to_be_in_viewport()
            expect(evidence_sentence).not_to_have_class(re.compile(r"\bevidence\b"))  # only the latest
    assert page.evaluate("window.journeyMarker") == "no reload"
    expect(page).to_have_url(url_ending(play_path))

    page.get_by_role("button", name="Finish and see your score").click()
    expect_summary(page)

    open_progress_from_home(page)
    expect_progress(page, live_lesson)

    expect_missed_questions_due_at_once("learner-js")
    answer_from_review_queue(page, first_lesson_data, js=True)
    expect(page).to_have_url(url_ending(reverse("lessons:review")))  # swapped in place, not posted


def test_self_study_journey_without_javascript(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    live_lesson: Lesson,
    first_lesson_data: dict[str, Any],
) -> None:
    page = make_journey_context(new_context, js=False)
    sign_up(page, live_server, "learner-nojs")
    open_and_start_first_lesson(page, live_lesson)
    play_path = reverse("lessons:play", args=[live_lesson.slug])

    for number, step in enumerate(STEPS, start=1):
        answer_question(page, step, first_lesson_data, js=False, play_path=play_path)
        expect(page.locator("#player-progress")).to_have_text(f"{number} of 24 questions answered")
        if step.key == "q01":
            # Without JavaScript the server marks the answered question's evidence in the article ...
            expect(page.locator(".player-article .sentence.evidence")).to_have_count(1)
            expect(page.locator("#sentence-p3s4.evidence mark")).to_contain_text("Evidence for question 1:")
            # ... and the feedback links to it; the CSS :target rule highlights the sentence followed.
            page.locator("#feedback-q01 .evidence-links").get_by_role("link").first.click()
            expect(page).to_have_url(url_ending(f"{play_path}?answered=q01#sentence-p3s4"))
            expect(page.locator("#sentence-p3s4:target")).to_be_in_viewport()
        if step.key == "q16":  # only the latest answer's evidence is marked
            expect(page.locator(".player-article .sentence.evidence")).to_have_count(1)
            expect(page.locator("#sentence-p3s8.evidence mark")).to_be_visible()

    page.get_by_role("button", name="Finish and see your score").click()
    expect_summary(page)

    open_progress_from_home(page)
    expect_progress(page, live_lesson)

    expect_missed_questions_due_at_once("learner-nojs")
    answer_from_review_queue(page, first_lesson_data, js=False)


# ----------------------------------------------------------------------------------------------------
# Accessibility and screenshots, on pages a learner reaches with answers given


def assert_no_sideways_scrolling(page: Page, name: str) -> None:
    page.set_viewport_size({"width": MOBILE_WIDTH, "height": 800})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert scroll_width <= MOBILE_WIDTH, f"{name} scrolls sideways at {MOBILE_WIDTH}px: {scroll_width}px"


def test_self_study_pages_have_no_serious_axe_violations_and_are_screenshotted(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    live_lesson: Lesson,
    first_lesson_data: dict[str, Any],
    axe_check: Callable[[Page], list[dict[str, Any]]],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    user = User.objects.create_user("learner-axe", password=PASSWORD)
    revision = live_lesson.published_revision
    assert revision is not None
    attempt = services.self_study_attempt_open(learner=user, revision=revision)
    for step in STEPS[1:]:  # q01 is answered in the browser below, to show its evidence highlighted
        services.response_save(
            learner=attempt.learner,
            attempt=attempt,
            question_key=step.key,
            answer=step.answer,
            evidence=step.evidence,
        )
    context = new_context()
    sign_in(context, live_server, user)
    page = context.new_page()
    shots: list[Path] = []

    page.goto(live_server.url + reverse("lessons:home"))
    expect(page.locator(".study-summary")).to_be_visible()
    assert axe_check(page) == []
    shots += screenshot(page, "selfstudy-catalog")
    assert_no_sideways_scrolling(page, "catalog")

    play_path = reverse("lessons:play", args=[live_lesson.slug])
    page.goto(live_server.url + play_path)
    answer_question(page, STEPS[0], first_lesson_data, js=True, play_path=play_path)
    expect(page.locator("#sentence-p3s4")).to_have_class(re.compile(r"\bevidence\b"))
    expect(page.locator(".feedback")).to_have_count(len(STEPS))
    assert axe_check(page) == []
    shots += screenshot(page, "selfstudy-player")
    assert_no_sideways_scrolling(page, "player")

    services.attempt_submit(learner=attempt.learner, attempt=attempt)
    page.goto(live_server.url + reverse("lessons:progress"))
    expect_progress(page, live_lesson)
    assert axe_check(page) == []
    shots += screenshot(page, "selfstudy-progress")
    assert_no_sideways_scrolling(page, "progress")

    expect_missed_questions_due_at_once("learner-axe")
    page.goto(live_server.url + reverse("lessons:review"))
    # q02 comes first: the first question missed (in part), saved before q01 was answered in the browser.
    expect(page.locator("#question-q02 form.answer-form")).to_be_visible()
    assert axe_check(page) == []  # the question as a form
    right = questions_by_id(first_lesson_data)["q02"]["answer"]["correct"]
    fill_answer(page, Step("q02", "matching", right, "right", "Right", ""), first_lesson_data, js=True)
    page.locator("#question-q02").get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback-q02")).to_have_class(re.compile(r"\bverdict-right\b"))
    assert axe_check(page) == []  # and with its feedback

    expected = [
        f"selfstudy-{name}-{width}.png" for name in ("catalog", "player", "progress") for width in (1280, 375)
    ]
    assert [path.name for path in shots] == expected
    assert all(path.stat().st_size > 0 for path in shots)


# ----------------------------------------------------------------------------------------------------
# The demo account


def test_demo_student_logs_in_through_the_form_and_opens_the_player(
    page: Page, live_server: Any, live_lesson: Lesson
) -> None:
    # As `load_demo` makes it: a plain account (not staff, in no group) with the documented demo password.
    student = User.objects.create(username="student", is_staff=False)
    student.set_password(DEMO_PASSWORD)
    student.save()
    play_path = reverse("lessons:play", args=[live_lesson.slug])

    page.goto(live_server.url + play_path)  # the player asks a visitor to log in first, then comes back
    expect(page).to_have_url(re.compile(re.escape(reverse("login")) + r"\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Username").fill("student")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(url_ending(play_path))
    expect(page.get_by_text("Signed in as student")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(live_lesson.title)
    expect(page.locator("#player-progress")).to_have_text("0 of 24 questions answered")
    expect(page.locator("#question-q01 form.answer-form")).to_be_visible()
    expect(page.locator("section.question")).to_have_count(24)
