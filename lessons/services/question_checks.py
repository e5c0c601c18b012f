"""Checking one question as its editor wrote it: every problem at once, in plain words.

The rules are the lesson file's (``lessons.services.lesson_documents`` and each kind's ``check_file_*``), run
one by one so that a question with three problems shows all three; nothing here names a question kind. Each
problem names its question by number and prompt and the field, as a teacher reads the editor. Pure: no
database.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.http import QueryDict
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import AnswerContent, OptionContent, QuestionContent
from lessons.kinds import Kind, get_kind
from lessons.kinds.editor import EditedKey, picked_sentences
from lessons.kinds.file import MAX_TEXT_LENGTH, LessonFileError, Node
from lessons.kinds.forms import SentenceRef
from lessons.models.choices import Focus, OptionGroup

from .lesson_documents import NEAR_MISS_LENGTH, _read_near_misses

MAX_POINTS = 100
OPTION_LENGTH = 500

# The editor's fields by the path a lesson file gives them, longest first where one path starts another.
FIELD_LABELS: dict[str, Any] = {
    "answer.correct": gettext_lazy("Answer key"),
    "answer.explanation": gettext_lazy("Explanation"),
    "answer.option_feedback": gettext_lazy("Feedback"),
    "answer.accepted": gettext_lazy("Accepted answers"),
    "answer.typo_tolerance": gettext_lazy("Typos forgiven"),
    "answer.near_misses": gettext_lazy("Near misses"),
    "answer.model_answer": gettext_lazy("Model answer"),
    "answer.rubric": gettext_lazy("Rubric"),
    "prompt": gettext_lazy("Prompt"),
    "focus": gettext_lazy("Focus"),
    "points": gettext_lazy("Points"),
    "evidence_part": gettext_lazy("Supporting sentences part"),
    "evidence": gettext_lazy("Evidence sentences"),
    "options": gettext_lazy("Options"),
    "items": gettext_lazy("Items"),
    "actors": gettext_lazy("Linked actors"),
    "treaties": gettext_lazy("Linked treaties"),
    "claims": gettext_lazy("Linked claims"),
}


def field_label(path: str) -> str:
    """The editor's name of the field at `path` (``answer.rubric[1].points`` → "Rubric")."""
    for prefix in sorted(FIELD_LABELS, key=len, reverse=True):
        if path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")):
            return str(FIELD_LABELS[prefix])
    return _("Question")


def question_title(number: int, prompt: str) -> str:
    """“Question 3 (“Who signed…”)”: how every message names a question."""
    short = Truncator(" ".join(prompt.split())).chars(60)
    if not short:
        return _("Question %(number)d (no prompt yet)") % {"number": number}
    return _("Question %(number)d (“%(prompt)s”)") % {"number": number, "prompt": short}


@dataclass(frozen=True)
class QuestionProblem:
    """One thing wrong with a question, for the teacher: where and what."""

    number: int
    prompt: str
    path: str  # the field's path in the question, as a lesson file gives it
    message: str

    @property
    def field(self) -> str:
        return field_label(self.path)

    @property
    def title(self) -> str:
        return question_title(self.number, self.prompt)

    def __str__(self) -> str:
        return f"{self.title} — {self.field}: {self.message}"


@dataclass(frozen=True)
class Links:
    """What a question of this lesson may point at: this article's sentences, the lesson's entities."""

    sentences: Sequence[SentenceRef]
    actors: Collection[str]
    treaties: Collection[str]
    claims: Collection[str]

    @property
    def sentence_ids(self) -> frozenset[str]:
        return frozenset(sentence.id for sentence in self.sentences)


# ----------------------------------------------------------------------------------------------------
# Reading a posted editor


