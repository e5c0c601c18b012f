"""Rule 8 through the API: each list or lesson-sized endpoint makes the same number of queries for 5 items as
for 50, and saving an answer takes at most five (the session or the token included)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from api_support import Api, MakeApi
from classroom.classroom_support import data_queries
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from factories.classroom import AssignmentFactory
from factories.lessons import load_lesson, repeated_questions_document

from lessons.models import Assignment, Classroom, Lesson
from lessons.services import response_save, self_study_attempt_open


def queries(api: Api, method: str, path: str, body: Any = None) -> int:
    call = getattr(api, method)
    call(path, body) if body is not None else call(path)  # warm up: caches, last-used time of the token
    with CaptureQueriesContext(connection) as captured:
        response = call(path, body) if body is not None else call(path)
    assert response.status_code == 200, response.content
    return len(captured)


def counts(sizes: tuple[int, ...], grow: Callable[[int], tuple[str, str, Any]], api: Api) -> list[int]:
    found = []
    for size in sizes:
        method, path, body = grow(size)
        found.append(queries(api, method, path, body))
    return found


def test_the_catalogue(make_api: MakeApi, learner: User, first_lesson_data: dict[str, Any]) -> None:
    api = make_api(learner)

    def grow(size: int) -> tuple[str, str, Any]:
        while Lesson.objects.count() < size:
            document = copy.deepcopy(first_lesson_data)
            document["lesson"]["slug"] = f"copy-{Lesson.objects.count()}"
            load_lesson(document)
        return "get", "lessons/", None

    five, fifty = counts((5, 50), grow, api)
    assert five == fifty <= 3
    assert api.get("lessons/").json()["count"] == 50


def test_a_lesson_and_its_self_study_by_questions(
    make_api: MakeApi, learner: User, first_lesson_data: dict[str, Any]
) -> None:
    api = make_api(learner)
    found: dict[str, list[int]] = {"lesson": [], "self_study": []}
    for size in (5, 50):
        lesson = load_lesson(repeated_questions_document(first_lesson_data, size))
        revision = lesson.published_revision
        attempt = self_study_attempt_open(learner=learner, revision=revision)
        for question in revision.document["questions"][:size:2]:
            if question["kind"] == "single_choice":
                response_save(learner=learner, attempt=attempt, question_key=question["id"], answer="a")
        found["lesson"].append(queries(api, "get", f"lessons/{lesson.slug}/"))
        found["self_study"].append(queries(api, "get", f"lessons/{lesson.slug}/self-study/"))
    assert found["lesson"][0] == found["lesson"][1]
    assert found["self_study"][0] == found["self_study"][1]


def test_an_attempt_and_its_results_by_questions(
    make_api: MakeApi,
    class_student: User,
    classroom: Classroom,
    teacher: User,
    first_lesson_data: dict[str, Any],
) -> None:
    api = make_api(class_student)
    found: dict[str, list[int]] = {"attempt": [], "results": []}
    for size in (5, 50):
        lesson = load_lesson(repeated_questions_document(first_lesson_data, size))
        assignment = AssignmentFactory(classroom=classroom, lesson=lesson, by=teacher)
        attempt = api.post(f"assignments/{assignment.pk}/attempts/").json()["id"]
        for question in lesson.published_revision.document["questions"][:size:2]:
            if question["kind"] == "single_choice":
                api.put(f"attempts/{attempt}/answers/{question['id']}/", {"answer": "a"})
        found["attempt"].append(queries(api, "get", f"attempts/{attempt}/"))
        api.post(f"attempts/{attempt}/submit/")
        found["results"].append(queries(api, "get", f"attempts/{attempt}/results/"))
    assert found["attempt"][0] == found["attempt"][1]
    assert found["results"][0] == found["results"][1]


def test_my_assignments(
    make_api: MakeApi, class_student: User, classroom: Classroom, teacher: User, first_lesson: Lesson
) -> None:
    api = make_api(class_student)

    def grow(size: int) -> tuple[str, str, Any]:
        while Assignment.objects.count() < size:
            assignment = AssignmentFactory(classroom=classroom, lesson=first_lesson, by=teacher)
            api.post(f"assignments/{assignment.pk}/attempts/")
        return "get", "assignments/", None

    five, fifty = counts((5, 50), grow, api)
    assert five == fifty


def test_progress_and_the_review_queue(
    make_api: MakeApi, learner: User, first_lesson_data: dict[str, Any]
) -> None:
    api = make_api(learner)
    found: dict[str, list[int]] = {"progress": [], "review": []}
    for size in (5, 50):
        while Lesson.objects.count() < size:
            document = copy.deepcopy(first_lesson_data)
            document["lesson"]["slug"] = f"copy-{Lesson.objects.count()}"
            revision = load_lesson(document).published_revision
            attempt = self_study_attempt_open(learner=learner, revision=revision)
            response_save(learner=learner, attempt=attempt, question_key="q04", answer="a")  # missed
        found["progress"].append(queries(api, "get", "progress/"))
        found["review"].append(queries(api, "get", "review/"))
    assert found["progress"][0] == found["progress"][1]
    assert found["review"][0] == found["review"][1]


def test_autosave_takes_at_most_five_queries(
    make_api: MakeApi,
    class_student: User,
    assignment: Assignment,
    django_assert_max_num_queries: Any,
) -> None:
    by_token = make_api(class_student)
    by_session = Client()
    by_session.force_login(class_student)
    attempt = by_token.post(f"assignments/{assignment.pk}/attempts/").json()["id"]
    by_token.put(f"attempts/{attempt}/answers/q01/", {"answer": "b", "sequence": 1})  # the token's first use

    # django_assert_max_num_queries counts the savepoint pair `transaction.atomic` becomes inside a test's
    # transaction too; data_queries leaves them out.
    with django_assert_max_num_queries(5 + 2), CaptureQueriesContext(connection) as captured:
        saved = by_token.put(f"attempts/{attempt}/answers/q01/", {"answer": "a", "sequence": 2})
    assert len(data_queries(captured)) <= 5
    with django_assert_max_num_queries(5 + 2), CaptureQueriesContext(connection) as captured:
        again = by_session.put(
            f"/api/v1/attempts/{attempt}/answers/q01/",
            json.dumps({"answer": "c", "sequence": 3}),
            content_type="application/json",
        )
    assert len(data_queries(captured)) <= 5
    assert saved.status_code == again.status_code == 200
    assert again.json()["sequence"] == 3


def test_the_gradebook_by_students(
    make_api: MakeApi, teacher: User, classroom: Classroom, assignment: Assignment
) -> None:
    from factories.attempts import AssignmentAttemptFactory
    from factories.classroom import join
    from factories.people import LearnerFactory

    api = make_api(teacher)

    def grow(size: int) -> tuple[str, str, Any]:
        while classroom.enrollments.count() < size:
            student = LearnerFactory(username=f"student-{classroom.enrollments.count()}")
            join(student, classroom)
            AssignmentAttemptFactory(
                assignment=assignment, student=student, answers={"q01": "a"}, submit=True
            )
        return "get", f"teach/classes/{classroom.pk}/gradebook/", None

    five, fifty = counts((5, 50), grow, api)
    assert five == fifty
    book = api.get(f"teach/classes/{classroom.pk}/gradebook/").json()
    assert len(book["students"]) == 50 and len(book["cells"]) == 50
    assert {cell["status"] for cell in book["cells"]} <= {"submitted", "needs_grading", "not_started"}
    assert api.get("teach/classes/").json()["results"][0]["students"] == 50


def test_my_classes_by_classes(make_api: MakeApi, teacher: User) -> None:
    from factories.classroom import ClassroomFactory

    api = make_api(teacher)

    def grow(size: int) -> tuple[str, str, Any]:
        while Classroom.objects.count() < size:
            ClassroomFactory(teacher=teacher, name=f"Class {Classroom.objects.count()}")
        return "get", "teach/classes/", None

    five, fifty = counts((5, 50), grow, api)
    print("teach/classes/", five, fifty)
    assert five == fifty
    assert api.get("teach/classes/").json()["count"] == 50


def test_a_class_its_assignments_and_its_results_by_students_and_assignments(
    make_api: MakeApi, teacher: User, classroom: Classroom, assignment: Assignment
) -> None:
    """A class page, its assignments, one assignment's results, its grading queue, its item analysis and
    the gradebook's CSV file cost the same for 5 students (and assignments) as for 50."""
    from factories.attempts import AssignmentAttemptFactory
    from factories.classroom import join
    from factories.people import LearnerFactory

    api = make_api(teacher)
    paths = [
        f"teach/classes/{classroom.pk}/",
        f"teach/classes/{classroom.pk}/assignments/",
        f"teach/classes/{classroom.pk}/gradebook.csv",
        f"teach/assignments/{assignment.pk}/",
        f"teach/assignments/{assignment.pk}/grading/",
        f"teach/assignments/{assignment.pk}/analysis/",
    ]
    found: dict[str, list[int]] = {path: [] for path in paths}
    for size in (5, 50):
        while classroom.enrollments.count() < size:
            student = LearnerFactory(username=f"student-{classroom.enrollments.count()}")
            join(student, classroom)
            AssignmentAttemptFactory(
                assignment=assignment, student=student, answers={"q01": "a", "q22": "Reported."}, submit=True
            )
        while classroom.assignments.count() < size:
            AssignmentFactory(classroom=classroom, lesson=assignment.lesson, by=teacher)
        for path in paths:
            found[path].append(queries(api, "get", path))
    print(found)
    assert {path: five == fifty for path, (five, fifty) in found.items()} == dict.fromkeys(paths, True), found
    # Every student but `class_student` (who has not started) has an open answer waiting.
    assert api.get(f"teach/assignments/{assignment.pk}/grading/").json()["count"] == 49


def test_an_author_s_questions_by_questions(
    make_api: MakeApi, teacher: User, first_lesson_data: dict[str, Any]
) -> None:
    api = make_api(teacher)

    def grow(size: int) -> tuple[str, str, Any]:
        lesson = load_lesson(repeated_questions_document(first_lesson_data, size))
        Lesson.objects.filter(pk=lesson.pk).update(owner=teacher)
        return "get", f"author/lessons/{lesson.slug}/questions/", None

    six, twelve = counts((6, 12), grow, api)
    assert six == twelve
