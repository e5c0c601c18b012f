"""The teacher's journey in a real Chromium against the live server: log in, create a class, assign the
first lesson (the datetime-local fields filled in), grade an open answer in the grading queue, read the
gradebook and the item analysis; screenshots of both at 1280 and 375 px; axe-core on the teacher's pages.

The students' side is tests/browser/test_assignment_browser.py: here three students' submitted attempts are
made through the services, as if they had taken the lesson meanwhile.
"""

from __future__ import annotations

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
from django.utils import timezone
from factories.people import StudentFactory, TeacherFactory
from playwright.sync_api import Page, expect

from lessons.models import Assignment, Classroom, FeedbackRelease, LatePolicy, Lesson
from lessons.services import attempt_submit, response_save
from lessons.services.classroom import (
    assignment_attempt_start,
    assignment_create,
    classroom_create,
    classroom_join,
)

pytestmark = pytest.mark.browser

PASSWORD = "Quiet-harbour-1947"
PHONE_WIDTH = 375
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
OPEN_ANSWER = "Only requests are reported, by the Post citing US documents; nothing says weapons were sent."

# What each student answered (answer shapes of lessons/grading.py) and the points under the fixture's key.
ANSWERS: dict[tuple[str, str, str], dict[str, Any]] = {
    ("ana", "Ana", "Alves"): {
        "q01": ("a", ["p3s4"]),  # right, with its sentence: 2
        "q05": (True, None),  # right: 1
        "q06": (["missiles", "jet-repairs", "radar-repairs"], None),  # right: 2
        "q22": (OPEN_ANSWER, None),  # open response: the teacher grades it below (5 of 6)
    },
    ("ben", "Ben", "Brown"): {
        "q01": ("b", None),  # wrong: 0
        "q05": (False, None),  # wrong: 0
        "q06": (["missiles", "drones"], None),  # 1 right − 1 wrong: 0
        "q08": ("c", None),  # right: 1
    },
    ("chloe", "Chloé", "Cruz"): {
        "q01": ("a", None),  # right, no sentence: 1
        "q05": (True, None),  # 1
        "q08": ("c", None),  # 1
        "q12": ("b", None),  # 1
    },
}
# Out of 47 points; Ana 5 + 5 from the teacher.
GRADEBOOK = [
    "Ana Alves ana 10/47 (21%) Submitted",
    "Ben Brown ben 1/47 (2%) Submitted",
    "Chloé Cruz chloe 4/47 (9%) Submitted",
]
ANA_GRADE = {"criterion-r1": "2", "criterion-r2": "2", "criterion-r3": "1"}


@pytest.fixture
def teacher(transactional_db: None) -> User:
    return TeacherFactory(username="rivera", password=PASSWORD, first_name="Lucía", last_name="Rivera")


def students_submit(classroom: Classroom, assignment: Assignment) -> None:
    """Three students join with the class's code and submit their answers (through the services)."""
    assert classroom.join_code is not None
    for (username, first, last), answers in ANSWERS.items():
        student = StudentFactory(username=username, password=PASSWORD, first_name=first, last_name=last)
        classroom_join(student=student, code=classroom.join_code)
        attempt = assignment_attempt_start(assignment=assignment, student=student)
        for key, (answer, evidence) in answers.items():
            response_save(
                learner=attempt.learner, attempt=attempt, question_key=key, answer=answer, evidence=evidence
            )
        attempt_submit(learner=attempt.learner, attempt=attempt)


def url(live_server: Any, name: str, *args: int) -> str:
    return live_server.url + reverse(name, args=args)


def row_texts(page: Page, table: str) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(f"{table} tbody tr").all_inner_texts()]


def no_sideways_scrolling(page: Page) -> None:
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways at {PHONE_WIDTH}px: {width}px"


