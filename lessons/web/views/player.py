"""The lesson player (self-study): answer each question and see its feedback at once, finish, retry.

Every journey works with plain forms (a POST answers and redirects back to the question); with htmx an answer
swaps just its question for the feedback. Parsing lives in `answer_forms`, rules in `lessons.services`,
reads in `lessons.selectors.player`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from lessons import selectors, services
from lessons.kinds import kind_labels
from lessons.models import Attempt, Focus, Lesson, Ratification, Revision, TreatyStatus
from lessons.selectors import player as player_selectors
from lessons.selectors.self_study import attempt_state_now, learner_attempt_on, player_names_attempt
from lessons.services.attempts import revision_questions
from lessons.services.classroom import self_study_held_by
from lessons.web.answer_forms import QuestionPanel, answer_from_post, question_panel
from lessons.web.decorators import role_required, signed_in_user

View = Callable[..., HttpResponse]


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware: `request.htmx` is truthy for an htmx request."""

    htmx: HtmxDetails


# The htmx event an answer's response triggers: the article sentences its feedback points at.
EVIDENCE_EVENT = "quizsite:evidence"
# The query parameter of the player's address after a plain-form answer: the question just answered.
ANSWERED_PARAMETER = "answered"


def see_other(url: str) -> HttpResponseRedirect:
    """A redirect after a POST that the browser follows with a GET (303)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def labels() -> dict[str, Any]:
    """Names of the choices a template shows, by value."""
    return {
        "focus_labels": dict(Focus.choices),
        "kind_labels": kind_labels(),
        "treaty_status_labels": dict(TreatyStatus.choices),
        "ratification_labels": dict(Ratification.choices),
    }


def _int_or_404(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        raise Http404 from None


def _published_revision(request: HtmxHttpRequest, slug: str) -> Revision:
    """The revision of the lesson `slug` the user may take, else 404."""
    revision = selectors.published_revision_for(request.user, slug=slug)
    if revision is None:
        raise Http404(_("No such lesson."))
    return revision


def _play_url(revision: Revision, attempt: Attempt) -> str:
    url = reverse("lessons:play", args=[revision.lesson.slug])
    if player_names_attempt(revision, attempt):
        url += f"?attempt={attempt.pk}"
    return url


# ----------------------------------------------------------------------------------------------------
# Rendering


def _render_player(
    request: HtmxHttpRequest,
    revision: Revision,
    attempt: Attempt,
    *,
    error_key: str = "",
    error: services.ServiceError | None = None,
    status: int = 200,
) -> HttpResponse:
    page = player_selectors.player_page(revision, attempt)
    # After a plain-form answer the address names the question: its evidence is marked in the article.
    evidence_shown = page.evidence_shown(request.GET.get(ANSWERED_PARAMETER, ""))
    refused = page.slots_by_key.get(error_key) if error is not None else None
    panels = [
        question_panel(slot, page.sentences, open_for_answers=page.open_for_answers)
        if slot is not refused or error is None
        else question_panel(
            slot,
            page.sentences,
            open_for_answers=page.open_for_answers,
            data=request.POST,  # the form again, as it was sent
            error=error.message,
            error_status=error.status,
        )
        for slot in page.slots
    ]
    general_error = error.message if error is not None and refused is None else ""
    context = {
        "lesson": revision.lesson,
        "page": page,
        "attempt": attempt,
        "panels": panels,
        "progress": page.progress,
        "general_error": general_error,
        "sentence_link_base": "",
        "evidence_shown": evidence_shown,
        **labels(),
    }
    return render(request, "lessons/player.html", context, status=status)


def render_question(
    request: HtmxHttpRequest, panel: QuestionPanel, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """One question, the unit htmx swaps."""
    response = render(
        request, "lessons/partials/question.html", {"panel": panel, **labels(), **context}, status=status
    )
    if panel.error:
        # Marks an expected form error, so a debug-mode helper does not take the fragment for an error page.
        response["HX-Reswap"] = "outerHTML"
    return response


def _held_for_assignment(request: HtmxHttpRequest, lesson: Lesson) -> HttpResponse | None:
    """409 while the lesson is assigned to this student and self-study would show its keys too early."""
    assignment = self_study_held_by(signed_in_user(request), lesson_id=lesson.pk)
    if assignment is None:
        return None
    context = {"lesson": lesson, "assignment": assignment}
    if request.htmx:
        alert = format_html(
            '<p class="error" role="alert">{}</p>',
            _("This lesson is assigned to you in %(classroom)s: work on it there.")
            % {"classroom": assignment.classroom.name},
        )
        response = HttpResponse(alert, status=409)
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "lessons/held_for_assignment.html", context, status=409)


# ----------------------------------------------------------------------------------------------------
# Views


@role_required("learner")
@require_safe
def play(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The player: the article with its sentences anchored, cards for the actors and treaties, every question
    (a form until answered, then its feedback). `?attempt=ID` shows one of the learner's own attempts."""
    revision = _published_revision(request, slug)
    if held := _held_for_assignment(request, revision.lesson):
        return held
    if "attempt" in request.GET:
        attempt, revision = _learner_attempt(request, revision, request.GET["attempt"])
    else:
        attempt = services.self_study_attempt_open(learner=signed_in_user(request), revision=revision)
    return _render_player(request, revision, attempt)


def _posted_attempt(request: HtmxHttpRequest, revision: Revision) -> tuple[Attempt, Revision]:
    """The attempt a form names (the learner's own, on this lesson), else the one in progress."""
    raw = request.POST.get("attempt")
    if not raw:
        attempt = services.self_study_attempt_open(learner=signed_in_user(request), revision=revision)
        return attempt, revision
    return _learner_attempt(request, revision, raw)


