"""Serializers of the base records. `*BriefSerializer` is the nested form: slug, name, url."""

from django.conf import settings
from rest_framework import serializers

from config.api.addresses import api_url
from config.db.search.fields import HighlightField
from events.models import Event, Person, Place, Source, Topic

DATE_FIELDS = ["date", "date_precision", "date_earliest", "date_latest", "date_basis", "date_note"]
TIMESTAMP_FIELDS = ["created_at", "updated_at"]


class TopicBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:topic-detail")

    class Meta:
        model = Topic
        fields = ["slug", "name", "url"]


class TopicSerializer(TopicBriefSerializer):
    class Meta(TopicBriefSerializer.Meta):
        fields = [*TopicBriefSerializer.Meta.fields, "description", *TIMESTAMP_FIELDS]


class PlaceBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:place-detail")

    class Meta:
        model = Place
        fields = ["slug", "name", "url"]


class PlaceSerializer(PlaceBriefSerializer):
    class Meta(PlaceBriefSerializer.Meta):
        fields = [
            *PlaceBriefSerializer.Meta.fields,
            "kind",
            "country_code",
            "latitude",
            "longitude",
            *TIMESTAMP_FIELDS,
        ]


class PersonBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:person-detail")

    class Meta:
        model = Person
        fields = ["slug", "name", "kind", "url"]


class PersonSerializer(PersonBriefSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(),
        help_text="Every other spelling of the name seen in the sources.",
    )

    class Meta(PersonBriefSerializer.Meta):
        fields = [
            *PersonBriefSerializer.Meta.fields,
            "aliases",
            "description",
            "affiliation",
            "country_code",
            "wikidata_id",
            *TIMESTAMP_FIELDS,
        ]


class SourceBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="title", help_text="Headline of the article.")
    url = api_url("api:source-detail")

    class Meta:
        model = Source
        fields = ["slug", "name", "publisher", "date", "url"]


class OptionalURLField(serializers.URLField):
    """A URL or null: a blank address is absent, not an empty string pretending to be a URL."""

    def to_representation(self, value):
        return value or None


class SourceSerializer(serializers.ModelSerializer):
    url = api_url("api:source-detail")
    highlight = HighlightField()
    article_url = OptionalURLField(
        source="url",
        read_only=True,
        allow_null=True,
        help_text="Original address of the article, or null if unknown.",
    )
    text_length = serializers.IntegerField(
        read_only=True,
        help_text="Length of the reference text in characters (Unicode code points).",
    )

    class Meta:
        model = Source
        fields = [
            "slug",
            "url",
            "title",
            "publisher",
            "author",
            "language",
            "article_url",
            *DATE_FIELDS,
            "seed_file",
            "text_sha256",
            "text_length",
            "highlight",
            *TIMESTAMP_FIELDS,
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "furniture", "text"]

    def get_fields(self):
        fields = super().get_fields()
        if settings.EXCERPTS_ONLY:
            # the articles' texts belong to their publishers: this deployment serves the
            # citations' excerpts only (PARLEY_EXCERPTS_ONLY), and the schema follows
            del fields["furniture"], fields["text"]
        return fields


class CitationBriefSerializer(serializers.Serializer):
    """A citation as nested in what it cites: the source, the excerpt and where it stands.

    Declared field by field so that this base app needs no import of the `statements` app,
    where the Citation model lives.
    """

    slug = serializers.CharField(read_only=True, help_text="Stable public identifier.")
    url = api_url("api:citation-detail")
    source = SourceBriefSerializer(read_only=True, help_text="The article the excerpt comes from.")
    excerpt = serializers.CharField(read_only=True, help_text="The exact characters cited.")
    start = serializers.IntegerField(
        read_only=True, help_text="Offset of the excerpt in the source's reference text."
    )
    end = serializers.IntegerField(
        read_only=True, help_text="Offset just past the excerpt: text[start:end] == excerpt."
    )


class EventBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:event-detail")

    class Meta:
        model = Event
        fields = ["slug", "title", "date", "url"]


class EventSerializer(serializers.ModelSerializer):
    url = api_url("api:event-detail")
    highlight = HighlightField()
    places = PlaceBriefSerializer(
        many=True, read_only=True, help_text="Places it took place in or mentions."
    )
    participants = PersonBriefSerializer(many=True, read_only=True, help_text="Who took part.")
    topics = TopicBriefSerializer(many=True, read_only=True, help_text="What it is about.")
    citations = CitationBriefSerializer(
        many=True, read_only=True, help_text="The evidence: excerpts of the sources that report it."
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "kind",
            "status",
            *DATE_FIELDS,
            "end_date",
            "places",
            "participants",
            "topics",
            "citations",
            "highlight",
            *TIMESTAMP_FIELDS,
        ]
