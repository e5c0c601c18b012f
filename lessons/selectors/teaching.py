"""Reads for a teacher's pages of one class or assignment: the class page, an assignment's results, its
grading queue, the answer being graded and the review of one attempt.

Each returns typed page data, or None where the teacher cannot reach the thing (the view's 404). The
teacher check is folded into the query that finds the class, assignment, attempt or answer, so a page costs
the same few queries whatever the size of the class.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lessons import policy
from lessons.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    Extension,
    Regrade,
    RegradeChange,
    Response,
    Revision,
)
from lessons.selectors.classroom import CellStatus, GradebookCell, gradebook, grading_queue
from lessons.selectors.feedback import right_answer_lines
from lessons.selectors.player import Answered, answered_from_response, article_sentences

STATUS_ORDER = (
    CellStatus.NOT_STARTED,
    CellStatus.IN_PROGRESS,
    CellStatus.SUBMITTED,
    CellStatus.LATE,
    CellStatus.NEEDS_GRADING,
)


# ----------------------------------------------------------------------------------------------------
# The class page


@dataclass(frozen=True)
class ClassroomPage:
    classroom: Classroom
    roster: Sequence[Enrollment]  # each with `extension_count`, and its `time_multiplier`
    teachers: list[User]
    assignments: list[Assignment]


def classroom_page(classroom: Classroom) -> ClassroomPage:
    """The class with its roster (by name), teachers and assignments (by due date): three queries."""
    # Each student's count of extensions comes in the roster's own query (a subquery), with their extra time.
    extensions = (
        Extension.objects.filter(student_id=OuterRef("student_id"), assignment__classroom_id=classroom.pk)
        .order_by()
        .values("student_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    roster = list(
        Enrollment.objects.filter(classroom=classroom)
        .select_related("student")
        .annotate(extension_count=Coalesce(Subquery(extensions), 0))
        .order_by("student__last_name", "student__first_name", "student__username")
    )
    return ClassroomPage(
        classroom=classroom,
        roster=roster,
        teachers=list(classroom.teachers.order_by("username")),
        assignments=list(classroom.assignments.select_related("lesson").order_by("due_at", "pk")),
    )


def class_assignments(classroom: Classroom) -> QuerySet[Assignment]:
    """The class's assignments with their lesson and revision, by due date."""
    return classroom.assignments.select_related("lesson", "revision").order_by("due_at", "pk")


# ----------------------------------------------------------------------------------------------------
# One assignment's results


@dataclass(frozen=True)
class StudentResult:
    student: User
    cell: GradebookCell


@dataclass(frozen=True)
class AssignmentResults:
    assignment: Assignment
    rows: list[StudentResult]
    status_counts: list[tuple[str, str, int]]  # status, its label, how many students
    pending_count: int
    regrades: list[Regrade]
    published_number: int | None  # the lesson's published revision, which a regrade would move to
    released_by_hand: bool


def assignment_results(assignment: Assignment) -> AssignmentResults:
    """Each student's cell for the assignment, the counts by status, and the regrades with their changes."""
    book = gradebook(assignment.classroom)
    rows = [StudentResult(student, book.cell(student.pk, assignment.pk)) for student in book.students]
    counts = Counter(row.cell.status for row in rows)
    status_counts = [
        (value, GradebookCell(status=value).status_label, counts[value]) for value in STATUS_ORDER
    ]
    regrades = list(
        Regrade.objects.filter(assignment=assignment)
        .select_related("by", "revision")
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=RegradeChange.objects.select_related("attempt__learner").order_by(
                    "attempt__learner__last_name", "attempt__learner__username", "attempt__number"
                ),
            )
        )
        .order_by("-at", "-pk")
    )
    published_id = assignment.lesson.published_revision_id
    published_number = (
        Revision.objects.filter(pk=published_id).values_list("number", flat=True).first()
        if published_id is not None
        else None
    )
    return AssignmentResults(
        assignment=assignment,
        rows=rows,
        status_counts=status_counts,
        pending_count=counts[CellStatus.NEEDS_GRADING],
        regrades=regrades,
        published_number=published_number,
        released_by_hand=policy.released_by_hand(assignment),
    )


def scores_changed_by(regrade: Regrade) -> int:
    """How many submitted attempts' scores the regrade changed."""
    return regrade.changes.count()


# ----------------------------------------------------------------------------------------------------
# Grading open answers


