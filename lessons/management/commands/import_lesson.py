import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.services import LessonFileError, lesson_import, parse_lesson_document
from lessons.services.lesson_checks import lesson_problems
from lessons.services.lesson_documents import read_lesson_file


class Command(BaseCommand):
    help = "Import a lesson from a lesson file (see fixtures/README.md). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Path to the lesson JSON file.")
        parser.add_argument(
            "--replace", action="store_true", help="Rewrite the lesson if one with the same slug exists."
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
        try:
            lesson = lesson_import(data=data, replace=options["replace"])
        except LessonFileError as error:
            raise CommandError(f"{path}: {error}") from None
        revision = lesson.published_revision
        state = f"published as revision {revision.number}" if revision else "draft"
        self.stdout.write(f"Imported {lesson.slug!r} ({lesson.questions.count()} questions, {state}).")
        # Content a careful reader would query (fixtures/README.md, "Content checks"): warned, never refused.
        for problem in lesson_problems(parse_lesson_document(data)):
            self.stderr.write(f"{path}: warning: {problem.path}: {problem.message}")
