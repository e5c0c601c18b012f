"""Rules of lesson authoring that the studio's forms and the API share, checked through the service
(lessons.services.authoring): the settings' ranges and choices, the length of a claim's source chain and of
an article, and the state conflicts (a shared article, a claim a question asks about)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.contrib.auth.models import User

from lessons.models import Claim, Lesson, Source
from lessons.services import authoring
from lessons.services.authoring import (
    ArticleDetails,
    ArticleShared,
    ClaimInput,
    ClaimInUse,
    LessonSettings,
)
from lessons.services.errors import InvalidInput

pytestmark = pytest.mark.django_db


def settings_of(lesson: Lesson, **changes: Any) -> LessonSettings:
    return dataclasses.replace(
        LessonSettings(
            title=lesson.title,
            introduction="",
            sourcing_note="",
            objectives=[],
            level="advanced",
            estimated_minutes=25,
            language="pt-BR",
            visibility="teachers",
            reading_aids={
                "sourcing_note": "start",
                "provenance": "start",
                "actor_cards": "start",
                "treaty_cards": "start",
            },
        ),
        **changes,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"estimated_minutes": 0}, "estimated_minutes"),
        ({"estimated_minutes": 601}, "estimated_minutes"),
        ({"language": "english!"}, "language"),
        ({"level": "expert"}, "level"),
        ({"visibility": "everyone"}, "visibility"),
        ({"title": "  "}, "title"),
    ],
)
def test_settings_out_of_range_are_refused_by_field(
    authored_lesson: Lesson, author: User, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        authoring.lesson_update_settings(
            lesson=authored_lesson, by=author, settings=settings_of(authored_lesson, **changes)
        )
    assert refused.value.field == field
    authored_lesson.refresh_from_db()
    assert authored_lesson.language != "english!" and authored_lesson.estimated_minutes != 0


def test_a_reading_aid_must_be_one_of_its_choices(authored_lesson: Lesson, author: User) -> None:
    aids = {**settings_of(authored_lesson).reading_aids, "provenance": "sometimes"}
    with pytest.raises(InvalidInput) as refused:
        authoring.lesson_update_settings(
            lesson=authored_lesson, by=author, settings=settings_of(authored_lesson, reading_aids=aids)
        )
    assert refused.value.field == "aid_provenance"


def test_valid_settings_are_saved(authored_lesson: Lesson, author: User) -> None:
    saved = authoring.lesson_update_settings(
        lesson=authored_lesson, by=author, settings=settings_of(authored_lesson, estimated_minutes=600)
    )
    assert (saved.language, saved.estimated_minutes, saved.level) == ("pt-BR", 600, "advanced")


def test_a_claim_chain_has_at_most_three_sources(authored_lesson: Lesson, author: User) -> None:
    sources = [Source.objects.create(slug=f"s{n}", name=f"Source {n}", kind="outlet") for n in range(4)]
    evidence = [authored_lesson.article.sentences.order_by("position").values_list("key", flat=True)[0]]
    data = ClaimInput("Ships were sent.", None, sources, "confirmed", evidence, [], "")
    with pytest.raises(InvalidInput) as refused:
        authoring.claim_save(lesson=authored_lesson, by=author, claim_id=None, data=data)
    assert refused.value.field == "via"
    made = authoring.claim_save(
        lesson=authored_lesson, by=author, claim_id=None, data=dataclasses.replace(data, via=sources[:3])
    )
    assert made.source_chain.count() == 3


def test_an_article_longer_than_the_limit_is_refused(author: User) -> None:
    details = ArticleDetails("Headline", None, "The Harbour Times", "", "", "", "")
    sentence = "x" * 1000
    paragraphs = [[sentence] * 61]
    with pytest.raises(InvalidInput) as refused:
        authoring.lesson_create_from_article(by=author, title="Long", details=details, paragraphs=paragraphs)
    assert refused.value.field == "sentences"


def test_pasted_text_is_cut_into_paragraphs_of_sentences() -> None:
    text = "Ships sailed on Jan. 5. Officials feared a clash.\n\nGen. Ruiz said they would stay."
    assert authoring.article_paragraphs(text) == [
        ["Ships sailed on Jan. 5.", "Officials feared a clash."],
        ["Gen. Ruiz said they would stay."],
    ]
    assert authoring.resplit_paragraphs([["One. Two."], ["Three."]]) == [["One.", "Two."], ["Three."]]


def test_a_claim_a_question_asks_about_is_a_conflict(authored_lesson: Lesson, author: User) -> None:
    claim = Claim.objects.filter(questions__lesson=authored_lesson).first()
    assert claim is not None
    with pytest.raises(ClaimInUse) as refused:
        authoring.claim_delete(lesson=authored_lesson, by=author, claim_id=claim.pk)
    assert refused.value.status == 409


def test_an_article_another_lesson_shares_is_a_conflict(
    authored_lesson: Lesson, author: User, first_lesson: Lesson
) -> None:
    Lesson.objects.filter(pk=first_lesson.pk).update(article=authored_lesson.article)
    details = ArticleDetails("Headline", authored_lesson.article.source, "", "", "", "", "")
    with pytest.raises(ArticleShared) as refused:
        authoring.article_update(lesson=authored_lesson, by=author, details=details, paragraphs=[["One."]])
    assert refused.value.status == 409
