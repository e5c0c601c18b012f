"""Reads for self-study: which of a learner's attempts a player page shows, and on which revision; the
review queue's next item and count.

A learner may come back to an attempt of theirs on an earlier revision of the lesson (one submitted, or
left open before the lesson was republished): it is shown on the revision it was taken on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from lessons.models import Attempt, ReviewItem, Revision
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


def first_due_review_item(user: AbstractBaseUser, *, now: dt.datetime) -> ReviewItem | None:
    """The learner's review item due longest, at `now` (server time), with revision and lesson."""
    return due_review_items(user, now=now).first()


def due_review_count(user: AbstractBaseUser, *, now: dt.datetime) -> int:
    """How many of the learner's review items are due at `now`."""
    return due_review_items(user, now=now).count()
