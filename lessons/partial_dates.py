"""Dates known only in part, as an article gives them: "signed in May", "in 2024", "on 7 May 2025".

A lesson stores such a date as text in one of five ISO 8601 forms, and never fills in what the source does
not say:

| form | known | example |
|---|---|---|
| ``YYYY-MM-DD`` | year, month and day | ``2025-05-07`` |
| ``YYYY-MM`` | year and month | ``2025-05`` |
| ``YYYY`` | the year | ``2025`` |
| ``--MM`` | the month, year not given | ``--05`` |
| ``--MM-DD`` | month and day, year not given | ``--05-07`` |

Parsing and checking are pure Python; :func:`format_partial_date` says the date for people in the active
language ("May, year not given").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

PARTIAL_DATE_FORMS: Final = "YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD"
# Matched with fullmatch. Also the database's check (``[0-9]``: PostgreSQL's `\d` would match other digits).
PARTIAL_DATE_PATTERN: Final = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|--[0-9]{2}(-[0-9]{2})?)$"
_SHAPE: Final = re.compile(r"(?:(\d{4})|-)(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_LEAP_YEAR: Final = 2000  # a day of a year not given may be 29 February


@dataclass(frozen=True)
class PartialDate:
    """A date with any of its parts unknown; a day is known only with its month."""

    year: int | None
    month: int | None
    day: int | None

    def isoformat(self) -> str:
        year = f"{self.year:04d}" if self.year is not None else "-"
        month = f"-{self.month:02d}" if self.month is not None else ""
        day = f"-{self.day:02d}" if self.day is not None else ""
        return year + month + day


def parse_partial_date(text: str) -> PartialDate:
    """*text* as a :class:`PartialDate`; ValueError when it is not one of the five forms, or names a month
    or day that does not exist ("2025-02-30", "--13")."""
    found = _SHAPE.fullmatch(text) if isinstance(text, str) else None
    if found is None or text == "-":
        raise ValueError(f"{text!r} is not a date ({PARTIAL_DATE_FORMS})")
    year, month, day = (int(part) if part else None for part in found.groups())
    if year is None and month is None:
        raise ValueError(f"{text!r} is not a date ({PARTIAL_DATE_FORMS})")
    try:
        # Zero is no year, month or day; a day of a year not given is checked against a leap year.
        if 0 in (year, month, day):
            raise ValueError
        dt.date(_LEAP_YEAR if year is None else year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a date ({PARTIAL_DATE_FORMS})") from None
    return PartialDate(year, month, day)


def is_partial_date(text: object) -> bool:
    try:
        parse_partial_date(text)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def format_partial_date(text: str | None) -> str:
    """The date for people, in the active language: "7 May 2025" (as the language writes dates),
    "May 2025", "2025", "May, year not given", "7 May, year not given"; "" for none. Text that is not a
    partial date is returned as it is (a page never fails on it)."""
    if not text:
        return ""
    try:
        date = parse_partial_date(text)
    except ValueError:
        return text
    if date.year is not None:
        if date.month is None:
            return str(date.year)
        if date.day is None:
            return date_format(dt.date(date.year, date.month, 1), "YEAR_MONTH_FORMAT")
        return date_format(dt.date(date.year, date.month, date.day), "DATE_FORMAT")
    assert date.month is not None  # parse_partial_date refuses a date with neither year nor month
    if date.day is None:
        return _("%(month)s, year not given") % {"month": MONTHS[date.month]}
    known = date_format(dt.date(_LEAP_YEAR, date.month, date.day), "MONTH_DAY_FORMAT")
    return _("%(date)s, year not given") % {"date": known}
