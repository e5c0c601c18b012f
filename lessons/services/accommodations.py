"""Accommodations a teacher gives one student (IEP and 504 plans, an absence): standing extra time in a
class — every time limit of its assignments multiplied, for example by 1.5 — and an extension of one
assignment — the student's own later due date, extra minutes on its time limit, or both.

They take effect at once: the deadline stored on the student's attempts in progress is worked out again
(saving, submitting and `close_expired_attempts` all follow that stored deadline), and a late mark on work
handed in by the student's new due date is cleared. A late mark is never added back by taking an extension
away: the work was on time by the terms the student then had.

Only a teacher of the class changes them, and not in an archived class (`classroom_check_changeable`).
Locks the class, then the student's enrollment, then their attempts (lock order: see locks.py); extension
rows are written only under their class's lock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lessons import policy
from lessons.models import READING_AIDS, Assignment, Attempt, AttemptState, Classroom, Enrollment, Extension
from lessons.models.classroom import MAX_EXTRA_MINUTES, MAX_TIME_MULTIPLIER

from . import locks
from .classroom import _lock_changeable, check_assignment_terms
from .errors import InvalidInput, NotAllowed, ServiceError


def parse_time_multiplier(raw: object) -> Decimal:
    """A multiplier of time limits from 1 to 4 with at most two decimals ("1.5"), else InvalidInput."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 1 <= value <= MAX_TIME_MULTIPLIER or value != round(value, 2):
        raise InvalidInput(
            _("Give the extra time as a multiplier from 1 to %(max)s, such as 1.5 for time and a half.")
            % {"max": MAX_TIME_MULTIPLIER},
            field="time_multiplier",
        )
    return value


def _locked_enrollment(classroom: Classroom, teacher: User, student_id: int) -> Enrollment:
    _lock_changeable(classroom, teacher)
    enrollment = (
        locks.enrollments_for_update().filter(classroom_id=classroom.pk, student_id=student_id).first()
    )
    if enrollment is None:
        raise NotAllowed(_("No such student in this class."))
    return enrollment


def _apply_terms(enrollment: Enrollment, *, assignment_id: int | None = None) -> None:
    """Work the student's attempts of the class (or of one assignment) out again on their current terms."""
    student_id, classroom_id = enrollment.student_id, enrollment.classroom_id
    extensions = {
        x.assignment_id: x
        for x in Extension.objects.filter(student_id=student_id, assignment__classroom_id=classroom_id)
    }
    attempts = locks.attempts_for_update().select_related("assignment")
    attempts = attempts.filter(learner_id=student_id, assignment__classroom_id=classroom_id)
    if assignment_id is not None:
        attempts = attempts.filter(assignment_id=assignment_id)
    changed = [
        attempt
        for attempt in attempts
        if _rework(attempt, enrollment.time_multiplier, extensions.get(attempt.assignment_id or 0))
    ]
    if changed:
        Attempt.objects.bulk_update(changed, ["deadline", "is_late"])


def _rework(attempt: Attempt, time_multiplier: Decimal, extension: Extension | None) -> bool:
    """Work the attempt's deadline and late mark out again on the student's terms (its assignment loaded);
    whether they changed."""
    assignment = attempt.assignment
    assert assignment is not None
    terms = policy.student_terms(
        assignment,
        time_multiplier=time_multiplier,
        extra_minutes=extension.extra_minutes if extension else 0,
        extended_due_at=extension.due_at if extension else None,
    )
    before = (attempt.deadline, attempt.is_late)
    if attempt.state == AttemptState.OPEN:
        attempt.deadline = policy.attempt_deadline(assignment, attempt.started_at, terms)
        attempt.is_late = policy.is_late(assignment, attempt.started_at, terms)
    elif attempt.is_late and attempt.submitted_at is not None:
        attempt.is_late = policy.handed_in_late(assignment, attempt.submitted_at, terms)
    return (attempt.deadline, attempt.is_late) != before


class AttemptsStarted(ServiceError):
    """A change an attempt already started would see mid-way (the order of its questions): refused (409)."""

    status = 409


