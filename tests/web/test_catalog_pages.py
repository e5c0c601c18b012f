"""The home page and a lesson page as a student sees them before answering."""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories.lessons import load_lesson

from lessons.kinds import kind_labels
from lessons.models import READING_AIDS, Focus, Lesson, LessonStatus, Visibility

pytestmark = pytest.mark.django_db


def key_material(data: dict[str, Any]) -> list[str]:
    """Every teacher-only text of a lesson document long enough to recognise.

    Accepted short answers are left out: they are names the article itself prints.
    """
    pieces: list[str] = []
    for question in data["questions"]:
        answer = question["answer"]
        pieces.append(answer["explanation"])
        pieces.extend(answer["option_feedback"].values())
        if answer["model_answer"]:
            pieces.append(answer["model_answer"])
        pieces.extend(criterion["criterion"] for criterion in answer["rubric"])
    return [piece for piece in pieces if len(piece) >= 12]


def test_home_lists_the_published_lesson(client: Client, first_lesson: Lesson) -> None:
    response = client.get(reverse("lessons:home"))

    assert response.status_code == 200
    assert first_lesson.title in response.content.decode()
    assert reverse("lessons:lesson_detail", args=[first_lesson.slug]) in response.content.decode()


def test_home_leaves_out_drafts_and_private_lessons(client: Client, first_lesson: Lesson) -> None:
    Lesson.objects.filter(pk=first_lesson.pk).update(visibility=Visibility.PRIVATE)

    response = client.get(reverse("lessons:home"))

    assert first_lesson.title not in response.content.decode()


