"""The studio's pages and services: a new lesson from an article (split, merge, make), editing the text
keeps the ids of unchanged sentences and lists the links to removed ones, actors and agreements with what
the lesson says of them, claims, settings, co-authors, duplicate and archive."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from factories.classroom import AssignmentFactory, ClassroomFactory

from lessons.kinds.file import LessonFileError
from lessons.models import (
    Actor,
    Claim,
    Lesson,
    LessonActorNote,
    LessonStatus,
    Sentence,
    Source,
    Standing,
    Treaty,
)
from lessons.selectors import assignable_lessons, published_lessons_for
from lessons.services import authoring
from lessons.services.authoring import ArticleDetails, ClaimInput, match_sentences
from lessons.services.errors import InvalidInput, NotAllowed
from lessons.services.lessons import lesson_document, lesson_import_reporting
from lessons.vocabulary import STANDING_DEFINITIONS
from lessons.web.studio_forms import lines_of

pytestmark = pytest.mark.django_db

ARTICLE = (
    "The U.S. Navy sent two ships to the Gulf of Tolara on Jan. 5. Officials reportedly feared a clash.\n\n"
    "Gen. Ana Ruiz said the ships would stay. “We are not leaving,” she said."
)


def new_lesson_post(**changes: str) -> dict[str, str]:
    return {
        "title": "",
        "headline": "Navy ships head to the Gulf of Tolara",
        "source": "",
        "new_source_name": "The Harbour Times",
        "published_on": "2025-01",
        "url": "https://example.com/tolara",
        "report_kind": "original",
        "original_headline": "",
        "rests_on": "",
        "body": ARTICLE,
        "sentences": "",
        **changes,
    }


def details(lesson: Lesson) -> ArticleDetails:
    article = lesson.article
    return ArticleDetails(
        headline=article.headline,
        source=article.source,
        new_source_name="",
        published_on=article.published_on or "",
        url=article.url,
        original_headline=article.original_headline,
        rests_on=article.rests_on,
    )


# ---- a new lesson from an article -------------------------------------------------------------------------


def test_new_lesson_splits_then_makes_the_lesson_with_the_teachers_merges(
    author_client: Client, author: User
) -> None:
    split = author_client.post(reverse("studio:new"), {**new_lesson_post(), "action": "split"})
    assert split.status_code == 200
    sentences = split.context["form"].data["sentences"]
    assert sentences == (
        "The U.S. Navy sent two ships to the Gulf of Tolara on Jan. 5.\n"
        "Officials reportedly feared a clash.\n\n"
        "Gen. Ana Ruiz said the ships would stay.\n“We are not leaving,” she said."
    )
    assert not Lesson.objects.exists()
    # The teacher merges the last two sentences into one line.
    merged = sentences.replace("stay.\n“We", "stay. “We")
    made = author_client.post(
        reverse("studio:new"), {**new_lesson_post(sentences=merged), "action": "create"}
    )

    lesson = Lesson.objects.get()
    assert made.status_code == 302
    assert made["Location"] == reverse("studio:entities", args=[lesson.slug])
    assert (lesson.owner, lesson.status, lesson.visibility) == (author, LessonStatus.DRAFT, "private")
    assert lesson.title == lesson.article.headline == "Navy ships head to the Gulf of Tolara"
    assert lesson.article.published_on == "2025-01"
    assert lesson.article.source.name == "The Harbour Times"
    assert list(lesson.article.sentences.values_list("key", "paragraph", "text")) == [
        ("p1s1", 1, "The U.S. Navy sent two ships to the Gulf of Tolara on Jan. 5."),
        ("p1s2", 1, "Officials reportedly feared a clash."),
        ("p2s1", 2, "Gen. Ana Ruiz said the ships would stay. “We are not leaving,” she said."),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"headline": ""}, "headline"),
        ({"new_source_name": ""}, "source"),
        ({"published_on": "2025-13"}, "published_on"),
        ({"report_kind": "retelling"}, "original_headline"),
        ({"body": ""}, "body"),
    ],
)
def test_new_lesson_errors_are_form_errors_and_make_nothing(
    author_client: Client, changes: dict[str, str], field: str
) -> None:
    response = author_client.post(reverse("studio:new"), {**new_lesson_post(**changes), "action": "split"})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'href="#id_{field}' in response.content.decode()  # the error summary links to the field
    assert not Lesson.objects.exists()


def test_a_retelling_keeps_what_it_rests_on(author_client: Client) -> None:
    post = new_lesson_post(
        report_kind="retelling", original_headline="Ships sail", rests_on="a report citing navy logs"
    )
    sentences = "One sentence.\n\nAnother one."
    author_client.post(reverse("studio:new"), {**post, "sentences": sentences, "action": "create"})
    article = Lesson.objects.get().article
    assert (article.original_headline, article.rests_on) == ("Ships sail", "a report citing navy logs")


def test_only_teachers_make_lessons(learner: User) -> None:
    with pytest.raises(NotAllowed):
        authoring.lesson_create_from_article(
            by=learner,
            title="",
            details=ArticleDetails("H", None, "Paper", "", "", "", ""),
            paragraphs=[["One."]],
        )


# ---- editing the text keeps ids ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ([["A.", "B.", "C."]], [["a", "b", "c"]]),  # nothing changed
        ([["A.", "X.", "B.", "C."]], [["a", None, "b", "c"]]),  # a sentence inserted
        ([["A.", "C."]], [["a", "c"]]),  # one removed
        ([["A."], ["B.", "C."]], [["a"], ["b", "c"]]),  # a new paragraph break
        ([["A. B."], ["C."]], [[None], ["c"]]),  # two merged: a new sentence
        ([["Zzz qqq.", "B.", "C."]], [[None, "b", "c"]]),  # rewritten beyond recognition
    ],
)
def test_match_sentences(new: list[list[str]], expected: list[list[str | None]]) -> None:
    assert match_sentences([("a", "A."), ("b", "B."), ("c", "C.")], new) == expected


def test_an_edited_sentence_keeps_its_id() -> None:
    old = [("p1s1", "Russia has since ratified the treaty."), ("p1s2", "It was signed in May.")]
    new = [["Russia has since ratified that treaty.", "It was signed in May."]]
    assert match_sentences(old, new) == [["p1s1", "p1s2"]]


def test_editing_the_text_keeps_unchanged_ids_and_lists_broken_links(
    authored_lesson: Lesson, author: User
) -> None:
    article = authored_lesson.article
    sentences = list(article.sentences.order_by("position"))
    paragraphs: dict[int, list[str]] = {}
    for sentence in sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence.text)
    linked = {
        key
        for question in authored_lesson.questions.prefetch_related("evidence")
        for key in question.evidence.values_list("key", flat=True)
    }
    gone = sorted(linked)[0]
    gone_text = article.sentences.get(key=gone).text
    new_paragraphs = [[text for text in texts if text != gone_text] for texts in paragraphs.values()]
    new_paragraphs[0].insert(0, "A brand new opening sentence about nothing at all.")
    ids_before = {s.key: s.pk for s in sentences if s.key != gone}

    change = authoring.article_update(
        lesson=authored_lesson, by=author, details=details(authored_lesson), paragraphs=new_paragraphs
    )

    assert (change.kept, change.added, change.removed) == (len(sentences) - 1, 1, 1)
    after = {s.key: s.pk for s in article.sentences.all()}
    for key, pk in ids_before.items():
        assert after[key] == pk  # the same rows, with the same ids
    assert gone not in after  # and no new sentence takes the id of a removed one
    assert change.broken_links
    assert all(link.sentence_id == gone for link in change.broken_links)
    assert all(gone_text[:40] in str(link) for link in change.broken_links)
    holders = {link.holder for link in change.broken_links}
    expected = {
        f"Question {number} ({question.key})"
        for number, question in enumerate(authored_lesson.questions.order_by("position"), start=1)
        if question.evidence.filter(key=gone).exists()
    }
    assert expected <= holders
    texts = list(article.sentences.order_by("position").values_list("text", flat=True))
    assert texts[0] == "A brand new opening sentence about nothing at all."


def test_the_article_page_lists_the_broken_links(author_client: Client, authored_lesson: Lesson) -> None:
    url = reverse("studio:article", args=[authored_lesson.slug])
    form = author_client.get(url).context["form"]
    post = {**form.initial, "source": form.initial["source"]}
    first_line = post["sentences"].split("\n")[0]
    post["sentences"] = post["sentences"].replace(first_line + "\n", "", 1)
    response = author_client.post(url, post)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Links to sentences that are gone" in body
    assert "is no longer in the article" in body


def test_article_unchanged_keeps_everything(author_client: Client, authored_lesson: Lesson) -> None:
    url = reverse("studio:article", args=[authored_lesson.slug])
    form = author_client.get(url).context["form"]
    before = list(authored_lesson.article.sentences.values_list("pk", "key", "position", "text"))
    response = author_client.post(url, {**form.initial})
    assert response.status_code == 302
    assert list(authored_lesson.article.sentences.values_list("pk", "key", "position", "text")) == before


# ---- actors and treaties ---------------------------------------------------------------------------------


def test_what_a_lesson_says_of_an_actor_is_its_own(
    author_client: Client, authored_lesson: Lesson, first_lesson: Lesson
) -> None:
    actor = authored_lesson.actors.order_by("slug").first()
    assert actor is not None
    shared_role = actor.role
    url = reverse("studio:entities", args=[authored_lesson.slug])
    response = author_client.post(
        url,
        {
            "action": "actor_note",
            "actor": actor.pk,
            f"actor-{actor.pk}-role": "Acting minister",
            f"actor-{actor.pk}-description": "",
        },
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.role == shared_role
    assert LessonActorNote.objects.get(lesson=authored_lesson, actor=actor).role == "Acting minister"
    page = author_client.get(url).content.decode()
    assert "Acting minister" in page
    # Setting it back to the shared role removes the note.
    author_client.post(
        url,
        {
            "action": "actor_note",
            "actor": actor.pk,
            f"actor-{actor.pk}-role": shared_role,
            f"actor-{actor.pk}-description": "",
        },
    )
    assert not LessonActorNote.objects.filter(lesson=authored_lesson).exists()


def test_actors_and_treaties_are_created_picked_and_removed(
    author_client: Client, authored_lesson: Lesson, first_lesson: Lesson
) -> None:
    url = reverse("studio:entities", args=[authored_lesson.slug])
    author_client.post(
        url,
        {
            "action": "new_actor",
            "new-actor-name": "Ana Ruiz",
            "new-actor-kind": "person",
            "new-actor-role": "General",
            "new-actor-aliases": "Gen. Ruiz, Ruiz",
            "new-actor-description": "",
        },
    )
    ruiz = Actor.objects.get(name="Ana Ruiz")
    assert ruiz.aliases == ["Gen. Ruiz", "Ruiz"]
    assert authored_lesson.actors.filter(pk=ruiz.pk).exists()
    trump = Actor.objects.get(slug="trump")
    author_client.post(url, {"action": "pick_actor", "pick-actor-actor": trump.pk})
    assert authored_lesson.actors.filter(pk=trump.pk).exists()
    author_client.post(url, {"action": "remove_actor", "actor": trump.pk})
    assert not authored_lesson.actors.filter(pk=trump.pk).exists()
    assert first_lesson.actors.filter(pk=trump.pk).exists()
    author_client.post(
        url,
        {
            "action": "new_treaty",
            "new-treaty-name": "Tolara Accord",
            "new-treaty-kind": "agreement",
            "new-treaty-status": "signed",
            "new-treaty-signed_on": "--05",
            "new-treaty-summary": "",
        },
    )
    assert authored_lesson.treaties.filter(name="Tolara Accord", signed_on="--05").exists()
    bad = author_client.post(
        url,
        {
            "action": "new_treaty",
            "new-treaty-name": "Bad",
            "new-treaty-kind": "agreement",
            "new-treaty-status": "signed",
            "new-treaty-signed_on": "May",
            "new-treaty-summary": "",
        },
    )
    assert bad.status_code == 400
    assert not Treaty.objects.filter(name="Bad").exists()


def test_names_in_the_text_are_marked_and_unknown_names_offered(
    author_client: Client, authored_lesson: Lesson
) -> None:
    page = author_client.get(reverse("studio:entities", args=[authored_lesson.slug]))
    body = page.content.decode()
    featured = authored_lesson.actors.order_by("name").first()
    assert featured is not None
    assert f'<mark title="{featured.name}">' in body
    assert page.context["page"].candidates == sorted(
        page.context["page"].candidates, key=lambda name: body.find(name)
    )


# ---- claims -------------------------------------------------------------------------------------------


def test_a_claim_is_saved_with_its_chain_and_evidence(author_client: Client, authored_lesson: Lesson) -> None:
    url = reverse("studio:claims", args=[authored_lesson.slug])
    page = author_client.get(url)
    body = page.content.decode()
    for definition in STANDING_DEFINITIONS.values():
        assert str(definition).replace("“", "&ldquo;")[:30] in body or str(definition)[:30] in body
    sentence = authored_lesson.article.sentences.order_by("position").first()
    assert sentence is not None
    source = Source.objects.order_by("pk").first()
    assert source is not None
    actor = authored_lesson.actors.first()
    assert actor is not None
    response = author_client.post(
        url,
        {
            "claim-statement": "The ships will stay.",
            "claim-evidence": [sentence.key],
            "claim-asserted_by": actor.pk,
            "claim-via_1": source.pk,
            "claim-standing": "on_record",
            "claim-note": "",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(statement="The ships will stay.")
    assert (claim.standing, claim.asserted_by) == (Standing.ON_RECORD, actor)
    assert list(claim.evidence.values_list("key", flat=True)) == [sentence.key]
    assert list(claim.source_chain.values_list("source", flat=True)) == [source.pk]
    missing = author_client.post(url, {"claim-statement": "No evidence.", "claim-standing": "alleged"})
    assert missing.status_code == 400
    assert "claim-evidence" in missing.content.decode() or "evidence" in missing.context["form"].errors


def test_hedges_are_shown_as_hints(author_client: Client, author: User) -> None:
    lesson = authoring.lesson_create_from_article(
        by=author,
        title="",
        details=ArticleDetails("H", None, "Paper", "", "", "", ""),
        paragraphs=[["Officials reportedly feared a clash.", "The ships left."]],
    )
    body = author_client.get(reverse("studio:claims", args=[lesson.slug])).content.decode()
    assert "<li>p1s1: reportedly</li>" in body
    assert "<li>p1s2:" not in body


def test_a_claim_names_sentences_of_its_own_article(
    authored_lesson: Lesson, author: User, first_lesson: Lesson
) -> None:
    other = first_lesson.article.sentences.first()
    assert other is not None
    foreign_key = (
        other.key if not authored_lesson.article.sentences.filter(key=other.key).exists() else "p99s99"
    )
    with pytest.raises(InvalidInput):
        authoring.claim_save(
            lesson=authored_lesson,
            by=author,
            claim_id=None,
            data=ClaimInput("A claim.", None, [], "alleged", [foreign_key], [], ""),
        )


# ---- settings and co-authors ----------------------------------------------------------------------------


def settings_post(lesson: Lesson, **changes: Any) -> dict[str, Any]:
    return {
        "action": "settings",
        "title": lesson.title,
        "introduction": "Read *this* first.",
        "sourcing_note": "",
        "objectives": "One\n\nTwo",
        "level": "advanced",
        "estimated_minutes": 25,
        "language": "en-GB",
        "visibility": "teachers",
        "aid_sourcing_note": "start",
        "aid_provenance": "after_finish",
        "aid_actor_cards": "after_dependent",
        "aid_treaty_cards": "start",
        **changes,
    }


def test_settings_are_saved(author_client: Client, authored_lesson: Lesson) -> None:
    url = reverse("studio:settings", args=[authored_lesson.slug])
    assert author_client.post(url, settings_post(authored_lesson)).status_code == 302
    authored_lesson.refresh_from_db()
    assert authored_lesson.objectives == ["One", "Two"]
    assert (authored_lesson.level, authored_lesson.estimated_minutes, authored_lesson.language) == (
        "advanced",
        25,
        "en-GB",
    )
    assert (authored_lesson.aid_sourcing_note, authored_lesson.aid_provenance) == ("start", "after_finish")
    bad = author_client.post(url, settings_post(authored_lesson, estimated_minutes=0, language="english!"))
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"estimated_minutes", "language"}


def test_the_owner_adds_and_removes_co_authors(
    author_client: Client, authored_lesson: Lesson, stranger_teacher: User, learner: User, co_author: User
) -> None:
    url = reverse("studio:settings", args=[authored_lesson.slug])
    assert (
        author_client.post(url, {"action": "add_co_author", "co-author-username": "stranger"}).status_code
        == 302
    )
    assert authored_lesson.co_authors.filter(pk=stranger_teacher.pk).exists()
    refused = author_client.post(url, {"action": "add_co_author", "co-author-username": "learner"})
    assert refused.status_code == 400
    assert "No teacher has that username." in refused.content.decode()
    author_client.post(url, {"action": "remove_co_author", "user": stranger_teacher.pk})
    assert not authored_lesson.co_authors.filter(pk=stranger_teacher.pk).exists()
    # A co-author edits but does not choose co-authors.
    with pytest.raises(NotAllowed):
        authoring.co_author_add(lesson=authored_lesson, by=co_author, username="stranger")


# ---- duplicate and archive ------------------------------------------------------------------------------


def test_duplicate_makes_a_private_draft_of_ones_own(
    client: Client, authored_lesson: Lesson, co_author: User
) -> None:
    client.force_login(co_author)
    response = client.post(reverse("studio:duplicate", args=[authored_lesson.slug]))
    copy = Lesson.objects.exclude(pk=authored_lesson.pk).get()
    assert response["Location"] == reverse("studio:lesson", args=[copy.slug])
    assert copy.slug == f"{authored_lesson.slug}-copy"
    assert (copy.owner, copy.status, copy.visibility) == (co_author, LessonStatus.DRAFT, "private")
    assert copy.title == f"Copy of {authored_lesson.title}"
    assert copy.article_id != authored_lesson.article_id
    assert copy.questions.count() == authored_lesson.questions.count()
    assert list(copy.article.sentences.values_list("key", "text")) == list(
        authored_lesson.article.sentences.values_list("key", "text")
    )
    client.post(reverse("studio:duplicate", args=[authored_lesson.slug]))
    assert Lesson.objects.filter(slug=f"{authored_lesson.slug}-copy-2").exists()


def test_archive_leaves_the_catalogue_and_assignments_keep_working(
    author_client: Client, authored_lesson: Lesson, author: User
) -> None:
    classroom = ClassroomFactory(teacher=author, name="Civics")
    assignment = AssignmentFactory(classroom=classroom, lesson=authored_lesson, by=author)
    assert authored_lesson in published_lessons_for(author)
    response = author_client.post(
        reverse("studio:archive", args=[authored_lesson.slug]), {"action": "archive"}
    )
    assert response.status_code == 302
    authored_lesson.refresh_from_db()
    assert authored_lesson.archived_at is not None
    assert authored_lesson not in published_lessons_for(author)
    assert authored_lesson not in assignable_lessons(author)
    assignment.refresh_from_db()
    assert assignment.revision == authored_lesson.published_revision
    my_lessons = author_client.get(reverse("studio:lessons")).content.decode()
    assert "Archived" in my_lessons and "Civics" in my_lessons
    author_client.post(reverse("studio:archive", args=[authored_lesson.slug]), {"action": "restore"})
    authored_lesson.refresh_from_db()
    assert authored_lesson.archived_at is None


def test_the_teachers_navigation_links_my_lessons(
    author_client: Client, learner: User, client: Client
) -> None:
    assert reverse("studio:lessons") in author_client.get(reverse("lessons:home")).content.decode()


def test_sentences_box_round_trips() -> None:
    assert lines_of([["A.", "B."], ["C."]]) == "A.\nB.\n\nC."
    assert Sentence._meta.get_field("key").max_length == 20


def test_a_draft_without_questions_is_copied_as_it_is(author_client: Client, author: User) -> None:
    lesson = authoring.lesson_create_from_article(
        by=author, title="", details=ArticleDetails("H", None, "Paper", "", "", "", ""), paragraphs=[["One."]]
    )
    response = author_client.post(reverse("studio:duplicate", args=[lesson.slug]))
    copy = Lesson.objects.exclude(pk=lesson.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("studio:lesson", args=[copy.slug])
    assert copy.slug != lesson.slug and copy.questions.count() == 0
    assert (copy.owner, copy.status, copy.visibility) == (author, LessonStatus.DRAFT, "private")
    assert list(copy.article.sentences.values_list("text", flat=True)) == ["One."]


def test_a_lesson_file_without_questions_is_still_refused(author: User) -> None:
    lesson = authoring.lesson_create_from_article(
        by=author, title="", details=ArticleDetails("H", None, "Paper", "", "", "", ""), paragraphs=[["One."]]
    )
    document: Any = lesson_document(lesson, status=LessonStatus.DRAFT)
    document["lesson"]["slug"] = "another"
    with pytest.raises(LessonFileError, match="must list at least one question"):
        lesson_import_reporting(data=document, by=author)
    with pytest.raises(LessonFileError, match="must list at least one question"):
        document["lesson"]["status"] = LessonStatus.PUBLISHED
        lesson_import_reporting(data=document, by=author, unfinished=True)
    assert Lesson.objects.count() == 1
