"""Importing a lesson document: the rows it writes, shared entities, replacing, and revisions."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from lessons.models import (
    Actor,
    Article,
    Claim,
    Lesson,
    Option,
    Question,
    Revision,
    Sentence,
    Source,
    Treaty,
)
from lessons.services import (
    LessonFileError,
    content_digest,
    dump_document,
    lesson_document,
    lesson_import,
    lesson_publish,
)
from lessons.services.errors import NotAllowed
from lessons.services.lessons import lesson_import_reporting

RowCounts = Callable[[], dict[str, int]]

pytestmark = pytest.mark.django_db

# Every row one import of the minimal document writes; every other lessons table stays empty.
MINIMAL_ROWS = {
    "lessons.Actor": 4,
    "lessons.AnswerKey": 9,
    "lessons.Article": 1,
    "lessons.Article_cites": 2,
    "lessons.Claim": 2,
    "lessons.ClaimSource": 3,
    "lessons.Claim_counter_claims": 1,
    "lessons.Claim_evidence": 3,
    "lessons.Lesson": 1,
    "lessons.Lesson_actors": 3,
    "lessons.Lesson_treaties": 1,
    "lessons.Option": 16,
    "lessons.Question": 9,
    "lessons.Question_actors": 5,
    "lessons.Question_claims": 4,
    "lessons.Question_evidence": 11,
    "lessons.Question_treaties": 4,
    "lessons.RubricCriterion": 2,
    "lessons.Sentence": 4,
    "lessons.Source": 3,
    "lessons.Treaty": 1,
    "lessons.TreatyParty": 2,
}


def non_empty(counts: dict[str, int]) -> dict[str, int]:
    return {label: count for label, count in sorted(counts.items()) if count}


def export_text(lesson: Lesson) -> str:
    return dump_document(lesson_document(lesson))


def published(doc: dict[str, Any]) -> dict[str, Any]:
    doc["lesson"]["status"] = "published"
    return doc


# ---- what an import writes --------------------------------------------------------------------------


def test_import_creates_exactly_the_expected_rows(minimal_doc: dict[str, Any], row_counts: RowCounts) -> None:
    lesson_import(data=minimal_doc)

    assert non_empty(row_counts()) == MINIMAL_ROWS


def test_import_writes_the_lesson_fields_and_keeps_it_a_draft(minimal_doc: dict[str, Any]) -> None:
    lesson = lesson_import(data=minimal_doc)

    lesson.refresh_from_db()
    assert lesson.slug == "ruritania-arms"
    assert lesson.title == "Ruritania\u2019s reported request for arms"
    assert lesson.objectives == ["Name the actors and their roles.", "Trace the claim to its source."]
    assert (lesson.level, lesson.estimated_minutes) == ("beginner", 15)
    assert (lesson.status, lesson.visibility) == ("draft", "public")
    assert lesson.published_revision is None
    assert lesson.owner is None
    assert sorted(lesson.actors.values_list("slug", flat=True)) == ["anna-berg", "borduria", "ruritania"]
    assert list(lesson.treaties.values_list("slug", flat=True)) == ["friendship-treaty"]


def test_import_writes_the_article_and_its_sentences_in_order(minimal_doc: dict[str, Any]) -> None:
    lesson = lesson_import(data=minimal_doc)

    article = Article.objects.get(pk=lesson.article_id)
    assert article.headline == "Ruritania reportedly seeks arms from Borduria"
    assert article.source.slug == "daily-planet"
    assert article.published_on == "2025-03-01"
    assert sorted(article.cites.values_list("slug", flat=True)) == ["leaked-memo", "ministry-statement"]
    assert list(Sentence.objects.order_by("position").values_list("key", "paragraph", "position")) == [
        ("p1s1", 1, 0),
        ("p1s2", 1, 1),
        ("p2s1", 2, 2),
        ("p2s2", 2, 3),
    ]


def test_import_links_actors_sources_and_treaty_parties(minimal_doc: dict[str, Any]) -> None:
    lesson_import(data=minimal_doc)

    spokeswoman = Actor.objects.get(slug="anna-berg")
    assert spokeswoman.aliases == ["A. Berg"]
    assert spokeswoman.affiliation is not None
    assert spokeswoman.affiliation.slug == "ruritania-foreign-ministry"
    assert spokeswoman.affiliation.affiliation is not None
    assert spokeswoman.affiliation.affiliation.slug == "ruritania"
    assert Actor.objects.get(slug="ruritania").affiliation is None

    statement = Source.objects.get(slug="ministry-statement")
    assert statement.kind == "official_statement"
    assert statement.actor == spokeswoman
    assert Source.objects.get(slug="daily-planet").actor is None

    treaty = Treaty.objects.get(slug="friendship-treaty")
    assert (treaty.kind, treaty.status, treaty.signed_on) == ("treaty", "signed", "2024-01-15")
    assert list(
        treaty.party_links.order_by("position").values_list("actor__slug", "ratification", "ratified_on")
    ) == [("ruritania", "ratified", "2024-03-01"), ("borduria", "pending", None)]


def test_import_writes_claims_with_their_chain_of_sources_and_counter_claims(
    minimal_doc: dict[str, Any],
) -> None:
    lesson_import(data=minimal_doc)

    request = Claim.objects.get(key="arms-request")
    denial = Claim.objects.get(key="denial")
    assert (request.standing, request.asserted_by) == ("reported", None)
    assert list(request.source_chain.order_by("position").values_list("source__slug", flat=True)) == [
        "daily-planet",
        "leaked-memo",
    ]
    assert sorted(request.evidence.values_list("key", flat=True)) == ["p1s1", "p1s2"]
    assert list(request.counter_claims.all()) == [denial]
    assert denial.asserted_by == Actor.objects.get(slug="anna-berg")
    assert (denial.standing, list(denial.counter_claims.all())) == ("confirmed", [])


def test_import_writes_questions_options_and_answer_keys_in_order(minimal_doc: dict[str, Any]) -> None:
    lesson = lesson_import(data=minimal_doc)

    assert list(
        lesson.questions.order_by("position").values_list("key", "kind", "points", "evidence_part")
    ) == [
        ("treaty-partner", "single_choice", 1, 1),
        ("treaty-parties", "multiple_select", 2, 0),
        ("treaty-ratified", "true_false", 1, 0),
        ("spokeswoman-name", "short_answer", 1, 0),
        ("match-roles", "matching", 2, 0),
        ("treaty-timeline", "ordering", 1, 0),
        ("find-the-source", "evidence", 1, 0),
        ("attribute-request", "attribution", 3, 0),
        ("why-reported", "open_response", 2, 0),
    ]
    matching = Question.objects.get(key="match-roles")
    assert list(matching.options.order_by("position").values_list("key", "group")) == [
        ("newspaper", "choice"),
        ("spokeswoman", "choice"),
        ("anna-berg", "item"),
        ("daily-planet", "item"),
    ]
    assert matching.answer_key.correct == {"anna-berg": "spokeswoman", "daily-planet": "newspaper"}
    assert sorted(Option.objects.filter(question__key="attribute-request").values_list("key", "group")) == [
        ("leaked-memo", "source"),
        ("ministry-statement", "source"),
        ("the-ministry", "asserted_by"),
        ("the-newspaper", "asserted_by"),
    ]
    single = Question.objects.get(key="treaty-partner")
    assert single.answer_key.correct == "borduria"
    assert single.answer_key.option_feedback == {"syldavia": "Syldavia is not in the story."}
    assert list(single.evidence.values_list("key", flat=True)) == ["p2s1"]
    assert Question.objects.get(key="treaty-ratified").answer_key.correct is False
    short = Question.objects.get(key="spokeswoman-name").answer_key
    assert (short.correct, short.accepted, short.typo_tolerance) == (None, ["Anna Berg", "Berg"], 1)
    open_response = Question.objects.get(key="why-reported")
    assert open_response.answer_key.model_answer == "It rests on a memo the newspaper has not published."
    assert list(open_response.rubric.order_by("position").values_list("key", "points")) == [
        ("names-memo", 1),
        ("unpublished", 1),
    ]


def test_import_records_who_imported_as_owner_and_publisher(
    minimal_doc: dict[str, Any], django_user_model: Any
) -> None:
    teacher = django_user_model.objects.create_user("teacher")

    lesson = lesson_import(data=published(minimal_doc), by=teacher)

    assert lesson.owner == teacher
    assert lesson.published_revision is not None
    assert lesson.published_revision.published_by == teacher


def test_only_the_owner_or_a_superuser_replaces_or_publishes_a_lesson(
    minimal_doc: dict[str, Any], django_user_model: Any
) -> None:
    owner = django_user_model.objects.create_user("owner")
    colleague = django_user_model.objects.create_user("colleague")
    superuser = django_user_model.objects.create_superuser("root")
    lesson = lesson_import(data=minimal_doc, by=owner)
    changed = copy.deepcopy(minimal_doc)
    changed["lesson"]["title"] = "Rewritten by someone else"

    with pytest.raises(NotAllowed) as refused:
        lesson_import(data=changed, replace=True, by=colleague)
    with pytest.raises(NotAllowed):
        lesson_publish(lesson=lesson, by=colleague)

    assert refused.value.status == 404
    lesson.refresh_from_db()
    assert (lesson.title, lesson.published_revision_id) == (minimal_doc["lesson"]["title"], None)
    assert lesson_publish(lesson=lesson, by=owner).number == 1
    assert lesson_import(data=changed, replace=True, by=superuser).title == "Rewritten by someone else"


def test_the_system_acts_on_any_lesson(minimal_doc: dict[str, Any], django_user_model: Any) -> None:
    """The commands (import_lesson, load_demo) give no actor: they may replace and publish any lesson."""
    lesson = lesson_import(data=minimal_doc, by=django_user_model.objects.create_user("owner"))
    changed = copy.deepcopy(minimal_doc)
    changed["lesson"]["title"] = "Corrected by the command"

    assert lesson_import(data=changed, replace=True).title == "Corrected by the command"
    assert lesson_publish(lesson=lesson).number == 1


# ---- shared entities ----------------------------------------------------------------------------------


def test_a_second_lesson_never_changes_the_shared_records_the_first_one_uses(
    minimal_doc: dict[str, Any],
) -> None:
    first = lesson_import(data=copy.deepcopy(minimal_doc))
    first_export = export_text(first)
    second_doc = minimal_doc
    second_doc["lesson"]["slug"] = "ruritania-arms-follow-up"
    second_doc["actors"][0]["role"] = "Former Foreign Ministry spokeswoman"
    second_doc["actors"][2]["name"] = "Republic of Ruritania"
    second_doc["actors"][2]["aliases"] = ["Ruritania"]
    second_doc["sources"][0]["name"] = "The Daily Planet (morning edition)"
    second_doc["treaties"][0]["status"] = "in_force"
    second_doc["treaties"][0]["parties"][1] = {
        "actor": "borduria",
        "ratification": "ratified",
        "ratified_on": "2025-01-10",
    }

    result = lesson_import_reporting(data=second_doc)

    assert Lesson.objects.count() == 2
    assert Article.objects.count() == 2
    assert (Actor.objects.count(), Source.objects.count(), Treaty.objects.count()) == (4, 3, 1)
    # The shared rows are as the first lesson left them, and so is its export, byte for byte.
    ruritania = Actor.objects.get(slug="ruritania")
    assert (ruritania.name, ruritania.aliases) == ("Ruritania", ["Republic of Ruritania"])
    assert Actor.objects.get(slug="anna-berg").role == "Foreign Ministry spokeswoman"
    assert Source.objects.get(slug="daily-planet").name == "The Daily Planet"
    treaty = Treaty.objects.get(slug="friendship-treaty")
    assert treaty.status == "signed"
    assert list(
        treaty.party_links.order_by("position").values_list("actor__slug", "ratification", "ratified_on")
    ) == [("ruritania", "ratified", "2024-03-01"), ("borduria", "pending", None)]
    assert export_text(first) == first_export
    # Every difference is reported; the role and the treaty's status became the second lesson's own.
    reported = {(c.kind, c.id, c.field, c.for_lesson) for c in result.conflicts}
    assert reported == {
        ("actor", "anna-berg", "role", True),
        ("actor", "ruritania", "name", False),
        ("actor", "ruritania", "aliases", False),
        ("source", "daily-planet", "name", False),
        ("treaty", "friendship-treaty", "status", True),
        ("treaty", "friendship-treaty", "parties", False),
    }
    second_export = lesson_document(result.lesson)
    assert second_export["actors"][0]["role"] == "Former Foreign Ministry spokeswoman"
    assert second_export["actors"][2]["name"] == "Ruritania"
    assert second_export["treaties"][0]["status"] == "in_force"
    assert set(first.actors.all()) == set(result.lesson.actors.all())


# ---- an existing slug ---------------------------------------------------------------------------------


def test_import_of_existing_slug_without_replace_is_refused_and_changes_nothing(
    minimal_doc: dict[str, Any], row_counts: RowCounts
) -> None:
    lesson = lesson_import(data=copy.deepcopy(minimal_doc))
    before_counts = row_counts()
    before_export = export_text(lesson)
    minimal_doc["lesson"]["title"] = "Another title"
    minimal_doc["actors"][2]["name"] = "Republic of Ruritania"
    minimal_doc["questions"] = minimal_doc["questions"][:1]

    with pytest.raises(LessonFileError) as caught:
        lesson_import(data=minimal_doc)

    assert caught.value.path == "lesson.slug"
    assert caught.value.message == "a lesson 'ruritania-arms' already exists (use replace)"
    assert row_counts() == before_counts
    assert Actor.objects.get(slug="ruritania").name == "Ruritania"
    assert export_text(Lesson.objects.get(slug="ruritania-arms")) == before_export


def test_replace_rewrites_the_lesson_and_its_questions(
    minimal_doc: dict[str, Any], row_counts: RowCounts
) -> None:
    lesson = lesson_import(data=copy.deepcopy(minimal_doc))
    article_id = lesson.article_id
    minimal_doc["lesson"]["title"] = "Ruritania and Borduria"
    minimal_doc["questions"] = [minimal_doc["questions"][2], minimal_doc["questions"][0]]
    minimal_doc["questions"][0]["prompt"] = "Borduria has already ratified the treaty."
    minimal_doc["questions"][1]["answer"]["correct"] = "syldavia"

    replaced = lesson_import(data=minimal_doc, replace=True)

    assert replaced.pk == lesson.pk
    replaced.refresh_from_db()
    assert replaced.title == "Ruritania and Borduria"
    assert replaced.article_id == article_id  # the lesson's own article is rewritten in place
    assert list(replaced.questions.order_by("position").values_list("key", "kind", "prompt")) == [
        ("treaty-ratified", "true_false", "Borduria has already ratified the treaty."),
        ("treaty-partner", "single_choice", "Which state signed the friendship treaty with Ruritania?"),
    ]
    assert Question.objects.get(key="treaty-partner").answer_key.correct == "syldavia"
    counts = non_empty(row_counts())
    assert counts["lessons.Question"] == 2
    assert counts["lessons.AnswerKey"] == 2
    assert counts["lessons.Option"] == 2
    assert "lessons.RubricCriterion" not in counts
    assert (counts["lessons.Article"], counts["lessons.Sentence"], counts["lessons.Claim"]) == (1, 4, 2)
    assert export_text(replaced) == dump_document(minimal_doc)


# ---- revisions ----------------------------------------------------------------------------------------


def test_published_import_creates_revision_1(minimal_doc: dict[str, Any]) -> None:
    lesson = lesson_import(data=published(minimal_doc))

    lesson.refresh_from_db()
    assert lesson.status == "published"
    revision = lesson.published_revision
    assert revision is not None
    assert revision.number == 1
    assert Revision.objects.count() == 1
    assert revision.content == minimal_doc
    assert revision.content_sha256 == content_digest(minimal_doc)


def test_draft_import_creates_no_revision(minimal_doc: dict[str, Any]) -> None:
    lesson_import(data=minimal_doc)

    assert Revision.objects.count() == 0


def test_reimport_with_replace_of_unchanged_content_keeps_revision_1(minimal_doc: dict[str, Any]) -> None:
    first = lesson_import(data=copy.deepcopy(published(minimal_doc)))
    revision = first.published_revision
    assert revision is not None

    again = lesson_import(data=minimal_doc, replace=True)

    again.refresh_from_db()
    assert Revision.objects.count() == 1
    assert again.published_revision == revision
    assert Revision.objects.get().number == 1


def test_reimport_with_changed_content_makes_revision_2_and_leaves_revision_1_untouched(
    minimal_doc: dict[str, Any],
) -> None:
    original = copy.deepcopy(published(minimal_doc))
    lesson = lesson_import(data=copy.deepcopy(original))
    first = Revision.objects.get(lesson=lesson)
    first_digest = first.content_sha256
    minimal_doc["questions"][0]["prompt"] = "Which neighbour signed the treaty?"
    minimal_doc["questions"][0]["answer"]["correct"] = "syldavia"

    lesson = lesson_import(data=minimal_doc, replace=True)

    lesson.refresh_from_db()
    assert list(Revision.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    second = Revision.objects.get(lesson=lesson, number=2)
    assert lesson.published_revision == second
    assert second.content == minimal_doc
    assert second.content_sha256 == content_digest(minimal_doc)
    first = Revision.objects.get(pk=first.pk)
    assert first.content == original
    assert (
        first.content["questions"][0]["prompt"] == "Which state signed the friendship treaty with Ruritania?"
    )
    assert first.content["questions"][0]["answer"]["correct"] == "borduria"
    assert first.content_sha256 == first_digest == content_digest(original)


def test_reimport_as_draft_unpublishes_but_keeps_the_revisions(minimal_doc: dict[str, Any]) -> None:
    lesson_import(data=copy.deepcopy(published(minimal_doc)))
    minimal_doc["lesson"]["status"] = "draft"

    lesson = lesson_import(data=minimal_doc, replace=True)

    lesson.refresh_from_db()
    assert (lesson.status, lesson.published_revision) == ("draft", None)
    assert list(Revision.objects.values_list("number", flat=True)) == [1]


# ----------------------------------------------------------------------------------------------------
# The content's language


def test_a_lesson_file_gives_its_content_language_and_export_writes_it(minimal_doc: dict[str, Any]) -> None:
    doc = copy.deepcopy(minimal_doc)
    doc["lesson"]["language"] = "pt-BR"

    lesson = lesson_import(data=doc)

    assert lesson.language == "pt-BR"
    exported = lesson_document(lesson)
    assert exported["lesson"]["language"] == "pt-BR"
    assert list(exported["lesson"]).index("language") == list(exported["lesson"]).index("visibility") + 1


def test_a_lesson_file_without_a_language_is_english(minimal_doc: dict[str, Any]) -> None:
    doc = copy.deepcopy(minimal_doc)
    del doc["lesson"]["language"]

    lesson = lesson_import(data=doc)

    assert lesson.language == "en"
    assert lesson_document(lesson)["lesson"]["language"] == "en"
