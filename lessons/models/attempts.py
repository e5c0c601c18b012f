"""Attempts at a lesson revision, the answers given in them, and the spaced-repetition review queue.

An attempt points at the revision it was taken on, and every response keeps the score it was graded with, so
a later edit of the lesson never changes a grade already given.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lessons.kinds import kind_choices, kind_names

from .choices import Focus
from .classroom import Assignment
from .quiz import Lesson, Revision


class AttemptState(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class Attempt(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="attempts"
    )
    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.PROTECT, related_name="attempts"
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.PROTECT, related_name="attempts"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
        help_text=_("Empty for self-study."),
    )
    graded_revision = models.ForeignKey(
        Revision,
        verbose_name=_("graded with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The revision whose key gave the scores, when a regrade changed it; else the revision."),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    state = models.CharField(
        _("state"), max_length=16, choices=AttemptState.choices, default=AttemptState.OPEN
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    earned = models.DecimalField(_("points earned"), max_digits=8, decimal_places=2, null=True, blank=True)
    possible = models.DecimalField(_("points possible"), max_digits=8, decimal_places=2, default=Decimal(0))
    is_late = models.BooleanField(_("late"), default=False)
    auto_submitted = models.BooleanField(_("submitted at the deadline"), default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=AttemptState.values), name="attempt_state_valid"),
            models.CheckConstraint(
                condition=Q(state=AttemptState.OPEN, submitted_at__isnull=True)
                | Q(state=AttemptState.SUBMITTED, submitted_at__isnull=False, earned__isnull=False),
                name="attempt_submitted_has_time_and_score",
            ),
            models.CheckConstraint(
                condition=Q(earned__isnull=True) | Q(earned__gte=0, earned__lte=models.F("possible")),
                name="attempt_earned_within_possible",
            ),
            # Self-study: one attempt in progress per learner and revision; a retry starts after submitting.
            models.UniqueConstraint(
                fields=["learner", "revision"],
                condition=Q(state=AttemptState.OPEN, assignment__isnull=True),
                name="attempt_one_open_per_learner_revision",
            ),
            # An assignment: one attempt in progress at a time, and attempt numbers never repeat.
            models.UniqueConstraint(
                fields=["learner", "assignment"],
                condition=Q(state=AttemptState.OPEN, assignment__isnull=False),
                name="attempt_one_open_per_learner_assignment",
            ),
            models.UniqueConstraint(
                fields=["learner", "assignment", "number"],
                condition=Q(assignment__isnull=False),
                name="attempt_number_unique_per_assignment",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
        ]
        indexes = [models.Index(fields=["learner", "lesson", "state"], name="attempt_learner_lesson")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.lesson} · {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.OPEN


class Response(models.Model):
    """One question's answer in an attempt, kept the moment it is given, with the score it got."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question_key = models.SlugField(_("question"), max_length=40)
    kind = models.CharField(_("kind"), max_length=24, choices=kind_choices())
    focus = models.CharField(_("focus"), max_length=16, choices=Focus.choices)
    answer = models.JSONField(_("answer"))
    evidence = models.JSONField(_("evidence"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("save sequence"), default=0)
    first_saved_at = models.DateTimeField(_("first saved"))
    seconds_to_answer = models.FloatField(
        _("seconds to answer"),
        null=True,
        blank=True,
        help_text=_("Time from the attempt's previous first answer (or its start) to this one."),
    )
    saved_at = models.DateTimeField(_("saved"))
    earned = models.DecimalField(_("points earned"), max_digits=8, decimal_places=2, null=True, blank=True)
    possible = models.DecimalField(_("points possible"), max_digits=8, decimal_places=2)
    correct = models.BooleanField(_("right"), default=False)
    parts = models.JSONField(_("score by part"), default=dict, blank=True)
    needs_teacher = models.BooleanField(_("needs a teacher"), default=False)
    # Teacher grading of open responses. `version` goes up with every grade so that two co-teachers grading
    # at once cannot overwrite each other unknowingly.
    criterion_scores = models.JSONField(_("points per rubric criterion"), default=dict, blank=True)
    teacher_comment = models.TextField(_("teacher's comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["attempt", "first_saved_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_key"], name="response_one_per_question"),
            models.CheckConstraint(condition=Q(kind__in=kind_names()), name="response_kind_valid"),
            models.CheckConstraint(condition=Q(focus__in=Focus.values), name="response_focus_valid"),
            models.CheckConstraint(
                condition=Q(earned__isnull=True) | Q(earned__gte=0, earned__lte=models.F("possible")),
                name="response_earned_within_possible",
            ),
            models.CheckConstraint(
                condition=Q(needs_teacher=True) | Q(earned__isnull=False),
                name="response_scored_unless_teacher_graded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_key}"


class ReviewResult(models.TextChoices):
    """How the last answer to a review item went (`lessons.services.attempts.review_result_of` decides)."""

    MISSED = "missed", _("Missed")
    PARTIAL = "partial", _("Partly right")
    RIGHT = "right", _("Right")


class ReviewItem(models.Model):
    """A question a learner missed or got partly right, scheduled for review by spaced repetition (FSRS)."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="review_items",
    )
    lesson = models.ForeignKey(Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="+")
    question_key = models.SlugField(_("question"), max_length=40)
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("revision"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The revision whose question is reviewed: the one last answered."),
    )
    card = models.JSONField(_("scheduling state"))
    due = models.DateTimeField(_("due"))
    reviews = models.PositiveIntegerField(_("reviews"), default=0)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    last_correct = models.BooleanField(_("last answer right"), default=False)
    last_result = models.CharField(
        _("last result"), max_length=8, choices=ReviewResult.choices, default=ReviewResult.MISSED
    )

    class Meta:
        ordering = ["due"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson", "question_key"], name="review_item_one_per_question"
            ),
        ]
        indexes = [models.Index(fields=["learner", "due"], name="review_item_learner_due")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.lesson} · {self.question_key}"


class Regrade(models.Model):
    """A teacher's explicit regrade of an assignment after a key was corrected: who, when, and why."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="regrades")
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="+", help_text=_("The revision graded against.")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"Regrade of {self.assignment} at {self.at:%Y-%m-%d %H:%M}"


class RegradeChange(models.Model):
    regrade = models.ForeignKey(Regrade, on_delete=models.CASCADE, related_name="changes")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="regrade_changes")
    old_earned = models.DecimalField(_("old score"), max_digits=8, decimal_places=2, null=True)
    new_earned = models.DecimalField(_("new score"), max_digits=8, decimal_places=2, null=True)

    class Meta:
        ordering = ["regrade", "attempt"]
        verbose_name = _("regrade change")
        verbose_name_plural = _("regrade changes")
        constraints = [
            models.UniqueConstraint(fields=["regrade", "attempt"], name="regrade_change_once_per_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.old_earned} → {self.new_earned}"
