"""Taking a lesson: starting an attempt, saving answers the moment they are given, submitting, reviewing.

Rules kept here (DESIGN.md): an answer is saved on the server when it is given; saving and submitting are
idempotent; a submitted attempt cannot change; time is the server's; every score is computed against the
revision the attempt points at, or the corrected one a teacher's regrade moved its assignment to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connections, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fsrs import Card, Rating, Scheduler

from lessons import grading, policy
from lessons.content_types import QuestionContent, sentence_ids_of
from lessons.kinds import get_kind
from lessons.models import (
    Attempt,
    AttemptState,
    Enrollment,
    FeedbackRelease,
    Response,
    ReviewItem,
    ReviewResult,
    Revision,
)
from lessons.selectors.accommodations import extended_due_at
from lessons.selectors.compiled import CompiledQuery
from lessons.selectors.revisions import revision_content
from lessons.selectors.self_study import self_study_holds

from . import locks
from .errors import (
    AnswerLocked,
    AttemptClosed,
    HeldForAssignment,
    InvalidAnswer,
    InvalidInput,
    LessonCorrected,
    NotAllowed,
)
from .lti_scores import graded_in_an_lms, scores_changed

# Fuzzing spreads due dates at random; a learner's queue must be reproducible, so it is off.
SCHEDULER = Scheduler(enable_fuzzing=False)


def revision_questions(revision: Revision) -> dict[str, QuestionContent]:
    return {question["id"]: question for question in revision.document["questions"]}


def revision_sentence_ids(revision: Revision) -> list[str]:
    return sentence_ids_of(revision.document["article"])


def revision_terms(revision: Revision) -> grading.LessonTerms:
    return grading.lesson_terms(revision.document["actors"])


def all_points(revision: Revision) -> Decimal:
    return Decimal(sum(q["points"] + q["evidence_part"] for q in revision.document["questions"]))


def self_study_points(revision: Revision) -> Decimal:
    """What a self-study attempt can earn: every question a machine scores (open responses need a teacher)."""
    return Decimal(
        sum(
            question["points"] + question["evidence_part"]
            for question in revision.document["questions"]
            if not get_kind(question["kind"]).shape.teacher_graded
        )
    )


def self_study_attempt_open(*, learner: User, revision: Revision) -> Attempt:
    """The learner's attempt in progress on `revision`, started when there is none.

    Two tabs starting at once both get the same attempt: the partial unique constraint lets only one insert
    win, and the loser reads the winner's row.
    """
    self_study = Attempt.objects.filter(
        learner=learner, revision=revision, state=AttemptState.OPEN, assignment__isnull=True
    )
    existing = self_study.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                learner=learner,
                revision=revision,
                lesson_id=revision.lesson_id,
                possible=self_study_points(revision),
            )
    except IntegrityError:
        return self_study.get()


def _check_answer(
    question: QuestionContent, answer: Any, evidence: Any, sentence_ids: list[str]
) -> tuple[Any, list[str] | None]:
    try:
        clean_answer = grading.validate_answer(question, answer, sentence_ids=sentence_ids)
        clean_evidence = (
            grading.validate_evidence(question, evidence, sentence_ids=sentence_ids)
            if evidence is not None
            else None
        )
    except grading.MalformedAnswer as error:
        # The grading module marks its message templates for translation; translate them here.
        params = {
            name: _(value) if isinstance(value, str) and value in grading.JSON_TYPE_WORDS else value
            for name, value in error.params.items()
        }
        message = _(error.template) % params if params else _(error.template)
        raise InvalidAnswer(message, field=error.field) from None
    return clean_answer, clean_evidence


@dataclass(frozen=True)
class SavedResponse:
    response: Response
    created: bool
    stale: bool = False


def in_the_class() -> Exists:
    """For an attempt at an assignment: whether its learner is still in the assignment's open class."""
    return Exists(
        Enrollment.objects.filter(
            classroom_id=OuterRef("assignment__classroom_id"),
            student_id=OuterRef("learner_id"),
            classroom__archived_at__isnull=True,
        )
    )


