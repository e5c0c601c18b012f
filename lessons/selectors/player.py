"""The lesson player's reads: a revision and a learner's answers turned into page content.

Every function here works on rows already fetched (the revision's content holds the whole lesson), so a page
costs the same few queries whatever the number of questions: one for the lesson and its revision, one for
the attempt, one for the attempt's responses. Key material reaches a page only through `feedback_for`, and
only for a question the learner has answered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lessons import policy
from lessons.content_types import OptionContent, QuestionContent, StudentQuestionContent
from lessons.kinds import get_kind
from lessons.kinds.forms import SentenceRef
from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Focus,
    Response,
    ReviewItem,
    Revision,
)
from lessons.selectors.compiled import CompiledQuery

from .feedback import Feedback, feedback_for
from .lessons import StudentLessonView, student_view_of
from .reading_aids import ReadingAids, RevealedAids, aid_choices, aids_revealed_by_answer, reading_aids


def points_text(value: Decimal) -> str:
    """Points as a person writes them, in the active language: 1, 1.5, 0.67 (never 1.00)."""
    return number_format(value.normalize())


def article_sentences(revision: Revision) -> list[SentenceRef]:
    return [
        SentenceRef(sentence["id"], sentence["text"], number)
        for number, paragraph in enumerate(revision.document["article"]["paragraphs"], start=1)
        for sentence in paragraph
    ]


# ----------------------------------------------------------------------------------------------------
# Questions as the player shows them


@dataclass(frozen=True)
class Result:
    """How an answer did, for people: never by colour alone."""

    verdict: str  # "right" | "partly" | "wrong" | "teacher"
    earned: str  # points, as text ("" for an open response)
    possible: str
    possible_count: int  # for the plural of "point"

    @property
    def label(self) -> str:
        return {
            "right": _("Right"),
            "partly": _("Partly right"),
            "wrong": _("Not right"),
            "teacher": _("Not scored automatically"),
        }[self.verdict]

    @property
    def icon(self) -> str:
        return {"right": "✓", "partly": "◐", "wrong": "✗", "teacher": "✎"}[self.verdict]


def result_of(*, correct: bool, earned: Decimal | None, possible: Decimal, needs_teacher: bool) -> Result:
    if needs_teacher or earned is None:
        verdict = "teacher"
    elif correct:
        verdict = "right"
    elif earned > 0:
        verdict = "partly"
    else:
        verdict = "wrong"
    earned_text = points_text(earned) if earned is not None else ""
    return Result(verdict, earned_text, points_text(possible), int(possible))


@dataclass(frozen=True)
class Answered:
    """An answered question: what the learner gave, how it did, and the feedback (key material)."""

    result: Result
    feedback: Feedback
    your_answer: list[str]
    your_evidence: list[SentenceRef] | None  # the second part's picks; None when it has none
    evidence_earned: str  # points of the second part, as text ("" when the question has none)
    evidence_possible: str
    evidence_possible_count: int
    evidence_sentences: list[SentenceRef]  # the sentences the teacher marked as evidence
    answer_template: str = "lessons/kinds/answer_lines.html"  # how the kind shows `your_answer`


@dataclass(frozen=True)
class QuestionSlot:
    number: int
    question: StudentQuestionContent  # no key material
    answered: Answered | None = None

    @property
    def key(self) -> str:
        return str(self.question["id"])


def answered(
    question: QuestionContent,
    *,
    answer: Any,
    evidence: list[str] | None,
    earned: Decimal | None,
    possible: Decimal,
    correct: bool,
    needs_teacher: bool,
    parts: Mapping[str, Any],
    sentences: list[SentenceRef],
) -> Answered:
    """The feedback for one answered question. `question` is the full question, key included."""
    sentence_text = {sentence.id: sentence.text for sentence in sentences}
    by_id = {sentence.id: sentence for sentence in sentences}
    evidence_points = Decimal(question.get("evidence_part") or 0)
    evidence_fraction = Decimal(str(parts.get("evidence", 0)))
    feedback = feedback_for(
        question,
        answer=answer,
        earned=earned,
        possible=possible,
        correct=correct,
        needs_teacher=needs_teacher,
        sentence_text=sentence_text,
    )
    kind = get_kind(question["kind"])
    return Answered(
        result=result_of(correct=correct, earned=earned, possible=possible, needs_teacher=needs_teacher),
        feedback=feedback,
        your_answer=kind.answer_lines(question, answer, sentence_text),
        your_evidence=[by_id[s] for s in evidence if s in by_id]
        if evidence_points and evidence is not None
        else None,
        evidence_earned=points_text(evidence_points * evidence_fraction) if evidence_points else "",
        evidence_possible=points_text(evidence_points) if evidence_points else "",
        evidence_possible_count=int(evidence_points),
        evidence_sentences=[by_id[s] for s in feedback.evidence if s in by_id],
        answer_template=kind.answer_template,
    )


def answered_from_response(
    question: QuestionContent, response: Response, sentences: list[SentenceRef]
) -> Answered:
    return answered(
        question,
        answer=response.answer,
        evidence=response.evidence,
        earned=response.earned,
        possible=response.possible,
        correct=response.correct,
        needs_teacher=response.needs_teacher,
        parts=response.parts,
        sentences=sentences,
    )


def question_slots(
    revision: Revision,
    view: StudentLessonView,
    responses: Mapping[str, Response],
    sentences: list[SentenceRef],
    *,
    keys: Collection[str] | None = None,
) -> list[QuestionSlot]:
    """The revision's questions (those of `keys` only, when given), numbered, answered ones with feedback."""
    return [
        QuestionSlot(
            number,
            student_question,
            answered_from_response(question, responses[question["id"]], sentences)
            if question["id"] in responses
            else None,
        )
        for number, (question, student_question) in enumerate(
            zip(revision.document["questions"], view.questions, strict=True), start=1
        )
        if keys is None or question["id"] in keys
    ]


