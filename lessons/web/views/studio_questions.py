"""The studio's question pages: the list, the editor of every kind, preview as a student, publish behind the
checklist, and the revisions with what changed.

Teachers only; a lesson the user neither owns nor co-authors is 404 on every page (`studio.authored`). Each
POST is one service call (`lessons.services.question_authoring`), which checks the author again inside its
transaction; these views parse, call and render.
"""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lessons.models import Lesson
from lessons.selectors import player as player_selectors
from lessons.selectors import question_authoring as pages
from lessons.selectors.lessons import student_question
from lessons.services import ServiceError
from lessons.services import question_authoring as authoring
from lessons.web.answer_forms import answer_from_post, question_panel
from lessons.web.decorators import role_required, signed_in_user

from .player import HtmxHttpRequest, labels, render_question, see_other
from .studio import authored

TEMPLATES = "lessons/studio/questions/"
# The hidden field of each answered question of the preview (partials/question.html): the next answer sends
# them, and the page's count is theirs.
PREVIEW_ANSWERED = "preview_answered"


def _questions_url(slug: str, key: str = "") -> str:
    url = reverse("studio:questions", args=[slug])
    return f"{url}#question-{key}" if key else url


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    """The lesson's questions in order, each with edit, move, duplicate and delete; "New question"."""
    lesson = authored(request, slug)
    return render(request, TEMPLATES + "list.html", {"lesson": lesson, "page": pages.questions_page(lesson)})


def _editor(request: HttpRequest, page: pages.EditorPage | None, *, status: int = 200) -> HttpResponse:
    if page is None:
        raise Http404(_("No such question."))
    return render(request, TEMPLATES + "edit.html", {"lesson": page.lesson, "page": page}, status=status)


def _save(request: HttpRequest, lesson: Lesson, *, kind_name: str = "", key: str = "") -> HttpResponse:
    """Save a posted editor (a new question of `kind_name`, or the question `key`): back to the list, or
    the editor again with every problem (400). An unknown question is 404; an unknown kind, a 400."""
    try:
        saved = authoring.question_save(
            user=signed_in_user(request),
            lesson=lesson,
            data=request.POST,
            kind_name=kind_name,
            question_key=key,
        )
    except authoring.QuestionInvalid as error:
        found = pages.editor_page(
            lesson, kind_name=kind_name, question_key=key, data=request.POST, problems=error.problems
        )
        return _editor(request, found, status=400)
    except ServiceError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        return _editor(request, pages.editor_page(lesson, kind_name=kind_name, data=request.POST), status=400)
    messages.success(request, _("Question %(number)d saved.") % {"number": saved.number})
    if saved.rearranged:
        messages.info(
            request,
            _(
                "Its list was written in the order of the answer, so it is stored in another order: a "
                "printout or an export does not give the answer away. The answer is unchanged."
            ),
        )
    return see_other(_questions_url(lesson.slug, saved.question.key))


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new question of the kind chosen (`kind`): its editor, and saving it at the end of the lesson."""
    lesson = authored(request, slug)
    if request.method == "POST":
        return _save(request, lesson, kind_name=request.POST.get("kind", ""))
    kind_name = request.GET.get("kind", "")
    if not kind_name:  # the kinds are chosen on the list of questions
        return see_other(_questions_url(lesson.slug))
    return _editor(request, pages.editor_page(lesson, kind_name=kind_name))


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    lesson = authored(request, slug)
    if request.method == "POST":
        return _save(request, lesson, key=key)
    return _editor(request, pages.editor_page(lesson, question_key=key))


@role_required("teacher")
@require_POST
def question_move(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    lesson = authored(request, slug)
    by = -1 if request.POST.get("direction") == "up" else 1
    try:
        authoring.question_move(user=signed_in_user(request), lesson=lesson, question_key=key, by=by)
    except ServiceError as error:
        raise Http404(error.message) from None
    return see_other(_questions_url(slug, key))


@role_required("teacher")
@require_POST
def question_duplicate(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    lesson = authored(request, slug)
    try:
        copy = authoring.question_duplicate(user=signed_in_user(request), lesson=lesson, question_key=key)
    except ServiceError as error:
        raise Http404(error.message) from None
    messages.success(request, _("The question was copied: the copy follows it."))
    return see_other(_questions_url(slug, copy.key))


@role_required("teacher")
@require_POST
def question_delete(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    lesson = authored(request, slug)
    try:
        authoring.question_delete(user=signed_in_user(request), lesson=lesson, question_key=key)
    except ServiceError as error:
        raise Http404(error.message) from None
    messages.success(request, _("The question was deleted from the draft; published revisions keep it."))
    return see_other(_questions_url(slug))


# ----------------------------------------------------------------------------------------------------
# Preview


def _render_preview(
    request: HttpRequest,
    page: player_selectors.PlayerPage,
    *,
    error_key: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    lesson = page.revision.lesson
    panels = [
        question_panel(
            slot,
            page.sentences,
            data=request.POST if slot.key == error_key else None,
            error=error if slot.key == error_key else "",
        )
        for slot in page.slots
    ]
    context = {
        "lesson": lesson,
        "page": page,
        "attempt": page.attempt,
        "panels": panels,
        "progress": page.progress,
        "general_error": "",
        "sentence_link_base": "",
        "evidence_shown": page.evidence_shown(request.GET.get("answered", "")),
        "preview": True,
        **labels(),
    }
    return render(request, TEMPLATES + "preview.html", context, status=status)


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The draft in the student's player, stored nowhere: answers are checked and shown, never saved."""
    lesson = authored(request, slug)
    return _render_preview(request, pages.preview_page(lesson))