# Response.sequence is a PositiveIntegerField (a 32-bit integer on PostgreSQL); the page offers the stored
# sequence + 1 for the next save, so that must fit too.
MAX_SAVE_SEQUENCE = 2**31 - 2


def response_save(
    *,
    learner: User,
    attempt: Attempt,
    question_key: str,
    answer: Any,
    evidence: Any = None,
    sequence: int | None = None,
    revision_digest: str | None = None,
    revision_id: int | None = None,
    now: dt.datetime | None = None,
) -> SavedResponse:
    """Save and score one answer of an open attempt.

    Locks the attempt row (locks.py), so saves and a submit of one attempt run one at a time.
    Where feedback follows each answer (self-study, or an assignment that releases it immediately) the
    first answer is final: the same answer again is a harmless repeat, a different one raises AnswerLocked.
    Elsewhere an answer may change until submission. A save whose `sequence` is not newer than the stored
    one (a retried or out-of-order request) changes nothing and reports `stale`. `revision_digest` (the start
    of the content digest of the revision the answering page showed) refuses, with LessonCorrected (409), an
    answer given on a page from before a regrade moved the attempt onto a corrected revision.
    Raises NotAllowed (404) when the attempt is not `learner`'s own, or the student is no longer in the
    assignment's class (or it was archived), InvalidAnswer (400) for an unknown question or a malformed
    answer, AttemptClosed (409) after submission or past the deadline — an attempt found open past its
    deadline is submitted then, with what was saved before it. Nothing of the refused answer is written.

    With `revision_id` (the revision the answering page showed, from its signed attempt token) and a
    `sequence`, an assignment's answer is saved in one statement (`_save_in_one_statement`); whatever that
    statement does not save (a stale or refused answer, an answer final once given) takes the path above.
    """
    if sequence is not None and not 1 <= sequence <= MAX_SAVE_SEQUENCE:
        raise InvalidInput(
            _("The save sequence must be a whole number from 1 to %(max)s.") % {"max": MAX_SAVE_SEQUENCE},
            field="sequence",
        )
    now = now or timezone.now()
    if revision_id is not None and sequence is not None and attempt.assignment_id is not None:
        fast = _save_in_one_statement(
            learner.pk, attempt.pk, revision_id, question_key, answer, evidence, sequence, now
        )
        if fast is not None:
            return fast
    with transaction.atomic():
        latest_answer = Response.objects.filter(attempt=OuterRef("pk")).order_by("-first_saved_at")
        locked = (
            locks.attempts_for_update()
            .select_related("revision", "assignment")
            .annotate(
                last_answered_at=Subquery(latest_answer.values("first_saved_at")[:1]),
                in_class=in_the_class(),
            )
            # The learner is checked in the locking query itself: no statement more for a save.
            .filter(pk=attempt.pk, learner_id=learner.pk)
            .first()
        )
        if locked is None:
            raise NotAllowed(_("This attempt is not yours."))
        if locked.assignment_id is not None and not locked.in_class:
            raise NotAllowed(_("You are no longer in this class, so this attempt cannot change."))
        expired = locked.state == AttemptState.OPEN and policy.past_deadline(locked.deadline, now)
        if expired:
            _submit_locked(locked, now=now, auto=True)
        else:
            saved = _save_locked(locked, question_key, answer, evidence, sequence, now, revision_digest)
    if expired:
        raise AttemptClosed(
            _("The time for this attempt is over; it was submitted with the answers saved before.")
        )
    return saved


# The grade columns a re-save of the same answer leaves alone (with its time), as the locking path does.
_KEPT_WHEN_UNCHANGED = ("saved_at", "earned", "possible", "correct", "parts", "needs_teacher")


@dataclass(frozen=True)
class SignedInProof:
    """What a save authorised by its page's signed token alone (no session or user loaded) must still find
    in the database when it is written: the request's session, unexpired, and its user active with the
    password they had when the page was made (`password_fingerprint`). A sign-out deletes the session, a
    password change (here or elsewhere) changes the fingerprint, a deactivation clears `is_active`."""

    session_key: str
    password_fingerprint: str


PASSWORD_FINGERPRINT_CHARS = 32


