"""Forms of the authoring studio. They check the shape of what was sent; the rules are the services'
(lessons.services.authoring), whose errors the views put back on these forms with `add_service_error`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lessons.models import (
    READING_AIDS,
    Actor,
    ActorKind,
    AidVisibility,
    Level,
    Source,
    Standing,
    Treaty,
    TreatyKind,
    TreatyStatus,
    Visibility,
)
from lessons.partial_dates import PARTIAL_DATE_FORMS, is_partial_date
from lessons.services.authoring import (
    LANGUAGE_TAG,
    MAX_ARTICLE_CHARACTERS,
    MAX_ESTIMATED_MINUTES,
    ArticleDetails,
    LessonSettings,
    article_paragraphs,
    resplit_paragraphs,
)
from lessons.services.lesson_documents import MAX_FILE_BYTES
from lessons.vocabulary import STANDING_DEFINITIONS

ORIGINAL = "original"
RETELLING = "retelling"


def paragraphs_of(lines: str) -> list[list[str]]:
    """The studio's sentence box: one sentence a line, a blank line between paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in lines.replace("\r\n", "\n").split("\n"):
        if line.strip():
            paragraphs[-1].append(" ".join(line.split()))
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


def lines_of(paragraphs: list[list[str]]) -> str:
    return "\n\n".join("\n".join(paragraph) for paragraph in paragraphs)


class ArticleForm(forms.Form):
    headline = forms.CharField(label=_("Headline"), max_length=300)
    source = forms.ModelChoiceField(
        label=_("Publisher"),
        queryset=Source.objects.order_by("name"),
        required=False,
        empty_label=_("— a publisher not listed —"),
    )
    new_source_name = forms.CharField(
        label=_("Or a new publisher"), max_length=200, required=False, help_text=_("For example “Reuters”.")
    )
    published_on = forms.CharField(
        label=_("Published on"),
        max_length=10,
        required=False,
        help_text=_("As much of the date as you know: %(forms)s.") % {"forms": PARTIAL_DATE_FORMS},
    )
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")
    report_kind = forms.ChoiceField(
        label=_("This article is"),
        choices=[
            (ORIGINAL, _("original reporting by its publisher")),
            (RETELLING, _("a retelling of another report")),
        ],
        widget=forms.RadioSelect,
        initial=ORIGINAL,
    )
    original_headline = forms.CharField(
        label=_("Headline of the report it retells"), max_length=300, required=False
    )
    rests_on = forms.CharField(
        label=_("What the report rests on"),
        max_length=300,
        required=False,
        help_text=_("For example “a Washington Post report citing US government documents”."),
    )

    def clean_published_on(self) -> str:
        value: str = self.cleaned_data["published_on"].strip()
        if value and not is_partial_date(value):
            raise forms.ValidationError(_("Give the date as %(forms)s.") % {"forms": PARTIAL_DATE_FORMS})
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not (data.get("new_source_name") or "").strip():
            self.add_error("source", _("Choose the publisher or name a new one."))
        if data.get("report_kind") == RETELLING and not (data.get("original_headline") or "").strip():
            self.add_error("original_headline", _("Give the headline of the report this article retells."))
        if data.get("report_kind") == ORIGINAL:
            data["original_headline"] = ""
        return data

    def details(self) -> ArticleDetails:
        data = self.cleaned_data
        return ArticleDetails(
            headline=data["headline"],
            source=data["source"],
            new_source_name=data["new_source_name"],
            published_on=data["published_on"],
            url=data["url"],
            original_headline=data["original_headline"],
            rests_on=data["rests_on"],
        )


