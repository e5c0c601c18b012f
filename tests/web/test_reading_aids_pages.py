"""Reading aids follow the teacher's choice on every page a student sees (DESIGN.md rule 9): before a
question's feedback is out, no card, sourcing note or provenance line that answers it is in the page, in
a fragment or in a header; the answer that unlocks one brings it (with htmx, and without JavaScript after
the redirect); an assignment's choice beats the lesson's.

The lesson is a small one of three questions (`factories.lessons.aids_lesson_document`), each answered by
one aid's fact (AID_FACTS), and by nothing else on the page before it is answered.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories.classroom import AssignmentFactory
from factories.lessons import (
    AID_FACTS,
    AID_QUESTION,
    ORE_ROLE,
    aids_lesson_document,
    load_lesson,
    repeated_questions_document,
)

from lessons.models import READING_AIDS, Assignment, Attempt, AttemptState, Classroom, FeedbackRelease, Lesson

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# A wrong answer to each question: its feedback then shows the right one, but nothing of another aid.
WRONG = {"q-role": {"answer": "Mayor"}, "q-patrol": {"answer": "true"}, "q-treaty": {"answer": "June"}}
# The markup of each aid when it is shown (a waiting aid keeps its id, with "aid-pending").
SHOWN = {
    "sourcing_note": '<aside class="sourcing-note" id="aid-sourcing-note"',
    "provenance": '<p class="provenance" id="aid-provenance"',
    "actor_cards": '<details class="knowledge-card" id="actor-ana-ruiz"',
    "treaty_cards": '<details class="knowledge-card" id="treaty-tidewater-accord"',
}
EVERY_FACT = (*AID_FACTS.values(), ORE_ROLE)


def aids_lesson(**reading_aids: str) -> Lesson:
    return load_lesson(aids_lesson_document(**reading_aids))


def play_url(lesson: Lesson, attempt: Attempt | None = None) -> str:
    url = reverse("lessons:play", args=[lesson.slug])
    return f"{url}?attempt={attempt.pk}" if attempt is not None else url


def answer(client: Client, lesson: Lesson, key: str, *, htmx: bool = False) -> Any:
    attempt = Attempt.objects.get(lesson=lesson, state=AttemptState.OPEN)
    url = reverse("lessons:answer", args=[lesson.slug, key])
    return client.post(url, {"attempt": attempt.pk, **WRONG[key]}, headers=HTMX if htmx else {})


def facts_in(text: str) -> set[str]:
    return {fact for fact in EVERY_FACT if fact in text}


def whole_response(response: Any) -> str:
    """The body and every header a page script could read (htmx events carry JSON there)."""
    headers = " ".join(f"{name}: {value}" for name, value in response.headers.items())
    return response.content.decode() + headers


# ----------------------------------------------------------------------------------------------------
# Self-study


def test_before_answering_no_aid_fact_is_on_the_lesson_page_or_the_player(signed_in: Client) -> None:
    lesson = aids_lesson()  # the file says nothing: every aid waits for its questions

    detail = signed_in.get(reverse("lessons:lesson_detail", args=[lesson.slug])).content.decode()
    play = signed_in.get(play_url(lesson)).content.decode()

    for html in (detail, play):
        assert facts_in(html) == set()
        assert 'id="actor-ana-ruiz"' in html and "aid-pending" in html  # the card waits, by name
        assert '<details class="knowledge-card" id="actor-valdoria"' in html  # no question needs it
    assert "Shown once you answer the questions that use it." in play


def test_each_answer_brings_only_the_aids_it_unlocks_in_its_fragment(signed_in: Client) -> None:
    lesson = aids_lesson()
    signed_in.get(play_url(lesson))

    treaty = whole_response(answer(signed_in, lesson, "q-treaty", htmx=True))
    role = whole_response(answer(signed_in, lesson, "q-role", htmx=True))
    patrol = whole_response(answer(signed_in, lesson, "q-patrol", htmx=True))

    assert facts_in(treaty) == {AID_FACTS["treaty_cards"]}  # its card (and its own feedback)
    assert 'id="treaty-tidewater-accord" hx-swap-oob="true"' in treaty
    assert facts_in(role) == {AID_FACTS["actor_cards"]}
    assert 'id="actor-ana-ruiz" hx-swap-oob="true"' in role and "actor-borin-ode" not in role
    assert facts_in(patrol) == {AID_FACTS["sourcing_note"], AID_FACTS["provenance"], ORE_ROLE}
    for swapped in ('id="aid-sourcing-note" hx-swap-oob="true"', 'id="aid-provenance" hx-swap-oob="true"'):
        assert swapped in patrol
    assert 'id="actor-borin-ode" hx-swap-oob="true"' in patrol
    assert "actor-ana-ruiz" not in patrol and "treaty-tidewater-accord" not in patrol  # already there


def test_without_javascript_the_page_after_the_answer_shows_the_card_it_unlocked(signed_in: Client) -> None:
    lesson = aids_lesson()
    signed_in.get(play_url(lesson))

    response = answer(signed_in, lesson, "q-role")
    html = signed_in.get(response["Location"]).content.decode()

    assert response.status_code == 303
    assert SHOWN["actor_cards"] in html
    assert AID_FACTS["actor_cards"] in html
    assert facts_in(html) == {AID_FACTS["actor_cards"]}  # Borin Ode's card waits for q-patrol


@pytest.mark.parametrize("visibility", ["start", "after_dependent", "after_finish"])
@pytest.mark.parametrize("aid", READING_AIDS)
def test_each_aid_appears_when_the_lesson_says(
    signed_in: Client, learner: User, aid: str, visibility: str
) -> None:
    others = {other: "after_finish" for other in READING_AIDS if other != aid}
    lesson = aids_lesson(**others, **{aid: visibility})

    fresh = signed_in.get(play_url(lesson)).content.decode()
    answer(signed_in, lesson, AID_QUESTION[aid])
    answered = signed_in.get(play_url(lesson)).content.decode()
    for key in WRONG.keys() - {AID_QUESTION[aid]}:
        answer(signed_in, lesson, key)
    every_answer = signed_in.get(play_url(lesson)).content.decode()
    attempt = Attempt.objects.get(learner=learner, lesson=lesson)
    signed_in.post(reverse("lessons:finish", args=[lesson.slug]), {"attempt": attempt.pk})
    finished = signed_in.get(play_url(lesson, attempt)).content.decode()

    assert (SHOWN[aid] in fresh) is (visibility == "start")
    assert (AID_FACTS[aid] in fresh) is (visibility == "start")
    assert (SHOWN[aid] in answered) is (visibility != "after_finish")
    assert (SHOWN[aid] in every_answer) is (visibility != "after_finish")
    assert SHOWN[aid] in finished
    if visibility == "after_finish":
        assert "Shown when you finish the lesson." in every_answer


# ----------------------------------------------------------------------------------------------------
# Classes: the assignment's choice


def assign(classroom: Classroom, teacher: User, lesson: Lesson, **options: Any) -> Assignment:
    return AssignmentFactory(classroom=classroom, lesson=lesson, by=teacher, **options)


def take(client: Client, assignment: Assignment) -> str:
    client.post(reverse("lessons:assignment_take", args=[assignment.pk]))
    return client.get(reverse("lessons:assignment_take", args=[assignment.pk])).content.decode()


def test_the_assignments_choice_beats_the_lessons(
    student_client: Client, classroom: Classroom, teacher: User, learner: User
) -> None:
    lesson = aids_lesson(actor_cards="start", treaty_cards="start")
    assignment = assign(
        classroom, teacher, lesson, reading_aids={"actor_cards": "after_finish", "provenance": "start"}
    )

    html = take(student_client, assignment)

    assert SHOWN["actor_cards"] not in html and AID_FACTS["actor_cards"] not in html  # the class's choice
    assert SHOWN["provenance"] in html  # the class's choice
    assert SHOWN["treaty_cards"] in html  # no choice for the class: the lesson's
    assert SHOWN["sourcing_note"] not in html  # the lesson's default
    self_study = Client()
    self_study.force_login(learner)
    assert SHOWN["actor_cards"] in self_study.get(play_url(lesson)).content.decode()  # the lesson's own


def test_saved_answers_unlock_nothing_until_their_feedback_is_released(
    student_client: Client, classroom: Classroom, teacher: User
) -> None:
    lesson = aids_lesson()
    assignment = assign(classroom, teacher, lesson, feedback_release=FeedbackRelease.AFTER_SUBMIT)
    take(student_client, assignment)

    # Answers can still change here: a card would hand out the answer to the very question it depends on.
    for key in WRONG:
        save_url = reverse("lessons:assignment_save", args=[assignment.pk, key])
        assert student_client.post(save_url, WRONG[key]).status_code == 303
    before_submit = student_client.get(reverse("lessons:assignment_take", args=[assignment.pk]))
    student_client.post(reverse("lessons:assignment_submit", args=[assignment.pk]))
    results = student_client.get(reverse("lessons:assignment_results_student", args=[assignment.pk]))

    assert facts_in(before_submit.content.decode()) == set()
    for shown in SHOWN.values():
        assert shown in results.content.decode()


def test_with_feedback_immediately_the_saved_answers_fragment_brings_its_card(
    student_client: Client, classroom: Classroom, teacher: User
) -> None:
    lesson = aids_lesson()
    assignment = assign(classroom, teacher, lesson, feedback_release=FeedbackRelease.IMMEDIATELY)
    html = take(student_client, assignment)
    assert facts_in(html) == set()

    response = student_client.post(
        reverse("lessons:assignment_save", args=[assignment.pk, "q-role"]),
        WRONG["q-role"],
        headers={**HTMX, "HX-Target": "question-q-role"},
    )

    fragment = whole_response(response)
    assert response.status_code == 200
    assert 'id="actor-ana-ruiz" hx-swap-oob="true"' in fragment
    assert facts_in(fragment) == {AID_FACTS["actor_cards"]}


def test_the_teacher_chooses_the_aids_on_the_assignment_form(
    teacher_client: Client, classroom: Classroom
) -> None:
    lesson = aids_lesson()
    form = teacher_client.get(reverse("lessons:assignment_new", args=[classroom.pk])).content.decode()
    data = {
        "lesson": str(lesson.pk),
        "opens_at": "2030-03-01T09:00",
        "due_at": "2030-07-01T17:00",
        "tz": "UTC",
        "attempts_allowed": "1",
        "feedback_release": FeedbackRelease.AFTER_SUBMIT,
        "late_policy": "refuse",
        "aid_actor_cards": "start",
        "aid_treaty_cards": "",
    }

    refused = teacher_client.post(
        reverse("lessons:assignment_new", args=[classroom.pk]), {**data, "aid_provenance": "whenever"}
    )
    assert refused.status_code == 400 and not Assignment.objects.exists()
    created = teacher_client.post(reverse("lessons:assignment_new", args=[classroom.pk]), data)

    assert 'name="aid_actor_cards"' in form and "As the lesson chooses" in form
    assert "Select a valid choice" in refused.content.decode()
    assert created.status_code == 302
    assignment = Assignment.objects.get()
    assert [getattr(assignment, f"aid_{aid}") for aid in READING_AIDS] == [None, None, "start", None]


# ----------------------------------------------------------------------------------------------------
# Query bounds (rule 8): the aids are read from the revision already loaded


def test_aids_add_no_query_to_the_player_and_its_answers(
    signed_in: Client, django_assert_max_num_queries: Any
) -> None:
    small = aids_lesson(sourcing_note="start")
    large = load_lesson(repeated_questions_document(aids_lesson_document(sourcing_note="start"), 30))
    counts: dict[str, list[int]] = {}
    for lesson, suffix in ((small, ""), (large, "-1")):
        signed_in.get(play_url(lesson))  # warm up: the attempt exists from here on
        attempt = Attempt.objects.get(lesson=lesson, state=AttemptState.OPEN)
        url = reverse("lessons:answer", args=[lesson.slug, f"q-role{suffix}"])
        with CaptureQueriesContext(connection) as page:
            assert signed_in.get(play_url(lesson)).status_code == 200
        with CaptureQueriesContext(connection) as answered:
            response = signed_in.post(url, {"attempt": attempt.pk, **WRONG["q-role"]}, headers=HTMX)
        # The small lesson's card is unlocked; the large one's waits for its nine other copies of q-role.
        assert ('id="actor-ana-ruiz" hx-swap-oob="true"' in response.content.decode()) is (lesson is small)
        with CaptureQueriesContext(connection) as detail:
            assert signed_in.get(reverse("lessons:lesson_detail", args=[lesson.slug])).status_code == 200
        counts[lesson.slug] = [len(page), len(answered), len(detail)]

    assert counts[small.slug] == counts[large.slug]
    with django_assert_max_num_queries(8):  # the player's bound (tests/web/test_player_pages.py)
        signed_in.get(play_url(large))