def _fingerprint_pepper() -> str:
    # Derived from SECRET_KEY: the fingerprint is worth nothing to whoever does not also hold the key.
    return salted_hmac("lessons.services.attempts.password-fingerprint", "", algorithm="sha256").hexdigest()


def password_fingerprint(password_hash: str) -> str:
    """A digest of a user's stored password hash (never the hash itself) for their pages' signed tokens:
    it changes whenever the password does. The database computes the same (`_save_in_one_statement`)."""
    digest = hashlib.sha256((_fingerprint_pepper() + password_hash).encode()).hexdigest()
    return digest[:PASSWORD_FINGERPRINT_CHARS]


def response_save_signed_in(
    *,
    learner_id: int,
    attempt_id: int,
    revision_id: int,
    question_key: str,
    answer: Any,
    evidence: Any,
    sequence: int,
    proof: SignedInProof,
    now: dt.datetime | None = None,
) -> SavedResponse | None:
    """The autosave of an assignment's answer authorised in the same one statement that writes it: the
    checks of `_save_in_one_statement` (the learner's attempt, open, on that revision, before its deadline,
    in a class they are still in, answers that may change, the newer sequence) and `proof`'s (the session
    still there and unexpired, the user active with the same password). None when nothing was written, for
    whatever reason: the caller then goes the whole way (`response_save` after authentication), which says
    why. Nothing is written otherwise."""
    if not 1 <= sequence <= MAX_SAVE_SEQUENCE:
        return None
    return _save_in_one_statement(
        learner_id,
        attempt_id,
        revision_id,
        question_key,
        answer,
        evidence,
        sequence,
        now or timezone.now(),
        proof=proof,
    )


