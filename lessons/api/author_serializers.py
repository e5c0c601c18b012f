"""Input and output shapes of a lesson's own parts as its authors change them through the API: its article,
the actors and treaties it features (with its own notes on the shared records), its claims and settings.

The rules are the services' (lessons.services.authoring): these check only the shape of what is sent."""

from __future__ import annotations

from rest_framework import serializers

from lessons.models import (
    ActorKind,
    AidVisibility,
    Level,
    Standing,
    TreatyKind,
    TreatyStatus,
    Visibility,
)
from lessons.services.authoring import MAX_ARTICLE_CHARACTERS, MAX_ESTIMATED_MINUTES, MAX_SOURCE_CHAIN

MAX_SENTENCE = 5_000


class SharedRecordSerializer(serializers.Serializer):
    id = serializers.SlugField(help_text="The shared record's id (its slug), as lesson files name it.")
    name = serializers.CharField()


class AuthoredSentenceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Kept while the sentence stays: questions and claims point at it.")
    text = serializers.CharField()
    hedges = serializers.ListField(
        child=serializers.CharField(), help_text="Hedging words in it (reportedly, allegedly…): hints."
    )


class ArticleDetailsInputSerializer(serializers.Serializer):
    headline = serializers.CharField(max_length=300)
    source = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text="A shared publisher's id (see author/sources/).",
    )
    new_source_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Else a publisher by this name."
    )
    published_on = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        help_text="YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD.",
    )
    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    original_headline = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="The report this article retells; empty for original reporting.",
    )
    rests_on = serializers.CharField(required=False, allow_blank=True, max_length=300)


def _paragraphs(**kwargs: object) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ListField(
            child=serializers.CharField(max_length=MAX_SENTENCE, allow_blank=True), max_length=500
        ),
        max_length=500,
        **kwargs,
    )


class NewLessonInputSerializer(serializers.Serializer):
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Empty: the headline."
    )
    article = ArticleDetailsInputSerializer()
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_ARTICLE_CHARACTERS,
        trim_whitespace=False,
        help_text="The article as pasted (a blank line between paragraphs): cut into sentences here.",
    )
    paragraphs = _paragraphs(
        required=False,
        help_text="Or its sentences already cut, by paragraph (as author/sentences/ gives them).",
    )


class SplitInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_ARTICLE_CHARACTERS, trim_whitespace=False)


class SplitSerializer(serializers.Serializer):
    paragraphs = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class AuthoredArticleSerializer(serializers.Serializer):
    headline = serializers.CharField()
    source = SharedRecordSerializer(allow_null=True)
    published_on = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_blank=True)
    original_headline = serializers.CharField(allow_blank=True)
    rests_on = serializers.CharField(allow_blank=True)
    paragraphs = serializers.ListField(child=AuthoredSentenceSerializer(many=True))


class NewLessonSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.CharField()
    visibility = serializers.CharField()
    article = AuthoredArticleSerializer()


class ArticleInputSerializer(ArticleDetailsInputSerializer):
    paragraphs = _paragraphs(help_text="Its sentences by paragraph. Unchanged ones keep their ids.")
    resplit = serializers.BooleanField(
        required=False, default=False, help_text="Split each line into sentences again first."
    )


class BrokenLinkSerializer(serializers.Serializer):
    holder = serializers.CharField(help_text="Question 3 (q03), or Claim c-denial.")
    field = serializers.CharField()
    sentence_id = serializers.CharField()
    sentence_text = serializers.CharField()


class ArticleChangeSerializer(serializers.Serializer):
    kept = serializers.IntegerField()
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    broken_links = BrokenLinkSerializer(many=True, help_text="Links to sentences now gone: to mend.")
    article = AuthoredArticleSerializer()


class ActorNoteSerializer(serializers.Serializer):
    role = serializers.CharField(allow_null=True, help_text="Null: the shared record's.")
    description = serializers.CharField(allow_null=True, help_text="Null: the shared record's.")


class ActorSharedSerializer(serializers.Serializer):
    role = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


class FeaturedActorSerializer(serializers.Serializer):
    id = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    role = serializers.CharField(allow_blank=True, help_text="As this lesson says it.")
    description = serializers.CharField(allow_blank=True, help_text="As this lesson says it.")
    note = ActorNoteSerializer(allow_null=True, help_text="This lesson's own note; null: none.")
    shared = ActorSharedSerializer(
        help_text="What the shared record says (changed only by an administrator)."
    )


class ActorAddInputSerializer(serializers.Serializer):
    """A shared actor by its id, or a new shared actor (its name and kind at least)."""

    actor = serializers.SlugField(required=False, max_length=80, help_text="A shared actor's id.")
    name = serializers.CharField(required=False, max_length=200, help_text="Or a new actor's name.")
    kind = serializers.ChoiceField(choices=ActorKind.choices, required=False)
    role = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50, default=list
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000, default="")


class ActorNoteInputSerializer(serializers.Serializer):
    role = serializers.CharField(
        allow_blank=True, max_length=200, help_text="Empty or the shared role: the shared record's."
    )
    description = serializers.CharField(allow_blank=True, max_length=10_000)


