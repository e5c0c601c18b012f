"""An XSS catalogue through every field the studio writes (headline, sentences, actor names and roles,
agreement names, claim statements, the lesson's settings), read back on the teacher's studio pages and, once
published, on a student's pages: nothing a teacher types runs as script (DESIGN.md rule 5)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from factories.classroom import AssignmentFactory, ClassroomFactory

from lessons.models import Lesson
from lessons.services import authoring, lesson_publish
from lessons.services.authoring import ArticleDetails, ClaimInput, LessonSettings

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "</textarea><script>alert(2)</script>",
)
EVIL = " ".join(PAYLOADS)
# What must never reach a page unescaped.
LIVE = ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:', "</textarea><script>")


def assert_inert(body: str, where: str) -> None:
    for live in LIVE:
        assert live not in body, (where, live)


def fill_with_payloads(lesson: Lesson, author: User) -> None:
    article = lesson.article
    sentences = list(article.sentences.order_by("position"))
    paragraphs: dict[int, list[str]] = {}
    for sentence in sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence.text)
    texts = list(paragraphs.values())
    texts[-1].append(f"A sentence with {EVIL} in it.")
    authoring.article_update(
        lesson=lesson,
        by=author,
        details=ArticleDetails(
            headline=f"Headline {EVIL}",
            source=article.source,
            new_source_name="",
            published_on=article.published_on or "",
            url=article.url,
            original_headline=f"Original {EVIL}",
            rests_on=f"Rests on {EVIL}",
        ),
        paragraphs=texts,
    )
    actor = lesson.actors.order_by("pk").first()
    assert actor is not None
    authoring.lesson_actor_note(lesson=lesson, by=author, actor=actor, role=f"Role {EVIL}", description=EVIL)
    authoring.lesson_actor_create(
        lesson=lesson,
        by=author,
        name=f"Name {EVIL}",
        kind="person",
        role=EVIL,
        aliases=[EVIL],
        description=EVIL,
    )
    authoring.lesson_treaty_create(
        lesson=lesson,
        by=author,
        name=f"Accord {EVIL}",
        kind="agreement",
        status="signed",
        signed_on="",
        summary=EVIL,
    )
    first = article.sentences.order_by("position").first()
    assert first is not None
    authoring.claim_save(
        lesson=lesson,
        by=author,
        claim_id=None,
        data=ClaimInput(f"Claim {EVIL}", actor, [], "alleged", [first.key], [], EVIL),
    )
    authoring.lesson_update_settings(
        lesson=lesson,
        by=author,
        settings=LessonSettings(
            title=f"Title {EVIL}",
            introduction=f"Intro {EVIL}",
            sourcing_note=f"Note {EVIL}",
            objectives=[f"Objective {EVIL}"],
            level="beginner",
            estimated_minutes=10,
            language="en",
            visibility="public",
            reading_aids={
                "sourcing_note": "start",
                "provenance": "start",
                "actor_cards": "start",
                "treaty_cards": "start",
            },
        ),
    )


def test_the_catalogue_is_inert_on_the_teachers_and_the_students_pages(
    client: Client,
    authored_lesson: Lesson,
    author: User,
    student: User,
    stranger_teacher: User,
    learner: User,
) -> None:
    fill_with_payloads(authored_lesson, author)
    lesson_publish(lesson=authored_lesson, by=author)

    client.force_login(author)
    slug = authored_lesson.slug
    pages = [reverse("studio:lessons")] + [
        reverse(f"studio:{name}", args=[slug])
        for name in ("lesson", "article", "entities", "claims", "settings", "file", "duplicate", "archive")
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)
    assert "Title &lt;script&gt;" in client.get(reverse("studio:lessons")).content.decode()

    classroom = ClassroomFactory(teacher=stranger_teacher, name="Civics", students=[student])
    classroom.teachers.add(author)
    assignment = AssignmentFactory(classroom=classroom, lesson=authored_lesson, by=author)
    client.force_login(student)
    for url in (
        reverse("lessons:lesson_detail", args=[slug]),
        reverse("lessons:home"),
        reverse("lessons:assignment_home", args=[assignment.pk]),
        reverse("lessons:assignment_take", args=[assignment.pk]),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)
    client.force_login(learner)
    player = client.get(reverse("lessons:play", args=[slug]))
    assert player.status_code == 200
    body = player.content.decode()
    assert_inert(body, "player")
    assert "A sentence with &lt;script&gt;" in body
    assert "Name &lt;script&gt;" in body  # the actor card, shown from the start