def _save_in_one_statement(
    learner_id: int,
    attempt_id: int,
    revision_id: int,
    question_key: str,
    answer: Any,
    evidence: Any,
    sequence: int,
    now: dt.datetime,
    *,
    proof: SignedInProof | None = None,
) -> SavedResponse | None:
    """The autosave of an assignment's answer in one statement: an upsert that keeps the newer sequence.

    The answer is checked and graded first, against the revision's content kept in memory (a revision never
    changes). Then one `INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE` writes it, its SELECT taking the
    attempt only while it is the learner's, open, on that revision, within its deadline by the server's
    clock (`now`), in a class they are still in and not archived, in an assignment whose answers may change
    (feedback not shown after each answer); the conflict's WHERE keeps a stored answer with a newer or equal
    sequence. On PostgreSQL the SELECT takes a share lock on the attempt row, so a submit (which locks it
    for update) either waits for this save to commit or makes it find the attempt submitted. None when
    nothing was written, for the locking path to say why (or to save after all, if something changed).
    With `proof`, the SELECT also requires the signed-in session and the user (SignedInProof).
    """
    content = revision_content(revision_id)
    if content is None:
        return None
    question = next((q for q in content["questions"] if q["id"] == question_key), None)
    if question is None:
        return None
    sentence_ids = sentence_ids_of(content["article"])
    try:
        clean_answer, clean_evidence = _check_answer(question, answer, evidence, sentence_ids)
    except InvalidAnswer:
        return None  # the locking path refuses it, after the checks that come first
    result = grading.grade(question, clean_answer, evidence=clean_evidence, sentence_ids=sentence_ids)
    graded = Response(
        question_key=question_key,
        kind=question["kind"],
        focus=question["focus"],
        answer=clean_answer,
        evidence=clean_evidence,
        sequence=sequence,
        first_saved_at=now,
        saved_at=now,
    )
    _apply_grade(graded, result)

    connection = connections[Response.objects.db]
    postgres = connection.vendor == "postgresql"
    fields = ["question_key", "kind", "focus", "answer", "evidence", "sequence", "first_saved_at"]
    fields += ["saved_at", "earned", "possible", "correct", "parts", "needs_teacher"]
    fields += ["criterion_scores", "teacher_comment", "version"]
    columns = {field.name: field for field in Response._meta.concrete_fields}
    values = [columns[name].get_db_prep_save(getattr(graded, name), connection) for name in fields]
    now_value = columns["saved_at"].get_db_prep_save(now, connection)
    previous = (
        "COALESCE((SELECT MAX(p.first_saved_at) FROM lessons_response p WHERE p.attempt_id = a.id), "
        "a.started_at)"
    )
    if postgres:
        seconds = f"GREATEST(EXTRACT(EPOCH FROM (%s::timestamptz - {previous})), 0)"
        same_evidence = "r.evidence IS NOT DISTINCT FROM excluded.evidence"
        lock = "FOR SHARE OF a"
    else:  # SQLite serialises writers, and keeps its times as text
        seconds = f"MAX((julianday(%s) - julianday({previous})) * 86400.0, 0)"
        same_evidence = "r.evidence IS excluded.evidence"
        lock = ""
    signed_in, signed_in_params = _signed_in_condition(proof, postgres, now_value)
    unchanged = f"r.answer = excluded.answer AND {same_evidence}"
    updates = ["answer = excluded.answer", "evidence = excluded.evidence", "sequence = excluded.sequence"]
    updates += [
        f"{name} = CASE WHEN {unchanged} THEN r.{name} ELSE excluded.{name} END"
        for name in _KEPT_WHEN_UNCHANGED
    ]
    sql = f"""
        INSERT INTO lessons_response AS r (attempt_id, {", ".join(fields)}, seconds_to_answer)
        SELECT a.id, {", ".join(["%s"] * len(fields))}, {seconds}
        FROM lessons_attempt a
        WHERE a.id = %s AND a.learner_id = %s AND a.revision_id = %s AND a.state = %s
            AND (a.deadline IS NULL OR a.deadline >= %s)
            AND EXISTS (
                SELECT 1 FROM lessons_assignment s
                JOIN lessons_classroom c ON c.id = s.classroom_id
                JOIN lessons_enrollment e ON e.classroom_id = s.classroom_id AND e.student_id = a.learner_id
                WHERE s.id = a.assignment_id AND c.archived_at IS NULL AND s.feedback_release <> %s
            )
            {signed_in}
        {lock}
        ON CONFLICT (attempt_id, question_key) DO UPDATE SET {", ".join(updates)}
        WHERE r.sequence < excluded.sequence
        RETURNING id, saved_at, first_saved_at
    """  # noqa: S608 -- every name is the code's own; every value is a parameter
    params = [
        *values,
        now_value,
        attempt_id,
        learner_id,
        revision_id,
        AttemptState.OPEN.value,
        now_value,
        FeedbackRelease.IMMEDIATELY.value,
        *signed_in_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    graded.pk, graded.attempt_id = row[0], attempt_id
    graded.saved_at, graded.first_saved_at = _db_datetime(row[1]), _db_datetime(row[2])
    return SavedResponse(graded, created=graded.first_saved_at == now)


def _signed_in_condition(
    proof: SignedInProof | None, postgres: bool, now_value: Any
) -> tuple[str, list[Any]]:
    """The upsert's SELECT condition for a SignedInProof: the session row (db and cached_db sessions both
    keep it; a sign-out deletes it) and the user, active, whose password hash gives the same fingerprint."""
    if proof is None:
        return "", []
    if postgres:
        fingerprint = "LEFT(ENCODE(SHA256(CONVERT_TO(%s || u.password, 'UTF8')), 'hex'), %s)"
    else:  # Django's SQLite connections have SHA256 (hex)
        fingerprint = "SUBSTR(SHA256(%s || u.password), 1, %s)"
    condition = f"""
        AND EXISTS (
            SELECT 1 FROM {Session._meta.db_table} ss WHERE ss.session_key = %s AND ss.expire_date > %s
        )
        AND EXISTS (
            SELECT 1 FROM {User._meta.db_table} u
            WHERE u.id = a.learner_id AND u.is_active AND {fingerprint} = %s
        )
    """  # noqa: S608 -- the names are the models' own; every value is a parameter
    params = [
        proof.session_key,
        now_value,
        _fingerprint_pepper(),
        PASSWORD_FINGERPRINT_CHARS,
        proof.password_fingerprint,
    ]
    return condition, params


def _db_datetime(value: dt.datetime | str) -> dt.datetime:
    """A time a raw statement returned: SQLite gives the text it keeps, or a naive time made of it (UTC)."""
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _save_locked(
    locked: Attempt,
    question_key: str,
    answer: Any,
    evidence: Any,
    sequence: int | None,
    now: dt.datetime,
    revision_digest: str | None,
) -> SavedResponse:
    if locked.state != AttemptState.OPEN:
        raise AttemptClosed(_("This attempt has been submitted; its answers can no longer change."))
    if revision_digest is not None and not locked.revision.content_sha256.startswith(revision_digest):
        raise LessonCorrected(
            _("Your teacher corrected this lesson. Reload the page to see it; your saved answers are kept.")
        )
    question = revision_questions(locked.revision).get(question_key)
    if question is None:
        raise InvalidAnswer(
            _("This lesson has no question %(key)s.") % {"key": question_key[:40]}, field="question"
        )
    sentence_ids = revision_sentence_ids(locked.revision)
    clean_answer, clean_evidence = _check_answer(question, answer, evidence, sentence_ids)

    existing = Response.objects.filter(attempt=locked, question_key=question_key).first()
    if existing is not None:
        if sequence is not None and existing.sequence >= sequence:
            return SavedResponse(existing, created=False, stale=True)
        if existing.answer == clean_answer and existing.evidence == clean_evidence:
            if sequence is not None:
                # Remember the newer sequence, so an older change still in flight cannot win later.
                existing.sequence = sequence
                existing.save(update_fields=["sequence"])
            return SavedResponse(existing, created=False)
        if policy.answers_final_once_given(locked.assignment):
            raise AnswerLocked(_("You have already answered this question and seen its feedback."))

    result = grading.grade(
        question,
        clean_answer,
        evidence=clean_evidence,
        sentence_ids=sentence_ids,
        terms=revision_terms(locked.revision),
    )
    # How long this question took when answered in order: since the previous first answer, or the start.
    previous = getattr(locked, "last_answered_at", None) or locked.started_at
    response = existing or Response(
        attempt=locked,
        question_key=question_key,
        kind=question["kind"],
        focus=question["focus"],
        first_saved_at=now,
        seconds_to_answer=max((now - previous).total_seconds(), 0.0),
    )
    response.answer = clean_answer
    response.evidence = clean_evidence
    response.sequence = sequence or (existing.sequence + 1 if existing else 0)
    response.saved_at = now
    _apply_grade(response, result)
    response.save()
    if locked.assignment is None and not result.needs_teacher:
        _schedule_review(locked, question_key, result, now)
    return SavedResponse(response, created=existing is None)


def review_result_of(result: grading.Grade) -> ReviewResult:
    """Whether an answer was missed, partly right or right, for the review queue.

    Right: every point earned. Missed: nothing earned. Everything between is partly right, and that
    includes a right answer whose optional supporting sentences were left out or only partly right: the
    question is not missed, but it is not yet known in full either, so it is reviewed as a partial answer.
    """
    if result.earned >= result.possible:
        return ReviewResult.RIGHT
    return ReviewResult.PARTIAL if result.earned > 0 else ReviewResult.MISSED


# FSRS's rating of each result: Again for a miss, Hard for a partial answer, Good for a right one.
RATINGS = {
    ReviewResult.MISSED: Rating.Again,
    ReviewResult.PARTIAL: Rating.Hard,
    ReviewResult.RIGHT: Rating.Good,
}


def _schedule_review(attempt: Attempt, question_key: str, result: grading.Grade, now: dt.datetime) -> None:
    """A question missed in whole or in part joins the learner's review queue, due at once for its first
    review; one already there moves as FSRS says.

    Locks the review item row. Two first misses at once (two revisions of a lesson in two tabs) both try
    to insert it; the loser re-reads the winner's row under the lock and reschedules that.
    """
    outcome = review_result_of(result)
    rating = RATINGS[outcome]
    items = locks.review_items_for_update().filter(
        learner_id=attempt.learner_id, lesson_id=attempt.lesson_id, question_key=question_key
    )
    item = items.first()
    if item is None:
        if rating == Rating.Good:
            return
        card, _log = SCHEDULER.review_card(Card(due=now), rating, review_datetime=now)
        try:
            with transaction.atomic():
                ReviewItem.objects.create(
                    learner_id=attempt.learner_id,
                    lesson_id=attempt.lesson_id,
                    question_key=question_key,
                    revision=attempt.revision,
                    card=card.to_dict(),
                    # Due at once, not at FSRS's first learning step a minute or more away: a learner who
                    # opens the queue right after the lesson finds what they just missed. The card keeps
                    # FSRS's state, so the first review is scheduled from it as usual.
                    due=now,
                    last_reviewed_at=now,
                    last_correct=False,
                    last_result=outcome,
                )
            return
        except IntegrityError:
            item = items.get()
    card, _log = SCHEDULER.review_card(Card.from_dict(item.card), rating, review_datetime=now)
    item.revision = attempt.revision
    item.card = card.to_dict()
    item.due = card.due
    item.last_reviewed_at = now
    item.last_correct = rating == Rating.Good
    item.last_result = outcome
    item.save()


def _locked_attempt(attempt_id: int, learner_id: int, assignment_id: int | None = None) -> QuerySet[Attempt]:
    mine = Q(pk=attempt_id, learner_id=learner_id)
    if assignment_id is not None:
        mine &= Q(assignment_id=assignment_id)
    return (
        locks.attempts_for_update()
        .select_related("assignment")
        .annotate(in_class=in_the_class())
        .filter(mine)
    )[:1]


# Compiled once per process (`lessons.selectors.compiled`): a class submits at the bell.
_LOCK: CompiledQuery[Attempt] = CompiledQuery(_locked_attempt, 2)
_LOCK_OF_ASSIGNMENT: CompiledQuery[Attempt] = CompiledQuery(_locked_attempt, 3)


@transaction.atomic
def attempt_submit(
    *, learner: User, attempt: Attempt, now: dt.datetime | None = None, auto: bool = False
) -> Attempt:
    """Close the attempt with the score of what was saved. Submitting twice returns the first result.

    Locks the attempt row, so a save racing the submit either lands before it or is refused after it.
    Raises NotAllowed (404) when the attempt is not `learner`'s own (or, when `attempt` names its
    assignment, not of that assignment), or for a learner no longer in the assignment's class unless it is
    the deadline's automatic submission. Past the deadline (grace included) the submission is the deadline's.
    Four statements whatever the size of the lesson: lock, totals, write (and the user's, in a request).
    """
    now = now or timezone.now()
    if attempt.assignment_id is not None:  # an attempt named in a form of that assignment
        locked = _LOCK_OF_ASSIGNMENT.first(attempt.pk, learner.pk, attempt.assignment_id)
    else:
        locked = _LOCK.first(attempt.pk, learner.pk)
    if locked is None:
        raise NotAllowed(_("This attempt is not yours."))
    if locked.state == AttemptState.SUBMITTED:
        return locked
    if locked.assignment_id is not None and not getattr(locked, "in_class", False) and not auto:
        raise NotAllowed(_("You are no longer in this class, so this attempt cannot change."))
    # Within the grace after the limit the student's own click still counts as theirs; after it, the
    # deadline had already handed the attempt in, with what was saved by then.
    _submit_locked(locked, now=now, auto=auto or policy.past_deadline(locked.deadline, now))
    return locked


def attempt_score(attempt: Attempt) -> Decimal:
    return _attempt_totals(attempt)[0]


def _attempt_totals(attempt: Attempt) -> tuple[Decimal, dt.datetime | None]:
    """The points earned so far and when the last answer was saved, in one query."""
    totals = Response.objects.filter(attempt=attempt).aggregate(
        earned=Sum("earned"), last_saved=Max("saved_at")
    )
    return totals["earned"] or Decimal(0), totals["last_saved"]


def _apply_grade(response: Response, result: grading.Grade) -> None:
    response.earned = None if result.needs_teacher else result.earned
    response.possible = result.possible
    response.correct = result.correct
    response.parts = {part: str(value) for part, value in result.parts.items()}
    response.needs_teacher = result.needs_teacher


def _score_nothing(response: Response, *, possible: Decimal) -> None:
    response.earned, response.possible, response.correct, response.parts = Decimal(0), possible, False, {}
    response.needs_teacher = False


def _rescore_response(
    response: Response,
    question: QuestionContent | None,
    sentence_ids: list[str],
    terms: grading.LessonTerms,
) -> None:
    """Score a saved answer again against a corrected revision's `question`, in memory.

    An answer to a question the revision no longer has counts for nothing (0 of 0); one that no longer fits
    its question (an option taken out, the kind changed) scores 0; evidence is scored only where the
    question still asks for it. An open answer keeps the teacher's grade, summed again from the points per
    criterion (each within the criterion's points) when every criterion of the rubric was graded; otherwise
    it goes back to the grading queue.
    """
    if question is None:
        _score_nothing(response, possible=Decimal(0))
        return
    points = Decimal(question["points"] + question["evidence_part"])
    response.kind, response.focus = question["kind"], question["focus"]
    if get_kind(question["kind"]).shape.teacher_graded and isinstance(response.answer, str):
        rubric = question["answer"]["rubric"]
        given = response.criterion_scores or {}
        graded = response.graded_at is not None and all(c["id"] in given for c in rubric)
        response.possible, response.needs_teacher = points, True
        response.earned = (
            Decimal(sum(min(int(given[c["id"]]), c["points"]) for c in rubric)) if graded else None
        )
        return
    evidence = response.evidence if question["evidence_part"] else None
    try:
        result = grading.grade(
            question, response.answer, evidence=evidence, sentence_ids=sentence_ids, terms=terms
        )
    except grading.MalformedAnswer:
        _score_nothing(response, possible=points)
        return
    _apply_grade(response, result)


RESCORED_FIELDS = ["kind", "focus", "earned", "possible", "correct", "parts", "needs_teacher"]


def rescore_attempt(attempt: Attempt, responses: Iterable[Response], revision: Revision) -> list[Response]:
    """Score the attempt's saved answers against `revision`, in memory: the caller saves the responses
    (RESCORED_FIELDS) and the attempt. A submitted attempt keeps the revision it was taken on and is graded
    with this one (`graded_revision`), its total the sum of the new scores; an attempt still open moves on to
    this revision, so what it shows and scores from now on is the corrected lesson."""
    questions = revision_questions(revision)
    sentence_ids = revision_sentence_ids(revision)
    terms = revision_terms(revision)
    rescored = list(responses)
    for response in rescored:
        _rescore_response(response, questions.get(response.question_key), sentence_ids, terms)
    attempt.possible = all_points(revision)
    if attempt.state == AttemptState.SUBMITTED:
        attempt.graded_revision = revision
        attempt.earned = sum((r.earned for r in rescored if r.earned is not None), Decimal(0))
    else:
        attempt.revision, attempt.graded_revision = revision, None
    return rescored


def _totals_and_current_revision(
    attempt: Attempt,
) -> tuple[Decimal, dt.datetime | None, int | None, bool]:
    """The points earned so far, when the last answer was saved, the revision the attempt's assignment is
    on now (None for self-study) and whether an LMS keeps its grades (LTI), in one statement. Read under
    the attempt's lock, in a statement of its own (so from a fresh snapshot): a regrade that committed
    meanwhile moved the assignment (and its open attempts) to a corrected revision; an attempt started
    from a stale page may still be behind."""
    earned, last_saved, current, in_lms = _TOTALS.tuples(attempt.pk)[0]
    return Decimal(earned or 0), last_saved, current, bool(in_lms)


def _totals_query(attempt_id: int) -> QuerySet[Attempt, Any]:
    answers = Response.objects.filter(attempt=OuterRef("pk")).order_by().values("attempt")
    return Attempt.objects.filter(pk=attempt_id).values_list(
        Subquery(answers.annotate(total=Sum("earned")).values("total")),
        Subquery(answers.annotate(last=Max("saved_at")).values("last")),
        "assignment__revision_id",
        graded_in_an_lms(),
    )[:1]


_TOTALS: CompiledQuery[Attempt] = CompiledQuery(_totals_query, 1)


def _submit_locked(locked: Attempt, *, now: dt.datetime, auto: bool) -> None:
    """Score and close the locked attempt: one statement for its totals (and its assignment's revision),
    one to write it, whatever the size of the lesson; a regrade that moved the assignment meanwhile costs
    the rescoring of its answers (one read, one bulk update)."""
    assignment = locked.assignment
    fields = ["earned", "state", "submitted_at", "auto_submitted", "is_late"]
    earned, last_saved, current, in_lms = _totals_and_current_revision(locked)
    if assignment is not None and current is not None and current != locked.revision_id:
        revision = Revision.objects.get(pk=current)
        responses = rescore_attempt(locked, Response.objects.filter(attempt=locked), revision)
        Response.objects.bulk_update(responses, RESCORED_FIELDS)
        fields += ["possible", "revision", "graded_revision"]
        earned, last_saved = _attempt_totals(locked)
    locked.earned = earned
    locked.state = AttemptState.SUBMITTED
    locked.submitted_at = now
    locked.auto_submitted = auto
    # A student's own submit after the due date is late; a submit at the deadline is late only if work was
    # saved after the due date.
    handed_in = last_saved if auto else now
    if assignment is not None and policy.handed_in_late(assignment, handed_in):
        # Late by the class's due date: the student's own extension (read only then) may say otherwise.
        terms = policy.student_terms(
            assignment, extended_due_at=extended_due_at(assignment.pk, locked.learner_id)
        )
        if policy.handed_in_late(assignment, handed_in, terms):
            locked.is_late = True
    locked.save(update_fields=fields)
    if in_lms:
        # The LMS that launched the assignment gets the score (after the commit; see lti_scores).
        scores_changed([locked.pk], now=now)


@dataclass(frozen=True)
class ReviewOutcome:
    item: ReviewItem
    grade: grading.Grade
    answer: Any
    evidence: list[str] | None


@transaction.atomic
def review_answer(
    *, learner: User, item: ReviewItem, answer: Any, evidence: Any = None, now: dt.datetime | None = None
) -> ReviewOutcome:
    """Answer a review item: score it against the revision it came from and reschedule it (FSRS).

    Locks the review item row; an item not due (answered already: a second click, a reloaded form) raises
    AnswerLocked, so one review reschedules it once. An item of another learner raises NotAllowed (404).
    """
    now = now or timezone.now()
    locked = (
        locks.review_items_for_update()
        .select_related("revision")
        .filter(pk=item.pk, learner_id=learner.pk)
        .first()
    )
    if locked is None:
        raise NotAllowed(_("This question is not in your review queue."))
    if locked.due > now:
        raise AnswerLocked(
            _("This question is not due for review yet; it comes back on %(date)s.")
            % {"date": date_format(timezone.localtime(locked.due), "DATETIME_FORMAT")}
        )
    held = self_study_holds(locked.learner, now=now, lesson_id=locked.lesson_id).get(locked.lesson_id)
    if held is not None:
        raise HeldForAssignment(
            _("This lesson is assigned to you in %(classroom)s: work on it there.")
            % {"classroom": held.classroom.name}
        )
    question = revision_questions(locked.revision)[locked.question_key]
    sentence_ids = revision_sentence_ids(locked.revision)
    clean_answer, clean_evidence = _check_answer(question, answer, evidence, sentence_ids)
    result = grading.grade(
        question,
        clean_answer,
        evidence=clean_evidence,
        sentence_ids=sentence_ids,
        terms=revision_terms(locked.revision),
    )
    outcome = review_result_of(result)
    card, _log = SCHEDULER.review_card(Card.from_dict(locked.card), RATINGS[outcome], review_datetime=now)
    locked.card = card.to_dict()
    locked.due = card.due
    locked.reviews += 1
    locked.last_reviewed_at = now
    locked.last_correct = outcome == ReviewResult.RIGHT
    locked.last_result = outcome
    locked.save(update_fields=["card", "due", "reviews", "last_reviewed_at", "last_correct", "last_result"])
    return ReviewOutcome(item=locked, grade=result, answer=clean_answer, evidence=clean_evidence)
