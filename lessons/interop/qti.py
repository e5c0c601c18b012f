"""IMS QTI content packages, 2.1 and 3.0: written from a lesson, read into portable questions.

A package holds `imsmanifest.xml`, one item per question (`items/<id>.xml`), the article (a shared
stimulus in 3.0, an XHTML page in 2.1) and `quizsite.json`, which keeps what QTI has no place for (the
lesson, its entities and claims, each question's focus, links and evidence, the Markdown of its texts) so
a lesson comes back whole; other tools ignore it, and items without it are read on their own.

Items are written once, with QTI 2.1's names, and renamed for 3.0 (`choiceInteraction` →
`qti-choice-interaction`, `responseIdentifier` → `response-identifier`); reading renames 3.0 back, so one
reader reads both. Response processing scores as the lesson does: a share of the points per right pick
less one per wrong pick (never below 0), per item matched, per pair of items in the right order, and a
third per part of a composite item.
"""

from __future__ import annotations

import copy
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from fractions import Fraction
from html.parser import HTMLParser
from typing import Any, Final
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils.translation import gettext as _

from lessons.content_types import LessonContent, SentenceContent
from lessons.kinds.file import SLUG_RE
from lessons.kinds.portable import Accepted, Alternative, Interaction, Part, PortableQuestion

from .common import slug_id
from .documents import QuestionBank, without_questions
from .report import FormatError
from .safety import parse_xml, read_package
from .text import markdown_as_html, sanitise_html, to_plain

QTI21: Final = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI30: Final = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP21: Final = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP30: Final = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
LOCATIONS: Final = {
    "qti21": f"{QTI21} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p2.xsd",
    "qti30": f"{QTI30} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd",
}
SIDECAR: Final = "quizsite.json"
SIDECAR_FORMAT: Final = "quizsite.qti-extras"
# Elements of an item that are XHTML (kept by name in 3.0) rather than QTI's own.
_HTML: Final = frozenset(
    {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4",
     "hr", "abbr", "span", "div", "b", "i", "sub", "sup", "table", "tr", "td", "th", "tbody", "thead", "img"}
)  # fmt: skip
_BLOCK: Final = frozenset({"p", "pre", "blockquote", "ul", "ol", "h3", "h4", "hr", "div"})
_HTML_ATTRIBUTES: Final = {"a": {"href"}}
_INTERACTIONS: Final = (
    "choiceInteraction",
    "orderInteraction",
    "matchInteraction",
    "hottextInteraction",
    "textEntryInteraction",
    "extendedTextInteraction",
)
_FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)


def qti_id(value: str) -> str:
    """A lesson id as a QTI identifier (an XML name: one starting with a digit gets a leading "_")."""
    return f"_{value}" if value[:1].isdigit() else value


def lesson_id(value: str) -> str:
    return value[1:] if value.startswith("_") and value[1:2].isdigit() else value


# ---- HTML into item elements