def _whole_number(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


def edited_question(
    *, kind: Kind, key: str, data: QueryDict, links: Links
) -> tuple[QuestionContent, dict[str, str]]:
    """The question a posted editor describes (in the file format), and what could not be read at all, by
    field path. Ids of other articles' sentences or other lessons' entities are dropped, never kept."""
    edited: EditedKey = kind.edited(data, links.sentences)
    unreadable = dict(edited.unreadable)
    points = _whole_number(data.get("points", "1"))
    if points is None:
        unreadable["points"] = _("write a whole number of points")
    evidence_part = 0
    if kind.shape.evidence_part and data.get("evidence_part_on"):
        evidence_part = _whole_number(data.get("evidence_part", "1")) or 0
        if evidence_part == 0:
            unreadable["evidence_part"] = _("write the points of the supporting sentences, 1 or more")
    evidence = picked_sentences(data, links.sentences, "evidence") or list(edited.key_evidence)
    answer: AnswerContent = {
        "explanation": data.get("explanation", "").strip(),
        "correct": edited.correct,
        "option_feedback": edited.option_feedback,
        "accepted": edited.accepted,
        "typo_tolerance": edited.typo_tolerance,
        "model_answer": edited.model_answer,
        "rubric": edited.rubric,
    }
    if edited.near_misses:
        # As a lesson file writes them: a near miss without feedback is its text alone.
        answer["near_misses"] = [miss if miss["feedback"] else miss["text"] for miss in edited.near_misses]
    question: QuestionContent = {
        "id": key,
        "kind": kind.name,
        "focus": data.get("focus", ""),
        "prompt": data.get("prompt", "").strip(),
        "points": points if points is not None else 1,
        "actors": [actor for actor in sorted(set(data.getlist("actors"))) if actor in links.actors],
        "treaties": [treaty for treaty in sorted(set(data.getlist("treaties"))) if treaty in links.treaties],
        "claims": [claim for claim in sorted(set(data.getlist("claims"))) if claim in links.claims],
        "evidence": evidence,
        "options": edited.options,
        "items": edited.items,
        "evidence_part": evidence_part,
        "answer": answer,
    }
    return question, unreadable


# ----------------------------------------------------------------------------------------------------
# Checking


def question_problems(
    question: QuestionContent,
    *,
    kind: Kind,
    number: int,
    links: Links,
    unreadable: dict[str, str] | None = None,
) -> list[QuestionProblem]:
    """Every problem of `question` (the `number`th of its lesson), each check run on its own; a field the
    editor could not read is reported once, by what the editor found, and not again by a later check."""
    found: dict[str, str] = dict(unreadable or {})

    def related(path: str, known: str) -> bool:
        return any(a == b or a.startswith((f"{b}.", f"{b}[")) for a, b in ((path, known), (known, path)))

    def note(path: str, message: str) -> None:
        if not any(related(path, known) for known in found):
            found[path] = message

    def run(check: Callable[[], Any]) -> None:
        try:
            check()
        except LessonFileError as error:
            note(error.path, error.message)

    answer = question["answer"]
    shape = kind.shape
    if not question["prompt"]:
        note("prompt", _("write the question a student answers"))
    if len(question["prompt"]) > MAX_TEXT_LENGTH:
        note("prompt", _("keep it under %(count)d characters") % {"count": MAX_TEXT_LENGTH})
    if question["focus"] not in Focus.values:
        note("focus", _("choose what the question is about: %(choices)s") % {"choices": _focus_names()})
    if not 1 <= question["points"] <= MAX_POINTS:
        note("points", _("give from 1 to %(most)d points") % {"most": MAX_POINTS})
    if question["evidence_part"] > MAX_POINTS:
        note("evidence_part", _("give from 1 to %(most)d points") % {"most": MAX_POINTS})
    if not question["evidence"]:
        note("evidence", _("tick at least one sentence of the article that supports the answer"))
    if not answer["explanation"]:
        note("answer.explanation", _("explain the answer: a student reads it after answering"))
    _check_lists(question, kind, note)

    node = Node(question)
    run(lambda: kind.check_file_links(node, _grouped(question["options"], kind), question["claims"]))
    run(
        lambda: kind.check_file_rubric(
            Node(answer["rubric"], "answer.rubric"), answer["rubric"], question["points"]
        )
    )
    answer_node = Node(answer, "answer")
    run(lambda: kind.check_file_answer(answer_node, answer["accepted"], answer["model_answer"]))
    run(lambda: _read_near_misses(answer_node, answer["accepted"], allowed=shape.near_misses))
    for index, miss in enumerate(answer.get("near_misses") or ()):
        text = miss if isinstance(miss, str) else miss["text"]
        if len(text) > NEAR_MISS_LENGTH:
            note(
                f"answer.near_misses[{index}]",
                _("keep it under %(count)d characters") % {"count": NEAR_MISS_LENGTH},
            )
    for index, criterion in enumerate(answer["rubric"]):
        if not criterion["criterion"]:
            note(f"answer.rubric[{index}]", _("say what earns the points"))
    if answer["correct"] in ([], {}) or (answer["correct"] is None and "answer.correct" not in found):
        try:
            kind.check_file_key(Node(answer["correct"], "answer.correct"), question, links.sentence_ids)
        except LessonFileError:
            # Nothing marked at all: say so, rather than how a file would spell the missing key.
            note("answer.correct", _("no answer is marked as right: mark the right answer"))
    run(lambda: kind.check_file_key(Node(answer["correct"], "answer.correct"), question, links.sentence_ids))
    title = question["prompt"]
    return [QuestionProblem(number, title, path, message) for path, message in found.items()]


def _focus_names() -> str:
    return ", ".join(str(label) for label in Focus.labels)


def _grouped(options: list[OptionContent], kind: Kind) -> list[OptionContent]:
    return options if kind.shape.option_groups else [{"id": o["id"], "text": o["text"]} for o in options]


def _check_lists(question: QuestionContent, kind: Kind, note: Callable[[str, str], None]) -> None:
    shape = kind.shape
    for field, minimum, what in (
        ("options", shape.min_options, _("options")),
        ("items", shape.min_items, _("items")),
    ):
        entries: list[OptionContent] = cast(list[OptionContent], question[field])  # type: ignore[literal-required]
        if minimum == 0 and entries:
            note(field, _("this kind of question has no %(what)s") % {"what": what})
        elif len(entries) < minimum:
            note(field, _("write at least %(count)d %(what)s") % {"count": minimum, "what": what})
        for index, entry in enumerate(entries):
            if len(entry["text"]) > OPTION_LENGTH:
                note(
                    f"{field}[{index}]", _("keep each under %(count)d characters") % {"count": OPTION_LENGTH}
                )
        texts = [" ".join(entry["text"].lower().split()) for entry in entries]
        twice = [entry["text"] for entry, text in zip(entries, texts, strict=True) if texts.count(text) > 1]
        if twice:
            note(field, _("“%(text)s” is written twice") % {"text": twice[0]})
    groups = shape.option_groups
    if groups and any(option.get("group") not in groups for option in question["options"]):
        note("options", _("every option belongs to one of the lists shown"))
    if not groups and any(
        option.get("group", OptionGroup.CHOICE) != OptionGroup.CHOICE for option in question["options"]
    ):
        note("options", _("every option belongs to one of the lists shown"))


def editor_data_of(question: QuestionContent) -> QueryDict:
    """The editor's form data for `question`, as ``edited_question`` reads it back."""
    data = QueryDict(mutable=True)
    data["prompt"] = question["prompt"]
    data["focus"] = question["focus"]
    data["points"] = str(question["points"])
    if question["evidence_part"]:
        data["evidence_part_on"] = "on"
        data["evidence_part"] = str(question["evidence_part"])
    data.setlist("evidence", list(question["evidence"]))
    data.setlist("actors", list(question["actors"]))
    data.setlist("treaties", list(question["treaties"]))
    data.setlist("claims", list(question["claims"]))
    data["explanation"] = question["answer"]["explanation"]
    get_kind(question["kind"]).editor_data(question, data)
    return data
