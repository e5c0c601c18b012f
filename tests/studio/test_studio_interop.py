"""The studio's pages for other tools' formats: importing a file of questions into a new draft (with the
report on the draft's page) and exporting a lesson to GIFT, Moodle XML and QTI."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lessons.models import Lesson

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent.parent / "interop" / "files"


def upload(client: Client, name: str, file_format: str) -> object:
    data = (FILES / name).read_bytes()
    return client.post(
        "/studio/import-questions/",
        {"file_format": file_format, "file": SimpleUploadedFile(Path(name).name, data)},
        follow=True,
    )


def test_a_teacher_imports_a_gift_file_and_sees_the_report_on_the_new_draft(
    author_client: Client, author: User
) -> None:
    response = upload(author_client, "gift/formats.gift", "gift")
    lesson = Lesson.objects.get(owner=author, slug="venezuela-unit")
    assert response.redirect_chain == [(f"/studio/{lesson.slug}/", 302)]
    page = response.content.decode()
    assert "Imported 4 questions into this draft; 1 left out." in page
    assert "skipped: question 5: a description (no answer) is not a question" in page
    assert "changed: Html: embedded files and images are not carried" in page


def test_a_file_that_cannot_be_read_is_a_form_error_and_makes_no_lesson(author_client: Client) -> None:
    before = Lesson.objects.count()
    response = upload(author_client, "moodle/bomb.xml", "moodle")
    assert response.status_code == 400
    assert "Moodle XML: declares a DTD or entities, which are refused" in response.content.decode()
    assert Lesson.objects.count() == before


def test_a_learner_cannot_import(client: Client, student: User) -> None:
    client.force_login(student)
    response = client.post("/studio/import-questions/", {"file_format": "gift"})
    assert response.status_code in (403, 404)


def test_the_export_page_lists_each_format_with_what_it_simplifies(
    author_client: Client, authored_lesson: Lesson
) -> None:
    page = author_client.get(f"/studio/{authored_lesson.slug}/export/").content.decode()
    for name in ("GIFT", "Moodle XML", "QTI 2.1", "QTI 3.0"):
        assert f"Download as {name}" in page
    download = author_client.get(f"/studio/{authored_lesson.slug}/export/qti30/")
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == f'attachment; filename="{authored_lesson.slug}-qti30.zip"'
    assert download.content.startswith(b"PK")


def test_another_teacher_cannot_export_the_lesson(
    client: Client, stranger_teacher: User, authored_lesson: Lesson
) -> None:
    client.force_login(stranger_teacher)
    assert client.get(f"/studio/{authored_lesson.slug}/export/gift/").status_code == 404
