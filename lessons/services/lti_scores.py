"""Scores back to the LMS (LTI Assignment and Grade Services), through an outbox.

`scores_changed` is called by the services that change an attempt's score (a submit, the deadline's
automatic submit, a teacher's grade, a regrade) inside their own transaction: one INSERT … SELECT statement
writes a row to send for each of those attempts whose assignment has a platform grade column and whose
student came from that platform (none for everything else). After the transaction commits, the new rows are
sent at once with a short timeout (LTI_HTTP_TIMEOUT); a platform that is down or slow never fails or holds
up the submit: the row stays, and `manage.py send_lti_scores` retries it with exponential backoff.

What is sent is the attempt's score as it is when sent, so a late retry never sends a stale score.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from lessons import lti_jwt
from lessons.lti_jwt import PlatformUnreachable
from lessons.models import (
    Attempt,
    AttemptState,
    LtiLineItem,
    LtiPlatform,
    LtiScorePost,
    LtiUser,
    Response,
)

logger = logging.getLogger(__name__)

SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"

# Retries wait 1, 2, 4 … minutes, at most 6 hours; after MAX_TRIES (about two days) the row is given up.
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=6)
MAX_TRIES = 14
# While one process sends a row, others leave it alone for this long.
LEASE = dt.timedelta(minutes=2)
# After a platform fails to answer, scores for it are no longer sent right after a submit (which would make
# every student wait for the timeout) but only by `send_lti_scores`, for this long.
PLATFORM_DOWN_SECONDS = 300


def retry_delay(tries: int) -> dt.timedelta:
    """How long to wait after the `tries`-th failed try."""
    return min(FIRST_RETRY * (2 ** max(tries - 1, 0)), LONGEST_RETRY)


def graded_in_an_lms() -> Exists:
    """For a query of attempts: whether the attempt's assignment has a grade column in an LMS, so that its
    score changes are worth `scores_changed` (asked in a statement the caller makes anyway)."""
    return Exists(LtiLineItem.objects.filter(assignment_id=OuterRef("assignment_id")))


def scores_changed(attempt_ids: Iterable[int], *, now: dt.datetime | None = None) -> None:
    """Queue the scores of these submitted attempts for their platforms; send them once the caller's
    transaction commits. One statement; nothing happens for an attempt that did not come through LTI."""
    ids = [int(pk) for pk in attempt_ids]
    if not ids:
        return
    now = now or timezone.now()
    post, attempt = LtiScorePost._meta.db_table, Attempt._meta.db_table
    line_item, lti_user = LtiLineItem._meta.db_table, LtiUser._meta.db_table
    when = connection.ops.adapt_datetimefield_value(now)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        # Table names from the models; every value is a parameter.
        f"INSERT INTO {post} (attempt_id, line_item_id, lti_user_id, created_at, next_try_at, tries,"  # noqa: S608
        " last_error)"
        f" SELECT a.id, li.id, u.id, %s, %s, 0, ''"
        f" FROM {attempt} a"
        f" JOIN {line_item} li ON li.assignment_id = a.assignment_id"
        f" JOIN {lti_user} u ON u.user_id = a.learner_id AND u.platform_id = li.platform_id"
        f" WHERE a.state = %s AND a.id IN ({placeholders})"
        f" RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, when, AttemptState.SUBMITTED, *ids])
        queued = [row[0] for row in cursor.fetchall()]
    if queued:
        transaction.on_commit(lambda: _send_quietly(queued))


def _send_quietly(post_ids: list[int]) -> None:
    """Right after the commit: whatever happens, the student's request goes on."""
    try:
        score_posts_send(post_ids=post_ids, skip_platforms_down=True)
    except Exception:  # the outbox keeps the row; the command retries it
        logger.exception("LTI score posts %s not sent after commit", post_ids)


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    given_up: int


def _down_key(platform_id: int) -> str:
    return f"lti-platform-down:{platform_id}"


