from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.models import Lesson
from lessons.services import dump_document, lesson_document


class Command(BaseCommand):
    help = "Write a lesson (article, entities, claims, questions and keys) as a lesson file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The lesson's id.")
        parser.add_argument("-o", "--output", type=Path, help="File to write; standard output if omitted.")

    def handle(self, *args: Any, **options: Any) -> None:
        lesson = Lesson.objects.filter(slug=options["slug"]).first()
        if lesson is None:
            raise CommandError(f"No lesson with the id {options['slug']!r}.")
        text = dump_document(lesson_document(lesson))
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}.")
