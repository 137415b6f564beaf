"""Serializers of statements, figures and citations."""

from rest_framework import serializers

from config.api.addresses import api_url
from config.db.search.fields import HighlightField
from events.api.serializers import (
    DATE_FIELDS,
    TIMESTAMP_FIELDS,
    CitationBriefSerializer,
    EventBriefSerializer,
    PersonBriefSerializer,
    PlaceBriefSerializer,
    SourceBriefSerializer,
    TopicBriefSerializer,
)
from statements.models import Citation, Figure, Position, Statement, Wording


class StatementBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:statement-detail")

    class Meta:
        model = Statement
        fields = ["slug", "speaker_label", "kind", "date", "url"]


class WordingSerializer(serializers.ModelSerializer):
    source = SourceBriefSerializer(read_only=True, help_text="The article that prints these words.")

    class Meta:
        model = Wording
        fields = ["source", "text", "canonical"]


class PositionSerializer(serializers.ModelSerializer):
    holder = PersonBriefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Whose position it is when not the speaker's own; null means the speaker's.",
    )

    class Meta:
        model = Position
        fields = ["issue", "stance", "holder", "excerpt"]


class StatementSerializer(serializers.ModelSerializer):
    url = api_url("api:statement-detail")
    highlight = HighlightField()
    speaker = PersonBriefSerializer(
        read_only=True, help_text="Who said it (anonymous sources are speakers of their own)."
    )
    occasion = EventBriefSerializer(
        read_only=True, allow_null=True, help_text="The event it was said at, if any."
    )
    about = EventBriefSerializer(many=True, read_only=True, help_text="Events it refers to.")
    topics = TopicBriefSerializer(many=True, read_only=True, help_text="What it is about.")
    places = PlaceBriefSerializer(
        many=True, read_only=True, help_text="Places it took place in or mentions."
    )
    citations = CitationBriefSerializer(
        many=True, read_only=True, help_text="The evidence: excerpts of the sources that report it."
    )
    wordings = WordingSerializer(
        many=True,
        read_only=True,
        help_text="For a quote or fragment, each article's words, verbatim; the canonical one "
        "first (it is `text`). Empty for a paraphrase.",
    )
    positions = PositionSerializer(
        many=True,
        read_only=True,
        help_text="The stances the statement takes on the issues, each with the words that "
        "support it.",
    )

    class Meta:
        model = Statement
        fields = [
            "slug",
            "url",
            "speaker",
            "speaker_label",
            "kind",
            "text",
            *DATE_FIELDS,
            "venue",
            "via",
            "occasion",
            "about",
            "topics",
            "places",
            "citations",
            "wordings",
            "positions",
            "highlight",
            *TIMESTAMP_FIELDS,
        ]


class FigureSerializer(serializers.ModelSerializer):
    url = api_url("api:figure-detail")
    highlight = HighlightField()
    place = PlaceBriefSerializer(
        read_only=True, allow_null=True, help_text="The place the figure is about."
    )
    topics = TopicBriefSerializer(many=True, read_only=True, help_text="What it is about.")
    citations = CitationBriefSerializer(
        many=True, read_only=True, help_text="The evidence: excerpts of the sources that report it."
    )

    class Meta:
        model = Figure
        fields = [
            "slug",
            "url",
            "measure",
            "label",
            "value",
            "value_max",
            "unit",
            "qualifier",
            "words",
            "according_to",
            *DATE_FIELDS,
            "place",
            "topics",
            "citations",
            "highlight",
            *TIMESTAMP_FIELDS,
        ]


class FigureBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:figure-detail")

    class Meta:
        model = Figure
        fields = ["slug", "label", "date", "url"]


class CitationSerializer(serializers.ModelSerializer):
    url = api_url("api:citation-detail")
    source = SourceBriefSerializer(read_only=True, help_text="The article the excerpt comes from.")
    statement = StatementBriefSerializer(
        read_only=True, allow_null=True, help_text="The statement cited, if any."
    )
    event = EventBriefSerializer(
        read_only=True, allow_null=True, help_text="The event cited, if any."
    )
    figure = FigureBriefSerializer(
        read_only=True, allow_null=True, help_text="The figure cited, if any."
    )

    class Meta:
        model = Citation
        fields = [
            "slug",
            "url",
            "source",
            "statement",
            "event",
            "figure",
            "excerpt",
            "start",
            "end",
            *TIMESTAMP_FIELDS,
        ]


class WordingDetailSerializer(WordingSerializer):
    url = api_url("api:wording-detail")
    statement = StatementBriefSerializer(read_only=True, help_text="The quote or fragment worded.")

    class Meta(WordingSerializer.Meta):
        fields = ["slug", "url", "statement", *WordingSerializer.Meta.fields, *TIMESTAMP_FIELDS]


class PositionDetailSerializer(PositionSerializer):
    url = api_url("api:position-detail")
    statement = StatementBriefSerializer(
        read_only=True, help_text="The statement the stance is coded from."
    )

    class Meta(PositionSerializer.Meta):
        fields = ["slug", "url", "statement", *PositionSerializer.Meta.fields, *TIMESTAMP_FIELDS]
