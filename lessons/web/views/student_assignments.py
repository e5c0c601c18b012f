"""A student's side of classes: joining a class by its code, the classes and their assignments, an
assignment's rules, taking it in the lesson player, saving each answer as it is given, submitting, and the
results when the assignment's policy allows.

The player is the self-study one (templates, question partial, answer forms, player.js) in assignment mode:
each question's form is filled with the saved answer and can be saved again until the attempt is submitted
(unless feedback follows each answer, which makes the answer final as in self-study); a status beside the
form says when it was saved. Every rule is the service layer's (`lessons.services`): the server's clock,
deadlines, attempts allowed, what a closed attempt refuses. Key material reaches a page only through the
player's feedback, and only when `feedback_released` says so (DESIGN.md rule 1).

Access: a visitor is sent to log in; an assignment the student cannot reach (unknown, another class, an
archived class) is a 404, never a 403, so its existence does not leak.

Saving an answer (rule 8: two statements, the user's and the save's, whatever the size of the lesson). The
session comes from the cache (`cached_db`) and a student's save never writes it. The page's forms name their
attempt with a signed token (the student, the assignment, the attempt, its revision and the revision's
digest), so the save endpoint knows whose attempt it is without a query: only the server can make a token,
and one made for another student or assignment is ignored. The fields a form is parsed with (kind, items,
evidence part) are cached by revision digest and the revision's content is kept in memory by id: a
published revision never changes (rule 4). The service then saves the answer in one conditional upsert.
Without a valid token, or with cold caches, the endpoint looks the attempt and its revision up instead.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from lessons import services
from lessons.content_types import StudentQuestionContent
from lessons.models import (
    Assignment,
    Attempt,
    Revision,
)
from lessons.policy import answers_final_once_given, feedback_released, presentation_seed
from lessons.selectors import assignments as assignment_selectors
from lessons.selectors import player as player_selectors
from lessons.selectors import student_view_of
from lessons.selectors.assignments import (
    availability_of,
    countdown_of,
    ordered_slots,
    revision_of,
    status_of,
)
from lessons.selectors.classroom import assignment_for_student
from lessons.selectors.lessons import StudentLessonView
from lessons.selectors.player import PlayerPage, Progress, points_text
from lessons.selectors.revisions import remember_revision, revision_content
from lessons.services.classroom import (
    AssignmentNotOpen,
    NoAttemptsLeft,
    assignment_attempt_start,
    attempt_resume,
    attempts_made_current,
    classroom_join,
)
from lessons.services.errors import AttemptClosed, InvalidInput, NotAllowed, ServiceError
from lessons.services.throttle import (
    JOIN_PER_ACCOUNT,
    JOIN_PER_ADDRESS,
    Throttled,
    client_address,
    throttle_check_all,
    throttle_hit_all,
)
from lessons.web.answer_forms import (
    QuestionPanel,
    SaveState,
    answer_from_post,
    assignment_panel,
    question_panel,
    saved_answer_data,
)
from lessons.web.autosave import session_binding
from lessons.web.classroom_forms import JoinClassForm
from lessons.web.context_processors import nav_is_teacher
from lessons.web.decorators import role_required, signed_in_user
from lessons.web.question_fragments import (
    QUESTION_TEMPLATE,
    aids_html,
    article_html,
    keepable,
    keeping,
    page_html,
    page_markers,
    progress_html,
    question_html,
)
from lessons.web.views.player import EVIDENCE_EVENT, HtmxHttpRequest, labels, render_question, see_other

View = Callable[..., HttpResponse]
TEMPLATES = "lessons/classes/"

# The htmx event a refused save sends when the attempt is closed, so the page shows its banner.
CLOSED_EVENT = "quizsite:attempt-closed"

ATTEMPT_TOKEN_SALT = "lessons.web.assignment-attempt"  # noqa: S105 -- a signing namespace, not a secret
DIGEST_CHARS = 32
QUESTION_FORMS_CACHE_SECONDS = 24 * 60 * 60


# ----------------------------------------------------------------------------------------------------
# Access


def _reachable_assignment(user: User, assignment_id: int) -> Assignment:
    """The assignment if the student can reach it, else 404 (its existence does not leak)."""
    assignment = assignment_for_student(user, assignment_id)
    if assignment is None:
        raise Http404
    return assignment


def _never_cached(response: HttpResponse) -> HttpResponse:
    """Pages showing an attempt's state: the back button must not show a stale one."""
    add_never_cache_headers(response)
    return response


