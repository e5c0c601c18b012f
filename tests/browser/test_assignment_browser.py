"""Taking an assignment in a real Chromium: answers saved as they are given (and resumed after a reload),
a failed save retried with the same sequence number, Submit with an answer not saved, the banner of a closed
attempt, the countdown that reloads at zero, the same journey without JavaScript, and axe-core on the
student's pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from browser_support import sign_in, until
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from factories.classroom import AssignmentFactory, ClassroomFactory
from factories.people import StudentFactory, TeacherFactory
from playwright.sync_api import BrowserContext, Page, Route, expect

from lessons.models import Assignment, Attempt, AttemptState, FeedbackRelease, Lesson, Response
from lessons.policy import DEADLINE_GRACE
from lessons.services import attempt_submit

pytestmark = pytest.mark.browser


@pytest.fixture
def student(transactional_db: None) -> User:
    return StudentFactory(username="amina")


@pytest.fixture
def assignment(live_lesson: Lesson, student: User) -> Assignment:
    classroom = ClassroomFactory(
        teacher=TeacherFactory(username="rivera"), name="Civics 9B", students=[student]
    )
    return AssignmentFactory(
        classroom=classroom,
        lesson=live_lesson,
        due_at=timezone.now() + dt.timedelta(days=1),
        time_limit_minutes=60,
        feedback_release=FeedbackRelease.AFTER_SUBMIT,
    )


def start(page: Page, live_server: Any, assignment: Assignment) -> None:
    page.goto(live_server.url + reverse("lessons:assignment_home", args=[assignment.pk]))
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("lessons:assignment_take", args=[assignment.pk])) + "$")
    )


def stored(key: str) -> Response | None:
    return Response.objects.filter(question_key=key).first()


def test_answers_are_saved_as_they_are_given_and_come_back_after_a_reload(
    new_context: Callable[..., BrowserContext], live_server: Any, student: User, assignment: Assignment
) -> None:
    page = sign_in(new_context(), live_server, student).new_page()
    start(page, live_server, assignment)

    page.locator("#question-q05").get_by_label("False").check()
    expect(page.locator("#save-q05")).to_contain_text("Saved at")
    page.locator("#question-q03-answer").fill("Washington Post")
    expect(page.locator("#save-q03")).to_contain_text("Saved at")  # after a pause in typing
    page.locator("#question-q01").get_by_role("radio", name="Venezuela’s Defense Minister").check()
    page.locator("#question-q01").get_by_role("radio", name="Venezuela’s Transport Minister").check()
    expect(page.locator("#save-q01")).to_contain_text("Saved at")
    expect(page.locator("#player-progress")).to_contain_text("3 of 24")
    # The status may still show the first choice's save while the second waits out its pause.
    until(lambda: getattr(stored("q01"), "answer", None) == "a", what="q01's second choice saved")

    q05, q03, q01 = stored("q05"), stored("q03"), stored("q01")
    assert q05 is not None and q05.answer is False
    assert q03 is not None and q03.answer == "Washington Post"
    assert q01 is not None and q01.answer == "a"
    saves_after_reload: list[str] = []
    page.on(
        "request", lambda request: saves_after_reload.append(request.url) if "/save/" in request.url else None
    )
    # The page's timers run on a clock the test moves: any save the page would start by itself (an autosave
    # waits at most TYPING_PAUSE_MS, 1.2 s) has started once the clock has run past that.
    page.clock.install()
    page.reload()
    expect(page.locator("#question-q05").get_by_label("False")).to_be_checked()
    expect(page.locator("#question-q03-answer")).to_have_value("Washington Post")
    expect(
        page.locator("#question-q01").get_by_role("radio", name="Venezuela’s Transport Minister")
    ).to_be_checked()
    assert page.locator(".feedback").count() == 0  # nothing of the key before submitting
    page.clock.run_for(5_000)
    expect(page.locator(".save-pending, .save-retrying")).to_have_count(0)  # no save on its way
    assert saves_after_reload == []  # loading the page saves nothing by itself
    assert Response.objects.count() == 3


def test_a_failed_save_is_retried_with_the_same_sequence(
    new_context: Callable[..., BrowserContext], live_server: Any, student: User, assignment: Assignment
) -> None:
    page = sign_in(new_context(), live_server, student).new_page()
    start(page, live_server, assignment)
    sequences: list[str] = []
    failures = {"left": 1}

    def flaky(route: Route) -> None:
        body = route.request.post_data or ""
        found = re.search(r"(?:^|&)sequence=(\d+)", body)
        sequences.append(found.group(1) if found else "")
        if failures["left"]:
            failures["left"] -= 1
            route.abort()
        else:
            route.continue_()

    page.route(re.compile(r".*/save/q10/$"), flaky)
    page.locator("#question-q10").get_by_label("True").check()

    expect(page.locator("#save-q10")).to_contain_text("retrying")
    expect(page.locator("#save-q10")).to_contain_text("Saved at", timeout=8000)
    assert len(sequences) == 2 and sequences[0] == sequences[1] == "1"
    saved = stored("q10")
    assert saved is not None and saved.answer is True and saved.sequence == 1


def test_submit_with_an_answer_the_server_has_not_got_names_it_and_sends_it_again(
    new_context: Callable[..., BrowserContext], live_server: Any, student: User, assignment: Assignment
) -> None:
    """Saves of q05 fail: Submit does not hand in the attempt without it but names the question; once the
    network is back, Submit sends it again and then submits, with the answer saved and scored."""
    page = sign_in(new_context(), live_server, student).new_page()
    start(page, live_server, assignment)
    page.route(re.compile(r".*/save/q05/$"), lambda route: route.abort())
    page.locator("#question-q05").get_by_label("False").check()
    expect(page.locator("#save-q05")).to_contain_text("retrying")

    page.get_by_role("button", name="Submit my answers").click()

    warning = page.locator("[data-unsaved-at-submit]")
    expect(warning).to_contain_text("Not saved yet: Question 5.")
    assert Attempt.objects.get().state == AttemptState.OPEN
    page.unroute(re.compile(r".*/save/q05/$"))
    page.get_by_role("button", name="Submit my answers").click()

    expect(page).to_have_url(
        re.compile(re.escape(reverse("lessons:assignment_results_student", args=[assignment.pk])))
    )
    attempt = Attempt.objects.get()
    saved = stored("q05")
    assert attempt.state == AttemptState.SUBMITTED
    assert saved is not None and saved.answer is False and saved.saved_at <= attempt.submitted_at


def test_submit_after_being_told_what_is_not_saved_submits_without_it(
    new_context: Callable[..., BrowserContext], live_server: Any, student: User, assignment: Assignment
) -> None:
    page = sign_in(new_context(), live_server, student).new_page()
    start(page, live_server, assignment)
    page.route(re.compile(r".*/save/q10/$"), lambda route: route.abort())
    page.locator("#question-q05").get_by_label("False").check()
    page.locator("#question-q10").get_by_label("True").check()
    expect(page.locator("#save-q05")).to_contain_text("Saved at")
    expect(page.locator("#save-q10")).to_contain_text("retrying")

    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator("[data-unsaved-at-submit]")).to_contain_text("Question 10")
    page.get_by_role("button", name="Submit my answers").click()

    expect(page).to_have_url(
        re.compile(re.escape(reverse("lessons:assignment_results_student", args=[assignment.pk])))
    )
    assert Attempt.objects.get().state == AttemptState.SUBMITTED
    assert stored("q05") is not None and stored("q10") is None


def test_a_closed_attempt_shows_its_banner(
    new_context: Callable[..., BrowserContext], live_server: Any, student: User, assignment: Assignment
) -> None:
    page = sign_in(new_context(), live_server, student).new_page()
    start(page, live_server, assignment)
    attempt_submit(
        learner=Attempt.objects.get().learner, attempt=Attempt.objects.get()
    )  # on another device, say

    page.locator("#question-q05").get_by_label("True").check()

    expect(page.locator("#attempt-closed")).to_be_visible()
    expect(page.locator("#attempt-closed")).to_contain_text("can no longer change")
    expect(page.locator("#save-q05")).to_contain_text("can no longer change")
    assert stored("q05") is None


def test_the_countdown_reloads_at_zero_and_the_server_submits(
    new_context: Callable[..., BrowserContext], live_server: Any, student: User, assignment: Assignment
) -> None:
    page = sign_in(new_context(), live_server, student).new_page()
    start(page, live_server, assignment)
    page.locator("#question-q05").get_by_label("True").check()
    expect(page.locator("#save-q05")).to_contain_text("Saved at")
    # Three seconds to the limit; the grace after it is for saves on their way.
    Attempt.objects.update(deadline=timezone.now() + DEADLINE_GRACE + dt.timedelta(seconds=3))

    page.reload()

    expect(page.locator("[data-countdown-clock]")).to_have_text(re.compile(r"0:0[0-3]"))
    expect(page).to_have_url(re.compile(r"/results/\?attempt=1$"), timeout=10_000)
    expect(page.locator("body")).to_contain_text("Time is up")
    attempt = Attempt.objects.get()
    assert attempt.state == AttemptState.SUBMITTED and attempt.auto_submitted


def test_the_journey_works_without_javascript(
    new_context: Callable[..., BrowserContext], live_server: Any, student: User, assignment: Assignment
) -> None:
    page = sign_in(new_context(java_script_enabled=False), live_server, student).new_page()
    start(page, live_server, assignment)

    question = page.locator("#question-q05")
    question.get_by_label("False").check()
    question.get_by_role("button", name="Save answer").click()

    expect(page.locator("#save-q05")).to_contain_text("Saved at")
    expect(page.locator("#question-q05").get_by_label("False")).to_be_checked()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator("#score-heading")).to_contain_text("Your results")  # released once submitted
    expect(page.locator("#question-q05 .feedback")).to_be_visible()
    assert Attempt.objects.get().state == AttemptState.SUBMITTED


def test_student_pages_have_no_serious_axe_violations(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    student: User,
    assignment: Assignment,
    axe_check: Callable[[Page], list[dict[str, Any]]],
    state_check: Callable[..., None],
) -> None:
    page = sign_in(new_context(), live_server, student).new_page()
    # Joining a second class with its code: the class list with its confirmation.
    history = ClassroomFactory(teacher=assignment.created_by, name="History 9B")
    assert history.join_code is not None
    page.goto(live_server.url + reverse("lessons:my_classes"))
    page.get_by_label("Join code").fill(history.join_code)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("status")).to_have_text("You are in the class History 9B.")
    state_check(page, "joined-a-class")
    start(page, live_server, assignment)
    page.locator("#question-q05").get_by_label("True").check()
    expect(page.locator("#save-q05")).to_contain_text("Saved at")
    assert axe_check(page) == []
    page.goto(live_server.url + reverse("lessons:assignment_home", args=[assignment.pk]))
    assert axe_check(page) == []
    # Self-study of the assigned lesson waits, on a page of its own.
    page.goto(live_server.url + reverse("lessons:play", args=[assignment.lesson.slug]))
    expect(page.get_by_role("link", name="Go to the assignment")).to_be_visible()
    assert axe_check(page) == []
    # Handed in, with the results after the due date: said once, and when (in the page's zone).
    Assignment.objects.filter(pk=assignment.pk).update(feedback_release=FeedbackRelease.AFTER_DUE)
    page.goto(live_server.url + reverse("lessons:assignment_take", args=[assignment.pk]))
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("status").filter(has_text="submitted")).to_have_text(
        "Your answers are submitted."
    )
    expect(page.get_by_text("Your answers are submitted.")).to_have_count(1)
    notice = page.locator(".notice")
    expect(notice).to_have_text(re.compile(r"^\s*Results will be available after the due date: .+ UTC\.\s*$"))
    state_check(page, "submitted-results-after-due", screenshot=True)
