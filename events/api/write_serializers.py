"""The bodies of writes to the base records (config.api.writes): POST, PUT and PATCH, related
records by slug. Events take their citations in statements.api.write_serializers."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from config.api.writes import (
    BooleanField,
    CharField,
    DateField,
    RecordSlugField,
    URLField,
    WriteSerializer,
)
from config.db.dates import parse_partial_date
from events.models import Dated, DatePrecision, Event, Person, Place, Source, Topic
from events.reference_text import read_seed, reference_text


class DatedWriteSerializer(WriteSerializer):
    """A record with a partial date. The precision and the interval are derived from `date`;
    given, they must agree with it, unless `date_interval_explicit` says the interval is set
    by hand (then it must lie inside the date, as the admin requires)."""

    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        required=False,
        help_text="Optional: the precision `date` has (its length). Given, it must agree.",
    )
    date_interval_explicit = BooleanField(
        required=False,
        help_text="True to give date_earliest and date_latest by hand (the interval the text "
        "supports, inside the date's; with basis before_report only its last day is, its start "
        "open or earlier); false (the default) derives them from the date.",
    )
    date_earliest = DateField(
        required=False,
        allow_null=True,
        help_text="First day of the interval; null for an open start (basis before_report, "
        "which also allows a start before the date's period: the date of what the record "
        "refers to). Only with date_interval_explicit, unless it is the derived one.",
    )
    date_latest = DateField(
        required=False,
        help_text="Last day of the interval. Only with date_interval_explicit, unless it is the "
        "derived one.",
    )

    DATE_INPUT = ["date", "date_precision", "date_basis", "date_note", "date_interval_explicit",
                  "date_earliest", "date_latest"]  # fmt: skip

    def check(self, record: Dated, attrs: dict) -> None:
        super().check(record, attrs)
        try:
            _earliest, _latest, precision = parse_partial_date(record.date)
        except ValueError:
            return  # full_clean has said what is wrong with the date
        given = attrs.get("date_precision")
        if given is not None and given != precision:
            raise serializers.ValidationError(
                {
                    "date_precision": [
                        f"{record.date!r} is precise to the {precision}, not the {given}: a "
                        "date's length is its precision (YYYY, YYYY-MM or YYYY-MM-DD)."
                    ]
                }
            )
        if record.date_interval_explicit:
            return
        low, high = record.prefix_interval()
        for name, derived in (("date_earliest", low), ("date_latest", high)):
            if name in attrs and attrs[name] != derived:
                raise serializers.ValidationError(
                    {
                        name: [
                            f"The interval of {record.date!r} is {low}..{high}, derived from "
                            "the date: leave it out, or set date_interval_explicit to true to "
                            "give another one."
                        ]
                    }
                )


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
        help_text="Every other spelling of the name seen in the sources (at most 100, each "
        "up to 200 characters; a spelling given twice counts once).",
    )

    class Meta:
        model = Person
        fields = ["slug", "name", "kind", "aliases", "description", "affiliation",
                  "country_code", "wikidata_id"]  # fmt: skip

    def validate_aliases(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


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
        if not seed_file:  # null or blank: an ingested article's text comes with it
            raise serializers.ValidationError(
                {
                    "seed_file": [
                        "Give the name of a file under seeds/: a source written here takes its "
                        "text from there. An article of its own is added with POST "
                        "/api/v1/ingest/."
                    ]
                }
            )
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
