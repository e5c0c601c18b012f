"""An author's side of the API: their lessons (filtered), a lesson as its file with keys and an ETag, its
published revisions (ETag, 304) and what one revision changed of another, importing and rewriting a lesson
from a lesson file and exporting it, publishing through the checklist, duplicating and archiving; a
non-author gets a 404."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

from api_support import Api, MakeApi, error_of
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from lessons.models import Actor, Lesson
from lessons.services.authoring import ArticleDetails, co_author_add, lesson_create_from_article
from lessons.services.lesson_documents import MAX_FILE_BYTES
from lessons.services.lessons import lesson_document, lesson_import


def test_my_lessons_lists_the_owned_and_co_authored_with_filters(
    make_api: MakeApi, author: Api, authored_lesson: Lesson, teacher: User, other_teacher: User
) -> None:
    co_author_add(lesson=authored_lesson, by=teacher, username=other_teacher.username)

    mine = author.get("author/lessons/").json()
    theirs = make_api(other_teacher).get("author/lessons/").json()

    assert [(row["slug"], row["mine"], row["revisions"]) for row in mine["results"]] == [
        (authored_lesson.slug, True, 1)
    ]
    assert mine["results"][0]["published_revision"] == 1 and mine["results"][0]["questions"] > 0
    assert [(row["slug"], row["mine"]) for row in theirs["results"]] == [(authored_lesson.slug, False)]
    assert author.get("author/lessons/", status="draft").json()["count"] == 0
    assert author.get("author/lessons/", status="published").json()["count"] == 1
    assert author.get("author/lessons/", archived="true").json()["count"] == 0
    Lesson.objects.filter(pk=authored_lesson.pk).update(archived_at=timezone.now())
    assert author.get("author/lessons/", archived="true").json()["count"] == 1
    assert author.get("author/lessons/", archived="false").json()["count"] == 0
    bad = author.get("author/lessons/", status="lost")
    assert bad.status_code == 400 and "status" in error_of(bad)["fields"]


def test_a_lesson_i_author_is_its_lesson_file_with_an_etag(
    make_api: MakeApi, author: Api, authored_lesson: Lesson, other_teacher: User
) -> None:
    path = f"author/lessons/{authored_lesson.slug}/"
    first = author.get(path)
    etag = first["ETag"]

    assert first.status_code == 200 and first.json() == lesson_document(authored_lesson)
    assert "no-store" not in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = author.client.get(f"/api/v1/{path}", headers={**author._headers(), "If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    Lesson.objects.filter(pk=authored_lesson.pk).update(title="A new title")
    changed = author.client.get(f"/api/v1/{path}", headers={**author._headers(), "If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["lesson"]["title"] == "A new title"
    assert error_of(make_api(other_teacher).get(path))["code"] == "not_found"


def test_revisions_their_content_with_an_etag_and_what_changed(
    make_api: MakeApi,
    author: Api,
    first_lesson: Lesson,
    first_lesson_data: dict[str, Any],
    teacher: User,
    other_teacher: User,
) -> None:
    changed = copy.deepcopy(first_lesson_data)
    changed["lesson"]["title"] += " (corrected)"
    changed["questions"] = changed["questions"][1:]
    lesson_import(data=changed, replace=True)  # published content changed: revision 2
    Lesson.objects.filter(pk=first_lesson.pk).update(owner=teacher)
    base = f"author/lessons/{first_lesson.slug}/revisions/"

    listed = author.get(base).json()
    one = author.get(f"{base}1/")
    etag = one["ETag"]
    again = author.client.get(f"/api/v1/{base}1/", headers={**author._headers(), "If-None-Match": etag})
    changes = author.get(f"{base}1/changes/2/").json()

    assert [row["number"] for row in listed["results"]] == [2, 1]
    assert one.json()["content"]["lesson"]["title"] == first_lesson_data["lesson"]["title"]
    assert one.json()["content"]["questions"][0]["answer"] == first_lesson_data["questions"][0]["answer"]
    assert (again.status_code, again.content) == (304, b"")
    assert author.get(f"{base}2/")["ETag"] != etag
    assert [line["key"] for line in changes["removed"]] == [first_lesson_data["questions"][0]["id"]]
    assert changes["added"] == [] and "title" in changes["lesson_fields"]
    assert author.get(f"{base}3/").status_code == 404
    assert author.get(f"{base}1/changes/3/").status_code == 404
    assert make_api(other_teacher).get(f"{base}1/").status_code == 404


def _raw(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)


def test_a_lesson_file_becomes_a_lesson_of_mine_with_every_problem_reported_at_once(
    make_api: MakeApi, author: Api, teacher: User, first_lesson_data: dict[str, Any]
) -> None:
    document = copy.deepcopy(first_lesson_data)
    document["lesson"].update(slug="my-own-copy", status="draft")
    broken = copy.deepcopy(document)
    broken["lesson"]["title"] = ""
    broken["questions"][0]["prompt"] = ""

    refused = author.client.post(
        "/api/v1/author/lessons/import/",
        _raw(broken),
        content_type="application/json",
        headers=author._headers(),
    )
    made = author.client.post(
        "/api/v1/author/lessons/import/",
        _raw(document),
        content_type="application/json",
        headers=author._headers(),
    )
    again = author.client.post(
        "/api/v1/author/lessons/import/",
        _raw(document),
        content_type="application/json",
        headers=author._headers(),
    )

    error = error_of(refused)
    assert refused.status_code == 400 and len(error["fields"]) >= 2
    assert (
        any(path.startswith("questions[0]") for path in error["fields"]) and "lesson.title" in error["fields"]
    )
    assert made.status_code == 201
    assert made.json()["slug"] == "my-own-copy" and made.json()["status"] == "draft"
    assert made.json()["conflicts"] == []  # the shared records say what this file says
    lesson = Lesson.objects.get(slug="my-own-copy")
    assert lesson.owner == teacher and lesson.status == "draft"
    assert again.status_code == 400 and "file" in error_of(again)["fields"]


def test_an_imported_file_that_describes_a_shared_actor_otherwise_reports_it(
    author: Api, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    document = copy.deepcopy(first_lesson_data)
    document["lesson"].update(slug="my-renamed-actor", status="draft")
    actor = document["actors"][0]
    actor["name"] += " (renamed)"

    made = author.client.post(
        "/api/v1/author/lessons/import/",
        _raw(document),
        content_type="application/json",
        headers=author._headers(),
    )

    assert made.status_code == 201
    conflicts = made.json()["conflicts"]
    assert {(c["kind"], c["id"], c["field"], c["in_file"]) for c in conflicts} >= {
        ("actor", actor["id"], "name", actor["name"])
    }
    assert Actor.objects.get(slug=actor["id"]).name == first_lesson_data["actors"][0]["name"]


def test_a_lesson_file_over_the_cap_is_a_413_before_it_is_read(author: Api) -> None:
    raw = '{"pad": "' + "x" * MAX_FILE_BYTES + '"}'

    response = author.client.post(
        "/api/v1/author/lessons/import/", raw, content_type="application/json", headers=author._headers()
    )

    assert response.status_code == 413 and error_of(response)["code"] == "payload_too_large"


def test_the_lesson_file_is_the_export_command_s_bytes_and_a_file_rewrites_the_lesson(
    make_api: MakeApi, author: Api, authored_lesson: Lesson, other_teacher: User
) -> None:
    path = f"/api/v1/author/lessons/{authored_lesson.slug}/file/"
    out = io.StringIO()
    call_command("export_lesson", authored_lesson.slug, stdout=out)

    exported = author.client.get(path, headers=author._headers())
    document = json.loads(exported.content)
    document["lesson"]["title"] = "Rewritten from a file"
    rewritten = author.client.put(
        path, _raw(document), content_type="application/json", headers=author._headers()
    )
    document["lesson"]["slug"] = "another-id"
    wrong_id = author.client.put(
        path, _raw(document), content_type="application/json", headers=author._headers()
    )
    stranger = make_api(other_teacher)
    refused = stranger.client.put(
        path, _raw(document), content_type="application/json", headers=stranger._headers()
    )

    assert exported.status_code == 200 and exported.content == out.getvalue().encode()
    assert rewritten.status_code == 200 and rewritten.json()["title"] == "Rewritten from a file"
    assert Lesson.objects.get(pk=authored_lesson.pk).title == "Rewritten from a file"
    assert wrong_id.status_code == 400 and "file" in error_of(wrong_id)["fields"]
    assert refused.status_code == 404


def _draft_with_no_question(teacher: User) -> Lesson:
    return lesson_create_from_article(
        by=teacher,
        title="A draft with no question",
        details=ArticleDetails("Headline", None, "Paper", "", "", "", ""),
        paragraphs=[["One sentence."]],
    )


def test_publishing_lists_every_problem_or_answers_the_revision(
    make_api: MakeApi, author: Api, teacher: User, authored_lesson: Lesson
) -> None:
    draft = _draft_with_no_question(teacher)

    refused = author.post(f"author/lessons/{draft.slug}/publish/")
    published = author.post(f"author/lessons/{authored_lesson.slug}/publish/")

    error = error_of(refused)
    assert refused.status_code == 409 and error["code"] == "checklist_failed"
    assert error["fields"].get("lesson") and not draft.revisions.exists()
    assert published.status_code == 200 and published.json() == {"slug": authored_lesson.slug, "revision": 1}


def test_duplicate_and_archive_a_lesson_i_author(
    make_api: MakeApi, author: Api, teacher: User, other_teacher: User, authored_lesson: Lesson
) -> None:
    copied = author.post(f"author/lessons/{authored_lesson.slug}/duplicate/")
    archived = author.post(f"author/lessons/{authored_lesson.slug}/archive/", {"archived": True})
    archived_at = Lesson.objects.get(pk=authored_lesson.pk).archived_at
    restored = author.post(f"author/lessons/{authored_lesson.slug}/archive/", {"archived": False})
    stranger = make_api(other_teacher).post(f"author/lessons/{authored_lesson.slug}/archive/", {})

    assert copied.status_code == 201
    copy_of = Lesson.objects.get(slug=copied.json()["slug"])
    assert copy_of.owner == teacher and copy_of.status == "draft" and copy_of.pk != authored_lesson.pk
    assert archived.status_code == 200 and archived_at is not None and archived.json()["archived_at"]
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert stranger.status_code == 404 and Lesson.objects.get(pk=authored_lesson.pk).archived_at is None


def test_a_draft_with_no_question_yet_is_duplicated(author: Api, teacher: User) -> None:
    draft = _draft_with_no_question(teacher)
    copied = author.post(f"author/lessons/{draft.slug}/duplicate/")

    assert copied.status_code == 201
    copy_of = Lesson.objects.get(slug=copied.json()["slug"])
    assert copy_of.pk != draft.pk and copy_of.status == "draft" and copy_of.questions.count() == 0


def test_the_owner_chooses_co_authors_among_teachers_by_username(
    make_api: MakeApi,
    author: Api,
    authored_lesson: Lesson,
    teacher: User,
    other_teacher: User,
    make_user: Any,
) -> None:
    path = f"author/lessons/{authored_lesson.slug}/coauthors/"

    added = author.post(path, {"username": f" {other_teacher.username} "})
    again = author.post(path, {"username": other_teacher.username})

    assert added.status_code == 201 and added.json() == {
        "id": other_teacher.pk,
        "username": other_teacher.username,
    }
    assert again.status_code == 201
    listed = make_api(other_teacher).get(path).json()
    assert listed == {
        "owner": {"id": teacher.pk, "username": teacher.username},
        "co_authors": [{"id": other_teacher.pk, "username": other_teacher.username}],
    }
    assert make_api(other_teacher).get(f"author/lessons/{authored_lesson.slug}/").status_code == 200
    # Neither a learner, nor the owner, nor an unknown name; nothing changed.
    make_user("pupil")
    for name in ("pupil", teacher.username, "nobody", ""):
        refused = author.post(path, {"username": name})
        assert refused.status_code == 400 and "username" in error_of(refused)["fields"], name
    assert list(authored_lesson.co_authors.all()) == [other_teacher]
    # A co-author does not choose co-authors (404, as on the pages).
    by_co_author = make_api(other_teacher).delete(f"{path}{other_teacher.pk}/")
    assert error_of(by_co_author)["code"] == "not_allowed"
    assert list(authored_lesson.co_authors.all()) == [other_teacher]

    assert author.delete(f"{path}{other_teacher.pk}/").status_code == 204
    assert author.delete(f"{path}{other_teacher.pk}/").status_code == 204
    assert author.get(path).json()["co_authors"] == []
    assert error_of(make_api(other_teacher).get(path))["code"] == "not_found"
    read_only = make_api(teacher, read_only=True).post(path, {"username": other_teacher.username})
    assert read_only.status_code == 403 and not authored_lesson.co_authors.exists()
