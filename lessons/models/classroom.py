"""Classes, who teaches and who is enrolled in them, and the lesson revisions assigned to them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import READING_AIDS, AidVisibility
from .quiz import Lesson, Revision

TEACHERS_GROUP = "Teachers"
MAX_TIME_MULTIPLIER = 4
MAX_EXTRA_MINUTES = 24 * 60


class Classroom(models.Model):
    name = models.CharField(_("name"), max_length=120)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("teachers"), related_name="taught_classrooms"
    )
    join_code = models.CharField(
        _("join code"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Students join with this code; empty when joining by code is switched off."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="classroom_name_not_empty"),
            models.CheckConstraint(
                condition=Q(join_code__isnull=True) | Q(join_code__regex=r"^[A-Z2-9]{6,12}$"),
                name="classroom_join_code_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # A standing accommodation (an IEP or 504 plan's "time and a half"): every time limit of the class's
    # assignments is multiplied by this for the student.
    time_multiplier = models.DecimalField(
        _("extra time (time limits multiplied by)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(1),
        help_text=_("1 for none; 1.5 for time and a half; 2 for double time; at most 4."),
    )

    class Meta:
        ordering = ["classroom", "student__username"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="enrollment_once_per_class"),
            models.CheckConstraint(
                condition=Q(time_multiplier__gte=1, time_multiplier__lte=MAX_TIME_MULTIPLIER),
                name="enrollment_time_multiplier_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class FeedbackRelease(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately after each answer")
    AFTER_SUBMIT = "after_submit", _("After submitting")
    AFTER_DUE = "after_due", _("After the due date")
    MANUAL = "manual", _("When the teacher releases them")


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", _("Refused after the due date")
    ACCEPT = "accept", _("Accepted and marked late")


class Assignment(models.Model):
    """A published lesson revision given to a class, with its dates and rules."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="assignments")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="assignments")
    opens_at = models.DateTimeField(_("opens"))
    due_at = models.DateTimeField(_("due"))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    feedback_release = models.CharField(
        _("feedback and answers released"),
        max_length=16,
        choices=FeedbackRelease.choices,
        default=FeedbackRelease.AFTER_SUBMIT,
    )
    released_at = models.DateTimeField(_("released by the teacher"), null=True, blank=True)
    late_policy = models.CharField(
        _("late work"), max_length=16, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    # When each reading aid appears to the class; null: as the lesson chooses (not a choice of its own,
    # hence null rather than "").
    aid_sourcing_note = models.CharField(  # noqa: DJ001
        _("sourcing note shown"), max_length=16, choices=AidVisibility.choices, null=True, blank=True
    )
    aid_provenance = models.CharField(  # noqa: DJ001
        _("provenance line shown"), max_length=16, choices=AidVisibility.choices, null=True, blank=True
    )
    aid_actor_cards = models.CharField(  # noqa: DJ001
        _("actor cards shown"), max_length=16, choices=AidVisibility.choices, null=True, blank=True
    )
    aid_treaty_cards = models.CharField(  # noqa: DJ001
        _("treaty cards shown"), max_length=16, choices=AidVisibility.choices, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["classroom", "due_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=F("opens_at")), name="assignment_due_after_opening"
            ),
            models.CheckConstraint(condition=Q(attempts_allowed__gte=1), name="assignment_attempts_positive"),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True) | Q(time_limit_minutes__gte=1),
                name="assignment_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(feedback_release__in=FeedbackRelease.values),
                name="assignment_feedback_release_valid",
            ),
            models.CheckConstraint(
                condition=Q(late_policy__in=LatePolicy.values), name="assignment_late_valid"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"aid_{aid}__isnull": True})
                    | Q(**{f"aid_{aid}__in": AidVisibility.values}),
                    name=f"assignment_aid_{aid}_valid",
                )
                for aid in READING_AIDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson} → {self.classroom}"


class Extension(models.Model):
    """One student's own terms for one assignment, granted by a teacher: a later due date, extra minutes on
    its time limit (on top of the student's standing extra time), or both."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(_("own due date"), null=True, blank=True)
    extra_minutes = models.PositiveSmallIntegerField(_("extra minutes on the time limit"), default=0)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"))

    class Meta:
        ordering = ["assignment", "student"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student"], name="extension_once_per_student"),
            models.CheckConstraint(
                condition=Q(extra_minutes__gte=0, extra_minutes__lte=MAX_EXTRA_MINUTES),
                name="extension_extra_minutes_in_range",
            ),
            # An extension that changes nothing is no extension: it is withdrawn instead.
            models.CheckConstraint(
                condition=Q(due_at__isnull=False) | Q(extra_minutes__gt=0), name="extension_changes_something"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.assignment}"
