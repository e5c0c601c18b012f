"""Moodle XML: read into portable questions and written from them.

Read: multichoice (single and multiple response), truefalse, shortanswer, matching, ordering (Moodle's
ordering question type), numerical (one answer with its tolerance), essay (the general feedback becomes
the model answer, the grader information the rubric's criterion) and categories; the text formats html
(sanitised), markdown, plain_text and moodle_auto_format. Everything else (cloze, drag and drop,
calculated, description, random) is skipped and reported, as are embedded files.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils.translation import gettext as _

from lessons.kinds.portable import Accepted, Alternative, Interaction, Part, PortableQuestion, percent

from .common import letter_ids, weight, weight_text
from .documents import QuestionBank
from .report import FormatError
from .safety import check_size, parse_xml
from .text import HTML, MARKDOWN, embeds_files, to_markdown, to_plain

_NOT_CARRIED: Final = {
    "multianswer": "cloze (embedded answers)",
    "ddwtos": "drag and drop into text",
    "ddimageortext": "drag and drop onto an image",
    "ddmarker": "drag and drop markers",
    "gapselect": "select missing words",
    "calculated": "calculated",
    "calculatedsimple": "simple calculated",
    "calculatedmulti": "calculated multichoice",
    "randomsamatch": "random short-answer matching",
    "random": "random",
    "description": "description",
}


def _text(element: Element | None) -> tuple[str, str]:
    """The text of a Moodle text field (`<x format="…"><text>…</text></x>`) and its format."""
    if element is None:
        return "", HTML
    text = element.findtext("text") or ""
    return text, element.get("format", HTML)


def _markdown(element: Element | None) -> str:
    text, text_format = _text(element)
    return to_markdown(text, text_format)


def _plain(element: Element | None) -> str:
    text, text_format = _text(element)
    return to_plain(text, text_format)


def read_moodle_xml(data: bytes) -> QuestionBank:
    check_size(data)
    root = parse_xml(data, what="Moodle XML")
    if root.tag != "quiz":
        raise FormatError(
            _("a Moodle XML file has <quiz> at its root, not <%(tag)s>") % {"tag": root.tag[:40]}
        )
    bank = QuestionBank()
    for number, element in enumerate(root.findall("question"), start=1):
        qtype = element.get("type", "")  # Moodle's question type
        if qtype == "category":
            path = (element.findtext("category/text") or "").strip()
            segments = [s for s in path.split("/") if s and not s.startswith("$") and s.lower() != "top"]
            if segments:
                bank.categories.append(segments[-1])
            continue
        name = (element.findtext("name/text") or "").strip() or _("question %(number)d") % {"number": number}
        if qtype in _NOT_CARRIED:
            bank.report.skip(
                name, _("Moodle's %(type)s questions are not carried") % {"type": _NOT_CARRIED[qtype]}
            )
            continue
        notes: list[str] = []
        try:
            part = _part(qtype, element, notes)
        except FormatError as error:
            bank.report.skip(name, error.message)
            continue
        if part is None:
            bank.report.skip(name, _("unknown question type “%(type)s”") % {"type": qtype[:40]})
            continue
        raw_prompt, _format = _text(element.find("questiontext"))
        if element.find(".//file") is not None or embeds_files(raw_prompt):
            notes.append(_("embedded files and images are not carried"))
        general = _markdown(element.find("generalfeedback"))
        if part.interaction == Interaction.EXTENDED_TEXT:
            part.model_answer = general
            part.label = _plain(element.find("graderinfo"))
        points, point_note = _points(element.findtext("defaultgrade"))
        if point_note:
            notes.append(point_note)
        bank.questions.append(
            PortableQuestion(
                id=f"q{number}",
                title=name,
                prompt=_markdown(element.find("questiontext")) or name,
                points=points,
                explanation=general,
                parts=[part],
                notes=notes,
            )
        )
    return bank


def _points(text: str | None) -> tuple[int, str]:
    try:
        value = float(text or "1")
    except ValueError:
        return 1, _("its default mark is not a number: it is worth 1 point")
    points = min(100, max(1, round(value)))
    if points != value:
        return points, _("its default mark %(mark)s is now %(points)d points") % {
            "mark": text,
            "points": points,
        }
    return points, ""


def _answers(element: Element) -> list[tuple[Fraction, Element]]:
    return [(weight(answer.get("fraction", "0")), answer) for answer in element.findall("answer")]


def _part(qtype: str, element: Element, notes: list[str]) -> Part | None:
    if qtype == "multichoice":
        answers = _answers(element)
        choices = [
            Alternative(option_id, _plain(answer), share, _markdown(answer.find("feedback")))
            for option_id, (share, answer) in zip(letter_ids(len(answers)), answers, strict=True)
        ]
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        return Part(
            Interaction.CHOICE,
            choices=choices,
            multiple=not single,
            correct=[c.id for c in choices if c.fraction > 0],
        )
    if qtype == "truefalse":
        said_right: bool | None = None
        feedback: dict[str, str] = {}
        for share, answer in _answers(element):
            said = _plain(answer).lower()
            if said not in ("true", "false"):
                raise FormatError(_("a true/false answer is “true” or “false”"))
            feedback[said] = _markdown(answer.find("feedback"))
            if share == 1:
                said_right = said == "true"
        return Part(Interaction.TRUE_FALSE, correct=said_right, feedback=feedback)
    if qtype == "shortanswer":
        if (element.findtext("usecase") or "0").strip() == "1":
            notes.append(_("case-sensitive matching is not carried: case is forgiven"))
        return Part(
            Interaction.TEXT_ENTRY,
            accepted=[
                Accepted(_plain(answer), share, _markdown(answer.find("feedback")))
                for share, answer in _answers(element)
            ],
        )
    if qtype == "numerical":
        entries = _answers(element)
        full = [(share, answer) for share, answer in entries if share == 1]
        if not full:
            raise FormatError(_("a numerical question needs one answer worth 100%"))
        for share, answer in entries:
            if answer is not full[0][1]:
                notes.append(
                    _("answer %(text)s (%(share)s) is not carried")
                    % {"text": _plain(answer), "share": percent(share)}
                )
        answer = full[0][1]
        try:
            value = float(_plain(answer))
            tolerance = float(answer.findtext("tolerance") or "0")
        except ValueError:
            raise FormatError(_("a numerical answer is a number")) from None
        units = element.findall("units/unit")
        unit = (units[0].findtext("unit_name") or "").strip() if units else ""
        if len(units) > 1:
            notes.append(_("only its first unit is carried"))
        return Part(
            Interaction.NUMERIC,
            correct=int(value) if value.is_integer() else value,
            tolerance=int(tolerance) if tolerance.is_integer() else tolerance,
            unit=unit,
        )
    if qtype == "matching":
        sources, choices, pairs = [], [], {}
        by_text: dict[str, str] = {}
        for index, sub in enumerate(element.findall("subquestion"), start=1):
            right = to_plain(sub.findtext("answer/text") or "", "plain_text")
            if right not in by_text:
                by_text[right] = f"m{len(by_text) + 1}"
                choices.append(Alternative(by_text[right], right))
            left = _plain(sub)
            if left:
                sources.append(Alternative(f"i{index}", left))
                pairs[f"i{index}"] = by_text[right]
        return Part(Interaction.MATCH, sources=sources, choices=choices, correct=pairs)
    if qtype == "ordering":
        # Moodle's ordering question lists its items in the right order (their "fractions" number them).
        listed = element.findall("answer")
        items = [
            Alternative(item_id, _plain(answer))
            for item_id, answer in zip(letter_ids(len(listed)), listed, strict=True)
        ]
        return Part(Interaction.ORDER, choices=items, correct=[item.id for item in items])
    if qtype == "essay":
        return Part(Interaction.EXTENDED_TEXT)
    return None


# ---- writing


def _text_field(
    parent: Element, tag: str, text: str, text_format: str = MARKDOWN, **attributes: str
) -> Element:
    element = SubElement(parent, tag, {**attributes, "format": text_format})
    SubElement(element, "text").text = text
    return element


def write_moodle_xml(
    questions: list[PortableQuestion], *, category: str
) -> tuple[bytes, list[tuple[str, str]]]:
    """The questions as a Moodle XML file under one category, and notes (question, what was simplified)."""
    quiz = Element("quiz")
    heading = SubElement(quiz, "question", type="category")
    SubElement(SubElement(heading, "category"), "text").text = f"$course$/top/{category}"
    notes: list[tuple[str, str]] = []
    for question in questions:
        parts = question.parts
        if len(parts) > 1:
            notes.append(
                (
                    question.title,
                    _("its %(count)d parts are written as separate questions") % {"count": len(parts)},
                )
            )
        for number, part in enumerate(parts, start=1):
            title = question.title if len(parts) == 1 else f"{question.title} ({number}/{len(parts)})"
            prompt = question.prompt if not part.label else f"{question.prompt}\n\n{part.label}"
            element = SubElement(quiz, "question")
            SubElement(SubElement(element, "name"), "text").text = title
            _text_field(element, "questiontext", prompt)
            general = (
                part.model_answer if part.interaction == Interaction.EXTENDED_TEXT else question.explanation
            )
            _text_field(element, "generalfeedback", general)
            points = question.points if len(parts) == 1 else question.points / len(parts)
            SubElement(element, "defaultgrade").text = f"{points:.7f}"
            SubElement(element, "idnumber").text = (
                question.id if len(parts) == 1 else f"{question.id}-{number}"
            )
            notes += [(question.title, note) for note in _write_part(element, part)]
    indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        quiz, encoding="unicode"
    ).encode() + b"\n", notes


def _answer(
    element: Element, fraction: Fraction, text: str, feedback: str = "", text_format: str = "plain_text"
) -> Element:
    answer = _text_field(element, "answer", text, text_format, fraction=weight_text(fraction))
    _text_field(answer, "feedback", feedback)
    return answer


def _write_part(element: Element, part: Part) -> list[str]:
    kind = part.interaction
    notes: list[str] = []
    if kind in (Interaction.CHOICE, Interaction.HOTTEXT):
        element.set("type", "multichoice")
        if kind == Interaction.HOTTEXT:
            notes.append(_("the article's sentences become a multiple-response question"))
        SubElement(element, "single").text = "false" if part.multiple else "true"
        SubElement(element, "shuffleanswers").text = "true"
        SubElement(element, "answernumbering").text = "abc"
        for choice in part.choices:
            _answer(element, choice.fraction, choice.text, choice.feedback)
    elif kind == Interaction.TRUE_FALSE:
        element.set("type", "truefalse")
        for said in (True, False):
            _answer(
                element,
                Fraction(int(said is part.correct)),
                str(said).lower(),
                part.feedback.get(str(said).lower(), ""),
            )
    elif kind == Interaction.TEXT_ENTRY:
        element.set("type", "shortanswer")
        SubElement(element, "usecase").text = "0"
        for accepted in part.accepted:
            _answer(element, accepted.fraction, accepted.text, accepted.feedback)
    elif kind == Interaction.NUMERIC:
        element.set("type", "numerical")
        answer = _answer(element, Fraction(1), str(part.correct))
        SubElement(answer, "tolerance").text = str(part.tolerance)
        if part.unit:
            unit = SubElement(SubElement(element, "units"), "unit")
            SubElement(unit, "multiplier").text = "1"
            SubElement(unit, "unit_name").text = part.unit
    elif kind == Interaction.MATCH:
        element.set("type", "matching")
        SubElement(element, "shuffleanswers").text = "true"
        texts = {choice.id: choice.text for choice in part.choices}
        for source in part.sources:
            sub = _text_field(element, "subquestion", source.text, "plain_text")
            SubElement(SubElement(sub, "answer"), "text").text = texts[part.correct[source.id]]
        for choice in part.choices:
            if choice.id not in part.correct.values():
                sub = _text_field(element, "subquestion", "", "plain_text")
                SubElement(SubElement(sub, "answer"), "text").text = choice.text
        if any(choice.feedback for choice in part.choices):
            notes.append(_("feedback on matches is not carried"))
    elif kind == Interaction.ORDER:
        element.set("type", "ordering")
        SubElement(element, "layouttype").text = "VERTICAL"
        SubElement(element, "selecttype").text = "ALL"
        SubElement(element, "selectcount").text = "0"
        SubElement(element, "gradingtype").text = "RELATIVEALLPREVIOUSANDNEXT"
        texts = {choice.id: choice.text for choice in part.choices}
        for item in part.correct:
            _answer(element, Fraction(1), texts[item])
        notes.append(_("Moodle grades the order by its own rule, not by pairs in order"))
    else:
        element.set("type", "essay")
        SubElement(element, "responseformat").text = "editor"
        SubElement(element, "responserequired").text = "1"
        _text_field(element, "graderinfo", part.label)
        notes.append(_("the model answer is written as the general feedback"))
    return notes
