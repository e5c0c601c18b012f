"""A teacher's results pages: the gradebook and its CSV export, a student's report, one assignment's results
(with releasing feedback and regrading), its item analysis, the grading queue of open answers, and the
review of one attempt.

Only a teacher of the class gets any of these: everyone else a 404 (a class's existence does not leak), and
anyone signed out is sent to log in. The teacher check is folded into the one query that loads the class,
assignment, attempt or response, so a page costs the same few queries whatever the size of the class.
Reads come from `lessons.selectors.classroom`; writes go through `lessons.services.classroom`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from lessons.kinds import kind_labels
from lessons.models import (
    Assignment,
    Classroom,
    Focus,
    Response,
)
from lessons.selectors import classroom as results
from lessons.selectors import teaching as teaching_selectors
from lessons.selectors.classroom import GradebookCell
from lessons.selectors.player import points_text
from lessons.services import classroom as classroom_services
from lessons.services.errors import InvalidInput, ServiceError
from lessons.web.decorators import role_required, signed_in_user, teaching

View = Callable[..., HttpResponse]

MAX_COMMENT_LENGTH = classroom_services.MAX_COMMENT_LENGTH
MAX_NOTE_LENGTH = classroom_services.MAX_NOTE_LENGTH


# ----------------------------------------------------------------------------------------------------
# Access


def _classroom(request: HttpRequest, classroom_id: int) -> Classroom:
    """The class if the user teaches it, else 404: one query, the teacher check included."""
    return teaching(request, results.classroom_for_teacher(signed_in_user(request), classroom_id))


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    """The assignment (with its class, lesson and revision) if the user teaches its class, else 404."""
    return teaching(request, results.assignment_for_teacher(signed_in_user(request), assignment_id))


def see_other(url: str) -> HttpResponseRedirect:
    """A redirect after a POST that the browser follows with a GET (303)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def labels() -> dict[str, Any]:
    return {"focus_labels": dict(Focus.choices), "kind_labels": kind_labels()}


# ----------------------------------------------------------------------------------------------------
# The gradebook, its CSV export and a student's report


@dataclass(frozen=True)
class CellView:
    status: str
    label: str
    score: str  # "7.5/10"; "" without a submitted attempt
    percent: str  # "75%"; "" without a score
    url: str  # the counted attempt's review; "" without one
    extended: str  # the student's extension of the assignment ("due …, +15 min"); "" without one


@dataclass(frozen=True)
class RowView:
    name: str
    username: str  # shown beside the name when it differs
    report_url: str
    cells: list[CellView]
    extra_time: str  # standing extra time ("×1.5"); "" without


def url_maker(name: str, *args: int) -> Callable[[int], str]:
    """A URL whose last argument varies, reversed once: a page of hundreds of links need not reverse each
    (reversing is one of the costliest steps of rendering a large gradebook)."""
    sentinel = 987_654_321_987
    head, tail = reverse(name, args=[*args, sentinel]).rsplit(str(sentinel), 1)
    return lambda pk: f"{head}{pk}{tail}"


def points_maker() -> Callable[[Decimal], str]:
    """Points as a person writes them (7, 7.5, never 7.00) in the active language, like `points_text`, with
    the locale looked up once rather than for every cell."""
    separator = str(get_format("DECIMAL_SEPARATOR"))
    return lambda value: format(value.normalize(), "f").replace(".", separator)


def gradebook_rows(book: results.Gradebook) -> list[RowView]:
    """The gradebook as text and links for the page: every string computed once here, so rendering is a
    plain loop (a class of 200 × 10 assignments is 2,000 cells)."""
    review_url = url_maker("lessons:attempt_review")
    report_url = url_maker("lessons:student_report", book.classroom.pk)
    points = points_maker()
    labels = {status: GradebookCell(status=status).status_label for status in teaching_selectors.STATUS_ORDER}
    rows = []
    for student, cells in book.rows():
        full_name = student.get_full_name()
        views = [
            CellView(
                status=cell.status,
                label=labels[cell.status],
                score=f"{points(cell.earned)}/{points(cell.possible or Decimal(0))}"
                if cell.earned is not None
                else "",
                percent="" if cell.percent is None else f"{cell.percent}%",
                url=review_url(cell.attempt_id) if cell.attempt_id is not None else "",
                extended=results.extension_text(cell.extension) if cell.extension is not None else "",
            )
            for cell in cells
        ]
        multiplier = book.time_multipliers.get(student.pk)
        rows.append(
            RowView(
                name=full_name or student.username,
                username=student.username if full_name else "",
                report_url=report_url(student.pk),
                cells=views,
                extra_time="" if multiplier is None else f"×{points(multiplier)}",
            )
        )
    return rows


