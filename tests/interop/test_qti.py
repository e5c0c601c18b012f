"""QTI: the first lesson as QTI 2.1 (valid against the IMS XSD) and 3.0 (checked for its structure), scored
by its response processing as the lesson scores, read back whole and byte for byte; other tools' items read;
hostile packages refused."""

from __future__ import annotations

import io
import itertools
import zipfile
from typing import Any
from xml.etree.ElementTree import fromstring

import pytest
from interop_support import FILES, key
from qti_scoring import ItemScorer

from lessons.content_types import LessonContent
from lessons.interop.documents import lesson_of_bank, portable_questions
from lessons.interop.qti import QTI30, _normalise, lesson_id, qti_id, read_qti_package, write_qti_package
from lessons.interop.report import FormatError, Report
from lessons.kinds import get_kind
from lessons.kinds.scoring import LessonTerms


def package(document: LessonContent, version: str) -> bytes:
    content, _notes = write_qti_package(document, portable_questions(document, Report()), version=version)
    return content


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def items(content: bytes) -> dict[str, bytes]:
    return {name: data for name, data in unzip(content).items() if name.startswith("items/")}


def test_the_qti21_package_validates_against_the_ims_qti21_xsd(
    first_lesson_data: dict[str, Any], qti21_schema: Any
) -> None:
    written = items(package(first_lesson_data, "qti21"))
    assert len(written) == len(first_lesson_data["questions"])
    errors = {
        name: [str(error.reason) for error in qti21_schema.iter_errors(data.decode())]
        for name, data in written.items()
    }
    assert errors == {name: [] for name in written}


def test_the_qti30_package_has_its_namespaces_identifiers_and_declarations(
    first_lesson_data: dict[str, Any],
) -> None:
    files = unzip(package(first_lesson_data, "qti30"))
    manifest = fromstring(files["imsmanifest.xml"])
    assert manifest.tag == "{http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1}manifest"
    resources = {
        r.get("identifier"): r
        for r in manifest.iter("{http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1}resource")
    }
    item_resources = [r for r in resources.values() if r.get("type") == "imsqti_item_xmlv3p0"]
    assert [r.get("href") for r in item_resources] == [
        f"items/{q['id']}.xml" for q in first_lesson_data["questions"]
    ]
    assert resources["article"].get("type") == "imsqti_stimulus_xmlv3p0"
    stimulus = fromstring(files["stimulus/article.xml"])
    assert stimulus.tag == f"{{{QTI30}}}qti-assessment-stimulus"
    sentences = [span.get("id") for span in stimulus.iter(f"{{{QTI30}}}span")]
    assert sentences == [f"s-{s['id']}" for p in first_lesson_data["article"]["paragraphs"] for s in p]
    for question in first_lesson_data["questions"]:
        item = fromstring(files[f"items/{question['id']}.xml"])
        assert item.tag == f"{{{QTI30}}}qti-assessment-item"
        assert item.get("identifier") == qti_id(question["id"])
        names = {element.tag.split("}")[0] for element in item.iter()}
        assert names == {"{" + QTI30}, "every element is in the QTI 3.0 namespace"
        local = [element.tag.split("}")[1] for element in item.iter()]
        assert not [name for name in local if name[0].isupper() or "Interaction" in name]  # no 2.1 names
        declared = {d.get("identifier") for d in item.iter(f"{{{QTI30}}}qti-response-declaration")}
        used = {
            element.get("response-identifier")
            for element in item.iter()
            if element.tag.endswith("-interaction")
        }
        assert used and used == declared
        reference = item.find(f"{{{QTI30}}}qti-assessment-stimulus-ref")
        assert reference is not None and reference.get("href") == "../stimulus/article.xml"
        assert item.find(f"{{{QTI30}}}qti-response-processing") is not None
    kinds_of = {q["kind"]: fromstring(files[f"items/{q['id']}.xml"]) for q in first_lesson_data["questions"]}
    assert kinds_of["evidence"].find(f".//{{{QTI30}}}qti-hottext-interaction") is not None
    assert len(kinds_of["attribution"].findall(f".//{{{QTI30}}}qti-choice-interaction")) == 3
    assert kinds_of["open_response"].find(f".//{{{QTI30}}}qti-extended-text-interaction") is not None


