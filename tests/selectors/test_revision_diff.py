"""The "what changed" summary of two revisions: questions added, removed, keys and prompts changed."""

from __future__ import annotations

import copy

from factories.lessons import second_lesson_document

from lessons.content_types import LessonContent
from lessons.selectors.revision_diff import revision_changes


def test_added_removed_and_changed_questions_are_named() -> None:
    old: LessonContent = second_lesson_document()  # type: ignore[assignment]
    new = copy.deepcopy(old)
    removed = new["questions"].pop(0)  # q1
    new["questions"][4]["answer"]["correct"] = "a"  # q6's key
    new["questions"][0]["prompt"] = "Who accused the government?"  # q2's prompt
    added = copy.deepcopy(new["questions"][4])
    added["id"] = "q7"
    new["questions"].append(added)

    changes = revision_changes(old, new)

    assert [(line.key, line.number) for line in changes.added] == [("q7", 6)]
    assert [(line.key, line.number, line.prompt) for line in changes.removed] == [
        ("q1", 1, removed["prompt"])
    ]
    assert [(change.key, change.aspects) for change in changes.changed] == [
        ("q2", ["prompt"]),
        ("q6", ["key"]),
    ]
    assert changes.changed[1].key_changed and not changes.changed[1].prompt_changed
    assert changes.reordered is False
    assert changes.lesson_fields == []
    assert not changes.nothing


def test_the_same_content_changes_nothing_and_a_move_is_a_reordering() -> None:
    old: LessonContent = second_lesson_document()  # type: ignore[assignment]
    assert revision_changes(old, copy.deepcopy(old)).nothing
    new = copy.deepcopy(old)
    new["questions"].reverse()
    new["lesson"]["title"] = "Another title"
    changes = revision_changes(old, new)
    assert changes.reordered and changes.changed == [] and changes.lesson_fields == ["title"]
