from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.models import Lesson
from lessons.services import dump_document, lesson_document
from lessons.services.interop import EXPORT_FORMATS, lesson_export_as


class Command(BaseCommand):
    help = (
        "Write a lesson (article, entities, claims, questions and keys) as a lesson file, or with --format "
        "as GIFT, Moodle XML or a QTI 2.1 or 3.0 package (saying on standard error what each simplifies)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The lesson's id.")
        parser.add_argument("-o", "--output", type=Path, help="File to write; standard output if omitted.")
        parser.add_argument(
            "--format",
            choices=["lesson", *EXPORT_FORMATS],
            default="lesson",
            help="lesson (the lesson file, the default), gift, moodle, qti21 or qti30.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lesson = Lesson.objects.filter(slug=options["slug"]).first()
        if lesson is None:
            raise CommandError(f"No lesson with the id {options['slug']!r}.")
        output: Path | None = options["output"]
        if options["format"] == "lesson":
            content = dump_document(lesson_document(lesson)).encode()
        else:
            exported = lesson_export_as(lesson=lesson, file_format=options["format"])
            content = exported.content
            if output is None and exported.media_type == "application/zip":
                raise CommandError("A QTI package is a zip file: give --output.")
            for line in exported.report.lines():
                self.stderr.write(f"  {line}")
        if output is None:
            self.stdout.write(content.decode(), ending="")
        else:
            output.write_bytes(content)
            self.stderr.write(f"Wrote {output}.")
