"""Reads of accommodations: a student's standing extra time in a class (on their enrollment) and their
extensions of single assignments, turned into their terms for an assignment (`policy.StudentTerms`).

Each read costs one query, or none beyond the query it is added to (`with_student_terms` annotates a query
of assignments for one student).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from lessons import policy
from lessons.models import Assignment, Enrollment, Extension


def with_student_terms(assignments: QuerySet[Assignment], student_id: int) -> QuerySet[Assignment]:
    """The assignments, each with what `attach_student_terms` needs for `student_id`: in the same query."""
    multiplier = Enrollment.objects.filter(classroom_id=OuterRef("classroom_id"), student_id=student_id)
    extension = Extension.objects.filter(assignment_id=OuterRef("pk"), student_id=student_id)
    return assignments.annotate(
        own_multiplier=Subquery(multiplier.values("time_multiplier")[:1]),
        own_due_at=Subquery(extension.values("due_at")[:1]),
        own_extra_minutes=Subquery(extension.values("extra_minutes")[:1]),
    )


def attach_student_terms(assignment: Assignment) -> Assignment:
    """The assignment read by `with_student_terms`, its student's terms attached (`policy.terms_of`)."""
    return policy.attach_terms(
        assignment,
        policy.student_terms(
            assignment,
            time_multiplier=getattr(assignment, "own_multiplier", None) or Decimal(1),
            extra_minutes=getattr(assignment, "own_extra_minutes", None) or 0,
            extended_due_at=getattr(assignment, "own_due_at", None),
        ),
    )


def terms_for(assignment: Assignment, student_id: int) -> policy.StudentTerms:
    """The student's terms for the assignment, read now: one query."""
    extension = Extension.objects.filter(assignment_id=assignment.pk, student_id=student_id)
    found = (
        Enrollment.objects.filter(classroom_id=assignment.classroom_id, student_id=student_id)
        .annotate(
            own_due_at=Subquery(extension.values("due_at")[:1]),
            own_extra_minutes=Subquery(extension.values("extra_minutes")[:1]),
        )
        .values_list("time_multiplier", "own_due_at", "own_extra_minutes")
        .first()
    )
    if found is None:
        return policy.student_terms(assignment)
    multiplier, due_at, extra_minutes = found
    return policy.student_terms(
        assignment, time_multiplier=multiplier, extra_minutes=extra_minutes or 0, extended_due_at=due_at
    )


def extended_due_at(assignment_id: int, student_id: int) -> dt.datetime | None:
    """The student's own due date for the assignment, if an extension gives one: one query."""
    return (
        Extension.objects.filter(assignment_id=assignment_id, student_id=student_id)
        .values_list("due_at", flat=True)
        .first()
    )


@dataclass(frozen=True)
class ClassAccommodations:
    """A class's accommodations for a teacher's pages: extra time by student, extensions by (student,
    assignment)."""

    multipliers: dict[int, Decimal]
    extensions: dict[tuple[int, int], Extension]

    def multiplier(self, student_id: int) -> Decimal:
        return self.multipliers.get(student_id, Decimal(1))

    def extension(self, student_id: int, assignment_id: int) -> Extension | None:
        return self.extensions.get((student_id, assignment_id))


def with_extension_flag(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The assignments, each with `has_extensions`: whether a student has an extension of it (in the same
    query), so that `class_accommodations` reads extensions only where there are some."""
    return assignments.annotate(has_extensions=Exists(Extension.objects.filter(assignment_id=OuterRef("pk"))))


def class_accommodations(enrollments: list[Enrollment], assignments: list[Assignment]) -> ClassAccommodations:
    """From the class's enrollments and assignments (`with_extension_flag`) already read; one query for the
    extensions when an assignment has some, none otherwise."""
    extended = [a.pk for a in assignments if getattr(a, "has_extensions", True)]
    extensions = Extension.objects.filter(assignment_id__in=extended).order_by("pk") if extended else []
    return ClassAccommodations(
        multipliers={e.student_id: e.time_multiplier for e in enrollments if e.time_multiplier != 1},
        extensions={(x.student_id, x.assignment_id): x for x in extensions},
    )


@dataclass(frozen=True)
class AssignmentTerms:
    assignment: Assignment
    extension: Extension | None
    terms: policy.StudentTerms  # the student's due date and time limit for it, as they stand


@dataclass(frozen=True)
class StudentAccommodations:
    """A student's accommodations in a class, for the teacher's page that sets them."""

    enrollment: Enrollment
    assignments: list[AssignmentTerms]


def student_accommodations(classroom_id: int, student_id: int) -> StudentAccommodations | None:
    """The student's place in the class (with the student), and each assignment of the class with their
    extension and terms; None when they are not in the class. Three queries."""
    enrollment = (
        Enrollment.objects.select_related("student")
        .filter(classroom_id=classroom_id, student_id=student_id)
        .first()
    )
    if enrollment is None:
        return None
    extensions = {
        x.assignment_id: x
        for x in Extension.objects.filter(student_id=student_id, assignment__classroom_id=classroom_id)
    }
    rows = []
    for assignment in (
        Assignment.objects.filter(classroom_id=classroom_id).select_related("lesson").order_by("due_at", "pk")
    ):
        extension = extensions.get(assignment.pk)
        terms = policy.student_terms(
            assignment,
            time_multiplier=enrollment.time_multiplier,
            extra_minutes=extension.extra_minutes if extension else 0,
            extended_due_at=extension.due_at if extension else None,
        )
        rows.append(AssignmentTerms(assignment, extension, terms))
    return StudentAccommodations(enrollment, rows)