def question_slot(
    revision: Revision,
    question_key: str,
    response: Response | None,
    sentences: list[SentenceRef],
    *,
    attempt: Attempt,
) -> QuestionSlot | None:
    """One question of the revision as the player shows it in `attempt`; None when the revision has no
    such question."""
    responses = {question_key: response} if response is not None else {}
    view = student_view_of(revision, policy.presentation_seed(attempt))
    slots = question_slots(revision, view, responses, sentences, keys={question_key})
    return slots[0] if slots else None


def shuffled_slots(
    slots: list[QuestionSlot], *, seed: str, questions: bool, options: bool
) -> list[QuestionSlot]:
    """The slots in an order fixed by `seed` (an assignment and a student), renumbered from 1 as shown; with
    `options`, each question's choices shuffled as well, by the seed and the question's id.

    The same seed gives the same order on any device and after any reload. Answers name ids, not positions,
    so grading is unaffected. Shuffles copies: the slots given are left as they were.
    """
    ordered = list(slots)
    if questions:
        # Not a secret: a stable, reproducible order. random.Random seeded with a str is the same everywhere.
        random.Random(f"{seed}:questions").shuffle(ordered)  # noqa: S311
    shuffled = []
    for number, slot in enumerate(ordered, start=1):
        question = slot.question
        # The list of the kind whose order a student sees and may be shuffled (choices, or items to order).
        field = get_kind(question["kind"]).shape.shuffled if options else None
        entries: list[OptionContent] = question[field] if field else []  # type: ignore[literal-required]
        if field and len(entries) > 1:
            choices = list(entries)
            random.Random(f"{seed}:{question['id']}").shuffle(choices)  # noqa: S311
            question = cast(StudentQuestionContent, {**question, field: choices})
        shuffled.append(replace(slot, number=number, question=question))
    return shuffled


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int


@dataclass(frozen=True)
class AfterAnswer:
    """What an answer changes on a self-study page besides its question: the count, the reading aids."""

    progress: Progress
    aids_revealed: RevealedAids


def after_answer(revision: Revision, attempt: Attempt, question_key: str) -> AfterAnswer:
    """The page's count and the reading aids the answer to `question_key` unlocks (the lesson's choice of
    aids: self-study has no assignment). One query: the questions the attempt has answered."""
    answered = set(Response.objects.filter(attempt=attempt).values_list("question_key", flat=True))
    document = revision.document
    return AfterAnswer(
        progress=Progress(len(answered), len(document["questions"])),
        aids_revealed=aids_revealed_by_answer(
            document, aid_choices(document), answered=answered, question_key=question_key
        ),
    )


