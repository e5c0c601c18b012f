"""The lesson player: its page, each kind answered through a form, refusals, htmx, finishing, summary."""

import copy
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories.lessons import load_lesson, repeated_questions_document

from lessons.models import Attempt, AttemptState, Lesson, LessonStatus, Response
from lessons.rendering import markdown_to_html
from lessons.selectors.reading_aids import aid_dependents
from lessons.services import lesson_import

pytestmark = pytest.mark.django_db

PASSWORD = "Quiet-harbour-1947"
HTMX = {"HX-Request": "true"}
KEY_WORDS = (
    "correct",
    "accepted",
    "explanation",
    "model_answer",
    "rubric",
    "option_feedback",
    "typo_tolerance",
)


def play_url(lesson: Lesson) -> str:
    return reverse("lessons:play", args=[lesson.slug])


def open_attempt(learner: Any, lesson: Lesson) -> Attempt:
    return Attempt.objects.get(learner=learner, lesson=lesson, state=AttemptState.OPEN)


def post_answer(
    client: Client, lesson: Lesson, key: str, data: dict[str, Any], *, htmx: bool = False, attempt: Any = None
) -> Any:
    """Post a question's form as the page does: with the attempt it was rendered for."""
    if attempt is None:
        client.get(play_url(lesson))
        attempt = Attempt.objects.filter(lesson=lesson, state=AttemptState.OPEN).get()
    url = reverse("lessons:answer", args=[lesson.slug, key])
    return client.post(url, {"attempt": attempt.pk, **data}, headers=HTMX if htmx else {})