class TreatyNoteSerializer(serializers.Serializer):
    status = serializers.CharField(allow_null=True, help_text="Null: the shared record's.")
    summary = serializers.CharField(allow_null=True, help_text="Null: the shared record's.")


class TreatySharedSerializer(serializers.Serializer):
    status = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)


class FeaturedTreatySerializer(serializers.Serializer):
    id = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    signed_on = serializers.CharField(allow_null=True)
    status = serializers.CharField(help_text="As this lesson says it.")
    summary = serializers.CharField(allow_blank=True, help_text="As this lesson says it.")
    note = TreatyNoteSerializer(allow_null=True)
    shared = TreatySharedSerializer()


class TreatyAddInputSerializer(serializers.Serializer):
    """A shared treaty by its id, or a new shared treaty (its name, kind and status at least)."""

    treaty = serializers.SlugField(required=False, max_length=80, help_text="A shared treaty's id.")
    name = serializers.CharField(required=False, max_length=250, help_text="Or a new treaty's name.")
    kind = serializers.ChoiceField(choices=TreatyKind.choices, required=False)
    status = serializers.ChoiceField(choices=TreatyStatus.choices, required=False)
    signed_on = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10_000, default="")


class TreatyNoteInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=TreatyStatus.choices,
        allow_blank=True,
        help_text="Empty or the shared status: the shared record's.",
    )
    summary = serializers.CharField(allow_blank=True, max_length=10_000)


class NamesSerializer(serializers.Serializer):
    known_elsewhere = SharedRecordSerializer(
        many=True, help_text="Shared actors named in the text that the lesson does not feature yet."
    )
    candidates = serializers.ListField(
        child=serializers.CharField(), help_text="Names in the text that no shared record has."
    )


class AuthoredClaimSerializer(serializers.Serializer):
    id = serializers.SlugField()
    statement = serializers.CharField()
    asserted_by = serializers.SlugField(allow_null=True, help_text="A shared actor's id; null: not known.")
    via = serializers.ListField(child=serializers.SlugField(), help_text="Sources, outermost first.")
    standing = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField(), help_text="Sentence ids.")
    counter_claims = serializers.ListField(child=serializers.SlugField())
    note = serializers.CharField(allow_blank=True)


class ClaimInputSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=5_000)
    asserted_by = serializers.SlugField(
        required=False, allow_null=True, max_length=80, help_text="A shared actor's id; null: not known."
    )
    via = serializers.ListField(
        child=serializers.SlugField(max_length=80),
        required=False,
        default=list,
        max_length=MAX_SOURCE_CHAIN,
        help_text="Shared sources' ids, outermost first.",
    )
    standing = serializers.ChoiceField(choices=Standing.choices)
    evidence = serializers.ListField(
        child=serializers.CharField(max_length=50),
        max_length=500,
        help_text="Ids of the article's sentences.",
    )
    counter_claims = serializers.ListField(
        child=serializers.SlugField(max_length=100), required=False, default=list, max_length=500
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000, default="")


def _aid() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=AidVisibility.choices)


class LessonAidsSerializer(serializers.Serializer):
    sourcing_note = _aid()
    provenance = _aid()
    actor_cards = _aid()
    treaty_cards = _aid()


class LessonSettingsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    introduction = serializers.CharField(allow_blank=True, max_length=50_000, help_text="Markdown.")
    sourcing_note = serializers.CharField(allow_blank=True, max_length=50_000, help_text="Markdown.")
    objectives = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True),
        max_length=50,
        help_text="Blank ones go.",
    )
    level = serializers.ChoiceField(choices=Level.choices)
    estimated_minutes = serializers.IntegerField(min_value=1, max_value=MAX_ESTIMATED_MINUTES)
    language = serializers.CharField(max_length=35, help_text="A language tag: en, es, pt-BR.")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    reading_aids = LessonAidsSerializer(help_text="When a student sees each reading aid.")


class AidsChangeSerializer(serializers.Serializer):
    sourcing_note = serializers.ChoiceField(choices=AidVisibility.choices, required=False)
    provenance = serializers.ChoiceField(choices=AidVisibility.choices, required=False)
    actor_cards = serializers.ChoiceField(choices=AidVisibility.choices, required=False)
    treaty_cards = serializers.ChoiceField(choices=AidVisibility.choices, required=False)


class SettingsChangeSerializer(serializers.Serializer):
    """The settings to change; any left out stay as they are."""

    title = serializers.CharField(required=False, max_length=200)
    introduction = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    sourcing_note = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    objectives = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False, max_length=50
    )
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    estimated_minutes = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ESTIMATED_MINUTES)
    language = serializers.CharField(required=False, max_length=35)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    reading_aids = AidsChangeSerializer(required=False, help_text="The aids named change.")


class OverviewAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    classroom = serializers.CharField(help_text="The class's name.")
    revision = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.CharField()
    sentences = serializers.IntegerField()
    actors = serializers.IntegerField()
    treaties = serializers.IntegerField()
    claims = serializers.IntegerField()
    questions = serializers.IntegerField()
    revisions = serializers.ListField(child=serializers.IntegerField(), help_text="Numbers, newest first.")
    assignments = OverviewAssignmentSerializer(many=True, help_text="Assignments handing it out.")
    co_authors = serializers.ListField(child=serializers.CharField(), help_text="Usernames.")
