"""An author's side of a lesson's questions through the API: the list and each question in the lesson file's
format (keys included, an ETag), a new question, one replaced (what GET gives PUT takes back) or refused
with every problem by its path, moved, duplicated and deleted; the preview's answer check (nothing stored);
questions from GIFT / Moodle XML / QTI files and a lesson out to them, with their reports; a lesson the
caller does not author is a 404, and editing a published lesson edits its draft as the studio does."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from api_support import Api, MakeApi, error_of, right_answer
from django.conf import settings
from django.contrib.auth.models import User

from lessons.interop.safety import MAX_UPLOAD_BYTES
from lessons.models import Attempt, Lesson, ReviewItem
from lessons.models import Response as AnswerRow
from lessons.services.interop import EXPORT_FORMATS, lesson_export_as
from lessons.services.lessons import lesson_document

FILES = Path(settings.BASE_DIR) / "tests" / "interop" / "files"


def _questions(lesson: Lesson) -> list[dict[str, Any]]:
    return list(lesson_document(Lesson.objects.get(pk=lesson.pk))["questions"])


def _question(lesson: Lesson, key: str) -> dict[str, Any]:
    return next(question for question in _questions(lesson) if question["id"] == key)


def test_the_list_gives_every_question_in_order_with_its_key_and_a_stranger_gets_a_404(
    make_api: MakeApi, author: Api, authored_lesson: Lesson, other_teacher: User, learner: User
) -> None:
    listed = author.get(f"author/lessons/{authored_lesson.slug}/questions/")
    stranger = make_api(other_teacher).get(f"author/lessons/{authored_lesson.slug}/questions/")
    student = make_api(learner).get(f"author/lessons/{authored_lesson.slug}/questions/")

    body = listed.json()
    document = _questions(authored_lesson)
    assert listed.status_code == 200 and body["slug"] == authored_lesson.slug
    assert [line["key"] for line in body["questions"]] == [q["id"] for q in document]
    assert [line["number"] for line in body["questions"]] == list(range(1, len(document) + 1))
    assert [line["question"] for line in body["questions"]] == document
    assert body["draft_changed"] is False and len(body["kinds"]) >= 2
    assert stranger.status_code == 404 and error_of(stranger)["code"] == "not_found"
    assert student.status_code == 404


def test_what_get_gives_put_takes_back_and_a_published_lesson_keeps_its_revision_until_published(
    author: Api, authored_lesson: Lesson
) -> None:
    path = f"author/lessons/{authored_lesson.slug}/questions/q01/"
    original = _questions(authored_lesson)[0]
    got = author.get(path)
    etag = got["ETag"]
    unchanged = author.client.get(f"/api/v1/{path}", headers={**author._headers(), "If-None-Match": etag})
    same = author.put(path, got.json())
    edited = {**got.json(), "prompt": "Which post does the article give Velazquez?"}
    changed = author.put(path, edited)
    listed = author.get(f"author/lessons/{authored_lesson.slug}/questions/").json()
    stale = author.client.get(f"/api/v1/{path}", headers={**author._headers(), "If-None-Match": etag})

    lesson = Lesson.objects.get(pk=authored_lesson.pk)
    assert got.status_code == 200 and got.json() == original == same.json()["question"]
    assert unchanged.status_code == 304
    assert same.status_code == 200 and same.json()["number"] == 1 and same.json()["key"] == "q01"
    assert changed.status_code == 200 and changed.json()["question"]["prompt"] == edited["prompt"]
    assert stale.status_code == 200 and stale["ETag"] != etag
    # The draft changed; students and grades still see revision 1 until the lesson is published again.
    assert listed["draft_changed"] is True
    assert lesson.published_revision.number == 1
    assert lesson.published_revision.document["questions"][0]["prompt"] != edited["prompt"]
    published = author.post(f"author/lessons/{authored_lesson.slug}/publish/")
    assert published.json()["revision"] == 2
    assert (
        Lesson.objects.get(pk=authored_lesson.pk).published_revision.document["questions"][0]["prompt"]
        == (edited["prompt"])
    )


def test_a_refused_question_names_every_problem_by_its_path_and_nothing_is_saved(
    author: Api, authored_lesson: Lesson
) -> None:
    path = f"author/lessons/{authored_lesson.slug}/questions/q01/"
    question = author.get(path).json()
    broken = copy.deepcopy(question)
    broken["answer"]["correct"] = "x"
    broken["evidence"] = ["no-such-sentence"]
    broken["focus"] = "weather"
    broken["points"] = 0
    twice = copy.deepcopy(question)
    twice["options"][1]["text"] = twice["options"][0]["text"]  # the editor's rule: an option written twice

    refused = author.put(path, broken)
    refused_twice = author.put(path, twice)
    not_an_object = author.put(path, ["a"])

    fields = error_of(refused)["fields"]
    assert refused.status_code == 400 and error_of(refused)["code"] == "question_invalid"
    assert {"focus", "points", "evidence[0]"} <= set(fields), fields
    assert refused_twice.status_code == 400 and set(error_of(refused_twice)["fields"]) == {"options"}
    assert "written twice" in error_of(refused_twice)["fields"]["options"][0]
    assert not_an_object.status_code == 400 and set(error_of(not_an_object)["fields"]) == {"question"}
    assert _question(authored_lesson, "q01") == question


def test_a_replacement_keeps_its_question_s_id_and_kind_else_a_409(
    author: Api, authored_lesson: Lesson
) -> None:
    path = f"author/lessons/{authored_lesson.slug}/questions/q01/"
    question = author.get(path).json()
    other_kind = author.get(f"author/lessons/{authored_lesson.slug}/questions/q02/").json()["kind"]

    renamed = author.put(path, {**question, "id": "q99"})
    rekinded = author.put(path, {**question, "kind": other_kind})
    without_id_and_kind = author.put(path, {k: v for k, v in question.items() if k not in {"id", "kind"}})
    unknown = author.put(f"author/lessons/{authored_lesson.slug}/questions/q98/", question)

    assert renamed.status_code == 409 and set(error_of(renamed)["fields"]) == {"id"}
    assert rekinded.status_code == 409 and set(error_of(rekinded)["fields"]) == {"kind"}
    assert without_id_and_kind.status_code == 200
    assert unknown.status_code == 404


def test_a_new_question_goes_last_with_a_key_of_the_server_s(author: Api, authored_lesson: Lesson) -> None:
    base = f"author/lessons/{authored_lesson.slug}/questions/"
    new = {**_question(authored_lesson, "q01"), "id": "ignored", "prompt": "Who delivered the letter?"}
    before = len(_questions(authored_lesson))

    made = author.post(base, new)
    empty = author.post(base, {})

    body = made.json()
    assert made.status_code == 201 and body["number"] == before + 1 and body["key"] not in {"q01", "ignored"}
    assert made["Location"] == f"/api/v1/{base}{body['key']}/"
    assert author.get(f"{base}{body['key']}/").json() == {**new, "id": body["key"]} == body["question"]
    assert empty.status_code == 400 and {"kind", "prompt", "answer"} <= set(error_of(empty)["fields"])
    assert len(_questions(authored_lesson)) == before + 1


def test_move_duplicate_and_delete_as_the_studio_s_buttons(author: Api, authored_lesson: Lesson) -> None:
    base = f"author/lessons/{authored_lesson.slug}/questions/"
    keys = [q["id"] for q in _questions(authored_lesson)]

    down = author.post(f"{base}q01/move/", {"direction": "down"})
    up = author.post(f"{base}q01/move/", {"direction": "up"})
    at_top = author.post(f"{base}q01/move/", {"direction": "up"})
    to_third = author.post(f"{base}q01/move/", {"position": 3})
    past_the_end = author.post(f"{base}q01/move/", {"position": 500})
    both = author.post(f"{base}q01/move/", {"direction": "up", "position": 1})
    unknown = author.post(f"{base}q77/move/", {"direction": "up"})
    copied = author.post(f"{base}q02/duplicate/")
    copy_key = copied.json()["key"]
    deleted = author.delete(f"{base}q03/")
    gone = author.get(f"{base}q03/")

    assert down.json()["order"][:2] == [keys[1], "q01"] and down.json()["number"] == 2
    assert up.json()["order"] == keys and at_top.json()["number"] == 1
    assert to_third.json()["order"][:3] == [keys[1], keys[2], "q01"] and to_third.json()["number"] == 3
    assert past_the_end.json()["number"] == len(keys) and past_the_end.json()["order"][-1] == "q01"
    assert both.status_code == 400 and unknown.status_code == 404
    order = [q["id"] for q in _questions(authored_lesson)]
    assert copied.status_code == 201 and order[order.index("q02") + 1] == copy_key
    assert {**copied.json()["question"], "id": "q02"} == _question(authored_lesson, "q02")
    assert deleted.status_code == 204 and gone.status_code == 404 and "q03" not in order
    assert "q03" in [
        q["id"] for q in Lesson.objects.get(pk=authored_lesson.pk).published_revision.document["questions"]
    ]


def test_the_preview_gives_the_feedback_of_a_trial_answer_and_stores_nothing(
    author: Api, authored_lesson: Lesson
) -> None:
    path = f"author/lessons/{authored_lesson.slug}/preview/q01/"
    question = _question(authored_lesson, "q01")
    wrong = next(
        option["id"] for option in question["options"] if option["id"] != question["answer"]["correct"]
    )
    stored = (Attempt.objects.count(), AnswerRow.objects.count(), ReviewItem.objects.count())

    right = author.post(path, {"answer": right_answer(question), "evidence": question["evidence"]})
    missed = author.post(path, {"answer": wrong})
    malformed = author.post(path, {"answer": {"not": "an option"}})
    unknown = author.post(f"author/lessons/{authored_lesson.slug}/preview/q77/", {"answer": "a"})

    assert right.status_code == 200 and right.json()["answered"]["result"]["verdict"] == "right"
    assert missed.json()["answered"]["result"]["verdict"] == "wrong"
    assert (
        question["answer"]["option_feedback"][wrong]
        in missed.json()["answered"]["feedback"]["chosen_feedback"]
    )
    assert malformed.status_code == 400 and unknown.status_code == 404
    assert (Attempt.objects.count(), AnswerRow.objects.count(), ReviewItem.objects.count()) == stored


def test_a_draft_of_another_tool_s_file_with_its_report(
    make_api: MakeApi, author: Api, teacher: User, learner: User
) -> None:
    gift = (FILES / "gift/formats.gift").read_bytes()

    uploaded = author.upload(
        "author/lessons/import-questions/",
        {"format": "gift", "file": io.BytesIO(gift)},
    )
    raw = author.client.post(
        "/api/v1/author/lessons/import-questions/?format=moodle",
        (FILES / "moodle/truefalse.xml").read_bytes(),
        content_type="application/xml",
        headers=author._headers(),
    )
    unknown_format = author.upload(
        "author/lessons/import-questions/", {"format": "docx", "file": io.BytesIO(gift)}
    )
    unreadable = author.client.post(
        "/api/v1/author/lessons/import-questions/?format=moodle",
        b"<not-xml",
        content_type="application/octet-stream",
        headers=author._headers(),
    )
    by_a_learner = make_api(learner).upload(
        "author/lessons/import-questions/", {"format": "gift", "file": io.BytesIO(gift)}
    )

    body = uploaded.json()
    lesson = Lesson.objects.get(slug=body["slug"])
    assert uploaded.status_code == 201 and (lesson.owner, lesson.status) == (teacher, "draft")
    assert body["url"] == f"/api/v1/author/lessons/{lesson.slug}/" == uploaded["Location"]
    assert body["report"]["carried"] == 4 == lesson.questions.count() and body["report"]["skipped"] == 1
    assert any(entry["skipped"] for entry in body["report"]["entries"])
    assert raw.status_code == 201 and raw.json()["report"]["carried"] >= 1
    assert unknown_format.status_code == 400 and set(error_of(unknown_format)["fields"]) == {"format"}
    assert unreadable.status_code == 400 and set(error_of(unreadable)["fields"]) == {"file"}
    assert by_a_learner.status_code == 404
    assert author.get(f"author/lessons/{lesson.slug}/questions/").json()["draft_changed"] is True


def test_a_question_file_over_the_studio_s_cap_is_a_413(author: Api) -> None:
    big = b"x" * (MAX_UPLOAD_BYTES + 1)

    as_body = author.client.post(
        "/api/v1/author/lessons/import-questions/?format=gift",
        big,
        content_type="text/plain",
        headers=author._headers(),
    )
    as_upload = author.upload("author/lessons/import-questions/", {"format": "gift", "file": io.BytesIO(big)})

    assert as_body.status_code == 413 and error_of(as_body)["code"] == "payload_too_large"
    assert as_upload.status_code == 413 and error_of(as_upload)["code"] == "payload_too_large"


def test_each_export_is_the_file_with_its_type_name_and_report(
    make_api: MakeApi, author: Api, authored_lesson: Lesson, other_teacher: User, teacher: User
) -> None:
    base = f"author/lessons/{authored_lesson.slug}/export/"
    overview = author.get(base)
    files = {file_format: author.get(f"{base}{file_format}/") for file_format in EXPORT_FORMATS}
    unknown = author.get(f"{base}docx/")
    stranger = make_api(other_teacher).get(f"{base}gift/")

    assert overview.status_code == 200
    assert [entry["format"] for entry in overview.json()["formats"]] == list(EXPORT_FORMATS)
    for entry in overview.json()["formats"]:
        exported = lesson_export_as(lesson=authored_lesson, file_format=entry["format"], by=teacher)
        response = files[entry["format"]]
        assert response.status_code == 200 and response.content == exported.content
        assert response["Content-Type"] == exported.media_type == entry["media_type"]
        assert response["Content-Disposition"] == f'attachment; filename="{exported.filename}"'
        assert json.loads(response["X-Export-Report"]) == {
            "carried": exported.report.carried,
            "changed": len(exported.report.entries) - exported.report.skipped,
            "skipped": exported.report.skipped,
        }
        assert [e["message"] for e in entry["report"]["entries"]] == [
            e.message for e in exported.report.entries
        ]
        assert entry["url"] == f"/api/v1/{base}{entry['format']}/"
    assert json.loads(files["gift"]["X-Export-Report"])["carried"] == len(_questions(authored_lesson))
    assert zipfile.ZipFile(io.BytesIO(files["qti21"].content)).read("imsmanifest.xml")
    assert unknown.status_code == 404 and stranger.status_code == 404


@pytest.mark.parametrize(("out", "back"), [("gift", "gift"), ("moodle", "moodle"), ("qti30", "qti")])
def test_an_export_imports_again_through_the_api(
    author: Api, authored_lesson: Lesson, out: str, back: str
) -> None:
    exported = author.get(f"author/lessons/{authored_lesson.slug}/export/{out}/")

    imported = author.upload(
        "author/lessons/import-questions/",
        {"format": back, "file": io.BytesIO(exported.content)},
    )

    assert imported.status_code == 201, imported.content
    report = json.loads(exported["X-Export-Report"])
    assert imported.json()["report"]["carried"] >= report["carried"]
    again = _questions(Lesson.objects.get(slug=imported.json()["slug"]))
    original = _questions(authored_lesson)
    if back == "qti":  # QTI keeps the lesson whole
        assert [q["prompt"] for q in again] == [q["prompt"] for q in original]
    else:  # an evidence or attribution question becomes other Moodle questions: every prompt is carried
        prompts = " ".join(q["prompt"] for q in again)
        assert all(q["prompt"].split("**")[0][:20] in prompts for q in original)
