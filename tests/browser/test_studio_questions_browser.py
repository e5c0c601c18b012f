"""The authoring journey in a real Chromium: a teacher writes one question of every kind in the studio's
editor, previews the draft as a student, fixes what the publish checklist lists, publishes and assigns the
lesson; a student answers and gets the expected score.

The test counts its own form actions (fills, clicks, checks, selects): one question with its key and an
evidence part is at most 8 on its editor page, the whole lesson at most 150. Screenshots of the editor, the
checklist and the preview at 1280 and 375 px go to tests/artifacts/studio-*.png, and axe-core checks them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from browser_support import sign_in
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from factories.classroom import ClassroomFactory
from factories.people import LearnerFactory, TeacherFactory
from playwright.sync_api import Locator, Page, expect

from lessons.models import Assignment, Attempt, Lesson

pytestmark = pytest.mark.browser

ONE_QUESTION_LIMIT = 8
WAIT_MS = 20_000  # a page load on a machine shared by other runs: assertions wait this long
LESSON_LIMIT = 150
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"

# A short article of the tests' own, retold sentence by sentence.
PARAGRAPHS = [
    [
        ("p1s1", "The coastal states of Marland and Ostria signed the Gull Bay Fishing Pact in March."),
        (
            "p1s2",
            "Marland's fisheries minister, Ines Dura, said the pact would cut the yearly catch by 12 "
            "percent.",
        ),
        ("p1s3", "Ostria has ratified the pact; Marland's parliament has not yet voted on it."),
    ],
    [
        (
            "p2s1",
            "According to the Coast Ledger, citing unnamed officials, Ostria asked for a larger share of the "
            "bay.",
        ),
        ("p2s2", "Dura denied that any state had asked for a larger share."),
        ("p2s3", "It is unclear when the new quotas will take effect."),
    ],
]


class Actions:
    """The page's form actions, counted: every fill, click, check and select goes through here."""

    def __init__(self) -> None:
        self.count = 0

    def fill(self, target: Locator, value: str) -> None:
        self.count += 1
        target.fill(value)

    def click(self, target: Locator) -> None:
        self.count += 1
        target.click()

    def check(self, target: Locator) -> None:
        self.count += 1
        target.check()

    def select(self, target: Locator, **option: Any) -> None:
        self.count += 1
        target.select_option(**option)


@pytest.fixture
def author(transactional_db: None) -> User:
    return TeacherFactory(username="harbour-teacher", first_name="Ada", last_name="Lind")


TITLE = "The Gull Bay Fishing Pact"