@role_required("teacher", of_class=True)
@require_safe
def gradebook(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Students × assignments: each cell the counted (best submitted) score and a status, linking to the
    attempt. Six queries: session, user, the class (teacher check included) and the selector's three."""
    classroom = _classroom(request, classroom_id)
    book = results.gradebook(classroom)
    context = {"classroom": classroom, "book": book, "rows": gradebook_rows(book)}
    return render(request, "lessons/teach/gradebook.html", context)


@role_required("teacher", of_class=True)
@require_safe
def gradebook_csv(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """The gradebook as CSV: UTF-8 with a byte-order mark (so spreadsheets read the accents), every cell
    neutralised against formulas by the selector."""
    classroom = _classroom(request, classroom_id)
    export = results.gradebook_csv(classroom)
    response = HttpResponse(export.body, content_type=results.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@role_required("teacher", of_class=True)
@require_safe
def student_report(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """One student's attempts at every assignment of the class, each linking to its review."""
    classroom = _classroom(request, classroom_id)
    report = results.student_report(classroom, student_id)
    if report is None:
        raise Http404(_("No such student in this class."))
    student, rows = report
    return render(
        request,
        "lessons/teach/student_report.html",
        {"classroom": classroom, "student": student, "rows": rows},
    )


# ----------------------------------------------------------------------------------------------------
# One assignment: results, releasing feedback, regrading


def _render_results(
    request: HttpRequest,
    assignment: Assignment,
    *,
    note: str = "",
    regrade_error: str = "",
    status: int = 200,
) -> HttpResponse:
    page = teaching_selectors.assignment_results(assignment)
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "rows": page.rows,
        "status_counts": page.status_counts,
        "pending_count": page.pending_count,
        "regrades": page.regrades,
        "published_number": page.published_number,
        "is_manual": page.released_by_hand,
        "note": note,
        "regrade_error": regrade_error,
        "note_max": MAX_NOTE_LENGTH,
    }
    return render(request, "lessons/teach/assignment_results.html", context, status=status)


@role_required("teacher", of_class=True)
@require_safe
def assignment_results(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, assignment_id)
    return _render_results(request, assignment)


@require_POST
@role_required("teacher", of_class=True)
def release_feedback(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Release feedback and keys to students who submitted (for an assignment released by hand)."""
    assignment = _assignment(request, assignment_id)
    try:
        classroom_services.assignment_release_feedback(assignment=assignment, teacher=signed_in_user(request))
    except classroom_services.NothingToRelease as nothing:
        messages.info(request, nothing.message)
    else:
        messages.success(
            request, _("Feedback released: students who submitted can now see their results and the answers.")
        )
    return see_other(reverse("lessons:assignment_results", args=[assignment.pk]))


@require_POST
@role_required("teacher", of_class=True)
def regrade(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Rescore every submitted attempt against the lesson's current published revision, recorded with the
    teacher's note; teacher grades of open answers are kept."""
    assignment = _assignment(request, assignment_id)
    note = request.POST.get("note", "").strip()
    try:
        done = classroom_services.assignment_regrade(
            assignment=assignment, by=signed_in_user(request), note=note
        )
    except ServiceError as error:
        return _render_results(
            request, assignment, note=note, regrade_error=error.message, status=error.status
        )
    changed = teaching_selectors.scores_changed_by(done)
    messages.success(
        request,
        ngettext(
            "Regraded against revision %(number)s: %(changed)s score changed.",
            "Regraded against revision %(number)s: %(changed)s scores changed.",
            changed,
        )
        % {"number": done.revision.number, "changed": changed},
    )
    return see_other(reverse("lessons:assignment_results", args=[assignment.pk]) + "#regrades")


# ----------------------------------------------------------------------------------------------------
# Item analysis


@role_required("teacher", of_class=True)
@require_safe
def item_analysis(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Per question difficulty, discrimination, option counts and median time; mastery per focus; a
    histogram of scores. Six queries: session, user, the assignment (teacher check included) and the
    selector's three."""
    assignment = _assignment(request, assignment_id)
    analysis = results.item_analysis(assignment)
    rows = results.item_analysis_rows(assignment, analysis)
    focus_labels = dict(Focus.choices)
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "analysis": analysis,
        "rows": rows,
        "choice_rows": [row for row in rows if row.options],
        "difficulty_bars": [
            (_("Q%(number)s") % {"number": row.number}, _percent(row.stats.difficulty)) for row in rows
        ],
        "histogram_bars": analysis.histogram,
        "mastery": [
            (value, str(focus_labels.get(value, label)), share)
            for value, label, share in analysis.focus_mastery
        ],
        "mastery_bars": [(label, _percent(share)) for _value, label, share in analysis.focus_mastery],
        **labels(),
    }
    return render(request, "lessons/teach/item_analysis.html", context)


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


# ----------------------------------------------------------------------------------------------------
# Grading open answers


@dataclass(frozen=True)
class CriterionField:
    id: str
    text: str
    points: int
    value: str
    given: int | None  # the stored grade of this criterion, if any
    error: str = ""

    @property
    def name(self) -> str:
        return f"criterion-{self.id}"


@dataclass(frozen=True)
class GradingItem:
    response: Response
    number: int
    question: dict[str, Any]
    criteria: list[CriterionField]
    comment: str
    version: int
    pending: bool  # waiting for its first grade
    error: str = ""
    conflict: bool = False


@dataclass(frozen=True)
class QueueSection:
    id: str
    heading: str
    items: list[GradingItem]
    empty: str


def _grading_items(
    queue: teaching_selectors.GradingQueue,
    *,
    failed_id: int | None = None,
    data: Mapping[str, str] | None = None,
    error: ServiceError | None = None,
) -> list[GradingItem]:
    items = []
    for response in queue.responses:
        number, question = queue.question_of(response)
        key = question["answer"]
        failed = response.pk == failed_id and data is not None
        criteria = []
        for criterion in key["rubric"]:
            name = f"criterion-{criterion['id']}"
            stored = response.criterion_scores.get(criterion["id"])
            criteria.append(
                CriterionField(
                    id=criterion["id"],
                    text=criterion["criterion"],
                    points=criterion["points"],
                    value=(data or {}).get(name, "") if failed else ("" if stored is None else str(stored)),
                    given=stored,
                    error=error.message if failed and error is not None and error.field == name else "",
                )
            )
        conflict = failed and isinstance(error, classroom_services.GradingConflict)
        version = response.version
        if failed and not conflict:
            # Keep the version the form was loaded with, so a grade given meanwhile is still detected.
            posted = _int_or_none((data or {}).get("version"))
            version = response.version if posted is None else posted
        items.append(
            GradingItem(
                response=response,
                number=number,
                question=question,
                criteria=criteria,
                comment=(data or {}).get("comment", "") if failed else response.teacher_comment,
                version=version,
                pending=queue.waiting_for_grade(response),
                error=error.message if failed and error is not None else "",
                conflict=conflict,
            )
        )
    return items


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


def _render_queue(
    request: HttpRequest,
    assignment: Assignment,
    *,
    failed_id: int | None = None,
    error: ServiceError | None = None,
    status: int = 200,
) -> HttpResponse:
    items = _grading_items(
        teaching_selectors.grading_queue_page(assignment),
        failed_id=failed_id,
        data=request.POST if failed_id is not None else None,
        error=error,
    )
    pending = [item for item in items if item.pending]
    graded = [item for item in items if not item.pending]
    sections = [
        QueueSection(
            "pending",
            ngettext("Waiting for a grade (%(count)s)", "Waiting for a grade (%(count)s)", len(pending))
            % {"count": len(pending)},
            pending,
            _("Nothing is waiting for a grade."),
        ),
        QueueSection(
            "graded",
            ngettext("Graded (%(count)s)", "Graded (%(count)s)", len(graded)) % {"count": len(graded)},
            graded,
            _("No answer has been graded yet."),
        ),
    ]
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "sections": sections,
        "error": error,
        "comment_max": MAX_COMMENT_LENGTH,
    }
    return render(request, "lessons/teach/grading_queue.html", context, status=status)


@role_required("teacher", of_class=True)
@require_safe
def grading_queue(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Each open answer waiting for a grade (and those graded), beside its model answer and rubric."""
    assignment = _assignment(request, assignment_id)
    return _render_queue(request, assignment)


@require_POST
@role_required("teacher", of_class=True)
def grade_response(request: HttpRequest, response_id: int) -> HttpResponse:
    """Save a teacher's grade: criterion by criterion, with a comment, guarded by the version the form was
    loaded with. 303 back to the queue; a grade given meanwhile by a co-teacher: 409, theirs kept and
    shown; bad points: 400, nothing changed."""
    teacher = signed_in_user(request)
    found = teaching(request, teaching_selectors.response_to_grade(teacher, response_id))
    response, assignment = found.response, found.assignment
    scores = {
        name.removeprefix("criterion-"): value
        for name, value in request.POST.items()
        if name.startswith("criterion-")
    }
    comment = request.POST.get("comment", "")
    version = _int_or_none(request.POST.get("version"))
    try:
        if version is None:
            raise InvalidInput(_("The form is incomplete; reload the page and grade again."), field="version")
        graded = classroom_services.response_grade(
            response=response,
            by=teacher,
            criterion_scores=scores,
            comment=comment,
            expected_version=version,
        )
    except classroom_services.NotSubmittedYet:
        raise Http404(_("No such answer to grade.")) from None  # the queue lists no answer in progress
    except ServiceError as error:
        return _render_queue(request, assignment, failed_id=response.pk, error=error, status=error.status)
    messages.success(
        request,
        _("Grade saved: %(earned)s of %(possible)s points.")
        % {"earned": points_text(graded.earned or Decimal(0)), "possible": points_text(graded.possible)},
    )
    return see_other(reverse("lessons:grading_queue", args=[assignment.pk]))


# ----------------------------------------------------------------------------------------------------
# One attempt, as the teacher reviews it


@role_required("teacher", of_class=True)
@require_safe
def attempt_review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Every question of an attempt: the student's answer, its score, the key and the explanation."""
    review = teaching(request, teaching_selectors.attempt_review(signed_in_user(request), attempt_id))
    context = {
        "attempt": review.attempt,
        "assignment": review.assignment,
        "classroom": review.classroom,
        "revision": review.revision,
        "questions": review.questions,
        **labels(),
    }
    return render(request, "lessons/teach/attempt_review.html", context)