@dataclass(frozen=True)
class GradingQueue:
    assignment: Assignment
    responses: list[Response]
    # By revision id: each question of the revisions the responses were graded with, numbered from 1.
    questions: dict[int, dict[str, tuple[int, dict[str, Any]]]]

    @staticmethod
    def waiting_for_grade(response: Response) -> bool:
        """Not graded yet: an open answer has no score until a teacher gives one."""
        return response.earned is None

    def question_of(self, response: Response) -> tuple[int, dict[str, Any]]:
        attempt = response.attempt
        return self.questions[attempt.graded_revision_id or attempt.revision_id][response.question_key]


def grading_queue_page(assignment: Assignment, responses: Iterable[Response] | None = None) -> GradingQueue:
    """The open answers waiting for a grade (and those graded), with the numbered questions of every
    revision they were graded with: at most one query for those (none when they are all on the
    assignment's revision, the usual case). `responses`: a part of `grading_queue(assignment)` (a page of
    it, filtered), instead of all of it."""
    responses = list(grading_queue(assignment) if responses is None else responses)
    revisions: dict[int, Revision] = {assignment.revision_id: assignment.revision}
    wanted = {r.attempt.graded_revision_id or r.attempt.revision_id for r in responses} - revisions.keys()
    if wanted:
        revisions.update(Revision.objects.in_bulk(list(wanted)))
    questions = {
        pk: {q["id"]: (n, q) for n, q in enumerate(revision.content["questions"], start=1)}
        for pk, revision in revisions.items()
    }
    return GradingQueue(assignment=assignment, responses=responses, questions=questions)


@dataclass(frozen=True)
class ResponseToGrade:
    response: Response
    assignment: Assignment


def response_to_grade(user: User, response_id: int) -> ResponseToGrade | None:
    """An open answer (one a teacher grades) in a class the user teaches, with its assignment; None for
    anything else. Whether it may be graded now (its attempt submitted) is the service's to decide."""
    response = (
        Response.objects.select_related(
            "attempt__assignment__classroom", "attempt__assignment__lesson", "attempt__assignment__revision"
        )
        .filter(pk=response_id, needs_teacher=True, attempt__assignment__classroom__teachers=user)
        .first()
    )
    if response is None or response.attempt.assignment is None:
        return None
    return ResponseToGrade(response=response, assignment=response.attempt.assignment)


# ----------------------------------------------------------------------------------------------------
# One attempt, as the teacher reviews it


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    question: dict[str, Any]
    response: Response | None
    answered: Answered | None
    right_answer: list[str]
    rubric: list[tuple[str, int, int | None]]  # criterion, points, points given


@dataclass(frozen=True)
class AttemptReview:
    attempt: Attempt
    assignment: Assignment
    classroom: Classroom
    revision: Revision
    questions: list[ReviewedQuestion]


def attempt_review(user: User, attempt_id: int) -> AttemptReview | None:
    """Every question of an attempt at an assignment of a class the user teaches: the student's answer,
    its score, the key and the explanation, against the revision it was graded with. None otherwise."""
    attempt = (
        Attempt.objects.select_related(
            "learner", "assignment__classroom", "assignment__lesson", "revision", "graded_revision"
        )
        .filter(pk=attempt_id, assignment__classroom__teachers=user)
        .first()
    )
    if attempt is None or attempt.assignment is None:
        return None
    revision = attempt.graded_revision or attempt.revision
    responses = {
        response.question_key: response
        for response in Response.objects.filter(attempt=attempt).select_related("graded_by")
    }
    sentences = article_sentences(revision)
    sentence_text = {sentence.id: sentence.text for sentence in sentences}
    reviewed = []
    for number, question in enumerate(revision.content["questions"], start=1):
        response = responses.get(question["id"])
        key = question["answer"]
        scores = response.criterion_scores if response is not None else {}
        reviewed.append(
            ReviewedQuestion(
                number=number,
                question=question,
                response=response,
                answered=answered_from_response(question, response, sentences)
                if response is not None
                else None,
                right_answer=right_answer_lines(question, sentence_text),
                rubric=[(c["criterion"], c["points"], scores.get(c["id"])) for c in key["rubric"]],
            )
        )
    return AttemptReview(
        attempt=attempt,
        assignment=attempt.assignment,
        classroom=attempt.assignment.classroom,
        revision=revision,
        questions=reviewed,
    )
