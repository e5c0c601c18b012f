"""Names in an article's text: highlighted where known, offered as candidates where not (deterministic)."""

from __future__ import annotations

from typing import Any

from lessons.names import Segment, mention_segments, name_candidates


def test_mentions_are_cut_out_longest_first_and_short_names_by_case() -> None:
    segments = mention_segments(
        "Citing US documents, us reporters said Nicolás Maduro met Maduro's allies.",
        [("Maduro", "Maduro"), ("Nicolás Maduro", "Maduro"), ("US", "United States")],
    )
    assert segments == [
        Segment("Citing "),
        Segment("US", "United States"),
        Segment(" documents, us reporters said "),
        Segment("Nicolás Maduro", "Maduro"),
        Segment(" met "),
        Segment("Maduro", "Maduro"),
        Segment("'s allies."),
    ]


def test_candidates_skip_known_names_titles_months_and_first_words() -> None:
    sentences = [
        "The Tolaran navy sent ships to the Gulf of Tolara on Jan. 5.",
        "Gen. Ana Ruiz said the ships would stay.",
        "Venezuelan President Nicolás Maduro wrote to the Ministry of Defence.",
        "Citing documents, Venezuela’s envoy left.",
    ]
    assert name_candidates(sentences, ["Venezuela"]) == [
        "Tolaran",
        "Gulf of Tolara",
        "Ana Ruiz",
        "Nicolás Maduro",
        "Ministry of Defence",
    ]
    assert name_candidates(sentences, ["Venezuela"]) == name_candidates(sentences, ["Venezuela"])


def test_candidates_of_the_first_lesson_are_what_its_actors_leave_out(
    first_lesson_data: dict[str, Any],
) -> None:
    sentences = [s["text"] for paragraph in first_lesson_data["article"]["paragraphs"] for s in paragraph]
    known = [name for actor in first_lesson_data["actors"] for name in (actor["name"], *actor["aliases"])]
    assert name_candidates(sentences, known) == ["Su-30MK2", "Caribbean", "Post", "Transport"]
