"""What every page shares: the learner's three places in the header, the icon, and confirmations that
assistive technology can read (a status region holding a list, never a list acting as a status)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lessons.models import Attempt, Lesson
from lessons.services import attempt_submit

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "lessons" / "templates"


def learning_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="learn-nav" aria-label="Learning">(.*?)</nav>', html, re.S)
    assert nav is not None, "no learning navigation in the header"
    return {text: href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))}


def test_every_learner_page_has_the_catalogue_progress_and_review_one_click_away(
    signed_in: Client, first_lesson: Lesson
) -> None:
    pages = [
        reverse("lessons:home"),
        reverse("lessons:lesson_detail", args=[first_lesson.slug]),
        reverse("lessons:play", args=[first_lesson.slug]),
        reverse("lessons:progress"),
        reverse("lessons:review"),
        reverse("profile"),
        reverse("lessons:my_classes"),
    ]
    for path in pages:
        html = signed_in.get(path).content.decode()
        assert learning_links(html) == {
            "Lessons": reverse("lessons:home"),
            "Progress": reverse("lessons:progress"),
            "Review": reverse("lessons:review"),
        }, path
    attempt = Attempt.objects.get(lesson=first_lesson)
    attempt_submit(learner=attempt.learner, attempt=attempt)
    summary = signed_in.get(reverse("lessons:attempt_summary", args=[attempt.pk])).content.decode()
    assert set(learning_links(summary).values()) == {
        reverse("lessons:home"),
        reverse("lessons:progress"),
        reverse("lessons:review"),
    }
    steps = re.search(r'<ul class="next-steps">(.*?)</ul>', summary, re.S)
    assert steps is not None
    assert re.findall(r'href="([^"]+)"', steps.group(1)) == [
        reverse("lessons:review"),
        reverse("lessons:progress"),
        reverse("lessons:home"),
    ]


def test_the_current_place_is_marked_and_a_visitor_sees_only_the_catalogue(
    client: Client, signed_in: Client
) -> None:
    html = signed_in.get(reverse("lessons:progress")).content.decode()
    assert f'<a href="{reverse("lessons:progress")}" aria-current="page">Progress</a>' in html

    signed_in.logout()
    assert learning_links(client.get(reverse("lessons:home")).content.decode()) == {"Lessons": "/"}


def test_favicon_is_linked_and_its_usual_address_answers(client: Client) -> None:
    html = client.get(reverse("lessons:home")).content.decode()
    assert '<link rel="icon" href="/static/lessons/favicon.svg" type="image/svg+xml">' in html

    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (302, "/static/lessons/favicon.ico")
    icon = Path(settings.BASE_DIR) / "lessons" / "static" / "lessons" / "favicon.ico"
    assert icon.read_bytes()[:4] == b"\x00\x00\x01\x00"  # an icon file
    assert client.post("/favicon.ico").status_code == 405


def test_no_template_makes_a_list_a_status_region() -> None:
    """axe's `listitem` rule: a <ul>/<ol> with a role is no longer a list, so its items lose their list."""
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"<(ul|ol)\b[^>]*\brole=", path.read_text())
    ]
    assert offenders == []


def test_a_confirmation_is_a_status_region_around_its_list(signed_in: Client) -> None:
    response = signed_in.post(reverse("profile"), {"time_zone": "Europe/Madrid"}, follow=True)

    html = response.content.decode()
    assert (
        '<div class="class-messages" role="status"><ul><li class="message-success">'
        "Dates and times are now shown in Europe/Madrid.</li></ul></div>"
    ) in html


def test_a_teacher_sees_a_confirmation_on_the_dashboard(client: Client, make_user: Any) -> None:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    teacher = make_user("dashboard-teacher", teacher=True)
    client.force_login(teacher)
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "You are now a verified teacher.")
    response = client.get(reverse("lessons:home"))
    storage.update(response)
    client.cookies.update(response.cookies)

    html = client.get(reverse("lessons:teacher_dashboard")).content.decode()

    assert '<li class="message-success">You are now a verified teacher.</li>' in html