@role_required("teacher")
@require_POST
def preview_answer(request: HtmxHttpRequest, slug: str, key: str) -> HttpResponse:
    """Check an answer in the preview: the page again with its feedback (htmx: the question alone, and the
    count of the questions answered on the page, which its answered panels send with each answer). Nothing
    is written: no attempt, no response, no review item."""
    lesson = authored(request, slug)
    page = pages.preview_page(lesson)
    document = page.revision.document
    found = [(n, q) for n, q in enumerate(document["questions"], start=1) if q["id"] == key]
    if not found:
        raise Http404(_("No such question."))
    question = found[0][1]
    shown = student_question(question, "")
    try:
        given, evidence = answer_from_post(shown, request.POST)
        graded = authoring.preview_grade(
            user=signed_in_user(request),
            lesson=lesson,
            document=document,
            question_key=key,
            answer=given,
            evidence=evidence,
        )
    except ServiceError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        return _render_preview(request, page, error_key=key, error=error.message, status=400)
    answered = pages.preview_answered(page, question, graded)
    slots = [replace(slot, answered=answered) if slot.key == key else slot for slot in page.slots]
    page = replace(page, slots=slots)
    if request.htmx:
        slot = next(slot for slot in slots if slot.key == key)
        progress = pages.preview_progress(page, key, request.POST.getlist(PREVIEW_ANSWERED))
        context = {"lesson": lesson, "preview": True, "progress_oob": progress}
        return render_question(request, question_panel(slot, page.sentences), context)
    return _render_preview(request, page)


# ----------------------------------------------------------------------------------------------------
# Publishing and revisions


@role_required("teacher")
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """The checklist, every problem listed; publishing (POST) makes the next revision once it is clear."""
    lesson = authored(request, slug)
    if request.method == "POST":
        try:
            revision = authoring.lesson_publish_checked(user=signed_in_user(request), lesson=lesson)
        except authoring.ChecklistFailed:
            page = pages.publish_page(lesson)
            return render(
                request,
                TEMPLATES + "publish.html",
                {"lesson": lesson, "page": page, "refused": True},
                status=409,
            )
        except ServiceError as error:
            raise Http404(error.message) from None
        messages.success(request, _("Published as revision %(number)d.") % {"number": revision.number})
        return see_other(reverse("studio:revisions", args=[slug]))
    return render(request, TEMPLATES + "publish.html", {"lesson": lesson, "page": pages.publish_page(lesson)})


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def revisions(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = authored(request, slug)
    return render(
        request, TEMPLATES + "revisions.html", {"lesson": lesson, "revisions": pages.lesson_revisions(lesson)}
    )


@role_required("teacher")
@require_http_methods(["GET", "HEAD"])
def revision_diff(request: HttpRequest, slug: str, old: int, new: int) -> HttpResponse:
    """What revision `new` changed of revision `old`: questions added, removed, and what changed in each."""
    lesson = authored(request, slug)
    pair = pages.revision_pair(lesson, old=old, new=new)
    if pair is None:
        raise Http404(_("No such revision."))
    return render(request, TEMPLATES + "diff.html", {"lesson": lesson, "pair": pair, **labels()})
