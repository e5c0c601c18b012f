"""A teacher's results pages: the gradebook and its CSV export, a student's report, one assignment's results
(with releasing feedback and regrading), its item analysis, the grading queue of open answers, and the
review of one attempt.

Only a teacher of the class gets any of these: everyone else a 404 (a class's existence does not leak), and
anyone signed out is sent to log in. The teacher check is folded into the one query that loads the class,
assignment, attempt or response, so a page costs the same few queries whatever the size of the class.
Reads come from `lessons.selectors.classroom`; writes go through `lessons.services.classroom`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from lessons.kinds import get_kind, kind_labels
from lessons.models import (
    Assignment,
    Attempt,
    AttemptState,
    Classroom,
    Focus,
    Regrade,
    RegradeChange,
    Response,
    Revision,
)
from lessons.policy import released_by_hand
from lessons.selectors import classroom as results
from lessons.selectors.classroom import CellStatus, GradebookCell
from lessons.selectors.feedback import right_answer_lines
from lessons.selectors.player import Answered, answered_from_response, article_sentences, points_text
from lessons.services import classroom as classroom_services
from lessons.services.errors import InvalidInput, ServiceError
from lessons.web.context_processors import REQUEST_CACHE_ATTR

View = Callable[..., HttpResponse]

MAX_COMMENT_LENGTH = 10_000
MAX_NOTE_LENGTH = 1_000
STATUS_ORDER = (
    CellStatus.NOT_STARTED,
    CellStatus.IN_PROGRESS,
    CellStatus.SUBMITTED,
    CellStatus.LATE,
    CellStatus.NEEDS_GRADING,
)


# ----------------------------------------------------------------------------------------------------
# Access


def signed_in(view: View) -> View:
    """Like `login_required`, but a form posted while signed out comes back to a page, not to its action."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return redirect_to_login(_come_back_to(request, kwargs))

    return wrapped


def _come_back_to(request: HttpRequest, kwargs: Mapping[str, Any]) -> str:
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    if "assignment_id" in kwargs:
        return reverse("lessons:assignment_results", args=[kwargs["assignment_id"]])
    return reverse("lessons:teacher_dashboard")


def _teacher(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "signed_in lets only signed-in users through"
    return user


def _remember_teaching(request: HttpRequest) -> None:
    """The user teaches the class just found: tell the navigation so, sparing its "is a teacher?" query.

    Access to these pages is decided by the lookup itself (it filters by the class's teachers); this only
    spares the context processor a query of its own, keeping a page's query count fixed.
    """
    setattr(request.user, REQUEST_CACHE_ATTR, True)


def _classroom(request: HttpRequest, classroom_id: int) -> Classroom:
    """The class if the user teaches it, else 404: one query, the teacher check included."""
    classroom = results.classroom_for_teacher(_teacher(request), classroom_id)
    _remember_teaching(request)
    return classroom


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    """The assignment (with its class, lesson and revision) if the user teaches its class, else 404."""
    assignment = results.assignment_for_teacher(_teacher(request), assignment_id)
    _remember_teaching(request)
    return assignment


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


@dataclass(frozen=True)
class RowView:
    name: str
    username: str  # shown beside the name when it differs
    report_url: str
    cells: list[CellView]


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
    labels = {status: GradebookCell(status=status).status_label for status in STATUS_ORDER}
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
            )
            for cell in cells
        ]
        rows.append(
            RowView(
                name=full_name or student.username,
                username=student.username if full_name else "",
                report_url=report_url(student.pk),
                cells=views,
            )
        )
    return rows


