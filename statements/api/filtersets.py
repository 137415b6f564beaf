"""Query parameters of the statement, figure and citation list endpoints."""

import django_filters
from django.db.models import Q, QuerySet

from config.filters import (
    DatedFilterSet,
    SearchFilter,
    SlugFilter,
    StableOrderingFilter,
    validate_slug_value,
)
from events.api.filtersets import place_filter, source_filter, topic_filter
from events.models import Event, Person, Source
from statements.models import Citation, Figure, Statement


class StatementFilterSet(DatedFilterSet):
    speaker = SlugFilter(
        queryset=Person.objects.all(),
        help_text="Slug of the speaker (repeatable: either matches).",
    )
    speaker_kind = django_filters.MultipleChoiceFilter(
        field_name="speaker__kind",
        choices=Person.Kind.choices,
        help_text="person, organisation or anonymous: e.g. `anonymous` for what unnamed "
        "sources said (repeatable: either matches).",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Statement.Kind.choices,
        help_text="quote, fragment or paraphrase (repeatable: either matches).",
    )
    event = SlugFilter(
        field_name="occasion",  # documents the parameter; filter_event looks at `about` too
        queryset=Event.objects.all(),
        method="filter_event",
        help_text="Slug of an event the statement was made at or is about (repeatable).",
    )
    occasion = SlugFilter(
        queryset=Event.objects.all(),
        help_text="Slug of the event the statement was made at (repeatable).",
    )
    about = SlugFilter(
        queryset=Event.objects.all(),
        help_text="Slug of an event the statement refers to (repeatable).",
    )
    topic = topic_filter()
    place = place_filter()
    source = source_filter("statement")
    q = SearchFilter(
        search_fields=["text", "speaker_label", "speaker__name", "venue", "via"],
        help_text="Words to find in the text, the speaker's name or label, the venue or via "
        "(all must match).",
    )
    ordering = StableOrderingFilter(
        fields=[("date_earliest", "date"), ("slug", "slug")],
        help_text="Sort by date or slug; prefix with - for descending.",
    )

    class Meta(DatedFilterSet.Meta):
        model = Statement
        fields = []

    def filter_event(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        # a subquery rather than a join, so that no DISTINCT over the whole result is needed
        about = Statement.about.through.objects.filter(event__in=value).values("statement_id")
        return queryset.filter(Q(occasion__in=value) | Q(pk__in=about))


class FigureFilterSet(DatedFilterSet):
    measure = django_filters.CharFilter(
        max_length=100,
        validators=[validate_slug_value],
        strip=False,
        help_text="What is measured, e.g. ukrainian-territory-held-by-russia.",
    )
    unit = django_filters.MultipleChoiceFilter(
        choices=Figure.Unit.choices, help_text="Unit (repeatable: either matches)."
    )
    place = place_filter(field_name="place")
    topic = topic_filter()
    source = source_filter("figure")
    q = SearchFilter(
        search_fields=["label", "measure", "according_to"],
        help_text="Words to find in the label, measure or attribution (all must match).",
    )
    ordering = StableOrderingFilter(
        fields=[("date_earliest", "date"), ("measure", "measure"), ("value", "value")],
        help_text="Sort by date, measure or value; prefix with - for descending.",
    )

    class Meta(DatedFilterSet.Meta):
        model = Figure
        fields = []


class CitationFilterSet(django_filters.FilterSet):
    source = SlugFilter(queryset=Source.objects.all(), help_text="Slug of the source (repeatable).")
    statement = SlugFilter(
        queryset=Statement.objects.all(), help_text="Slug of the statement cited (repeatable)."
    )
    event = SlugFilter(
        queryset=Event.objects.all(), help_text="Slug of the event cited (repeatable)."
    )
    figure = SlugFilter(
        queryset=Figure.objects.all(), help_text="Slug of the figure cited (repeatable)."
    )
    q = SearchFilter(
        search_fields=["excerpt"], help_text="Words to find in the excerpt (all must match)."
    )

    class Meta:
        model = Citation
        fields = []
