"""The studio's question pages, read: the list of a lesson's questions, a question's editor, the student's
preview of the draft, the publish checklist and the revisions with what changed between two.

Every function takes a lesson its caller may author (``selectors.authoring.lesson_for_author``) and reads
the draft as one lesson document (``services.lessons.lesson_document``: a fixed number of queries whatever
the number of questions). None, never Http404, when something asked for is not there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict

from lessons import policy
from lessons.content_types import LessonContent, QuestionContent
from lessons.kinds import Kind, UnknownKind, all_kinds, get_kind, kind_labels
from lessons.kinds.editor import KeyEditor
from lessons.kinds.forms import SentenceRef
from lessons.models import Attempt, Focus, Lesson, LessonStatus, Revision
from lessons.services.lessons import content_digest, lesson_document
from lessons.services.publish_checklist import Checklist, checklist_of, links_of
from lessons.services.question_authoring import PreviewGrade
from lessons.services.question_checks import QuestionProblem, editor_data_of, field_label

from .lessons import student_view_of
from .player import Answered, PlayerPage, Progress, answered, article_sentences, question_slots
from .revision_diff import RevisionChanges, revision_changes


def draft_document(lesson: Lesson) -> LessonContent:
    return lesson_document(lesson, status=LessonStatus.PUBLISHED)


def draft_changed(lesson: Lesson, document: LessonContent) -> bool:
    """Whether the draft differs from the published revision (True for a lesson never published)."""
    revision = lesson.published_revision
    return revision is None or revision.content_sha256 != content_digest(document)


@dataclass(frozen=True)
class QuestionLine:
    number: int
    key: str
    kind: str
    kind_label: str
    focus_label: str
    prompt: str
    points: int
    evidence_part: int


@dataclass(frozen=True)
class QuestionsPage:
    lesson: Lesson
    lines: list[QuestionLine]
    kinds: list[tuple[str, str]]  # (name, label) of every kind, for "New question"
    draft_changed: bool
    questions: list[QuestionContent] = field(default_factory=list)  # each line's question, key included


def questions_page(lesson: Lesson) -> QuestionsPage:
    document = draft_document(lesson)
    labels = kind_labels()
    focus_labels = dict(Focus.choices)
    lines = [
        QuestionLine(
            number=number,
            key=question["id"],
            kind=question["kind"],
            kind_label=str(labels.get(question["kind"], question["kind"])),
            focus_label=str(focus_labels.get(question["focus"], question["focus"])),
            prompt=question["prompt"],
            points=question["points"],
            evidence_part=question["evidence_part"],
        )
        for number, question in enumerate(document["questions"], start=1)
    ]
    return QuestionsPage(
        lesson=lesson,
        lines=lines,
        kinds=[(kind.name, str(kind.label)) for kind in all_kinds()],
        draft_changed=draft_changed(lesson, document),
        questions=document["questions"],
    )


# ----------------------------------------------------------------------------------------------------
# The editor


@dataclass(frozen=True)
class Tick:
    value: str
    label: str
    checked: bool
    group: int = 0  # a sentence's paragraph


@dataclass(frozen=True)
class EditorPage:
    lesson: Lesson
    kind: Kind
    number: int
    key: str  # "" for a new question
    values: dict[str, str]  # prompt, explanation, focus, points, evidence_part, evidence_part_on
    key_editor: KeyEditor
    sentences: list[Tick]
    actors: list[Tick]
    treaties: list[Tick]
    claims: list[Tick]
    focus_choices: list[tuple[str, str]]
    problems: list[QuestionProblem] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(self.kind.label)

    @property
    def evidence_part_allowed(self) -> bool:
        return self.kind.shape.evidence_part

    def problems_of(self, name: str) -> list[QuestionProblem]:
        """The problems of one field of the editor (by its label), for the message beside it."""
        label = field_label(name)
        return [problem for problem in self.problems if problem.field == label]


def _default_data() -> QueryDict:
    data = QueryDict(mutable=True)
    data["points"] = "1"
    data["focus"] = Focus.EVENT
    return data


def editor_page(
    lesson: Lesson,
    *,
    question_key: str = "",
    kind_name: str = "",
    data: QueryDict | None = None,
    problems: list[QuestionProblem] | None = None,
) -> EditorPage | None:
    """The editor of the question `question_key` (or of a new question of `kind_name`), filled from `data`
    when a form came back refused, else from the question; None for an unknown question or kind."""
    document = draft_document(lesson)
    question: QuestionContent | None = None
    number = len(document["questions"]) + 1
    if question_key:
        found = [(n, q) for n, q in enumerate(document["questions"], start=1) if q["id"] == question_key]
        if not found:
            return None
        number, question = found[0]
        kind_name = question["kind"]
    try:
        kind = get_kind(kind_name)
    except UnknownKind:
        return None
    if data is None:
        data = editor_data_of(question) if question is not None else _default_data()
    links = links_of(document)
    sentences = list(links.sentences)
    names = {actor["id"]: actor["name"] for actor in document["actors"]}
    treaty_names = {treaty["id"]: treaty["name"] for treaty in document["treaties"]}
    linked = set(question["actors"]) if question else set()
    linked_treaties = set(question["treaties"]) if question else set()
    actor_ids = [*document["lesson"]["actors"], *sorted(linked - set(document["lesson"]["actors"]))]
    treaty_ids = [
        *document["lesson"]["treaties"],
        *sorted(linked_treaties - set(document["lesson"]["treaties"])),
    ]
    return EditorPage(
        lesson=lesson,
        kind=kind,
        number=number,
        key=question_key,
        values={
            name: data.get(name, "")
            for name in ("prompt", "explanation", "focus", "points", "evidence_part", "evidence_part_on")
        },
        key_editor=kind.editor(data, sentences),
        sentences=_ticks_of_sentences(sentences, data.getlist("evidence")),
        actors=_ticks([(a, names.get(a, a)) for a in actor_ids], data.getlist("actors")),
        treaties=_ticks([(t, treaty_names.get(t, t)) for t in treaty_ids], data.getlist("treaties")),
        claims=_ticks([(c["id"], c["statement"]) for c in document["claims"]], data.getlist("claims")),
        focus_choices=[(str(value), str(label)) for value, label in Focus.choices],
        problems=problems or [],
    )


def _ticks(entries: list[tuple[str, str]], checked: list[str]) -> list[Tick]:
    chosen = set(checked)
    return [Tick(value, label, value in chosen) for value, label in entries]


def _ticks_of_sentences(sentences: list[SentenceRef], checked: list[str]) -> list[Tick]:
    chosen = set(checked)
    return [Tick(s.id, s.text, s.id in chosen, s.paragraph) for s in sentences]


# ----------------------------------------------------------------------------------------------------
# The preview


def preview_page(lesson: Lesson, document: LessonContent | None = None) -> PlayerPage:
    """The draft in the student's player. The revision and the attempt are built in memory and never
    saved: the page reads no response and writes nothing."""
    document = document if document is not None else draft_document(lesson)
    revision = Revision(lesson=lesson, number=0, content=document)
    attempt = Attempt(revision=revision, lesson=lesson)
    view = student_view_of(revision, policy.presentation_seed(attempt))
    sentences = article_sentences(revision)
    return PlayerPage(
        revision=revision,
        attempt=attempt,
        view=view,
        sentences=sentences,
        slots=question_slots(revision, view, {}, sentences),
    )


def preview_answered(page: PlayerPage, question: QuestionContent, graded: PreviewGrade) -> Answered:
    """The feedback the preview shows for an answer to `question` (of `page`'s draft) once graded."""
    return answered(
        question,
        answer=graded.answer,
        evidence=graded.evidence,
        earned=None if graded.needs_teacher else Decimal(graded.earned),
        possible=Decimal(graded.possible),
        correct=graded.correct,
        needs_teacher=graded.needs_teacher,
        parts=graded.parts,
        sentences=page.sentences,
    )


def preview_progress(page: PlayerPage, question_key: str, answered_before: Iterable[str]) -> Progress:
    """The count of a preview page once `question_key` is answered, as the player counts an attempt's: the
    questions answered on the page, which are the ones its answered panels name (`answered_before`, sent
    with the answer; the preview stores none), unknown keys left out."""
    keys = {slot.key for slot in page.slots}
    return Progress(len(keys & {question_key, *answered_before}), len(keys))


# ----------------------------------------------------------------------------------------------------
# Publishing and revisions


@dataclass(frozen=True)
class PublishPage:
    lesson: Lesson
    checklist: Checklist
    draft_changed: bool
    next_number: int


def publish_page(lesson: Lesson) -> PublishPage:
    document = draft_document(lesson)
    latest = lesson.revisions.order_by("-number").values_list("number", flat=True).first()
    return PublishPage(
        lesson=lesson,
        checklist=checklist_of(document),
        draft_changed=draft_changed(lesson, document),
        next_number=(latest or 0) + 1,
    )


def lesson_revisions(lesson: Lesson) -> list[Revision]:
    return list(lesson.revisions.order_by("-number").select_related("published_by"))


@dataclass(frozen=True)
class RevisionPair:
    old: Revision
    new: Revision
    changes: RevisionChanges


def revision_pair(lesson: Lesson, *, old: int, new: int) -> RevisionPair | None:
    """What revision `new` changed of revision `old` of `lesson`; None when either is not one of its."""
    found = {revision.number: revision for revision in lesson.revisions.filter(number__in=[old, new])}
    if old not in found or new not in found:
        return None
    return RevisionPair(found[old], found[new], revision_changes(found[old].document, found[new].document))