# ----------------------------------------------------------------------------------------------------
# Naming an attempt in its forms, and the fields its questions are parsed with


@dataclass(frozen=True)
class AttemptRef:
    attempt_id: int
    revision_id: int  # the revision the page showed
    digest: str  # the start of that revision's content digest
    # Where the page's session allowed it (lessons.web.autosave.session_binding): the digest of its session
    # key, the fingerprint of the user's password then, and the time zone the page was shown in.
    binding: str = ""


def attempt_token(attempt: Attempt, revision: Revision, binding: str = "") -> str:
    """A signed name of the attempt for its student's forms (not a secret: it only saves queries); with a
    `binding`, it also names the session and password it was made under (lessons.web.autosave)."""
    digest = revision.content_sha256[:DIGEST_CHARS]
    value = f"{attempt.learner_id}.{attempt.assignment_id}.{attempt.pk}.{revision.pk}.{digest}"
    if binding:
        value = f"{value}.{binding}"
    return Signer(salt=ATTEMPT_TOKEN_SALT).sign(value)


def attempt_from_token(
    token: str, *, user_id: int | None, assignment_id: int
) -> tuple[int, AttemptRef] | None:
    """The attempt a token names (and its student), if the server made it for this assignment and, given
    `user_id`, for this student."""
    try:
        value = Signer(salt=ATTEMPT_TOKEN_SALT).unsign(token)
    except BadSignature:
        return None
    parts = value.split(".", 5)
    if len(parts) < 5 or not all(part.isdigit() for part in parts[:4]):
        return None
    if parts[1] != str(assignment_id) or (user_id is not None and parts[0] != str(user_id)):
        return None
    binding = parts[5] if len(parts) == 6 else ""
    return int(parts[0]), AttemptRef(int(parts[2]), int(parts[3]), parts[4], binding)


def _forms_cache_key(digest: str) -> str:
    return f"lessons:question-forms:{digest}"


def remember_question_forms(revision: Revision, view: StudentLessonView) -> dict[str, StudentQuestionContent]:
    """The revision's questions by id, student fields only (what a form is parsed with), cached by digest
    (set once: every take page of the revision would otherwise pickle the same questions again)."""
    forms_by_key = {question["id"]: question for question in view.questions}
    key = _forms_cache_key(revision.content_sha256[:DIGEST_CHARS])
    if not cache.has_key(key):
        cache.set(key, forms_by_key, QUESTION_FORMS_CACHE_SECONDS)
    return forms_by_key


# The forms by digest this process has used, most recent last (a revision's content never changes).
_FORMS_KEPT: OrderedDict[str, dict[str, StudentQuestionContent]] = OrderedDict()
FORMS_KEPT_MAX = 64


def forget_question_forms() -> None:
    """Empty the process's forms (tests: a process that has not shown the lesson yet)."""
    _FORMS_KEPT.clear()