@dataclass(frozen=True)
class PlayerPage:
    revision: Revision
    attempt: Attempt
    view: StudentLessonView
    sentences: list[SentenceRef]
    slots: list[QuestionSlot]
    assignment: Assignment | None = None  # whose choice of reading aids overrides the lesson's

    @property
    def feedback_shown(self) -> set[str]:
        """The questions whose feedback (and so key) this page shows."""
        return {slot.key for slot in self.slots if slot.answered is not None}

    @cached_property
    def aids(self) -> ReadingAids:
        """The reading aids as this student may see them now (`lessons.selectors.reading_aids`)."""
        return self._aids(self.feedback_shown)

    def aids_revealed_by(self, question_key: str) -> RevealedAids:
        """The aids that the feedback of `question_key` brought onto this page."""
        return self.aids.revealed_since(self._aids(self.feedback_shown - {question_key}))

    def _aids(self, answered: set[str]) -> ReadingAids:
        document = self.revision.document
        return reading_aids(
            document,
            aid_choices(document, self.assignment),
            answered=answered,
            finished=not self.attempt.is_open,
        )

    @property
    def progress(self) -> Progress:
        return Progress(sum(1 for slot in self.slots if slot.answered is not None), len(self.slots))

    @property
    def slots_by_key(self) -> dict[str, QuestionSlot]:
        return {slot.key: slot for slot in self.slots}

    @property
    def open_for_answers(self) -> bool:
        return accepts_answers(self.attempt)

    def evidence_shown(self, question_key: str) -> EvidenceShown | None:
        """The article's sentences to mark as the evidence of an answered question; None for a question
        not answered (its evidence is key material) or unknown."""
        slot = self.slots_by_key.get(question_key)
        if slot is None or slot.answered is None:
            return None
        return EvidenceShown(slot.number, frozenset(s.id for s in slot.answered.evidence_sentences))


@dataclass(frozen=True)
class EvidenceShown:
    """The evidence of one answered question, marked in the article without JavaScript."""

    number: int  # the question's number as shown, for the mark's label
    sentences: frozenset[str]


def accepts_answers(attempt: Attempt) -> bool:
    """Whether the page shows the attempt's questions as forms: only while it is open (not submitted)."""
    return attempt.is_open


_RESPONSES_OF = CompiledQuery(lambda attempt_id: Response.objects.filter(attempt_id=attempt_id), 1)


def responses_of(attempt: Attempt, keys: Collection[str] | None = None) -> dict[str, Response]:
    """The attempt's responses (to the questions of `keys`, when given) by question: one query (all of
    them compiled once per process: every take page asks it)."""
    if keys is None:
        return {response.question_key: response for response in _RESPONSES_OF.rows(attempt.pk)}
    responses = Response.objects.filter(attempt=attempt, question_key__in=list(keys))
    return {response.question_key: response for response in responses}


def player_page(revision: Revision, attempt: Attempt) -> PlayerPage:
    """The player page of `attempt` on `revision` (`revision.lesson` already fetched): one query."""
    view = student_view_of(revision, policy.presentation_seed(attempt))
    sentences = article_sentences(revision)
    return PlayerPage(
        revision=revision,
        attempt=attempt,
        view=view,
        sentences=sentences,
        slots=question_slots(revision, view, responses_of(attempt), sentences),
    )


def attempt_for_learner(
    user: AbstractBaseUser | AnonymousUser, *, attempt_id: int, lesson_id: int | None = None
) -> Attempt | None:
    """The learner's own attempt with its revision and lesson (one query); None for anyone else's."""
    if not user.is_authenticated:
        return None
    # An assignment's attempt belongs to its class pages, where the release policy rules (DESIGN.md rule 1).
    attempts = Attempt.objects.select_related("revision", "lesson").filter(
        pk=attempt_id, learner_id=user.pk, assignment__isnull=True
    )
    if lesson_id is not None:
        attempts = attempts.filter(lesson_id=lesson_id)
    attempt = attempts.first()
    if attempt is not None:
        attempt.revision.lesson = attempt.lesson
    return attempt


def open_attempt_of(user: AbstractBaseUser, *, lesson_id: int) -> Attempt | None:
    """The learner's newest attempt in progress on a lesson, whichever revision (one query)."""
    return (
        Attempt.objects.filter(
            learner_id=user.pk, lesson_id=lesson_id, state=AttemptState.OPEN, assignment__isnull=True
        )
        .order_by("-started_at", "-pk")
        .first()
    )


