"""Enumerations shared by models, services, the lesson file format and grading."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Standing(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REPORTED = "reported", _("Reported")
    ALLEGED = "alleged", _("Alleged")
    DENIED = "denied", _("Denied")
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


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_SELECT = "multiple_select", _("Multiple select")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT_ANSWER = "short_answer", _("Short answer")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    EVIDENCE = "evidence", _("Evidence")
    ATTRIBUTION = "attribution", _("Attribution")
    OPEN_RESPONSE = "open_response", _("Open response")


class Focus(models.TextChoices):
    ACTOR = "actor", _("Actors")
    TREATY = "treaty", _("Treaties")
    SOURCING = "sourcing", _("Sourcing")
    EVENT = "event", _("Events and timeline")


class OptionGroup(models.TextChoices):
    """Which list of a question an option belongs to."""

    CHOICE = "choice", _("Choice")
    ITEM = "item", _("Item")
    ASSERTED_BY = "asserted_by", _("Who asserts it")
    SOURCE = "source", _("Through which source")


# Kinds a student answers by picking from the question's options, and kinds a teacher grades.
KINDS_WITH_OPTIONS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_SELECT, QuestionKind.MATCHING}
)
KINDS_WITH_ITEMS = frozenset({QuestionKind.MATCHING, QuestionKind.ORDERING})
TEACHER_GRADED_KINDS = frozenset({QuestionKind.OPEN_RESPONSE})
