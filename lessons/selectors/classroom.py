"""Reads for classes: a teacher's classes, the gradebook, item analysis and a student's report.

Every function makes a fixed number of queries whatever the number of students, questions or attempts;
statistics are computed by the database (aggregates and window functions), not by looping over responses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Floor, Least
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lessons.kinds import get_kind
from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    Enrollment,
    Extension,
    Focus,
    LtiContext,
    Response,
)
from lessons.selectors.accommodations import (
    attach_student_terms,
    class_accommodations,
    with_extension_flag,
    with_student_terms,
)
from lessons.selectors.compiled import CompiledQuery
from lessons.selectors.revisions import with_kept_content


def teacher_classrooms(user: User, *, archived: bool = False) -> QuerySet[Classroom]:
    return (
        Classroom.objects.filter(teachers=user, archived_at__isnull=not archived)
        .annotate(
            student_count=Count("enrollments", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
        .order_by("name")
    )


def classroom_for_teacher(user: User, classroom_id: int) -> Classroom | None:
    """The class if the user teaches it, else None (the view's 404: a class's existence does not leak).
    `from_lms`: the class stands for a course of an LMS (LTI), whose roster it can read."""
    if not user.is_authenticated:
        return None
    from_lms = Exists(LtiContext.objects.filter(classroom=OuterRef("pk")))
    return Classroom.objects.filter(pk=classroom_id, teachers=user).annotate(from_lms=from_lms).first()


def assignment_for_teacher(user: User, assignment_id: int) -> Assignment | None:
    """The assignment, with its class, lesson and revision, if the user teaches its class, else None."""
    return (
        Assignment.objects.select_related("classroom", "lesson", "revision")
        .filter(pk=assignment_id, classroom__teachers=user)
        .first()
    )


def _assignment_for_student(assignment_id: int, student_id: int) -> QuerySet[Assignment]:
    return with_student_terms(
        Assignment.objects.select_related("classroom", "lesson", "revision")
        .defer("revision__content")  # tens of kilobytes of JSON, which the process keeps
        .filter(
            pk=assignment_id,
            classroom__enrollments__student_id=student_id,
            classroom__archived_at__isnull=True,
        )
        .order_by("pk")[:1],
        student_id,
    )


_ASSIGNMENT_FOR_STUDENT = CompiledQuery(_assignment_for_student, 2)


def assignment_for_student(user: User, assignment_id: int) -> Assignment | None:
    """The assignment, with its class, lesson and revision and the student's own terms attached (their due
    date and time limit: `policy.terms_of`), if the user is in its class and the class is not archived,
    else None. One query (compiled once per process: every page of a student's assignment asks it)."""
    if not user.is_authenticated:
        return None
    found = _ASSIGNMENT_FOR_STUDENT.first(assignment_id, user.pk)
    if found is None:
        return None
    with_kept_content(found.revision)
    return attach_student_terms(found)


def student_assignments(user: User) -> list[Assignment]:
    """The assignments of the student's open classes, by due date, each with the student's own terms
    attached. One query."""
    found = with_student_terms(
        Assignment.objects.filter(classroom__enrollments__student=user, classroom__archived_at__isnull=True)
        .select_related("classroom", "lesson")
        .order_by("due_at"),
        user.pk,
    )
    return [attach_student_terms(assignment) for assignment in found]


class CellStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    LATE = "late"
    NEEDS_GRADING = "needs_grading"

    # Marked for makemessages here, translated where shown (GradebookCell.status_label).
    LABELS = {
        "not_started": gettext_noop("Not started"),
        "in_progress": gettext_noop("In progress"),
        "submitted": gettext_noop("Submitted"),
        "late": gettext_noop("Late"),
        "needs_grading": gettext_noop("Needs grading"),
    }


@dataclass
class GradebookCell:
    status: str = CellStatus.NOT_STARTED
    earned: Decimal | None = None
    possible: Decimal | None = None
    attempt_id: int | None = None
    attempts: int = 0
    extension: Extension | None = None  # the student's own due date or extra minutes for the assignment

    @property
    def percent(self) -> int | None:
        if self.earned is None or not self.possible:
            return None
        return round(self.earned * 100 / self.possible)

    @property
    def status_label(self) -> str:
        return _(CellStatus.LABELS[self.status])


@dataclass
class Gradebook:
    classroom: Classroom
    students: list[User]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], GradebookCell] = field(default_factory=dict)
    # Standing extra time (time limits multiplied), by student; only where it is not 1.
    time_multipliers: dict[int, Decimal] = field(default_factory=dict)

    def cell(self, student_id: int, assignment_id: int) -> GradebookCell:
        return self.cells.get((student_id, assignment_id)) or GradebookCell()

    def rows(self) -> list[tuple[User, list[GradebookCell]]]:
        return [(s, [self.cell(s.pk, a.pk) for a in self.assignments]) for s in self.students]


