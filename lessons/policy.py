"""Time and release rules of an assignment, as pure functions: no query, no clock of their own.

Each takes what it decides on (an assignment's or attempt's fields, already loaded) and `now`, the server's
time that the caller read once (DESIGN.md rule 3). Services enforce these rules; selectors use them to say
where things stand; views only show the answers. Before writing a condition on a release policy, a late
policy or a deadline, call the one here.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings

from lessons.models.classroom import FeedbackRelease, LatePolicy

if TYPE_CHECKING:
    from lessons.models import Assignment, Attempt, Classroom

# Slack for the network between a student's click at the deadline and the server receiving it.
DEADLINE_GRACE = dt.timedelta(seconds=getattr(settings, "ATTEMPT_DEADLINE_GRACE_SECONDS", 30))


# ----------------------------------------------------------------------------------------------------
# Classes


def classroom_is_read_only(classroom: Classroom) -> bool:
    """An archived class keeps its roster, join code and assignments as they were."""
    return classroom.archived_at is not None


# ----------------------------------------------------------------------------------------------------
# A student's own terms (accommodations)


@dataclass(frozen=True)
class StudentTerms:
    """An assignment's due date and time limit as they hold for one student: the class's, moved by the
    student's standing extra time in the class (a multiplier of every time limit) and by an extension of
    this assignment (a later due date, extra minutes). Every rule below reads the due date and time limit
    from here."""

    due_at: dt.datetime
    time_limit_minutes: int | None
    extended: bool = False  # the student's due date is later than the class's
    more_time: bool = False  # the student's time limit is longer than the class's


def student_terms(
    assignment: Assignment,
    *,
    time_multiplier: Decimal | int = 1,
    extra_minutes: int = 0,
    extended_due_at: dt.datetime | None = None,
) -> StudentTerms:
    """The terms of a student with these accommodations; without any, the class's own. An extension never
    moves a due date earlier, and extra time applies only where there is a time limit (rounded up to the
    minute)."""
    due_at = assignment.due_at
    if extended_due_at is not None and extended_due_at > due_at:
        due_at = extended_due_at
    limit = assignment.time_limit_minutes
    if limit:
        limit = math.ceil(limit * Decimal(time_multiplier)) + max(extra_minutes, 0)
    return StudentTerms(
        due_at=due_at,
        time_limit_minutes=limit,
        extended=due_at != assignment.due_at,
        more_time=limit != assignment.time_limit_minutes,
    )


TERMS_ATTRIBUTE = "student_terms"


def terms_of(assignment: Assignment) -> StudentTerms:
    """The terms the student selectors attached to an assignment they read for one student
    (`attach_terms`), else the class's own (a teacher's view, or a student without accommodations)."""
    attached = getattr(assignment, TERMS_ATTRIBUTE, None)
    return attached if isinstance(attached, StudentTerms) else student_terms(assignment)


def attach_terms(assignment: Assignment, terms: StudentTerms) -> Assignment:
    setattr(assignment, TERMS_ATTRIBUTE, terms)
    return assignment


# ----------------------------------------------------------------------------------------------------
# Open, closed, late


class StartRefusal(enum.Enum):
    """Why a student cannot start a new attempt now (None from `start_refusal`: they can)."""

    NOT_OPEN_YET = "not_open_yet"
    NO_ATTEMPTS_LEFT = "no_attempts_left"
    CLOSED = "closed"


# Each rule below decides for one student: on `terms` when given (the services read them from the
# database), else on those attached to the assignment (`terms_of`).


def is_late(assignment: Assignment, now: dt.datetime, terms: StudentTerms | None = None) -> bool:
    """Past the student's due date (work then is refused, or accepted and marked late, by the late
    policy)."""
    return now > (terms or terms_of(assignment)).due_at


def closed_by_due_date(assignment: Assignment, now: dt.datetime, terms: StudentTerms | None = None) -> bool:
    """The assignment has closed for the student: past their due date, and it refuses late work."""
    return is_late(assignment, now, terms) and assignment.late_policy == LatePolicy.REFUSE


def start_refusal(
    assignment: Assignment, *, attempts_used: int, now: dt.datetime, terms: StudentTerms | None = None
) -> StartRefusal | None:
    """Whether a student with `attempts_used` attempts, none of them open, may start another now."""
    if now < assignment.opens_at:
        return StartRefusal.NOT_OPEN_YET
    if attempts_used >= assignment.attempts_allowed:
        return StartRefusal.NO_ATTEMPTS_LEFT
    if closed_by_due_date(assignment, now, terms):
        return StartRefusal.CLOSED
    return None


def closed_for_student(
    assignment: Assignment,
    *,
    attempts_used: int,
    working: bool,
    now: dt.datetime,
    terms: StudentTerms | None = None,
) -> bool:
    """The student can no longer answer the assignment: closed by their due date, or every attempt used and
    none still open."""
    return closed_by_due_date(assignment, now, terms) or (
        attempts_used >= assignment.attempts_allowed and not working
    )


def handed_in_late(
    assignment: Assignment, handed_in: dt.datetime | None, terms: StudentTerms | None = None
) -> bool:
    """Where late work is accepted, whether work handed in at `handed_in` is late (after the student's due
    date). Where it is refused, the grace after the due date is not late."""
    return (
        assignment.late_policy == LatePolicy.ACCEPT
        and handed_in is not None
        and handed_in > (terms or terms_of(assignment)).due_at
    )


# ----------------------------------------------------------------------------------------------------
# Deadlines and grace


def attempt_deadline(
    assignment: Assignment, started_at: dt.datetime, terms: StudentTerms | None = None
) -> dt.datetime | None:
    """The earlier of start + the student's time limit and their due date (unless late work is accepted),
    plus grace. Stored on the attempt, so saving, submitting and closing at the deadline all follow it."""
    terms = terms or terms_of(assignment)
    limits = []
    if terms.time_limit_minutes:
        limits.append(started_at + dt.timedelta(minutes=terms.time_limit_minutes))
    if assignment.late_policy == LatePolicy.REFUSE:
        limits.append(terms.due_at)
    return min(limits) + DEADLINE_GRACE if limits else None


def past_deadline(deadline: dt.datetime | None, now: dt.datetime) -> bool:
    """Past the deadline, grace included: nothing more can be saved."""
    return deadline is not None and now > deadline


def time_is_up(deadline: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the time limit or due date itself has passed. The grace after it lets saves already on their
    way land (until `deadline`), but a page opened then finds the attempt over."""
    return deadline is not None and now >= deadline - DEADLINE_GRACE