def question_forms(ref: AttemptRef) -> dict[str, StudentQuestionContent]:
    """The fields the questions of the token's revision are parsed with: kept in the process, else from the
    cache, else from the revision (Http404 when there is none)."""
    kept = _FORMS_KEPT.get(ref.digest)
    if kept is not None:
        return kept
    forms_by_key = cache.get(_forms_cache_key(ref.digest))
    if forms_by_key is None:
        content = revision_content(ref.revision_id)  # the same read the service's save then uses
        if content is None:
            raise Http404
        revision = Revision(pk=ref.revision_id, content=content, content_sha256=ref.digest)
        forms_by_key = remember_question_forms(revision, student_view_of(revision))
    _FORMS_KEPT[ref.digest] = forms_by_key
    while len(_FORMS_KEPT) > FORMS_KEPT_MAX:
        _FORMS_KEPT.popitem(last=False)
    return cast(dict[str, StudentQuestionContent], forms_by_key)


# ----------------------------------------------------------------------------------------------------
# Reading a student's attempts


# ----------------------------------------------------------------------------------------------------
# Where an assignment stands for a student


# ----------------------------------------------------------------------------------------------------
# My classes, and joining one


def _my_classes(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    found = assignment_selectors.student_classes(signed_in_user(request))
    current = found.made_current(lambda attempts: attempts_made_current(attempts, now=now))
    context = {
        "classrooms": current.rows(now),
        "form": JoinClassForm(),
        "zone": timezone.get_current_timezone_name(),
    }
    return _never_cached(render(request, TEMPLATES + "my_classes.html", context))


@role_required("student")
@require_safe
def my_classes(request: HtmxHttpRequest) -> HttpResponse:
    """The student's classes, each with its assignments: dates, status, a link; and a form to join one."""
    return _my_classes(request)


@role_required("student")
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HtmxHttpRequest) -> HttpResponse:
    """GET: the join form. POST: join the class with that code; a bad code is a 400 with the form's error."""
    if request.method != "POST":
        return render(request, TEMPLATES + "join.html", {"form": JoinClassForm()})
    form = JoinClassForm(request.POST)
    # Wrong codes count against the account and the client address: join codes are not to be guessed.
    limits = ((JOIN_PER_ACCOUNT, str(request.user.pk)), (JOIN_PER_ADDRESS, client_address(request)))
    try:
        throttle_check_all(*limits)
    except Throttled as error:
        form.full_clean()
        form.add_error(None, error.message)
        return render(request, TEMPLATES + "join.html", {"form": form}, status=error.status)
    if form.is_valid():
        try:
            enrollment = classroom_join(student=signed_in_user(request), code=form.cleaned_data["code"])
        except InvalidInput as error:
            throttle_hit_all(*limits)
            form.add_error("code", error.message)
        else:
            messages.success(
                request, _("You are in the class %(name)s.") % {"name": enrollment.classroom.name}
            )
            return see_other(reverse("lessons:my_classes"))
    return render(request, TEMPLATES + "join.html", {"form": form}, status=400)


# ----------------------------------------------------------------------------------------------------
# An assignment's page: its rules, the student's attempts, Start or Resume