def _in_class(assignment: Assignment, *, learner: str = "learner_id") -> Exists:
    """Whether the attempt's learner is in the assignment's class: a student taken out of it no longer
    counts in its results, though their attempts are kept."""
    return Exists(
        Enrollment.objects.filter(classroom_id=assignment.classroom_id, student_id=OuterRef(learner))
    )


def _submitted_in_class(assignment: Assignment) -> QuerySet[Attempt]:
    return Attempt.objects.filter(_in_class(assignment), assignment=assignment, state=AttemptState.SUBMITTED)


def _pending_grading() -> Exists:
    return Exists(Response.objects.filter(attempt=OuterRef("pk"), needs_teacher=True, earned__isnull=True))


def gradebook(classroom: Classroom) -> Gradebook:
    """Students × assignments: the best submitted score of each, and a status; with each student's
    accommodations (standing extra time, extensions). Three queries, and a fourth for the extensions of a
    class that has some."""
    enrollments = list(
        Enrollment.objects.filter(classroom=classroom)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__username")
    )
    students = [enrollment.student for enrollment in enrollments]
    assignments = list(
        with_extension_flag(classroom.assignments.select_related("lesson")).order_by("due_at", "pk")
    )
    accommodations = class_accommodations(enrollments, assignments)
    book = Gradebook(
        classroom=classroom,
        students=students,
        assignments=assignments,
        time_multipliers=accommodations.multipliers,
    )
    for (student_id, assignment_id), extension in accommodations.extensions.items():
        book.cells.setdefault((student_id, assignment_id), GradebookCell()).extension = extension
    # Filtering by the assignments' ids (not by a join to the class) lets PostgreSQL estimate the rows well
    # and probe each attempt's responses by index, rather than scanning every pending response of the site.
    attempts = (
        Attempt.objects.filter(assignment__in=assignments)
        .annotate(pending=_pending_grading())
        .values("pk", "learner_id", "assignment_id", "state", "earned", "possible", "is_late", "pending")
        .order_by("pk")
    )
    for row in attempts:
        cell = book.cells.setdefault((row["learner_id"], row["assignment_id"]), GradebookCell())
        cell.attempts += 1
        if row["state"] == AttemptState.OPEN:
            if cell.status == CellStatus.NOT_STARTED:
                cell.status = CellStatus.IN_PROGRESS
            continue
        better = cell.earned is None or (row["earned"] is not None and row["earned"] > cell.earned)
        if better:
            cell.earned, cell.possible, cell.attempt_id = row["earned"], row["possible"], row["pk"]
        if row["pending"]:
            cell.status = CellStatus.NEEDS_GRADING
        elif cell.status != CellStatus.NEEDS_GRADING and (better or cell.status == CellStatus.IN_PROGRESS):
            cell.status = CellStatus.LATE if row["is_late"] else CellStatus.SUBMITTED
    return book


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (rule 5)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv_time(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i T")


def extension_text(extension: Extension) -> str:
    """An extension as a teacher reads it in the gradebook: "due 2025-03-07 09:00 UTC, +15 min"."""
    parts = []
    if extension.due_at is not None:
        parts.append(_("due %(due)s") % {"due": _csv_time(extension.due_at)})
    if extension.extra_minutes:
        parts.append(_("+%(minutes)s min") % {"minutes": extension.extra_minutes})
    return ", ".join(parts)


def gradebook_csv_rows(book: Gradebook) -> list[list[str]]:
    """The gradebook's rows for a spreadsheet. A column of extra time appears when a student of the class
    has some, and beside an assignment's status a column of extensions when one of its students has one."""
    with_extra_time = bool(book.time_multipliers)
    extended = {aid for (_sid, aid), cell in book.cells.items() if cell.extension is not None}
    header = [_("Username"), _("First name"), _("Last name")]
    if with_extra_time:
        header.append(_("Extra time (time limits ×)"))
    for assignment in book.assignments:
        header += [
            _("%(lesson)s (due %(due)s)")
            % {"lesson": assignment.lesson.title, "due": _csv_time(assignment.due_at)},
            _("Status: %(lesson)s") % {"lesson": assignment.lesson.title},
        ]
        if assignment.pk in extended:
            header.append(_("Extension: %(lesson)s") % {"lesson": assignment.lesson.title})
    rows = [[spreadsheet_safe(cell) for cell in header]]
    for student, cells in book.rows():
        row = [student.username, student.first_name, student.last_name]
        if with_extra_time:
            multiplier = book.time_multipliers.get(student.pk)
            row.append("" if multiplier is None else format(multiplier.normalize(), "f"))
        for assignment, cell in zip(book.assignments, cells, strict=True):
            row += ["" if cell.earned is None else f"{cell.earned}/{cell.possible}", cell.status_label]
            if assignment.pk in extended:
                row.append(extension_text(cell.extension) if cell.extension is not None else "")
        rows.append([spreadsheet_safe(cell) for cell in row])
    return rows


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class CsvExport:
    body: bytes
    filename: str


def gradebook_csv(classroom: Classroom) -> CsvExport:
    """The gradebook as a CSV file (the page's download and the API's, byte for byte): UTF-8 with a
    byte-order mark, so spreadsheets read the accents, every cell neutralised against formulas."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(gradebook_csv_rows(gradebook(classroom)))
    filename = f"gradebook-{slugify(classroom.name) or 'class'}-{timezone.localdate():%Y-%m-%d}.csv"
    return CsvExport(body=("\ufeff" + buffer.getvalue()).encode("utf-8"), filename=filename)


@dataclass(frozen=True)
class QuestionStats:
    key: str
    prompt: str
    kind: str
    focus: str
    responses: int
    difficulty: float | None
    discrimination: float | None
    median_seconds: float | None
    option_counts: list[tuple[str, int]]


@dataclass(frozen=True)
class ItemAnalysis:
    assignment: Assignment
    attempts: int
    questions: list[QuestionStats]
    focus_mastery: list[tuple[str, str, float | None]]
    histogram: list[tuple[str, int]]


# The statistics of every question in one query over the answers of the assignment's submitted attempts by
# students still in the class (those attempts are picked first, then their answers joined to them):
# responses, and over the scored ones (an open answer waiting for a grade is not) the sums for difficulty and
# for the point-biserial of the item score x against the rest of the attempt's score y, and the median time
# to answer (stored with each first answer: the gap since the attempt's previous answer or its start). Scores
# are cast to floating point once per row. On PostgreSQL, OFFSET 0 keeps each subquery from being folded
# into the aggregate above it, which would compute every CASE and cast once per aggregate using it (2.5×).
# The times are gathered into an array per question and the median taken from it afterwards: an ordered-set
# aggregate in the grouping itself would force a sort of every answer row by question first (a fifth slower).
STATISTICS_POSTGRESQL = """
    SELECT question_key, responses, n, earned, possible, sx, sy, sxx, syy, sxy,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) FROM unnest(gaps) AS gap) AS median_secs
    FROM (
        SELECT question_key,
               COUNT(*) AS responses, COUNT(x) AS n,
               SUM(CASE WHEN x IS NOT NULL THEN earned END) AS earned,
               SUM(CASE WHEN x IS NOT NULL THEN possible END) AS possible,
               SUM(x) AS sx, SUM(y) AS sy, SUM(x * x) AS sxx, SUM(y * y) AS syy, SUM(x * y) AS sxy,
               array_agg(gap) AS gaps
        FROM (
            SELECT question_key, earned, possible, gap,
                   CASE WHEN scored THEN earned / possible END AS x,
                   CASE WHEN scored THEN total - earned END AS y
            FROM (
                SELECT r.question_key AS question_key,
                       CAST(r.earned AS DOUBLE PRECISION) AS earned,
                       CAST(r.possible AS DOUBLE PRECISION) AS possible,
                       CAST(a.earned AS DOUBLE PRECISION) AS total,
                       r.earned IS NOT NULL AND r.possible > 0 AND a.earned IS NOT NULL AS scored,
                       r.seconds_to_answer AS gap
                FROM lessons_response r
                JOIN (
                    SELECT id, earned FROM lessons_attempt
                    WHERE assignment_id = %s AND state = %s AND learner_id IN (
                        SELECT student_id FROM lessons_enrollment WHERE classroom_id = %s
                    )
                    OFFSET 0
                ) a ON a.id = r.attempt_id
                OFFSET 0
            ) answers
            OFFSET 0
        ) items
        GROUP BY question_key
    ) per_question
