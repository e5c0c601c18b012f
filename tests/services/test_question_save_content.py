"""Saving a question given as a lesson file writes it (the API's way into the studio's question service):
every question of the fixture lessons goes back unchanged; a question is refused by the lesson file's rules,
and once it passes them by the editor's (the same problems as the studio's editor gets); a replacement
keeps its id and kind; a question moves to a number."""

from __future__ import annotations

import copy

import pytest
from django.contrib.auth.models import User
from factories.people import TeacherFactory

from lessons.models import Lesson
from lessons.services.lessons import lesson_document
from lessons.services.question_authoring import (
    QuestionConflict,
    QuestionInvalid,
    question_move,
    question_save,
    question_save_content,
)
from lessons.services.question_checks import editor_data_of


@pytest.fixture
def owned(first_lesson: Lesson, teacher: User) -> Lesson:
    Lesson.objects.filter(pk=first_lesson.pk).update(owner=teacher)
    return Lesson.objects.get(pk=first_lesson.pk)


@pytest.fixture
def teacher(db: None) -> User:
    return TeacherFactory()


def test_every_question_of_a_lesson_goes_back_as_it_was(owned: Lesson, teacher: User) -> None:
    before = lesson_document(owned)

    for question in before["questions"]:
        saved = question_save_content(
            user=teacher, lesson=owned, content=question, question_key=question["id"]
        )
        assert not saved.rearranged

    assert lesson_document(Lesson.objects.get(pk=owned.pk)) == before


def test_a_question_is_refused_with_the_problems_the_studio_s_editor_gets(
    owned: Lesson, teacher: User
) -> None:
    question = copy.deepcopy(lesson_document(owned)["questions"][0])
    question["options"][1]["text"] = question["options"][0]["text"]  # an editor's rule, not the file's
    question["answer"]["explanation"] = " "

    with pytest.raises(QuestionInvalid) as through_content:
        question_save_content(user=teacher, lesson=owned, content=question, question_key=question["id"])
    with pytest.raises(QuestionInvalid) as through_editor:
        question_save(user=teacher, lesson=owned, data=editor_data_of(question), question_key=question["id"])
    question["answer"]["explanation"] = "Fine."
    with pytest.raises(QuestionInvalid) as twice:
        question_save_content(user=teacher, lesson=owned, content=question, question_key=question["id"])
    with pytest.raises(QuestionInvalid) as twice_in_the_editor:
        question_save(user=teacher, lesson=owned, data=editor_data_of(question), question_key=question["id"])

    # The file's rules come first: a field they refuse is named by its path, as the editor names it.
    assert [p.path for p in through_content.value.problems] == ["answer.explanation"]
    assert "answer.explanation" in [p.path for p in through_editor.value.problems]
    # Once they pass, the editor's own checks, word for word.
    assert [(p.path, p.message) for p in twice.value.problems] == [
        (p.path, p.message) for p in twice_in_the_editor.value.problems
    ]
    assert [p.path for p in twice.value.problems] == ["options"]


def test_a_file_rule_is_named_by_its_path_in_the_question_and_nothing_is_written(
    owned: Lesson, teacher: User
) -> None:
    question = copy.deepcopy(lesson_document(owned)["questions"][0])
    unknown_field = {**question, "unknown": 1}
    unknown_option = copy.deepcopy(question)
    unknown_option["answer"]["correct"] = "x"
    count = owned.questions.count()

    with pytest.raises(QuestionInvalid) as field:
        question_save_content(user=teacher, lesson=owned, content=unknown_field)
    with pytest.raises(QuestionInvalid) as option:
        question_save_content(user=teacher, lesson=owned, content=unknown_option)
    with pytest.raises(QuestionInvalid) as not_an_object:
        question_save_content(user=teacher, lesson=owned, content=[question])

    assert [(p.path, p.message) for p in field.value.problems] == [
        ("unknown", "is not a field of this object")
    ]
    assert [p.path for p in option.value.problems] == ["answer.correct"]
    assert [(p.path, p.message) for p in not_an_object.value.problems] == [("", "must be an object")]
    assert Lesson.objects.get(pk=owned.pk).questions.count() == count


def test_a_replacement_keeps_its_id_and_kind(owned: Lesson, teacher: User) -> None:
    questions = lesson_document(owned)["questions"]
    first, other_kind = questions[0], next(q for q in questions if q["kind"] != questions[0]["kind"])

    with pytest.raises(QuestionConflict) as renamed:
        question_save_content(user=teacher, lesson=owned, content={**first, "id": "q99"}, question_key="q01")
    with pytest.raises(QuestionConflict) as rekinded:
        question_save_content(
            user=teacher, lesson=owned, content={**first, "kind": other_kind["kind"]}, question_key="q01"
        )

    assert (renamed.value.field, rekinded.value.field) == ("id", "kind")
    assert renamed.value.status == 409


def test_a_question_moves_to_a_number_and_past_the_end_is_last(owned: Lesson, teacher: User) -> None:
    keys = [q["id"] for q in lesson_document(owned)["questions"]]

    third = question_move(user=teacher, lesson=owned, question_key=keys[0], to=3)
    order = [q["id"] for q in lesson_document(Lesson.objects.get(pk=owned.pk))["questions"]]
    last = question_move(user=teacher, lesson=owned, question_key=keys[0], to=999)

    assert third == 3 and order[:3] == [keys[1], keys[2], keys[0]]
    assert last == len(keys)
    assert [q["id"] for q in lesson_document(Lesson.objects.get(pk=owned.pk))["questions"]][-1] == keys[0]
