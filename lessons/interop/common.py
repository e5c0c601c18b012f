"""What the question-file formats share: answer weights as Moodle writes them, and ids for what they read."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Final

from django.utils.translation import gettext as _

from lessons.kinds.portable import Part

from .report import FormatError

# The weights Moodle offers for an answer, in percent (and their negatives).
MOODLE_WEIGHTS: Final = (
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5,
    11.11111, 10, 5, 0,
)  # fmt: skip
_NOT_ID = re.compile(r"[^a-z0-9]+")


def weight(text: str) -> Fraction:
    """A weight in percent as a file writes it ("100", "33.33333", "-50") as a share of the points; within
    a hundred-thousandth of one Moodle offers, it is that one's exact share (33.33333 → 1/3)."""
    try:
        value = float(text)
    except ValueError:
        raise FormatError(_("“%(text)s” is not an answer weight") % {"text": text[:40]}) from None
    if not -100 <= value <= 100:
        raise FormatError(
            _("an answer weight of %(text)s%% is not a share of the points") % {"text": text[:40]}
        )
    for offered in MOODLE_WEIGHTS:
        if abs(abs(value) - offered) < 0.0001:
            share = Fraction(round(offered * 1000), 100_000).limit_denominator(100)
            return share if value >= 0 else -share
    raise FormatError(_("an answer weight of %(text)s%% is not one Moodle offers") % {"text": text[:40]})


def weight_text(fraction: Fraction) -> str:
    """A share of the points as Moodle writes a weight: 100, 50, 33.33333, -25."""
    value = round(float(fraction) * 100, 5)
    return str(int(value)) if value.is_integer() else f"{value:.5f}".rstrip("0")


def letter_ids(count: int) -> list[str]:
    return [f"o{index}" for index in range(1, count + 1)]


def slug_id(raw: str, taken: set[str], fallback: str) -> str:
    """An id of the lesson format (lowercase letters, digits, single hyphens) for an identifier of a file,
    unique among `taken` (which it joins)."""
    base = _NOT_ID.sub("-", raw.lower()).strip("-")[:30] or fallback
    candidate = base
    counter = 2
    while candidate in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def describe(part: Part) -> str:
    return part.interaction.value
