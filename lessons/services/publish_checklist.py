"""The checklist a lesson passes before it is published: every problem listed at once, none hidden behind
another.

Blocking problems: a question not keyed, explained or evidenced (the editor's own checks,
``question_checks.question_problems``, run over every question), anything else that would make the lesson
an invalid lesson file, featured actors and treaties no question is about and claims with no sourcing
question (focus coverage), lists stored in their key's arrangement, and a featured treaty's date that says
more than the article (a year or day it does not give) without a fact from outside the article to carry it.
The content checks of ``lesson_checks`` are heuristics: they are listed as warnings and never block, and
so is a featured actor or treaty no question is about (it may be there for its card). Pure over a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import LessonContent, QuestionContent
from lessons.kinds import UnknownKind, get_kind
from lessons.kinds.forms import SentenceRef
from lessons.models.choices import Focus
from lessons.partial_dates import format_partial_date, parse_partial_date

from .lesson_checks import lesson_problems, stored_in_key_order
from .lesson_documents import LessonDocument, lesson_file_problems, parse_lesson_document
from .question_checks import Links, field_label, question_problems, question_title

_QUESTION_PATH = re.compile(r"questions\[(\d+)\]\.?(.*)")
# Where a teacher fixes each part of a lesson outside its questions, by its path in a lesson file.
LESSON_PARTS: tuple[tuple[str, Any], ...] = (
    ("lesson.introduction", gettext_lazy("introduction (Settings)")),
    ("lesson.title", gettext_lazy("title (Settings)")),
    ("lesson.", gettext_lazy("settings")),
    ("article", gettext_lazy("article")),
    ("claims", gettext_lazy("claims")),
    ("actors", gettext_lazy("actors")),
    ("treaties", gettext_lazy("treaties")),
    ("sources", gettext_lazy("sources")),
    ("questions", gettext_lazy("questions")),
)


@dataclass(frozen=True)
class ChecklistItem:
    """One problem, in words: which question (when one) and what to do."""

    rule: str  # "question", "lesson", "coverage", "key_order", "outside_fact", "content"
    message: str
    question_key: str = ""  # the question to open to fix it, when the problem is a question's

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Checklist:
    problems: list[ChecklistItem] = field(default_factory=list)  # each blocks publishing
    warnings: list[ChecklistItem] = field(default_factory=list)  # worth a second look; never block

    @property
    def ready(self) -> bool:
        return not self.problems


def links_of(document: LessonContent) -> Links:
    return Links(
        sentences=[
            SentenceRef(sentence["id"], sentence["text"], number)
            for number, paragraph in enumerate(document["article"]["paragraphs"], start=1)
            for sentence in paragraph
        ],
        actors={actor["id"] for actor in document["actors"]},
        treaties={treaty["id"] for treaty in document["treaties"]},
        claims={claim["id"] for claim in document["claims"]},
    )


def checklist_of(document: LessonContent) -> Checklist:
    """Every problem standing between `document` and publishing, and the content checks' warnings."""
    questions = document["questions"]
    links = links_of(document)
    problems: list[ChecklistItem] = []
    seen: set[tuple[str, str]] = set()  # (question, field) already reported

    for number, question in enumerate(questions, start=1):
        try:
            kind = get_kind(question["kind"])
        except UnknownKind:
            continue  # the database allows no other kind
        for problem in question_problems(question, kind=kind, number=number, links=links):
            seen.add((question["id"], problem.path.split(".")[0].split("[")[0]))
            problems.append(ChecklistItem("question", str(problem), question["id"]))
    if not questions:
        problems.append(ChecklistItem("lesson", _("The lesson has no question yet: write at least one.")))

    file_problems = lesson_file_problems(document)
    for file_problem in file_problems:
        item = _located(file_problem.path, file_problem.message, questions, "lesson")
        if item.question_key == "" or (item.question_key, _question_field(file_problem.path)) not in seen:
            problems.append(item)
    parsed: LessonDocument | None = None if file_problems else parse_lesson_document(document)

    coverage_problems, coverage_warnings = _coverage(document)
    problems += coverage_problems
    problems += [
        _located(
            problem.path,
            _(
                "the list is stored in the order of its answer key: a printout or an export "
                "would give the answer away; write the list in another order"
            ),
            questions,
            "key_order",
        )
        for problem in stored_in_key_order(document)
    ]
    warnings: list[ChecklistItem] = []
    if parsed is not None:
        problems += _outside_facts_unmarked(parsed)
        warnings = [_located(p.path, p.message, questions, "content") for p in lesson_problems(parsed)]
    return Checklist(problems=problems, warnings=coverage_warnings + warnings)


