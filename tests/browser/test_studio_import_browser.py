"""A teacher imports a GIFT file in the studio in a real Chromium: chooses the format and the file, lands
on the new draft's page with the report of what was left out and what changed, and previews the draft as a
student sees it; the import page and the preview pass axe-core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_support import sign_in
from factories.people import TeacherFactory
from playwright.sync_api import BrowserContext, expect

from lessons.models import Attempt, Lesson, LessonStatus, Response

pytestmark = pytest.mark.browser

GIFT = Path(__file__).resolve().parent.parent / "interop" / "files" / "gift" / "formats.gift"


def test_a_teacher_imports_a_gift_file_reads_the_report_and_previews_the_draft(
    transactional_db: None,
    live_server: Any,
    new_context: Callable[..., BrowserContext],
    axe_check: Callable[..., list[dict[str, Any]]],
) -> None:
    teacher = TeacherFactory(username="gift-teacher")
    page = sign_in(new_context(), live_server, teacher).new_page()
    page.goto(live_server.url + "/studio/")
    page.get_by_role("link", name="Import questions (GIFT / Moodle XML / QTI)").click()
    assert axe_check(page) == []
    page.get_by_label("Format").select_option("gift")
    page.get_by_label("Question file").set_input_files(str(GIFT))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Venezuela unit")
    expect(page.get_by_text("Imported 4 questions into this draft; 1 left out.")).to_be_visible()
    expect(
        page.get_by_text("skipped: question 5: a description (no answer) is not a question")
    ).to_be_visible()
    expect(page.get_by_text("changed: Html: embedded files and images are not carried")).to_be_visible()
    lesson = Lesson.objects.get(slug="venezuela-unit")
    assert (lesson.owner_id, lesson.status, lesson.questions.count()) == (teacher.pk, LessonStatus.DRAFT, 4)

    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text("Preview of the draft, as a student sees it.")).to_be_visible()
    expect(page.get_by_text("Who said it?").first).to_be_visible()
    expect(page.locator("script", has_text="alert(1)")).to_have_count(0)  # the imported HTML was sanitised
    assert axe_check(page) == []
    assert (Attempt.objects.count(), Response.objects.count()) == (0, 0)  # a preview stores nothing
