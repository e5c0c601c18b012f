"""Public pages: the catalogue of published lessons and a lesson as a student sees it before answering."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons import selectors
from lessons.models import Focus, Level
from lessons.selectors.catalog import MAX_QUERY_LENGTH, catalog_page, due_review_count
from lessons.selectors.reading_aids import lesson_page_aids
from lessons.vocabulary import STANDING_RULE

from .player import labels


class CatalogSearchForm(forms.Form):
    """The catalogue's search box and filters, read from the query string (works without JavaScript)."""

    q = forms.CharField(
        label=_("Search lessons"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Words from a title or introduction, or the name of an actor or a treaty."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    focus = forms.ChoiceField(
        label=_("Focus"), required=False, choices=[("", _("Any focus")), *Focus.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level")), *Level.choices]
    )


def home(request: HttpRequest) -> HttpResponse:
    form = CatalogSearchForm(request.GET)
    form.is_valid()  # a bad filter value is reported beside its control and ignored
    criteria = {name: form.cleaned_data.get(name) or "" for name in ("q", "focus", "level")}
    catalogue = catalog_page(
        request.user,
        query=criteria["q"],
        focus=criteria["focus"],
        level=criteria["level"],
        number=request.GET.get("page"),
    )
    context = {
        "form": form,
        "entries": catalogue.entries,
        "page_obj": catalogue.page,
        "filtered": any(criteria.values()),
        "due_count": due_review_count(request.user, timezone.now()),
    }
    return render(request, "lessons/home.html", context)


def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    revision = selectors.published_revision_for(request.user, slug=slug)
    if revision is None:
        raise Http404(_("No such lesson."))
    context = {
        "lesson": revision.lesson,
        "page": selectors.student_view_of(revision),
        # Before any attempt: only the reading aids that wait for nothing (DESIGN.md rule 9).
        "aids": lesson_page_aids(revision.document),
        **labels(),
    }
    return render(request, "lessons/lesson_detail.html", context)


def standings(request: HttpRequest) -> HttpResponse:
    """The glossary of a claim's standings, each with its one definition; public, like the catalogue."""
    context = {"glossary": selectors.standings_glossary(), "standing_rule": STANDING_RULE}
    return render(request, "lessons/standings.html", context)
