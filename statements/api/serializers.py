"""Serializers of statements, figures and citations."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from config.search.fields import HighlightField
from config.writes import (
    CharField,
    DatedWriteSerializer,
    IntegerField,
    RecordSlugField,
    WriteSerializer,
)
from events.api.serializers import (
    DATE_FIELDS,
    TIMESTAMP_FIELDS,
    CitationBriefSerializer,
    EventBriefSerializer,
    EventWriteSerializer,
    PersonBriefSerializer,
    PlaceBriefSerializer,
    SourceBriefSerializer,
    TopicBriefSerializer,
    api_url,
)
from events.models import Event, Person, Place, Source, Topic
from statements.models import Citation, Figure, Position, Statement, Wording
from statements.services import citation_problems, evidence_problems, place_excerpt


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


# --------------------------------------------------------------------------------------------
# Writes: the body of a POST, PUT or PATCH (config.writes). Related records by slug.
# --------------------------------------------------------------------------------------------

OFFSET = {"min_value": 0, "max_value": 2**31 - 1}


class ExcerptSerializer(serializers.Serializer):
    """Where a citation's excerpt stands: its source, and its offsets or none (then found)."""

    source = RecordSlugField(
        queryset=Source.objects.all(), help_text="Slug of the article the excerpt comes from."
    )
    excerpt = CharField(
        trim_whitespace=False,
        help_text="The cited characters, exactly as the source's reference text has them; "
        "without start and end they are found in it (typographic and plain quotes match), "
        "and the source's own characters are stored.",
    )
    start = IntegerField(
        required=False,
        allow_null=True,
        **OFFSET,
        help_text="Offset of the excerpt's first character; leave out with end to have it "
        "found (given alone, it picks one of several occurrences).",
    )
    end = IntegerField(
        required=False,
        allow_null=True,
        **OFFSET,
        help_text="Offset just past the excerpt (text[start:end] == excerpt); leave out to "
        "have the excerpt found.",
    )

    def validate(self, attrs: dict) -> dict:
        source, start, end = attrs["source"], attrs.get("start"), attrs.get("end")
        if end is not None and start is None:
            raise serializers.ValidationError({"start": ["Give start with end, or neither."]})
        try:
            excerpt, start, end = place_excerpt(source, attrs["excerpt"], start, end)
            Citation(source=source, excerpt=excerpt, start=start, end=end).verify_excerpt()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return {**attrs, "excerpt": excerpt, "start": start, "end": end}


class CitedWriteSerializer(DatedWriteSerializer):
    """A statement, event or figure: created with its citations, and never left without its
    evidence (statements.services, as the admin)."""

    citations = ExcerptSerializer(
        many=True,
        required=False,
        help_text="On creation only (edit them later at /api/v1/citations/): the excerpts that "
        "report the record, at least one; a quote or fragment stands verbatim in one of them.",
    )

    def check(self, record, attrs: dict) -> None:
        super().check(record, attrs)
        if self.instance is not None:
            if "citations" in attrs:
                raise serializers.ValidationError(
                    {
                        "citations": [
                            "Citations are given on creation; edit them at /api/v1/citations/."
                        ]
                    }  # fmt: skip
                )
            excerpts = list(self.instance.citations.values_list("excerpt", flat=True))
        else:
            given = attrs.get("citations", [])
            places = [(cited["source"].pk, cited["start"]) for cited in given]
            if len(set(places)) < len(places):
                raise serializers.ValidationError(
                    {"citations": ["The same excerpt is cited twice."]}
                )
            excerpts = [cited["excerpt"] for cited in given]
        problems = evidence_problems(record, excerpts)
        if problems:
            raise serializers.ValidationError(
                {name: [message] for name, message in problems.items()}
            )

    def create(self, validated_data: dict):
        citations = validated_data.pop("citations", [])
        record = super().create(validated_data)
        for cited in citations:
            Citation(**cited, **{record._meta.model_name: record}).save()
        return record


