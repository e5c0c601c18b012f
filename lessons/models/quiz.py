"""Lessons, their questions and answer keys, and the immutable revisions publishing freezes.

What a student may see (Question, Option) is stored apart from what only the teacher sees (AnswerKey,
RubricCriterion), so the key never travels with a question by accident.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lessons.content_types import LessonContent
from lessons.kinds import kind_choices, kind_names, kinds_without_evidence_part

from .choices import (
    READING_AIDS,
    AidVisibility,
    Focus,
    LessonStatus,
    Level,
    OptionGroup,
    TreatyStatus,
    Visibility,
)
from .content import Actor, Article, Claim, Sentence, Treaty


class Lesson(models.Model):
    slug = models.SlugField(_("id"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="lessons"
    )
    introduction = models.TextField(
        _("introduction"), help_text=_("Markdown. What a student reads first, before any question.")
    )
    sourcing_note = models.TextField(
        _("sourcing note"),
        blank=True,
        help_text=_(
            "Markdown. How sure the article's claims are and who stands behind them: shown when the "
            "sourcing note's timing allows."
        ),
    )
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.INTERMEDIATE)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=20)
    language = models.CharField(
        _("content language"),
        max_length=35,
        default="en",
        help_text=_(
            "The language the article, introduction and questions are written in (a language tag: en, es, "
            "pt-BR), so that screen readers pronounce them right whatever language the site is shown in."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LessonStatus.choices, default=LessonStatus.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # When each reading aid appears to a student (an assignment may choose otherwise).
    aid_sourcing_note = models.CharField(
        _("sourcing note shown"),
        max_length=16,
        choices=AidVisibility.choices,
        default=AidVisibility.AFTER_DEPENDENT,
    )
    aid_provenance = models.CharField(
        _("provenance line shown"),
        max_length=16,
        choices=AidVisibility.choices,
        default=AidVisibility.AFTER_DEPENDENT,
    )
    aid_actor_cards = models.CharField(
        _("actor cards shown"),
        max_length=16,
        choices=AidVisibility.choices,
        default=AidVisibility.AFTER_DEPENDENT,
    )
    aid_treaty_cards = models.CharField(
        _("treaty cards shown"),
        max_length=16,
        choices=AidVisibility.choices,
        default=AidVisibility.AFTER_DEPENDENT,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-authors"),
        blank=True,
        related_name="co_authored_lessons",
        help_text=_("Teachers who may edit and publish this lesson besides its owner."),
    )
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("An archived lesson leaves the catalogue; assignments of it keep working."),
    )
    actors = models.ManyToManyField(Actor, verbose_name=_("actors"), blank=True, related_name="lessons")
    treaties = models.ManyToManyField(Treaty, verbose_name=_("treaties"), blank=True, related_name="lessons")
    published_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("published revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=Level.values), name="lesson_level_valid"),
            models.CheckConstraint(condition=Q(status__in=LessonStatus.values), name="lesson_status_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="lesson_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(estimated_minutes__gte=1), name="lesson_minutes_positive"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"aid_{aid}__in": AidVisibility.values}), name=f"lesson_aid_{aid}_valid"
                )
                for aid in READING_AIDS
            ),
            models.CheckConstraint(
                condition=Q(status=LessonStatus.DRAFT) | Q(published_revision__isnull=False),
                name="lesson_published_has_revision",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(archived_at__gte=models.F("created_at")),
                name="lesson_archived_after_created",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LessonActorNote(models.Model):
    """What one lesson says of a shared actor (DESIGN.md rule 10): its role at the time and a description,
    in place of the shared record's. None keeps the shared record's value."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="actor_notes")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="lesson_notes")
    # Null (the shared record's value) differs from empty (this lesson says nothing): hence null=True.
    role = models.CharField(  # noqa: DJ001
        _("role or title in this lesson"), max_length=200, null=True, blank=True
    )
    description = models.TextField(_("description in this lesson"), null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["lesson", "actor"]
        verbose_name = _("what a lesson says of an actor")
        verbose_name_plural = _("what lessons say of actors")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "actor"], name="lesson_actor_note_unique"),
            models.CheckConstraint(
                condition=Q(role__isnull=False) | Q(description__isnull=False),
                name="lesson_actor_note_says_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}: {self.actor_id}"


class LessonTreatyNote(models.Model):
    """What one lesson says of a shared treaty: its status and summary as the lesson tells them. None keeps
    the shared record's value."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="treaty_notes")
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="lesson_notes")
    # Null (the shared record's value) differs from empty (this lesson says nothing): hence null=True.
    status = models.CharField(  # noqa: DJ001
        _("status in this lesson"), max_length=16, choices=TreatyStatus.choices, null=True, blank=True
    )
    summary = models.TextField(_("summary in this lesson"), null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["lesson", "treaty"]
        verbose_name = _("what a lesson says of a treaty")
        verbose_name_plural = _("what lessons say of treaties")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "treaty"], name="lesson_treaty_note_unique"),
            models.CheckConstraint(
                condition=Q(status__isnull=False) | Q(summary__isnull=False),
                name="lesson_treaty_note_says_something",
            ),
            models.CheckConstraint(
                condition=Q(status__isnull=True) | Q(status__in=TreatyStatus.values),
                name="lesson_treaty_note_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}: {self.treaty_id}"


class Question(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("id"), max_length=40)
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=24, choices=kind_choices())
    focus = models.CharField(_("focus"), max_length=16, choices=Focus.choices)
    prompt = models.TextField(_("prompt"), help_text=_("Markdown."))
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    evidence_part = models.PositiveSmallIntegerField(
        _("evidence part points"),
        default=0,
        help_text=_("Points for a second part asking for the supporting sentences; 0 for none."),
    )
    actors = models.ManyToManyField(Actor, verbose_name=_("actors"), blank=True, related_name="questions")
    treaties = models.ManyToManyField(
        Treaty, verbose_name=_("treaties"), blank=True, related_name="questions"
    )
    claims = models.ManyToManyField(Claim, verbose_name=_("claims"), blank=True, related_name="questions")
    evidence = models.ManyToManyField(
        Sentence, verbose_name=_("evidence sentences"), related_name="questions"
    )

    class Meta:
        ordering = ["lesson", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="question_key_unique_in_lesson"),
            models.UniqueConstraint(fields=["lesson", "position"], name="question_position_unique_in_lesson"),
            models.CheckConstraint(condition=Q(kind__in=kind_names()), name="question_kind_valid"),
            models.CheckConstraint(condition=Q(focus__in=Focus.values), name="question_focus_valid"),
            models.CheckConstraint(condition=Q(points__gte=1), name="question_points_positive"),
            models.CheckConstraint(
                condition=Q(evidence_part=0) | ~Q(kind__in=kinds_without_evidence_part()),
                name="question_evidence_part_only_for_closed_kinds",
            ),
            models.CheckConstraint(condition=~Q(prompt=""), name="question_prompt_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_kind_display()}): {self.prompt[:60]}"


class Option(models.Model):
    """A choice, an item to match or put in order, or a choice in an option group, as a student sees it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("id"), max_length=40)
    group = models.CharField(
        _("group"), max_length=16, choices=OptionGroup.choices, default=OptionGroup.CHOICE
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=500)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_unique_in_question"),
            models.UniqueConstraint(
                fields=["question", "position"], name="option_position_unique_in_question"
            ),
            models.CheckConstraint(condition=Q(group__in=OptionGroup.values), name="option_group_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="option_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text}"


