"""Admin for lessons, their questions and answer keys, and the read-only published revisions."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lessons.models import AnswerKey, Lesson, Option, Question, Revision, RubricCriterion
from lessons.services import LessonFileError, lesson_publish
from lessons.services.errors import NotAllowed

from .content import SHORT_TEXT, EvidenceAdmin, shorten
from .forms import AnswerKeyForm, LessonAdminForm, QuestionAdminForm


class OwnedMaterialAdmin(admin.ModelAdmin):
    """Lesson material a teacher sees and edits here only when they own its lesson (DESIGN.md rule 12);
    superusers see everything. `owner_field` is the lookup from the model to the lesson's owner.

    Scoping the queryset makes another teacher's object unknown on every page (list, change, history,
    delete, actions, autocomplete); the object permissions say the same for any path that has the object.
    """

    owner_field = "owner"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.owner_field: request.user.pk})

    def owns(self, request: HttpRequest, obj: Any | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return bool(self.get_queryset(request).filter(pk=obj.pk).exists())

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_view_permission(request, obj) and self.owns(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_change_permission(request, obj) and self.owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self.owns(request, obj)


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("key", "position", "kind", "focus", "points", "prompt")
    ordering = ("position",)
    formfield_overrides = SHORT_TEXT
    show_change_link = True
    extra = 0


@admin.register(Lesson)
class LessonAdmin(OwnedMaterialAdmin):
    form = LessonAdminForm
    list_display = ("title", "status", "visibility", "level", "question_count", "revision_number")
    list_filter = ("status", "visibility", "level")
    list_select_related = ("published_revision",)
    search_fields = ("title", "slug", "introduction")
    autocomplete_fields = ("article", "owner", "actors", "treaties")
    prepopulated_fields = {"slug": ("title",)}
    ordering = ("title",)  # explicit: annotated querysets drop the model's default ordering
    readonly_fields = ("status", "published_revision", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "article", "owner")}),
        (
            _("Teaching"),
            {
                "fields": (
                    "introduction",
                    "sourcing_note",
                    "objectives",
                    "level",
                    "estimated_minutes",
                    "language",
                )
            },
        ),
        (
            _("When students see the reading aids"),
            {"fields": ("aid_sourcing_note", "aid_provenance", "aid_actor_cards", "aid_treaty_cards")},
        ),
        (_("Featured"), {"fields": ("actors", "treaties")}),
        (
            _("Publishing"),
            {
                "fields": ("visibility", "status", "published_revision", "created_at", "updated_at"),
                "description": _(
                    "Edits are not seen by students until the lesson is published again: use "
                    "“Publish selected lessons” on the list of lessons."
                ),
            },
        ),
    )
    inlines = (QuestionInline,)
    actions = ("publish_lessons",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Lesson]:
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    def get_readonly_fields(self, request: HttpRequest, obj: Lesson | None = None) -> Any:
        # Only a superuser hands a lesson to someone else.
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, "owner")

    @admin.display(description=_("questions"), ordering="question_total")
    def question_count(self, obj: Lesson) -> int:
        return int(getattr(obj, "question_total", 0))

    @admin.display(description=_("revision"), ordering="published_revision__number")
    def revision_number(self, obj: Lesson) -> int | None:
        return obj.published_revision.number if obj.published_revision is not None else None

    def save_model(self, request: HttpRequest, obj: Lesson, form: Any, change: bool) -> None:
        if not change and obj.owner_id is None and isinstance(request.user, User):
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish selected lessons"), permissions=["change"])
    def publish_lessons(self, request: HttpRequest, queryset: QuerySet[Lesson]) -> None:
        user = request.user if isinstance(request.user, User) else None
        published = 0
        for lesson in queryset.order_by("title"):
            if not self.has_change_permission(request, lesson):
                continue  # the queryset is scoped already; this says so where the lesson is in hand
            missing = list(
                lesson.questions.filter(answer_key__isnull=True)
                .order_by("position")
                .values_list("key", flat=True)
            )
            if missing:
                self.message_user(
                    request,
                    _("“%(lesson)s” was not published: question %(questions)s has no answer key.")
                    % {"lesson": lesson, "questions": ", ".join(missing)},
                    messages.ERROR,
                )
                continue
            before = lesson.published_revision_id
            try:
                revision = lesson_publish(lesson=lesson, by=user)
            except (LessonFileError, NotAllowed) as error:
                self.message_user(
                    request,
                    _("“%(lesson)s” was not published: %(error)s") % {"lesson": lesson, "error": error},
                    messages.ERROR,
                )
                continue
            published += 1
            if revision.pk == before:
                self.message_user(
                    request,
                    _("“%(lesson)s” is unchanged; revision %(number)s stays published.")
                    % {"lesson": lesson, "number": revision.number},
                    messages.INFO,
                )
            else:
                self.message_user(
                    request,
                    _("“%(lesson)s” is published as revision %(number)s.")
                    % {"lesson": lesson, "number": revision.number},
                    messages.SUCCESS,
                )
        if published > 1:
            self.message_user(
                request,
                ngettext("%(count)d lesson published.", "%(count)d lessons published.", published)
                % {"count": published},
                messages.SUCCESS,
            )


class OptionInline(admin.TabularInline):
    model = Option
    fields = ("key", "group", "position", "text")
    ordering = ("position",)
    extra = 0


class AnswerKeyInline(admin.StackedInline):
    model = AnswerKey
    form = AnswerKeyForm
    fields = (
        "explanation",
        "correct",
        "option_feedback",
        "accepted",
        "typo_tolerance",
        "near_misses",
        "model_answer",
    )
    min_num = 1
    max_num = 1
    extra = 0
    can_delete = False


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    fields = ("key", "position", "criterion", "points")
    ordering = ("position",)
    formfield_overrides = SHORT_TEXT
    extra = 0


@admin.register(Question)
class QuestionAdmin(OwnedMaterialAdmin, EvidenceAdmin):
    form = QuestionAdminForm
    list_display = ("key", "lesson", "position", "kind", "focus", "points", "short_prompt")
    list_filter = ("kind", "focus", "lesson")
    list_select_related = ("lesson",)
    search_fields = ("key", "prompt", "lesson__title", "lesson__slug")
    autocomplete_fields = ("lesson", "actors", "treaties", "claims")
    filter_horizontal = ("evidence",)
    ordering = ("lesson", "position")
    fieldsets = (
        (None, {"fields": ("lesson", "key", "position", "kind", "focus", "points", "evidence_part")}),
        (None, {"fields": ("prompt",)}),
        (_("What it is about"), {"fields": ("actors", "treaties", "claims", "evidence")}),
    )
    inlines = (OptionInline, AnswerKeyInline, RubricCriterionInline)
    owner_field = "lesson__owner"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A question is added only to a lesson of one's own.
        if db_field.name == "lesson" and not request.user.is_superuser:
            kwargs["queryset"] = Lesson.objects.filter(owner=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("prompt"))
    def short_prompt(self, obj: Question) -> str:
        return shorten(obj.prompt, 60)


@admin.register(Revision)
class RevisionAdmin(OwnedMaterialAdmin):
    """Published revisions are immutable: they can be looked at, never added, changed or deleted here."""

    owner_field = "lesson__owner"

    list_display = ("lesson", "number", "published_at", "published_by", "short_digest")
    list_filter = ("lesson",)
    list_select_related = ("lesson", "published_by")
    search_fields = ("lesson__title", "lesson__slug", "content_sha256")
    date_hierarchy = "published_at"
    fields = ("lesson", "number", "published_at", "published_by", "content_sha256", "pretty_content")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Revision | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Revision | None = None) -> bool:
        return False

    @admin.display(description=_("content digest"), ordering="content_sha256")
    def short_digest(self, obj: Revision) -> str:
        return obj.content_sha256[:12]

    @admin.display(description=_("content"))
    def pretty_content(self, obj: Revision) -> SafeString:
        text = json.dumps(obj.content, indent=2, ensure_ascii=False, sort_keys=False)
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 60em; overflow: auto;">{}</pre>', escape(text)
        )
