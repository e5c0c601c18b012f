"""Selector results turned into the plain data the serializers read. Nothing here reads a key: questions
come from `student_question`, feedback from `selectors.feedback` (via the player's `Answered`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lessons.content_types import StudentQuestionContent
from lessons.models import Attempt, Response
from lessons.policy import feedback_released
from lessons.rendering import markdown_to_html
from lessons.selectors.lessons import STUDENT_QUESTION_FIELDS, StudentLessonView
from lessons.selectors.player import Answered, AttemptSummary, QuestionSlot
from lessons.selectors.reading_aids import ReadingAids


def question_data(question: StudentQuestionContent) -> dict[str, Any]:
    shown: dict[str, Any] = dict(question)
    # What the kind adds (student_fields) sits beside the common fields: passed on as it is.
    shown["answering"] = {
        name: value for name, value in question.items() if name not in STUDENT_QUESTION_FIELDS
    }
    return shown


def lesson_data(view: StudentLessonView, aids: ReadingAids) -> dict[str, Any]:
    """The lesson as the student's page shows it now: the reading aids (sourcing note, sources behind the
    provenance line, actor and treaty cards) only once `aids` shows them (DESIGN.md rule 9)."""
    info = view.lesson
    shown_actors = {card.id for card in aids.actor_cards if card.shown}
    shown_treaties = {card.id for card in aids.treaty_cards if card.shown}
    return {
        "lesson": {
            "slug": info["slug"],
            "title": info["title"],
            "language": aids.language,
            "introduction_html": markdown_to_html(info["introduction"]),
            "sourcing_note_html": markdown_to_html(aids.sourcing_note) if aids.sourcing_note_shown else "",
            "objectives": info["objectives"],
            "level": info["level"],
            "estimated_minutes": info["estimated_minutes"],
            "reading_aids": dict(aids.choices),
        },
        "article": view.article,
        "actors": [actor for actor in view.actors if actor["id"] in shown_actors],
        "treaties": [treaty for treaty in view.treaties if treaty["id"] in shown_treaties],
        "sources": view.sources if aids.provenance_shown else [],
        "questions": [question_data(question) for question in view.questions],
    }


def answered_data(answered: Answered) -> dict[str, Any]:
    feedback = answered.feedback
    return {
        "result": {
            "verdict": answered.result.verdict,
            "earned": answered.result.earned,
            "possible": answered.result.possible,
        },
        "your_answer": answered.your_answer,
        "feedback": {
            "correct": feedback.correct,
            "right_answer": feedback.right_answer,
            "explanation_html": feedback.explanation_html,
            "chosen_feedback": feedback.chosen_feedback,
            "evidence": feedback.evidence,
            "model_answer_html": feedback.model_answer_html,
            "rubric": feedback.rubric,
        },
    }


def slot_data(slot: QuestionSlot) -> dict[str, Any]:
    return {
        "number": slot.number,
        "question": question_data(slot.question),
        "answered": answered_data(slot.answered) if slot.answered is not None else None,
    }


def attempt_data(attempt: Attempt, *, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": attempt.pk,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "deadline": attempt.deadline,
        "is_late": attempt.is_late,
        "auto_submitted": attempt.auto_submitted,
        "results_released": not attempt.is_open and feedback_released(attempt, now=now),
    }


def saved_data(response: Response) -> dict[str, Any]:
    return {
        "question": response.question_key,
        "answer": response.answer,
        "evidence": response.evidence,
        "sequence": response.sequence,
        "saved_at": response.saved_at,
    }


def summary_data(attempt: Attempt, summary: AttemptSummary) -> dict[str, Any]:
    """A finished self-study attempt's total and its scores by focus."""
    return {
        "attempt": attempt.pk,
        "earned": summary.earned,
        "possible": summary.possible,
        "by_focus": [
            {
                "focus": score.focus,
                "earned": score.earned,
                "possible": score.possible,
                "questions": score.questions,
                "answered": score.answered,
            }
            for score in summary.by_focus
        ],
    }
