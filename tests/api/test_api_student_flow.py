"""A student's side through the API: join by code, my assignments, start, save with sequence numbers, submit,
results as the release policy allows, with the same rules as the pages (they call the same services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from api_support import Api, MakeApi, error_of
from django.contrib.auth.models import User
from django.test import Client
from factories.classroom import AssignmentFactory

from lessons.models import Assignment, Attempt, AttemptState, Classroom, FeedbackRelease, Lesson, Response

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def started(api: Api, assignment: Assignment) -> dict[str, Any]:
    response = api.post(f"assignments/{assignment.pk}/attempts/")
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_joining_by_code_then_seeing_the_assignment(
    make_api: MakeApi, other_student: User, classroom: Classroom, assignment: Assignment
) -> None:
    api = make_api(other_student)
    assert api.get(f"assignments/{assignment.pk}/").status_code == 404

    joined = api.post("classes/join/", {"code": classroom.join_code.lower()})

    assert joined.status_code == 200 and joined.json() == {"id": classroom.pk, "name": classroom.name}
    mine = api.get("assignments/").json()["results"]
    assert [row["id"] for row in mine] == [assignment.pk]
    assert mine[0]["status"] == "not_started" and mine[0]["can"] == "start"


def test_a_wrong_code_is_400_with_the_field_and_too_many_are_429_with_retry_after(
    make_api: MakeApi, other_student: User
) -> None:
    api = make_api(other_student)
    first = api.post("classes/join/", {"code": "NOPE-NOPE"})
    assert first.status_code == 400 and "code" in error_of(first)["fields"]
    for _ in range(9):
        api.post("classes/join/", {"code": "NOPE-NOPE"})

    refused = api.post("classes/join/", {"code": "NOPE-NOPE"})

    assert refused.status_code == 429
    assert error_of(refused)["code"] == "throttled" and int(refused["Retry-After"]) == 15 * 60


def test_start_save_submit_and_results(
    make_api: MakeApi, class_student: User, make_assignment: Any, first_lesson_data: dict[str, Any]
) -> None:
    api = make_api(class_student)
    assignment = make_assignment(feedback_release=FeedbackRelease.AFTER_SUBMIT)
    attempt = started(api, assignment)
    assert started(api, assignment)["id"] == attempt["id"]  # starting again resumes

    first = api.put(f"attempts/{attempt['id']}/answers/q01/", {"answer": "b", "sequence": 1})
    changed = api.put(f"attempts/{attempt['id']}/answers/q01/", {"answer": "a", "sequence": 3})
    late = api.put(f"attempts/{attempt['id']}/answers/q01/", {"answer": "c", "sequence": 2})

    assert first.status_code == changed.status_code == late.status_code == 200
    assert late.json()["stale"] is True and late.json()["sequence"] == 3
    assert Response.objects.get(question_key="q01").answer == "a"
    detail = api.get(f"attempts/{attempt['id']}/").json()
    assert [saved["answer"] for saved in detail["saved"]] == ["a"]
    assert all(slot["answered"] is None for slot in detail["slots"])  # released only after submit
    assert api.get(f"attempts/{attempt['id']}/results/").status_code == 409

    submitted = api.post(f"attempts/{attempt['id']}/submit/")
    again = api.post(f"attempts/{attempt['id']}/submit/")

    assert submitted.status_code == again.status_code == 200
    assert (
        submitted.json()["state"] == "submitted"
        and again.json()["submitted_at"] == submitted.json()["submitted_at"]
    )
    results = api.get(f"attempts/{attempt['id']}/results/").json()
    assert results["released"] is True and results["earned"] is not None
    line = next(line for line in results["lines"] if line["question"] == "q01")
    assert line["answered"] is True
    refused = api.put(f"attempts/{attempt['id']}/answers/q02/", {"answer": "a", "sequence": 1})
    assert refused.status_code == 409 and error_of(refused)["code"] == "attempt_closed"


def test_a_bad_answer_is_400_naming_the_field_and_changes_nothing(
    make_api: MakeApi, class_student: User, assignment: Assignment
) -> None:
    api = make_api(class_student)
    attempt = started(api, assignment)

    wrong_shape = api.put(f"attempts/{attempt['id']}/answers/q01/", {"answer": ["a", "b"]})
    no_answer = api.put(f"attempts/{attempt['id']}/answers/q01/", {"sequence": 0})
    unknown = api.put(f"attempts/{attempt['id']}/answers/q99/", {"answer": "a"})
    malformed = api.client.put(
        f"/api/v1/attempts/{attempt['id']}/answers/q01/",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert wrong_shape.status_code == 400 and list(error_of(wrong_shape)["fields"]) == ["answer"]
    assert no_answer.status_code == 400 and set(error_of(no_answer)["fields"]) == {"answer", "sequence"}
    assert unknown.status_code == 400 and error_of(unknown)["fields"] == {
        "question": [error_of(unknown)["message"]]
    }
    assert malformed.status_code == 400 and error_of(malformed)["code"] == "parse_error"
    assert not Response.objects.exists()


def test_the_deadline_is_the_servers(make_api: MakeApi, class_student: User, make_assignment: Any) -> None:
    api = make_api(class_student)
    with time_machine.travel(NOW, tick=False):
        assignment = make_assignment(
            opens_at=NOW - dt.timedelta(hours=1), due_at=NOW + dt.timedelta(days=1), time_limit_minutes=10
        )
        attempt = started(api, assignment)
        assert api.get(f"attempts/{attempt['id']}/").json()["seconds_left"] == 600
    with time_machine.travel(NOW + dt.timedelta(minutes=20), tick=False):
        refused = api.put(f"attempts/{attempt['id']}/answers/q01/", {"answer": "a", "sequence": 1})
        assert refused.status_code == 409
        assert Attempt.objects.get().state == AttemptState.SUBMITTED


def test_results_wait_for_a_manual_release(
    make_api: MakeApi, class_student: User, assignment: Assignment, teacher: User
) -> None:
    from lessons.services.classroom import assignment_release_feedback

    api = make_api(class_student)
    attempt = started(api, assignment)
    api.put(f"attempts/{attempt['id']}/answers/q01/", {"answer": "a", "sequence": 1})
    api.post(f"attempts/{attempt['id']}/submit/")

    pending = api.get(f"attempts/{attempt['id']}/results/").json()
    assignment_release_feedback(assignment=assignment, teacher=teacher)
    released = api.get(f"attempts/{attempt['id']}/results/").json()

    assert pending["released"] is False and pending["earned"] is None and pending["slots"] == []
    assert pending["answered"] == 1 and pending["questions"] == len(assignment.revision.document["questions"])
    assert released["released"] is True and released["slots"][0]["answered"] is not None


def test_the_session_works_with_its_csrf_token(
    client: Client, class_student: User, assignment: Assignment
) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(class_student)
    path = f"/api/v1/assignments/{assignment.pk}/attempts/"

    refused = csrf_client.post(path, "{}", content_type="application/json")
    csrf_client.get("/accounts/profile/")
    token = csrf_client.cookies["csrftoken"].value
    accepted = csrf_client.post(path, "{}", content_type="application/json", headers={"X-CSRFToken": token})

    assert refused.status_code == 403 and error_of(refused)["code"] == "permission_denied"
    assert accepted.status_code == 200


def test_an_archived_class_or_a_removed_student_reaches_nothing(
    make_api: MakeApi, class_student: User, classroom: Classroom, teacher: User, first_lesson: Lesson
) -> None:
    from lessons.services.classroom import classroom_remove_student

    assignment = AssignmentFactory(classroom=classroom, lesson=first_lesson, by=teacher)
    api = make_api(class_student)
    attempt = started(api, assignment)
    classroom_remove_student(classroom=classroom, teacher=teacher, student_id=class_student.pk)

    assert api.get(f"attempts/{attempt['id']}/").status_code == 404
    assert api.put(f"attempts/{attempt['id']}/answers/q01/", {"answer": "a"}).status_code == 404
    assert api.post(f"attempts/{attempt['id']}/submit/").status_code == 404