def _assignment_home(
    request: HtmxHttpRequest,
    assignment: Assignment,
    *,
    now: dt.datetime,
    attempts: list[Attempt] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    attempts = attempts_made_current(
        attempts if attempts is not None else assignment_selectors.attempts_at(assignment, user), now=now
    )
    context = {
        "assignment": assignment,
        "rows": assignment_selectors.attempt_rows(attempts, now),
        "status": status_of(assignment, attempts, now),
        "availability": availability_of(assignment, attempts, now),
        "problem": problem,
        "zone": timezone.get_current_timezone_name(),
        "feedback_immediately": answers_final_once_given(assignment),
    }
    return _never_cached(render(request, TEMPLATES + "assignment.html", context, status=status))


@role_required("student")
@require_safe
def assignment_home(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _reachable_assignment(signed_in_user(request), assignment_id)
    return _assignment_home(request, assignment, now=timezone.now())


# ----------------------------------------------------------------------------------------------------
# Taking the assignment in the player


@dataclass(frozen=True)
class TakePage:
    page: PlayerPage
    panels: list[QuestionPanel]
    progress: Progress
    general_error: str
    kept: dict[str, QueryDict | None]  # (keep_forms) the questions whose form is kept: their saved answer


def _take_page(
    assignment: Assignment,
    attempt: Attempt,
    *,
    now: dt.datetime,
    refused_key: str = "",
    error: ServiceError | None = None,
    data: QueryDict | None = None,
    keep_forms: bool = False,
    binding: str = "",
) -> TakePage:
    """The player in assignment mode: the questions' forms filled with the saved answers and their save
    state; feedback only where it is released (immediately, which makes each answer final). Two queries at
    most (the answers, and the revision if a regrade moved the assignment on).

    With `keep_forms`, a question whose form the process keeps (`lessons.web.question_fragments`) gets no
    form of its own: `TakePage.kept` holds its saved answer as form data to fill the kept one with."""
    attempt.assignment = assignment
    revision = revision_of(assignment, attempt)
    remember_revision(revision)  # its autosaves grade against it without reading it again
    view = student_view_of(revision, presentation_seed(attempt))
    sentences = player_selectors.article_sentences(revision)
    responses = player_selectors.responses_of(attempt)
    released = feedback_released(attempt, now=now)
    final = answers_final_once_given(assignment)
    slots = ordered_slots(assignment, attempt, revision, view, sentences, responses if released else {})
    token = attempt_token(attempt, revision, binding)
    remember_question_forms(revision, view)
    open_for_answers = player_selectors.accepts_answers(attempt)
    panels = []
    kept: dict[str, QueryDict | None] = {}
    for slot in slots:
        response = responses.get(slot.key)
        save = SaveState(
            token=token,
            next_sequence=(response.sequence if response is not None else 0) + 1,
            saved_at=response.saved_at if response is not None else None,
            final=final,
        )
        refused = error is not None and slot.key == refused_key
        if keep_forms and not refused and open_for_answers:
            saved = (
                saved_answer_data(slot.question, response.answer, response.evidence)
                if response is not None and response.answer is not None
                else None
            )
            if keepable(slot, save=save, data=saved):
                kept[slot.key] = saved
                panels.append(QuestionPanel(slot, None, save=save))
                continue
        panels.append(
            assignment_panel(
                slot,
                sentences,
                save=save,
                answer=response.answer if response is not None else None,
                evidence=response.evidence if response is not None else None,
                open_for_answers=open_for_answers,
                data=data if refused else None,
                error=error.message if refused and error is not None else "",
                error_status=error.status if refused and error is not None else 0,
            )
        )
    shown = {slot.key for slot in slots}
    general_error = error.message if error is not None and refused_key not in shown else ""
    return TakePage(
        page=PlayerPage(
            revision=revision,
            attempt=attempt,
            view=view,
            sentences=sentences,
            slots=slots,
            assignment=assignment,
        ),
        panels=panels,
        progress=Progress(len(responses), len(slots)),
        general_error=general_error,
        kept=kept,
    )


TAKE_TEMPLATE = TEMPLATES + "take.html"


def _render_take(
    request: HtmxHttpRequest,
    assignment: Assignment,
    attempt: Attempt,
    *,
    now: dt.datetime,
    refused_key: str = "",
    error: ServiceError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The take page. What is the student's own (their answers and save states, progress, reading aids,
    countdown, messages, CSRF token, name, attempt) goes into `slots`, rendered per page; the rest is the
    same for every student of the assignment, and without an error the page around the slots is kept per
    process (`lessons.web.question_fragments.page_html`), so that a page renders almost no template."""
    take = _take_page(
        assignment,
        attempt,
        now=now,
        refused_key=refused_key,
        error=error,
        data=request.POST if error is not None else None,
        keep_forms=True,
        binding=session_binding(request),
    )
    csrf = get_token(request)
    names = labels()
    aids = aids_html(take.page.aids, revision_id=take.page.revision.pk, labels=names)
    sourcing_note, provenance, cards = aids
    countdown = countdown_of(attempt, now)
    notes = get_messages(request)
    slots = {
        "messages": render_to_string(TEMPLATES + "_messages.html", {"messages": notes}) if notes else "",
        "countdown": render_to_string(TEMPLATES + "_countdown.html", {"countdown": countdown})
        if countdown
        else "",
        "progress": progress_html(take.progress),
        "sourcing_note": sourcing_note,
        "provenance": provenance,
        "cards": cards,
        "questions": "".join(_question_rows(request, assignment, attempt, take, csrf=csrf, labels=names)),
    }
    final_answers = answers_final_once_given(assignment)
    shared = {
        "assignment": assignment,
        "lesson": assignment.lesson,
        "page": take.page,
        "article_html": article_html(take.page, assignment.lesson),
        "general_error": take.general_error,
        "final_answers": final_answers,
        "sentence_link_base": "",
        "zone": timezone.get_current_timezone_name(),
        **names,
    }
    if keeping() and not take.general_error:
        is_teacher = nav_is_teacher(request)
        key = (
            "take",
            assignment.pk,
            take.page.revision.pk,
            get_language(),
            shared["zone"],
            is_teacher,
            assignment.classroom.name,
            assignment.lesson.language,
            final_answers,
            request.path,
        )
        html = page_html(
            key,
            TAKE_TEMPLATE,
            lambda: {
                **shared,
                **page_markers(),
                "is_teacher": is_teacher,
                "request": {"path": request.path},
            },
            csrf_token=csrf,
            attempt_id=attempt.pk,
            attempt_number=attempt.number,
            username=signed_in_user(request).get_username(),
            slots=slots,
        )
        return _never_cached(HttpResponse(html, status=status))
    context = {
        **shared,
        "attempt": attempt,
        "slots": {name: mark_safe(value) for name, value in slots.items()},  # noqa: S308 -- rendered HTML
    }
    return _never_cached(render(request, TAKE_TEMPLATE, context, status=status))


def _question_rows(
    request: HtmxHttpRequest,
    assignment: Assignment,
    attempt: Attempt,
    take: TakePage,
    *,
    csrf: str,
    labels: dict[str, Any],
) -> list[str]:
    """Each question of the page: built from what the process keeps (`lessons.web.question_fragments`)
    where its form is kept, else rendered (feedback, refusals, a form laid out by the saved answer)."""
    shared = {"assignment": assignment, "lesson": assignment.lesson, **labels}
    rows: list[str] = []
    for panel in take.panels:
        if panel.key not in take.kept or panel.save is None:
            context = {"attempt": attempt, "panel": panel, "csrf_token": csrf, "sentence_link_base": ""}
            rows.append(render_to_string(QUESTION_TEMPLATE, {**shared, **context}))
            continue
        rows.append(
            question_html(
                panel.slot,
                panel.save,
                take.page.sentences,
                context=shared,
                assignment_id=assignment.pk,
                revision_id=take.page.revision.pk,
                data=take.kept[panel.key],
                csrf_token=csrf,
            )
        )
    return rows


def _take_url(assignment_id: int) -> str:
    return reverse("lessons:assignment_take", args=[assignment_id])


def _results_url(assignment_id: int, attempt: Attempt | None = None) -> str:
    url = reverse("lessons:assignment_results_student", args=[assignment_id])
    return f"{url}?attempt={attempt.number}" if attempt is not None else url


@role_required("student")
@require_http_methods(["GET", "HEAD", "POST"])
def take(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    """POST: start an attempt, or resume the one in progress, and come back here (303); refused with a 409
    and the reason before the assignment opens, after it closes or when no attempt is left.
    GET: the player for the attempt in progress; an attempt past its deadline is submitted first and the
    student sent to its results; with no attempt in progress, the assignment's page."""
    user = signed_in_user(request)
    assignment = _reachable_assignment(user, assignment_id)
    now = timezone.now()
    if request.method == "POST":
        try:
            assignment_attempt_start(assignment=assignment, student=user, now=now)
        except NotAllowed:
            raise Http404 from None
        except (AssignmentNotOpen, NoAttemptsLeft) as error:
            return _assignment_home(request, assignment, now=now, problem=error.message, status=error.status)
        return see_other(_take_url(assignment.pk))

    attempt = assignment_selectors.open_attempt(assignment, user)
    if attempt is None:
        return HttpResponseRedirect(reverse("lessons:assignment_home", args=[assignment.pk]))
    resumed = attempt_resume(attempt, now=now)
    if resumed.time_up:
        messages.warning(
            request, _("Time is up: your attempt was submitted with the answers saved before the deadline.")
        )
        return HttpResponseRedirect(_results_url(assignment.pk, resumed.attempt))
    return _render_take(request, assignment, attempt, now=now)


# ----------------------------------------------------------------------------------------------------
# Saving one answer (the form's button without JS; autosave with it)


def _sequence(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 1:
        raise InvalidInput(_("The save sequence must be a positive whole number."), field="sequence")
    return value


def _newer_notice() -> str:
    return _("A newer answer to this question, from another tab or device, was kept. Reload to see it.")


def save_status_response(
    key: str,
    *,
    saved_at: dt.datetime | None,
    stored_sequence: int,
    problem: str = "",
    closed: bool = False,
    status: int = 200,
) -> HttpResponse:
    """A question's save state, the fragment an autosave swaps (not the form: it may be typed in); it needs
    nothing of the request (no context processor), so the lean autosave answers with it too."""
    context = {
        "status_key": key,
        "saved_at": saved_at,
        "stored_sequence": stored_sequence,
        "problem": problem,
        "closed": closed,
    }
    response = HttpResponse(render_to_string(TEMPLATES + "save_status.html", context), status=status)
    if status >= 400:
        response["HX-Reswap"] = "outerHTML"  # an expected refusal (see player.js), swapped like a success
    return response


@role_required("student")
@require_POST
def save_answer(request: HtmxHttpRequest, assignment_id: int, question_key: str) -> HttpResponse:
    """Save one answer of the student's own attempt in progress, with the form's `sequence`: a retried or
    out-of-order save that is not newer than the stored one changes nothing.

    No JS: 303 back to the question (after a refusal, the page itself: 400 with the error, 409 with why the
    attempt is closed). htmx: the question's save state ("Saved at …"), or the question with its feedback
    where feedback follows each answer; 400 with the error; 409 with the notice, and an event that shows the
    page's banner when the attempt is closed. 404 for an assignment the student cannot reach.
    """
    user = signed_in_user(request)
    named = attempt_from_token(request.POST.get("attempt", ""), user_id=user.pk, assignment_id=assignment_id)
    ref = named[1] if named is not None else None
    if ref is not None:
        attempt = Attempt(pk=ref.attempt_id, learner_id=user.pk, assignment_id=assignment_id)
        question = question_forms(ref).get(question_key)
    else:
        assignment = _reachable_assignment(user, assignment_id)
        found = assignment_selectors.latest_attempt(assignment, user)
        if found is None:
            error = AttemptClosed(_("You have not started this assignment. Start it from its page."))
            return _save_refused(request, assignment_id, None, question_key, error)
        attempt = found
        question = _student_question(found.revision, question_key)
    sequence: int | None = None
    try:
        sequence = _sequence(request.POST.get("sequence"))
        # An unknown question is the service's to refuse (InvalidAnswer), with nothing to parse.
        given, evidence = answer_from_post(question, request.POST) if question else (None, None)
        saved = services.response_save(
            learner=user,
            attempt=attempt,
            question_key=question_key,
            answer=given,
            evidence=evidence,
            sequence=sequence,
            revision_digest=ref.digest if ref is not None else None,
            revision_id=ref.revision_id if ref is not None else None,
        )
    except ServiceError as error:
        return _save_refused(request, assignment_id, attempt, question_key, error)

    newer = saved.stale and sequence is not None and saved.response.sequence > sequence
    if not request.htmx:
        if newer:
            messages.warning(request, _newer_notice())
        return see_other(f"{_take_url(assignment_id)}#question-{question_key}")
    if request.htmx.target == f"question-{question_key}":
        return _question_fragment(request, assignment_id, attempt.pk, question_key)
    return save_status_response(
        question_key,
        saved_at=saved.response.saved_at,
        stored_sequence=saved.response.sequence,
        problem=_newer_notice() if newer else "",
    )


def _student_question(revision: Revision, question_key: str) -> StudentQuestionContent | None:
    return next((q for q in student_view_of(revision).questions if q["id"] == question_key), None)


def _own_attempt(user: User, assignment_id: int, attempt_id: int) -> tuple[Assignment, Attempt]:
    """The student's attempt at an assignment they can reach, with the assignment; 404 otherwise."""
    assignment = _reachable_assignment(user, assignment_id)
    attempt = assignment_selectors.own_attempt(assignment, user, attempt_id)
    if attempt is None:
        raise Http404
    return assignment, attempt


def _question_fragment(
    request: HtmxHttpRequest,
    assignment_id: int,
    attempt_id: int,
    question_key: str,
    *,
    error: ServiceError | None = None,
) -> HttpResponse:
    """One question as the take page shows it (numbered and shuffled alike), the unit htmx swaps where
    feedback follows each answer; with its feedback once answered, or the refusal next to its form."""
    assignment, attempt = _own_attempt(signed_in_user(request), assignment_id, attempt_id)
    take = _take_page(
        assignment,
        attempt,
        now=timezone.now(),
        refused_key=question_key,
        error=error,
        data=request.POST if error is not None else None,
        binding=session_binding(request),
    )
    panel = next((panel for panel in take.panels if panel.key == question_key), None)
    if panel is None:
        return save_status_response(
            question_key,
            saved_at=None,
            stored_sequence=0,
            problem=error.message if error else "",
            status=error.status if error else 404,
        )
    context: dict[str, Any] = {"assignment": assignment, "attempt": attempt, "lesson": assignment.lesson}
    if error is None:
        context["progress_oob"] = take.progress
        context["aids_revealed"] = take.page.aids_revealed_by(question_key)
    response = render_question(request, panel, context, status=error.status if error else 200)
    answered = panel.slot.answered
    if error is None and answered is not None:
        trigger_client_event(
            response, EVIDENCE_EVENT, {"question": question_key, "sentences": answered.feedback.evidence}
        )
    if isinstance(error, AttemptClosed):
        trigger_client_event(response, CLOSED_EVENT, {"message": error.message})
    return response


def _save_refused(
    request: HtmxHttpRequest,
    assignment_id: int,
    attempt: Attempt | None,
    question_key: str,
    error: ServiceError,
) -> HttpResponse:
    closed = isinstance(error, AttemptClosed)
    if not request.htmx:
        user = signed_in_user(request)
        assignment = _reachable_assignment(user, assignment_id)
        now = timezone.now()
        if closed or attempt is None:
            return _assignment_home(request, assignment, now=now, problem=error.message, status=error.status)
        _assignment, own = _own_attempt(user, assignment_id, attempt.pk)
        return _render_take(
            request, assignment, own, now=now, refused_key=question_key, error=error, status=error.status
        )
    if attempt is not None and request.htmx.target == f"question-{question_key}":
        return _question_fragment(request, assignment_id, attempt.pk, question_key, error=error)
    stored = assignment_selectors.stored_save(attempt.pk, question_key) if attempt is not None else None
    response = save_status_response(
        question_key,
        saved_at=stored.saved_at if stored and not closed else None,
        stored_sequence=stored.sequence if stored else 0,
        problem=error.message,
        closed=closed,
        status=error.status,
    )
    if closed:
        trigger_client_event(response, CLOSED_EVENT, {"message": error.message})
    return response


# ----------------------------------------------------------------------------------------------------
# Submitting, and the results


def _int_or_404(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Http404 from None


@role_required("student")
@require_POST
def submit(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    """Submit the attempt the form names (the student's own; else the one in progress) and show its results.
    Submitting again is harmless: the first submission stands."""
    user = signed_in_user(request)
    raw = request.POST.get("attempt", "")
    if raw:
        # The service checks that the attempt is the student's, of this assignment, in a class they are
        # still in: the page's form costs no query of its own (rule 8).
        attempt = Attempt(pk=_int_or_404(raw), learner_id=user.pk, assignment_id=assignment_id)
    else:
        assignment = _reachable_assignment(user, assignment_id)
        found = assignment_selectors.open_attempt(assignment, user)
        if found is None:
            return see_other(reverse("lessons:assignment_home", args=[assignment.pk]))
        attempt = found
    try:
        attempt = services.attempt_submit(learner=user, attempt=attempt)
    except NotAllowed:
        raise Http404 from None
    messages.success(request, _("Your answers are submitted."))
    return see_other(_results_url(assignment_id, attempt))


@role_required("student")
@require_safe
def results(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    """A submitted attempt (`?attempt=N`, else the newest): the score and each question's feedback only when
    the assignment's policy releases them; before that, that the answers are in and when results come."""
    user = signed_in_user(request)
    assignment = _reachable_assignment(user, assignment_id)
    now = timezone.now()
    attempts = attempts_made_current(assignment_selectors.attempts_at(assignment, user), now=now)
    raw = request.GET.get("attempt", "")
    choice = assignment_selectors.result_to_show(attempts, number=_int_or_404(raw) if raw else None)
    if choice.in_progress:
        return HttpResponseRedirect(_take_url(assignment.pk))
    if choice.attempt is None and raw:
        raise Http404
    if choice.attempt is None:
        return HttpResponseRedirect(reverse("lessons:assignment_home", args=[assignment.pk]))
    attempt, submitted = choice.attempt, choice.submitted
    context: dict[str, Any] = {
        "assignment": assignment,
        "lesson": assignment.lesson,
        "attempt": attempt,
        "attempts": submitted,
        "zone": timezone.get_current_timezone_name(),
    }
    if not feedback_released(attempt, now=now):
        context["answered"] = assignment_selectors.answered_count(attempt)
        context["questions"] = len(assignment.revision.document["questions"])
        return _never_cached(render(request, TEMPLATES + "results_pending.html", context))

    revision = revision_of(assignment, attempt, graded=True)  # feedback from the key it was graded with
    view = student_view_of(revision, presentation_seed(attempt))
    sentences = player_selectors.article_sentences(revision)
    responses = player_selectors.responses_of(attempt)
    slots = ordered_slots(assignment, attempt, revision, view, sentences, responses)
    panels = [question_panel(slot, sentences, open_for_answers=False) for slot in slots]
    lines = assignment_selectors.result_lines(slots, responses)
    context.update(
        {
            "page": PlayerPage(
                revision=revision,
                attempt=attempt,
                view=view,
                sentences=sentences,
                slots=slots,
                assignment=assignment,
            ),
            "panels": panels,
            "progress": Progress(len(responses), len(slots)),
            "lines": lines,
            "waiting": sum(1 for line in lines if line.waiting_for_teacher),
            "earned": points_text(attempt.earned) if attempt.earned is not None else "",
            "possible": points_text(attempt.possible),
            "possible_count": int(attempt.possible),
            "sentence_link_base": "",
            **labels(),
        }
    )
    return _never_cached(render(request, TEMPLATES + "results.html", context))