class NewLessonForm(ArticleForm):
    """A new lesson from an article: first its details and pasted text, then its sentences."""

    title = forms.CharField(
        label=_("Lesson title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the headline."),
    )
    body = forms.CharField(
        label=_("The article’s text"),
        max_length=MAX_ARTICLE_CHARACTERS,
        required=False,
        help_text=_("Paste it here. A blank line between paragraphs."),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    sentences = forms.CharField(
        label=_("Sentences"),
        max_length=MAX_ARTICLE_CHARACTERS,
        required=False,
        help_text=_(
            "One sentence a line, a blank line between paragraphs. Join two lines to merge sentences; break "
            "a line to split one."
        ),
        widget=forms.Textarea(attrs={"rows": 20}),
    )

    field_order = ["title", "headline", "source", "new_source_name", "published_on", "url", "report_kind"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("body") or "").strip() and not (data.get("sentences") or "").strip():
            self.add_error("body", _("Paste the article’s text."))
        return data

    def split_body(self) -> str:
        """The pasted text cut into sentences, as the sentence box shows them."""
        return lines_of(article_paragraphs(self.cleaned_data["body"]))


class ArticleTextForm(ArticleForm):
    sentences = forms.CharField(
        label=_("Sentences"),
        max_length=MAX_ARTICLE_CHARACTERS,
        help_text=_(
            "One sentence a line, a blank line between paragraphs. Sentences you leave unchanged keep their "
            "ids, so the questions and claims that point at them still do."
        ),
        widget=forms.Textarea(attrs={"rows": 24}),
    )
    resplit = forms.BooleanField(
        label=_("Split long lines into sentences again"),
        required=False,
        help_text=_("For text pasted as whole paragraphs."),
    )

    def paragraphs(self) -> list[list[str]]:
        paragraphs = paragraphs_of(self.cleaned_data["sentences"])
        return resplit_paragraphs(paragraphs) if self.cleaned_data.get("resplit") else paragraphs


class SettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        help_text=_("Markdown. What a student reads first, before any question."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    sourcing_note = forms.CharField(
        label=_("Sourcing note"),
        required=False,
        help_text=_("Markdown. How sure the article’s claims are and who stands behind them."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        help_text=_("One a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    estimated_minutes = forms.IntegerField(
        label=_("Estimated minutes"), min_value=1, max_value=MAX_ESTIMATED_MINUTES
    )
    language = forms.RegexField(
        label=_("Content language"),
        regex=LANGUAGE_TAG,
        max_length=35,
        help_text=_("A language tag: en, es, pt-BR."),
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "sourcing_note": _("Sourcing note shown"),
            "provenance": _("Provenance line shown"),
            "actor_cards": _("Actor cards shown"),
            "treaty_cards": _("Treaty cards shown"),
        }
        for aid in READING_AIDS:
            self.fields[f"aid_{aid}"] = forms.ChoiceField(label=labels[aid], choices=AidVisibility.choices)

    def settings(self) -> LessonSettings:
        data = self.cleaned_data
        return LessonSettings(
            title=data["title"],
            introduction=data["introduction"],
            sourcing_note=data["sourcing_note"],
            objectives=data["objectives"].splitlines(),
            level=data["level"],
            estimated_minutes=data["estimated_minutes"],
            language=data["language"],
            visibility=data["visibility"],
            reading_aids={aid: data[f"aid_{aid}"] for aid in READING_AIDS},
        )


class CoAuthorForm(forms.Form):
    username = forms.CharField(
        label=_("Co-author’s username"),
        max_length=150,
        help_text=_("A teacher. They may edit and publish this lesson as you do."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class PickActorForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Actor from the shared list"), queryset=Actor.objects.order_by("name")
    )


class NewActorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActorKind.choices)
    role = forms.CharField(label=_("Role or title"), max_length=200, required=False)
    aliases = forms.CharField(
        label=_("Other names"), max_length=500, required=False, help_text=_("Separated by commas.")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActorNoteForm(forms.Form):
    role = forms.CharField(
        label=_("Role in this lesson"),
        max_length=200,
        required=False,
        help_text=_("Empty: the shared record’s role."),
    )
    description = forms.CharField(
        label=_("Description in this lesson"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PickTreatyForm(forms.Form):
    treaty = forms.ModelChoiceField(
        label=_("Agreement from the shared list"), queryset=Treaty.objects.order_by("name")
    )


class NewTreatyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    kind = forms.ChoiceField(label=_("Kind"), choices=TreatyKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=TreatyStatus.choices)
    signed_on = forms.CharField(
        label=_("Signed on"), max_length=10, required=False, help_text=str(PARTIAL_DATE_FORMS)
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TreatyNoteForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status in this lesson"),
        choices=[("", _("— as the shared record —")), *TreatyStatus.choices],
        required=False,
    )
    summary = forms.CharField(
        label=_("Summary in this lesson"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StandingSelect(forms.RadioSelect):
    """The standings, each with its definition beside it (lessons.vocabulary.STANDING_DEFINITIONS)."""

    option_template_name = "lessons/studio/_standing_option.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["definition"] = STANDING_DEFINITIONS.get(option["value"], "")
        return option


class ClaimForm(forms.Form):
    statement = forms.CharField(label=_("What the claim says"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.MultipleChoiceField(
        label=_("Sentences it rests on"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    asserted_by = forms.ModelChoiceField(
        label=_("Who asserts it"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("— not known —"),
    )
    via_1 = forms.ModelChoiceField(
        label=_("Reported by (outermost source)"), queryset=Source.objects.order_by("name"), required=False
    )
    via_2 = forms.ModelChoiceField(
        label=_("Citing"), queryset=Source.objects.order_by("name"), required=False
    )
    via_3 = forms.ModelChoiceField(
        label=_("Citing in turn"), queryset=Source.objects.order_by("name"), required=False
    )
    standing = forms.ChoiceField(label=_("Standing"), choices=Standing.choices, widget=StandingSelect)
    counter_claims = forms.MultipleChoiceField(
        label=_("Denied or answered by"), widget=forms.CheckboxSelectMultiple, choices=(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        sentences: list[tuple[str, str]],
        claims: list[tuple[str, str]],
        actors: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        evidence: Any = self.fields["evidence"]
        evidence.choices = sentences
        counters: Any = self.fields["counter_claims"]
        counters.choices = claims
        asserted: Any = self.fields["asserted_by"]
        asserted.queryset = actors


class LessonFileForm(forms.Form):
    file = forms.FileField(
        label=_("Lesson file"),
        help_text=_("A lesson file (JSON, as the Download link writes it), at most %(size)s KB.")
        % {"size": MAX_FILE_BYTES // 1000},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s KB.") % {"size": MAX_FILE_BYTES // 1000}
            )
        return upload.read(MAX_FILE_BYTES + 1)
