"""The one protocol every question kind satisfies, and the defaults most kinds share.

A kind owns everything that differs between kinds: its shape, its part of a lesson file, validating and
scoring an answer, the lines that describe its key and an answer, its form, and the names of its templates.
Nothing outside ``lessons.kinds`` branches on a kind: it asks the registry (``lessons.kinds.get_kind``).

The scoring path (``validate``, ``score``) is pure Python; the form part works on Django's ``QueryDict``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext

from lessons.content_types import (
    OptionContent,
    QuestionContent,
    RubricCriterionContent,
    SentenceContent,
    StudentQuestionContent,
)

from . import editor as editing
from .editor import EditedKey, KeyEditor
from .file import LessonFileError, Node
from .forms import ANSWER, AnswerForm, SentenceRef, fill_one, one
from .portable import PortableQuestion, Portrayal, TakenBack
from .scoring import LessonTerms, MalformedAnswer, Scored, arrangement_avoiding

Label = str | Promise


@dataclass(frozen=True)
class Shape:
    """What a question of a kind is made of, besides its prompt."""

    min_options: int = 0  # 0: the kind has no options
    min_items: int = 0  # 0: the kind has no items
    # The groups a kind's options come in (each needs at least two options); () for plain choices.
    option_groups: tuple[str, ...] = ()
    evidence_part: bool = True  # may add a second part asking for the supporting sentences
    teacher_graded: bool = False  # a teacher grades it against a model answer and rubric
    shuffled: str | None = None  # the list ("options" or "items") whose order may be shuffled
    # Kinds whose key is an arrangement of a list (`Kind.key_arrangement`) are never shuffled by the
    # assignment's choice: they are always shown arranged against the key (`Kind.presented_fields`).
    counts_picks: bool = False  # item analysis counts how often each option was picked
    near_misses: bool = False  # its key may list answers that are always wrong (`answer.near_misses`)
    # Its form's layout follows a saved answer (not only which inputs are checked or filled): the HTML kept
    # of its blank form (lessons.web.question_fragments) cannot show a saved answer.
    form_arranged_by_answer: bool = False


@runtime_checkable
class Kind(Protocol):
    """A question kind. ``name`` is what a lesson file and the database store."""

    @property
    def name(self) -> str: ...

    @property
    def order(self) -> int:
        """Where the kind is listed among the others (choices, the admin): ascending."""
        ...

    @property
    def label(self) -> Label:
        """The kind as people read it ("Single choice")."""
        ...

    @property
    def key_help(self) -> Label:
        """What `answer.correct` holds, for the admin."""
        ...

    @property
    def shape(self) -> Shape: ...

    @property
    def form_template(self) -> str:
        """The template that shows the inputs of its answer form."""
        ...

    @property
    def answer_template(self) -> str:
        """The template that shows an answer in feedback and review."""
        ...

    # ---- a lesson file: the kind's part of a question (called in this order)
    def check_file_links(self, node: Node, options: Sequence[OptionContent], claims: Sequence[str]) -> None:
        """Rules on the options and claims a question of this kind lists; raise ``node[...].fail(...)``."""
        ...

    def check_file_rubric(self, node: Node, rubric: Sequence[RubricCriterionContent], points: int) -> None:
        """Whether the kind has a rubric, and if so that it adds up (``node`` is ``answer.rubric``)."""
        ...

    def check_file_answer(self, answer: Node, accepted: Sequence[str], model_answer: str) -> None:
        """The kind's rules on the key block's accepted answers and model answer."""
        ...

    def feedback_ids(self, options: Sequence[OptionContent]) -> list[str]:
        """The ids `option_feedback` may name, in the order a document lists them."""
        ...

    def check_file_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> None:
        """``answer.correct`` (``node``) must be a well-formed, complete answer to its question."""
        ...

    def stored_key(self, correct: Any, question: StudentQuestionContent) -> Any:
        """The key as a document stores it, in canonical order."""
        ...

    # ---- answers
    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> Any:
        """The first-part answer, normalised; raises MalformedAnswer naming what is wrong."""
        ...

    def score(self, question: QuestionContent, answer: Any, terms: LessonTerms) -> Scored:
        """How right a validated answer is; *terms* are the lesson's words a typo must not turn into one
        another (its actors' names and aliases, the months)."""
        ...

    # ---- lines people read
    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        """The teacher's answer as lines a person can read (key material)."""
        ...

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        """A learner's own answer as lines a person can read."""
        ...

    def chosen_options(self, question: StudentQuestionContent, answer: Any) -> list[str]:
        """The option ids an answer picked, for the teacher's per-option feedback."""
        ...

    def feedback_lines(self, question: QuestionContent, answer: Any) -> list[str]:
        """The teacher's feedback on what this answer gave (per option, per near miss): key material."""
        ...

    def key_options(self, question: QuestionContent) -> set[str]:
        """The options the key marks right, for item analysis."""
        ...

    def student_fields(self, question: QuestionContent) -> dict[str, Any]:
        """Anything of the key block a student needs to answer (a unit, say); ``{}`` for most kinds."""
        ...

    def key_arrangement(self, question: QuestionContent) -> tuple[str, list[str | None]] | None:
        """For a kind whose answer is an arrangement of one of its lists (items in order, options against
        items): that list's name, and the id the key puts at each of its positions (None where it puts
        none). None for every other kind."""
        ...

    def presented_fields(self, question: QuestionContent, seed: str) -> dict[str, Any]:
        """The lists a student is shown in an order of their own: never the key's arrangement, fixed by
        *seed* (an attempt's) and the question. ``{}`` when the kind has no arrangement to hide."""
        ...

    # ---- exchange formats (GIFT, Moodle XML, QTI: lessons.interop)
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        """The question as portable parts (``lessons.kinds.portable``), with notes on what they simplify;
        *sentences* are the article's, in reading order."""
        ...

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        """The question of this kind a portable question makes; None when it is not one of this kind.
        Raises ``NotCarried`` when it is, but cannot be carried (a match with one pair)."""
        ...

    # ---- the answer form
    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        """The inputs of a question's form, filled with ``data`` as sent before."""
        ...

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        """The answer a posted form sends, in the shape ``validate`` expects (None when nothing was sent)."""
        ...

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        """Put a saved answer into form data, as ``parse`` reads it back."""
        ...

    # ---- the question editor (``lessons.kinds.editor``): lists and key written in one place
    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        """Put the question's lists and key block into editor data, as ``edited`` reads them back."""
        ...

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        """The kind's part of the editor, filled from editor data (a question's, or a form sent back)."""
        ...

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        """A posted editor read into the question's lists and key block; never refuses (the authoring
        service checks the result with the lesson-file checks above)."""
        ...


class BaseKind:
    """Defaults for a kind whose key is ``answer.correct``, with no rubric and plain options."""

    name: str
    order: int
    label: Label
    key_help: Label
    shape: Shape = Shape()
    form_template: str = "lessons/kinds/choices.html"
    answer_template: str = "lessons/kinds/answer_lines.html"

    # ---- a lesson file
    def check_file_links(self, node: Node, options: Sequence[OptionContent], claims: Sequence[str]) -> None:
        return None

    def check_file_rubric(self, node: Node, rubric: Sequence[RubricCriterionContent], points: int) -> None:
        if rubric:
            raise node.fail("only an open-response question has a rubric")

    def check_file_answer(self, answer: Node, accepted: Sequence[str], model_answer: str) -> None:
        return None

    def feedback_ids(self, options: Sequence[OptionContent]) -> list[str]:
        return [option["id"] for option in options]

    def check_file_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> None:
        normalised = self.checked_key(node, question, sentence_ids)
        if normalised != node.value:
            raise node.fail("lists an option twice")

    def checked_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> Any:
        """The key validated as an answer to its own question; a file error when it is not one."""
        try:
            return self.validate(question, node.value, sentence_ids)
        except MalformedAnswer as error:
            raise LessonFileError(node.path, error.message) from None

    def stored_key(self, correct: Any, question: StudentQuestionContent) -> Any:
        return correct

    # ---- answers
    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> Any:
        raise NotImplementedError

    # ---- lines
    def chosen_options(self, question: StudentQuestionContent, answer: Any) -> list[str]:
        return []

    def feedback_lines(self, question: QuestionContent, answer: Any) -> list[str]:
        option_feedback = question["answer"]["option_feedback"]
        return [
            option_feedback[option_id]
            for option_id in self.chosen_options(question, answer)
            if option_id in option_feedback
        ]

    def key_options(self, question: QuestionContent) -> set[str]:
        correct = question["answer"]["correct"]
        if isinstance(correct, list):
            return {str(option) for option in correct}
        return {str(correct)}

    def student_fields(self, question: QuestionContent) -> dict[str, Any]:
        return {}

    def key_arrangement(self, question: QuestionContent) -> tuple[str, list[str | None]] | None:
        return None

    def presented_fields(self, question: QuestionContent, seed: str) -> dict[str, Any]:
        arrangement = self.key_arrangement(question)
        if arrangement is None:
            return {}
        field, key = arrangement
        entries: list[OptionContent] = question[field]  # type: ignore[literal-required]
        by_id = {entry["id"]: entry for entry in entries}
        order = arrangement_avoiding(list(by_id), key, f"{seed}:{question['id']}")
        return {field: [by_id[entry] for entry in order]}

    # ---- the question editor: option rows, the key marked beside them
    editor_template: str = "lessons/kinds/editor/options.html"
    editor_mark: str = "radio"  # "radio": one option is right; "checkbox": several may be

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        right = self.key_options(question)
        editing.put_option_rows(data, question, right=right)
        if self.editor_mark == "radio":
            numbers = editing.option_row_numbers(question)
            data["right"] = next((numbers[option] for option in right if option in numbers), "")

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        options = editing.padded(editing.posted_rows(data, editing.OPTION), at_least=self.shape.min_options)
        if self.editor_mark == "radio":
            chosen = editing.row_number(data.get("right"))
            for row in options:
                row.right = row.number == chosen
        return KeyEditor(template=self.editor_template, options=options, values={"mark": self.editor_mark})

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        options, items = editing.option_rows(data)
        edited = EditedKey(
            options=editing.as_options(options),
            items=editing.as_options(items),
            option_feedback=editing.row_feedback(options),
        )
        if self.editor_mark == "radio":
            chosen = editing.row_by_number(options, data.get("right"))
            edited.correct = chosen.id if chosen is not None else None
            if chosen is None:
                edited.unreadable["answer.correct"] = gettext("mark the right option")
        else:
            edited.correct = [row.id for row in options if row.right]
            if not edited.correct:
                edited.unreadable["answer.correct"] = gettext("mark at least one option as right")
        return edited


class KeyElsewhereKind(BaseKind):
    """Defaults for a kind that keeps its key outside ``answer.correct`` (accepted answers, model answer)."""

    def check_file_key(self, node: Node, question: QuestionContent, sentence_ids: Collection[str]) -> None:
        if node.value is not None:
            raise node.fail(f"a {self.name} question keeps its answer elsewhere; `correct` must be null")


class WrittenAnswerKind(KeyElsewhereKind):
    """Defaults for a kind answered in words, in one text input: the answer is its own one line."""

    form_template = "lessons/kinds/text.html"
    max_length: int = 0  # of the answer, in characters
    multiline: bool = False

    def answer_lines(
        self, question: StudentQuestionContent, answer: Any, sentence_text: Mapping[str, str]
    ) -> list[str]:
        return [str(answer)]

    def form(
        self, question: StudentQuestionContent, data: QueryDict, sentences: Sequence[SentenceRef]
    ) -> AnswerForm:
        return AnswerForm(
            legend=gettext("Your answer"),
            text=data.get(ANSWER, ""),
            multiline=self.multiline,
            max_length=self.max_length,
        )

    def parse(self, question: StudentQuestionContent, data: QueryDict) -> Any:
        return one(data)

    def fill(self, question: StudentQuestionContent, answer: Any, data: QueryDict) -> None:
        fill_one(answer, data)
