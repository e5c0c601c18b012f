"""Portable questions into a lesson document, and a lesson document into portable questions.

Each question's kind does the mapping (``Kind.to_portable``, ``Kind.from_portable``); this module adds
what every question has (prompt, points, explanation) and checks each imported question on its own with the
lesson file reader, so one question the format cannot carry is reported and left out, never half-imported.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils.translation import gettext as _

from lessons.content_types import LessonContent, SentenceContent, sentence_ids_of
from lessons.kinds import all_kinds, get_kind
from lessons.kinds.file import LessonFileError
from lessons.kinds.portable import NotCarried, PortableQuestion, TakenBack
from lessons.services.lesson_documents import FORMAT_NAME, FORMAT_VERSION, parse_lesson_document

from .report import Report

# The source that stands in for the publisher of the article a draft of imported questions does not have
# yet: shared, and the same for every such draft.
PLACEHOLDER_SOURCE: Final = {
    "id": "imported-questions",
    "name": "Imported questions",
    "kind": "other",
    "url": "",
    "actor": None,
    "description": "Stands in for the article of a lesson whose questions came from another tool.",
}
DEFAULT_FOCUS: Final = "event"
# Fields of a question no exchange format carries; a quizsite QTI package keeps them beside its items.
EXTRA_FIELDS: Final = (
    "id",
    "kind",
    "focus",
    "actors",
    "treaties",
    "claims",
    "evidence",
    "evidence_part",
    "typo_tolerance",
    "near_misses",
    "rubric",
    "options_order",
    "texts",
)


@dataclass
class QuestionBank:
    """What a file of questions holds: its questions, the categories they were filed under, and (from a
    quizsite QTI package) the lesson around them."""

    questions: list[PortableQuestion] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    lesson: dict[str, Any] | None = None  # a document without its questions (a quizsite package's)
    paragraphs: list[list[SentenceContent]] = field(default_factory=list)


def portable_questions(document: LessonContent, report: Report) -> list[PortableQuestion]:
    """The lesson's questions as portable questions, each kind's notes in the report."""
    sentences = [sentence for paragraph in document["article"]["paragraphs"] for sentence in paragraph]
    portable = []
    for number, question in enumerate(document["questions"], start=1):
        kind = get_kind(question["kind"])
        portrayal = kind.to_portable(question, sentences)
        answer = question["answer"]
        extras: dict[str, Any] = {name: question[name] for name in EXTRA_FIELDS if name in question}  # type: ignore[literal-required]
        extras.update({name: answer[name] for name in ("typo_tolerance", "rubric") if name in answer})  # type: ignore[literal-required]
        if "near_misses" in answer:
            extras["near_misses"] = answer["near_misses"]
        extras["texts"] = {
            "prompt": question["prompt"],
            "explanation": answer["explanation"],
            "option_feedback": answer["option_feedback"],
            "model_answer": answer["model_answer"],
        }
        extras["options_order"] = [option["id"] for option in question["options"]]
        name = f"{number}. {question['id']}"
        for note in portrayal.notes:
            report.change(name, note)
        portable.append(
            PortableQuestion(
                id=question["id"],
                title=question["id"],
                prompt=question["prompt"],
                points=question["points"],
                explanation=answer["explanation"],
                parts=portrayal.parts,
                extras=extras,
                notes=list(portrayal.notes),
            )
        )
    report.carried = len(portable)
    return portable


def _take_back(question: PortableQuestion) -> TakenBack:
    """The first kind (in the registry's order) that takes the question; NotCarried when none does."""
    for kind in all_kinds():
        taken = kind.from_portable(question)
        if taken is not None:
            return taken
    interactions = ", ".join(part.interaction.value for part in question.parts) or _("no answer")
    raise NotCarried(
        _("no question kind takes a question of this shape (%(shape)s)") % {"shape": interactions}
    )


def empty_lesson(*, slug: str, title: str, introduction: str, language: str = "en") -> dict[str, Any]:
    """A draft lesson document with no article (a placeholder with no sentences) and no questions."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "lesson": {
            "slug": slug,
            "title": title,
            "introduction": introduction,
            "sourcing_note": "",
            "objectives": [],
            "level": "intermediate",
            "estimated_minutes": 1,
            "status": "draft",
            "visibility": "private",
            "language": language,
            "reading_aids": {
                "sourcing_note": "after_dependent",
                "provenance": "after_dependent",
                "actor_cards": "after_dependent",
                "treaty_cards": "after_dependent",
            },
            "actors": [],
            "treaties": [],
        },
        "sources": [dict(PLACEHOLDER_SOURCE)],
        "actors": [],
        "treaties": [],
        "article": {
            "headline": title,
            "source": PLACEHOLDER_SOURCE["id"],
            "published_on": None,
            "url": "",
            "original_headline": "",
            "rests_on": "",
            "cites": [],
            "paragraphs": [],
        },
        "claims": [],
        "questions": [],
    }


def lesson_of_bank(
    bank: QuestionBank, *, slug: str | None = None, title: str = "", introduction: str = ""
) -> dict[str, Any]:
    """A lesson document of the bank's questions: the bank's own lesson (a quizsite package's; with a
    `slug`, as a new private draft of that slug) or a draft without an article. Each question is checked
    on its own; those that cannot be carried are reported and left out. Raises LessonFileError when none
    is left."""
    if bank.lesson is not None:
        document = copy.deepcopy(bank.lesson)
        document["article"]["paragraphs"] = bank.paragraphs
        if slug is not None:
            document["lesson"].update(slug=slug, status="draft", visibility="private")
    else:
        assert slug is not None, "a draft of questions alone needs a slug"
        document = empty_lesson(slug=slug, title=title, introduction=introduction)
    used: set[str] = set()
    built: list[tuple[str, PortableQuestion, dict[str, Any] | None, str]] = []
    for number, portable in enumerate(bank.questions, start=1):
        name = portable.title or str(number)
        try:
            made = _question(portable, number, used, document)
        except NotCarried as refused:
            built.append((name, portable, None, refused.message))
            continue
        used.add(made["id"])
        built.append((name, portable, made, ""))
    # Read as a whole once; only a lesson that does not read is read again question by question, to
    # leave out (and report) the questions that cannot be carried.
    whole = [question for _name, _portable, question, _message in built if question is not None]
    try:
        parse_lesson_document(dict(document, questions=whole))
        each_checked = True
    except LessonFileError:
        each_checked = False
    for name, portable, question, message in built:
        if question is not None and not each_checked:
            try:
                _check_alone(document, question)
            except NotCarried as refused:
                question, message = None, refused.message
        if question is None:
            bank.report.skip(name, message)
            continue
        document["questions"].append(question)
        for note in portable.notes:
            bank.report.change(name, note)
    if not document["questions"]:
        raise LessonFileError("questions", _("the file holds no question that can be imported"))
    if bank.lesson is None:
        document["lesson"]["estimated_minutes"] = min(600, 2 * len(document["questions"]))
    bank.report.carried = len(document["questions"])
    return document


def _question(
    portable: PortableQuestion, number: int, used: set[str], document: dict[str, Any]
) -> dict[str, Any]:
    taken = _take_back(portable)
    extras = portable.extras
    texts = extras.get("texts") or {}
    question_id = extras.get("id") if isinstance(extras.get("id"), str) else f"q{number}"
    while question_id in used:
        question_id = f"{question_id}-{number}"
    if extras.get("kind", taken.kind) != taken.kind:
        raise NotCarried(
            _("it was a %(was)s question, but reads as %(now)s") % {"was": extras["kind"], "now": taken.kind}
        )
    portable.notes.extend(taken.notes)
    explanation = texts.get("explanation", portable.explanation).strip()
    if not explanation:
        explanation = _("The imported question came without an explanation.")
        portable.notes.append(_("it had no general feedback: the explanation says so"))
    options = taken.options
    order = extras.get("options_order")
    if isinstance(order, list) and sorted(order) == sorted(option["id"] for option in options):
        options = sorted(options, key=lambda option: order.index(option["id"]))
    answer: dict[str, Any] = {
        "explanation": explanation,
        "correct": taken.correct,
        "option_feedback": texts.get("option_feedback", taken.option_feedback),
        "accepted": taken.accepted,
        "typo_tolerance": extras.get("typo_tolerance", 0),
    }
    near_misses = extras.get("near_misses", taken.near_misses)
    if near_misses:
        answer["near_misses"] = near_misses
    answer["model_answer"] = texts.get("model_answer", taken.model_answer)
    answer["rubric"] = extras.get("rubric") or taken.rubric
    return {
        "id": question_id,
        "kind": taken.kind,
        "focus": extras.get("focus", DEFAULT_FOCUS),
        "prompt": texts.get("prompt", portable.prompt).strip() or portable.title,
        "points": portable.points,
        "actors": extras.get("actors", []),
        "treaties": extras.get("treaties", []),
        "claims": extras.get("claims", []),
        "evidence": extras.get("evidence", []),
        "options": options,
        "items": taken.items,
        "evidence_part": extras.get("evidence_part", 0),
        "answer": answer,
    }


def _check_alone(document: dict[str, Any], question: dict[str, Any]) -> None:
    """The question read by the lesson file reader in its lesson, alone: NotCarried when the question is
    wrong, LessonFileError when the lesson around it is."""
    alone = dict(document, questions=[question])
    try:
        parse_lesson_document(alone)
    except LessonFileError as error:
        if not error.path.startswith("questions[0]"):
            raise
        path = error.path.removeprefix("questions[0]").lstrip(".")
        raise NotCarried(f"{path or _('the question')}: {error.message}") from None


def sentence_texts(document: LessonContent) -> dict[str, str]:
    return {
        sentence["id"]: sentence["text"]
        for paragraph in document["article"]["paragraphs"]
        for sentence in paragraph
    }


def without_questions(document: LessonContent) -> dict[str, Any]:
    """The lesson around its questions, for a quizsite package's sidecar (the article's text is in the
    package's stimulus)."""
    lesson: dict[str, Any] = copy.deepcopy(dict(document))
    lesson["questions"] = []
    lesson["article"]["paragraphs"] = []
    return lesson


__all__ = [
    "QuestionBank",
    "empty_lesson",
    "lesson_of_bank",
    "portable_questions",
    "sentence_ids_of",
    "sentence_texts",
    "without_questions",
]