def _learner_attempt(request: HtmxHttpRequest, revision: Revision, raw: str) -> tuple[Attempt, Revision]:
    """The learner's own attempt the request names, with the revision it is taken on; 404 otherwise."""
    found = learner_attempt_on(request.user, revision, _int_or_404(raw))
    if found is None:
        raise Http404
    return found.attempt, found.revision


@role_required("learner")
@require_POST
def answer(request: HtmxHttpRequest, slug: str, question_key: str) -> HttpResponse:
    """Save one answer. No JS: 303 back to the question. htmx: the question with its feedback, and an event
    naming the evidence sentences. A bad answer: 400; a closed attempt or a changed answer: 409."""
    revision = _published_revision(request, slug)
    if held := _held_for_assignment(request, revision.lesson):
        return held
    attempt, revision = _posted_attempt(request, revision)
    question = revision_questions(revision).get(question_key)
    try:
        # An unknown question is the service's to refuse (InvalidAnswer), with nothing to parse.
        given, evidence = answer_from_post(question, request.POST) if question else (None, None)
        saved = services.response_save(
            learner=signed_in_user(request),
            attempt=attempt,
            question_key=question_key,
            answer=given,
            evidence=evidence,
        )
    except services.ServiceError as error:
        return _answer_refused(request, revision, attempt, question_key, error)

    if not request.htmx:
        url = _play_url(revision, attempt)
        separator = "&" if "?" in url else "?"
        return see_other(f"{url}{separator}{ANSWERED_PARAMETER}={question_key}#question-{question_key}")
    sentences = player_selectors.article_sentences(revision)
    slot = player_selectors.question_slot(revision, question_key, saved.response, sentences, attempt=attempt)
    assert slot is not None and slot.answered is not None  # the service refuses an unknown question
    after = player_selectors.after_answer(revision, attempt, question_key)
    context = {
        "attempt": attempt,
        "lesson": revision.lesson,
        # The page's count, and the reading aids this answer unlocks, swapped in too.
        "progress_oob": after.progress,
        "aids_revealed": after.aids_revealed,
    }
    response = render_question(request, question_panel(slot, sentences), context)
    return trigger_client_event(
        response, EVIDENCE_EVENT, {"question": question_key, "sentences": slot.answered.feedback.evidence}
    )


def _answer_refused(
    request: HtmxHttpRequest,
    revision: Revision,
    attempt: Attempt,
    question_key: str,
    error: services.ServiceError,
) -> HttpResponse:
    attempt = attempt_state_now(attempt)  # the service may have found it closed meanwhile
    if not request.htmx:
        return _render_player(
            request, revision, attempt, error_key=question_key, error=error, status=error.status
        )
    sentences = player_selectors.article_sentences(revision)
    response = player_selectors.responses_of(attempt, [question_key]).get(question_key)
    slot = player_selectors.question_slot(revision, question_key, response, sentences, attempt=attempt)
    if slot is None:
        alert = format_html('<p class="error" role="alert">{}</p>', error.message)
        return HttpResponse(alert, status=error.status)
    panel = question_panel(
        slot,
        sentences,
        open_for_answers=player_selectors.accepts_answers(attempt),
        data=request.POST,
        error=error.message,
        error_status=error.status,
    )
    return render_question(
        request, panel, {"attempt": attempt, "lesson": revision.lesson}, status=error.status
    )


def _attempt_to_close(request: HtmxHttpRequest, revision: Revision) -> Attempt | None:
    """The attempt a form names (the learner's own, on this lesson), else the learner's open one, if any."""
    raw = request.POST.get("attempt")
    if raw:
        found = player_selectors.attempt_for_learner(
            request.user, attempt_id=_int_or_404(raw), lesson_id=revision.lesson_id
        )
        if found is None:
            raise Http404
        return found
    return player_selectors.open_attempt_of(signed_in_user(request), lesson_id=revision.lesson_id)


@role_required("learner")
@require_POST
def finish(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Submit the attempt (again is harmless) and show its summary."""
    revision = _published_revision(request, slug)
    if held := _held_for_assignment(request, revision.lesson):
        return held
    attempt = _attempt_to_close(request, revision)
    if attempt is None:
        return see_other(reverse("lessons:play", args=[slug]))
    attempt = services.attempt_submit(learner=signed_in_user(request), attempt=attempt)
    return see_other(reverse("lessons:attempt_summary", args=[attempt.pk]))


@role_required("learner")
@require_POST
def retry(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Submit the attempt in progress (if any) and start a new one. Naming the attempt (as the forms do)
    makes a double click harmless: the second submit is a no-op and the new attempt is reused."""
    revision = _published_revision(request, slug)
    if held := _held_for_assignment(request, revision.lesson):
        return held
    attempt = _attempt_to_close(request, revision)
    if attempt is not None:
        services.attempt_submit(learner=signed_in_user(request), attempt=attempt)
    services.self_study_attempt_open(learner=signed_in_user(request), revision=revision)
    return see_other(reverse("lessons:play", args=[slug]))


@role_required("learner")
@require_safe
def summary(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """The learner's own attempt: total, score by focus, each question's result; 404 for anyone else's."""
    attempt = player_selectors.attempt_for_learner(request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    context = {
        "summary": player_selectors.attempt_summary(attempt),
        "attempt": attempt,
        "lesson": attempt.lesson,
        **labels(),
    }
    return render(request, "lessons/summary.html", context)
