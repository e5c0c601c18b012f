"""Each kind's editor reads back what it writes: a question put into editor data and read again has the same
lists and key, for every question of both fixture lessons (every kind)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from factories.lessons import first_lesson_document, second_lesson_document

from lessons.kinds import all_kinds, get_kind
from lessons.kinds.forms import SentenceRef
from lessons.services.lesson_documents import parse_lesson_document, question_content


def _questions() -> list[tuple[dict[str, Any], list[SentenceRef]]]:
    found = []
    for data in (first_lesson_document(), second_lesson_document()):
        document = parse_lesson_document(data)
        sentences = [
            SentenceRef(sentence.id, sentence.text, number)
            for number, paragraph in enumerate(document.article.paragraphs, start=1)
            for sentence in paragraph
        ]
        found += [(dict(question_content(record)), sentences) for record in document.questions]
    return found


QUESTIONS = _questions()


def test_the_fixture_lessons_hold_every_kind() -> None:
    assert {question["kind"] for question, _ in QUESTIONS} == {kind.name for kind in all_kinds()}


@pytest.mark.parametrize(
    ("question", "sentences"), QUESTIONS, ids=[q["id"] + "-" + q["kind"] for q, _ in QUESTIONS]
)
def test_editor_reads_back_what_it_writes(question: dict[str, Any], sentences: list[SentenceRef]) -> None:
    kind = get_kind(question["kind"])
    data = QueryDict(mutable=True)
    kind.editor_data(question, data)  # type: ignore[arg-type]
    edited = kind.edited(data, sentences)
    key = question["answer"]
    assert edited.unreadable == {}
    assert [option["id"] for option in edited.options] == [option["id"] for option in question["options"]]
    assert [option["text"] for option in edited.options] == [option["text"] for option in question["options"]]
    assert edited.items == question["items"]
    assert kind.stored_key(edited.correct, question) == key["correct"]  # type: ignore[arg-type]
    assert edited.option_feedback == key["option_feedback"]
    assert edited.accepted == key["accepted"]
    assert edited.model_answer == key["model_answer"]
    assert edited.rubric == key["rubric"]
    # The editor shows every written row and room for more.
    shown = kind.editor(data, sentences)
    assert shown.template == f"lessons/kinds/editor/{kind.name}.html" or shown.template.endswith(
        "options.html"
    )
