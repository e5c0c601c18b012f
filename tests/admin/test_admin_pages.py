"""The admin a teacher-admin works in: every page loads, publishing goes through the service layer,
revisions cannot be touched, and the lesson list does not run more queries for more lessons.

Lessons are built here from small lesson documents (fixtures/README.md), so these tests do not depend on the
fixture lessons.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import django.test.client
import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core import checks
from django.test import Client
from django.test.client import store_rendered_templates as _store_rendered_templates
from django.urls import reverse
from factories.lessons import load_lesson

from lessons.models import (
    Actor,
    AnswerKey,
    Article,
    Claim,
    Lesson,
    LessonStatus,
    Question,
    Revision,
    Sentence,
    Source,
    Treaty,
)
from lessons.services import LessonFileError, lesson_import, lesson_publish

pytestmark = pytest.mark.django_db

BASE_DOCUMENT: dict[str, Any] = {
    "format": "quizsite.lesson",
    "version": 1,
    "lesson": {
        "slug": "admin-lesson",
        "title": "Aid requests and denials",
        "introduction": "A short *introduction* <script>alert('x')</script>.",
        "objectives": ["Tell a report from a confirmation", "Name the actors"],
        "level": "beginner",
        "estimated_minutes": 10,
        "status": "draft",
        "visibility": "public",
        "actors": ["ruritania"],
        "treaties": ["ruritania-pact"],
    },
    "sources": [
        {
            "id": "daily-planet",
            "name": "Daily Planet",
            "kind": "outlet",
            "url": "https://example.com/planet",
            "actor": None,
            "description": "",
        },
        {
            "id": "ministry-documents",
            "name": "Ministry documents",
            "kind": "government_document",
            "url": "",
            "actor": "ruritania",
            "description": "",
        },
    ],
    "actors": [
        {
            "id": "ruritania",
            "name": "Ruritania",
            "kind": "state",
            "aliases": ["Strelsau", "Königreich Ruritanien"],
            "role": "Sovereign state",
            "affiliation": None,
            "description": "",
        },
        {
            "id": "spokeswoman",
            "name": "Flavia Elphberg",
            "kind": "person",
            "aliases": ["the spokeswoman"],
            "role": "Foreign Ministry spokeswoman",
            "affiliation": "ruritania",
            "description": "",
        },
    ],
    "treaties": [
        {
            "id": "ruritania-pact",
            "name": "Ruritania Pact",
            "kind": "strategic_partnership",
            "signed_on": "2020-05-01",
            "status": "in_force",
            "summary": "A partnership.",
            "parties": [
                {"actor": "ruritania", "ratification": "ratified", "ratified_on": "2020-06-01"},
                {"actor": "spokeswoman", "ratification": "pending", "ratified_on": None},
            ],
        }
    ],
    "article": {
        "headline": "Ruritania asked for help, report says",
        "source": "daily-planet",
        "published_on": "2025-11-01",
        "url": "",
        "original_headline": "",
        "rests_on": "a Daily Planet report citing ministry documents",
        "cites": ["ministry-documents"],
        "paragraphs": [
            [
                {"id": "p1s1", "text": "Ruritania has reportedly asked for help."},
                {"id": "p1s2", "text": "The report cites ministry documents."},
            ],
            [{"id": "p2s1", "text": "The spokeswoman denied it."}],
        ],
    },
    "claims": [
        {
            "id": "c-asked",
            "statement": "Ruritania asked for help.",
            "asserted_by": None,
            "via": ["daily-planet", "ministry-documents"],
            "standing": "reported",
            "evidence": ["p1s1", "p1s2"],
            "counter_claims": ["c-denied"],
            "note": "",
        },
        {
            "id": "c-denied",
            "statement": "No help was asked for.",
            "asserted_by": "spokeswoman",
            "via": [],
            "standing": "denied",
            "evidence": ["p2s1"],
            "counter_claims": [],
            "note": "",
        },
    ],
    "questions": [
        {
            "id": "q1",
            "kind": "single_choice",
            "focus": "sourcing",
            "prompt": "What does the report rest on?",
            "points": 1,
            "actors": [],
            "treaties": [],
            "claims": ["c-asked"],
            "evidence": ["p1s2"],
            "options": [{"id": "a", "text": "Ministry documents"}, {"id": "b", "text": "A speech"}],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "The article says so.",
                "correct": "a",
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "",
                "rubric": [],
            },
        },
        {
            "id": "q2",
            "kind": "open_response",
            "focus": "actor",
            "prompt": "Why might the spokeswoman deny it?",
            "points": 2,
            "actors": ["spokeswoman"],
            "treaties": ["ruritania-pact"],
            "claims": [],
            "evidence": ["p2s1"],
            "options": [],
            "items": [],
            "evidence_part": 0,
            "answer": {
                "explanation": "Denials are common.",
                "correct": None,
                "option_feedback": {},
                "accepted": [],
                "typo_tolerance": 0,
                "model_answer": "Because the request would embarrass the government.",
                "rubric": [
                    {"id": "r1", "criterion": "Names a reason", "points": 1},
                    {"id": "r2", "criterion": "Uses the article", "points": 1},
                ],
            },
        },
    ],
}


def make_lesson(slug: str = "admin-lesson", title: str | None = None, status: str = "draft") -> Lesson:
    """A lesson imported from a small document; shared sources, actors and treaties are reused by id."""
    document = copy.deepcopy(BASE_DOCUMENT)
    document["lesson"]["slug"] = slug
    document["lesson"]["status"] = status
    if title is not None:
        document["lesson"]["title"] = title
    return load_lesson(document)


@pytest.fixture
def lesson() -> Lesson:
    return make_lesson()


@pytest.fixture
def published_lesson() -> Lesson:
    return make_lesson(slug="published-lesson", title="Published lesson", status="published")


def admin_url(model: type[Any], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def an_object(model: type[Any], lesson: Lesson, published_lesson: Lesson) -> Any:
    if model is Lesson:
        return lesson
    if model is Revision:
        return published_lesson.published_revision
    if model is Question:
        return lesson.questions.get(key="q2")
    if model is Article:
        return lesson.article
    if model in (Sentence, Claim):
        return model.objects.filter(article=lesson.article).first()
    return model.objects.first()


REGISTERED = [Source, Actor, Treaty, Article, Sentence, Claim, Lesson, Question, Revision]


def test_every_lessons_model_a_teacher_edits_is_registered() -> None:
    for model in REGISTERED:
        assert admin.site.is_registered(model), model


def test_admin_checks_pass() -> None:
    # Among others: every autocomplete field points at an admin with search_fields.
    assert checks.run_checks(tags=[checks.Tags.admin]) == []


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_loads(admin_client: Client, lesson: Lesson, published_lesson: Lesson, model: Any) -> None:
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_add_page_loads_where_adding_is_allowed(admin_client: Client, lesson: Lesson, model: Any) -> None:
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == (403 if model is Revision else 200)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_change_page_of_a_real_object_loads(
    admin_client: Client, lesson: Lesson, published_lesson: Lesson, model: Any
) -> None:
    obj = an_object(model, lesson, published_lesson)
    assert obj is not None
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


def test_question_change_page_shows_its_inlines(admin_client: Client, lesson: Lesson) -> None:
    question = lesson.questions.get(key="q1")
    response = admin_client.get(admin_url(Question, "change", question.pk))
    content = response.content.decode()
    assert "Ministry documents" in content  # an option
    assert "The article says so." in content  # the answer key
    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert prefixes == {"options", "answer_key", "rubric"}


def test_question_evidence_offers_only_sentences_of_the_lessons_article(
    admin_client: Client, lesson: Lesson
) -> None:
    other = make_lesson(slug="other-lesson", title="Other lesson")
    question = lesson.questions.get(key="q1")
    response = admin_client.get(admin_url(Question, "change", question.pk))
    offered = set(response.context["adminform"].form.fields["evidence"].queryset)
    assert offered == set(lesson.article.sentences.all())
    assert not offered & set(other.article.sentences.all())


def test_lesson_change_page_lists_questions_with_change_links(admin_client: Client, lesson: Lesson) -> None:
    response = admin_client.get(admin_url(Lesson, "change", lesson.pk))
    content = response.content.decode()
    for question in lesson.questions.all():
        assert admin_url(Question, "change", question.pk) in content


def test_article_change_page_lists_sentences_and_claims(admin_client: Client, lesson: Lesson) -> None:
    response = admin_client.get(admin_url(Article, "change", lesson.article_id))
    content = response.content.decode()
    assert "The spokeswoman denied it." in content
    for claim in lesson.article.claims.all():
        assert admin_url(Claim, "change", claim.pk) in content


# --- publishing -------------------------------------------------------------------------------------------


def publish_through_admin(client: Client, *lessons: Lesson) -> Any:
    return client.post(
        admin_url(Lesson, "changelist"),
        {"action": "publish_lessons", "_selected_action": [str(lesson.pk) for lesson in lessons]},
        follow=True,
    )


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_publish_action_makes_revision_one_and_republishing_unchanged_keeps_it(
    admin_client: Client, admin_user: Any, lesson: Lesson
) -> None:
    response = publish_through_admin(admin_client, lesson)
    assert response.status_code == 200
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PUBLISHED
    revision = lesson.published_revision
    assert revision is not None
    assert revision.number == 1
    assert revision.published_by == admin_user
    assert any("revision 1" in message for message in messages_of(response))

    response = publish_through_admin(admin_client, lesson)
    assert response.status_code == 200
    lesson.refresh_from_db()
    assert lesson.published_revision == revision
    assert list(lesson.revisions.values_list("number", flat=True)) == [1]
    assert any("unchanged" in message for message in messages_of(response))


def test_publishing_an_edited_lesson_makes_revision_two(
    admin_client: Client, published_lesson: Lesson
) -> None:
    Lesson.objects.filter(pk=published_lesson.pk).update(title="Published lesson, revised")
    publish_through_admin(admin_client, published_lesson)
    published_lesson.refresh_from_db()
    assert published_lesson.published_revision is not None
    assert published_lesson.published_revision.number == 2
    assert list(published_lesson.revisions.values_list("number", flat=True)) == [2, 1]


def test_publish_action_reports_an_invalid_lesson_instead_of_crashing(
    admin_client: Client, lesson: Lesson
) -> None:
    lesson.questions.get(key="q1").evidence.clear()  # every question needs evidence
    response = publish_through_admin(admin_client, lesson)
    assert response.status_code == 200
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.DRAFT
    assert not Revision.objects.filter(lesson=lesson).exists()
    errors = messages_of(response)
    assert any("was not published" in message and "evidence" in message for message in errors), errors


def test_publish_action_reports_a_question_without_answer_key(admin_client: Client, lesson: Lesson) -> None:
    AnswerKey.objects.filter(question__lesson=lesson, question__key="q2").delete()
    other = make_lesson(slug="fine-lesson", title="A fine lesson")
    response = publish_through_admin(admin_client, lesson, other)
    assert response.status_code == 200
    assert not Revision.objects.filter(lesson=lesson).exists()
    assert Revision.objects.filter(lesson=other, number=1).exists()
    assert any("q2 has no answer key" in message for message in messages_of(response))


# --- lists and search -------------------------------------------------------------------------------------


def test_lesson_search_finds_by_title(admin_client: Client, lesson: Lesson) -> None:
    make_lesson(slug="another-lesson", title="Something else entirely")
    response = admin_client.get(admin_url(Lesson, "changelist"), {"q": "denials"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [lesson]


def test_lesson_list_shows_question_count(admin_client: Client, lesson: Lesson) -> None:
    response = admin_client.get(admin_url(Lesson, "changelist"))
    (row,) = response.context["cl"].result_list
    assert row.question_total == 2


def test_lesson_list_filters_by_status(
    admin_client: Client, lesson: Lesson, published_lesson: Lesson
) -> None:
    response = admin_client.get(admin_url(Lesson, "changelist"), {"status__exact": "published"})
    assert list(response.context["cl"].result_list) == [published_lesson]


@pytest.mark.parametrize("term", ["Strelsau", "Königreich", "spokeswoman"])
def test_actor_search_by_alias_and_role(admin_client: Client, lesson: Lesson, term: str) -> None:
    response = admin_client.get(admin_url(Actor, "changelist"), {"q": term})
    names = {actor.name for actor in response.context["cl"].result_list}
    assert names & {"Ruritania", "Flavia Elphberg"}, term
    if term != "spokeswoman":
        assert names == {"Ruritania"}


def test_actor_autocomplete_searches_aliases(admin_client: Client, lesson: Lesson) -> None:
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Strelsau", "app_label": "lessons", "model_name": "actor", "field_name": "affiliation"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Ruritania — Sovereign state"]


def test_sentence_autocomplete_searches_text(admin_client: Client, lesson: Lesson) -> None:
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "denied", "app_label": "lessons", "model_name": "claim", "field_name": "article"},
    )
    assert response.status_code == 200
    sentences = admin_client.get(admin_url(Sentence, "changelist"), {"q": "denied"})
    assert [sentence.key for sentence in sentences.context["cl"].result_list] == ["p2s1"]


@pytest.mark.parametrize("count", [1, 5])
def test_lesson_list_queries_do_not_grow_with_lessons(
    admin_client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    for number in range(count):
        make_lesson(slug=f"lesson-{number}", title=f"Lesson {number}", status="published")
    with django_assert_max_num_queries(6):
        response = admin_client.get(admin_url(Lesson, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


# --- revisions are read-only ------------------------------------------------------------------------------


def test_revision_change_page_is_read_only(admin_client: Client, published_lesson: Lesson) -> None:
    revision = published_lesson.published_revision
    assert revision is not None
    url = admin_url(Revision, "change", revision.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["adminform"].form.fields == {}  # nothing to edit
    content = page.content.decode()
    assert "<pre" in content
    assert revision.content_sha256 in content
    assert "&lt;script&gt;alert(" in content  # the content is shown escaped
    assert "<script>alert(" not in content

    response = admin_client.post(url, {"number": "7"})
    assert response.status_code == 403
    assert Revision.objects.get(pk=revision.pk).number == 1


def test_revision_cannot_be_deleted_or_added(admin_client: Client, published_lesson: Lesson) -> None:
    revision = published_lesson.published_revision
    assert revision is not None
    url = admin_url(Revision, "delete", revision.pk)
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert admin_client.post(admin_url(Revision, "add"), {}).status_code == 403
    assert Revision.objects.filter(pk=revision.pk).exists()


def test_revision_list_offers_no_delete_action(admin_client: Client, published_lesson: Lesson) -> None:
    response = admin_client.get(admin_url(Revision, "changelist"))
    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()


def test_publishing_is_the_service_not_the_admin(admin_user: Any, lesson: Lesson) -> None:
    # The action is a thin wrapper: the service is what freezes a revision.
    revision = lesson_publish(lesson=lesson, by=admin_user)
    assert revision.number == 1


# --- editing through the admin forms ----------------------------------------------------------------------


def _add_form(data: dict[str, Any], form: Any) -> None:
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = "on" if value is True else str(value)


def form_data(response: Any) -> dict[str, Any]:
    """What a browser would post back from an admin add or change page, unchanged."""
    data: dict[str, Any] = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def post_change(client: Client, obj: Any, **changes: Any) -> Any:
    url = admin_url(type(obj), "change", obj.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def assert_saved(response: Any) -> None:
    if response.status_code != 302:
        errors = [response.context["adminform"].form.errors] if response.context else []
        if response.context:
            errors += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
            errors += [
                inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]
            ]
        raise AssertionError(f"not saved ({response.status_code}): {errors}")


def test_saving_every_page_unchanged_keeps_the_published_content(
    admin_client: Client, published_lesson: Lesson
) -> None:
    """Admin forms round-trip exactly: after saving every page of a lesson untouched, publishing finds
    nothing changed."""
    article = published_lesson.article
    objects: list[Any] = [published_lesson, article, *published_lesson.questions.all()]
    objects += [*article.claims.all(), *article.sentences.all(), *Actor.objects.all()]
    objects += [*Source.objects.all(), *Treaty.objects.all()]
    for obj in objects:
        assert_saved(post_change(admin_client, obj))
    publish_through_admin(admin_client, published_lesson)
    assert list(published_lesson.revisions.values_list("number", flat=True)) == [1]


def test_editing_a_question_and_republishing_makes_a_new_revision(
    admin_client: Client, published_lesson: Lesson
) -> None:
    question = published_lesson.questions.get(key="q1")
    assert_saved(
        post_change(
            admin_client,
            question,
            prompt="What does the Daily Planet report rest on?",
            **{"answer_key-0-explanation": "It cites ministry documents."},
        )
    )
    response = publish_through_admin(admin_client, published_lesson)
    assert any("revision 2" in message for message in messages_of(response))
    first, second = published_lesson.revisions.order_by("number")
    assert first.content["questions"][0]["prompt"] == "What does the report rest on?"
    assert second.content["questions"][0]["prompt"] == "What does the Daily Planet report rest on?"
    assert second.content["questions"][0]["answer"]["explanation"] == "It cites ministry documents."


def test_actor_aliases_are_edited_one_per_line(admin_client: Client, lesson: Lesson) -> None:
    actor = Actor.objects.get(slug="ruritania")
    page = admin_client.get(admin_url(Actor, "change", actor.pk))
    assert "Strelsau\nKönigreich Ruritanien" in page.content.decode()
    assert_saved(post_change(admin_client, actor, aliases="Strelsau\n\n  Ruritania proper  \n"))
    actor.refresh_from_db()
    assert actor.aliases == ["Strelsau", "Ruritania proper"]


def test_lesson_added_in_the_admin_belongs_to_its_author(
    admin_client: Client, admin_user: Any, lesson: Lesson
) -> None:
    response = admin_client.post(
        admin_url(Lesson, "add"),
        {
            "title": "A new lesson",
            "slug": "a-new-lesson",
            "article": str(lesson.article_id),
            "introduction": "Read the article.",
            "objectives": "One\nTwo",
            "level": "advanced",
            "estimated_minutes": "15",
            "language": "en",
            "visibility": "private",
            "aid_sourcing_note": "after_dependent",
            "aid_provenance": "start",
            "aid_actor_cards": "after_dependent",
            "aid_treaty_cards": "after_finish",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert_saved(response)
    created = Lesson.objects.get(slug="a-new-lesson")
    assert created.owner == admin_user
    assert (created.aid_provenance, created.aid_treaty_cards) == ("start", "after_finish")
    assert created.objectives == ["One", "Two"]
    assert created.status == LessonStatus.DRAFT


def test_claim_refuses_evidence_from_another_article(admin_client: Client, lesson: Lesson) -> None:
    other = make_lesson(slug="other-lesson", title="Other lesson")
    claim = lesson.article.claims.get(key="c-asked")
    foreign = other.article.sentences.get(key="p1s1")
    response = post_change(admin_client, claim, evidence=[str(foreign.pk)])
    assert response.status_code == 200
    assert "evidence" in response.context["adminform"].form.errors
    assert set(claim.evidence.values_list("key", flat=True)) == {"p1s1", "p1s2"}


def test_question_add_page_for_a_lesson_offers_that_lessons_sentences(
    admin_client: Client, lesson: Lesson
) -> None:
    make_lesson(slug="other-lesson", title="Other lesson")
    response = admin_client.get(admin_url(Question, "add"), {"lesson": lesson.pk})
    assert response.status_code == 200
    offered = set(response.context["adminform"].form.fields["evidence"].queryset)
    assert offered == set(lesson.article.sentences.all())
    # The answer key is asked for on the same page.
    assert [inline.formset.prefix for inline in response.context["inline_admin_formsets"]][1] == "answer_key"


def test_question_added_without_answer_key_is_refused(admin_client: Client, lesson: Lesson) -> None:
    sentence = lesson.article.sentences.get(key="p1s1")
    data = {
        "lesson": str(lesson.pk),
        "key": "q3",
        "position": "5",
        "kind": "true_false",
        "focus": "event",
        "points": "1",
        "evidence_part": "0",
        "prompt": "Ruritania asked for help.",
        "evidence": [str(sentence.pk)],
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
        "answer_key-TOTAL_FORMS": "1",
        "answer_key-INITIAL_FORMS": "0",
        "answer_key-MIN_NUM_FORMS": "1",
        "answer_key-MAX_NUM_FORMS": "1",
        "rubric-TOTAL_FORMS": "0",
        "rubric-INITIAL_FORMS": "0",
    }
    response = admin_client.post(admin_url(Question, "add"), data)
    assert response.status_code == 200
    assert not lesson.questions.filter(key="q3").exists()

    data.update({"answer_key-0-explanation": "The article says so.", "answer_key-0-correct": "true"})
    data.update({"answer_key-0-option_feedback": "{}", "answer_key-0-typo_tolerance": "0"})
    assert_saved(admin_client.post(admin_url(Question, "add"), data))
    added = lesson.questions.get(key="q3")
    assert added.answer_key.correct is True
    publish_through_admin(admin_client, lesson)
    lesson.refresh_from_db()
    assert lesson.published_revision is not None
    assert [q["id"] for q in lesson.published_revision.content["questions"]] == ["q1", "q2", "q3"]


FIXTURE_LESSON = Path(settings.BASE_DIR) / "fixtures" / "lessons" / "venezuela-military-aid.json"


@pytest.fixture
def fixture_lesson(admin_user: Any) -> Lesson:
    """The first fixture lesson, published, when its file is there and valid (it has every question kind)."""
    try:
        data = json.loads(FIXTURE_LESSON.read_text(encoding="utf-8"))
        lesson = lesson_import(data=data)
    except (OSError, ValueError, LessonFileError) as error:
        pytest.skip(f"fixture lesson not available: {error}")
    lesson_publish(lesson=lesson, by=admin_user)
    return lesson


def _page_templates_only(
    store: dict[str, Any], signal: Any, sender: Any, template: Any, context: Any, **kwargs: Any
) -> None:
    """The test client's record of a rendered template, for a page's own templates only: a form widget's
    (one per field, one per choice of a select) is neither kept nor its context copied."""
    if not str(template.name).startswith(("django/forms/", "admin/widgets/")):
        _store_rendered_templates(store, signal, sender, template, context, **kwargs)


def test_every_question_kind_round_trips_through_its_admin_page(
    admin_client: Client, fixture_lesson: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(django.test.client, "store_rendered_templates", _page_templates_only)
    kinds = set()
    for question in fixture_lesson.questions.all():
        kinds.add(question.kind)
        assert_saved(post_change(admin_client, question))
    assert_saved(post_change(admin_client, fixture_lesson))
    assert_saved(post_change(admin_client, fixture_lesson.article))
    publish_through_admin(admin_client, fixture_lesson)
    assert list(fixture_lesson.revisions.values_list("number", flat=True)) == [1]
    assert len(kinds) >= 5