def score_posts_send(
    *, post_ids: list[int] | None = None, now: dt.datetime | None = None, skip_platforms_down: bool = False
) -> SendReport:
    """Send the queued scores that are due (all of them, or those of `post_ids`): each with the attempt's
    score as it is now. A failed row waits `retry_delay` before its next try. `skip_platforms_down` leaves
    alone the rows of a platform that failed in the last PLATFORM_DOWN_SECONDS (for the command to send)."""
    now = now or timezone.now()
    due = LtiScorePost.objects.filter(
        delivered_at__isnull=True, given_up_at__isnull=True, next_try_at__lte=now
    ).select_related("line_item__platform", "lti_user")
    if post_ids is not None:
        due = due.filter(pk__in=post_ids)
    sent = failed = given_up = 0
    for post in due.order_by("pk"):
        if skip_platforms_down and cache.get(_down_key(post.line_item.platform_id)):
            continue
        # Take the row for LEASE, unless another process took it first.
        if not LtiScorePost.objects.filter(
            pk=post.pk, next_try_at=post.next_try_at, delivered_at__isnull=True
        ).update(next_try_at=now + LEASE):
            continue
        try:
            _send(post, now=now)
        except PlatformUnreachable as error:
            cache.set(_down_key(post.line_item.platform_id), True, PLATFORM_DOWN_SECONDS)
            tries = post.tries + 1
            gave_up = tries >= MAX_TRIES
            LtiScorePost.objects.filter(pk=post.pk).update(
                tries=tries,
                next_try_at=now + retry_delay(tries),
                last_error=str(error)[:300],
                given_up_at=now if gave_up else None,
            )
            failed += 1
            given_up += gave_up
            logger.warning("LTI score post %s failed (try %s): %s", post.pk, tries, error)
            continue
        cache.delete(_down_key(post.line_item.platform_id))
        # The score sent is the attempt's current one: older rows of the same attempt are sent too.
        LtiScorePost.objects.filter(
            attempt_id=post.attempt_id,
            line_item_id=post.line_item_id,
            pk__lte=post.pk,
            delivered_at__isnull=True,
        ).update(delivered_at=now, tries=F("tries") + 1, last_error="")
        sent += 1
    return SendReport(sent=sent, failed=failed, given_up=given_up)


def scores_url(line_item_url: str) -> str:
    """The line item's scores endpoint: `/scores` added to its path, its query kept."""
    parts = urllib.parse.urlsplit(line_item_url)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def score_payload(attempt: Attempt, *, user_id: str, now: dt.datetime) -> dict[str, object]:
    pending = Response.objects.filter(attempt=attempt, needs_teacher=True, graded_at__isnull=True).exists()
    return {
        "userId": user_id,
        "scoreGiven": float(attempt.earned or 0),
        "scoreMaximum": float(attempt.possible),
        "activityProgress": "Completed",
        "gradingProgress": "PendingManual" if pending else "FullyGraded",
        "timestamp": now.isoformat(timespec="milliseconds"),
    }


def _send(post: LtiScorePost, *, now: dt.datetime) -> None:
    attempt = Attempt.objects.get(pk=post.attempt_id)
    platform = post.line_item.platform
    token = access_token(platform, (SCOPE_SCORE,))
    body = score_payload(attempt, user_id=post.lti_user.sub, now=now)
    lti_jwt.http(
        "POST",
        scores_url(post.line_item.url),
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_MEDIA_TYPE},
        data=json.dumps(body).encode(),
    )


def access_token(platform: LtiPlatform, scopes: tuple[str, ...]) -> str:
    """An OAuth 2 access token for these scopes (client credentials with a signed JWT assertion), cached
    until a minute before it expires."""
    cache_key = f"lti-token:{platform.pk}:" + hashlib.sha256(" ".join(sorted(scopes)).encode()).hexdigest()
    token = cache.get(cache_key)
    if token:
        return str(token)
    issued = lti_jwt.now_seconds()
    assertion = lti_jwt.sign(
        {
            "iss": platform.client_id,
            "sub": platform.client_id,
            "aud": platform.token_audience,
            "iat": issued,
            "exp": issued + 300,
            "jti": secrets.token_urlsafe(16),
        }
    )
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": " ".join(scopes),
        }
    )
    answer = lti_jwt.http(
        "POST",
        platform.token_url,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        data=form.encode(),
    )
    try:
        data = answer.json()
        token = str(data["access_token"])
        expires_in = int(data.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise PlatformUnreachable("the platform's token answer has no access token") from None
    cache.set(cache_key, token, max(expires_in - 60, 1))
    return token
