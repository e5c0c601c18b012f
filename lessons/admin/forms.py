"""Form pieces for the admin: one-per-line lists, and evidence scoped to the article being edited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lessons.kinds import all_kinds
from lessons.models import Actor, AnswerKey, Article, Claim, Lesson, Question, Sentence
from lessons.vocabulary import STANDING_DEFINITIONS, STANDING_RULE, Standing


class LinesField(forms.Field):
    """A list of strings edited as text, one per line, instead of as raw JSON."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any | None) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return [str(item).strip() for item in value if str(item).strip()]
        return [line.strip() for line in str(value).splitlines() if line.strip()]


class SentenceChoiceField(forms.ModelMultipleChoiceField):
    """Evidence sentences; labelled with their article when sentences of several articles are offered."""

    show_article = True

    def label_from_instance(self, obj: Any) -> str:
        if self.show_article:
            return f"{obj.article.headline[:50]} · {obj}"
        return str(obj)


def _scope_sentences(form: forms.BaseForm, field_name: str, article_id: Any) -> None:
    """Offer only the sentences of one article, once the article is known."""
    field = form.fields.get(field_name)
    if field is None or not article_id:
        return
    if isinstance(field, forms.ModelMultipleChoiceField):
        field.queryset = Sentence.objects.filter(article_id=article_id).order_by("position")
    if isinstance(field, SentenceChoiceField):
        field.show_article = False


def _as_pk(value: Any) -> int | None:
    """A primary key from an instance or from a query-string value such as ``?article=3``."""
    if value is None or value == "":
        return None
    if isinstance(value, Article | Lesson):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ActorAdminForm(forms.ModelForm):
    aliases = LinesField(
        label=_("aliases"), required=False, help_text=_("Other names the actor goes by, one per line.")
    )

    class Meta:
        model = Actor
        fields = ("name", "slug", "kind", "aliases", "role", "affiliation", "description")


class LessonAdminForm(forms.ModelForm):
    objectives = LinesField(label=_("objectives"), required=False, help_text=_("One objective per line."))

    class Meta:
        model = Lesson
        fields = (
            "title",
            "slug",
            "article",
            "owner",
            "introduction",
            "sourcing_note",
            "objectives",
            "level",
            "estimated_minutes",
            "visibility",
            "aid_sourcing_note",
            "aid_provenance",
            "aid_actor_cards",
            "aid_treaty_cards",
            "actors",
            "treaties",
        )


def _correct_help() -> str:
    """What `correct` holds, kind by kind, as each kind describes its key."""
    kinds = "; ".join(str(kind.key_help) for kind in all_kinds())
    return gettext("JSON, by kind of question: %(kinds)s.") % {"kinds": kinds}


class AnswerKeyForm(forms.ModelForm):
    accepted = LinesField(
        label=_("accepted answers"),
        required=False,
        help_text=_("Short answer: every answer to accept, one per line (case and accents are ignored)."),
    )

    class Meta:
        model = AnswerKey
        fields = (
            "explanation",
            "correct",
            "option_feedback",
            "accepted",
            "typo_tolerance",
            "near_misses",
            "model_answer",
        )
        help_texts = {
            "correct": lazy(_correct_help, str)(),
            "option_feedback": _(
                'JSON object: option id → feedback, e.g. {"b": "Not quite: …"}; '
                "the ids are true and false for a true-or-false question."
            ),
        }


def _standing_help() -> str:
    """Each standing with its one definition (the glossary students read), for whoever sets a claim's."""
    lines = [f"{standing.label}: {STANDING_DEFINITIONS[standing]}" for standing in Standing]
    return " ".join([*lines, str(STANDING_RULE)])


class ClaimAdminForm(forms.ModelForm):
    """Evidence and counter-claims come from the claim's own article."""

    class Meta:
        model = Claim
        fields = (
            "article",
            "key",
            "statement",
            "asserted_by",
            "standing",
            "evidence",
            "counter_claims",
            "note",
        )
        help_texts = {"standing": lazy(_standing_help, str)()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        article_id = self.instance.article_id or _as_pk(self.initial.get("article"))
        _scope_sentences(self, "evidence", article_id)
        counter_claims = self.fields.get("counter_claims")
        if article_id and isinstance(counter_claims, forms.ModelMultipleChoiceField):
            others = Claim.objects.filter(article_id=article_id)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            counter_claims.queryset = others

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        article = cleaned.get("article")
        if article is None:
            return cleaned
        evidence = cleaned.get("evidence") or []
        if any(sentence.article_id != article.pk for sentence in evidence):
            self.add_error("evidence", _("Evidence must be sentences of the claim's own article."))
        counter_claims = cleaned.get("counter_claims") or []
        if any(other.article_id != article.pk for other in counter_claims):
            self.add_error("counter_claims", _("Counter-claims must be claims of the same article."))
        if self.instance.pk and any(other.pk == self.instance.pk for other in counter_claims):
            self.add_error("counter_claims", _("A claim cannot answer itself."))
        return cleaned


class QuestionAdminForm(forms.ModelForm):
    """Evidence sentences and claims come from the article of the question's lesson."""

    class Meta:
        model = Question
        fields = (
            "lesson",
            "key",
            "position",
            "kind",
            "focus",
            "points",
            "evidence_part",
            "prompt",
            "actors",
            "treaties",
            "claims",
            "evidence",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        article_id: int | None = None
        if self.instance.lesson_id:
            article_id = self.instance.lesson.article_id
        elif (lesson_id := _as_pk(self.initial.get("lesson"))) is not None:
            article_id = Lesson.objects.filter(pk=lesson_id).values_list("article_id", flat=True).first()
        _scope_sentences(self, "evidence", article_id)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lesson = cleaned.get("lesson")
        if lesson is None:
            return cleaned
        evidence = cleaned.get("evidence") or []
        if any(sentence.article_id != lesson.article_id for sentence in evidence):
            self.add_error("evidence", _("Evidence must be sentences of the lesson's article."))
        claims = cleaned.get("claims") or []
        if any(claim.article_id != lesson.article_id for claim in claims):
            self.add_error("claims", _("Claims must be claims of the lesson's article."))
        return cleaned
