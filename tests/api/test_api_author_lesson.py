"""A lesson's own parts through the API, as the studio's pages change them: a new lesson from a pasted
article, its overview, article, actors and treaties (with the lesson's notes), names in the text, claims and
settings, and the shared records a lesson picks from. Each answers as the pages do: the same services
decide, a field the service refuses is named by its path in the request, a lesson the caller does not author
is a 404."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from api_support import Api, MakeApi, error_of
from classroom.classroom_support import data_queries
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories.lessons import load_lesson

from lessons.models import Actor, Lesson, LessonActorNote, LessonTreatyNote, Source

TEXT = (
    "The U.S. Navy sent two ships to the Gulf of Tolara on Jan. 5. Officials reportedly feared a clash.\n\n"
    "Gen. Ana Ruiz said the ships would stay."
)
NEW = {
    "title": "Ships in the Gulf",
    "article": {"headline": "Navy ships head to the Gulf of Tolara", "new_source_name": "The Harbour Times"},
    "text": TEXT,
}


@pytest.fixture
def owned(second_lesson: Lesson, teacher: User) -> Lesson:
    """The second lesson, owned by the teacher."""
    Lesson.objects.filter(pk=second_lesson.pk).update(owner=teacher)
    return Lesson.objects.get(pk=second_lesson.pk)


@pytest.fixture
def api(make_api: MakeApi, teacher: User, owned: Lesson) -> Api:
    return make_api(teacher)


def fields(response: Any) -> set[str]:
    return set(error_of(response)["fields"])


# ---- a new lesson ---------------------------------------------------------------------------------------


def test_a_new_lesson_is_made_from_pasted_text(api: Api) -> None:
    made = api.post("author/lessons/from-article/", NEW)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["slug"], body["status"], body["visibility"]) == ("ships-in-the-gulf", "draft", "private")
    sentences = [[item["id"] for item in paragraph] for paragraph in body["article"]["paragraphs"]]
    assert sentences == [["p1s1", "p1s2"], ["p2s1"]]
    assert body["article"]["paragraphs"][0][1]["hedges"] == ["reportedly"]
    assert body["article"]["source"]["name"] == "The Harbour Times"
    assert api.get(f"author/lessons/{body['slug']}/article/").json() == body["article"]
    assert api.get("author/lessons/", status="draft").json()["count"] == 1


def test_a_new_lesson_from_sentences_already_cut(api: Api) -> None:
    split = api.post("author/sentences/", {"text": TEXT})
    assert split.status_code == 200
    paragraphs = split.json()["paragraphs"]
    assert paragraphs[0] == [
        "The U.S. Navy sent two ships to the Gulf of Tolara on Jan. 5.",
        "Officials reportedly feared a clash.",
    ]
    merged = [[" ".join(paragraphs[0])], paragraphs[1]]
    made = api.post(
        "author/lessons/from-article/",
        {"article": {"headline": "Ships", "source": "harbour-gazette"}, "paragraphs": merged},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["title"] == "Ships"  # the headline, when no title is given
    assert [len(paragraph) for paragraph in body["article"]["paragraphs"]] == [1, 1]
    assert body["article"]["source"] == {"id": "harbour-gazette", "name": "The Harbour Gazette"}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"article": {"headline": "", "new_source_name": "X"}}, "article.headline"),
        ({"article": {"headline": "H", "source": "no-such-source"}}, "article.source"),
        ({"article": {"headline": "H"}}, "article.source"),
        (
            {"article": {"headline": "H", "new_source_name": "X", "published_on": "5 Jan"}},
            "article.published_on",
        ),
        ({"text": "   "}, "text"),
        ({"text": None, "paragraphs": [[" "], []]}, "paragraphs"),
        ({"text": None, "paragraphs": [["One."], ["x" * 5001]]}, "paragraphs.1.0"),
    ],
)
def test_a_new_lesson_refused_names_the_field(api: Api, change: dict[str, Any], path: str) -> None:
    body = {**NEW, **change}
    body = {name: value for name, value in body.items() if value is not None}
    refused = api.post("author/lessons/from-article/", body)
    assert refused.status_code == 400
    assert path in fields(refused), refused.json()
    assert Lesson.objects.count() == 1


def test_only_teachers_make_lessons(make_api: MakeApi, learner: User) -> None:
    assert make_api(learner).post("author/lessons/from-article/", NEW).status_code == 404
    assert make_api(learner).post("author/sentences/", {"text": TEXT}).status_code == 404
    assert Lesson.objects.count() == 0


# ---- the overview and the article ------------------------------------------------------------------------


def test_the_overview_counts_each_part(api: Api, owned: Lesson) -> None:
    body = api.get(f"author/lessons/{owned.slug}/overview/").json()
    assert (body["actors"], body["treaties"], body["claims"], body["revisions"]) == (4, 1, 6, [1])
    assert body["sentences"] == owned.article.sentences.count()


def test_the_article_has_an_etag_and_keeps_ids_when_rewritten(api: Api, owned: Lesson) -> None:
    path = f"author/lessons/{owned.slug}/article/"
    first = api.get(path)
    assert first.status_code == 200
    assert (
        api.client.get(
            f"/api/v1/{path}", HTTP_IF_NONE_MATCH=first["ETag"], headers=api._headers()
        ).status_code
        == 304
    )
    article = first.json()
    texts = [[item["text"] for item in paragraph] for paragraph in article["paragraphs"]]
    gone = texts[0].pop(0)  # p1s1: the evidence of claims and questions
    texts[-1].append("A sentence added at the end.")
    changed = api.put(
        path, {"headline": "A new headline", "source": article["source"]["id"], "paragraphs": texts}
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["removed"], body["added"]) == (1, 1)
    assert {link["sentence_id"] for link in body["broken_links"]} == {"p1s1"}
    assert all(link["sentence_text"] == gone for link in body["broken_links"])
    assert body["article"]["headline"] == "A new headline"
    assert body["article"]["paragraphs"][0][0]["id"] == "p1s2"
    assert api.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert (
        api.client.get(
            f"/api/v1/{path}", HTTP_IF_NONE_MATCH=first["ETag"], headers=api._headers()
        ).status_code
        == 200
    )


def test_the_article_refused_names_the_field_and_changes_nothing(api: Api, owned: Lesson) -> None:
    path = f"author/lessons/{owned.slug}/article/"
    before = api.get(path).json()
    for body, path_name in (
        ({"headline": "H", "source": "harbour-gazette", "paragraphs": []}, "paragraphs"),
        ({"headline": "H", "source": "harbour-gazette", "paragraphs": [[""]]}, "paragraphs"),
        (
            {"headline": "H", "source": "harbour-gazette", "published_on": "2025-13", "paragraphs": [["A."]]},
            "published_on",
        ),
        ({"headline": "H", "paragraphs": [["A."]]}, "source"),
    ):
        refused = api.put(path, body)
        assert refused.status_code == 400, body
        assert path_name in fields(refused), refused.json()
    assert api.get(path).json() == before


def test_an_article_another_lesson_shares_is_a_conflict(
    api: Api, owned: Lesson, first_lesson: Lesson
) -> None:
    Lesson.objects.filter(pk=first_lesson.pk).update(article=owned.article)
    refused = api.put(
        f"author/lessons/{owned.slug}/article/",
        {"headline": "H", "source": "harbour-gazette", "paragraphs": [["A."]]},
    )
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "article_shared"


def test_another_teachers_lesson_is_not_found(make_api: MakeApi, other_teacher: User, owned: Lesson) -> None:
    other = make_api(other_teacher)
    for part in (
        "overview",
        "article",
        "actors",
        "treaties",
        "claims",
        "settings",
        "names",
        "actors/norland",
    ):
        assert other.get(f"author/lessons/{owned.slug}/{part}/").status_code == 404, part
    assert other.patch(f"author/lessons/{owned.slug}/settings/", {"level": "advanced"}).status_code == 404
    assert other.delete(f"author/lessons/{owned.slug}/claims/c-giveaway/").status_code == 404


def test_a_co_author_writes_as_the_owner_does(make_api: MakeApi, other_teacher: User, owned: Lesson) -> None:
    owned.co_authors.add(other_teacher)
    co = make_api(other_teacher)
    changed = co.patch(f"author/lessons/{owned.slug}/settings/", {"estimated_minutes": 12})
    assert changed.status_code == 200
    assert changed.json()["estimated_minutes"] == 12


# ---- actors and treaties ---------------------------------------------------------------------------------


def test_actors_are_featured_noted_and_removed(api: Api, owned: Lesson) -> None:
    base = f"author/lessons/{owned.slug}/actors/"
    listed = api.get(base).json()
    assert [item["id"] for item in listed["results"]] == ["ana-kovac", "estmark", "marek-kovacs", "norland"]
    outsider = Actor.objects.create(slug="outsider", name="An Outsider", kind="person", role="Envoy")
    added = api.post(base, {"actor": "outsider"})
    assert added.status_code == 201
    assert added.json()["shared"] == {"role": "Envoy", "description": ""} and added.json()["note"] is None
    noted = api.put(f"{base}outsider/", {"role": "Envoy then", "description": ""})
    assert noted.status_code == 200
    assert noted.json()["role"] == "Envoy then"
    assert noted.json()["note"] == {"role": "Envoy then", "description": None}
    outsider.refresh_from_db()
    assert outsider.role == "Envoy"  # the shared record never changes from a lesson
    back = api.put(f"{base}outsider/", {"role": "Envoy", "description": ""})
    assert back.json()["note"] is None
    assert api.get(f"{base}outsider/").json()["role"] == "Envoy"
    assert api.delete(f"{base}outsider/").status_code == 204
    assert api.get(f"{base}outsider/").status_code == 404
    assert Actor.objects.filter(slug="outsider").exists()


def test_a_new_actor_is_made_shared_and_featured(api: Api, owned: Lesson) -> None:
    base = f"author/lessons/{owned.slug}/actors/"
    made = api.post(base, {"name": "Gen. Ana Ruiz", "kind": "person", "aliases": ["Ruiz"], "role": "General"})
    assert made.status_code == 201, made.content
    assert made.json()["id"] == "gen-ana-ruiz" and made.json()["aliases"] == ["Ruiz"]
    assert api.get(f"{base}gen-ana-ruiz/").status_code == 200


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"actor": "nobody"}, "actor"),
        ({"name": "Someone"}, "kind"),
        ({}, "name"),
        ({"name": "Someone", "kind": "wizard"}, "kind"),
        ({"actor": "not a slug!"}, "actor"),
    ],
)
def test_an_actor_refused_names_the_field(api: Api, owned: Lesson, body: dict[str, Any], path: str) -> None:
    refused = api.post(f"author/lessons/{owned.slug}/actors/", body)
    assert refused.status_code == 400
    assert path in fields(refused), refused.json()


def test_an_actor_the_lesson_does_not_feature_is_not_found(api: Api, owned: Lesson) -> None:
    Actor.objects.create(slug="outsider", name="An Outsider", kind="person")
    base = f"author/lessons/{owned.slug}/actors/outsider/"
    assert api.get(base).status_code == 404
    assert api.put(base, {"role": "x", "description": ""}).status_code == 404
    assert api.delete(base).status_code == 404
    assert not LessonActorNote.objects.exists()


def test_treaties_are_featured_noted_and_removed(api: Api, owned: Lesson) -> None:
    base = f"author/lessons/{owned.slug}/treaties/"
    assert [item["id"] for item in api.get(base).json()["results"]] == ["vessa-water-accord"]
    made = api.post(
        base, {"name": "Harbour Pact", "kind": "agreement", "status": "signed", "signed_on": "2024-05"}
    )
    assert made.status_code == 201, made.content
    assert made.json()["signed_on"] == "2024-05"
    noted = api.put(f"{base}harbour-pact/", {"status": "in_force", "summary": "In force since June."})
    assert noted.status_code == 200
    assert (noted.json()["status"], noted.json()["shared"]["status"]) == ("in_force", "signed")
    assert LessonTreatyNote.objects.filter(lesson=owned).count() == 1
    assert api.put(f"{base}harbour-pact/", {"status": "nonsense", "summary": ""}).status_code == 400
    assert api.delete(f"{base}harbour-pact/").status_code == 204
    assert not LessonTreatyNote.objects.filter(lesson=owned).exists()
    assert api.post(base, {"treaty": "harbour-pact"}).status_code == 201
    refused = api.post(base, {"name": "Pact", "kind": "agreement", "status": "signed", "signed_on": "May"})
    assert "signed_on" in fields(refused)
    assert "treaty" in fields(api.post(base, {"treaty": "nothing-here"}))


def test_names_in_the_text(api: Api, owned: Lesson) -> None:
    path = f"author/lessons/{owned.slug}/names/"
    assert api.get(path).json()["known_elsewhere"] == []
    assert api.delete(f"author/lessons/{owned.slug}/actors/norland/").status_code == 204
    assert api.get(path).json()["known_elsewhere"] == [{"id": "norland", "name": "Norland"}]


# ---- claims ---------------------------------------------------------------------------------------------


def test_claims_are_listed_made_changed_and_removed(api: Api, owned: Lesson) -> None:
    base = f"author/lessons/{owned.slug}/claims/"
    listed = api.get(base).json()
    assert listed["count"] == 6
    claim = {
        "statement": "The accord was signed in June.",
        "asserted_by": "norland",
        "via": ["harbour-gazette"],
        "standing": "confirmed",
        "evidence": ["p1s1"],
        "counter_claims": ["c-giveaway"],
    }
    made = api.post(base, claim)
    assert made.status_code == 201, made.content
    key = made.json()["id"]
    assert made.json() == {**claim, "id": key, "note": ""}
    changed = api.put(f"{base}{key}/", {**claim, "via": [], "note": "Checked."})
    assert changed.status_code == 200
    assert (changed.json()["via"], changed.json()["note"], changed.json()["id"]) == ([], "Checked.", key)
    assert api.get(f"{base}{key}/").json() == changed.json()
    assert api.delete(f"{base}{key}/").status_code == 204
    assert api.get(f"{base}{key}/").status_code == 404


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"evidence": []}, "evidence"),
        ({"evidence": ["p99s9"]}, "evidence"),
        ({"via": ["harbour-gazette", "no-such"]}, "via[1]"),
        ({"via": ["harbour-gazette", "harbour-gazette"]}, "via"),
        ({"via": ["a", "b", "c", "d"]}, "via"),
        ({"asserted_by": "nobody"}, "asserted_by"),
        ({"standing": "rumour"}, "standing"),
        ({"counter_claims": ["c-nothing"]}, "counter_claims"),
        ({"statement": "   "}, "statement"),
    ],
)
def test_a_claim_refused_names_the_field(api: Api, owned: Lesson, change: dict[str, Any], path: str) -> None:
    claim = {"statement": "Signed.", "standing": "confirmed", "evidence": ["p1s1"], **change}
    refused = api.post(f"author/lessons/{owned.slug}/claims/", claim)
    assert refused.status_code == 400
    assert path in fields(refused), refused.json()
    assert api.get(f"author/lessons/{owned.slug}/claims/").json()["count"] == 6


def test_a_claim_a_question_asks_about_is_a_conflict(api: Api, owned: Lesson) -> None:
    refused = api.delete(f"author/lessons/{owned.slug}/claims/c-giveaway/")
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "claim_in_use"
    assert api.get(f"author/lessons/{owned.slug}/claims/c-giveaway/").status_code == 200


# ---- settings -------------------------------------------------------------------------------------------


def test_settings_are_read_and_changed_in_part(api: Api, owned: Lesson) -> None:
    path = f"author/lessons/{owned.slug}/settings/"
    before = api.get(path).json()
    changed = api.patch(
        path,
        {
            "level": "advanced",
            "objectives": ["One", " ", "Two"],
            "reading_aids": {"provenance": "after_finish"},
        },
    )
    assert changed.status_code == 200, changed.content
    after = changed.json()
    assert after["objectives"] == ["One", "Two"]
    assert after["reading_aids"] == {**before["reading_aids"], "provenance": "after_finish"}
    assert {
        **after,
        "level": before["level"],
        "objectives": before["objectives"],
        "reading_aids": before["reading_aids"],
    } == before
    assert api.get(path).json() == after


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"language": "english!"}, "language"),
        ({"estimated_minutes": 0}, "estimated_minutes"),
        ({"estimated_minutes": 601}, "estimated_minutes"),
        ({"title": "  "}, "title"),
        ({"visibility": "everyone"}, "visibility"),
        ({"reading_aids": {"provenance": "sometimes"}}, "reading_aids.provenance"),
    ],
)
def test_settings_refused_name_the_field(api: Api, owned: Lesson, change: dict[str, Any], path: str) -> None:
    url = f"author/lessons/{owned.slug}/settings/"
    before = api.get(url).json()
    refused = api.patch(url, change)
    assert refused.status_code == 400
    assert path in fields(refused), refused.json()
    assert api.get(url).json() == before


# ---- the shared records ---------------------------------------------------------------------------------


def test_the_shared_records_are_listed_for_teachers(api: Api, make_api: MakeApi, learner: User) -> None:
    actors = api.get("author/actors/", name="kov").json()
    assert [item["id"] for item in actors["results"]] == ["ana-kovac", "marek-kovacs"]
    treaties = api.get("author/treaties/").json()["results"]
    assert treaties == [{"id": "vessa-water-accord", "name": "Vessa water accord"}]
    assert api.get("author/sources/").json()["count"] == Source.objects.count()
    assert "name" in fields(api.get("author/sources/", name="x" * 201))
    for path in ("author/actors/", "author/treaties/", "author/sources/"):
        assert make_api(learner).get(path).status_code == 404


# ---- query bounds ---------------------------------------------------------------------------------------


def queries(api: Api, path: str) -> int:
    api.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200
    return len(data_queries(captured))


def test_the_lists_make_as_many_queries_for_many_items_as_for_few(
    api: Api, owned: Lesson, second_lesson_data: dict[str, Any], teacher: User
) -> None:
    found: dict[str, list[int]] = {"actors": [], "treaties": [], "claims": [], "article": [], "overview": []}
    for size in (1, 3):
        document = copy.deepcopy(second_lesson_data)
        document["lesson"]["slug"] = f"grown-{size}"
        document["claims"] = [
            {
                **claim,
                "id": f"{claim['id']}-{n}" if n else claim["id"],
                "counter_claims": [f"{other}-{n}" if n else other for other in claim["counter_claims"]],
            }
            for n in range(size)
            for claim in second_lesson_data["claims"]
        ]
        lesson = load_lesson(document)
        Lesson.objects.filter(pk=lesson.pk).update(owner=teacher)
        for n in range(size * 5):
            actor = Actor.objects.create(slug=f"extra-{size}-{n}", name=f"Extra {size} {n}", kind="person")
            lesson.actors.add(actor)
        for part in found:
            found[part].append(queries(api, f"author/lessons/{lesson.slug}/{part}/"))
    for part, (few, many) in found.items():
        assert few == many, (part, found)
