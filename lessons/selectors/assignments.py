"""Reads for a student's side of classes: their classes and assignments, where each assignment stands for
them (status, whether they can start, the time left), their attempts, and the questions in the order they
see them. Each returns page data, or None where the student cannot reach the thing (the view's 404).

The rules these describe are `lessons.policy`'s (open, closed, late, released); nothing here writes: an
attempt found open past its deadline is closed by the service (`attempts_made_current`) before its status is
read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons import policy
from lessons.models import Assignment, Attempt, AttemptState, Classroom, Response, Revision
from lessons.policy import feedback_released
from lessons.selectors import player as player_selectors
from lessons.selectors.classroom import assignment_for_student, student_assignments
from lessons.selectors.compiled import CompiledQuery
from lessons.selectors.lessons import StudentLessonView
from lessons.selectors.player import QuestionSlot, SentenceRef, points_text

# ----------------------------------------------------------------------------------------------------
# A student's attempts


def attempts_at(assignment: Assignment, user: User) -> list[Attempt]:
    """The student's attempts at the assignment, oldest first: one query."""
    attempts = list(Attempt.objects.filter(assignment=assignment, learner=user).order_by("number"))
    for attempt in attempts:
        attempt.assignment = assignment
    return attempts


def revision_of_attempt(attempt_id: int) -> Revision | None:
    """The revision an attempt is taken on."""
    return Revision.objects.filter(attempts__pk=attempt_id).first()


def latest_attempt(assignment: Assignment, user: User) -> Attempt | None:
    """The student's newest attempt at the assignment, with its revision."""
    return (
        Attempt.objects.filter(assignment=assignment, learner=user)
        .select_related("revision")
        .order_by("-number")
        .first()
    )


def own_attempt(assignment: Assignment, user: User, attempt_id: int) -> Attempt | None:
    """The student's own attempt `attempt_id` at the assignment, with the assignment, else None."""
    attempt = Attempt.objects.filter(pk=attempt_id, assignment=assignment, learner=user).first()
    if attempt is not None:
        attempt.assignment = assignment
    return attempt


_OPEN_ATTEMPT = CompiledQuery(
    lambda assignment_id, learner_id: Attempt.objects.filter(
        assignment_id=assignment_id, learner_id=learner_id, state=AttemptState.OPEN
    ).order_by("pk")[:1],
    2,
)


def open_attempt(assignment: Assignment, user: User) -> Attempt | None:
    """The student's attempt in progress at the assignment (there is at most one), with the assignment.
    One query, compiled once per process (`lessons.selectors.compiled`)."""
    attempt = _OPEN_ATTEMPT.first(assignment.pk, user.pk)
    if attempt is not None:
        attempt.assignment = assignment
    return attempt


@dataclass(frozen=True)
class StoredSave:
    saved_at: dt.datetime
    sequence: int


def stored_save(attempt_id: int, question_key: str) -> StoredSave | None:
    """When the attempt's answer to the question was last saved, and with which sequence."""
    stored = (
        Response.objects.filter(attempt_id=attempt_id, question_key=question_key)
        .values("saved_at", "sequence")
        .first()
    )
    return StoredSave(stored["saved_at"], stored["sequence"]) if stored is not None else None


def answered_count(attempt: Attempt) -> int:
    return Response.objects.filter(attempt=attempt).count()


def revision_of(assignment: Assignment, attempt: Attempt, *, graded: bool = False) -> Revision:
    """The revision the attempt is taken on, or (`graded`) the one its scores come from, which a regrade
    after a key fix may have changed: the assignment's, already fetched, unless it has moved on since."""
    revision_id = (attempt.graded_revision_id if graded else None) or attempt.revision_id
    if revision_id == assignment.revision_id:
        revision = assignment.revision
    elif revision_id == attempt.revision_id:
        revision = attempt.revision
    else:
        revision = Revision.objects.get(pk=revision_id)
    revision.lesson = assignment.lesson
    return revision


def when(value: dt.datetime) -> str:
    """A date and time in the viewer's zone, naming the zone."""
    local = timezone.localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {date_format(local, 'T')}"


