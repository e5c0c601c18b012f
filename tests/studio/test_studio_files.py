"""Lesson files in the browser: the download is what export_lesson writes; an upload lists every problem
of the file at once, by question number and id, and imports nothing; a file over the size cap is refused
(413 when the request is far too big, a form error otherwise); import_lesson gains --owner."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from lessons.models import Lesson
from lessons.services.lesson_documents import MAX_FILE_BYTES

pytestmark = pytest.mark.django_db


def upload(client: Client, url: str, content: bytes, name: str = "lesson.json") -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="application/json")})


def test_download_is_what_export_lesson_writes(author_client: Client, authored_lesson: Lesson) -> None:
    response = author_client.get(reverse("studio:file", args=[authored_lesson.slug]) + "?download=1")
    exported = io.StringIO()
    call_command("export_lesson", authored_lesson.slug, stdout=exported)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{authored_lesson.slug}.json"'
    assert response.content.decode() == exported.getvalue()


def test_an_upload_lists_every_problem_at_once_and_imports_nothing(
    author_client: Client, author: User, second_lesson_data: dict[str, Any]
) -> None:
    data = copy.deepcopy(second_lesson_data)
    data["lesson"]["slug"] = "uploaded-lesson"
    data["questions"][0]["answer"]["explanation"] = ""
    data["questions"][2]["answer"]["correct"] = "nope"
    data["questions"][4]["evidence"] = ["p9s9"]

    response = upload(author_client, reverse("studio:upload"), json.dumps(data).encode())

    assert response.status_code == 400
    body = response.content.decode()
    assert "3 problems in the file" in body
    assert "Question 1 (q1), answer › explanation" in body
    assert "Question 3 (q3), answer › answer key" in body
    assert "Question 5 (q5), evidence sentences 1" in body
    assert not Lesson.objects.filter(slug="uploaded-lesson").exists()


def test_a_good_upload_makes_a_lesson_of_the_teachers(
    author_client: Client, author: User, second_lesson_data: dict[str, Any]
) -> None:
    data = copy.deepcopy(second_lesson_data)
    data["lesson"]["slug"] = "uploaded-lesson"
    response = upload(author_client, reverse("studio:upload"), json.dumps(data).encode())
    assert response.status_code == 302
    lesson = Lesson.objects.get(slug="uploaded-lesson")
    assert lesson.owner == author
    assert response["Location"] == reverse("studio:lesson", args=["uploaded-lesson"])


def test_an_upload_on_a_lesson_must_keep_its_id(
    author_client: Client, authored_lesson: Lesson, second_lesson_data: dict[str, Any]
) -> None:
    data = copy.deepcopy(second_lesson_data)
    data["lesson"]["slug"] = "another-id"
    data["lesson"]["title"] = "Renamed"
    response = upload(
        author_client, reverse("studio:file", args=[authored_lesson.slug]), json.dumps(data).encode()
    )
    assert response.status_code == 400
    assert "another-id" in response.content.decode()
    data["lesson"]["slug"] = authored_lesson.slug
    response = upload(
        author_client, reverse("studio:file", args=[authored_lesson.slug]), json.dumps(data).encode()
    )
    assert response.status_code == 302
    authored_lesson.refresh_from_db()
    assert authored_lesson.title == "Renamed"


def test_a_file_that_is_not_json_is_a_form_error(author_client: Client) -> None:
    response = upload(author_client, reverse("studio:upload"), b"{not json")
    assert response.status_code == 400
    assert "not a lesson file" in response.content.decode()


def test_a_file_over_the_cap_is_a_form_error(author_client: Client) -> None:
    response = upload(author_client, reverse("studio:upload"), b" " * (MAX_FILE_BYTES + 1))
    assert response.status_code == 400
    assert "The file is larger than 1000 KB." in response.content.decode()


def test_a_request_far_over_the_cap_is_refused_unread(author_client: Client) -> None:
    response = upload(author_client, reverse("studio:upload"), b" " * (MAX_FILE_BYTES + 200_000))
    assert response.status_code == 413
    assert "The file is larger than 1000 KB." in response.content.decode()


def test_import_lesson_owner(tmp_path: Path, second_lesson_data: dict[str, Any], author: User) -> None:
    data = copy.deepcopy(second_lesson_data)
    data["lesson"]["visibility"] = "private"
    target = tmp_path / "private.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="name one with --owner"):
        call_command("import_lesson", str(target), stdout=io.StringIO())
    assert not Lesson.objects.exists()
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("import_lesson", str(target), "--owner", "nobody", stdout=io.StringIO())
    call_command("import_lesson", str(target), "--owner", "author", stdout=io.StringIO())
    assert Lesson.objects.get(slug=data["lesson"]["slug"]).owner == author
