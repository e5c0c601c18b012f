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
from lessons.selectors.player import Answered, QuestionSlot


def question_data(question: StudentQuestionContent) -> dict[str, Any]:
    shown: dict[str, Any] = dict(question)
    # What the kind adds (student_fields) sits beside the common fields: passed on as it is.
    shown["answering"] = {
        name: value for name, value in question.items() if name not in STUDENT_QUESTION_FIELDS
    }
    return shown


def lesson_data(view: StudentLessonView) -> dict[str, Any]:
    info = view.lesson
    return {
        "lesson": {
            "slug": info["slug"],
            "title": info["title"],
            "introduction_html": markdown_to_html(info["introduction"]),
            "objectives": info["objectives"],
            "level": info["level"],
            "estimated_minutes": info["estimated_minutes"],
        },
        "article": view.article,
        "actors": view.actors,
        "treaties": view.treaties,
        "sources": view.sources,
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
