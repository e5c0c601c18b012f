"""GIFT, Moodle's text format for questions: read into portable questions and written from them.

Read: multiple choice (one right answer, or several with weights), true/false, short answer, matching,
numerical (one answer with its tolerance, or a range), essay, `$CATEGORY:` lines, the `[html]`,
`[markdown]`, `[plain]` and `[moodle]` text formats, per-answer and general feedback. A description (no
answer block) is skipped; a missing-word question keeps its blank as "_____".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from django.utils.translation import gettext as _

from lessons.kinds.portable import Accepted, Alternative, Interaction, Part, PortableQuestion, percent

from .common import letter_ids, weight, weight_text
from .documents import QuestionBank
from .report import FormatError
from .text import AUTO, FORMATS, embeds_files, to_markdown, to_plain

_SPECIAL: Final = "~=#{}:"
_FORMAT = re.compile(r"^\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_TITLE = re.compile(r"^::(.*?)(?<!\\)::", re.DOTALL)
_WEIGHT = re.compile(r"^%([^%]*)%")
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_TOLERANCE = re.compile(rf"^({_NUMBER})(?::({_NUMBER}))?$")
_RANGE = re.compile(rf"^({_NUMBER})\.\.({_NUMBER})$")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)(#.*)?$", re.IGNORECASE | re.DOTALL)
BLANK: Final = "_____"


def _unescape(text: str) -> str:
    return re.sub(r"\\([~=#{}:\\n])", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _split_unescaped(text: str, separators: str) -> list[tuple[str, str]]:
    """`text` cut before each unescaped separator character: (separator, what follows it) pairs; the text
    before the first separator comes with separator ""."""
    pieces: list[tuple[str, str]] = []
    marker, current, index = "", [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char in separators:
            pieces.append((marker, "".join(current)))
            marker, current = char, []
        else:
            current.append(char)
        index += 1
    pieces.append((marker, "".join(current)))
    return pieces


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == char:
            return index
        index += 1
    return -1


def _blocks(text: str) -> list[str]:
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if not line.lstrip().startswith("//")]
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


@dataclass
class _Answer:
    marker: str
    fraction: Fraction
    text: str
    feedback: str


def _answers(inner: str, text_format: str) -> list[_Answer]:
    answers = []
    for marker, body in _split_unescaped(inner, "=~")[1:]:
        body = body.strip()
        share = Fraction(1) if marker == "=" else Fraction(0)
        found = _WEIGHT.match(body)
        if found:
            share = weight(found.group(1))
            body = body[found.end() :]
        cut = _find_unescaped(body, "#")
        text, feedback = (body[:cut], body[cut + 1 :]) if cut >= 0 else (body, "")
        answers.append(
            _Answer(
                marker, share, _unescape(text.strip()), to_markdown(_unescape(feedback.strip()), text_format)
            )
        )
    return answers


def read_gift(data: bytes) -> QuestionBank:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(_("a GIFT file is UTF-8 text")) from None
    bank = QuestionBank()
    number = 0
    for block in _blocks(text):
        stripped = block.strip()
        if stripped.startswith("$CATEGORY:"):
            category = stripped.removeprefix("$CATEGORY:").strip()
            segments = [s for s in category.split("/") if s and not s.startswith("$") and s.lower() != "top"]
            if segments:
                bank.categories.append(segments[-1])
            continue
        number += 1
        question = _read_question(stripped, number, bank)
        if question is not None:
            bank.questions.append(question)
    return bank


def _read_question(block: str, number: int, bank: QuestionBank) -> PortableQuestion | None:
    title = ""
    found = _TITLE.match(block)
    if found:
        title = _unescape(found.group(1).strip())
        block = block[found.end() :].lstrip()
    name = title or _("question %(number)d") % {"number": number}
    text_format = AUTO
    found = _FORMAT.match(block)
    if found:
        text_format = FORMATS[found.group(1).lower()]
        block = block[found.end() :]
    opening = _find_unescaped(block, "{")
    if opening < 0:
        bank.report.skip(name, _("a description (no answer) is not a question"))
        return None
    closing = _find_unescaped(block, "}", opening)
    if closing < 0:
        bank.report.skip(name, _("its answer block is not closed with }"))
        return None
    before, inner, after = block[:opening], block[opening + 1 : closing], block[closing + 1 :]
    notes = []
    raw_prompt = _unescape(before.strip())
    if embeds_files(raw_prompt):
        notes.append(_("embedded files and images are not carried"))
    prompt = to_markdown(raw_prompt, text_format) or title
    if after.strip():
        notes.append(_("a missing-word question: the blank is shown as %(blank)s") % {"blank": BLANK})
        prompt = f"{prompt} {BLANK} {to_markdown(_unescape(after.strip()), text_format)}"
    general = ""
    cut = inner.find("####")
    if cut >= 0:
        general = to_markdown(_unescape(inner[cut + 4 :].strip()), text_format)
        inner = inner[:cut]
    inner = inner.strip()
    try:
        part = _part(inner, text_format, general, notes)
    except FormatError as error:
        bank.report.skip(name, error.message)
        return None
    if part is None:
        bank.report.skip(name, _("this kind of GIFT question is not carried"))
        return None
    return PortableQuestion(
        id=f"q{number}", title=name, prompt=prompt, points=1, explanation=general, parts=[part], notes=notes
    )


def _part(inner: str, text_format: str, general: str, notes: list[str]) -> Part | None:
    if not inner:
        return Part(Interaction.EXTENDED_TEXT, model_answer=general)
    if inner.startswith("#"):
        return _numeric(inner[1:].strip(), notes)
    found = _TRUE_FALSE.match(inner)
    if found:
        feedback = [
            to_markdown(_unescape(f.strip()), text_format) for f in (found.group(2) or "").split("#")[1:]
        ]
        correct = found.group(1).upper().startswith("T")
        wrong, right = [*feedback, "", ""][:2]
        return Part(
            Interaction.TRUE_FALSE,
            correct=correct,
            feedback={str(correct).lower(): right, str(not correct).lower(): wrong},
        )
    answers = _answers(inner, text_format)
    if not answers:
        return None
    if all(answer.marker == "=" and "->" in answer.text for answer in answers):
        return _matching(answers, notes)
    if all(answer.marker == "=" for answer in answers):
        return Part(
            Interaction.TEXT_ENTRY,
            accepted=[Accepted(a.text, a.fraction, a.feedback) for a in answers],
        )
    option_ids = letter_ids(len(answers))
    choices = [
        Alternative(option_id, to_plain(answer.text, text_format), answer.fraction, answer.feedback)
        for option_id, answer in zip(option_ids, answers, strict=True)
    ]
    # One answer marked "=" is a single choice; answers all given weights with "~" are multiple response.
    multiple = not any(answer.marker == "=" for answer in answers)
    right_ids = [choice.id for choice in choices if choice.fraction > 0]
    return Part(Interaction.CHOICE, choices=choices, multiple=multiple, correct=right_ids)


def _matching(answers: list[_Answer], notes: list[str]) -> Part:
    sources, choices, correct = [], [], {}
    by_text: dict[str, str] = {}
    for index, answer in enumerate(answers, start=1):
        left, _arrow, right = answer.text.partition("->")
        right = right.strip()
        if right not in by_text:
            by_text[right] = f"m{len(by_text) + 1}"
            choices.append(Alternative(by_text[right], right))
        if left.strip():
            sources.append(Alternative(f"i{index}", left.strip()))
            correct[f"i{index}"] = by_text[right]
    return Part(Interaction.MATCH, sources=sources, choices=choices, correct=correct)


def _numeric(inner: str, notes: list[str]) -> Part:
    entries = (
        _answers(inner, AUTO) if inner.startswith(("=", "~")) else [_Answer("=", Fraction(1), inner, "")]
    )
    full = [entry for entry in entries if entry.fraction == 1]
    if not full:
        raise FormatError(_("a numerical question needs one answer worth 100%"))
    for entry in entries:
        if entry is not full[0]:
            notes.append(
                _("answer %(text)s (%(share)s) is not carried")
                % {"text": entry.text, "share": percent(entry.fraction)}
            )
    text = full[0].text.replace(" ", "")
    ranged = _RANGE.match(text)
    if ranged:
        low, high = float(ranged.group(1)), float(ranged.group(2))
        return Part(Interaction.NUMERIC, correct=(low + high) / 2, tolerance=abs(high - low) / 2)
    found = _TOLERANCE.match(text)
    if not found:
        raise FormatError(_("“%(text)s” is not a number") % {"text": text[:40]})
    return Part(
        Interaction.NUMERIC, correct=_number(found.group(1)), tolerance=_number(found.group(2) or "0")
    )


def _number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() else value


# ---- writing


def write_gift(questions: list[PortableQuestion], *, category: str) -> tuple[str, list[tuple[str, str]]]:
    """The questions as GIFT text under one category, and notes (question, what was simplified)."""
    lines = [f"$CATEGORY: $course$/top/{category.replace('/', '-')}", ""]
    notes: list[tuple[str, str]] = []
    for question in questions:
        for part_number, part in enumerate(question.parts, start=1):
            title = (
                question.title
                if len(question.parts) == 1
                else f"{question.title} ({part_number}/{len(question.parts)})"
            )
            prompt = question.prompt if not part.label else f"{question.prompt}\n\n{part.label}"
            body, part_notes = _write_part(part, question)
            notes += [(question.title, note) for note in part_notes]
            lines.append(f"// {question.id}")
            lines.append(f"::{_escape(title)}::[markdown]{_escape(prompt)}{{")
            lines += body
            general = (
                question.explanation if part.interaction != Interaction.EXTENDED_TEXT else part.model_answer
            )
            if general:
                lines.append(f"\t####{_escape(general)}")
            lines.append("}")
            lines.append("")
        if len(question.parts) > 1:
            notes.append(
                (
                    question.title,
                    _("its %(count)d parts are written as separate questions")
                    % {"count": len(question.parts)},
                )
            )
    return "\n".join(lines), notes


def _feedback(text: str) -> str:
    return f"#{_escape(text)}" if text else ""


def _write_part(part: Part, question: PortableQuestion) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    kind = part.interaction
    if kind in (Interaction.CHOICE, Interaction.HOTTEXT):
        if kind == Interaction.HOTTEXT:
            notes.append(_("the article's sentences become a multiple-response question"))
        if not part.multiple and kind == Interaction.CHOICE:
            return [
                f"\t{'=' if c.fraction == 1 else '~'}{_share(c.fraction, c.fraction not in (0, 1))}"
                f"{_escape(c.text)}{_feedback(c.feedback)}"
                for c in part.choices
            ], notes
        return [
            f"\t~%{weight_text(c.fraction)}%{_escape(c.text)}{_feedback(c.feedback)}" for c in part.choices
        ], notes
    if kind == Interaction.TRUE_FALSE:
        right = part.feedback.get(str(part.correct).lower(), "")
        wrong = part.feedback.get(str(not part.correct).lower(), "")
        tail = f"#{_escape(wrong)}#{_escape(right)}" if wrong or right else ""
        return [f"\t{'TRUE' if part.correct else 'FALSE'}{tail}"], notes
    if kind == Interaction.TEXT_ENTRY:
        return [
            f"\t={_share(a.fraction, a.fraction != 1)}{_escape(a.text)}{_feedback(a.feedback)}"
            for a in part.accepted
        ], notes
    if kind == Interaction.MATCH:
        texts = {choice.id: choice.text for choice in part.choices}
        if len(texts) > len(set(part.correct.values())):
            notes.append(_("options no item matches are left out"))
        if any(choice.feedback for choice in part.choices):
            notes.append(_("feedback on matches is not carried"))
        return [f"\t={_escape(s.text)} -> {_escape(texts[part.correct[s.id]])}" for s in part.sources], notes
    if kind == Interaction.ORDER:
        notes.append(_("GIFT has no ordering question: each item is matched to its position"))
        texts = {choice.id: choice.text for choice in part.choices}
        return [
            f"\t={_escape(texts[item])} -> {position}" for position, item in enumerate(part.correct, 1)
        ], notes
    if kind == Interaction.NUMERIC:
        if part.unit:
            notes.append(_("the unit (%(unit)s) is not carried") % {"unit": part.unit})
        return [f"\t#{_format_number(part.correct)}:{_format_number(part.tolerance)}"], notes
    notes.append(_("the model answer is written as the general feedback"))
    return [], notes


def _share(fraction: Fraction, shown: bool) -> str:
    return f"%{weight_text(fraction)}%" if shown else ""


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
