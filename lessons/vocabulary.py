"""Vocabularies that question kinds share with the models: a claim's standing and the groups of options.

Kept out of ``lessons.models`` so the question kinds (which the models ask for their kind choices) can use
them without importing the models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Standing(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REPORTED = "reported", _("Reported")
    ALLEGED = "alleged", _("Alleged")
    DENIED = "denied", _("Denied")
    UNKNOWN = "unknown", _("Unknown")


class OptionGroup(models.TextChoices):
    """Which list of a question an option belongs to."""

    CHOICE = "choice", _("Choice")
    ITEM = "item", _("Item")
    ASSERTED_BY = "asserted_by", _("Who asserts it")
    SOURCE = "source", _("Through which source")