@pytest.mark.parametrize("version", ["qti21", "qti30"])
def test_a_lesson_comes_back_whole_from_its_package_and_the_package_byte_for_byte(
    first_lesson_data: dict[str, Any], version: str
) -> None:
    content = package(first_lesson_data, version)
    bank = read_qti_package(content)
    document = lesson_of_bank(bank)
    assert bank.report.lines() == []
    assert document == first_lesson_data
    assert package(document, version) == content


def qti_response(question: dict[str, Any], answer: Any) -> dict[str, Any]:
    """Our answer as the QTI item's responses."""
    kind = question["kind"]
    if kind == "attribution":
        return {
            f"RESPONSE_{n}": qti_id(answer[part]) if n < 3 else answer[part]
            for n, part in ((1, "asserted_by"), (2, "source"), (3, "standing"))
        }
    if kind == "true_false":
        return {"RESPONSE": "true" if answer else "false"}
    if kind == "matching":
        return {"RESPONSE": [f"{qti_id(item)} {qti_id(option)}" for item, option in answer.items()]}
    if kind in ("short_answer", "numeric"):
        return {"RESPONSE": answer}
    if isinstance(answer, list):
        return {"RESPONSE": [qti_id(value) for value in answer]}
    return {"RESPONSE": qti_id(answer)}


def answers(question: dict[str, Any], sentence_ids: list[str]) -> list[Any]:
    """Right, partly right and wrong answers to a question of the first lesson."""
    kind = question["kind"]
    option_ids = [option["id"] for option in question["options"]]
    correct = question["answer"]["correct"]
    if kind == "single_choice":
        return option_ids
    if kind == "multiple_select":
        return [
            list(pick)
            for size in range(len(option_ids) + 1)
            for pick in itertools.combinations(option_ids, size)
        ]
    if kind == "true_false":
        return [True, False]
    if kind == "short_answer":
        return [*question["answer"]["accepted"], "Nothing like it"]
    if kind == "ordering":
        return [list(order) for order in itertools.permutations(correct)]
    if kind == "matching":
        matched = list(correct.values())
        return [
            dict(zip(correct, matched[shift:] + matched[:shift], strict=True))
            for shift in range(len(matched))
        ]
    if kind == "evidence":
        wrong = [s for s in sentence_ids if s not in correct][:2]
        return [correct, correct[:1], [*correct, *wrong], wrong, []]
    if kind == "attribution":
        groups = {
            g: [o["id"] for o in question["options"] if o["group"] == g] for g in ("asserted_by", "source")
        }
        return [
            {"asserted_by": who, "source": source, "standing": standing}
            for who in groups["asserted_by"][:2]
            for source in groups["source"][:2]
            for standing in (correct["standing"], "unknown" if correct["standing"] != "unknown" else "denied")
        ]
    if kind == "numeric":
        value, tolerance = correct["value"], correct["tolerance"]
        return [value, value + tolerance, value + tolerance + 1, value - tolerance - 1]
    return []


def test_each_exported_item_scores_as_the_lesson_does(first_lesson_data: dict[str, Any]) -> None:
    written = items(package(first_lesson_data, "qti21"))
    sentence_ids = [s["id"] for p in first_lesson_data["article"]["paragraphs"] for s in p]
    terms = LessonTerms.of([])
    checked = 0
    for question in first_lesson_data["questions"]:
        scorer = ItemScorer(_normalise(fromstring(written[f"items/{question['id']}.xml"])))
        kind = get_kind(question["kind"])
        for answer in answers(question, sentence_ids):
            ours = kind.score(question, kind.validate(question, answer, sentence_ids), terms).fraction
            theirs = scorer.score(qti_response(question, answer))
            assert theirs == pytest.approx(float(ours * question["points"]), abs=1e-4), (
                question["id"],
                answer,
            )
            checked += 1
    assert checked > 100


