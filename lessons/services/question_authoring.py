"""Writing a lesson's questions in the studio: save one from its editor, move, duplicate and delete; try an
answer in the preview (graded, never stored); publish behind the checklist.

A lesson's draft is its rows (Question, Option, AnswerKey, RubricCriterion and the links); publishing
freezes them into the next Revision (``lessons.services.lessons.lesson_publish``), so editing a published
lesson edits the draft and changes nothing a student or a grade points at. Every write locks the lesson row
(``locks`` order 1) and checks ``check_can_author`` inside its transaction; nothing here names a kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from lessons.content_types import LessonContent, QuestionContent
from lessons.grading import MalformedAnswer, grade, lesson_terms
from lessons.kinds import UnknownKind, get_kind
from lessons.kinds.scoring import arrangement_avoiding, key_positions_kept
from lessons.models import (
    Actor,
    AnswerKey,
    Claim,
    Lesson,
    LessonStatus,
    Option,
    OptionGroup,
    Question,
    Revision,
    RubricCriterion,
    Sentence,
    Treaty,
)

from . import locks
from .authoring import check_can_author
from .errors import InvalidInput, NotAllowed, ServiceError
from .lesson_documents import read_one_question
from .lessons import lesson_document, lesson_publish
from .publish_checklist import Checklist, checklist_of, links_of
from .question_checks import QuestionProblem, edited_question, question_problems

User = AbstractBaseUser | AnonymousUser
_PARKED = 1_000_000  # positions moved out of the way while a lesson's questions are renumbered


class QuestionInvalid(ServiceError):
    """A question as its editor wrote it breaks rules: every problem, nothing saved (400)."""

    status = 400

    def __init__(self, problems: Sequence[QuestionProblem]) -> None:
        super().__init__(" ".join(str(problem) for problem in problems))
        self.problems = list(problems)


class ChecklistFailed(ServiceError):
    """Publishing refused: the checklist lists problems (409: the lesson's state, not the request)."""

    status = 409

    def __init__(self, checklist: Checklist) -> None:
        super().__init__(_("The lesson is not ready to publish: see every problem listed."))
        self.checklist = checklist


class QuestionConflict(ServiceError):
    """A question sent to replace another names another id or kind (409: a question keeps both)."""

    status = 409


@dataclass(frozen=True)
class SavedQuestion:
    question: Question
    number: int
    rearranged: bool  # its list was stored in the key's order and was put in another


def _locked(lesson: Lesson, user: User) -> Lesson:
    """The lesson row locked, once `user` may author it (NotAllowed, 404, otherwise)."""
    locked = locks.lessons_for_update().get(pk=lesson.pk)
    check_can_author(user=user, lesson=locked)
    return locked


def _ordered(lesson: Lesson) -> list[Question]:
    return list(lesson.questions.order_by("position"))


def _question(lesson: Lesson, key: str) -> Question:
    question = lesson.questions.filter(key=key).first()
    if question is None:
        raise NotAllowed(_("No such question."))
    return question


def _next_key(lesson: Lesson) -> str:
    taken = set(lesson.questions.values_list("key", flat=True))
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def _renumber(questions: Sequence[Question]) -> None:
    """Give `questions` positions 0, 1, … in their order, through positions parked out of the way (the
    lesson's positions are unique at every moment of each statement)."""
    for index, question in enumerate(questions):
        question.position = _PARKED + index
    Question.objects.bulk_update(questions, ["position"])
    for index, question in enumerate(questions):
        question.position = index
    Question.objects.bulk_update(questions, ["position"])


def _avoid_key_order(question: QuestionContent) -> bool:
    """Store a list the student puts in order or matches in an order that is not its key's (a printout or
    an export of the draft would give the answer away); True when it was in the key's order."""
    kind = get_kind(question["kind"])
    arrangement = kind.key_arrangement(question)
    if arrangement is None:
        return False
    field, key = arrangement
    entries = list(question[field])  # type: ignore[literal-required]
    stored = [entry["id"] for entry in entries]
    if len(stored) < 2 or key_positions_kept(stored, key) < sum(1 for entry in key if entry is not None):
        return False
    by_id = {entry["id"]: entry for entry in entries}
    question[field] = [by_id[entry] for entry in arrangement_avoiding(stored, key, question["id"])]  # type: ignore[literal-required]
    return True


def _write(lesson: Lesson, content: QuestionContent, row: Question) -> Question:
    """Store `content` in `row` (saved or new, its position set) with its options, key, rubric and links."""
    row.lesson = lesson
    row.key = content["id"]
    row.kind = content["kind"]
    row.focus = content["focus"]
    row.prompt = content["prompt"]
    row.points = content["points"]
    row.evidence_part = content["evidence_part"]
    row.save()
    row.options.all().delete()
    row.rubric.all().delete()
    group_default = OptionGroup.CHOICE
    Option.objects.bulk_create(
        [
            Option(
                question=row,
                key=entry["id"],
                group=entry.get("group", group_default),
                position=position,
                text=entry["text"],
            )
            for position, entry in enumerate(content["options"])
        ]
        + [
            Option(
                question=row,
                key=entry["id"],
                group=OptionGroup.ITEM,
                position=len(content["options"]) + position,
                text=entry["text"],
            )
            for position, entry in enumerate(content["items"])
        ]
    )
    answer = content["answer"]
    AnswerKey.objects.update_or_create(
        question=row,
        defaults={
            "explanation": answer["explanation"],
            "correct": get_kind(content["kind"]).stored_key(answer["correct"], content),
            "option_feedback": answer["option_feedback"],
            "accepted": answer["accepted"],
            "typo_tolerance": answer["typo_tolerance"],
            "near_misses": [
                {"text": miss, "feedback": ""} if isinstance(miss, str) else miss
                for miss in answer.get("near_misses") or ()
            ],
            "model_answer": answer["model_answer"],
        },
    )
    RubricCriterion.objects.bulk_create(
        RubricCriterion(
            question=row,
            key=criterion["id"],
            position=position,
            criterion=criterion["criterion"],
            points=criterion["points"],
        )
        for position, criterion in enumerate(answer["rubric"])
    )
    row.actors.set(Actor.objects.filter(slug__in=content["actors"]))
    row.treaties.set(Treaty.objects.filter(slug__in=content["treaties"]))
    row.claims.set(Claim.objects.filter(article_id=lesson.article_id, key__in=content["claims"]))
    row.evidence.set(Sentence.objects.filter(article_id=lesson.article_id, key__in=content["evidence"]))
    return row


def _document_question(document: LessonContent, key: str) -> tuple[int, QuestionContent] | None:
    for number, question in enumerate(document["questions"], start=1):
        if question["id"] == key:
            return number, question
    return None


# ----------------------------------------------------------------------------------------------------
# Writes


@transaction.atomic
def question_save(
    *, user: User, lesson: Lesson, data: QueryDict, kind_name: str = "", question_key: str = ""
) -> SavedQuestion:
    """Save a question from its editor's form: a new one of `kind_name` at the end, or the question
    `question_key` (whose kind stays). Raises QuestionInvalid with every problem, and writes nothing, when
    it breaks a rule of the lesson file; NotAllowed (404) for a lesson `user` may not author or an unknown
    question; InvalidInput for an unknown kind."""
    lesson = _locked(lesson, user)
    document = lesson_document(lesson)
    existing = _question(lesson, question_key) if question_key else None
    try:
        kind = get_kind(existing.kind if existing is not None else kind_name)
    except UnknownKind:
        raise InvalidInput(_("Choose a kind of question."), field="kind") from None
    found = _document_question(document, existing.key) if existing is not None else None
    number = found[0] if found is not None else len(document["questions"]) + 1
    key = existing.key if existing is not None else _next_key(lesson)
    links = links_of(document)
    question, unreadable = edited_question(kind=kind, key=key, data=data, links=links)
    problems = question_problems(question, kind=kind, number=number, links=links, unreadable=unreadable)
    if problems:
        raise QuestionInvalid(problems)
    return _store(lesson, question, existing, number)


def _store(
    lesson: Lesson, question: QuestionContent, existing: Question | None, number: int
) -> SavedQuestion:
    """Write a checked question: into `existing`, or as a new one at the end."""
    rearranged = _avoid_key_order(question)
    row = existing or Question(position=_PARKED * 2)
    _write(lesson, question, row)
    if existing is None:
        _renumber([*_ordered(lesson)])
        row.refresh_from_db(fields=["position"])
    return SavedQuestion(row, number, rearranged)


@transaction.atomic
def question_save_content(
    *, user: User, lesson: Lesson, content: Any, question_key: str = ""
) -> SavedQuestion:
    """Save a question given as a lesson file writes it (untrusted JSON): a new one at the end, its id
    chosen here as the editor's is (an `id` given is not kept), or the question `question_key`. It is read
    by the lesson file's rules, then checked as the editor's question is (``question_problems``): either
    raises QuestionInvalid with every problem and writes nothing. QuestionConflict (409) when it names
    another id or kind than the question it replaces; NotAllowed (404) as ``question_save``."""
    lesson = _locked(lesson, user)
    document = lesson_document(lesson)
    existing = _question(lesson, question_key) if question_key else None
    found = _document_question(document, existing.key) if existing is not None else None
    number = found[0] if found is not None else len(document["questions"]) + 1
    key = existing.key if existing is not None else _next_key(lesson)
    given = dict(content) if isinstance(content, dict) else content
    if existing is not None and isinstance(given, dict):
        if given.get("id", key) != key:
            raise QuestionConflict(
                _("This is question %(key)s: a question's id does not change.") % {"key": key}, field="id"
            )
        if given.get("kind", existing.kind) != existing.kind:
            raise QuestionConflict(
                _("A question's kind does not change: write a new question of the other kind."), field="kind"
            )
    if isinstance(given, dict):
        given["id"] = key
        if existing is not None:
            given.setdefault("kind", existing.kind)
    question, file_problems = read_one_question(given, document=document)
    if question is None:
        prompt = given.get("prompt") if isinstance(given, dict) else None
        raise QuestionInvalid(
            [
                QuestionProblem(number, prompt if isinstance(prompt, str) else "", path, message)
                for path, message in file_problems
            ]
        )
    problems = question_problems(
        question, kind=get_kind(question["kind"]), number=number, links=links_of(document)
    )
    if problems:
        raise QuestionInvalid(problems)
    return _store(lesson, question, existing, number)


@transaction.atomic
def question_move(
    *, user: User, lesson: Lesson, question_key: str, by: int = 0, to: int | None = None
) -> int:
    """Move a question `by` places (-1: up, 1: down), or `to` a number (1: first); at either end it stays.
    Its number after the move."""
    lesson = _locked(lesson, user)
    questions = _ordered(lesson)
    index = next((i for i, q in enumerate(questions) if q.key == question_key), None)
    if index is None:
        raise NotAllowed(_("No such question."))
    target = min(max(to - 1 if to is not None else index + by, 0), len(questions) - 1)
    questions.insert(target, questions.pop(index))
    _renumber(questions)
    return target + 1


@transaction.atomic
def question_duplicate(*, user: User, lesson: Lesson, question_key: str) -> Question:
    """A copy of a question (a new id), placed right after it."""
    lesson = _locked(lesson, user)
    _question(lesson, question_key)
    found = _document_question(lesson_document(lesson), question_key)
    assert found is not None  # the question exists, so the document holds it
    copy = dict(found[1])
    copy["id"] = _next_key(lesson)
    row = _write(lesson, copy, Question(position=_PARKED * 2))  # type: ignore[arg-type]
    questions = [q for q in _ordered(lesson) if q.pk != row.pk]
    index = next(i for i, q in enumerate(questions) if q.key == question_key)
    questions.insert(index + 1, row)
    _renumber(questions)
    return row


@transaction.atomic
def question_delete(*, user: User, lesson: Lesson, question_key: str) -> None:
    """Delete a question of the draft; published revisions keep theirs."""
    lesson = _locked(lesson, user)
    _question(lesson, question_key).delete()
    _renumber(_ordered(lesson))


@transaction.atomic
def lesson_publish_checked(*, user: User, lesson: Lesson) -> Revision:
    """Publish the draft as the next revision, once the checklist lists no problem (ChecklistFailed
    otherwise, with every problem). Unchanged content keeps the current revision."""
    lesson = _locked(lesson, user)
    checklist = checklist_of(lesson_document(lesson, status=LessonStatus.PUBLISHED))
    if not checklist.ready:
        raise ChecklistFailed(checklist)
    return lesson_publish(lesson=lesson, by=user if user.is_authenticated else None)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------------
# The preview: graded, never stored


@dataclass(frozen=True)
class PreviewGrade:
    earned: Decimal
    possible: Decimal
    correct: bool
    needs_teacher: bool
    parts: dict[str, Any]
    answer: Any
    evidence: list[str] | None


def preview_grade(
    *, user: User, lesson: Lesson, document: LessonContent, question_key: str, answer: Any, evidence: Any
) -> PreviewGrade:
    """Grade an answer given in the preview of the draft `document` the way the player would; nothing is
    written. InvalidInput names what does not fit, NotAllowed (404) an unknown question."""
    check_can_author(user=user, lesson=lesson)
    found = _document_question(document, question_key)
    if found is None:
        raise NotAllowed(_("No such question."))
    question = found[1]
    sentence_ids = [s["id"] for paragraph in document["article"]["paragraphs"] for s in paragraph]
    try:
        result = grade(
            question,
            answer,
            evidence=evidence,
            sentence_ids=sentence_ids,
            terms=lesson_terms(document["actors"]),
        )
    except MalformedAnswer as error:
        raise InvalidInput(_(error.template) % error.params if error.params else _(error.template)) from None
    return PreviewGrade(
        earned=result.earned,
        possible=result.possible,
        correct=result.correct,
        needs_teacher=result.needs_teacher,
        parts=dict(result.parts),
        answer=answer,
        evidence=list(evidence) if evidence is not None else None,
    )
