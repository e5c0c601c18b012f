"""Row locks for the services, in one place so that they are always taken in the same order.

Global lock order. A transaction that locks rows of several tables takes them in this order, and the rows of
one table in primary-key order, so two transactions never wait on each other in a cycle (a deadlock):

    1. Lesson        (importing or publishing it: one revision number at a time)
    2. Classroom     (a change to a class: its roster, join code, teachers, archiving)
    3. Enrollment    (a student's place in a class: counting their attempts as one starts)
    4. Attempt       (saving, submitting, closing at the deadline, grading, regrading)
    5. Response      (a teacher's grade of one answer, after its attempt)
    6. ReviewItem    (a learner's spaced-repetition card, after the attempt whose answer moved it)

A student's extension of an assignment (Extension) is written only under its class's lock (2), and their
standing extra time on their enrollment (3): changing either then locks the student's attempts (4).

Every lock is `select_for_update(of=("self",))`: rows joined in (select_related, a filter through a relation)
are read, not locked, so a lock never spreads to a class or a lesson by accident. Each function returns a
queryset already ordered by primary key; the caller filters it, inside its own `transaction.atomic()`.
SQLite has no row locks (it serialises writers), where these are plain reads.
"""

from __future__ import annotations

from django.db.models import QuerySet

from lessons.models import Attempt, Classroom, Enrollment, Lesson, Response, ReviewItem


def lessons_for_update() -> QuerySet[Lesson]:
    return Lesson.objects.select_for_update(of=("self",)).order_by("pk")


def classrooms_for_update() -> QuerySet[Classroom]:
    return Classroom.objects.select_for_update(of=("self",)).order_by("pk")


def enrollments_for_update() -> QuerySet[Enrollment]:
    return Enrollment.objects.select_for_update(of=("self",)).order_by("pk")


def attempts_for_update(*, skip_locked: bool = False) -> QuerySet[Attempt]:
    """`skip_locked` passes over attempts another transaction holds (a sweep that comes back later)."""
    return Attempt.objects.select_for_update(of=("self",), skip_locked=skip_locked).order_by("pk")


def responses_for_update() -> QuerySet[Response]:
    return Response.objects.select_for_update(of=("self",)).order_by("pk")


def review_items_for_update() -> QuerySet[ReviewItem]:
    return ReviewItem.objects.select_for_update(of=("self",)).order_by("pk")
