"""Serializers of statements, figures and citations."""

from rest_framework import serializers

from events.api.serializers import (
    DATE_FIELDS,
    CitationBriefSerializer,
    EventBriefSerializer,
    PersonBriefSerializer,
    PlaceBriefSerializer,
    SourceBriefSerializer,
    TopicBriefSerializer,
    api_url,
)
from statements.models import Citation, Figure, Statement


class StatementBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:statement-detail")

    class Meta:
        model = Statement
        fields = ["slug", "speaker_label", "kind", "date", "url"]


class StatementSerializer(serializers.ModelSerializer):
    url = api_url("api:statement-detail")
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
        ]


class FigureSerializer(serializers.ModelSerializer):
    url = api_url("api:figure-detail")
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
            "according_to",
            *DATE_FIELDS,
            "place",
            "topics",
            "citations",
        ]


class FigureBriefSerializer(serializers.ModelSerializer):
    url = api_url("api:figure-detail")

    class Meta:
        model = Figure
        fields = ["slug", "label", "date", "url"]


class CitationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Identifier of the citation.")
    url = api_url("api:citation-detail", lookup_field="pk")
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
        fields = ["id", "url", "source", "statement", "event", "figure", "excerpt", "start", "end"]
