"""The sentence splitter against a table of tricky cases, and against every paragraph of the first lesson:
each paragraph, joined into one line, splits back into exactly its sentences."""

from __future__ import annotations

from typing import Any

import pytest

from lessons.splitter import split_article, split_paragraphs, split_sentences

CASES: list[tuple[str, list[str]]] = [
    ("One sentence.", ["One sentence."]),
    ("No final stop", ["No final stop"]),
    ("First. Second.", ["First.", "Second."]),
    ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
    ("Really?! Yes.", ["Really?!", "Yes."]),
    # Titles before names never end a sentence.
    ("He met Gen. Smith. Then he left.", ["He met Gen. Smith.", "Then he left."]),
    ("Mr. and Mrs. Jones came. Dr. Lee did not.", ["Mr. and Mrs. Jones came.", "Dr. Lee did not."]),
    ("Sen. Warren and Rep. Ocasio spoke.", ["Sen. Warren and Rep. Ocasio spoke."]),
    ("Lt. Col. Ruiz arrived. Capt. Ng too.", ["Lt. Col. Ruiz arrived.", "Capt. Ng too."]),
    ("He lives at No. 10 Downing St. in London.", ["He lives at No. 10 Downing St. in London."]),
    ("Prof. Adeyemi disagreed. She wrote so.", ["Prof. Adeyemi disagreed.", "She wrote so."]),
    # Dotted abbreviations.
    ("The U.S. Navy sailed. It was late.", ["The U.S. Navy sailed.", "It was late."]),
    ("Sanctions hit the U.S. The ministry said so.", ["Sanctions hit the U.S.", "The ministry said so."]),
    ("The U.N. Security Council met.", ["The U.N. Security Council met."]),
    (
        "He joined the U.K. government. But not for long.",
        ["He joined the U.K. government.", "But not for long."],
    ),
    ("They met at 5 p.m. Friday. Nobody came.", ["They met at 5 p.m. Friday.", "Nobody came."]),
    ("It ended at 6 p.m. The crowd left.", ["It ended at 6 p.m.", "The crowd left."]),
    ("The E.U.'s plan failed. Talks resumed.", ["The E.U.'s plan failed.", "Talks resumed."]),
    # Months and other abbreviations.
    ("They met on Jan. 5 in Rome. It rained.", ["They met on Jan. 5 in Rome.", "It rained."]),
    ("Talks resume in Sept. The date is set.", ["Talks resume in Sept.", "The date is set."]),
    ("Acme Inc. Chief Executive Ana Ruiz resigned.", ["Acme Inc. Chief Executive Ana Ruiz resigned."]),
    ("He bought shares in Acme Inc. The price fell.", ["He bought shares in Acme Inc.", "The price fell."]),
    ("It weighed approx. 40 tonnes.", ["It weighed approx. 40 tonnes."]),
    # Initials.
    ("John F. Kennedy spoke. The crowd listened.", ["John F. Kennedy spoke.", "The crowd listened."]),
    ("J. R. R. Tolkien wrote it.", ["J. R. R. Tolkien wrote it."]),
    ("She took Plan B. The others waited.", ["She took Plan B.", "The others waited."]),
    # Numbers.
    ("It cost $3.5 billion. That was a lot.", ["It cost $3.5 billion.", "That was a lot."]),
    ("Growth was 2.5 percent in 2024.", ["Growth was 2.5 percent in 2024."]),
    ("The range is 1,000.5 km. It is long.", ["The range is 1,000.5 km.", "It is long."]),
    ("Prices rose 5%. 2025 was worse.", ["Prices rose 5%.", "2025 was worse."]),
    ("Version 3.11.2 shipped.", ["Version 3.11.2 shipped."]),
    # Quotations.
    ("She said, “We will win.” The crowd cheered.", ["She said, “We will win.”", "The crowd cheered."]),
    ('He said, "No." Then he left.', ['He said, "No."', "Then he left."]),
    ("“Why now?” Maduro asked. He got no answer.", ["“Why now?” Maduro asked.", "He got no answer."]),
    ("“Are you sure?” she asked.", ["“Are you sure?” she asked."]),
    ("“Stop!” the officer shouted.", ["“Stop!” the officer shouted."]),
    ("“We are done.” “So are we.”", ["“We are done.”", "“So are we.”"]),
    ("He left. “We are done,” she said.", ["He left.", "“We are done,” she said."]),
    (
        "It was “fabricating a new war.” The talks ended.",
        ["It was “fabricating a new war.”", "The talks ended."],
    ),
    ("He quoted ‘the end.’ Nobody laughed.", ["He quoted ‘the end.’", "Nobody laughed."]),
    # Brackets.
    ("(See the map.) The border is long.", ["(See the map.)", "The border is long."]),
    ("He won (narrowly). The count ended.", ["He won (narrowly).", "The count ended."]),
    # Ellipses.
    ("He paused... Then he went on.", ["He paused...", "Then he went on."]),
    ("It was ... a surprise.", ["It was ... a surprise."]),
    ("She waited… Nothing came.", ["She waited…", "Nothing came."]),
    ("Wait… what?", ["Wait… what?"]),
    # Lower case after a full stop is no new sentence.
    ("Use e.g. this one. Or that.", ["Use e.g. this one.", "Or that."]),
    ("The iPhone sold well. eBay did not.", ["The iPhone sold well. eBay did not."]),
    # Spaces and line ends inside a paragraph.
    ("First  line\ncontinues.   Second.", ["First line continues.", "Second."]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_the_table_is_long_enough() -> None:
    assert len(CASES) >= 40


def test_every_paragraph_of_the_first_lesson_splits_back(first_lesson_data: dict[str, Any]) -> None:
    paragraphs = [[s["text"] for s in paragraph] for paragraph in first_lesson_data["article"]["paragraphs"]]
    pasted = "\n\n".join(" ".join(sentences) for sentences in paragraphs)
    assert split_article(pasted) == paragraphs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("One.\n \nTwo.\n\n\n\nThree.", ["One.", "Two.", "Three."]),
        ("One.\nTwo.\nThree.", ["One.", "Two.", "Three."]),  # no blank line: one paragraph a line
        ("One\ncontinues.\n\nTwo.", ["One continues.", "Two."]),
        ("One.\r\n\r\nTwo.", ["One.", "Two."]),
        ("  \n\n  ", []),
    ],
)
def test_split_paragraphs(text: str, expected: list[str]) -> None:
    assert split_paragraphs(text) == expected
