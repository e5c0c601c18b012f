import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from lessons.models import (
    TEACHERS_GROUP,
    Classroom,
    Enrollment,
    FeedbackRelease,
    LatePolicy,
    Lesson,
    LessonStatus,
)
from lessons.services import LessonFileError, lesson_import
from lessons.services.classroom import assignment_create, classroom_create
from lessons.services.lesson_documents import read_lesson_file
from lessons.services.people import teacher_verify

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures" / "lessons"
DEMO_CLASS = "Demo class"
DEMO_SCHOOL = "Demo school"
DEMO_LESSON = "venezuela-military-aid"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented development-only demo password


class Command(BaseCommand):
    help = (
        "Development only: load the fixture lessons and create the demo accounts teacher (verified), student "
        "(in the demo class) and learner (self-study)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixtures", type=Path, default=FIXTURE_DIR, help="Folder of lesson files.")

    def handle(self, *args: Any, **options: Any) -> None:
        settings_module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if not settings.DEBUG or settings_module.endswith(".production"):
            raise CommandError("Demo data is for development only (DEBUG on, not production settings).")
        with transaction.atomic():
            loaded: list[str] = []
            for path in sorted(options["fixtures"].glob("*.json")):
                data = read_lesson_file(path)
                slug = data.get("lesson", {}).get("slug")
                loaded.append(slug)
                if Lesson.objects.filter(slug=slug).exists():
                    self.stdout.write(f"Lesson {slug!r} is already there.")
                    continue
                try:
                    lesson_import(data=data)
                except LessonFileError as error:
                    raise CommandError(f"{path}: {error}") from None
                self.stdout.write(f"Loaded lesson {slug!r}.")
            teachers, _ = Group.objects.get_or_create(name=TEACHERS_GROUP)
            teachers.permissions.set(Permission.objects.filter(content_type__app_label="lessons"))
            teacher = self._demo_user("teacher", is_staff=True, groups=[teachers])
            # Verified, as a site administrator would: the demo shows material shared with teachers.
            teacher_verify(teacher=teacher, by=None, school=DEMO_SCHOOL)
            # The fixture lessons are the demo teacher's, to open, revise and duplicate in the studio.
            Lesson.objects.filter(owner__isnull=True, slug__in=loaded).update(owner=teacher)
            student = self._demo_user("student", is_staff=False, groups=[])
            # In no class: the first lesson, assigned to `student`, is theirs to practise on their own.
            self._demo_user("learner", is_staff=False, groups=[])
            self._demo_class(teacher, student)

    def _demo_user(self, username: str, *, is_staff: bool, groups: list[Group]) -> User:
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": is_staff})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(groups)
            self.stdout.write(f"Created the demo account {username!r} (password {DEMO_PASSWORD!r}).")
        return user

    def _demo_class(self, teacher: User, student: User) -> None:
        """One class taught by the demo teacher, with the demo student in it and the first lesson assigned."""
        if Classroom.objects.filter(teachers=teacher, name=DEMO_CLASS).exists():
            return
        lesson = Lesson.objects.filter(slug=DEMO_LESSON, status=LessonStatus.PUBLISHED).first()
        if lesson is None:
            return
        classroom = classroom_create(teacher=teacher, name=DEMO_CLASS)
        Enrollment.objects.get_or_create(classroom=classroom, student=student)
        now = timezone.now()
        assignment_create(
            classroom=classroom,
            lesson=lesson,
            by=teacher,
            opens_at=now - dt.timedelta(days=1),
            due_at=now + dt.timedelta(days=14),
            time_limit_minutes=None,
            attempts_allowed=2,
            feedback_release=FeedbackRelease.AFTER_SUBMIT,
            late_policy=LatePolicy.ACCEPT,
        )
        self.stdout.write(f"Created the demo class {DEMO_CLASS!r} with the first lesson assigned.")