def test_lesson_page_shows_article_actors_treaties_and_questions(
    client: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    response = client.get(reverse("lessons:lesson_detail", args=[first_lesson.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="sentence-p1s1"' in html
    for actor_id in first_lesson_data["lesson"]["actors"]:
        assert f'id="actor-{actor_id}"' in html
    for treaty_id in first_lesson_data["lesson"]["treaties"]:
        assert f'id="treaty-{treaty_id}"' in html
    assert html.count('class="question"') == len(first_lesson_data["questions"])


def test_lesson_page_carries_no_key_material(
    client: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    html = client.get(reverse("lessons:lesson_detail", args=[first_lesson.slug])).content.decode()
    text = re.sub(r"\s+", " ", html)

    leaked = [piece for piece in key_material(first_lesson_data) if re.sub(r"\s+", " ", piece) in text]
    assert leaked == []
    for word in ("correct", "explanation", "accepted", "model_answer", "rubric", "option_feedback"):
        assert word not in html


def test_unknown_lesson_is_404(client: Client, first_lesson: Lesson) -> None:
    assert client.get(reverse("lessons:lesson_detail", args=["no-such-lesson"])).status_code == 404


def test_draft_lesson_is_404(client: Client, first_lesson_data: dict[str, Any]) -> None:
    from lessons.services import lesson_import

    first_lesson_data["lesson"]["status"] = LessonStatus.DRAFT
    lesson = lesson_import(data=first_lesson_data)

    assert client.get(reverse("lessons:lesson_detail", args=[lesson.slug])).status_code == 404


def test_private_lesson_is_404_to_others_and_shown_to_its_owner(
    client: Client, first_lesson: Lesson, django_user_model: Any
) -> None:
    owner = django_user_model.objects.create_user("owner", password="pw-for-tests-1")
    Lesson.objects.filter(pk=first_lesson.pk).update(visibility=Visibility.PRIVATE, owner=owner)
    url = reverse("lessons:lesson_detail", args=[first_lesson.slug])

    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_lesson_page_queries_do_not_grow_with_questions(
    client: Client,
    first_lesson: Lesson,
    first_lesson_data: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    from lessons.services import lesson_import

    bigger = json.loads(json.dumps(first_lesson_data))
    bigger["lesson"]["slug"] = "bigger-lesson"
    template = bigger["questions"]
    bigger["questions"] = [
        {**question, "id": f"{question['id']}-{copy}"} for copy in range(3) for question in template
    ]
    lesson_import(data=bigger)
    client.get(reverse("lessons:lesson_detail", args=["bigger-lesson"]))  # warm-up

    for slug in (first_lesson.slug, "bigger-lesson"):
        with django_assert_max_num_queries(2):
            assert client.get(reverse("lessons:lesson_detail", args=[slug])).status_code == 200


def test_home_queries_do_not_grow_with_lessons(
    client: Client, first_lesson_data: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from lessons.services import lesson_import

    for number in range(4):
        copy = json.loads(json.dumps(first_lesson_data))
        copy["lesson"]["slug"] = f"copy-{number}"
        lesson_import(data=copy)

    with django_assert_max_num_queries(1):
        response = client.get(reverse("lessons:home"))
    assert response.content.decode().count('class="lesson-card"') == 4


# ----------------------------------------------------------------------------------------------------
# The lesson page's words: labels, not ids; the content's language on the content


def meta_lines(html: str) -> list[str]:
    return re.findall(r'<li class="question" id="question-[^"]+">\s*<p class="meta">([^<]+)</p>', html)


@pytest.mark.parametrize("language", ["en", "es"])
def test_lesson_page_names_each_questions_focus_and_kind_as_the_player_does(
    client: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any], language: str
) -> None:
    html = client.get(
        reverse("lessons:lesson_detail", args=[first_lesson.slug]), headers={"accept-language": language}
    ).content.decode()

    lines = meta_lines(html)
    assert len(lines) == len(first_lesson_data["questions"])
    with translation.override(language):
        focus = dict(Focus.choices)
        kinds = kind_labels()
        expected = [
            f"{focus[q['focus']]} · {kinds[q['kind']]} · "
            + translation.ngettext("%(points)s point", "%(points)s points", q["points"])
            % {"points": q["points"]}
            for q in first_lesson_data["questions"]
        ]
    assert lines == expected
    for question in first_lesson_data["questions"]:  # no raw id of a kind or a focus
        assert question["kind"] not in " ".join(lines)
    for party in first_lesson_data["treaties"][0]["parties"]:  # ratifications by their label too
        assert f": {party['ratification']}</li>" not in html


def test_lesson_page_prints_as_a_worksheet_without_keys(
    client: Client, first_lesson: Lesson, first_lesson_data: dict[str, Any]
) -> None:
    html = client.get(reverse("lessons:lesson_detail", args=[first_lesson.slug])).content.decode()

    assert '<link rel="stylesheet" href="/static/lessons/print.css" media="print">' in html
    assert html.count('<div class="answer-space" aria-hidden="true"></div>') == len(
        first_lesson_data["questions"]
    )
    assert [piece for piece in key_material(first_lesson_data) if piece in html] == []


@pytest.fixture
def spanish_lesson(first_lesson_data: dict[str, Any]) -> Lesson:
    data = json.loads(json.dumps(first_lesson_data))
    # Its aids shown from the start, so the page shows every kind of content it marks.
    data["lesson"].update(
        slug="leccion-en-espanol", language="es", reading_aids=dict.fromkeys(READING_AIDS, "start")
    )
    return load_lesson(data)


def test_a_lessons_content_carries_its_language_and_the_interface_its_own(
    client: Client, spanish_lesson: Lesson
) -> None:
    assert spanish_lesson.language == "es"
    html = client.get(reverse("lessons:lesson_detail", args=[spanish_lesson.slug])).content.decode()

    assert '<html lang="en">' in html  # the interface
    assert f'<h1 lang="es">{spanish_lesson.title}</h1>' in html
    assert '<div class="intro-text" lang="es">' in html
    assert '<p lang="es"><span class="sentence" id="sentence-p1s1"' in html
    assert '<summary lang="es">Nicolás Maduro</summary>' in html  # his card
    assert '<cite lang="es">' in html  # the provenance line's report
    assert html.count('<div class="question-content" lang="es">') == len(spanish_lesson.questions.all())


def test_the_provenance_line_keeps_content_apart_from_interface_sentences(
    client: Client, first_lesson_data: dict[str, Any]
) -> None:
    article = first_lesson_data["article"]
    first_lesson_data["lesson"]["reading_aids"] = dict.fromkeys(READING_AIDS, "start")
    lesson = load_lesson(first_lesson_data)

    html = client.get(
        reverse("lessons:lesson_detail", args=[lesson.slug]), headers={"accept-language": "es"}
    ).content.decode()

    assert '<html lang="es">' in html
    provenance = re.search(r'<p class="provenance" id="aid-provenance">(.*?)</p>', html, re.S)
    assert provenance is not None
    assert f'<cite lang="en">“{article["original_headline"]}”</cite>' in provenance.group(1)
    with translation.override("es"):
        label = translation.gettext("Rests on:")
    # The report's basis stands alone after its label, never inside a Spanish sentence.
    assert f'{label} <span lang="en">{article["rests_on"]}</span>' in provenance.group(1)
    assert "se basa en" not in provenance.group(1)