def test_items_of_other_tools_are_read_qti21_and_qti30() -> None:
    bank = read_qti_package((FILES / "qti/choice_21.xml").read_bytes())
    document = lesson_of_bank(bank, slug="imported", title="Imported", introduction="From a file.")
    assert key(document["questions"][0]) == {
        "kind": "single_choice",
        "prompt": "<p>Look at the text in the picture.</p><p>What does it say?</p>",
        "points": 1,
        "options": [
            {"id": "choicea", "text": "You must stay with your luggage at all times."},
            {"id": "choiceb", "text": "Do not let someone else look after your luggage."},
            {"id": "choicec", "text": "Remember your luggage when you leave."},
        ],
        "items": [],
        "correct": "choicea",
        "option_feedback": {},
        "explanation": "The imported question came without an explanation.",
    }
    bank = read_qti_package((FILES / "qti/order_30.xml").read_bytes())
    document = lesson_of_bank(bank, slug="imported", title="Imported", introduction="From a file.")
    question = document["questions"][0]
    assert (question["kind"], question["items"], question["answer"]["correct"]) == (
        "ordering",
        [
            {"id": "drivera", "text": "Rubens Barrichello"},
            {"id": "driverb", "text": "Jenson Button"},
            {"id": "driverc", "text": "Michael Schumacher"},
        ],
        ["driverc", "drivera", "driverb"],
    )
    bank = read_qti_package((FILES / "qti/text_entry_30.xml").read_bytes())
    document = lesson_of_bank(bank, slug="imported", title="Imported", introduction="From a file.")
    question = document["questions"][0]
    assert (question["kind"], question["prompt"], question["answer"]["accepted"]) == (
        "short_answer",
        "<p>Richard III (Richard of _____) gave battle in vain.</p>",
        ["York"],
    )
    assert (
        "changed: Capital: answer “york city” was worth 50%: it is no longer accepted" in bank.report.lines()
    )


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


MANIFEST = b"""<?xml version="1.0"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><resources>
<resource identifier="a" type="imsqti_item_xmlv2p1" href="a.xml"/>
<resource identifier="b" type="imsqti_item_xmlv2p1" href="b.xml"/>
</resources></manifest>"""


def test_a_package_of_other_tools_items_reports_the_interactions_it_cannot_carry() -> None:
    content = zipped(
        {
            "imsmanifest.xml": MANIFEST,
            "a.xml": (FILES / "qti/choice_21.xml").read_bytes(),
            "b.xml": (FILES / "qti/gap_match_21.xml").read_bytes(),
        }
    )
    bank = read_qti_package(content)
    assert [question.title for question in bank.questions] == ["Unattended Luggage"]
    assert bank.report.lines() == ["skipped: Richard III: its gapMatchInteraction is not carried"]


HOSTILE = [
    (
        "an XML bomb",
        {"imsmanifest.xml": MANIFEST, "a.xml": (FILES / "qti/bomb_21.xml").read_bytes()},
        "a.xml: declares a DTD or entities, which are refused",
    ),
    (
        "a path out of the package",
        {"../evil.xml": b"<x/>"},
        "the package names a file outside itself: '../evil.xml'",
    ),
    ("no manifest", {"a.xml": b"<x/>"}, "a QTI package holds imsmanifest.xml"),
    ("a missing item", {"imsmanifest.xml": MANIFEST}, "the manifest lists a.xml, which the package lacks"),
]


@pytest.mark.parametrize(
    ("files", "message"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_or_broken_packages_are_refused(files: dict[str, bytes], message: str) -> None:
    with pytest.raises(FormatError) as refused:
        read_qti_package(zipped(files))
    assert refused.value.message == message


def test_a_package_that_unpacks_too_large_is_refused() -> None:
    content = zipped({"imsmanifest.xml": MANIFEST, "big.txt": b"0" * 10_000_001})
    with pytest.raises(FormatError, match="unpacks to more than 10,000,000 bytes"):
        read_qti_package(content)


def test_identifiers_starting_with_a_digit_become_xml_names_and_come_back() -> None:
    assert qti_id("2025-deal") == "_2025-deal"
    assert qti_id("deal") == "deal"
    assert lesson_id(qti_id("2025-deal")) == "2025-deal"