"""
# SQLite has no percentile aggregate: the median is the middle row, or the mean of the two, by rank.
STATISTICS_SQLITE = """
    WITH items AS (
        SELECT question_key, earned, possible, gap,
               CASE WHEN scored THEN earned / possible END AS x,
               CASE WHEN scored THEN total - earned END AS y
        FROM (
            SELECT r.question_key AS question_key,
                   CAST(r.earned AS DOUBLE PRECISION) AS earned,
                   CAST(r.possible AS DOUBLE PRECISION) AS possible,
                   CAST(a.earned AS DOUBLE PRECISION) AS total,
                   r.earned IS NOT NULL AND r.possible > 0 AND a.earned IS NOT NULL AS scored,
                   r.seconds_to_answer AS gap
            FROM lessons_response r
            JOIN lessons_attempt a ON a.id = r.attempt_id
            WHERE a.assignment_id = %s AND a.state = %s AND a.learner_id IN (
                SELECT student_id FROM lessons_enrollment WHERE classroom_id = %s
            )
        ) answers
    ),
    ranked AS (
        SELECT question_key, gap,
               ROW_NUMBER() OVER (PARTITION BY question_key ORDER BY gap) AS rn,
               COUNT(*) OVER (PARTITION BY question_key) AS cnt
        FROM items
    ),
    medians AS (
        SELECT question_key, AVG(gap) AS median_secs
        FROM ranked
        WHERE rn = (cnt + 1) / 2 OR rn = (cnt + 2) / 2
        GROUP BY question_key
    ),
    sums AS (
        SELECT question_key,
               COUNT(*) AS responses, COUNT(x) AS n,
               SUM(CASE WHEN x IS NOT NULL THEN earned END) AS earned,
               SUM(CASE WHEN x IS NOT NULL THEN possible END) AS possible,
               SUM(x) AS sx, SUM(y) AS sy, SUM(x * x) AS sxx, SUM(y * y) AS syy, SUM(x * y) AS sxy
        FROM items
        GROUP BY question_key
    )
    SELECT sums.question_key, responses, n, earned, possible, sx, sy, sxx, syy, sxy, median_secs
    FROM sums
    JOIN medians ON medians.question_key = sums.question_key
