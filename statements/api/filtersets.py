"""Query parameters of the statement, figure and citation list endpoints."""

import django_filters
from django.db.models import Q, QuerySet

from config.api.filters import (
    SEARCH_HELP,
    DatedFilterSet,
    FullTextSearchFilter,
    RecordFilterSet,
    SearchFilter,
    SlugFilter,
    StableOrderingFilter,
    validate_slug_value,
)
from events.api.filtersets import place_filter, source_filter, topic_filter
from events.models import Event, Person, Source
from statements.models import Citation, Figure, Position, Statement, Wording


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
    issue = django_filters.MultipleChoiceFilter(
        choices=Position.Issue.choices,
        method="filter_position",
        help_text="Issue the statement takes a stance on, e.g. `territory` (repeatable: either "
        "matches). With `stance`, one and the same position must match both: "
        "`?issue=territory&stance=rejects` lists who rejected territorial terms.",
    )
    stance = django_filters.MultipleChoiceFilter(
        choices=Position.Stance.choices,
        method="filter_position",
        help_text="Stance taken on an issue: proposes, accepts, rejects, conditions or neutral "
        "(repeatable: either matches). Combined with `issue` on the same position.",
    )
    topic = topic_filter()
    place = place_filter()
    source = source_filter("statement")
    q = FullTextSearchFilter(
        help_text="Words to find in the text, the speaker's name (any spelling: `Zelensky` "
        "finds Zelenskiy) or label, the venue or via. " + SEARCH_HELP,
    )
    ordering = StableOrderingFilter(
        fields=[("date_earliest", "date"), ("slug", "slug")],
        help_text="Sort by date or slug; prefix with - for descending. Default: by date, or "
        "best match first when `q` is given.",
    )

    class Meta(DatedFilterSet.Meta):
        model = Statement
        fields = []

    def filter_position(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # issue and stance must hold of one and the same position, so filter_queryset applies
        # them together in one subquery; filtering each on its own would match a statement
        # that accepts one issue and rejects another for `issue=a&stance=rejects`
        return queryset

    def filter_queryset(self, queryset: QuerySet, leave_out: frozenset = frozenset()) -> QuerySet:
        queryset = super().filter_queryset(queryset, leave_out)
        cleaned = self.form.cleaned_data
        issues = None if "issue" in leave_out else cleaned.get("issue")
        stances = None if "stance" in leave_out else cleaned.get("stance")
        if not issues and not stances:
            return queryset
        positions = Position.objects.all()
        if issues:
            positions = positions.filter(issue__in=issues)
        if stances:
            positions = positions.filter(stance__in=stances)
        # a subquery rather than a join, so that no DISTINCT over the whole result is needed
        return queryset.filter(pk__in=positions.values("statement_id"))

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
    q = FullTextSearchFilter(
        help_text="Words to find in the label, measure or attribution. " + SEARCH_HELP,
    )
    ordering = StableOrderingFilter(
        fields=[("date_earliest", "date"), ("measure", "measure"), ("value", "value")],
        help_text="Sort by date, measure or value; prefix with - for descending. Default: by "
        "measure and date, or best match first when `q` is given.",
    )

    class Meta(DatedFilterSet.Meta):
        model = Figure
        fields = []


class CitationFilterSet(RecordFilterSet):
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


class WordingFilterSet(RecordFilterSet):
    statement = SlugFilter(
        queryset=Statement.objects.all(), help_text="Slug of the statement (repeatable)."
    )
    source = SlugFilter(
        queryset=Source.objects.all(), help_text="Slug of the source printing it (repeatable)."
    )

    class Meta:
        model = Wording
        fields = []


class PositionFilterSet(RecordFilterSet):
    issue = django_filters.MultipleChoiceFilter(
        choices=Position.Issue.choices, help_text="Issue (repeatable: either matches)."
    )
    stance = django_filters.MultipleChoiceFilter(
        choices=Position.Stance.choices, help_text="Stance (repeatable: either matches)."
    )
    statement = SlugFilter(
        queryset=Statement.objects.all(), help_text="Slug of the statement (repeatable)."
    )
    speaker = SlugFilter(
        field_name="statement__speaker",
        queryset=Person.objects.all(),
        help_text="Slug of the person whose statement it is coded from (repeatable).",
    )
    holder = SlugFilter(
        queryset=Person.objects.all(),
        help_text="Slug of the party whose position it is, where not the speaker's (repeatable).",
    )

    class Meta:
        model = Position
        fields = []
