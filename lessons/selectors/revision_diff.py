"""What changed between two revisions of a lesson: questions added, removed and changed (their prompt, their
key, their options…), for the teacher's "what changed" page. Pure: two frozen documents in, a summary out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lessons.content_types import LessonContent, QuestionContent


def _key(question: QuestionContent) -> Any:
    answer = question["answer"]
    return (
        answer["correct"],
        answer["accepted"],
        answer["typo_tolerance"],
        answer.get("near_misses") or [],
        answer["model_answer"],
        answer["rubric"],
    )


# What a teacher calls each part of a question, and how to read it from one.
ASPECTS: tuple[tuple[str, Promise, Callable[[QuestionContent], Any]], ...] = (
    ("prompt", _("prompt"), lambda q: q["prompt"]),
    ("kind", _("kind"), lambda q: q["kind"]),
    ("key", _("answer key"), _key),
    ("options", _("options or items"), lambda q: (q["options"], q["items"])),
    ("explanation", _("explanation"), lambda q: q["answer"]["explanation"]),
    ("feedback", _("feedback"), lambda q: q["answer"]["option_feedback"]),
    ("evidence", _("evidence sentences"), lambda q: q["evidence"]),
    ("points", _("points"), lambda q: (q["points"], q["evidence_part"])),
    ("focus", _("focus"), lambda q: q["focus"]),
    ("links", _("linked actors, treaties or claims"), lambda q: (q["actors"], q["treaties"], q["claims"])),
)


@dataclass(frozen=True)
class QuestionLine:
    key: str
    number: int  # in the revision it belongs to
    prompt: str


@dataclass(frozen=True)
class QuestionChange:
    key: str
    number: int  # in the newer revision
    old_prompt: str
    new_prompt: str
    aspects: list[str]  # the names of ASPECTS that differ
    labels: list[str]  # the same, as people read them

    @property
    def key_changed(self) -> bool:
        return "key" in self.aspects

    @property
    def prompt_changed(self) -> bool:
        return "prompt" in self.aspects


@dataclass(frozen=True)
class RevisionChanges:
    added: list[QuestionLine] = field(default_factory=list)
    removed: list[QuestionLine] = field(default_factory=list)
    changed: list[QuestionChange] = field(default_factory=list)
    reordered: bool = False
    lesson_fields: list[str] = field(default_factory=list)  # the lesson's own parts that changed

    @property
    def nothing(self) -> bool:
        return not (self.added or self.removed or self.changed or self.reordered or self.lesson_fields)


LESSON_PARTS: tuple[tuple[Promise, Callable[[LessonContent], Any]], ...] = (
    (_("title"), lambda d: d["lesson"]["title"]),
    (_("introduction"), lambda d: d["lesson"]["introduction"]),
    (_("objectives"), lambda d: d["lesson"]["objectives"]),
    (_("article"), lambda d: d["article"]),
    (_("claims"), lambda d: d["claims"]),
    (_("featured actors and treaties"), lambda d: (d["lesson"]["actors"], d["lesson"]["treaties"])),
)


def revision_changes(old: LessonContent, new: LessonContent) -> RevisionChanges:
    """What `new` changed of `old`: questions matched by id."""
    old_questions = {q["id"]: (number, q) for number, q in enumerate(old["questions"], start=1)}
    new_questions = {q["id"]: (number, q) for number, q in enumerate(new["questions"], start=1)}
    added = [
        QuestionLine(key, number, q["prompt"])
        for key, (number, q) in new_questions.items()
        if key not in old_questions
    ]
    removed = [
        QuestionLine(key, number, q["prompt"])
        for key, (number, q) in old_questions.items()
        if key not in new_questions
    ]
    changed = []
    for key, (number, question) in new_questions.items():
        if key not in old_questions:
            continue
        before = old_questions[key][1]
        differing = [(name, label) for name, label, read in ASPECTS if read(before) != read(question)]
        if differing:
            changed.append(
                QuestionChange(
                    key=key,
                    number=number,
                    old_prompt=before["prompt"],
                    new_prompt=question["prompt"],
                    aspects=[name for name, _label in differing],
                    labels=[str(label) for _name, label in differing],
                )
            )
    kept_old = [key for key in old_questions if key in new_questions]
    kept_new = [key for key in new_questions if key in old_questions]
    return RevisionChanges(
        added=added,
        removed=removed,
        changed=changed,
        reordered=kept_old != kept_new,
        lesson_fields=[str(label) for label, read in LESSON_PARTS if read(old) != read(new)],
    )
