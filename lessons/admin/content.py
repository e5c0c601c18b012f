"""Admin for what stories are made of: sources, actors, treaties, articles, sentences and claims."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lessons.models import Actor, Article, Claim, ClaimSource, Lesson, Sentence, Source, Treaty, TreatyParty

from .forms import ActorAdminForm, ClaimAdminForm, SentenceChoiceField

URL_HTTPS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}
SHORT_TEXT: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}
}


def shorten(text: str, length: int = 80) -> str:
    return text if len(text) <= length else f"{text[: length - 1]}…"


class SharedRecordAdmin(admin.ModelAdmin):
    """Sources, actors and treaties are shared by every lesson that features them (DESIGN.md rule 10): a site
    administrator (a superuser) changes or deletes one; anyone else with access sees them and may add one.
    What one lesson says of a shared record is that lesson's own (studio, "Actors & treaties")."""

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


@admin.register(Source)
class SourceAdmin(SharedRecordAdmin):
    list_display = ("name", "slug", "kind", "actor", "url")
    list_filter = ("kind",)
    list_select_related = ("actor",)
    search_fields = ("name", "slug", "description")
    autocomplete_fields = ("actor",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "url", "actor", "description")
    formfield_overrides = URL_HTTPS


@admin.register(Actor)
class ActorAdmin(SharedRecordAdmin):
    form = ActorAdminForm
    list_display = ("name", "kind", "role", "affiliation", "alias_list")
    list_filter = ("kind",)
    list_select_related = ("affiliation",)
    search_fields = ("name", "slug", "aliases", "role")
    search_help_text = _("Search by name, alias, id or role.")
    autocomplete_fields = ("affiliation",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "aliases", "role", "affiliation", "description", "outside_facts")

    @admin.display(description=_("aliases"))
    def alias_list(self, obj: Actor) -> str:
        return ", ".join(str(alias) for alias in obj.aliases)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Actor], search_term: str
    ) -> tuple[QuerySet[Actor], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Aliases are stored as JSON; where the database keeps them \u-escaped (SQLite), an accented
        # search term only matches its escaped spelling.
        term = search_term.strip()
        escaped = json.dumps(term)[1:-1]
        if term and escaped != term:
            results = results | queryset.filter(aliases__icontains=escaped)
        return results, may_have_duplicates


class TreatyPartyInline(admin.TabularInline):
    model = TreatyParty
    fields = ("actor", "position", "ratification", "ratified_on")
    autocomplete_fields = ("actor",)
    ordering = ("position",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[TreatyParty]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Treaty)
class TreatyAdmin(SharedRecordAdmin):
    list_display = ("name", "kind", "status", "signed_on", "party_count")
    list_filter = ("kind", "status")
    search_fields = ("name", "slug", "summary")
    ordering = ("name",)  # explicit: annotated querysets drop the model's default ordering
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "status", "signed_on", "summary", "outside_facts")
    inlines = (TreatyPartyInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Treaty]:
        return super().get_queryset(request).annotate(party_total=Count("party_links"))

    @admin.display(description=_("parties"), ordering="party_total")
    def party_count(self, obj: Treaty) -> int:
        return int(getattr(obj, "party_total", 0))


class SentenceInline(admin.TabularInline):
    model = Sentence
    fields = ("key", "paragraph", "position", "text")
    ordering = ("position",)
    formfield_overrides = SHORT_TEXT
    extra = 0


class ClaimListingInline(admin.TabularInline):
    """The claims the article reports, listed; each is edited on its own page."""

    model = Claim
    fields = ("key", "statement", "asserted_by", "standing")
    readonly_fields = ("key", "statement", "asserted_by", "standing")
    show_change_link = True
    can_delete = False
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("asserted_by")