class _Fragment(HTMLParser):
    """Sanitised HTML (as the rendering gives it) as elements of an item: the tags QTI's XHTML has, with
    stray text wrapped in paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML:
            return
        if self.stack[-1] is self.root and tag not in _BLOCK:
            self.stack.append(SubElement(self.root, "p"))
        allowed = _HTML_ATTRIBUTES.get(tag, set())
        element = SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs if k in allowed})
        if tag not in ("br", "hr"):
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1:
            element = self.stack.pop()
            if element.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if parent is self.root:
            if not data.strip():
                return
            parent = SubElement(self.root, "p")
            self.stack.append(parent)
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def _append_html(parent: Element, markdown: str) -> None:
    fragment = _Fragment()
    fragment.feed(markdown_as_html(markdown))
    fragment.close()
    parent.extend(list(fragment.root))


# ---- writing


def _points_text(value: Fraction) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.6f}".rstrip("0")


class _ItemWriter:
    def __init__(self, question: PortableQuestion) -> None:
        self.q = question

    def el(
        self,
        parent: Element | None,
        name: str,
        attributes: dict[str, str] | None = None,
        text: str | None = None,
    ) -> Element:
        element = (
            Element(name, attributes or {}) if parent is None else SubElement(parent, name, attributes or {})
        )
        if text is not None:
            element.text = text
        return element

    def response_id(self, index: int) -> str:
        return "RESPONSE" if len(self.q.parts) == 1 else f"RESPONSE_{index + 1}"

    def write(self) -> Element:
        q = self.q
        root = self.el(
            None,
            "assessmentItem",
            {"identifier": qti_id(q.id), "title": q.title, "adaptive": "false", "timeDependent": "false"},
        )
        for index, part in enumerate(q.parts):
            self.declare(root, part, self.response_id(index))
        self.el(
            root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float"}
        )
        maximum = self.el(
            root,
            "outcomeDeclaration",
            {"identifier": "MAXSCORE", "cardinality": "single", "baseType": "float"},
        )
        self.el(self.el(maximum, "defaultValue"), "value", text=str(q.points))
        self.el(
            root,
            "outcomeDeclaration",
            {"identifier": "FEEDBACK", "cardinality": "multiple", "baseType": "identifier"},
        )
        self.el(
            root,
            "outcomeDeclaration",
            {"identifier": "EXPLANATION", "cardinality": "single", "baseType": "identifier"},
        )
        self.stimulus_ref = root  # where a 3.0 item refers to the article: after the declarations
        body = self.el(root, "itemBody")
        prompt = self.el(body, "div", {"class": "prompt"})
        _append_html(prompt, q.prompt)
        for index, part in enumerate(q.parts):
            self.interaction(body, part, self.response_id(index))
        rubric = q.extras.get("rubric") or []
        if rubric:
            block = self.el(body, "rubricBlock", {"view": "scorer"})
            for criterion in rubric:
                self.el(block, "p", text=f"{criterion['criterion']} ({criterion['points']})")
        self.processing(root)
        self.feedback(root)
        return root

    def declare(self, root: Element, part: Part, identifier: str) -> None:
        kind = part.interaction
        base, cardinality = "identifier", "single"
        if kind == Interaction.MATCH:
            base, cardinality = "directedPair", "multiple"
        elif kind == Interaction.ORDER:
            cardinality = "ordered"
        elif kind in (Interaction.TEXT_ENTRY, Interaction.EXTENDED_TEXT):
            base = "string"
        elif kind == Interaction.NUMERIC:
            base = "float"
        elif part.multiple or kind == Interaction.HOTTEXT:
            cardinality = "multiple"
        declaration = self.el(
            root,
            "responseDeclaration",
            {"identifier": identifier, "cardinality": cardinality, "baseType": base},
        )
        values = self.correct_values(part)
        if values:
            correct = self.el(declaration, "correctResponse")
            for value in values:
                self.el(correct, "value", text=value)
        entries = self.mapping(part)
        if entries is not None:
            mapping = self.el(declaration, "mapping", {"defaultValue": "0", "lowerBound": "0"})
            for key, value in entries:
                attributes = {"mapKey": key, "mappedValue": value}
                if kind == Interaction.TEXT_ENTRY:
                    attributes["caseSensitive"] = "false"
                self.el(mapping, "mapEntry", attributes)

    def correct_values(self, part: Part) -> list[str]:
        kind = part.interaction
        if kind == Interaction.MATCH:
            return [f"{qti_id(s)} {qti_id(c)}" for s, c in part.correct.items()]
        if kind == Interaction.TRUE_FALSE:
            return ["true" if part.correct else "false"]
        if kind == Interaction.TEXT_ENTRY:
            return [answer.text for answer in part.accepted if answer.fraction == 1][:1]
        if kind == Interaction.EXTENDED_TEXT:
            return [part.model_answer] if part.model_answer else []
        if kind == Interaction.NUMERIC:
            return [str(part.correct)]
        return [qti_id(value) for value in part.correct]

    def share(self, part: Part) -> Fraction:
        return Fraction(self.q.points, len(self.q.parts))

    def mapping(self, part: Part) -> list[tuple[str, str]] | None:
        kind = part.interaction
        share = self.share(part)
        if kind in (Interaction.CHOICE, Interaction.HOTTEXT):
            return [(qti_id(c.id), _points_text(share * c.fraction)) for c in part.choices]
        if kind == Interaction.TRUE_FALSE:
            return [("true" if part.correct else "false", _points_text(share))]
        if kind == Interaction.MATCH:
            each = share / len(part.sources)
            return [(f"{qti_id(s)} {qti_id(c)}", _points_text(each)) for s, c in part.correct.items()]
        if kind == Interaction.TEXT_ENTRY:
            return [(a.text, _points_text(share * a.fraction)) for a in part.accepted]
        return None

    def interaction(self, body: Element, part: Part, identifier: str) -> None:
        kind = part.interaction
        attributes = {"responseIdentifier": identifier}
        if kind in (Interaction.CHOICE, Interaction.TRUE_FALSE):
            attributes |= {"shuffle": "false", "maxChoices": "0" if part.multiple else "1"}
            element = self.el(body, "choiceInteraction", attributes)
            self.label(element, part)
            choices = part.choices or [Alternative("true", _("True")), Alternative("false", _("False"))]
            for choice in choices:
                self.el(element, "simpleChoice", {"identifier": qti_id(choice.id)}, choice.text)
        elif kind == Interaction.HOTTEXT:
            element = self.el(body, "hottextInteraction", attributes | {"maxChoices": "0"})
            self.label(element, part)
            paragraph = self.el(element, "p")
            for choice in part.choices:
                hottext = self.el(paragraph, "hottext", {"identifier": qti_id(choice.id)}, choice.text)
                hottext.tail = " "
        elif kind == Interaction.ORDER:
            element = self.el(body, "orderInteraction", attributes | {"shuffle": "true"})
            self.label(element, part)
            for choice in part.choices:
                self.el(element, "simpleChoice", {"identifier": qti_id(choice.id)}, choice.text)
        elif kind == Interaction.MATCH:
            attributes |= {"shuffle": "true", "maxAssociations": str(len(part.sources))}
            element = self.el(body, "matchInteraction", attributes)
            self.label(element, part)
            sources = self.el(element, "simpleMatchSet")
            for source in part.sources:
                self.el(
                    sources,
                    "simpleAssociableChoice",
                    {"identifier": qti_id(source.id), "matchMax": "1"},
                    source.text,
                )
            targets = self.el(element, "simpleMatchSet")
            for choice in part.choices:
                self.el(
                    targets,
                    "simpleAssociableChoice",
                    {"identifier": qti_id(choice.id), "matchMax": "0"},
                    choice.text,
                )
        elif kind in (Interaction.TEXT_ENTRY, Interaction.NUMERIC):
            if part.label:
                self.el(body, "p", text=part.label)
            paragraph = self.el(body, "p")
            entry = self.el(paragraph, "textEntryInteraction", attributes)
            if part.unit:
                entry.tail = " "
                self.el(paragraph, "span", {"class": "unit"}, part.unit)
        else:
            element = self.el(body, "extendedTextInteraction", attributes)
            self.label(element, part)

    def label(self, element: Element, part: Part) -> None:
        if part.label:
            self.el(element, "prompt", text=part.label)

    def add_to_score(self, parent: Element) -> Element:
        """`SCORE := SCORE + <expression appended to the returned element>`."""
        setting = self.el(parent, "setOutcomeValue", {"identifier": "SCORE"})
        total = self.el(setting, "sum")
        self.el(total, "variable", {"identifier": "SCORE"})
        return total

    def processing(self, root: Element) -> None:
        processing = self.el(root, "responseProcessing")
        zero = self.el(processing, "setOutcomeValue", {"identifier": "SCORE"})
        self.el(zero, "baseValue", {"baseType": "float"}, "0")
        picked = []
        for index, part in enumerate(self.q.parts):
            identifier = self.response_id(index)
            kind = part.interaction
            if kind == Interaction.EXTENDED_TEXT:
                continue  # a person grades it
            if kind == Interaction.NUMERIC:
                condition = self.el(self.el(processing, "responseCondition"), "responseIf")
                tolerance = str(part.tolerance)
                equal = self.el(
                    condition, "equal", {"toleranceMode": "absolute", "tolerance": f"{tolerance} {tolerance}"}
                )
                self.el(equal, "variable", {"identifier": identifier})
                self.el(equal, "correct", {"identifier": identifier})
                self.el(
                    self.add_to_score(condition),
                    "baseValue",
                    {"baseType": "float"},
                    _points_text(self.share(part)),
                )
            elif kind == Interaction.ORDER:
                self.order_processing(processing, part, identifier)
            else:
                self.el(self.add_to_score(processing), "mapResponse", {"identifier": identifier})
            if kind in (Interaction.CHOICE, Interaction.HOTTEXT, Interaction.TRUE_FALSE):
                picked.append(identifier)
        if picked:
            feedback = self.el(processing, "setOutcomeValue", {"identifier": "FEEDBACK"})
            multiple = self.el(feedback, "multiple")
            for identifier in picked:
                self.el(multiple, "variable", {"identifier": identifier})
        explanation = self.el(processing, "setOutcomeValue", {"identifier": "EXPLANATION"})
        self.el(explanation, "baseValue", {"baseType": "identifier"}, "explanation")

    def order_processing(self, processing: Element, part: Part, identifier: str) -> None:
        """A share of the points for each pair of items the answer puts in the right relative order."""
        order = list(part.correct)
        pairs = [(a, b) for i, a in enumerate(order) for b in order[i + 1 :]]
        each = _points_text(self.share(part) / len(pairs))
        positions = range(1, len(order) + 1)
        for first in positions:
            for second in positions:
                if second <= first:
                    continue
                for earlier, later in pairs:
                    condition = self.el(self.el(processing, "responseCondition"), "responseIf")
                    both = self.el(condition, "and")
                    for position, item in ((first, earlier), (second, later)):
                        match = self.el(both, "match")
                        self.el(
                            self.el(match, "index", {"n": str(position)}),
                            "variable",
                            {"identifier": identifier},
                        )
                        self.el(match, "baseValue", {"baseType": "identifier"}, qti_id(item))
                    self.el(self.add_to_score(condition), "baseValue", {"baseType": "float"}, each)

    def feedback(self, root: Element) -> None:
        for part in self.q.parts:
            entries: list[tuple[str, str]] = [(c.id, c.feedback) for c in part.choices if c.feedback]
            entries += [(key, text) for key, text in part.feedback.items() if text]
            for identifier, text in entries:
                modal = self.el(
                    root,
                    "modalFeedback",
                    {"outcomeIdentifier": "FEEDBACK", "identifier": qti_id(identifier), "showHide": "show"},
                )
                _append_html(modal, text)
        if self.q.explanation:
            modal = self.el(
                root,
                "modalFeedback",
                {"outcomeIdentifier": "EXPLANATION", "identifier": "explanation", "showHide": "show"},
            )
            _append_html(modal, self.q.explanation)


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "-" + m.group(1).lower(), name)


def _camel(name: str) -> str:
    return re.sub(r"-([a-z])", lambda m: m.group(1).upper(), name)


def _to_qti30(element: Element) -> None:
    """Rename a 2.1 item's elements and attributes as QTI 3.0 names them, in place."""
    for node in element.iter():
        if node.tag not in _HTML:
            node.tag = f"qti-{_kebab(node.tag)}"
            for key in list(node.attrib):
                if not key.startswith("{"):
                    node.attrib[_kebab(key)] = node.attrib.pop(key)
    # Feedback and rubric content sits in a content body in 3.0.
    for name in ("qti-modal-feedback", "qti-rubric-block"):
        for node in element.iter(name):
            body = Element("qti-content-body")
            body.text, node.text = node.text, None
            body.extend(list(node))
            for child in list(node):
                node.remove(child)
            node.append(body)


