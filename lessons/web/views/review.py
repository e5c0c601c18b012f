"""The review queue: questions a learner missed, served when spaced repetition says they are due.

One question at a time, oldest due first, across lessons. Answering shows the same feedback as the player
and reschedules the item; without JavaScript the page is rendered again with that feedback and a "Next" link.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from lessons import services
from lessons.models import ReviewItem
from lessons.selectors import player as player_selectors
from lessons.selectors.self_study import due_review_count, first_due_review_item, upcoming_reviews
from lessons.services.attempts import revision_questions
from lessons.web.answer_forms import QuestionPanel, answer_from_post, question_panel
from lessons.web.decorators import role_required, signed_in_user

from .player import HtmxHttpRequest, labels, render_question


def _item_context(item: ReviewItem) -> dict[str, Any]:
    return {
        "review_item": item,
        "lesson": item.lesson,
        # The review page has no article: evidence links open the lesson page at the sentence.
        "sentence_link_base": reverse("lessons:lesson_detail", args=[item.lesson.slug]),
    }


def _queue_context(request: HtmxHttpRequest, now: dt.datetime) -> dict[str, Any]:
    """How many questions are due now, and what comes back later and when (in the viewer's zone)."""
    learner = signed_in_user(request)
    return {
        "due_count": due_review_count(learner, now=now),
        "upcoming": upcoming_reviews(learner, now=now),
        "zone": timezone.get_current_timezone_name(),
    }


def _render_review(
    request: HtmxHttpRequest,
    *,
    now: dt.datetime,
    panel: QuestionPanel | None,
    item: ReviewItem | None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "panel": panel,
        **_queue_context(request, now),
        "answered_now": panel is not None and panel.slot.answered is not None,
        **labels(),
    }
    if item is not None:
        context.update(_item_context(item))
    return render(request, "lessons/review.html", context, status=status)


@role_required("learner")
@require_safe
def queue(request: HtmxHttpRequest) -> HttpResponse:
    """The first review item due now (server time) as a form, and how many are due."""
    now = timezone.now()
    item = first_due_review_item(signed_in_user(request), now=now)
    panel = None
    if item is not None:
        slot = player_selectors.review_slot(item)
        panel = question_panel(slot, player_selectors.article_sentences(item.revision))
    return _render_review(request, now=now, panel=panel, item=item)


@role_required("learner")
@require_POST
def answer(request: HtmxHttpRequest, item_id: int) -> HttpResponse:
    """Answer the learner's own review item (404 for anyone else's) and show its feedback."""
    item = player_selectors.review_item_for(request.user, item_id=item_id)
    if item is None:
        raise Http404
    now = timezone.now()
    sentences = player_selectors.article_sentences(item.revision)
    question = revision_questions(item.revision)[item.question_key]
    try:
        given, evidence = answer_from_post(question, request.POST)
        outcome = services.review_answer(
            learner=signed_in_user(request), item=item, answer=given, evidence=evidence, now=now
        )
    except services.ServiceError as error:
        panel = question_panel(
            player_selectors.review_slot(item),
            sentences,
            open_for_answers=not isinstance(error, services.AnswerLocked | services.HeldForAssignment),
            data=request.POST,
            error=error.message,
            error_status=error.status,
        )
        if request.htmx:
            return render_question(request, panel, _item_context(item), status=error.status)
        return _render_review(request, now=now, panel=panel, item=item, status=error.status)

    answered = player_selectors.answered(
        question,
        answer=outcome.answer,
        evidence=outcome.evidence,
        earned=outcome.grade.earned,
        possible=outcome.grade.possible,
        correct=outcome.grade.correct,
        needs_teacher=outcome.grade.needs_teacher,
        parts=outcome.grade.parts,
        sentences=sentences,
    )
    panel = question_panel(player_selectors.review_slot(item, answered), sentences)
    if request.htmx:
        context = {
            **_item_context(item),
            "next_url": reverse("lessons:review"),
            # The page's count and what comes later follow, swapped out of band.
            "due_count_oob": True,
            **_queue_context(request, now),
            "answered_now": True,
        }
        return render_question(request, panel, context)
    return _render_review(request, now=now, panel=panel, item=item)
