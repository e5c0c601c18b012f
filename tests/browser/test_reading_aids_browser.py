"""Reading aids in a real Chromium follow the teacher's choice: the assignment shows actor cards from the
start (the lesson would wait), and the treaty card, which waits for its question, appears in place as soon
as that question's feedback does, without a reload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from browser_support import sign_in
from django.urls import reverse
from django.utils import timezone
from factories.classroom import AssignmentFactory, ClassroomFactory
from factories.lessons import AID_FACTS, ORE_ROLE, aids_lesson_document, load_lesson
from factories.people import StudentFactory, TeacherFactory
from playwright.sync_api import BrowserContext, expect

from lessons.models import FeedbackRelease

pytestmark = pytest.mark.browser


def test_aids_follow_the_teachers_choice_and_appear_with_the_feedback(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    transactional_db: None,
    axe_check: Callable[..., Any],
) -> None:
    lesson = load_lesson(aids_lesson_document())  # the lesson: every aid waits for its questions
    student = StudentFactory(username="amina")
    classroom = ClassroomFactory(teacher=TeacherFactory(username="rivera"), name="Civics", students=[student])
    assignment = AssignmentFactory(
        classroom=classroom,
        lesson=lesson,
        due_at=timezone.now() + dt.timedelta(days=1),
        feedback_release=FeedbackRelease.IMMEDIATELY,
        reading_aids={"actor_cards": "start"},  # the teacher's choice for this class
    )
    page = sign_in(new_context(), live_server, student).new_page()
    page.goto(live_server.url + reverse("lessons:assignment_home", args=[assignment.pk]))
    page.get_by_role("button", name="Start").click()

    ana = page.locator("#actor-ana-ruiz")
    treaty = page.locator("#treaty-tidewater-accord")
    ana.locator("summary").click()
    expect(ana).to_contain_text(AID_FACTS["actor_cards"])  # from the start, as the class's teacher chose
    expect(page.locator("#actor-borin-ode")).to_contain_text(ORE_ROLE)
    expect(treaty).to_contain_text("Shown once you answer the questions that use it.")
    expect(page.locator("#aid-provenance")).not_to_contain_text(AID_FACTS["provenance"])
    axe_check(page)

    page.evaluate("window.sameDocument = true")  # gone if the answer reloaded the page
    question = page.locator("#question-q-treaty")
    question.get_by_role("textbox").fill("June")
    question.get_by_role("button", name="Check my answer").click()

    expect(question.locator(".feedback")).to_be_visible()
    treaty.locator("summary").click()
    expect(treaty).to_contain_text(AID_FACTS["treaty_cards"])  # swapped in with the feedback
    expect(page.locator("#aid-provenance")).not_to_contain_text(AID_FACTS["provenance"])  # q-patrol's
    assert page.evaluate("window.sameDocument") is True