# ----------------------------------------------------------------------------------------------------
# Where an assignment stands for a student


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    LATE = "late"
    RESULTS = "results"

    LABELS: Mapping[str, Any] = {
        "not_started": gettext_lazy("Not started"),
        "in_progress": gettext_lazy("In progress"),
        "submitted": gettext_lazy("Submitted"),
        "late": gettext_lazy("Submitted late"),
        "results": gettext_lazy("Results available"),
    }


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: Assignment
    attempts: list[Attempt]
    key: str
    seconds_left: int | None = None  # an attempt in progress with a deadline
    results_attempt: Attempt | None = None  # the newest submitted attempt whose results may be shown

    @property
    def label(self) -> str:
        return str(Status.LABELS[self.key])

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def time_left(self) -> str:
        return _duration(self.seconds_left) if self.seconds_left is not None else ""


def _duration(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes = rest // 60
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    if minutes:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("less than a minute")


def status_of(assignment: Assignment, attempts: list[Attempt], now: dt.datetime) -> AssignmentStatus:
    submitted = [attempt for attempt in attempts if not attempt.is_open]
    released = next((a for a in reversed(submitted) if feedback_released(a, now=now)), None)
    latest = attempts[-1] if attempts else None
    if latest is None:
        return AssignmentStatus(assignment, attempts, Status.NOT_STARTED)
    if latest.is_open:
        seconds = int((latest.deadline - now).total_seconds()) if latest.deadline is not None else None
        return AssignmentStatus(assignment, attempts, Status.IN_PROGRESS, seconds, released)
    if released is not None and released.pk == latest.pk:
        return AssignmentStatus(assignment, attempts, Status.RESULTS, None, released)
    key = Status.LATE if latest.is_late else Status.SUBMITTED
    return AssignmentStatus(assignment, attempts, key, None, released)


@dataclass(frozen=True)
class Availability:
    """Whether the student can start or resume now, and if not, why (the service decides; this explains)."""

    action: str  # "resume", "start" or "" (cannot)
    reason: str = ""
    late: bool = False  # starting now is after the due date, accepted and marked late
    next_number: int = 1


def availability_of(assignment: Assignment, attempts: list[Attempt], now: dt.datetime) -> Availability:
    if any(attempt.is_open for attempt in attempts):
        return Availability("resume")
    refusal = policy.start_refusal(assignment, attempts_used=len(attempts), now=now)
    if refusal is policy.StartRefusal.NOT_OPEN_YET:
        return Availability("", _("This assignment opens on %(when)s.") % {"when": when(assignment.opens_at)})
    if refusal is policy.StartRefusal.NO_ATTEMPTS_LEFT:
        return Availability("", _("You have used all the attempts this assignment allows."))
    if refusal is policy.StartRefusal.CLOSED:
        return Availability(
            "",
            _("This assignment closed at its due date, %(when)s.")
            % {"when": when(policy.terms_of(assignment).due_at)},
        )
    return Availability("start", late=policy.is_late(assignment, now), next_number=len(attempts) + 1)


# ----------------------------------------------------------------------------------------------------
# Taking it: the time left, and the questions in this student's order


@dataclass(frozen=True)
class Countdown:
    """The time left by the server's clock; the page counts down from `seconds`, never from its own clock."""

    seconds: int
    ends_at: dt.datetime

    @property
    def clock(self) -> str:
        hours, rest = divmod(self.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def countdown_of(attempt: Attempt, now: dt.datetime) -> Countdown | None:
    """Down to the time limit or due date itself: the grace after it is for saves already on their way."""
    ends_at = policy.time_ends_at(attempt.deadline)
    if ends_at is None:
        return None
    return Countdown(max(0, int((ends_at - now).total_seconds())), ends_at)


def ordered_slots(
    assignment: Assignment,
    attempt: Attempt,
    revision: Revision,
    view: StudentLessonView,
    sentences: list[SentenceRef],
    responses: Mapping[str, Response],
) -> list[QuestionSlot]:
    """The questions as this student sees them: shuffled if the assignment says so, stably per student.

    `responses` give each answered question its feedback, so pass them only when feedback is released.
    """
    slots = player_selectors.question_slots(revision, view, responses, sentences)
    if assignment.shuffle_questions or assignment.shuffle_options:
        slots = player_selectors.shuffled_slots(
            slots,
            seed=policy.shuffle_seed(assignment.pk, attempt.learner_id),
            questions=assignment.shuffle_questions,
            options=assignment.shuffle_options,
        )
    return slots


# ----------------------------------------------------------------------------------------------------
# My classes


@dataclass(frozen=True)
class ClassroomRows:
    classroom: Classroom
    statuses: list[AssignmentStatus]


@dataclass(frozen=True)
class StudentClasses:
    """The student's open classes, their assignments (by due date) and the student's attempts at each."""

    classrooms: list[Classroom]
    assignments: list[Assignment]
    attempts: dict[int, list[Attempt]]  # by assignment, oldest first

    def made_current(self, current: Callable[[list[Attempt]], list[Attempt]]) -> StudentClasses:
        """The same, each assignment's attempts passed through `current` (the service that closes an
        attempt found open past its deadline)."""
        return replace(self, attempts={pk: current(attempts) for pk, attempts in self.attempts.items()})

    def rows(self, now: dt.datetime) -> list[ClassroomRows]:
        rows = {classroom.pk: ClassroomRows(classroom, []) for classroom in self.classrooms}
        for assignment in self.assignments:
            rows[assignment.classroom_id].statuses.append(
                status_of(assignment, self.attempts[assignment.pk], now)
            )
        return list(rows.values())


def student_classes(user: User) -> StudentClasses:
    """Three queries whatever the number of classes, assignments and attempts."""
    classrooms = list(
        Classroom.objects.filter(enrollments__student=user, archived_at__isnull=True).order_by("name", "pk")
    )
    assignments = list(student_assignments(user))
    by_assignment: dict[int, list[Attempt]] = {assignment.pk: [] for assignment in assignments}
    assignments_by_id = {assignment.pk: assignment for assignment in assignments}
    for attempt in Attempt.objects.filter(learner=user, assignment__in=assignments).order_by("number"):
        assert attempt.assignment_id is not None
        attempt.assignment = assignments_by_id[attempt.assignment_id]
        by_assignment[attempt.assignment_id].append(attempt)
    return StudentClasses(classrooms=classrooms, assignments=assignments, attempts=by_assignment)


# ----------------------------------------------------------------------------------------------------
# Attempts and results


@dataclass(frozen=True)
class AttemptRow:
    attempt: Attempt
    released: bool  # submitted, and its results may be shown now


def attempt_rows(attempts: list[Attempt], now: dt.datetime) -> list[AttemptRow]:
    return [
        AttemptRow(attempt, not attempt.is_open and feedback_released(attempt, now=now))
        for attempt in attempts
    ]


@dataclass(frozen=True)
class ResultChoice:
    submitted: list[Attempt]  # oldest first
    attempt: Attempt | None  # the one to show: the one asked for, else the newest submitted
    in_progress: bool = False  # the attempt asked for is still being taken


def result_to_show(attempts: list[Attempt], *, number: int | None) -> ResultChoice:
    """Which of the student's attempts (made current) a results page shows: attempt `number`, else the
    newest submitted one; None when there is none such."""
    submitted = [attempt for attempt in attempts if not attempt.is_open]
    if number is None:
        return ResultChoice(submitted, submitted[-1] if submitted else None)
    chosen = next((attempt for attempt in submitted if attempt.number == number), None)
    in_progress = chosen is None and any(attempt.number == number for attempt in attempts)
    return ResultChoice(submitted, chosen, in_progress)


@dataclass(frozen=True)
class ResultLine:
    number: int
    key: str
    prompt: str
    kind: str
    answered: bool
    earned: str
    possible: str
    waiting_for_teacher: bool
    teacher_comment: str


def result_lines(slots: list[QuestionSlot], responses: Mapping[str, Response]) -> list[ResultLine]:
    lines = []
    for slot in slots:
        response = responses.get(slot.key)
        question = slot.question
        possible = points_text(
            response.possible
            if response is not None
            else Decimal(question["points"] + (question.get("evidence_part") or 0))
        )
        lines.append(
            ResultLine(
                number=slot.number,
                key=slot.key,
                prompt=question["prompt"],
                kind=question["kind"],
                answered=response is not None,
                earned=points_text(response.earned)
                if response is not None and response.earned is not None
                else "",
                possible=possible,
                waiting_for_teacher=response is not None
                and response.needs_teacher
                and response.earned is None,
                teacher_comment=response.teacher_comment if response is not None else "",
            )
        )
    return lines


def student_attempt(user: User, attempt_id: int) -> Attempt | None:
    """The student's own attempt at an assignment they can still reach (as `assignment_for_student`), with
    that assignment; None for anyone else's, a self-study attempt, or an archived class. Two queries."""
    attempt = Attempt.objects.filter(pk=attempt_id, learner=user, assignment__isnull=False).first()
    if attempt is None or attempt.assignment_id is None:
        return None
    assignment = assignment_for_student(user, attempt.assignment_id)
    if assignment is None:
        return None
    attempt.assignment = assignment
    return attempt
