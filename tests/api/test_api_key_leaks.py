"""Rule 1 through the API: a lesson whose every key, explanation, feedback, model answer, rubric criterion
and accepted answer is a sentinel naming its question, walked over every endpoint a student or learner
reaches; a sentinel shows only where the policy releases that question's feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from api_support import Api, MakeApi, sentinels_in
from django.contrib.auth.models import User

from lessons.models import ApiToken, Assignment, FeedbackRelease, Lesson
from lessons.services.classroom import assignment_release_feedback
from lessons.services.interop import EXPORT_FORMATS

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANSWERED = {"q01", "q22"}


def api_user_id(api: Api) -> int:
    return int(ApiToken.objects.get(prefix=api.token.split("_")[1]).user_id)


def student_walk(api: Api, lesson: Lesson, assignment: Assignment, attempt_id: int) -> dict[str, Any]:
    """Every GET a student reaches, by path, with its response."""
    paths = [
        "me/",
        "lessons/",
        f"lessons/{lesson.slug}/",
        f"lessons/{lesson.slug}/self-study/",
        "review/",
        "progress/",
        "assignments/",
        f"assignments/{assignment.pk}/",
        f"attempts/{attempt_id}/",
        f"attempts/{attempt_id}/results/",
        "standings/",
        "me/time-zone/",
        "me/tokens/",
        f"progress/actors/{lesson.actors.order_by('slug')[0].slug}/",
        f"progress/treaties/{lesson.treaties.order_by('slug')[0].slug}/",
        # A teacher's side, which a student never reaches (404), whatever the policy.
        "teach/classes/",
        f"teach/classes/{assignment.classroom_id}/",
        f"teach/classes/{assignment.classroom_id}/assignments/",
        f"teach/classes/{assignment.classroom_id}/gradebook/",
        f"teach/classes/{assignment.classroom_id}/gradebook.csv",
        f"teach/assignments/{assignment.pk}/",
        f"teach/assignments/{assignment.pk}/grading/",
        f"teach/assignments/{assignment.pk}/analysis/",
        # An author's side, which a student never reaches (404): the questions, their keys, the exports.
        f"author/lessons/{lesson.slug}/",
        f"author/lessons/{lesson.slug}/file/",
        f"author/lessons/{lesson.slug}/questions/",
        f"author/lessons/{lesson.slug}/questions/q01/",
        f"author/lessons/{lesson.slug}/export/",
        *(f"author/lessons/{lesson.slug}/export/{file_format}/" for file_format in EXPORT_FORMATS),
        f"teach/attempts/{attempt_id}/",
        f"teach/classes/{assignment.classroom_id}/students/{api_user_id(api)}/report/",
        f"teach/classes/{assignment.classroom_id}/students/{api_user_id(api)}/accommodations/",
    ]
    walk = {path: api.get(path) for path in paths}
    # The preview's answer check, a POST, shows feedback: refused as well.
    walk[f"author/lessons/{lesson.slug}/preview/q01/"] = api.post(
        f"author/lessons/{lesson.slug}/preview/q01/", {"answer": "b"}
    )
    assert {path for path, response in walk.items() if path.startswith(("teach/", "author/"))} == {
        path for path, response in walk.items() if response.status_code == 404
    }
    return walk


def leaked(walk: dict[str, Any]) -> dict[str, set[str]]:
    """Per path, the questions whose key material it shows (paths showing none left out)."""
    found = {path: sentinels_in(response.content) for path, response in walk.items()}
    return {path: questions for path, questions in found.items() if questions}


@pytest.mark.parametrize("policy", FeedbackRelease.values)
def test_a_student_sees_keys_only_when_the_policy_releases_them(
    make_api: MakeApi,
    class_student: User,
    teacher: User,
    make_assignment: Any,
    sentinel_lesson: Lesson,
    policy: str,
) -> None:
    api = make_api(class_student)
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            lesson=sentinel_lesson,
            opens_at=NOW - dt.timedelta(hours=1),
            due_at=NOW + dt.timedelta(days=1),
            feedback_release=policy,
        )
        start = api.post(f"assignments/{assignment.pk}/attempts/")
        attempt_id = start.json()["id"]
        saves = [
            api.put(f"attempts/{attempt_id}/answers/q01/", {"answer": "b", "sequence": 1}),
            api.put(f"attempts/{attempt_id}/answers/q22/", {"answer": "Only requests.", "sequence": 1}),
        ]
        during = student_walk(api, sentinel_lesson, assignment, attempt_id)

        assert all(response.status_code == 200 for response in [start, *saves])
        assert not any(sentinels_in(response.content) for response in [start, *saves])
        if policy == FeedbackRelease.IMMEDIATELY:
            # Feedback follows each answer: the answered questions' own, in the attempt, nowhere else.
            assert leaked(during) == {f"attempts/{attempt_id}/": ANSWERED}
        else:
            assert leaked(during) == {}

        submitted = api.post(f"attempts/{attempt_id}/submit/")
        after_submit = student_walk(api, sentinel_lesson, assignment, attempt_id)

        assert submitted.status_code == 200 and not sentinels_in(submitted.content)
        if policy in (FeedbackRelease.IMMEDIATELY, FeedbackRelease.AFTER_SUBMIT):
            assert leaked(after_submit) == {
                f"attempts/{attempt_id}/": ANSWERED,
                f"attempts/{attempt_id}/results/": ANSWERED,
            }
        else:
            assert leaked(after_submit) == {}
            assert after_submit[f"attempts/{attempt_id}/results/"].json()["released"] is False

    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        if policy == FeedbackRelease.MANUAL:
            assignment_release_feedback(assignment=assignment, teacher=teacher)
        released = student_walk(api, sentinel_lesson, assignment, attempt_id)

    shown = leaked(released)
    assert shown[f"attempts/{attempt_id}/results/"] == ANSWERED
    # Once released, self-study of the lesson is open again and shows keys only as questions are answered.
    assert set(shown) <= {f"attempts/{attempt_id}/", f"attempts/{attempt_id}/results/"}


def test_self_study_shows_a_key_only_once_its_question_is_answered(
    make_api: MakeApi, learner: User, sentinel_lesson: Lesson
) -> None:
    api = make_api(learner)
    slug = sentinel_lesson.slug
    before = {path: api.get(path) for path in ["lessons/", f"lessons/{slug}/", f"lessons/{slug}/self-study/"]}

    answer = api.post(f"lessons/{slug}/self-study/answers/q01/", {"answer": "b"})
    after = {
        path: api.get(path)
        for path in [f"lessons/{slug}/", f"lessons/{slug}/self-study/", "review/", "progress/"]
    }
    review_item = after["review/"].json()["next"]

    assert all(response.status_code == 200 for response in [*before.values(), answer, *after.values()])
    assert leaked(before) == {}
    assert sentinels_in(answer.content) == {"q01"}
    assert leaked(after) == {f"lessons/{slug}/self-study/": {"q01"}}
    assert review_item is None or review_item["question"]["id"] == "q01"


def test_a_student_held_by_an_assignment_gets_no_self_study_keys(
    make_api: MakeApi, class_student: User, make_assignment: Any, sentinel_lesson: Lesson
) -> None:
    make_assignment(lesson=sentinel_lesson, feedback_release=FeedbackRelease.MANUAL)
    api = make_api(class_student)

    refused = api.post(f"lessons/{sentinel_lesson.slug}/self-study/answers/q01/", {"answer": "b"})

    assert refused.status_code == 409 and refused.json()["error"]["code"] == "held_for_assignment"
    assert not sentinels_in(refused.content)


def test_the_teacher_sees_the_rubric_and_model_answer_in_the_grading_queue(
    make_api: MakeApi, class_student: User, teacher: User, make_assignment: Any, sentinel_lesson: Lesson
) -> None:
    """The walk can see a sentinel where one is due: the teacher's grading queue shows q22's model answer
    and rubric (and nothing of another question)."""
    assignment = make_assignment(lesson=sentinel_lesson)
    student = make_api(class_student)
    attempt_id = student.post(f"assignments/{assignment.pk}/attempts/").json()["id"]
    student.put(f"attempts/{attempt_id}/answers/q22/", {"answer": "Only requests.", "sequence": 1})
    student.post(f"attempts/{attempt_id}/submit/")

    queue = make_api(teacher).get(f"teach/assignments/{assignment.pk}/grading/")

    assert queue.status_code == 200 and sentinels_in(queue.content) == {"q22"}


def test_the_author_sees_every_key_in_the_question_list_and_a_student_none(
    make_api: MakeApi, class_student: User, teacher: User, sentinel_lesson: Lesson
) -> None:
    """The walk can see a sentinel on the author side: the lesson's author reads every question's keys."""
    Lesson.objects.filter(pk=sentinel_lesson.pk).update(owner=teacher)
    path = f"author/lessons/{sentinel_lesson.slug}/questions/"

    mine = make_api(teacher).get(path)
    theirs = make_api(class_student).get(path)

    assert mine.status_code == 200
    assert sentinels_in(mine.content) == {
        q["id"] for q in sentinel_lesson.published_revision.document["questions"]
    }
    assert theirs.status_code == 404 and not sentinels_in(theirs.content)
