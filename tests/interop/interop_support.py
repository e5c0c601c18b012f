"""Reading a question file of tests/interop/files into the lesson document an import would write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lessons.interop.documents import QuestionBank, lesson_of_bank

FILES = Path(__file__).parent / "files"
XSD = Path(__file__).parent / "xsd"


def local_schema_copy(uri: str) -> str:
    """A schema's web address as its copy under tests/interop/xsd (they are never fetched). Here, not in
    conftest, so that the schema kept between runs (pickled with it) finds it again by its module."""
    for prefix in ("http://", "https://"):
        if uri.startswith(prefix):
            local = XSD / uri.removeprefix(prefix)
            if local.exists():
                return local.resolve().as_uri()
    return uri


def read(reader: Callable[[bytes], QuestionBank], name: str) -> tuple[dict[str, Any], list[str]]:
    """The draft document of the file's questions, and the import report's lines."""
    bank = reader((FILES / name).read_bytes())
    document = lesson_of_bank(bank, slug="imported", title="Imported", introduction="From a file.")
    return document, bank.report.lines()


def key(question: dict[str, Any]) -> dict[str, Any]:
    """What an exchange format carries of a question: its kind, prompt, points, choices and key."""
    answer = question["answer"]
    shown = {
        "kind": question["kind"],
        "prompt": question["prompt"],
        "points": question["points"],
        "options": question["options"],
        "items": question["items"],
        "correct": answer["correct"],
        "option_feedback": answer["option_feedback"],
    }
    for field in ("accepted", "near_misses", "model_answer", "explanation"):
        if answer.get(field):
            shown[field] = answer[field]
    return shown


def options(*texts: str) -> list[dict[str, str]]:
    return [{"id": f"o{number}", "text": text} for number, text in enumerate(texts, start=1)]