@signed_in
@require_safe
def gradebook(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Students × assignments: each cell the counted (best submitted) score and a status, linking to the
    attempt. Six queries: session, user, the class (teacher check included) and the selector's three."""
    classroom = _classroom(request, classroom_id)
    book = results.gradebook(classroom)
    context = {"classroom": classroom, "book": book, "rows": gradebook_rows(book)}
    return render(request, "lessons/teach/gradebook.html", context)


@signed_in
@require_safe
def gradebook_csv(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """The gradebook as CSV: UTF-8 with a byte-order mark (so spreadsheets read the accents), every cell
    neutralised against formulas by the selector."""
    classroom = _classroom(request, classroom_id)
    book = results.gradebook(classroom)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(results.gradebook_csv_rows(book))
    body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"gradebook-{slugify(classroom.name) or 'class'}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@signed_in
@require_safe
def student_report(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """One student's attempts at every assignment of the class, each linking to its review."""
    classroom = _classroom(request, classroom_id)
    student, rows = results.student_report(classroom, student_id)
    return render(
        request,
        "lessons/teach/student_report.html",
        {"classroom": classroom, "student": student, "rows": rows},
    )


# ----------------------------------------------------------------------------------------------------
# One assignment: results, releasing feedback, regrading


@dataclass(frozen=True)
class StudentResult:
    student: User
    cell: GradebookCell


def _render_results(
    request: HttpRequest,
    assignment: Assignment,
    *,
    note: str = "",
    regrade_error: str = "",
    status: int = 200,
) -> HttpResponse:
    book = results.gradebook(assignment.classroom)
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
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "rows": rows,
        "status_counts": status_counts,
        "pending_count": counts[CellStatus.NEEDS_GRADING],
        "regrades": regrades,
        "published_number": published_number,
        "is_manual": released_by_hand(assignment),
        "note": note,
        "regrade_error": regrade_error,
        "note_max": MAX_NOTE_LENGTH,
    }
    return render(request, "lessons/teach/assignment_results.html", context, status=status)


@signed_in
@require_safe
def assignment_results(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _assignment(request, assignment_id)
    return _render_results(request, assignment)


@require_POST
@signed_in
def release_feedback(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Release feedback and keys to students who submitted (for an assignment released by hand)."""
    assignment = _assignment(request, assignment_id)
    try:
        classroom_services.assignment_release_feedback(assignment=assignment, teacher=_teacher(request))
    except classroom_services.NothingToRelease as nothing:
        messages.info(request, nothing.message)
    else:
        messages.success(
            request, _("Feedback released: students who submitted can now see their results and the answers.")
        )
    return see_other(reverse("lessons:assignment_results", args=[assignment.pk]))


@require_POST
@signed_in
def regrade(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Rescore every submitted attempt against the lesson's current published revision, recorded with the
    teacher's note; teacher grades of open answers are kept."""
    assignment = _assignment(request, assignment_id)
    note = request.POST.get("note", "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        error = _("Keep the note under %(max)s characters.") % {"max": MAX_NOTE_LENGTH}
        return _render_results(request, assignment, note=note, regrade_error=error, status=400)
    try:
        done = classroom_services.assignment_regrade(assignment=assignment, by=_teacher(request), note=note)
    except ServiceError as error:
        return _render_results(
            request, assignment, note=note, regrade_error=error.message, status=error.status
        )
    changed = done.changes.count()
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


@dataclass(frozen=True)
class OptionCount:
    text: str
    count: int
    is_key: bool


@dataclass(frozen=True)
class QuestionRow:
    number: int
    stats: results.QuestionStats
    options: list[OptionCount]


@signed_in
@require_safe
def item_analysis(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Per question difficulty, discrimination, option counts and median time; mastery per focus; a
    histogram of scores. Six queries: session, user, the assignment (teacher check included) and the
    selector's three."""
    assignment = _assignment(request, assignment_id)
    analysis = results.item_analysis(assignment)
    questions = {question["id"]: question for question in assignment.revision.content["questions"]}
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
    error: str = ""
    conflict: bool = False

    @property
    def pending(self) -> bool:
        return self.response.earned is None


@dataclass(frozen=True)
class QueueSection:
    id: str
    heading: str
    items: list[GradingItem]
    empty: str


def _questions_by_revision(
    assignment: Assignment, responses: list[Response]
) -> dict[int, dict[str, tuple[int, dict[str, Any]]]]:
    """The numbered questions of every revision the responses were graded with: at most one query (none
    when they are all on the assignment's revision, the usual case)."""
    revisions: dict[int, Revision] = {assignment.revision_id: assignment.revision}
    wanted = {r.attempt.graded_revision_id or r.attempt.revision_id for r in responses} - revisions.keys()
    if wanted:
        revisions.update(Revision.objects.in_bulk(list(wanted)))
    return {
        pk: {q["id"]: (n, q) for n, q in enumerate(revision.content["questions"], start=1)}
        for pk, revision in revisions.items()
    }


def _grading_items(
    assignment: Assignment,
    responses: list[Response],
    *,
    failed_id: int | None = None,
    data: Mapping[str, str] | None = None,
    error: ServiceError | None = None,
) -> list[GradingItem]:
    questions = _questions_by_revision(assignment, responses)
    items = []
    for response in responses:
        attempt = response.attempt
        number, question = questions[attempt.graded_revision_id or attempt.revision_id][response.question_key]
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
    responses = list(results.grading_queue(assignment))
    items = _grading_items(
        assignment,
        responses,
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


@signed_in
@require_safe
def grading_queue(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Each open answer waiting for a grade (and those graded), beside its model answer and rubric."""
    assignment = _assignment(request, assignment_id)
    return _render_queue(request, assignment)


@require_POST
@signed_in
def grade_response(request: HttpRequest, response_id: int) -> HttpResponse:
    """Save a teacher's grade: criterion by criterion, with a comment, guarded by the version the form was
    loaded with. 303 back to the queue; a grade given meanwhile by a co-teacher: 409, theirs kept and
    shown; bad points: 400, nothing changed."""
    teacher = _teacher(request)
    response = (
        Response.objects.select_related(
            "attempt__assignment__classroom", "attempt__assignment__lesson", "attempt__assignment__revision"
        )
        .filter(
            pk=response_id,
            needs_teacher=True,
            attempt__state=AttemptState.SUBMITTED,
            attempt__assignment__classroom__teachers=teacher,
        )
        .first()
    )
    if response is None or response.attempt.assignment is None:
        raise Http404(_("No such answer to grade."))
    _remember_teaching(request)
    assignment = response.attempt.assignment
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
        if len(comment) > MAX_COMMENT_LENGTH:
            raise InvalidInput(
                _("Keep the comment under %(max)s characters.") % {"max": MAX_COMMENT_LENGTH},
                field="comment",
            )
        graded = classroom_services.response_grade(
            response=response,
            by=teacher,
            criterion_scores=scores,
            comment=comment,
            expected_version=version,
        )
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


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    question: dict[str, Any]
    response: Response | None
    answered: Answered | None
    right_answer: list[str]
    rubric: list[tuple[str, int, int | None]]  # criterion, points, points given


@signed_in
@require_safe
def attempt_review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Every question of an attempt: the student's answer, its score, the key and the explanation."""
    attempt = (
        Attempt.objects.select_related(
            "learner", "assignment__classroom", "assignment__lesson", "revision", "graded_revision"
        )
        .filter(pk=attempt_id, assignment__classroom__teachers=_teacher(request))
        .first()
    )
    if attempt is None or attempt.assignment is None:
        raise Http404(_("No such attempt."))
    _remember_teaching(request)
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
    context = {
        "attempt": attempt,
        "assignment": attempt.assignment,
        "classroom": attempt.assignment.classroom,
        "revision": revision,
        "questions": reviewed,
        **labels(),
    }
    return render(request, "lessons/teach/attempt_review.html", context)