def time_ends_at(deadline: dt.datetime | None) -> dt.datetime | None:
    """The time limit or due date itself, which a countdown shows: the grace is for saves on their way."""
    return None if deadline is None else deadline - DEADLINE_GRACE


# ----------------------------------------------------------------------------------------------------
# Feedback


def release_allows(
    assignment: Assignment, *, submitted: bool, now: dt.datetime, terms: StudentTerms | None = None
) -> bool:
    """Whether the assignment's release policy shows keys and explanations of an attempt now (rule 1).
    "After the due date" is after the student's own: while an extension lets them try again, they see no
    key."""
    release = assignment.feedback_release
    if release == FeedbackRelease.IMMEDIATELY:
        return True
    if not submitted:
        return False
    if release == FeedbackRelease.AFTER_SUBMIT:
        return True
    if release == FeedbackRelease.AFTER_DUE:
        return now >= (terms or terms_of(assignment)).due_at
    return assignment.released_at is not None


def feedback_released(attempt: Attempt, *, now: dt.datetime) -> bool:
    """Whether the attempt's keys and explanations may be shown to its student now (rule 1). Self-study
    shows them at once."""
    assignment = attempt.assignment
    if assignment is None:
        return True
    return release_allows(assignment, submitted=not attempt.is_open, now=now)


def answers_final_once_given(assignment: Assignment | None) -> bool:
    """Whether feedback follows each answer at once (self-study, or released immediately), which makes
    that answer final."""
    return assignment is None or assignment.feedback_release == FeedbackRelease.IMMEDIATELY


def released_by_hand(assignment: Assignment) -> bool:
    """Whether a teacher releases this assignment's feedback (rather than its own rule)."""
    return assignment.feedback_release == FeedbackRelease.MANUAL


# ----------------------------------------------------------------------------------------------------
# Shuffling


def shuffle_seed(assignment_id: int, learner_id: int) -> str:
    """The seed of a student's order of questions and options: the same on any device and after a reload,
    different between students."""
    return f"{assignment_id}:{learner_id}"


def presentation_seed(attempt: Attempt) -> str:
    """The seed of the order an attempt's lists are shown in (items to order, options to match): an
    assignment's student sees the same order as `shuffle_seed` gives, a self-study attempt its own."""
    if attempt.assignment_id is not None:
        return shuffle_seed(attempt.assignment_id, attempt.learner_id)
    return f"self-study:{attempt.pk}"