def test_a_teacher_creates_a_class_assigns_a_lesson_grades_and_reads_the_results(
    page: Page,
    live_server: Any,
    live_lesson: Lesson,
    teacher: User,
    django_user_model: type[User],
    screenshot: Callable[[Page, str], list[Path]],
    state_check: Callable[..., None],
) -> None:
    # Log in: the teacher's pages send a visitor to the login form, and back after it.
    page.goto(url(live_server, "lessons:teacher_dashboard"))
    page.get_by_label("Username").fill("rivera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(url(live_server, "lessons:teacher_dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your classes")

    # Create a class.
    page.get_by_role("link", name="Create a class").click()
    page.get_by_label("Class name").fill("Civics 9B")
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Civics 9B")
    expect(page.locator(".join-code code")).to_have_text(re.compile(r"^[A-Z2-9]{8}$"))

    # Assign the first lesson: opened an hour ago, due in two days (the form's zone: UTC), 30 minutes.
    page.get_by_role("link", name="Assign a lesson").click()
    now = timezone.now().astimezone(dt.UTC)
    opens, due = now - dt.timedelta(hours=1), now + dt.timedelta(days=2)
    page.get_by_label("Lesson").select_option(label=live_lesson.title)
    page.get_by_role("textbox", name="Opens").fill(opens.strftime(DATETIME_LOCAL))
    page.get_by_role("textbox", name="Due").fill(due.strftime(DATETIME_LOCAL))
    page.get_by_label("Time limit in minutes (optional)").fill("30")
    page.get_by_label("Attempts allowed").fill("1")
    page.get_by_label("After submitting").check()
    page.get_by_label("Accepted and marked late").check()
    page.get_by_role("button", name="Assign the lesson").click()
    expect(page).to_have_url(re.compile(r"#assignments$"))
    card = page.locator(".assignment-list .card")
    expect(card.get_by_role("heading", level=3)).to_have_text(live_lesson.title)
    expect(card).to_contain_text("30 minutes")
    expect(card).to_contain_text("Accepted and marked late")
    assignment = Assignment.objects.select_related("classroom").get()
    assert (assignment.opens_at, assignment.due_at) == (
        opens.replace(second=0, microsecond=0),
        due.replace(second=0, microsecond=0),
    )
    assert (assignment.time_limit_minutes, assignment.attempts_allowed) == (30, 1)
    assert (assignment.feedback_release, assignment.late_policy) == (
        FeedbackRelease.AFTER_SUBMIT,
        LatePolicy.ACCEPT,
    )

    # Meanwhile the students take the lesson.
    students_submit(assignment.classroom, assignment)

    # Grade Ana's open answer.
    page.reload()
    page.locator(".assignment-list .card").get_by_role("link", name="Grading queue").click()
    item = page.locator("article.grading-item")
    expect(item).to_have_count(1)
    expect(item.get_by_role("heading", level=3)).to_have_text("Ana Alves · Question 24 · attempt 1")
    expect(item.locator(".student-text")).to_have_text(OPEN_ANSWER)
    for name, points in ANA_GRADE.items():
        item.locator(f"input[name={name}]").fill(points)
    item.get_by_label("Comment for the student").fill("Clear on the sourcing.")
    item.get_by_role("button", name="Save grade").click()
    expect(page.get_by_role("status")).to_have_text("Grade saved: 5 of 6 points.")
    expect(page.get_by_text("Nothing is waiting for a grade.")).to_be_visible()
    state_check(page, "grade-saved", screenshot=True)

    # The gradebook.
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Gradebook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gradebook: Civics 9B")
    expect(page.locator(".gradebook-table tbody tr")).to_have_count(3)
    assert row_texts(page, ".gradebook-table") == GRADEBOOK
    screenshot(page, "gradebook")
    no_sideways_scrolling(page)

    # The item analysis, from the class page.
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Civics 9B").click()
    page.locator(".assignment-list .card").get_by_role("link", name="Item analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Item analysis: {live_lesson.title}")
    expect(page.get_by_text("Over 3 submitted attempts.")).to_be_visible()
    # Question 1: Ana 2 of 2, Ben 0, Chloé 1 → 3 of 6 = 50%; question 22: Ana's 5 of 6 = 83%.
    expect(page.locator("#question-q01 .difficulty")).to_have_text("50%")
    expect(page.locator("#question-q22 .difficulty")).to_have_text("83%")
    expect(page.locator("#question-q22 td.number").first).to_have_text("1")
    expect(page.get_by_role("img", name=re.compile(r"^Difficulty by question"))).to_be_visible()
    screenshot(page, "item-analysis")
    no_sideways_scrolling(page)


@dataclass(frozen=True)
class TeacherPage:
    name: str
    path: str
    heading: str


def test_teacher_pages_have_no_serious_axe_violations(
    page: Page,
    live_server: Any,
    live_lesson: Lesson,
    teacher: User,
    django_user_model: type[User],
    axe_check: Callable[[Page], list[dict[str, Any]]],
    state_check: Callable[..., None],
) -> None:
    classroom = classroom_create(teacher=teacher, name="Civics 9B")
    now = timezone.now()
    assignment = assignment_create(
        classroom=classroom,
        lesson=live_lesson,
        by=teacher,
        opens_at=now - dt.timedelta(hours=1),
        due_at=now + dt.timedelta(days=2),
        time_limit_minutes=30,
        feedback_release=FeedbackRelease.AFTER_SUBMIT,
        late_policy=LatePolicy.ACCEPT,
    )
    students_submit(classroom, assignment)
    sign_in(page.context, live_server, teacher)  # logging in through the form is the journey's to test

    pages = [
        TeacherPage("dashboard", reverse("lessons:teacher_dashboard"), "Your classes"),
        TeacherPage("class page", reverse("lessons:classroom_detail", args=[classroom.pk]), "Civics 9B"),
        TeacherPage("gradebook", reverse("lessons:gradebook", args=[classroom.pk]), "Gradebook: Civics 9B"),
        # With Ana's open answer waiting: the grading form is on the page.
        TeacherPage(
            "grading queue",
            reverse("lessons:grading_queue", args=[assignment.pk]),
            "Grading: " + live_lesson.title,
        ),
        TeacherPage(
            "item analysis",
            reverse("lessons:item_analysis", args=[assignment.pk]),
            "Item analysis: " + live_lesson.title,
        ),
        TeacherPage(
            "removing a student",
            reverse(
                "lessons:student_remove",
                args=[classroom.pk, django_user_model.objects.get(username="ana").pk],
            ),
            "Remove Ana Alves from Civics 9B",
        ),
        TeacherPage("profile with the time zone", reverse("profile"), "Your profile"),
    ]
    findings = []
    for teacher_page in pages:
        page.goto(live_server.url + teacher_page.path)
        expect(page.get_by_role("heading", level=1)).to_have_text(teacher_page.heading)
        try:
            axe_check(page)
        except AssertionError as found:  # every page is checked, and every finding reported
            findings.append(f"{teacher_page.name}: {found}")
    assert findings == []

    # The grading form, as unstyled it went unnoticed: the main action of its page.
    page.goto(live_server.url + reverse("lessons:grading_queue", args=[assignment.pk]))
    save = page.get_by_role("button", name="Save grade")
    expect(save).to_have_class("primary")
    assert save.evaluate("button => getComputedStyle(button).backgroundColor") == "rgb(11, 92, 173)"

    # After an action, with its confirmation: a student removed from the class.
    page.goto(
        live_server.url
        + reverse(
            "lessons:student_remove", args=[classroom.pk, django_user_model.objects.get(username="ben").pk]
        )
    )
    page.get_by_role("button", name="Remove from the class").click()
    expect(page.get_by_role("status")).to_have_text("Ben Brown is no longer in Civics 9B.")
    state_check(page, "student-removed")
