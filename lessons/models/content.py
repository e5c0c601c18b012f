"""What a story is made of: sources, articles and their sentences, actors, treaties and claims.

Sources, actors and treaties are shared across lessons; sentences and claims belong to one article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lessons.partial_dates import PARTIAL_DATE_FORMS, PARTIAL_DATE_PATTERN, is_partial_date

from .choices import ActorKind, Ratification, SourceKind, Standing, TreatyKind, TreatyStatus

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PARTIAL_DATE_LENGTH = 10


def validate_partial_date(value: str) -> None:
    if not is_partial_date(value):
        raise ValidationError(_("Enter a date as %(forms)s.") % {"forms": PARTIAL_DATE_FORMS})


def partial_date_field(verbose_name: str | _StrPromise) -> models.CharField[str | None, str | None]:
    """A date known only in part (lessons.partial_dates): text in one of five ISO forms, or null."""
    return models.CharField(
        verbose_name,
        max_length=PARTIAL_DATE_LENGTH,
        null=True,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("YYYY-MM-DD, YYYY-MM, YYYY, --MM (month, year not given) or --MM-DD."),
    )


def partial_date_valid(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__regex": PARTIAL_DATE_PATTERN}), name=name
    )


OUTSIDE_FACT_KEYS = {"field", "value", "source", "url"}


def check_outside_facts(facts: Any, fields: list[str]) -> None:
    """An actor's or treaty's outside facts as the lesson format has them; a page links to each `url`, so
    only http(s) addresses (never `javascript:`)."""
    if not isinstance(facts, list) or not all(
        isinstance(fact, dict)
        and set(fact) == OUTSIDE_FACT_KEYS
        and all(isinstance(fact[key], str) for key in OUTSIDE_FACT_KEYS)
        and fact["field"] in fields
        and fact["value"].strip()
        and fact["source"].strip()
        and (not fact["url"] or fact["url"].lower().startswith(("http://", "https://")))
        for fact in facts
    ):
        raise ValidationError(
            {
                "outside_facts": _(
                    'Each fact needs "field" (one of %(fields)s), "value", "source" and "url" (http or '
                    "https, or empty)."
                )
                % {"fields": ", ".join(fields)}
            }
        )


def outside_facts_field() -> models.JSONField[Any, Any]:
    return models.JSONField(
        _("facts from outside the article"),
        default=list,
        blank=True,
        help_text=_(
            'What a teacher adds from elsewhere, with its source: [{"field": "signed_on", "value": '
            '"2025-05-07", "source": "…", "url": "…"}]. Shown marked as from outside the article.'
        ),
    )


class Source(models.Model):
    """Who published or is cited: an outlet, a document, an official's statement, an unnamed official."""

    slug = models.SlugField(_("id"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=SourceKind.choices)
    url = models.URLField(_("URL"), blank=True)
    actor = models.ForeignKey(
        "Actor",
        verbose_name=_("speaks for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
        help_text=_("The actor who speaks or publishes through this source, if any."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values), name="source_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="source_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Actor(models.Model):
    """A person, state, organisation or group; affiliation chains (spokeswoman → ministry → state)."""

    slug = models.SlugField(_("id"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ActorKind.choices)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    affiliation = models.ForeignKey(
        "self",
        verbose_name=_("affiliation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    description = models.TextField(_("description"), blank=True)
    outside_facts = outside_facts_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"),
            models.CheckConstraint(condition=~Q(affiliation=F("pk")), name="actor_not_own_affiliation"),
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.role}" if self.role else self.name

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) and a for a in self.aliases):
            raise ValidationError({"aliases": _("Aliases must be a list of non-empty names.")})
        check_outside_facts(
            self.outside_facts, ["name", "kind", "aliases", "role", "affiliation", "description"]
        )
        seen: set[int] = set()
        parent = self.affiliation
        while parent is not None:
            if parent.pk == self.pk or parent.pk in seen:
                raise ValidationError({"affiliation": _("An actor cannot be affiliated with itself.")})
            seen.add(parent.pk)
            parent = parent.affiliation


class Treaty(models.Model):
    """Any agreement between parties, with ratification tracked per party."""

    slug = models.SlugField(_("id"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=32, choices=TreatyKind.choices)
    signed_on = partial_date_field(_("signed on"))
    status = models.CharField(_("status"), max_length=16, choices=TreatyStatus.choices)
    summary = models.TextField(_("summary"), blank=True)
    outside_facts = outside_facts_field()
    parties: models.ManyToManyField[Actor, TreatyParty] = models.ManyToManyField(
        Actor, through="TreatyParty", related_name="treaties"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("treaty")
        verbose_name_plural = _("treaties")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TreatyKind.values), name="treaty_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=TreatyStatus.values), name="treaty_status_valid"),
            partial_date_valid("signed_on", "treaty_signed_on_partial_date"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_outside_facts(self.outside_facts, ["name", "kind", "signed_on", "status", "summary", "parties"])


class TreatyParty(models.Model):
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="party_links")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="treaty_links")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    ratification = models.CharField(_("ratification"), max_length=16, choices=Ratification.choices)
    ratified_on = partial_date_field(_("ratified on"))

    class Meta:
        ordering = ["treaty", "position"]
        verbose_name = _("treaty party")
        verbose_name_plural = _("treaty parties")
        constraints = [
            models.UniqueConstraint(fields=["treaty", "actor"], name="treaty_party_unique"),
            models.CheckConstraint(
                condition=Q(ratification__in=Ratification.values), name="treaty_party_ratification_valid"
            ),
            models.CheckConstraint(
                condition=Q(ratified_on__isnull=True) | Q(ratification=Ratification.RATIFIED),
                name="treaty_party_ratified_on_only_when_ratified",
            ),
            partial_date_valid("ratified_on", "treaty_party_ratified_on_partial_date"),
        ]

    def __str__(self) -> str:
        return f"{self.actor.name}: {self.get_ratification_display()}"


class Article(models.Model):
    """A retelling of a real report, split into sentences with stable ids."""

    headline = models.CharField(_("headline"), max_length=300)
    source = models.ForeignKey(
        Source, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="published_articles"
    )
    published_on = partial_date_field(_("published on"))
    url = models.URLField(_("URL"), blank=True)
    original_headline = models.CharField(_("original headline"), max_length=300, blank=True)
    rests_on = models.CharField(
        _("rests on"),
        max_length=300,
        blank=True,
        help_text=_("What the report rests on, e.g. a newspaper report citing government documents."),
    )
    cites = models.ManyToManyField(Source, verbose_name=_("cites"), blank=True, related_name="cited_by")

    class Meta:
        ordering = ["headline"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
            partial_date_valid("published_on", "article_published_on_partial_date"),
        ]

    def __str__(self) -> str:
        return self.headline


class Sentence(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sentences")
    key = models.SlugField(_("id"), max_length=20, help_text=_("Stable id, e.g. p2s3."))
    paragraph = models.PositiveSmallIntegerField(_("paragraph"))
    position = models.PositiveIntegerField(_("position in the article"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="sentence_key_unique_in_article"),
            models.UniqueConstraint(
                fields=["article", "position"], name="sentence_position_unique_in_article"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="sentence_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"


class Claim(models.Model):
    """A statement the article reports, who asserts it, through which sources, and how sure we can be."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    key = models.SlugField(_("id"), max_length=80)
    statement = models.TextField(_("statement"))
    asserted_by = models.ForeignKey(
        Actor,
        verbose_name=_("asserted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    standing = models.CharField(_("standing"), max_length=16, choices=Standing.choices)
    evidence = models.ManyToManyField(Sentence, verbose_name=_("evidence"), related_name="claims")
    counter_claims = models.ManyToManyField(
        "self", verbose_name=_("denied or answered by"), symmetrical=False, blank=True, related_name="answers"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["article", "id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="claim_key_unique_in_article"),
            models.CheckConstraint(condition=Q(standing__in=Standing.values), name="claim_standing_valid"),
            models.CheckConstraint(condition=~Q(statement=""), name="claim_statement_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.statement[:80]} [{self.get_standing_display()}]"


class ClaimSource(models.Model):
    """One link of a claim's chain of sources, outermost first ("a newspaper, citing documents")."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="source_chain")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claim_links")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["claim", "position"]
        verbose_name = _("link in the chain of sources")
        verbose_name_plural = _("chain of sources")
        constraints = [
            models.UniqueConstraint(fields=["claim", "position"], name="claim_source_position_unique"),
            models.UniqueConstraint(fields=["claim", "source"], name="claim_source_once_per_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.source.name}"