def _xml(element: Element, namespace: str, schema_location: str) -> bytes:
    """The document of an element tree whose names are all in `namespace` (written unqualified)."""
    element.set("xmlns", namespace)
    element.set(f"{{{XSI}}}schemaLocation", schema_location)
    indent(element, space="  ")
    text = tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode()


def _article_html(paragraphs: list[list[SentenceContent]], headline: str, tag: str) -> Element:
    root = Element(tag)
    if tag == "html":
        head = SubElement(root, "head")
        SubElement(head, "title").text = headline
        body = SubElement(root, "body")
    else:
        root.attrib.update({"identifier": "article", "title": headline})
        body = SubElement(root, "qti-stimulus-body")
    SubElement(body, "h2").text = headline
    for paragraph in paragraphs:
        p = SubElement(body, "p")
        for sentence in paragraph:
            span = SubElement(p, "span", {"class": "sentence", "id": f"s-{sentence['id']}"})
            span.text = sentence["text"]
            span.tail = " "
    return root


def write_qti_package(
    document: LessonContent, questions: list[PortableQuestion], *, version: str
) -> tuple[bytes, list[tuple[str, str]]]:
    """A QTI 2.1 (`qti21`) or 3.0 (`qti30`) content package of the lesson, byte for byte the same for the
    same lesson; and notes on what QTI simplifies."""
    is30 = version == "qti30"
    ns = QTI30 if is30 else QTI21
    files: dict[str, bytes] = {}
    notes: list[tuple[str, str]] = []
    headline = document["article"]["headline"]
    if is30:
        stimulus = _article_html(document["article"]["paragraphs"], headline, "qti-assessment-stimulus")
        stimulus.set(f"{{{XML_NS}}}lang", document["lesson"].get("language", "en"))
        files["stimulus/article.xml"] = _xml(stimulus, QTI30, LOCATIONS["qti30"])
    else:
        page = _article_html(document["article"]["paragraphs"], headline, "html")
        files["article.html"] = _xml(
            page,
            "http://www.w3.org/1999/xhtml",
            "http://www.w3.org/1999/xhtml http://www.w3.org/2002/08/xhtml/xhtml1-strict.xsd",
        )
    extras: dict[str, Any] = {}
    for question in questions:
        item = _ItemWriter(question).write()
        if is30:
            _to_qti30(item)
            item.set(f"{{{XML_NS}}}lang", document["lesson"].get("language", "en"))
            position = list(item).index(next(child for child in item if child.tag == "qti-item-body"))
            reference = Element(
                "qti-assessment-stimulus-ref",
                {"identifier": "article", "href": "../stimulus/article.xml", "title": headline},
            )
            item.insert(position, reference)
        files[f"items/{question.id}.xml"] = _xml(item, ns, LOCATIONS[version])
        extras[question.id] = question.extras
        if any(part.interaction == Interaction.TEXT_ENTRY for part in question.parts):
            notes.append(
                (question.title, _("QTI matches short answers ignoring case only, not accents or typos"))
            )
        if question.extras.get("evidence_part"):
            notes.append(
                (question.title, _("its evidence part is kept for quizsite only; QTI does not score it"))
            )
    sidecar = {
        "format": SIDECAR_FORMAT,
        "version": 1,
        "lesson": without_questions(document),
        "questions": extras,
    }
    files[SIDECAR] = (json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n").encode()
    files["imsmanifest.xml"] = _manifest(document, questions, is30)
    return _zip(files), notes


def _manifest(document: LessonContent, questions: list[PortableQuestion], is30: bool) -> bytes:
    ns = CP30 if is30 else CP21
    item_type = "imsqti_item_xmlv3p0" if is30 else "imsqti_item_xmlv2p1"
    root = Element("manifest", {"identifier": f"MANIFEST-{document['lesson']['slug']}", "xmlns": ns})
    metadata = SubElement(root, "metadata")
    SubElement(metadata, "schema").text = "QTI Package" if is30 else "QTIv2.1 Package"
    SubElement(metadata, "schemaversion").text = "3.0.0" if is30 else "1.0.0"
    SubElement(root, "organizations")
    resources = SubElement(root, "resources")
    article_href = "stimulus/article.xml" if is30 else "article.html"
    for question in questions:
        href = f"items/{question.id}.xml"
        resource = SubElement(
            resources,
            "resource",
            {"identifier": f"item-{question.id}", "type": item_type, "href": href},
        )
        SubElement(resource, "file", {"href": href})
        SubElement(resource, "dependency", {"identifierref": "article"})
    article_type = "imsqti_stimulus_xmlv3p0" if is30 else "webcontent"
    article = SubElement(
        resources, "resource", {"identifier": "article", "type": article_type, "href": article_href}
    )
    SubElement(article, "file", {"href": article_href})
    extras = SubElement(
        resources,
        "resource",
        {"identifier": "quizsite-lesson", "type": "webcontent", "href": SIDECAR},
    )
    SubElement(extras, "file", {"href": SIDECAR})
    indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n").encode()


def _zip(files: dict[str, bytes]) -> bytes:
    """A zip whose bytes depend only on the files: fixed times and attributes, names in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


# ---- reading


def _local(tag: str) -> str:
    """An element's name without its namespace, with 3.0's names read as 2.1's."""
    local = tag.rsplit("}", 1)[-1]
    return _camel(local.removeprefix("qti-")) if local.startswith("qti-") else local


def _normalise(element: Element) -> Element:
    """The item with every name as 2.1 names it and no namespaces, in place."""
    for node in element.iter():
        is30 = node.tag.rsplit("}", 1)[-1].startswith("qti-")
        node.tag = _local(node.tag)
        if is30:
            for key in list(node.attrib):
                if not key.startswith("{"):
                    node.attrib[_camel(key)] = node.attrib.pop(key)
    return element


def _html_of(element: Element) -> str:
    """The XHTML inside an element, as sanitised HTML."""
    inner = (element.text or "") + "".join(tostring(child, encoding="unicode") for child in element)
    return sanitise_html(inner)


def _text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def read_qti_package(data: bytes) -> QuestionBank:
    """The items of a QTI 2.1 or 3.0 package (a zip with imsmanifest.xml), or of one item file."""
    if not data.startswith(b"PK"):
        bank = QuestionBank()
        _read_item(data, "item", bank, {})
        return bank
    files = read_package(data)
    if "imsmanifest.xml" not in files:
        raise FormatError(_("a QTI package holds imsmanifest.xml"))
    manifest = parse_xml(files["imsmanifest.xml"], what="imsmanifest.xml")
    bank = QuestionBank()
    sidecar = _sidecar(files)
    extras: dict[str, Any] = sidecar.get("questions", {}) if sidecar else {}
    for resource in manifest.iter():
        if _local(resource.tag) != "resource":
            continue
        kind, href = resource.get("type", ""), resource.get("href", "")
        if kind.startswith("imsqti_item_xml"):
            if href not in files:
                raise FormatError(
                    _("the manifest lists %(file)s, which the package lacks") % {"file": href[:80]}
                )
            _read_item(files[href], href, bank, extras)
        elif resource.get("identifier") == "article" and href in files and sidecar:
            bank.paragraphs = _paragraphs(parse_xml(files[href], what=href))
    if sidecar:
        bank.lesson = sidecar["lesson"]
    return bank


def _sidecar(files: dict[str, bytes]) -> dict[str, Any] | None:
    if SIDECAR not in files:
        return None
    try:
        sidecar = json.loads(files[SIDECAR].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FormatError(_("%(file)s is not JSON") % {"file": SIDECAR}) from None
    if not isinstance(sidecar, dict) or sidecar.get("format") != SIDECAR_FORMAT:
        raise FormatError(_("%(file)s is not a quizsite package's") % {"file": SIDECAR})
    return sidecar


def _paragraphs(root: Element) -> list[list[SentenceContent]]:
    paragraphs = []
    for paragraph in root.iter():
        if _local(paragraph.tag) != "p":
            continue
        sentences: list[SentenceContent] = [
            {"id": span.get("id", "").removeprefix("s-"), "text": "".join(span.itertext())}
            for span in paragraph
            if _local(span.tag) == "span" and span.get("class") == "sentence"
        ]
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


def _read_item(data: bytes, name: str, bank: QuestionBank, extras: dict[str, Any]) -> None:
    root = _normalise(parse_xml(data, what=name))
    if root.tag != "assessmentItem":
        raise FormatError(_("%(file)s is not a QTI item") % {"file": name[:80]})
    identifier = lesson_id(root.get("identifier", ""))
    title = root.get("title") or identifier or name
    try:
        question = _item(root, identifier, title)
    except FormatError as error:
        bank.report.skip(title, error.message)
        return
    except (KeyError, ValueError, IndexError):
        bank.report.skip(title, _("its responses do not fit its interactions"))
        return
    if question is None:
        bank.report.skip(title, _("it has no interaction quizsite carries"))
        return
    question.extras = dict(extras.get(identifier) or {})
    bank.questions.append(question)


def _declarations(root: Element) -> dict[str, dict[str, Any]]:
    found = {}
    for declaration in root.findall("responseDeclaration"):
        correct = [value.text or "" for value in declaration.findall("correctResponse/value")]
        mapping = {
            entry.get("mapKey", ""): Fraction(entry.get("mappedValue", "0"))
            for entry in declaration.findall("mapping/mapEntry")
        }
        found[declaration.get("identifier", "")] = {
            "cardinality": declaration.get("cardinality", "single"),
            "base": declaration.get("baseType", "identifier"),
            "correct": correct,
            "mapping": mapping,
        }
    return found


def _interactions(body: Element) -> Iterator[Element]:
    for element in body.iter():
        if element.tag in _INTERACTIONS:
            yield element
        elif element.tag.endswith("Interaction"):
            raise FormatError(_("its %(interaction)s is not carried") % {"interaction": element.tag})


def _prompt(body: Element) -> str:
    """The item body without its interactions and scorer's rubric, as sanitised HTML; a text entry inside
    a sentence is shown as a blank."""
    shown = []
    for child in body:
        if child.tag in _INTERACTIONS or child.tag == "rubricBlock":
            continue
        child = copy.deepcopy(child)
        for parent in list(child.iter()):
            for inner in list(parent):
                if inner.tag == "textEntryInteraction" or (
                    inner.tag == "span" and inner.get("class") == "unit"
                ):
                    blank = "_____" if inner.tag == "textEntryInteraction" else ""
                    index = list(parent).index(inner)
                    before = parent[index - 1] if index else None
                    tail = blank + (inner.tail or "")
                    if before is not None:
                        before.tail = (before.tail or "") + tail
                    else:
                        parent.text = (parent.text or "") + tail
                    parent.remove(inner)
        if _text_of(child).strip("_ ") or child.tag not in ("p", "div"):
            shown.append(tostring(child, encoding="unicode"))
    return sanitise_html("".join(shown))


def _feedback_html(modal: Element) -> str:
    body = modal.find("contentBody")  # 3.0 wraps feedback in a content body
    return _html_of(body if body is not None else modal)


def _item(root: Element, identifier: str, title: str) -> PortableQuestion | None:
    declarations = _declarations(root)
    body = root.find("itemBody")
    if body is None:
        return None
    maximum = root.find("outcomeDeclaration[@identifier='MAXSCORE']/defaultValue/value")
    interactions = list(_interactions(body))
    if not interactions:
        return None
    points = round(float(maximum.text or "1")) if maximum is not None else 0
    feedback = {
        lesson_id(modal.get("identifier", "")): _feedback_html(modal)
        for modal in root.findall("modalFeedback")
        if modal.get("outcomeIdentifier") == "FEEDBACK"
    }
    explanation = "".join(
        _feedback_html(modal)
        for modal in root.findall("modalFeedback")
        if modal.get("outcomeIdentifier") != "FEEDBACK"
    )
    unit_of = {}
    for paragraph in body.iter("p"):
        entry = paragraph.find("textEntryInteraction")
        unit = paragraph.find("span[@class='unit']")
        if entry is not None and unit is not None:
            unit_of[entry.get("responseIdentifier", "")] = _text_of(unit)
    tolerance_of = {}
    for equal in root.iter("equal"):
        variable = equal.find("variable")
        if variable is not None:
            tolerance_of[variable.get("identifier", "")] = float((equal.get("tolerance") or "0").split()[0])
    parts = []
    mapped_total = Fraction(0)
    for interaction in interactions:
        response = interaction.get("responseIdentifier", "")
        declaration = declarations.get(response)
        if declaration is None:
            raise FormatError(_("an interaction has no response declaration"))
        part, best = _part(
            interaction, declaration, feedback, unit_of.get(response, ""), tolerance_of.get(response, 0)
        )
        mapped_total += best
        parts.append(part)
    if not points:
        points = max(1, round(float(mapped_total))) if mapped_total else len(parts)
    share = Fraction(points, len(parts))
    for part in parts:  # mapped points into shares of the part
        for choice in part.choices:
            choice.fraction = (choice.fraction / share).limit_denominator(1000)
        for accepted in part.accepted:
            accepted.fraction = (accepted.fraction / share).limit_denominator(1000)
    for part in parts:
        _slug_ids(part)
    prompt = _prompt(body)
    if len(parts) == 1 and parts[0].label:  # one interaction's own prompt belongs to the question's
        prompt = f"{prompt}<p>{html.escape(parts[0].label)}</p>"
    return PortableQuestion(
        id=identifier, title=title, prompt=prompt, points=points, explanation=explanation, parts=parts
    )


def _slug_ids(part: Part) -> None:
    """Give the part's choices ids of the lesson format (QTI's identifiers allow capitals and dots)."""
    taken = {entry.id for entry in [*part.choices, *part.sources] if SLUG_RE.fullmatch(entry.id)}
    renamed: dict[str, str] = {}
    for entry in [*part.choices, *part.sources]:
        if not SLUG_RE.fullmatch(entry.id):
            renamed[entry.id] = entry.id = slug_id(entry.id, taken, "o")
    if not renamed:
        return
    if isinstance(part.correct, dict):
        part.correct = {renamed.get(k, k): renamed.get(v, v) for k, v in part.correct.items()}
    elif isinstance(part.correct, list):
        part.correct = [renamed.get(value, value) for value in part.correct]


def _choices(interaction: Element, tag: str, feedback: dict[str, str]) -> list[Alternative]:
    return [
        Alternative(
            lesson_id(choice.get("identifier", "")),
            to_plain(_html_of(choice), "html"),
            feedback=feedback.get(lesson_id(choice.get("identifier", "")), ""),
        )
        for choice in interaction.iter(tag)
    ]


def _part(
    interaction: Element, declaration: dict[str, Any], feedback: dict[str, str], unit: str, tolerance: float
) -> tuple[Part, Fraction]:
    """A part read from an interaction: its choices' fractions are, for now, the points their picks map
    to (or 1 for a right one, when nothing is mapped); and the most a right answer maps to."""
    kind = interaction.tag
    correct = [lesson_id(value) for value in declaration["correct"]]
    mapping = {
        lesson_id(key) if " " not in key else key: value for key, value in declaration["mapping"].items()
    }
    prompt = interaction.find("prompt")
    label = _text_of(prompt) if prompt is not None else ""
    if kind in ("choiceInteraction", "hottextInteraction"):
        choices = _choices(
            interaction, "simpleChoice" if kind == "choiceInteraction" else "hottext", feedback
        )
        if mapping:
            for choice in choices:
                choice.fraction = mapping.get(choice.id, Fraction(0))
        else:
            for choice in choices:
                choice.fraction = Fraction(int(choice.id in correct))
        best = sum((choice.fraction for choice in choices if choice.fraction > 0), Fraction(0))
        ids = {choice.id for choice in choices}
        if (
            kind == "choiceInteraction"
            and ids == {"true", "false"}
            and declaration["cardinality"] == "single"
        ):
            return Part(
                Interaction.TRUE_FALSE,
                label=label,
                correct=correct == ["true"],
                feedback={c.id: c.feedback for c in choices if c.feedback},
            ), best
        multiple = declaration["cardinality"] == "multiple" or interaction.get("maxChoices", "1") != "1"
        interaction_kind = Interaction.CHOICE if kind == "choiceInteraction" else Interaction.HOTTEXT
        return Part(interaction_kind, label=label, choices=choices, multiple=multiple, correct=correct), best
    if kind == "orderInteraction":
        return Part(
            Interaction.ORDER, label=label, choices=_choices(interaction, "simpleChoice", {}), correct=correct
        ), Fraction(0)
    if kind == "matchInteraction":
        sets = interaction.findall("simpleMatchSet")
        if len(sets) != 2:
            raise FormatError(_("a match interaction has two sets"))
        sources = _choices(sets[0], "simpleAssociableChoice", {})
        targets = _choices(sets[1], "simpleAssociableChoice", feedback)
        pairs: dict[str, str] = {}
        for value in declaration["correct"]:
            source, _space, target = value.partition(" ")
            pairs[lesson_id(source)] = lesson_id(target.strip())
        return Part(Interaction.MATCH, label=label, sources=sources, choices=targets, correct=pairs), sum(
            mapping.values(), Fraction(0)
        )
    if kind == "textEntryInteraction":
        if declaration["base"] in ("float", "integer"):
            value = float(correct[0])
            return Part(
                Interaction.NUMERIC,
                label=label,
                correct=int(value) if value.is_integer() else value,
                tolerance=int(tolerance) if float(tolerance).is_integer() else tolerance,
                unit=unit,
            ), Fraction(0)
        if mapping:
            accepted = [Accepted(text, value) for text, value in declaration["mapping"].items()]
        else:
            accepted = [Accepted(text) for text in declaration["correct"]]
        best = max((answer.fraction for answer in accepted), default=Fraction(0)) if mapping else Fraction(0)
        return Part(Interaction.TEXT_ENTRY, label=label, accepted=accepted), best
    model = declaration["correct"][0] if declaration["correct"] else ""
    return Part(Interaction.EXTENDED_TEXT, label=label, model_answer=model), Fraction(0)
