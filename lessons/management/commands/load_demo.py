import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lessons.models import Lesson
from lessons.services import LessonFileError, lesson_import

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures" / "lessons"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented development-only demo password


class Command(BaseCommand):
    help = "Development only: load the fixture lessons and create the demo accounts teacher and student."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixtures", type=Path, default=FIXTURE_DIR, help="Folder of lesson files.")

    def handle(self, *args: Any, **options: Any) -> None:
        settings_module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if not settings.DEBUG or settings_module.endswith(".production"):
            raise CommandError("Demo data is for development only (DEBUG on, not production settings).")
        with transaction.atomic():
            for path in sorted(options["fixtures"].glob("*.json")):
                data = json.loads(path.read_text(encoding="utf-8"))
                slug = data.get("lesson", {}).get("slug")
                if Lesson.objects.filter(slug=slug).exists():
                    self.stdout.write(f"Lesson {slug!r} is already there.")
                    continue
                try:
                    lesson_import(data=data)
                except LessonFileError as error:
                    raise CommandError(f"{path}: {error}") from None
                self.stdout.write(f"Loaded lesson {slug!r}.")
            teachers, _ = Group.objects.get_or_create(name="Teachers")
            teachers.permissions.set(Permission.objects.filter(content_type__app_label="lessons"))
            self._demo_user("teacher", is_staff=True, groups=[teachers])
            self._demo_user("student", is_staff=False, groups=[])

    def _demo_user(self, username: str, *, is_staff: bool, groups: list[Group]) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=username, defaults={"is_staff": is_staff})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(groups)
            self.stdout.write(f"Created the demo account {username!r} (password {DEMO_PASSWORD!r}).")