class AnswerKey(models.Model):
    """The teacher's answer: never shown to a student before the policy allows."""

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, primary_key=True, related_name="answer_key"
    )
    explanation = models.TextField(_("explanation"), help_text=_("Markdown."))
    correct: models.JSONField[Any, Any] = models.JSONField(_("correct answer"), null=True, blank=True)
    option_feedback = models.JSONField(_("feedback per option"), default=dict, blank=True)
    accepted = models.JSONField(_("accepted answers"), default=list, blank=True)
    typo_tolerance = models.PositiveSmallIntegerField(_("typos forgiven"), default=0)
    near_misses = models.JSONField(
        _("near misses"),
        default=list,
        blank=True,
        help_text=_('Short answer: answers that are always wrong, each {"text": …, "feedback": …}.'),
    )
    model_answer = models.TextField(_("model answer"), blank=True, help_text=_("Markdown."))

    class Meta:
        verbose_name = _("answer key")
        verbose_name_plural = _("answer keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(typo_tolerance__lte=3), name="answer_key_typo_tolerance_small"
            ),
            models.CheckConstraint(condition=~Q(explanation=""), name="answer_key_explanation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Key of {self.question.key}"

    def clean(self) -> None:
        misses = self.near_misses
        if not isinstance(misses, list) or not all(
            isinstance(miss, dict)
            and set(miss) == {"text", "feedback"}
            and isinstance(miss["text"], str)
            and miss["text"].strip()
            and isinstance(miss["feedback"], str)
            for miss in misses
        ):
            raise ValidationError(
                {"near_misses": _('Near misses must be a list of {"text": …, "feedback": …} with text.')}
            )


class RubricCriterion(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rubric")
    key = models.SlugField(_("id"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    criterion = models.TextField(_("criterion"))
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric")
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="rubric_key_unique_in_question"),
            models.UniqueConstraint(
                fields=["question", "position"], name="rubric_position_unique_in_question"
            ),
            models.CheckConstraint(condition=Q(points__gte=1), name="rubric_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion[:60]} ({self.points})"


class ImmutableRevisionError(Exception):
    """A published revision was about to change."""


class RevisionQuerySet(models.QuerySet["Revision"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableRevisionError("Published revisions cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError("Published revisions cannot be deleted.")


class Revision(models.Model):
    """A frozen copy of a lesson as published: article, entities, questions and keys.

    Attempts and assignments point here, so editing the lesson never changes a grade already given. The
    content is the lesson file format (see fixtures/README.md); `content_sha256` proves it unchanged.
    """

    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    content_sha256 = models.CharField(_("content digest"), max_length=64)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "-number"]
        get_latest_by = "number"
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "number"], name="revision_number_unique_in_lesson"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson} — revision {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRevisionError("Published revisions cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRevisionError("Published revisions cannot be deleted.")

    @property
    def document(self) -> LessonContent:
        """The frozen lesson, read through its types (``lessons.content_types``)."""
        return cast(LessonContent, self.content)
