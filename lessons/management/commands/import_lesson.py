import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lessons.models import Lesson, Visibility
from lessons.services import LessonFileError, parse_lesson_document
from lessons.services.lesson_checks import lesson_problems
from lessons.services.lesson_documents import read_lesson_file
from lessons.services.lessons import lesson_import_reporting


class Command(BaseCommand):
    help = "Import a lesson from a lesson file (see fixtures/README.md). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Path to the lesson JSON file.")
        parser.add_argument(
            "--replace", action="store_true", help="Rewrite the lesson if one with the same slug exists."
        )
        parser.add_argument(
            "--owner",
            metavar="USERNAME",
            help="The teacher who owns the lesson (needed for a private lesson, which only its authors see).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = read_lesson_file(path)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from None
        except LessonFileError as error:
            raise CommandError(f"{path}: {error}") from None
        owner = self._owner(options["owner"])
        # Read loosely: the import says what is wrong with a file that is not a lesson.
        record = data.get("lesson") if isinstance(data, dict) else None
        record = record if isinstance(record, dict) else {}
        slug = record.get("slug") if isinstance(record.get("slug"), str) else None
        private = record.get("visibility") == Visibility.PRIVATE
        existing_owner = Lesson.objects.filter(slug=slug, owner__isnull=False).exists() if slug else False
        if private and owner is None and not existing_owner:
            raise CommandError(
                f"{path}: a private lesson is seen only by its owner and co-authors: name one with --owner"
            )
        try:
            with transaction.atomic():
                result = lesson_import_reporting(data=data, replace=options["replace"])
                lesson = result.lesson
                if owner is not None and lesson.owner_id != owner.pk:
                    lesson.owner = owner
                    lesson.save(update_fields=["owner", "updated_at"])
        except LessonFileError as error:
            raise CommandError(f"{path}: {error}") from None
        for conflict in result.conflicts:
            self.stderr.write(f"{path}: shared record: {conflict}")
        revision = lesson.published_revision
        state = f"published as revision {revision.number}" if revision else "draft"
        self.stdout.write(f"Imported {lesson.slug!r} ({lesson.questions.count()} questions, {state}).")
        # Content a careful reader would query (fixtures/README.md, "Content checks"): warned, never refused.
        for problem in lesson_problems(parse_lesson_document(data)):
            self.stderr.write(f"{path}: warning: {problem.path}: {problem.message}")

    def _owner(self, username: str | None) -> User | None:
        if username is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user