@transaction.atomic
def assignment_change_terms(
    *,
    assignment: Assignment,
    by: User,
    opens_at: dt.datetime,
    due_at: dt.datetime,
    time_limit_minutes: int | None,
    attempts_allowed: int,
    feedback_release: str,
    late_policy: str,
    shuffle_questions: bool,
    shuffle_options: bool,
    reading_aids: dict[str, str | None],
) -> Assignment:
    """Change an assignment's own terms, checked as when it was made (`check_assignment_terms`). Its lesson
    and revision stay (a regrade moves them). Attempts in progress get their deadline and late mark worked
    out again on the new terms and each student's accommodations, as an extension does; work handed in by
    a later due date loses its late mark. The shuffling of questions and options is fixed once an attempt
    has started (AttemptsStarted, 409). NotAllowed (404) and ClassroomArchived (409) as every change to a
    class. Locks the class, then the assignment's attempts (lock order: see locks.py)."""
    _lock_changeable(assignment.classroom, by)
    aids = check_assignment_terms(
        opens_at=opens_at,
        due_at=due_at,
        attempts_allowed=attempts_allowed,
        time_limit_minutes=time_limit_minutes,
        reading_aids=reading_aids,
    )
    attempts = list(locks.attempts_for_update().filter(assignment_id=assignment.pk))
    reshuffled = (shuffle_questions, shuffle_options) != (
        assignment.shuffle_questions,
        assignment.shuffle_options,
    )
    if reshuffled and attempts:
        raise AttemptsStarted(
            _("Students have started this assignment: the order of its questions and options stays."),
            field="shuffle_questions",
        )
    assignment.opens_at, assignment.due_at = opens_at, due_at
    assignment.time_limit_minutes, assignment.attempts_allowed = time_limit_minutes, attempts_allowed
    assignment.feedback_release, assignment.late_policy = feedback_release, late_policy
    assignment.shuffle_questions, assignment.shuffle_options = shuffle_questions, shuffle_options
    for aid in READING_AIDS:
        setattr(assignment, f"aid_{aid}", aids.get(aid))
    assignment.save()
    multipliers = dict(
        Enrollment.objects.filter(classroom_id=assignment.classroom_id).values_list(
            "student_id", "time_multiplier"
        )
    )
    extensions = {x.student_id: x for x in Extension.objects.filter(assignment_id=assignment.pk)}
    changed = []
    for attempt in attempts:
        attempt.assignment = assignment
        if _rework(
            attempt, multipliers.get(attempt.learner_id, Decimal(1)), extensions.get(attempt.learner_id)
        ):
            changed.append(attempt)
    if changed:
        Attempt.objects.bulk_update(changed, ["deadline", "is_late"])
    return assignment


@transaction.atomic
def student_set_extra_time(
    *, classroom: Classroom, teacher: User, student_id: int, time_multiplier: object
) -> Enrollment:
    """The student's standing extra time in the class: every time limit of its assignments multiplied by
    `time_multiplier` (1 to 4, two decimals at most; 1 takes it away). InvalidInput (400) for another
    value, NotAllowed (404) for a class `teacher` does not teach or a student not in it, ClassroomArchived
    (409) for an archived class."""
    multiplier = parse_time_multiplier(time_multiplier)
    enrollment = _locked_enrollment(classroom, teacher, student_id)
    enrollment.time_multiplier = multiplier
    enrollment.save(update_fields=["time_multiplier"])
    _apply_terms(enrollment)
    return enrollment


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {date_format(local, 'T')}"


@transaction.atomic
def extension_grant(
    *,
    assignment: Assignment,
    teacher: User,
    student_id: int,
    due_at: dt.datetime | None,
    extra_minutes: int = 0,
    now: dt.datetime | None = None,
) -> Extension:
    """Give the student their own due date for the assignment (after the class's), extra minutes on its
    time limit, or both; granting again replaces the student's extension. InvalidInput (400) for a due date
    not after the class's, extra minutes out of range or on an assignment without a time limit, or for
    neither; NotAllowed (404) and ClassroomArchived (409) as every change to a class."""
    enrollment = _locked_enrollment(assignment.classroom, teacher, student_id)
    if due_at is not None and due_at <= assignment.due_at:
        raise InvalidInput(
            _("An extension's due date comes after the class's, %(due)s.")
            % {"due": _when(assignment.due_at)},
            field="due_at",
        )
    if not 0 <= extra_minutes <= MAX_EXTRA_MINUTES:
        raise InvalidInput(
            _("Give from 0 to %(max)s extra minutes.") % {"max": MAX_EXTRA_MINUTES}, field="extra_minutes"
        )
    if extra_minutes and not assignment.time_limit_minutes:
        raise InvalidInput(
            _("This assignment has no time limit, so extra minutes change nothing."), field="extra_minutes"
        )
    if due_at is None and not extra_minutes:
        raise InvalidInput(_("Give a later due date, extra minutes, or both."), field="due_at")
    extension, _created = Extension.objects.update_or_create(
        assignment=assignment,
        student_id=student_id,
        defaults={
            "due_at": due_at,
            "extra_minutes": extra_minutes,
            "granted_by": teacher,
            "granted_at": now or timezone.now(),
        },
    )
    _apply_terms(enrollment, assignment_id=assignment.pk)
    return extension


@transaction.atomic
def extension_withdraw(*, assignment: Assignment, teacher: User, student_id: int) -> bool:
    """Take the student's extension of the assignment away (whether there was one). Attempts in progress
    fall back to the class's terms (and the student's standing extra time)."""
    enrollment = _locked_enrollment(assignment.classroom, teacher, student_id)
    deleted, _rows = Extension.objects.filter(assignment=assignment, student_id=student_id).delete()
    _apply_terms(enrollment, assignment_id=assignment.pk)
    return bool(deleted)