def make_the_lesson(page: Page, act: Actions, live_server: Any) -> Lesson:
    """Paste the article, keep the sentences as cut, mark two actors, a treaty and a claim."""
    page.goto(live_server.url + reverse("studio:new"))
    act.fill(page.get_by_label("Lesson title"), TITLE)
    act.fill(
        page.locator("#id_headline"),
        "Two states sign a fishing pact as a minister disputes a report",
    )
    act.fill(page.get_by_label("Or a new publisher"), "Coast Ledger")
    body = "\n\n".join(" ".join(text for _key, text in paragraph) for paragraph in PARAGRAPHS)
    act.fill(page.get_by_label("The article’s text"), body)
    act.click(page.get_by_role("button", name="Cut into sentences"))
    act.click(page.get_by_role("button", name="Make the lesson"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Actors & treaties", timeout=WAIT_MS)
    lesson = Lesson.objects.get(title=TITLE)
    assert [len(paragraph) for paragraph in lesson_sentences(lesson)] == [3, 3]

    act.fill(page.locator("#id_new-actor-name"), "Ines Dura")
    act.select(page.locator("#id_new-actor-kind"), label="Person")
    act.fill(page.locator("#id_new-actor-role"), "fisheries minister")
    act.click(page.get_by_role("button", name="Create the actor"))
    act.fill(page.locator("#id_new-actor-name"), "Ostria")
    act.select(page.locator("#id_new-actor-kind"), label="State")
    act.click(page.get_by_role("button", name="Create the actor"))
    act.fill(page.locator("#id_new-treaty-name"), "Gull Bay Fishing Pact")
    act.select(page.locator("#id_new-treaty-kind"), label="Agreement")
    act.select(page.locator("#id_new-treaty-status"), label="Signed")
    act.fill(page.locator("#id_new-treaty-signed_on"), "--03")
    act.click(page.get_by_role("button", name="Create the agreement"))
    expect(page.locator(".studio-entity")).to_have_count(3, timeout=WAIT_MS)

    act.click(page.get_by_role("navigation", name="Lesson").get_by_role("link", name="Claims"))
    act.fill(page.get_by_label("What the claim says"), "Ostria asked for a larger share of the bay.")
    act.check(page.get_by_label(re.compile("citing unnamed officials")))
    act.select(page.get_by_label("Reported by (outermost source)"), label="Coast Ledger (News outlet)")
    act.check(page.get_by_role("radio", name=re.compile("^Reported")))
    act.click(page.get_by_role("button", name="Save the claim"))
    expect(page.locator(".studio-claim")).to_have_count(1, timeout=WAIT_MS)
    act.click(page.get_by_role("navigation", name="Lesson").get_by_role("link", name="Questions"))
    return lesson


def lesson_sentences(lesson: Lesson) -> list[list[str]]:
    paragraphs: dict[int, list[str]] = {}
    for sentence in lesson.article.sentences.order_by("position"):
        paragraphs.setdefault(sentence.paragraph, []).append(sentence.key)
    return list(paragraphs.values())


def _new(page: Page, act: Actions, kind_label: str) -> None:
    act.select(page.get_by_label("New question of the kind"), label=kind_label)
    act.click(page.get_by_role("button", name="Write it"))


def _save(page: Page, act: Actions) -> None:
    act.click(page.get_by_role("button", name="Save question"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions", timeout=WAIT_MS)


def _sentence(page: Page, act: Actions, text: str, *, within: str = "Evidence: the sentences") -> None:
    act.check(page.get_by_role("group", name=re.compile(within)).get_by_label(text))


def _option(page: Page | Locator, number: int) -> Locator:
    return page.get_by_role("textbox", name=f"Option {number}", exact=True)


def write_questions(page: Page, act: Actions, screenshot: Callable[[Page, str], list[Path]]) -> int:
    """One question of every kind; returns the actions of the single-choice one on its page."""
    # 1. Single choice with its key and an evidence part: the question counted on its own.
    _new(page, act, "Single choice")
    before = act.count
    act.fill(page.get_by_label("Prompt"), "Which state has ratified the pact?")
    act.fill(_option(page, 1), "Marland")
    act.fill(_option(page, 2), "Ostria")
    act.check(page.get_by_role("radio", name="right (option 2)"))
    act.fill(
        page.get_by_label("Explanation"), "The article says Ostria has ratified it; Marland has not voted."
    )
    _sentence(page, act, PARAGRAPHS[0][2][1])
    act.check(page.get_by_label(re.compile("Also ask the student for these supporting sentences")))
    screenshot(page, "studio-editor")
    act.click(page.get_by_role("button", name="Save question"))
    one_question = act.count - before
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions", timeout=WAIT_MS)

    # 2. Multiple select.
    _new(page, act, "Multiple select")
    act.fill(page.get_by_label("Prompt"), "Which does the article state without a source?")
    act.fill(_option(page, 1), "The pact was signed in March")
    act.fill(_option(page, 2), "Ostria asked for a larger share")
    act.fill(_option(page, 3), "Ostria has ratified the pact")
    act.check(page.get_by_role("checkbox", name="right (option 1)"))
    act.check(page.get_by_role("checkbox", name="right (option 3)"))
    act.fill(
        page.get_by_label("Explanation"), "The larger share is only reported, through unnamed officials."
    )
    _sentence(page, act, PARAGRAPHS[0][0][1])
    _save(page, act)

    # 3. True or false, with its feedback on each answer.
    _new(page, act, "True or false")
    act.fill(page.get_by_label("Prompt"), "Marland's parliament has ratified the pact.")
    act.check(page.get_by_role("radio", name="False"))
    act.fill(page.get_by_label("Explanation"), "It has not yet voted on it.")
    _sentence(page, act, PARAGRAPHS[0][2][1])
    _save(page, act)

    # 4. Short answer with a near miss.
    _new(page, act, "Short answer")
    act.fill(page.get_by_label("Prompt"), "In which month was the pact signed?")
    act.fill(page.get_by_label("Accepted answers, one a line"), "March")
    act.fill(page.get_by_role("textbox", name="Near miss 1", exact=True), "March 2024")
    act.fill(page.get_by_label("Explanation"), "The article gives the month, not the year.")
    _sentence(page, act, PARAGRAPHS[0][0][1])
    _save(page, act)

    # 5. Matching: the options, then each item's match chosen beside it.
    _new(page, act, "Matching")
    act.fill(page.get_by_label("Prompt"), "Match each with what the article says of it.")
    act.fill(_option(page, 1), "Has ratified the pact")
    act.fill(_option(page, 2), "Fisheries minister of Marland")
    act.fill(page.get_by_role("textbox", name="Item 1", exact=True), "Ines Dura")
    act.select(
        page.get_by_role("combobox", name="matches (item 1)"), label="Option 2: Fisheries minister of Marland"
    )
    act.fill(page.get_by_role("textbox", name="Item 2", exact=True), "Ostria")
    act.select(page.get_by_role("combobox", name="matches (item 2)"), label="Option 1: Has ratified the pact")
    act.fill(
        page.get_by_label("Explanation"), "Sentence 2 names Dura's post; sentence 3 Ostria's ratification."
    )
    _sentence(page, act, PARAGRAPHS[0][1][1])
    _sentence(page, act, PARAGRAPHS[0][2][1])
    _save(page, act)

    # 6. Ordering, written in the right order (stored in another).
    _new(page, act, "Ordering")
    act.fill(page.get_by_label("Prompt"), "Put the chain of sources in order, outermost first.")
    act.fill(page.get_by_role("textbox", name="Item 1", exact=True), "The Coast Ledger")
    act.fill(page.get_by_role("textbox", name="Item 2", exact=True), "Unnamed officials")
    act.fill(page.get_by_label("Explanation"), "The paper cites the officials.")
    _sentence(page, act, PARAGRAPHS[1][0][1])
    _save(page, act)

    # 7. Evidence: the key is the sentences ticked.
    _new(page, act, "Evidence")
    act.fill(page.get_by_label("Prompt"), "Which sentence says the timing is not known?")
    _sentence(page, act, PARAGRAPHS[1][2][1], within="The right answer")
    act.fill(page.get_by_label("Explanation"), "“It is unclear” says the article does not know.")
    _save(page, act)

    # 8. Attribution of the claim.
    _new(page, act, "Attribution")
    act.fill(page.get_by_label("Prompt"), "Ostria asked for a larger share: who says so, and how sure is it?")
    who = page.get_by_role("group", name=re.compile("^Who makes the claim"))
    source = page.get_by_role("group", name=re.compile("^Through which source"))
    act.fill(_option(who, 1), "Unnamed officials")
    act.fill(_option(who, 2), "Ines Dura")
    act.fill(_option(source, 1), "The Coast Ledger")
    act.fill(_option(source, 2), "Marland's parliament")
    act.check(who.get_by_role("radio", name="right (option 1)"))
    act.check(source.get_by_role("radio", name="right (option 1)"))
    act.select(page.get_by_label("The claim's standing"), label="Reported")
    act.fill(page.get_by_label("Explanation"), "Only the Coast Ledger reports it, citing unnamed officials.")
    _sentence(page, act, PARAGRAPHS[1][0][1])
    act.check(
        page.get_by_role("group", name="Claims the question is about").get_by_label(
            re.compile("larger share")
        )
    )
    _save(page, act)

    # 9. Open response: model answer and rubric.
    _new(page, act, "Open response")
    act.fill(page.get_by_label("Prompt"), "Why can a reader not be sure Ostria asked for more?")
    act.fill(
        page.get_by_label("Model answer"), "Only unnamed officials say so, through one paper; Dura denies it."
    )
    act.fill(
        page.get_by_role("textbox", name="Criterion 1", exact=True),
        "1 point for the unnamed source; 1 for the denial",
    )
    act.fill(page.get_by_role("spinbutton", name="points (criterion 1)"), "2")
    act.fill(page.get_by_label("Points", exact=True), "2")
    act.fill(
        page.get_by_label("Explanation"), "A claim from unseen sources, denied on record, stays reported."
    )
    _sentence(page, act, PARAGRAPHS[1][0][1])
    _save(page, act)

    # 10. Numeric: a number the article gives.
    _new(page, act, "Numeric (within a tolerance)")
    act.fill(page.get_by_label("Prompt"), "By what percent would the pact cut the yearly catch?")
    act.fill(page.get_by_label("Number"), "12")
    act.fill(page.get_by_label("Unit (optional)"), "percent")
    act.fill(page.get_by_label("Explanation"), "Dura put the cut at 12 percent.")
    _sentence(page, act, PARAGRAPHS[0][1][1])
    _save(page, act)
    return one_question


def test_a_teacher_writes_previews_publishes_and_assigns_a_lesson_of_every_kind(
    new_context: Callable[..., Any],
    live_server: Any,
    author: User,
    screenshot: Callable[[Page, str], list[Path]],
    axe_check: Callable[[Page], list[dict[str, Any]]],
) -> None:
    act = Actions()
    page = sign_in(new_context(), live_server, author).new_page()
    draft = make_the_lesson(page, act, live_server)
    slug = draft.slug

    one_question = write_questions(page, act, screenshot)
    assert draft.questions.count() == 10
    axe_check(page)

    # A refused save lists every problem at once, and keeps what was written (its actions are counted
    # apart: they build nothing).
    aside = Actions()
    _new(page, aside, "Single choice")
    aside.fill(page.get_by_label("Prompt"), "A question left unfinished")
    aside.click(page.get_by_role("button", name="Save question"))
    problems = page.get_by_role("alert").get_by_role("listitem")
    expect(problems).to_have_count(4, timeout=WAIT_MS)
    expect(page.get_by_label("Prompt")).to_have_value("A question left unfinished", timeout=WAIT_MS)
    axe_check(page)
    aside.click(page.get_by_role("link", name="Back to the questions"))

    # Preview as a student: the real player on the draft, answers checked, nothing stored.
    act.click(page.get_by_role("link", name="Preview as a student"))
    first = page.locator("#question-q1")
    act.check(first.get_by_role("radio", name="Ostria"))
    act.click(first.get_by_role("button", name="Check my answer"))
    expect(page.locator("#question-q1")).to_contain_text(
        "The article says Ostria has ratified it", timeout=WAIT_MS
    )
    # The count follows the answers on the page, as in the player (its actions are counted apart).
    progress = page.locator("#player-progress")
    expect(progress).to_have_text("1 of 10 questions answered", timeout=WAIT_MS)
    third = page.locator("#question-q3")
    aside.check(third.get_by_role("radio", name="False"))
    aside.click(third.get_by_role("button", name="Check my answer"))
    expect(progress).to_have_text("2 of 10 questions answered", timeout=WAIT_MS)
    screenshot(page, "studio-preview")
    axe_check(page)
    assert Attempt.objects.count() == 0

    # The checklist lists every problem: no question is about actors, treaties or sourcing yet.
    act.click(page.get_by_role("link", name="Check and publish"))
    listed = page.locator(".checklist-problems li")
    expect(listed).to_have_count(4, timeout=WAIT_MS)
    expect(listed.first).to_have_text("Lesson — introduction (Settings): must not be empty", timeout=WAIT_MS)
    screenshot(page, "studio-checklist")
    axe_check(page)
    act.click(page.get_by_role("navigation", name="Lesson").get_by_role("link", name="Settings"))
    act.fill(
        page.get_by_label("Introduction"), "Two states share a bay, and a report says one wants more of it."
    )
    act.click(page.get_by_role("button", name="Save the settings"))
    for key, focus, links in (
        ("q1", "Treaties", "Gull Bay Fishing Pact"),
        ("q5", "Actors", "Ines Dura"),
        ("q8", "Sourcing", None),
    ):
        page.goto(live_server.url + reverse("studio:question_edit", args=[slug, key]))
        act.select(page.get_by_label("Focus"), label=focus)
        if links:
            act.check(page.get_by_role("checkbox", name=links, exact=True))
        _save(page, act)
    act.click(page.get_by_role("link", name="Check and publish"))
    expect(page.locator(".checklist-problems li")).to_have_count(0, timeout=WAIT_MS)
    act.click(page.get_by_role("button", name="Publish"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisions", timeout=WAIT_MS)
    draft.refresh_from_db()
    assert draft.published_revision is not None and draft.published_revision.number == 1

    # Assign it to a class.
    pupil = LearnerFactory(username="pupil-gull")
    classroom = ClassroomFactory(teacher=author, name="Geography 7", students=[pupil])
    page.goto(live_server.url + reverse("lessons:assignment_new", args=[classroom.pk]))
    now = timezone.now().astimezone(dt.UTC)
    act.select(page.get_by_label("Lesson"), label=draft.title)
    act.fill(
        page.get_by_role("textbox", name="Opens"), (now - dt.timedelta(hours=1)).strftime(DATETIME_LOCAL)
    )
    act.fill(page.get_by_role("textbox", name="Due"), (now + dt.timedelta(days=2)).strftime(DATETIME_LOCAL))
    act.check(page.get_by_label("After submitting"))
    act.click(page.get_by_role("button", name="Assign the lesson"))
    expect(page).to_have_url(re.compile(r"#assignments$"), timeout=WAIT_MS)
    assignment = Assignment.objects.get()

    print(
        f"\nstudio actions: one question with key and evidence part {one_question}; whole lesson "
        f"{act.count} (and {aside.count} more for a refused save)"
    )
    assert one_question <= ONE_QUESTION_LIMIT
    assert act.count <= LESSON_LIMIT

    # The student answers every question; the open response waits for the teacher.
    student = sign_in(new_context(), live_server, pupil).new_page()
    student.goto(live_server.url + reverse("lessons:assignment_home", args=[assignment.pk]))
    student.get_by_role("button", name="Start").click()
    answer_everything(student)
    student.get_by_role("button", name="Submit my answers").click()
    results = re.compile(reverse("lessons:assignment_results_student", args=[assignment.pk]))
    expect(student).to_have_url(results, timeout=WAIT_MS)
    attempt = Attempt.objects.get(assignment=assignment)
    # 2 (q1, with its sentence) + 1 + 1 + 1 + 1 + 1 + 1 + 1 (three parts) + 0 (open, for the teacher) + 1.
    assert attempt.earned == Decimal("10.00")
    assert attempt.possible == Decimal("12.00")


def answer_everything(page: Page) -> None:
    def question(key: str) -> Locator:
        return page.locator(f"#question-{key}")

    question("q1").get_by_role("radio", name="Ostria").check()
    question("q1").get_by_text(re.compile("Optional: pick the sentences")).click()
    question("q1").get_by_label(PARAGRAPHS[0][2][1]).check()
    question("q2").get_by_label("The pact was signed in March").check()
    question("q2").get_by_label("Ostria has ratified the pact").check()
    question("q3").get_by_label("False").check()
    question("q4").get_by_role("textbox").fill("march")
    question("q5").get_by_label("Ines Dura").select_option(label="Fisheries minister of Marland")
    question("q5").get_by_label("Ostria").select_option(label="Has ratified the pact")
    order = question("q6")
    order.get_by_label("The Coast Ledger").select_option("1")
    order.get_by_label("Unnamed officials").select_option("2")
    question("q7").get_by_label(PARAGRAPHS[1][2][1]).check()
    attribution = question("q8")
    attribution.get_by_label("Who makes the claim?").select_option(label="Unnamed officials")
    attribution.get_by_label("Through which source?").select_option(label="The Coast Ledger")
    attribution.get_by_role("radio", name="Reported", exact=True).check()
    question("q9").get_by_role("textbox").fill("Unnamed officials, one paper, and a denial.")
    question("q10").get_by_role("textbox").fill("12")
    for key in [f"q{n}" for n in range(1, 11)]:
        expect(page.locator(f"#save-{key}")).to_contain_text("Saved at", timeout=WAIT_MS)
