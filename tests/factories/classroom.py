"""Classes, enrollments and assignments, made through the classroom services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from lessons.models import Assignment, Classroom, Enrollment, FeedbackRelease, LatePolicy
from lessons.services.classroom import assignment_create, classroom_create, classroom_join

from .lessons import first_lesson_document, load_lesson
from .people import TeacherFactory


class ClassroomFactory(factory.django.DjangoModelFactory[Classroom]):
    """``ClassroomFactory(teacher=..., students=[...])`` → a class its teacher made, the students joined
    by its code."""

    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    teacher = factory.SubFactory(TeacherFactory)
    name = "Civics 9B"

    @classmethod
    def _create(cls, model_class: type[Classroom], *, teacher: User, name: str) -> Classroom:
        return classroom_create(teacher=teacher, name=name)

    @factory.post_generation
    def students(classroom: Classroom, create: bool, extracted: Any, **kwargs: Any) -> None:
        for student in extracted or ():
            join(student, classroom)


def join(student: User, classroom: Classroom) -> Enrollment:
    """The student joins by the class's join code, as from the join page."""
    assert classroom.join_code is not None
    return classroom_join(student=student, code=classroom.join_code)


class EnrollmentFactory(factory.django.DjangoModelFactory[Enrollment]):
    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory("factories.people.StudentFactory")

    @classmethod
    def _create(cls, model_class: type[Enrollment], *, classroom: Classroom, student: User) -> Enrollment:
        return join(student, classroom)


class AssignmentFactory(factory.django.DjangoModelFactory[Assignment]):
    """The first lesson (or `lesson=`) given to a class by its teacher: open an hour ago, due in a week,
    feedback once submitted, late work refused; any `assignment_create` argument can be given."""

    class Meta:
        model = Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    lesson = factory.LazyFunction(lambda: load_lesson(first_lesson_document()))
    by = factory.LazyAttribute(lambda assignment: assignment.classroom.teachers.order_by("pk").first())
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    feedback_release = FeedbackRelease.AFTER_SUBMIT
    late_policy = LatePolicy.REFUSE

    @classmethod
    def _create(cls, model_class: type[Assignment], **options: Any) -> Assignment:
        return assignment_create(**options)