def stored(lesson: Lesson, key: str) -> Response:
    return Response.objects.get(attempt__lesson=lesson, question_key=key)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def key_material(data: dict[str, Any], *, except_keys: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Every teacher-only text of each question long enough to recognise, by question.

    Accepted short answers are left out only when they are names the article itself prints.
    """
    article = " ".join(
        sentence["text"] for paragraph in data["article"]["paragraphs"] for sentence in paragraph
    )
    pieces: dict[str, list[str]] = {}
    for question in data["questions"]:
        if question["id"] in except_keys:
            continue
        answer = question["answer"]
        texts = [answer["explanation"], *answer["option_feedback"].values(), answer["model_answer"]]
        texts += [criterion["criterion"] for criterion in answer["rubric"]]
        texts += [accepted for accepted in answer["accepted"] if accepted not in article]
        pieces[question["id"]] = [squash(text) for text in texts if len(text) >= 12]
    return pieces


def leaked(html: str, pieces: dict[str, list[str]]) -> list[str]:
    text = squash(html)
    return [piece for question_pieces in pieces.values() for piece in question_pieces if piece in text]


# ----------------------------------------------------------------------------------------------------
# The page


def test_play_needs_a_login(client: Client, first_lesson: Lesson) -> None:
    response = client.get(play_url(first_lesson))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={play_url(first_lesson)}"


def test_unknown_lesson_is_404(signed_in: Client, first_lesson: Lesson) -> None:
    assert signed_in.get(reverse("lessons:play", args=["no-such-lesson"])).status_code == 404
    response = signed_in.post(reverse("lessons:answer", args=["no-such-lesson", "q01"]), {"answer": "a"})
    assert response.status_code == 404
    assert Response.objects.count() == 0


def test_unpublished_lesson_is_404(signed_in: Client, first_lesson: Lesson) -> None:
    signed_in.get(play_url(first_lesson))
    attempt = Attempt.objects.get()
    Lesson.objects.filter(pk=first_lesson.pk).update(status=LessonStatus.DRAFT)

    assert signed_in.get(play_url(first_lesson)).status_code == 404
    response = post_answer(signed_in, first_lesson, "q01", {"answer": "a"}, attempt=attempt)
    assert response.status_code == 404
    assert Response.objects.count() == 0


def test_play_page_shows_article_cards_and_a_form_per_question(
    signed_in: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    response = signed_in.get(play_url(first_lesson))

    html = response.content.decode()
    assert response.status_code == 200
    for paragraph in first_lesson_data["article"]["paragraphs"]:
        for sentence in paragraph:
            assert f'id="sentence-{sentence["id"]}"' in html
    # The first lesson's cards wait for the questions that use them (tests/web/test_reading_aids.py); a card
    # no question uses is shown at once.
    dependents = aid_dependents(first_lesson_data)  # type: ignore[arg-type]
    for actor_id in first_lesson_data["lesson"]["actors"]:
        if dependents.actors.get(actor_id):
            assert f'<div class="knowledge-card aid-pending" id="actor-{actor_id}">' in html
        else:
            assert f'<details class="knowledge-card" id="actor-{actor_id}">' in html
    for treaty_id in first_lesson_data["lesson"]["treaties"]:
        assert f'<div class="knowledge-card aid-pending" id="treaty-{treaty_id}">' in html
    questions = first_lesson_data["questions"]
    assert html.count('<form class="answer-form"') == len(questions)
    for question in questions:
        assert f'id="question-{question["id"]}"' in html
    assert f"0 of {len(questions)} questions answered" in html
    assert 'name="htmx-config"' in html and "htmx-2.min.js" in html and "player.js" in html


def test_play_page_carries_no_key_material_before_answering(
    signed_in: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    html = signed_in.get(play_url(first_lesson)).content.decode()

    assert leaked(html, key_material(first_lesson_data)) == []
    for word in KEY_WORDS:
        assert word not in html.lower()
    assert 'class="feedback' not in html


def test_after_answering_q01_only_its_feedback_appears(
    signed_in: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "b"})

    html = signed_in.get(play_url(first_lesson)).content.decode()

    questions = {question["id"]: question for question in first_lesson_data["questions"]}
    assert markdown_to_html(questions["q01"]["answer"]["explanation"]) in html
    assert questions["q01"]["answer"]["option_feedback"]["b"] in html  # the feedback on the option chosen
    assert "Venezuela’s Transport Minister" in html  # the right answer, shown because b was wrong
    assert html.count('class="feedback ') == 1
    assert leaked(html, key_material(first_lesson_data, except_keys=("q01",))) == []
    for key, question in questions.items():
        if key != "q01":
            assert markdown_to_html(question["answer"]["explanation"]) not in html
    assert '<a href="#sentence-p3s4" data-sentence-link="p3s4">' in html  # evidence, reachable without JS
    assert f"1 of {len(first_lesson_data['questions'])} questions answered" in html


# ----------------------------------------------------------------------------------------------------
# Every kind through its form


def test_single_choice_with_the_evidence_part(signed_in: Client, first_lesson: Lesson) -> None:
    response = post_answer(signed_in, first_lesson, "q01", {"answer": "a", "evidence": ["p3s4"]})

    assert response.status_code == 303
    assert response["Location"] == f"{play_url(first_lesson)}?answered=q01#question-q01"
    saved = stored(first_lesson, "q01")
    assert (saved.answer, saved.evidence, saved.earned, saved.correct) == (
        "a",
        ["p3s4"],
        Decimal("2.00"),
        True,
    )


def test_single_choice_wrong_does_not_score_the_evidence(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q04", {"answer": "a", "evidence": ["p1s3", "p2s4"]})

    saved = stored(first_lesson, "q04")
    assert (saved.answer, saved.evidence, saved.earned, saved.correct) == (
        "a",
        ["p1s3", "p2s4"],
        Decimal("0.00"),
        False,
    )


def test_evidence_part_scores_the_share_of_the_sentences(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q08", {"answer": "c", "evidence": ["p1s6"]})

    saved = stored(first_lesson, "q08")
    # one of the three sentences (p1s6; p4s1 and p4s2 together) earns a third of the 1-point part
    assert (saved.answer, saved.evidence, saved.earned) == ("c", ["p1s6"], Decimal("1.33"))


def test_evidence_part_left_empty_is_allowed(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q14", {"answer": "b"})

    saved = stored(first_lesson, "q14")
    assert (saved.answer, saved.evidence, saved.earned) == ("b", [], Decimal("1.00"))


def test_multiple_select_with_a_wrong_pick(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q06", {"answer": ["missiles", "jet-repairs", "drones"]})

    saved = stored(first_lesson, "q06")
    assert (saved.answer, saved.evidence, saved.earned) == (
        ["missiles", "jet-repairs", "drones"],
        None,
        Decimal("0.67"),
    )


def test_true_false(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q05", {"answer": "true"})
    post_answer(signed_in, first_lesson, "q10", {"answer": "true"})

    assert (stored(first_lesson, "q05").answer, stored(first_lesson, "q05").earned) == (True, Decimal("1.00"))
    assert (stored(first_lesson, "q10").answer, stored(first_lesson, "q10").earned) == (True, Decimal("0.00"))


def test_true_false_with_the_evidence_part(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q17", {"answer": "false", "evidence": ["p1s8", "p2s5"]})

    saved = stored(first_lesson, "q17")
    assert (saved.answer, saved.evidence, saved.earned) == (False, ["p1s8", "p2s5"], Decimal("2.00"))


def test_short_answer_forgives_case_spacing_and_a_listed_misspelling(
    signed_in: Client, first_lesson: Lesson
) -> None:
    post_answer(signed_in, first_lesson, "q03", {"answer": "  xi JINGPING "})

    saved = stored(first_lesson, "q03")
    assert (saved.answer, saved.earned, saved.correct) == ("xi JINGPING", Decimal("1.00"), True)


@pytest.mark.parametrize("wrong", ["President Li", "President Hu", "Li"])
def test_short_answer_refuses_another_leader_a_typo_away(
    signed_in: Client, first_lesson: Lesson, wrong: str
) -> None:
    post_answer(signed_in, first_lesson, "q03", {"answer": wrong})

    saved = stored(first_lesson, "q03")
    assert (saved.earned, saved.correct) == (Decimal("0.00"), False)


@pytest.mark.parametrize("wrong", ["September", "May 2025", "7 May 2025", "in Mar"])
def test_short_answer_wrong(signed_in: Client, first_lesson: Lesson, wrong: str) -> None:
    post_answer(signed_in, first_lesson, "q09", {"answer": wrong})  # the article gives the month, no year

    saved = stored(first_lesson, "q09")
    assert (saved.answer, saved.earned) == (wrong, Decimal("0.00"))


def test_matching_with_one_item_left_unmatched(signed_in: Client, first_lesson: Lesson) -> None:
    data = {
        "match-i-cartels": "o-trump",
        "match-i-war": "o-maduro",
        "match-i-sovereignty": "o-zakharova",
        "match-i-requests": "o-docs",
        "match-i-responses": "o-post",
        "match-i-support": "",
    }
    post_answer(signed_in, first_lesson, "q02", data)

    saved = stored(first_lesson, "q02")
    expected = {
        "i-cartels": "o-trump",
        "i-war": "o-maduro",
        "i-sovereignty": "o-zakharova",
        "i-requests": "o-docs",
        "i-responses": "o-post",
    }
    assert (saved.answer, saved.earned) == (expected, Decimal("2.50"))


def test_ordering_by_position_selects(signed_in: Client, first_lesson: Lesson) -> None:
    data = {"position-s-article": "1", "position-s-docs": "2", "position-s-post": "3"}
    post_answer(signed_in, first_lesson, "q07", data)

    saved = stored(first_lesson, "q07")
    assert (saved.answer, saved.earned) == (["s-article", "s-docs", "s-post"], Decimal("0.67"))


def test_ordering_right(signed_in: Client, first_lesson: Lesson) -> None:
    data = {"position-s-article": "3", "position-s-docs": "1", "position-s-post": "2"}
    post_answer(signed_in, first_lesson, "q07", data)

    saved = stored(first_lesson, "q07")
    assert (saved.answer, saved.earned) == (["s-docs", "s-post", "s-article"], Decimal("2.00"))


def test_evidence_kind(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q16", {"answer": ["p3s8"]})

    saved = stored(first_lesson, "q16")
    assert (saved.answer, saved.earned) == (["p3s8"], Decimal("1.00"))


def test_attribution_scores_each_part(signed_in: Client, first_lesson: Lesson) -> None:
    data = {"asserted_by": "ab-post", "source": "src-docs", "standing": "alleged"}
    post_answer(signed_in, first_lesson, "q19", data)

    saved = stored(first_lesson, "q19")
    assert saved.answer == {"asserted_by": "ab-post", "source": "src-docs", "standing": "alleged"}
    assert saved.earned == Decimal("2.00")
    assert saved.parts == {
        "answer": "0.6667",
        "asserted_by": "1.0000",
        "source": "1.0000",
        "standing": "0.0000",
    }


def test_open_response_is_kept_for_a_teacher_and_shows_the_model_answer(
    signed_in: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    text = "The article reports requests, not deliveries.\nIt rests on the Post and US documents."
    post_answer(signed_in, first_lesson, "q22", {"answer": text})

    saved = stored(first_lesson, "q22")
    assert (saved.answer, saved.earned, saved.needs_teacher) == (text, None, True)
    html = signed_in.get(play_url(first_lesson)).content.decode()
    key = next(q for q in first_lesson_data["questions"] if q["id"] == "q22")["answer"]
    assert markdown_to_html(key["model_answer"]) in html
    for criterion in key["rubric"]:
        assert criterion["criterion"] in html
    assert "Not scored automatically" in html
    assert "requests, not deliveries.<br>It rests on" in html


# ----------------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    ("key", "data", "message"),
    [
        ("q99", {"answer": "a"}, "This lesson has no question q99."),
        ("q01", {"answer": "z"}, "unknown option &#x27;z&#x27;"),
        ("q01", {}, "expected an option id, got null"),
        ("q05", {"answer": "maybe"}, "expected true or false, got a string"),
        ("q01", {"answer": "a", "evidence": ["p9s9"]}, "unknown sentence &#x27;p9s9&#x27;"),
        ("q19", {"asserted_by": "ab-post", "standing": "reported"}, "missing field &#x27;source&#x27;"),
        ("q03", {"answer": "   "}, "the answer is empty"),
        (
            "q07",
            {"position-s-article": "1", "position-s-docs": "1", "position-s-post": "3"},
            "Give each item a different position, from 1 to 3.",
        ),
    ],
)
def test_bad_answers_get_400_with_the_message_next_to_the_question(
    signed_in: Client, first_lesson: Lesson, key: str, data: dict[str, Any], message: str
) -> None:
    response = post_answer(signed_in, first_lesson, key, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert Response.objects.count() == 0
    if key != "q99":
        section = html[html.index(f'id="question-{key}"') :]
        section = section[: section.index("</section>")]
        assert f'<p class="error" id="question-{key}-error" role="alert">' in section
        assert f'aria-describedby="question-{key}-error"' in section
        assert "<form" in section  # still answerable, with what was sent
    else:
        assert '<p class="error" role="alert">' in html


def test_a_question_of_another_lesson_is_refused(
    signed_in: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    other_data = copy.deepcopy(first_lesson_data)
    other_data["lesson"]["slug"] = "another-lesson"
    for question in other_data["questions"]:
        question["id"] = "x" + question["id"]
    lesson_import(data=other_data)

    response = post_answer(signed_in, first_lesson, "xq01", {"answer": "a"})

    assert response.status_code == 400
    assert "This lesson has no question xq01." in response.content.decode()
    assert Response.objects.count() == 0


def test_the_refused_form_keeps_what_was_sent(signed_in: Client, first_lesson: Lesson) -> None:
    data = {"asserted_by": "ab-trump", "standing": "alleged"}
    html = post_answer(signed_in, first_lesson, "q20", data).content.decode()

    section = html[html.index('id="question-q20"') :]
    assert '<option value="ab-trump" selected>' in section
    assert 'value="alleged" checked' in section


def test_answering_again_differently_is_409_and_changes_nothing(
    signed_in: Client, first_lesson: Lesson
) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "a"})

    response = post_answer(signed_in, first_lesson, "q01", {"answer": "b"})

    assert response.status_code == 409
    assert "You have already answered this question and seen its feedback." in response.content.decode()
    assert Response.objects.count() == 1
    assert stored(first_lesson, "q01").answer == "a"


def test_answering_the_same_again_is_harmless(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "a", "evidence": ["p3s4"]})
    first = stored(first_lesson, "q01")

    response = post_answer(signed_in, first_lesson, "q01", {"answer": "a", "evidence": ["p3s4"]})

    assert response.status_code == 303
    assert Response.objects.count() == 1
    assert stored(first_lesson, "q01").saved_at == first.saved_at


def test_after_finishing_a_save_is_409(signed_in: Client, learner: Any, first_lesson: Lesson) -> None:
    signed_in.get(play_url(first_lesson))
    attempt = open_attempt(learner, first_lesson)
    signed_in.post(reverse("lessons:finish", args=[first_lesson.slug]), {"attempt": attempt.pk})

    response = post_answer(signed_in, first_lesson, "q01", {"answer": "a"}, attempt=attempt)

    assert response.status_code == 409
    assert "This attempt has been submitted" in response.content.decode()
    assert Response.objects.count() == 0


def test_another_learners_attempt_is_404(
    signed_in: Client, django_user_model: Any, first_lesson: Lesson
) -> None:
    other = django_user_model.objects.create_user("other", password=PASSWORD)
    other_client = Client()
    other_client.force_login(other)
    other_client.get(play_url(first_lesson))
    attempt = open_attempt(other, first_lesson)

    assert post_answer(signed_in, first_lesson, "q01", {"answer": "a"}, attempt=attempt).status_code == 404
    assert signed_in.get(f"{play_url(first_lesson)}?attempt={attempt.pk}").status_code == 404
    assert signed_in.get(reverse("lessons:attempt_summary", args=[attempt.pk])).status_code == 404
    assert Response.objects.count() == 0


def test_answer_is_post_only(signed_in: Client, first_lesson: Lesson) -> None:
    assert signed_in.get(reverse("lessons:answer", args=[first_lesson.slug, "q01"])).status_code == 405


# ----------------------------------------------------------------------------------------------------
# htmx


def test_htmx_answer_returns_the_question_fragment_and_the_evidence_event(
    signed_in: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    response = post_answer(signed_in, first_lesson, "q04", {"answer": "b"}, htmx=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="question is-answered" id="question-q04"')
    assert "<html" not in html and "<body" not in html
    assert json.loads(response["HX-Trigger"]) == {
        "quizsite:evidence": {"question": "q04", "sentences": ["p1s3", "p2s4"]}
    }
    assert markdown_to_html(first_lesson_data["questions"][3]["answer"]["explanation"]) in html
    assert 'aria-live="polite"' in html
    assert 'id="player-progress" hx-swap-oob="true"' in html  # the page's count follows
    assert stored(first_lesson, "q04").earned == Decimal("1.00")


def test_htmx_bad_answer_returns_the_fragment_with_400(signed_in: Client, first_lesson: Lesson) -> None:
    response = post_answer(signed_in, first_lesson, "q01", {"answer": "z"}, htmx=True)

    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith('<section class="question has-error" id="question-q01"')
    assert "<html" not in html
    assert "unknown option &#x27;z&#x27;" in html and 'role="alert"' in html
    assert response["HX-Reswap"] == "outerHTML"
    assert Response.objects.count() == 0


def test_htmx_changed_answer_returns_the_feedback_with_409(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q05", {"answer": "true"})

    response = post_answer(signed_in, first_lesson, "q05", {"answer": "false"}, htmx=True)

    html = response.content.decode()
    assert response.status_code == 409
    assert "You have already answered this question" in html
    assert 'class="feedback verdict-right"' in html


def test_htmx_request_without_a_session_is_sent_to_the_login_page(
    client: Client, first_lesson: Lesson
) -> None:
    url = reverse("lessons:answer", args=[first_lesson.slug, "q01"])
    response = client.post(url, {"answer": "a"}, headers={**HTMX, "HX-Current-URL": "http://testserver/x/"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/x/"


def test_page_declares_htmx_swapping_of_refused_answers(signed_in: Client, first_lesson: Lesson) -> None:
    html = signed_in.get(play_url(first_lesson)).content.decode()

    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config is not None
    handling = json.loads(config.group(1))["responseHandling"]
    assert {"code": "40[09]", "swap": True, "error": False} in handling


# ----------------------------------------------------------------------------------------------------
# Query bound


def long_lesson(data: dict[str, Any], count: int) -> Lesson:
    """The fixture lesson with its questions repeated (ids suffixed) up to `count` questions."""
    return load_lesson(repeated_questions_document(data, count))


def play_queries(client: Client, lesson: Lesson) -> int:
    client.get(play_url(lesson))  # warm up: the attempt exists from here on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(play_url(lesson))
    assert response.status_code == 200
    return len(queries)


SOME_ANSWERS = (
    ("q01", {"answer": "a", "evidence": ["p3s4"]}),
    ("q05", {"answer": "true"}),
    ("q07", {"position-s-docs": "1", "position-s-post": "2", "position-s-article": "3"}),
    ("q22", {"answer": "Requests, not deliveries."}),
)


def test_play_page_queries_do_not_grow_with_questions(
    signed_in: Client,
    first_lesson: Lesson,
    first_lesson_data: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    sixty = long_lesson(first_lesson_data, 60)
    assert len(sixty.published_revision.content["questions"]) == 60
    for lesson, suffix in ((first_lesson, ""), (sixty, "-1")):
        for key, data in SOME_ANSWERS:
            assert post_answer(signed_in, lesson, key + suffix, data).status_code == 303
    assert Response.objects.count() == 8

    counts = {}
    for lesson in (first_lesson, sixty):
        signed_in.get(play_url(lesson))  # warm up
        with django_assert_max_num_queries(8):
            response = signed_in.get(play_url(lesson))
        assert response.content.decode().count('class="feedback ') == 4
        counts[lesson.slug] = play_queries(signed_in, lesson)
    print("play page queries:", counts)
    assert counts[first_lesson.slug] == counts[sixty.slug]


# ----------------------------------------------------------------------------------------------------
# Finishing, retrying, the summary


def answer_script(client: Client, lesson: Lesson) -> None:
    script = [
        ("q01", {"answer": "a", "evidence": ["p3s4"]}),  # actor, 2 of 2
        (
            "q02",  # actor, 3 of 3
            {
                "match-i-cartels": "o-trump",
                "match-i-war": "o-maduro",
                "match-i-sovereignty": "o-zakharova",
                "match-i-requests": "o-docs",
                "match-i-responses": "o-post",
                "match-i-support": "o-no-one",
            },
        ),
        ("q05", {"answer": "false"}),  # event, 0 of 1
        ("q08", {"answer": "c", "evidence": ["p1s6"]}),  # treaty, 1.33 of 2
        ("q10", {"answer": "false"}),  # treaty, 1 of 1
        ("q07", {"position-s-article": "1", "position-s-docs": "2", "position-s-post": "3"}),  # 0.67 of 2
        ("q19", {"asserted_by": "ab-post", "source": "src-docs", "standing": "alleged"}),  # sourcing, 2 of 3
        ("q22", {"answer": "Only requests are reported, by the Post citing documents."}),  # not counted
    ]
    for key, data in script:
        assert post_answer(client, lesson, key, data).status_code == 303


def test_finish_shows_the_score_by_focus(signed_in: Client, learner: Any, first_lesson: Lesson) -> None:
    answer_script(signed_in, first_lesson)
    attempt = open_attempt(learner, first_lesson)

    response = signed_in.post(reverse("lessons:finish", args=[first_lesson.slug]), {"attempt": attempt.pk})

    summary_url = reverse("lessons:attempt_summary", args=[attempt.pk])
    assert (response.status_code, response["Location"]) == (303, summary_url)
    attempt.refresh_from_db()
    assert (attempt.state, attempt.earned, attempt.possible) == (
        "submitted",
        Decimal("10.00"),
        Decimal("41.00"),
    )
    html = squash(signed_in.get(summary_url).content.decode())
    assert "<strong>10</strong> of 41 points" in html
    focus_rows = {
        focus: re.search(rf'<tr id="focus-{focus}">(.*?)</tr>', html).group(1)  # type: ignore[union-attr]
        for focus in ("actor", "treaty", "sourcing", "event")
    }
    assert "Actors</th> <td>5 of 10</td> <td>2 of 5 questions" in focus_rows["actor"]
    assert "Treaties</th> <td>2.33 of 8</td> <td>2 of 6 questions" in focus_rows["treaty"]
    assert "Sourcing</th> <td>2.67 of 22</td> <td>3 of 12 questions" in focus_rows["sourcing"]
    assert "(1 open answer not counted)" in focus_rows["sourcing"]
    assert "Events and timeline</th> <td>0 of 1</td> <td>1 of 1 question" in focus_rows["event"]
    assert "1 open answer is not counted" in html
    assert "Not counted: open answer" in html
    assert f"{play_url(first_lesson)}?attempt={attempt.pk}#question-q05" in html
    assert reverse("lessons:retry", args=[first_lesson.slug]) in html


def test_finishing_twice_is_harmless(signed_in: Client, learner: Any, first_lesson: Lesson) -> None:
    answer_script(signed_in, first_lesson)
    attempt = open_attempt(learner, first_lesson)
    finish = reverse("lessons:finish", args=[first_lesson.slug])
    signed_in.post(finish, {"attempt": attempt.pk})

    response = signed_in.post(finish, {"attempt": attempt.pk})

    assert response["Location"] == reverse("lessons:attempt_summary", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.earned == Decimal("10.00")


def test_a_finished_attempt_is_shown_read_only(
    signed_in: Client, learner: Any, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "a"})
    attempt = open_attempt(learner, first_lesson)
    signed_in.post(reverse("lessons:finish", args=[first_lesson.slug]), {"attempt": attempt.pk})

    html = signed_in.get(f"{play_url(first_lesson)}?attempt={attempt.pk}").content.decode()

    assert '<form class="answer-form"' not in html
    assert html.count("Not answered.") == len(first_lesson_data["questions"]) - 1
    assert html.count('class="feedback ') == 1
    assert "You finished this attempt" in html


def test_summary_is_the_learners_own(client: Client, learner: Any, first_lesson: Lesson) -> None:
    client.force_login(learner)
    client.get(play_url(first_lesson))
    attempt = open_attempt(learner, first_lesson)

    assert client.get(reverse("lessons:attempt_summary", args=[attempt.pk])).status_code == 200
    assert client.get(reverse("lessons:attempt_summary", args=[attempt.pk + 1000])).status_code == 404
    client.logout()
    assert client.get(reverse("lessons:attempt_summary", args=[attempt.pk])).status_code == 302


def test_retry_submits_and_starts_a_new_attempt(
    signed_in: Client, learner: Any, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "a"})
    first = open_attempt(learner, first_lesson)
    retry = reverse("lessons:retry", args=[first_lesson.slug])

    response = signed_in.post(retry, {"attempt": first.pk})
    signed_in.post(retry, {"attempt": first.pk})  # a double click

    assert (response.status_code, response["Location"]) == (303, play_url(first_lesson))
    first.refresh_from_db()
    assert (first.state, first.earned) == ("submitted", Decimal("1.00"))
    second = open_attempt(learner, first_lesson)
    assert second.pk != first.pk
    assert Attempt.objects.filter(learner=learner).count() == 2
    html = signed_in.get(play_url(first_lesson)).content.decode()
    assert html.count('<form class="answer-form"') == len(first_lesson_data["questions"])


def test_retry_without_naming_the_attempt_closes_the_open_one(
    signed_in: Client, learner: Any, first_lesson: Lesson
) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "a"})
    first = open_attempt(learner, first_lesson)

    signed_in.post(reverse("lessons:retry", args=[first_lesson.slug]))

    first.refresh_from_db()
    assert first.state == "submitted"
    assert open_attempt(learner, first_lesson).pk != first.pk


# ----------------------------------------------------------------------------------------------------
# The evidence marked in the article without JavaScript


def test_without_javascript_the_answered_questions_evidence_is_marked_in_the_article(
    signed_in: Client, first_lesson: Lesson
) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "b"})
    response = post_answer(signed_in, first_lesson, "q16", {"answer": ["p3s8"]})
    assert response["Location"] == f"{play_url(first_lesson)}?answered=q16#question-q16"

    html = signed_in.get(response["Location"]).content.decode()

    marked = re.findall(
        r'<span class="sentence evidence" id="sentence-([^"]+)"[^>]*><mark>(.*?)</mark>', html
    )
    assert [sentence for sentence, _text in marked] == ["p3s8"]  # q16's evidence, not q01's
    number = re.search(r'id="question-q16-title">Question (\d+)<', html)
    assert number is not None
    assert marked[0][1].startswith(
        f'<span class="visually-hidden">Evidence for question {number.group(1)}: </span>'
    )


def test_the_evidence_of_a_question_not_answered_is_never_marked(
    signed_in: Client, first_lesson: Lesson
) -> None:
    signed_in.get(play_url(first_lesson))

    for answered in ("q01", "nope", ""):
        html = signed_in.get(play_url(first_lesson), {"answered": answered}).content.decode()
        assert "<mark>" not in html
        assert 'class="sentence evidence"' not in html


def test_the_mark_follows_the_attempt_named_in_the_address(signed_in: Client, first_lesson: Lesson) -> None:
    post_answer(signed_in, first_lesson, "q01", {"answer": "a"})
    attempt = Attempt.objects.get(lesson=first_lesson)
    signed_in.post(reverse("lessons:finish", args=[first_lesson.slug]), {"attempt": attempt.pk})

    html = signed_in.get(play_url(first_lesson), {"attempt": attempt.pk, "answered": "q01"}).content.decode()

    assert re.findall(r'<span class="sentence evidence" id="sentence-([^"]+)"', html) == ["p3s4"]