class StatementWriteSerializer(CitedWriteSerializer):
    speaker = RecordSlugField(
        queryset=Person.objects.all(), help_text="Slug of the person who said it."
    )
    occasion = RecordSlugField(
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the event it was said at, if any.",
    )
    about = RecordSlugField(
        many=True,
        required=False,
        queryset=Event.objects.all(),
        help_text="Slugs of the events it refers to.",
    )
    topics = RecordSlugField(
        many=True,
        required=False,
        queryset=Topic.objects.all(),
        help_text="Slugs of the topics it is about.",
    )
    places = RecordSlugField(
        many=True,
        required=False,
        queryset=Place.objects.all(),
        help_text="Slugs of the places it mentions.",
    )

    class Meta:
        model = Statement
        fields = ["slug", "speaker", "speaker_label", "kind", "text",
                  *DatedWriteSerializer.DATE_INPUT, "venue", "via", "occasion", "about",
                  "topics", "places", "citations"]  # fmt: skip


class FigureWriteSerializer(CitedWriteSerializer):
    place = RecordSlugField(
        queryset=Place.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the place the figure is about.",
    )
    topics = RecordSlugField(
        many=True,
        required=False,
        queryset=Topic.objects.all(),
        help_text="Slugs of the topics it is about.",
    )

    class Meta:
        model = Figure
        fields = ["slug", "measure", "label", "value", "value_max", "unit", "qualifier",
                  "words", "according_to", *DatedWriteSerializer.DATE_INPUT, "place", "topics",
                  "citations"]  # fmt: skip


class CitedEventWriteSerializer(CitedWriteSerializer, EventWriteSerializer):
    class Meta(EventWriteSerializer.Meta):
        fields = [*EventWriteSerializer.Meta.fields, "citations"]


TARGETS = ("statement", "event", "figure")


class CitationWriteSerializer(WriteSerializer):
    """A citation on its own: its slug is given on creation; its record keeps its evidence."""

    source = RecordSlugField(
        queryset=Source.objects.all(), help_text="Slug of the article the excerpt comes from."
    )
    statement = RecordSlugField(
        queryset=Statement.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the statement cited (exactly one of statement, event, figure).",
    )
    event = RecordSlugField(
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the event cited (exactly one of statement, event, figure).",
    )
    figure = RecordSlugField(
        queryset=Figure.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the figure cited (exactly one of statement, event, figure).",
    )
    excerpt = ExcerptSerializer._declared_fields["excerpt"]
    start = ExcerptSerializer._declared_fields["start"]
    end = ExcerptSerializer._declared_fields["end"]

    class Meta:
        model = Citation
        fields = ["source", *TARGETS, "excerpt", "start", "end"]
        # the model's constraints are checked by full_clean() once the offsets are found;
        # DRF's own copy of them would demand offsets the excerpt is to be located by
        validators = []

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None:
            # a PATCH names what changes; the rest is the citation's as it stands
            current = {name: getattr(self.instance, name) for name in self.Meta.fields}
            if any(name in attrs for name in TARGETS):
                current.update(dict.fromkeys(TARGETS))
            if "excerpt" in attrs and "end" not in attrs:
                current.update(start=None, end=None)  # a new excerpt without offsets is found
            attrs = {**current, **attrs}
        targets = [name for name in TARGETS if attrs.get(name) is not None]
        if len(targets) != 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        f"A citation cites exactly one of statement, event and "
                        f"figure; {len(targets)} given."
                    ]
                }  # fmt: skip
            )
        placed = ExcerptSerializer().validate(
            {name: attrs.get(name) for name in ("source", "excerpt", "start", "end")}
        )
        return super().validate({**attrs, **placed})

    def check(self, record: Citation, attrs: dict) -> None:
        previous = self.instance.target if self.instance is not None else None
        problems = citation_problems(record, previous)
        if problems:
            raise serializers.ValidationError(
                {name: [message] for name, message in problems.items()}
            )
