"""Time and release rules of an assignment, as pure functions: no query, no clock of their own.

Each takes what it decides on (an assignment's or attempt's fields, already loaded) and `now`, the server's
time that the caller read once (DESIGN.md rule 3). Services enforce these rules; selectors use them to say
where things stand; views only show the answers. Before writing a condition on a release policy, a late
policy or a deadline, call the one here.
"""

from __future__ import annotations

import datetime as dt
import enum
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
# Open, closed, late


class StartRefusal(enum.Enum):
    """Why a student cannot start a new attempt now (None from `start_refusal`: they can)."""

    NOT_OPEN_YET = "not_open_yet"
    NO_ATTEMPTS_LEFT = "no_attempts_left"
    CLOSED = "closed"


def is_late(assignment: Assignment, now: dt.datetime) -> bool:
    """Past the due date (work then is refused, or accepted and marked late, by the late policy)."""
    return now > assignment.due_at


def closed_by_due_date(assignment: Assignment, now: dt.datetime) -> bool:
    """The assignment has closed: past its due date, and it refuses late work."""
    return is_late(assignment, now) and assignment.late_policy == LatePolicy.REFUSE


def start_refusal(assignment: Assignment, *, attempts_used: int, now: dt.datetime) -> StartRefusal | None:
    """Whether a student with `attempts_used` attempts, none of them open, may start another now."""
    if now < assignment.opens_at:
        return StartRefusal.NOT_OPEN_YET
    if attempts_used >= assignment.attempts_allowed:
        return StartRefusal.NO_ATTEMPTS_LEFT
    if closed_by_due_date(assignment, now):
        return StartRefusal.CLOSED
    return None


def closed_for_student(
    assignment: Assignment, *, attempts_used: int, working: bool, now: dt.datetime
) -> bool:
    """The student can no longer answer the assignment: closed by its date, or every attempt used and none
    still open."""
    return closed_by_due_date(assignment, now) or (
        attempts_used >= assignment.attempts_allowed and not working
    )


def handed_in_late(assignment: Assignment, handed_in: dt.datetime | None) -> bool:
    """Where late work is accepted, whether work handed in at `handed_in` is late. Where it is refused, the
    grace after the due date is not late."""
    return (
        assignment.late_policy == LatePolicy.ACCEPT
        and handed_in is not None
        and handed_in > assignment.due_at
    )


# ----------------------------------------------------------------------------------------------------
# Deadlines and grace


def attempt_deadline(assignment: Assignment, started_at: dt.datetime) -> dt.datetime | None:
    """The earlier of start + time limit and the due date (unless late work is accepted), plus grace."""
    limits = []
    if assignment.time_limit_minutes:
        limits.append(started_at + dt.timedelta(minutes=assignment.time_limit_minutes))
    if assignment.late_policy == LatePolicy.REFUSE:
        limits.append(assignment.due_at)
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


def release_allows(assignment: Assignment, *, submitted: bool, now: dt.datetime) -> bool:
    """Whether the assignment's release policy shows keys and explanations of an attempt now (rule 1)."""
    release = assignment.feedback_release
    if release == FeedbackRelease.IMMEDIATELY:
        return True
    if not submitted:
        return False
    if release == FeedbackRelease.AFTER_SUBMIT:
        return True
    if release == FeedbackRelease.AFTER_DUE:
        return now >= assignment.due_at
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
