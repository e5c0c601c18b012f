"""Dates known only in part (lessons.partial_dates): the five forms, what is refused, and how people read
them in each language. Pure: no database."""

from __future__ import annotations

import pytest
from django.utils import translation

from lessons.partial_dates import PartialDate, format_partial_date, is_partial_date, parse_partial_date


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2025-05-07", (2025, 5, 7)),
        ("2025-05", (2025, 5, None)),
        ("2025", (2025, None, None)),
        ("--05", (None, 5, None)),
        ("--05-07", (None, 5, 7)),
        ("--02-29", (None, 2, 29)),  # a year not given may be a leap year
        ("2024-02-29", (2024, 2, 29)),
    ],
)
def test_each_form_parses_to_what_it_says_and_writes_back_the_same(
    text: str, parts: tuple[int | None, ...]
) -> None:
    date = parse_partial_date(text)
    assert (date.year, date.month, date.day) == parts
    assert date.isoformat() == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-",
        "--",
        "-05",
        "--5",
        "--13",
        "--00",
        "--02-30",
        "2025-13",
        "2025-00",
        "2025-02-29",  # not a leap year
        "2025-5-7",
        "0000",
        "25",
        "20250507",
        "2025-05-07T00:00",
        "May 2025",
        "2025-05-07\n",
        "٢٠٢٥",  # digits of another script
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_partial_date(text)
    assert is_partial_date(text) is False


def test_what_is_not_text_is_not_a_date() -> None:
    assert is_partial_date(None) is False
    assert is_partial_date(20250507) is False


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("2025-05-07", "May 7, 2025"),
        ("2025-05", "May 2025"),
        ("2025", "2025"),
        ("--05", "May, year not given"),
        ("--05-07", "May 7, year not given"),
        (None, ""),
        ("", ""),
        ("soon", "soon"),  # never fails a page
    ],
)
def test_people_read_what_is_known_and_are_told_what_is_not(text: str | None, english: str) -> None:
    with translation.override("en"):
        assert format_partial_date(text) == english


def test_spanish_names_the_month_in_spanish() -> None:
    with translation.override("es"):
        assert format_partial_date("2025-05") == "mayo de 2025"
        assert format_partial_date("--05").startswith("mayo, ")


def test_a_partial_date_object_writes_its_known_parts_only() -> None:
    assert PartialDate(None, 12, None).isoformat() == "--12"
