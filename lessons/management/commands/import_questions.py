from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.interop.safety import MAX_UPLOAD_BYTES
from lessons.services.errors import ServiceError
from lessons.services.interop import READERS, questions_import


class Command(BaseCommand):
    help = (
        "Import a file of questions (GIFT, Moodle XML, or a QTI 2.1/3.0 package or item) into a new draft "
        "lesson owned by --owner, and print what could not be carried. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The question file.")
        parser.add_argument("--format", required=True, choices=sorted(READERS), help="The file's format.")
        parser.add_argument("--owner", required=True, help="Username of the teacher who will own the draft.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        owner = User.objects.filter(username=options["owner"]).first()
        if owner is None:
            raise CommandError(f"No user {options['owner']!r}.")
        try:
            with path.open("rb") as question_file:
                data = question_file.read(MAX_UPLOAD_BYTES + 1)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        try:
            imported = questions_import(
                data=data, file_format=options["format"], by=owner, filename=path.name
            )
        except ServiceError as error:
            raise CommandError(f"{path}: {error.message}") from None
        report = imported.report
        self.stdout.write(
            f"Imported {report.carried} questions into the draft {imported.lesson.slug!r}"
            f" ({report.skipped} skipped)."
        )
        for line in report.lines():
            self.stdout.write(f"  {line}")
