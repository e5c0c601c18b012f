"""People: a learner is any account; a student is a learner in a class; a teacher is made one by the
service that grants the role."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import User

from lessons.services.classroom import teacher_make
from lessons.services.people import teacher_verify

PASSWORD = "Quiet-harbour-1947"  # passes the password validators, for tests that log in through the form


class LearnerFactory(factory.django.DjangoModelFactory[User]):
    """``LearnerFactory(username="amina", first_name=...)`` → an account whose password is PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"learner-{number}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return model_class._default_manager.create_user(*args, **kwargs)


# A student is a learner until a class takes them in (ClassroomFactory(students=...), EnrollmentFactory).
StudentFactory = LearnerFactory


class UnverifiedTeacherFactory(LearnerFactory):
    """A self-registered teacher: the role granted, not yet verified (DESIGN.md rule 12)."""

    username = factory.Sequence(lambda number: f"new-teacher-{number}")

    @factory.post_generation
    def teacher_role(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            teacher_make(user=user)


class TeacherFactory(LearnerFactory):
    """A verified teacher, as a site administrator would verify one; what waits for verification is tested
    in tests/web/test_teacher_verification.py."""

    username = factory.Sequence(lambda number: f"teacher-{number}")

    @factory.post_generation
    def teacher_role(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            teacher_verify(teacher=user, by=None)


def person(username: str, first: str = "", last: str = "", *, teacher: bool = False) -> User:
    """A learner (a teacher with `teacher=True`) with a first and a last name, as the class pages show."""
    factory_class = TeacherFactory if teacher else LearnerFactory
    return factory_class(username=username, first_name=first, last_name=last)
