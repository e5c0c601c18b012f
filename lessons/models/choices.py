"""Enumerations shared by models, services and the lesson file format.

Question kinds are not listed here: the kind registry (``lessons.kinds``) holds them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lessons.vocabulary import OptionGroup, Standing

__all__ = [
    "READING_AIDS",
    "ActorKind",
    "AidVisibility",
    "Focus",
    "LessonStatus",
    "Level",
    "OptionGroup",
    "Ratification",
    "SourceKind",
    "Standing",
    "TreatyKind",
    "TreatyStatus",
    "Visibility",
]


class SourceKind(models.TextChoices):
    OUTLET = "outlet", _("News outlet")
    WIRE_SERVICE = "wire_service", _("Wire service")
    GOVERNMENT_DOCUMENT = "government_document", _("Government document")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    UNNAMED_OFFICIAL = "unnamed_official", _("Unnamed official")
    OTHER = "other", _("Other")


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    STATE = "state", _("State")
    ORGANISATION = "organisation", _("Organisation")
    GROUP = "group", _("Group")


class TreatyKind(models.TextChoices):
    TREATY = "treaty", _("Treaty")
    STRATEGIC_PARTNERSHIP = "strategic_partnership", _("Strategic partnership")
    AGREEMENT = "agreement", _("Agreement")
    MEMORANDUM = "memorandum", _("Memorandum")
    OTHER = "other", _("Other")


class TreatyStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    UNKNOWN = "unknown", _("Unknown")


class Ratification(models.TextChoices):
    PENDING = "pending", _("Pending")
    RATIFIED = "ratified", _("Ratified")
    REFUSED = "refused", _("Refused")
    UNKNOWN = "unknown", _("Unknown")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class LessonStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private")
    TEACHERS = "teachers", _("Shared with teachers")
    PUBLIC = "public", _("Public")


class Focus(models.TextChoices):
    ACTOR = "actor", _("Actors")
    TREATY = "treaty", _("Treaties")
    SOURCING = "sourcing", _("Sourcing")
    EVENT = "event", _("Events and timeline")


class AidVisibility(models.TextChoices):
    """When a reading aid appears to a student (DESIGN.md rule 9: an aid may hold a question's answer)."""

    START = "start", _("From the start")
    AFTER_DEPENDENT = "after_dependent", _("Once the questions that use it are answered")
    AFTER_FINISH = "after_finish", _("After finishing")


# The reading aids a teacher decides the timing of, in the order a lesson file lists them.
READING_AIDS = ("sourcing_note", "provenance", "actor_cards", "treaty_cards")
