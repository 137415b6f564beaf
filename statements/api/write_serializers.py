"""The bodies of writes to statements, figures, events and citations (config.api.writes): a
statement, event or figure is created with its citations, and every excerpt is placed and
checked by the same code as in the admin (statements.services)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from config.api.writes import (
    MAX_LINKS,
    CharField,
    ClosedBodyMixin,
    IntegerField,
    RecordSlugField,
    WriteSerializer,
)
from events.api.write_serializers import DatedWriteSerializer, EventWriteSerializer
from events.models import QUOTED_TEXT, Event, Person, Place, Source, Topic
from statements.models import Citation, Figure, Statement
from statements.services import (
    citation_problems,
    evidence_problems,
    place_excerpt,
    report_problems,
)

OFFSET = {"min_value": 0, "max_value": 2**31 - 1}


class ExcerptSerializer(ClosedBodyMixin, serializers.Serializer):
    """Where a citation's excerpt stands: its source, and its offsets or none (then found)."""

    source = RecordSlugField(
        queryset=Source.objects.all(), help_text="Slug of the article the excerpt comes from."
    )
    excerpt = CharField(
        trim_whitespace=False,
        max_length=QUOTED_TEXT,
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
    evidence nor ending after the articles that report it (statements.services, as the
    admin)."""

    citations = ExcerptSerializer(
        many=True,
        required=False,
        max_length=MAX_LINKS,
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
            cited = list(self.instance.citations.select_related("source"))
            excerpts = [citation.excerpt for citation in cited]
            sources = [citation.source for citation in cited]
        else:
            given = attrs.get("citations", [])
            places = [(cited["source"].pk, cited["start"]) for cited in given]
            if len(set(places)) < len(places):
                raise serializers.ValidationError(
                    {"citations": ["The same excerpt is cited twice."]}
                )
            excerpts = [cited["excerpt"] for cited in given]
            sources = [cited["source"] for cited in given]
        problems = {**report_problems(record, sources), **evidence_problems(record, excerpts)}
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
