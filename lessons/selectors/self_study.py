"""Reads for self-study: which of a learner's attempts a player page shows, and on which revision; the
review queue's next item and count.

A learner may come back to an attempt of theirs on an earlier revision of the lesson (one submitted, or
left open before the lesson was republished): it is shown on the revision it was taken on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lessons import policy
from lessons.models import Assignment, Attempt, AttemptState, ReviewItem, ReviewResult, Revision
from lessons.selectors.accommodations import attach_student_terms, with_student_terms
from lessons.selectors.player import attempt_for_learner, due_review_items


@dataclass(frozen=True)
class LearnerAttempt:
    attempt: Attempt
    revision: Revision  # the revision the attempt is taken on


def learner_attempt_on(
    user: AbstractBaseUser | AnonymousUser, revision: Revision, attempt_id: int
) -> LearnerAttempt | None:
    """The learner's own self-study attempt `attempt_id` at the lesson of `revision` (the published one),
    with the revision it is taken on; None for anyone else's (one query)."""
    attempt = attempt_for_learner(user, attempt_id=attempt_id, lesson_id=revision.lesson_id)
    if attempt is None:
        return None
    return LearnerAttempt(attempt, revision if attempt.revision_id == revision.pk else attempt.revision)


def player_names_attempt(revision: Revision, attempt: Attempt) -> bool:
    """Whether the player's address must name the attempt: the lesson's page alone shows the attempt in
    progress on the published revision, so a submitted one, or one on an earlier revision, is named."""
    return not attempt.is_open or attempt.revision_id != revision.lesson.published_revision_id


def attempt_state_now(attempt: Attempt) -> Attempt:
    """The attempt with its state read again: a service that refused an answer may have closed it."""
    attempt.refresh_from_db(fields=["state"])
    return attempt


def self_study_holds(
    user: AbstractBaseUser | AnonymousUser, *, now: dt.datetime, lesson_id: int | None = None
) -> dict[int, Assignment]:
    """The lessons the learner may not practise on their own now, each with the assignment that holds it
    (rule 1: self-study shows every key at once); only `lesson_id` when given. One query.

    An assignment of a lesson holds it while the student may still answer it (it has not closed for them:
    not past a due date that refuses late work, and attempts left), while an attempt of theirs is open, and
    after they handed it in until its results are released to them. Every road to a key (the player, the
    review queue) asks this."""
    if not user.is_authenticated:
        return {}
    mine = Attempt.objects.filter(assignment=OuterRef("pk"), learner_id=user.pk)
    candidates = Assignment.objects.filter(
        classroom__enrollments__student_id=user.pk, classroom__archived_at__isnull=True
    )
    if lesson_id is not None:
        candidates = candidates.filter(lesson_id=lesson_id)
    candidates = (
        with_student_terms(candidates.select_related("classroom"), user.pk)
        .annotate(
            used=Coalesce(Subquery(mine.values("learner").annotate(n=Count("pk")).values("n")), 0),
            working=Exists(mine.filter(state=AttemptState.OPEN)),
            handed_in=Exists(mine.filter(state=AttemptState.SUBMITTED)),
        )
        .order_by("due_at", "pk")
    )
    holds: dict[int, Assignment] = {}
    for assignment in candidates:
        if assignment.lesson_id in holds:
            continue
        attach_student_terms(assignment)  # an extension holds the lesson until the student's own due date
        closed = policy.closed_for_student(
            assignment, attempts_used=assignment.used, working=assignment.working, now=now
        )
        released = policy.release_allows(assignment, submitted=True, now=now)
        # An attempt still open (even past its deadline, until it is closed on access) is work in hand.
        if not closed or assignment.working or (assignment.handed_in and not released):
            holds[assignment.lesson_id] = assignment
    return holds


def _due_not_held(user: AbstractBaseUser, *, now: dt.datetime) -> QuerySet[ReviewItem]:
    # A lesson held for an assignment keeps its review items back: answering one would show its key.
    held = self_study_holds(user, now=now)
    return due_review_items(user, now=now).exclude(lesson_id__in=list(held))


def first_due_review_item(user: AbstractBaseUser, *, now: dt.datetime) -> ReviewItem | None:
    """The learner's review item due longest, at `now` (server time), with revision and lesson; items of a
    lesson held for an assignment (`self_study_holds`) wait until it is released."""
    return _due_not_held(user, now=now).first()


def due_review_count(user: AbstractBaseUser, *, now: dt.datetime) -> int:
    """How many of the learner's review items are due at `now` and not held for an assignment.

    One query (every page's count): due items counted per lesson, each marked when the lesson is assigned in
    a class of the learner; only then is the hold itself (`self_study_holds`) worked out, a second query."""
    assigned = Assignment.objects.filter(
        lesson_id=OuterRef("lesson_id"),
        classroom__enrollments__student_id=user.pk,
        classroom__archived_at__isnull=True,
    )
    per_lesson = list(
        due_review_items(user, now=now)
        .order_by()
        .values("lesson_id")
        .annotate(due=Count("pk"), assigned=Exists(assigned))
    )
    held = self_study_holds(user, now=now) if any(row["assigned"] for row in per_lesson) else {}
    return sum(row["due"] for row in per_lesson if row["lesson_id"] not in held)


@dataclass(frozen=True)
class UpcomingReviews:
    """What the learner's review queue holds after the items due now: how many come back later, how many
    of those were missed and how many partly right, and when the first of them is due."""

    later: int
    missed: int
    partial: int
    next_due: dt.datetime | None


def upcoming_reviews(user: AbstractBaseUser, *, now: dt.datetime) -> UpcomingReviews:
    """The learner's review items not due yet at `now`, leaving out lessons held for an assignment (they
    come back when it is released, not at a time the queue could promise). Two queries at most."""
    items = ReviewItem.objects.filter(learner_id=user.pk, due__gt=now)
    held = self_study_holds(user, now=now)
    if held:
        items = items.exclude(lesson_id__in=list(held))
    totals = items.aggregate(
        later=Count("pk"),
        missed=Count("pk", filter=Q(last_result=ReviewResult.MISSED)),
        partial=Count("pk", filter=Q(last_result=ReviewResult.PARTIAL)),
        next_due=Min("due"),
    )
    return UpcomingReviews(**totals)


def open_self_study_attempt(user: AbstractBaseUser, revision: Revision) -> Attempt | None:
    """The learner's self-study attempt in progress on `revision`, if there is one (one query)."""
    return Attempt.objects.filter(
        learner_id=user.pk, revision=revision, state=AttemptState.OPEN, assignment__isnull=True
    ).first()
