"""Query parameters of the base records' list endpoints."""

import django_filters

from config.api.filters import (
    SEARCH_HELP,
    DatedFilterSet,
    FullTextSearchFilter,
    RecordFilterSet,
    SearchFilter,
    SlugFilter,
    StableOrderingFilter,
    validate_country_code,
    validate_language_tag,
)
from events.models import Event, Person, Place, Source, Topic


def topic_filter() -> SlugFilter:
    return SlugFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        help_text="Slug of a topic (repeatable: either matches).",
    )


def place_filter(field_name: str = "places") -> SlugFilter:
    return SlugFilter(
        field_name=field_name,
        queryset=Place.objects.all(),
        help_text="Slug of a place (repeatable: either matches).",
    )


def source_filter(record: str) -> SlugFilter:
    """`?source=`: records with a citation from that source."""
    return SlugFilter(
        field_name="citations__source",
        queryset=Source.objects.all(),
        help_text=f"Slug of a source that cites the {record} (repeatable: either matches).",
    )


class TopicFilterSet(RecordFilterSet):
    q = SearchFilter(
        search_fields=["slug", "name", "description"],
        help_text="Words to find in the topic's slug, name or description (all must match).",
    )

    class Meta:
        model = Topic
        fields = []


class PlaceFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=Place.Kind.choices, help_text="Sort of place (repeatable: either matches)."
    )
    country = django_filters.CharFilter(
        field_name="country_code",
        lookup_expr="iexact",
        validators=[validate_country_code],
        strip=False,
        help_text="ISO 3166-1 alpha-2 country code, e.g. UA.",
    )
    q = SearchFilter(
        search_fields=["slug", "name"],
        help_text="Words to find in the place's slug or name (all must match).",
    )

    class Meta:
        model = Place
        fields = []


class PersonFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=Person.Kind.choices,
        help_text="person, organisation or anonymous (repeatable: either matches).",
    )
    country = django_filters.CharFilter(
        field_name="country_code",
        lookup_expr="iexact",
        validators=[validate_country_code],
        strip=False,
        help_text="ISO 3166-1 alpha-2 code of the country of affiliation, e.g. RU.",
    )
    q = SearchFilter(
        search_fields=["slug", "name", "aliases", "description", "affiliation"],
        help_text="Words to find in the name, other spellings, role or affiliation.",
    )

    class Meta:
        model = Person
        fields = []


class SourceFilterSet(DatedFilterSet):
    publisher = django_filters.CharFilter(
        lookup_expr="iexact", max_length=120, help_text="Publisher, e.g. Reuters (any case)."
    )
    language = django_filters.CharFilter(
        max_length=8,
        validators=[validate_language_tag],
        strip=False,
        help_text="Language code, e.g. en.",
    )
    q = FullTextSearchFilter(
        help_text="Words to find in the title, publisher, author or text (not the text where "
        "the deployment serves excerpts only). " + SEARCH_HELP,
    )
    ordering = StableOrderingFilter(
        fields=[("date_earliest", "date"), ("slug", "slug")],
        help_text="Sort by date or slug; prefix with - for descending. Default: by date, or "
        "best match first when `q` is given.",
    )

    class Meta(DatedFilterSet.Meta):
        model = Source
        fields = []


class EventFilterSet(DatedFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=Event.Kind.choices, help_text="Type of event (repeatable: either matches)."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Event.Status.choices, help_text="Status (repeatable: either matches)."
    )
    participant = SlugFilter(
        field_name="participants",
        queryset=Person.objects.all(),
        help_text="Slug of a person who took part (repeatable: either matches).",
    )
    topic = topic_filter()
    place = place_filter()
    source = source_filter("event")
    q = FullTextSearchFilter(
        help_text="Words to find in the title or summary. " + SEARCH_HELP,
    )
    ordering = StableOrderingFilter(
        fields=[("date_earliest", "date"), ("slug", "slug"), ("title", "title")],
        help_text="Sort by date, slug or title; prefix with - for descending. Default: by date, "
        "or best match first when `q` is given.",
    )

    class Meta(DatedFilterSet.Meta):
        model = Event
        fields = []
