"""Serializers of the base records. `*BriefSerializer` is the nested form: slug, name, url."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from config.search.fields import HighlightField
from config.writes import (
    CharField,
    DatedWriteSerializer,
    RecordSlugField,
    URLField,
    WriteSerializer,
)
from events.models import Event, Person, Place, Source, Topic
from events.reference_text import read_seed, reference_text

DATE_FIELDS = ["date", "date_precision", "date_earliest", "date_latest", "date_basis", "date_note"]
TIMESTAMP_FIELDS = ["created_at", "updated_at"]


def api_url(view_name: str) -> serializers.HyperlinkedIdentityField:
    return serializers.HyperlinkedIdentityField(
        view_name=view_name, lookup_field="slug", help_text="This record in the API."
    )


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
    url = serializers.HyperlinkedIdentityField(
        view_name="api:citation-detail", lookup_field="slug", help_text="This citation in the API."
    )
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


# --------------------------------------------------------------------------------------------
# Writes: the body of a POST, PUT or PATCH (config.writes). Related records by slug.
# --------------------------------------------------------------------------------------------


class TopicWriteSerializer(WriteSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "description"]


class PlaceWriteSerializer(WriteSerializer):
    class Meta:
        model = Place
        fields = ["slug", "name", "kind", "country_code", "latitude", "longitude"]


class PersonWriteSerializer(WriteSerializer):
    aliases = serializers.ListField(
        child=CharField(max_length=200),
        required=False,
        max_length=100,
        help_text="Every other spelling of the name seen in the sources.",
    )

    class Meta:
        model = Person
        fields = ["slug", "name", "kind", "aliases", "description", "affiliation",
                  "country_code", "wikidata_id"]  # fmt: skip


class SourceWriteSerializer(DatedWriteSerializer):
    """A source's text is never sent: it is derived from its seed file less its furniture
    lines, as `manage.py build_sources` derives it, and a change that would move the text
    under any of its citations is refused."""

    article_url = URLField(
        source="url",
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Original address of the article, if known.",
    )
    furniture = serializers.ListField(
        child=CharField(max_length=1000),
        required=False,
        max_length=100,
        help_text="Exact lines of the seed file that are page furniture, left out of the text.",
    )

    class Meta:
        model = Source
        fields = ["slug", "title", "publisher", "author", "language", "article_url",
                  *DatedWriteSerializer.DATE_INPUT, "seed_file", "furniture"]  # fmt: skip

    def validate(self, attrs: dict) -> dict:
        if self.instance is None or {"seed_file", "furniture"} & set(attrs):
            attrs["text"] = self.derived_text(attrs)
        return super().validate(attrs)

    def derived_text(self, attrs: dict) -> str:
        seed_file = attrs.get("seed_file", getattr(self.instance, "seed_file", ""))
        furniture = attrs.get("furniture", getattr(self.instance, "furniture", []))
        if seed_file not in {path.name for path in settings.SEEDS_DIR.glob("*.txt")}:
            raise serializers.ValidationError(
                {"seed_file": [f"No seed file {seed_file[:120]!r} in seeds/."]}
            )
        try:
            return reference_text(read_seed(seed_file), furniture)
        except ValueError as error:
            raise serializers.ValidationError({"furniture": [str(error)]}) from error

    def check(self, record: Source, attrs: dict) -> None:
        super().check(record, attrs)
        if self.instance is None or record.text == self.instance.text:
            return
        for citation in self.instance.citations.all():
            citation.source = record
            try:
                citation.verify_excerpt()
            except DjangoValidationError as error:
                raise serializers.ValidationError(
                    {
                        "furniture": [
                            f"The text would change under citation {citation.slug}: "
                            + " ".join(error.messages)
                        ]
                    }
                ) from error


class EventWriteSerializer(DatedWriteSerializer):
    """An event's fields; statements.api adds its citations, as the admin's inlines do."""

    places = RecordSlugField(
        many=True,
        required=False,
        queryset=Place.objects.all(),
        help_text="Slugs of the places it took place in.",
    )
    participants = RecordSlugField(
        many=True,
        required=False,
        queryset=Person.objects.all(),
        help_text="Slugs of the people who took part.",
    )
    topics = RecordSlugField(
        many=True,
        required=False,
        queryset=Topic.objects.all(),
        help_text="Slugs of the topics it is about.",
    )

    class Meta:
        model = Event
        fields = ["slug", "title", "summary", "kind", "status", *DatedWriteSerializer.DATE_INPUT,
                  "end_date", "places", "participants", "topics"]  # fmt: skip