# ----------------------------------------------------------------------------------------------------
# The summary of an attempt


@dataclass(frozen=True)
class FocusScore:
    focus: str
    label: str
    earned: Decimal
    possible: Decimal
    questions: int
    answered: int
    not_counted: int  # open responses, which a machine never scores

    @property
    def earned_text(self) -> str:
        return points_text(self.earned)

    @property
    def possible_text(self) -> str:
        return points_text(self.possible)


@dataclass(frozen=True)
class SummaryLine:
    number: int
    question: StudentQuestionContent
    result: Result | None  # None: not answered
    counted: bool  # False for open responses


@dataclass(frozen=True)
class AttemptSummary:
    attempt: Attempt
    earned: Decimal
    possible: Decimal
    by_focus: list[FocusScore]
    lines: list[SummaryLine]

    @property
    def earned_text(self) -> str:
        return points_text(self.earned)

    @property
    def possible_text(self) -> str:
        return points_text(self.possible)

    @property
    def possible_count(self) -> int:
        return int(self.possible)

    @property
    def not_counted(self) -> int:
        return sum(1 for line in self.lines if not line.counted)


def attempt_summary(attempt: Attempt) -> AttemptSummary:
    """Total and per-focus scores of an attempt, from its responses (one query) and its revision.

    What a focus can earn counts every question of that focus a machine scores, answered or not (points plus
    any evidence part); open responses are listed but never counted.
    """
    revision = attempt.revision
    responses = responses_of(attempt)
    view = student_view_of(revision)
    sums: dict[str, dict[str, Decimal]] = {}
    counts: dict[str, list[int]] = {}
    lines: list[SummaryLine] = []
    for number, (question, student_question) in enumerate(
        zip(revision.document["questions"], view.questions, strict=True), start=1
    ):
        focus = question["focus"]
        counted = not get_kind(question["kind"]).shape.teacher_graded
        response = responses.get(question["id"])
        total = sums.setdefault(focus, {"earned": Decimal(0), "possible": Decimal(0)})
        tally = counts.setdefault(focus, [0, 0, 0])  # questions, answered, not counted
        tally[0] += 1
        tally[1] += response is not None
        tally[2] += not counted
        if counted:
            total["possible"] += Decimal(question["points"] + question["evidence_part"])
            if response is not None and response.earned is not None:
                total["earned"] += response.earned
        result = (
            result_of(
                correct=response.correct,
                earned=response.earned,
                possible=response.possible,
                needs_teacher=response.needs_teacher,
            )
            if response is not None
            else None
        )
        lines.append(SummaryLine(number, student_question, result, counted))
    labels = dict(Focus.choices)
    by_focus = [
        FocusScore(
            focus,
            str(labels[focus]),
            sums[focus]["earned"],
            sums[focus]["possible"],
            *counts[focus],
        )
        for focus in Focus.values
        if focus in sums
    ]
    return AttemptSummary(
        attempt=attempt,
        earned=sum((score.earned for score in by_focus), Decimal(0)),
        possible=sum((score.possible for score in by_focus), Decimal(0)),
        by_focus=by_focus,
        lines=lines,
    )


# ----------------------------------------------------------------------------------------------------
# The review queue


def due_review_items(user: AbstractBaseUser, *, now: dt.datetime) -> QuerySet[ReviewItem]:
    """The learner's review items due at `now` (server time), oldest first, with revision and lesson."""
    return (
        ReviewItem.objects.filter(learner_id=user.pk, due__lte=now)
        .select_related("revision", "lesson")
        .order_by("due", "pk")
    )


def review_item_for(user: AbstractBaseUser | AnonymousUser, *, item_id: int) -> ReviewItem | None:
    """The learner's own review item with its revision and lesson (one query); None for anyone else's."""
    if not user.is_authenticated:
        return None
    return (
        ReviewItem.objects.select_related("revision", "lesson").filter(pk=item_id, learner_id=user.pk).first()
    )


def review_slot(item: ReviewItem, answered_question: Answered | None = None) -> QuestionSlot:
    """A review item's question as a student sees it (from the revision it was last answered on)."""
    view = student_view_of(item.revision)
    number = next(index for index, q in enumerate(view.questions, start=1) if q["id"] == item.question_key)
    return QuestionSlot(number, view.questions[number - 1], answered_question)