def _question_field(path: str) -> str:
    match = _QUESTION_PATH.fullmatch(path)
    return match.group(2).split(".")[0].split("[")[0] if match else ""


def _located(path: str, message: str, questions: list[QuestionContent], rule: str) -> ChecklistItem:
    """A problem at `path` of a lesson document, said of its question when it is one's."""
    match = _QUESTION_PATH.fullmatch(path)
    if match and int(match.group(1)) < len(questions):
        index = int(match.group(1))
        question = questions[index]
        title = question_title(index + 1, question["prompt"])
        return ChecklistItem(rule, f"{title} — {field_label(match.group(2))}: {message}", question["id"])
    part = next((str(label) for prefix, label in LESSON_PARTS if path.startswith(prefix)), path)
    return ChecklistItem(rule, f"{_('Lesson')} — {part}: {message}")


def _coverage(document: LessonContent) -> tuple[list[ChecklistItem], list[ChecklistItem]]:
    """Focus coverage: the questions ask about the actors when the lesson features actors, about the
    treaties when it features treaties, and about sourcing when the article reports claims (problems); and
    each featured actor and treaty is what some question is about (warnings: one may be there for its
    card)."""
    questions = document["questions"]
    if not questions:
        return [], []
    foci = {question["focus"] for question in questions}
    needed = [
        (Focus.ACTOR, bool(document["lesson"]["actors"]), _("the lesson features actors")),
        (Focus.TREATY, bool(document["lesson"]["treaties"]), _("the lesson features treaties")),
        (Focus.SOURCING, bool(document["claims"]), _("the article reports claims")),
    ]
    problems = [
        ChecklistItem(
            "coverage",
            _(
                "No question has the focus “%(focus)s”, though %(why)s: write one, or change a "
                "question's focus."
            )
            % {"focus": focus.label, "why": why},
        )
        for focus, wanted, why in needed
        if wanted and focus.value not in foci
    ]
    names = {actor["id"]: actor["name"] for actor in document["actors"]}
    names.update({treaty["id"]: treaty["name"] for treaty in document["treaties"]})
    asked = {linked for question in questions for linked in (*question["actors"], *question["treaties"])}
    warnings = [
        ChecklistItem(
            "coverage",
            _(
                "No question links %(name)s, which the lesson features: link a question to it, or stop "
                "featuring it."
            )
            % {"name": names.get(entity, entity)},
        )
        for entity in (*document["lesson"]["actors"], *document["lesson"]["treaties"])
        if entity not in asked
    ]
    return problems, warnings


def _outside_facts_unmarked(document: LessonDocument) -> list[ChecklistItem]:
    """A featured treaty's date may say no more than the article: a year or a day the article does not
    give belongs in a fact from outside the article, with its source (the record keeps what the article
    says, fixtures/README.md). Checked for the signing date and each party's ratification date."""
    featured = set(document.lesson.treaties)
    text = " ".join(sentence.text for paragraph in document.article.paragraphs for sentence in paragraph)
    numbers = set(re.findall(r"\d+", text))
    items = []
    for treaty in document.treaties:
        if treaty.id not in featured:
            continue
        marked = {fact.field for fact in treaty.outside_facts}
        dates = [(_("signing date"), treaty.signed_on, "signed_on")]
        dates += [(_("ratification date"), party.ratified_on, "parties") for party in treaty.parties]
        for what, value, field_name in dates:
            if not value or field_name in marked:
                continue
            date = parse_partial_date(value)
            unsaid = [
                str(part) for part in (date.year, date.day) if part is not None and str(part) not in numbers
            ]
            if unsaid:
                items.append(
                    ChecklistItem(
                        "outside_fact",
                        _(
                            "The %(what)s of the %(treaty)s, “%(date)s”, says more than the article "
                            "(%(parts)s): keep what the article says and add the rest as a fact from outside "
                            "the article, with its source."
                        )
                        % {
                            "what": what,
                            "treaty": treaty.name,
                            "date": format_partial_date(value),
                            "parts": ", ".join(unsaid),
                        },
                    )
                )
    return items


__all__ = ["Checklist", "ChecklistItem", "checklist_of", "links_of"]