"""


def _question_statistics(assignment: Assignment) -> dict[str, dict[str, Any]]:
    """One query: per question, counts and sums for difficulty and point-biserial, and the median time."""
    sql = STATISTICS_POSTGRESQL if connection.vendor == "postgresql" else STATISTICS_SQLITE
    with connection.cursor() as cursor:
        cursor.execute(sql, [assignment.pk, AttemptState.SUBMITTED, assignment.classroom_id])
        columns = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def point_biserial(row: dict[str, Any]) -> float | None:
    n = row.get("n") or 0
    if n < 2:
        return None
    sx, sy, sxx, syy, sxy = (float(row[k]) for k in ("sx", "sy", "sxx", "syy", "sxy"))
    denominator = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if denominator <= 1e-12:
        return None
    return (n * sxy - sx * sy) / math.sqrt(denominator)


HISTOGRAM_BUCKETS = 10


def item_analysis(assignment: Assignment) -> ItemAnalysis:
    """Per question: difficulty (share of points earned), discrimination (point-biserial of the item score
    against the rest of the score), option counts and median time; per focus: the class's mastery; and
    a histogram of scores. Three queries over the submitted attempts of the class's students."""
    questions = assignment.revision.document["questions"]
    stats = _question_statistics(assignment)
    choice_keys = [q["id"] for q in questions if get_kind(q["kind"]).shape.counts_picks]
    answer_counts = (
        Response.objects.filter(attempt__in=_submitted_in_class(assignment), question_key__in=choice_keys)
        .values("question_key", "answer")
        .annotate(count=Count("pk"))
        .order_by()
    )
    picks: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in answer_counts:
        chosen = row["answer"] if isinstance(row["answer"], list) else [row["answer"]]
        for option_id in chosen:
            picks[row["question_key"]][str(option_id)] += row["count"]

    bucket = Least(
        Cast(Floor(F("earned") * HISTOGRAM_BUCKETS / F("possible")), IntegerField()), HISTOGRAM_BUCKETS - 1
    )
    histogram_rows = (
        _submitted_in_class(assignment)
        .filter(possible__gt=0, earned__isnull=False)
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(count=Count("pk"))
        .order_by()
    )
    per_bucket = {row["bucket"]: row["count"] for row in histogram_rows}
    step = 100 // HISTOGRAM_BUCKETS
    histogram = [
        (f"{b * step}–{(b + 1) * step if b < HISTOGRAM_BUCKETS - 1 else 100}%", per_bucket.get(b, 0))
        for b in range(HISTOGRAM_BUCKETS)
    ]

    question_stats: list[QuestionStats] = []
    focus_earned: dict[str, float] = defaultdict(float)
    focus_possible: dict[str, float] = defaultdict(float)
    for question in questions:
        row = stats.get(question["id"], {})
        earned, possible = row.get("earned"), row.get("possible")
        if possible:
            focus_earned[question["focus"]] += float(earned or 0)
            focus_possible[question["focus"]] += float(possible)
        median = row.get("median_secs")
        question_stats.append(
            QuestionStats(
                key=question["id"],
                prompt=question["prompt"],
                kind=question["kind"],
                focus=question["focus"],
                responses=int(row.get("responses") or 0),
                difficulty=float(earned or 0) / float(possible) if possible else None,
                discrimination=point_biserial(row),
                median_seconds=float(median) if median is not None else None,
                option_counts=[
                    (o["text"], picks[question["id"]].get(o["id"], 0)) for o in question["options"]
                ]
                if question["id"] in choice_keys
                else [],
            )
        )
    focus_mastery = [
        (
            value,
            str(label),
            focus_earned[value] / focus_possible[value] if focus_possible.get(value) else None,
        )
        for value, label in Focus.choices
    ]
    return ItemAnalysis(
        assignment=assignment,
        attempts=sum(count for _label, count in histogram),
        questions=question_stats,
        focus_mastery=focus_mastery,
        histogram=histogram,
    )


