"""Short answer: the teacher lists the answers to accept, and may list near misses that are always wrong;
case, accents, punctuation, filler words and small typos in long enough words are forgiven
(:func:`~lessons.kinds.scoring.text_matches`). All or nothing."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.content_types import NearMissContent, QuestionContent, SentenceContent, StudentQuestionContent

from . import editor as editing
from .base import Shape, WrittenAnswerKind
from .editor import EditedKey, KeyEditor
from .file import Node
from .forms import SentenceRef
from .portable import (
    Accepted,
    Interaction,
    NotCarried,
    Part,
    PortableQuestion,
    Portrayal,
    TakenBack,
    full,
    percent,
    single_part,
)
from .scoring import (
    LessonTerms,
    MalformedAnswer,
    Scored,
    all_or_nothing,
    answer_text,
    gettext_noop,
    normalise_text,
    same_words,
    text_matches,
)

MAX_SHORT_ANSWER_LENGTH: Final = 500
MAX_TYPO_TOLERANCE: Final = 3


class ShortAnswer(WrittenAnswerKind):
    name = "short_answer"
    order = 40
    label = gettext_lazy("Short answer")
    key_help = gettext_lazy("null (short answer)")
    max_length = MAX_SHORT_ANSWER_LENGTH
    shape = Shape(near_misses=True)

    def check_file_answer(self, answer: Node, accepted: Sequence[str], model_answer: str) -> None:
        if not accepted:
            raise answer["accepted"].fail("a short-answer question needs at least one accepted answer")

    def validate(self, question: StudentQuestionContent, answer: Any, sentence_ids: Collection[str]) -> str:
        text = answer_text(answer, max_length=MAX_SHORT_ANSWER_LENGTH)
        if not normalise_text(text):
            raise MalformedAnswer(gettext_noop("the answer has no letters or digits"))
        return text

    def score(self, question: QuestionContent, answer: str, terms: LessonTerms) -> Scored:
        key = question["answer"]
        if near_miss_of(question, answer) is not None:
            return all_or_nothing(False)  # a near miss is wrong, however close to an accepted answer
        tolerance = int(key.get("typo_tolerance") or 0)
        return all_or_nothing(
            any(
                text_matches(answer, accepted, tolerance=tolerance, terms=terms)
                for accepted in key.get("accepted") or ()
            )
        )

    def feedback_lines(self, question: QuestionContent, answer: Any) -> list[str]:
        missed = near_miss_of(question, answer) if isinstance(answer, str) else None
        return [missed["feedback"]] if missed is not None and missed["feedback"] else []

    def key_lines(self, question: QuestionContent, sentence_text: Mapping[str, str]) -> list[str]:
        return list(question["answer"]["accepted"][:1])

    # ---- the editor: the answers to accept, one a line; the typos forgiven; the near misses
    editor_template = "lessons/kinds/editor/short_answer.html"

    def editor_data(self, question: QuestionContent, data: QueryDict) -> None:
        data["accepted"] = "\n".join(question["answer"]["accepted"])
        data["typo_tolerance"] = str(question["answer"]["typo_tolerance"])
        editing.put_rows(data, editing.NEAR_MISS, editing.near_miss_rows_of(question))

    def editor(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> KeyEditor:
        return KeyEditor(
            template=self.editor_template,
            values={"accepted": data.get("accepted", ""), "typo_tolerance": data.get("typo_tolerance", "0")},
            choices={"typo_tolerance": [(str(n), str(n)) for n in range(MAX_TYPO_TOLERANCE + 1)]},
            near_misses=editing.padded(editing.posted_rows(data, editing.NEAR_MISS), at_least=1),
        )

    def edited(self, data: QueryDict, sentences: Sequence[SentenceRef]) -> EditedKey:
        accepted = [line.strip() for line in data.get("accepted", "").splitlines() if line.strip()]
        tolerance = editing.row_number(data.get("typo_tolerance", "0"))
        edited = EditedKey(
            accepted=accepted,
            typo_tolerance=tolerance if tolerance is not None else 0,
            near_misses=editing.near_miss_rows(data),
        )
        if tolerance is None or tolerance > MAX_TYPO_TOLERANCE:
            edited.unreadable["answer.typo_tolerance"] = _("choose from 0 to %(most)d typos") % {
                "most": MAX_TYPO_TOLERANCE
            }
        return edited

    # ---- exchange formats
    def to_portable(self, question: QuestionContent, sentences: Sequence[SentenceContent]) -> Portrayal:
        accepted = [Accepted(text) for text in question["answer"]["accepted"]]
        accepted += [Accepted(miss["text"], Fraction(0), miss["feedback"]) for miss in near_misses(question)]
        notes = [
            _(
                "answers are matched forgiving case, accents, punctuation and filler words; other tools may "
                "match them exactly"
            )
        ]
        if question["answer"]["typo_tolerance"]:
            notes.append(_("the typo tolerance is not carried"))
        return Portrayal([Part(Interaction.TEXT_ENTRY, accepted=accepted)], notes)

    def from_portable(self, question: PortableQuestion) -> TakenBack | None:
        part = single_part(question, Interaction.TEXT_ENTRY)
        if part is None:
            return None
        accepted = [answer.text for answer in part.accepted if full(answer.fraction)]
        if not accepted:
            raise NotCarried(_("a short-answer question needs at least one answer worth 100%"))
        notes = [
            _("answer “%(text)s” was worth %(share)s: it is no longer accepted")
            % {"text": answer.text, "share": percent(answer.fraction)}
            for answer in part.accepted
            if 0 < answer.fraction < 1 or answer.fraction < 0
        ]
        misses: list[str | NearMissContent] = [
            {"text": answer.text, "feedback": answer.feedback} if answer.feedback else answer.text
            for answer in part.accepted
            if answer.fraction == 0 and not any(same_words(answer.text, text) for text in accepted)
        ]
        return TakenBack(kind=self.name, accepted=accepted, near_misses=misses, notes=notes)


def near_misses(question: QuestionContent) -> list[NearMissContent]:
    """The key's near misses, each as ``{text, feedback}`` (a file may give one as a bare string)."""
    return [
        {"text": entry, "feedback": ""} if isinstance(entry, str) else entry
        for entry in question["answer"].get("near_misses") or ()
    ]


def near_miss_of(question: QuestionContent, answer: str) -> NearMissContent | None:
    """The near miss *answer* says, word for word (no typo is forgiven: a typo of a near miss may be the
    right answer); None when it says none."""
    return next((entry for entry in near_misses(question) if same_words(answer, entry["text"])), None)


KIND: Final = ShortAnswer()