class ArticleMaterialAdmin(admin.ModelAdmin):
    """An article (or a sentence or claim of it) is public reading and stays visible to every teacher here,
    but only a superuser changes or deletes one that another teacher's lesson is built on (DESIGN.md
    rule 12). `article_field` leads from the model to its article ("" for the article itself)."""

    article_field = "article"

    def _used_by_others(self, request: HttpRequest, obj: Any | None) -> bool:
        if obj is None or request.user.is_superuser:
            return False
        article_id = obj.pk if not self.article_field else getattr(obj, f"{self.article_field}_id")
        others = Lesson.objects.filter(article_id=article_id).exclude(owner_id=request.user.pk)
        return bool(others.exists())

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_change_permission(request, obj) and not self._used_by_others(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._used_by_others(request, obj)


@admin.register(Article)
class ArticleAdmin(ArticleMaterialAdmin):
    list_display = ("headline", "source", "published_on", "sentence_count", "lesson_count")
    list_filter = ("source__kind",)
    list_select_related = ("source",)
    search_fields = ("headline", "original_headline", "rests_on", "url")
    autocomplete_fields = ("source", "cites")
    ordering = ("headline",)  # explicit: annotated querysets drop the model's default ordering
    formfield_overrides = URL_HTTPS
    readonly_fields = ("add_claim_link",)
    fieldsets = (
        (None, {"fields": ("headline", "source", "published_on", "url")}),
        (_("What it retells"), {"fields": ("original_headline", "rests_on", "cites")}),
        (_("Claims"), {"fields": ("add_claim_link",)}),
    )
    inlines = (SentenceInline, ClaimListingInline)
    article_field = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                sentence_total=Count("sentences", distinct=True),
                lesson_total=Count("lessons", distinct=True),
            )
        )

    @admin.display(description=_("sentences"), ordering="sentence_total")
    def sentence_count(self, obj: Article) -> int:
        return int(getattr(obj, "sentence_total", 0))

    @admin.display(description=_("lessons"), ordering="lesson_total")
    def lesson_count(self, obj: Article) -> int:
        return int(getattr(obj, "lesson_total", 0))

    @admin.display(description=_("new claim"))
    def add_claim_link(self, obj: Article) -> SafeString | str:
        if obj.pk is None:
            return _("Save the article first, then add the claims it reports.")
        url = reverse("admin:lessons_claim_add") + f"?article={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Add a claim this article reports"))


@admin.register(Sentence)
class SentenceAdmin(ArticleMaterialAdmin):
    list_display = ("key", "article", "paragraph", "position", "short_text")
    list_filter = (("article", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("article",)
    search_fields = ("key", "text", "article__headline")
    autocomplete_fields = ("article",)
    ordering = ("article", "position")
    fields = ("article", "key", "paragraph", "position", "text")

    @admin.display(description=_("text"))
    def short_text(self, obj: Sentence) -> str:
        return shorten(obj.text)


class EvidenceAdmin(admin.ModelAdmin):
    """An admin whose `evidence` field picks sentences, labelled with their article until the form narrows
    them to the one article the object belongs to."""

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "evidence":
            kwargs["form_class"] = SentenceChoiceField
            kwargs.setdefault(
                "queryset", Sentence.objects.select_related("article").order_by("article", "position")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ClaimSourceInline(admin.TabularInline):
    model = ClaimSource
    fields = ("position", "source")
    autocomplete_fields = ("source",)
    ordering = ("position",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimSource]:
        return super().get_queryset(request).select_related("source")


@admin.register(Claim)
class ClaimAdmin(ArticleMaterialAdmin, EvidenceAdmin):
    form = ClaimAdminForm
    list_display = ("short_statement", "key", "article", "asserted_by", "standing")
    list_filter = ("standing",)
    list_select_related = ("article", "asserted_by")
    search_fields = ("key", "statement", "note", "article__headline", "asserted_by__name")
    autocomplete_fields = ("article", "asserted_by")
    filter_horizontal = ("evidence", "counter_claims")
    fields = ("article", "key", "statement", "asserted_by", "standing", "evidence", "counter_claims", "note")
    inlines = (ClaimSourceInline,)

    @admin.display(description=_("statement"), ordering="statement")
    def short_statement(self, obj: Claim) -> str:
        return shorten(obj.statement)