@dataclass(frozen=True)
class OptionCount:
    text: str
    count: int
    is_key: bool


@dataclass(frozen=True)
class QuestionRow:
    number: int
    stats: QuestionStats
    options: list[OptionCount]


def item_analysis_rows(assignment: Assignment, analysis: ItemAnalysis) -> list[QuestionRow]:
    """The analysis's questions numbered from 1, each choice question's options counted with which are
    the key's (as its kind reads the key)."""
    questions = {question["id"]: question for question in assignment.revision.document["questions"]}
    rows = []
    for number, stats in enumerate(analysis.questions, start=1):
        question = questions[stats.key]
        keys = get_kind(question["kind"]).key_options(question) if stats.option_counts else set()
        rows.append(
            QuestionRow(
                number=number,
                stats=stats,
                options=[
                    OptionCount(text, count, option["id"] in keys)
                    for (text, count), option in zip(stats.option_counts, question["options"], strict=False)
                ],
            )
        )
    return rows


def student_of_class(classroom: Classroom, student_id: int) -> User | None:
    """The student, if they are in the class, else None."""
    enrollment = (
        Enrollment.objects.select_related("student")
        .filter(classroom=classroom, student_id=student_id)
        .first()
    )
    return enrollment.student if enrollment is not None else None


def student_report(
    classroom: Classroom, student_id: int
) -> tuple[User, list[tuple[Assignment, list[Attempt]]]] | None:
    """One student's attempts on every assignment of the class; None if they are not in it."""
    student = student_of_class(classroom, student_id)
    if student is None:
        return None
    assignments = list(classroom.assignments.select_related("lesson").order_by("due_at", "pk"))
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in (
        Attempt.objects.filter(assignment__classroom=classroom, learner_id=student_id)
        .annotate(pending=_pending_grading())
        .order_by("number")
    ):
        assert attempt.assignment_id is not None
        attempts[attempt.assignment_id].append(attempt)
    return student, [(assignment, attempts[assignment.pk]) for assignment in assignments]


def grading_queue(assignment: Assignment) -> QuerySet[Response]:
    """Open responses of submitted attempts waiting for a teacher's grade, oldest first."""
    return (
        Response.objects.filter(
            _in_class(assignment, learner="attempt__learner_id"),
            attempt__assignment=assignment,
            attempt__state=AttemptState.SUBMITTED,
            needs_teacher=True,
        )
        .filter(Q(earned__isnull=True) | Q(graded_at__isnull=False))
        .select_related("attempt", "attempt__learner", "graded_by")
        .order_by(F("graded_at").asc(nulls_first=True), "first_saved_at")
    )
