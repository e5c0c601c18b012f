"""Vocabularies that question kinds share with the models: a claim's standing and the groups of options.

Kept out of ``lessons.models`` so the question kinds (which the models ask for their kind choices) can use
them without importing the models.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Standing(models.TextChoices):
    """How sure we can be of a claim, from most to least established. Each has one meaning, written once in
    :data:`STANDING_DEFINITIONS`: the models, the questions and the glossary students read all use it."""

    CONFIRMED = "confirmed", _("Confirmed")
    ON_RECORD = "on_record", _("On record")
    REPORTED = "reported", _("Reported")
    ALLEGED = "alleged", _("Alleged")
    DENIED = "denied", _("Denied")
    UNKNOWN = "unknown", _("Unknown")


STANDING_DEFINITIONS: Final[Mapping[str, Promise]] = MappingProxyType(
    {
        Standing.CONFIRMED: _(
            "An established fact: checkable in the public record, and stated by the article without hedge."
        ),
        Standing.ON_RECORD: _(
            "A named person or body said it publicly. That it was said is certain; what was said is their "
            "claim, not an established fact."
        ),
        Standing.REPORTED: _(
            "Known only through a report that cites sources the reader cannot see (“documents cited by…”, "
            "“reportedly”)."
        ),
        Standing.ALLEGED: _("An accusation made by a party, not established."),
        Standing.DENIED: _("The party concerned rejects it. A claim can be alleged and denied."),
        Standing.UNKNOWN: _("The article says it is unclear or not known."),
    }
)
"""What each standing means, in one sense everywhere (DESIGN.md, "Standings of a claim")."""

STANDING_RULE: Final = _(
    "A claim the article states in its own voice, with no source and no public record, is reported by the "
    "article, not confirmed."
)
"""How to place a claim the article simply asserts: said once, beside the definitions."""


class OptionGroup(models.TextChoices):
    """Which list of a question an option belongs to."""

    CHOICE = "choice", _("Choice")
    ITEM = "item", _("Item")
    ASSERTED_BY = "asserted_by", _("Who asserts it")
    SOURCE = "source", _("Through which source")
