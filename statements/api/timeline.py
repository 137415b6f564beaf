"""`GET /api/v1/timeline/`: events and statements merged in date order, paged."""

from __future__ import annotations  # `list` below is also a method's name

import django_filters
from django.db.models import CharField, F, QuerySet, Value
from django.urls import reverse
from rest_framework import mixins, serializers, viewsets

from config.api.filters import DatedFilterSet, cleaned_filters
from config.api.pagination import NumberedPagination
from config.api.params import given_params
from config.api.renderers import JSON_ONLY
from events.api.serializers import PersonBriefSerializer
from events.models import Event
from statements.models import Statement

ITEM_TYPES = {"event": Event, "statement": Statement}


class TimelineFilterSet(DatedFilterSet):
    """The timeline's parameters. The date range filters each type's records; `type` and
    `ordering` act on the merged list (see TimelineViewSet)."""

    type = django_filters.MultipleChoiceFilter(
        choices=[(name, name) for name in ITEM_TYPES],
        method="keep",
        help_text="Only items of this type: event or statement (repeatable). Default: both.",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[("date", "date"), ("-date", "-date")],
        method="keep",
        help_text="`date` (default: earliest first) or `-date` (latest first). Items of one "
        "date come events first, then statements, each in slug order.",
    )

    class Meta(DatedFilterSet.Meta):
        model = Statement
        fields = []

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset


class TimelineItemSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(ITEM_TYPES), help_text="event or statement.")
    slug = serializers.SlugField(help_text="The record's slug.")
    url = serializers.URLField(help_text="The record in the API.")
    date = serializers.CharField(help_text="Partial date: YYYY, YYYY-MM or YYYY-MM-DD.")
    date_earliest = serializers.DateField(
        allow_null=True, help_text="First day the date may be; null when the start is open."
    )
    date_latest = serializers.DateField(help_text="Last day the date may be.")
    kind = serializers.CharField(help_text="The event's kind or the statement's kind.")
    title = serializers.CharField(help_text="The event's title, or the statement's text.")
    speaker = PersonBriefSerializer(
        allow_null=True, help_text="Who said it, for a statement; null for an event."
    )


class TimelineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Events and statements in one list, in date order, under the same date filters.

    Ordered by the first day each date may be (`date_earliest`), so a month-precise date comes
    before the days of that month, and an open start ("said before the report") before all.
    """

    schema_summary = "Events and statements in date order"
    renderer_classes = JSON_ONLY
    pagination_class = NumberedPagination

    filterset_class = TimelineFilterSet
    serializer_class = TimelineItemSerializer
    queryset = Statement.objects.none()  # the filter backend validates the parameters on it

    def list(self, request, *args, **kwargs):
        filters = cleaned_filters(self, request)  # a 400 for bad parameters, before any query
        types = filters["type"] or list(ITEM_TYPES)
        descending = filters["ordering"] == "-date"

        # one UNION of (date, type, slug, id) over both tables: counted and paged in the
        # database; then the page's records by type
        dated = [
            self.filterset_class(given_params(request), queryset=ITEM_TYPES[name].objects.all())
            .qs.order_by()
            .annotate(item_type=Value(name, output_field=CharField()))
            .values_list("date_earliest", "item_type", "slug", "pk")
            for name in types
        ]
        # an open start (null) may be the earliest of all: first on both databases
        if descending:
            order = [F("date_earliest").desc(nulls_last=True), "-item_type", "-slug"]
        else:
            order = [F("date_earliest").asc(nulls_first=True), "item_type", "slug"]
        union = dated[0].union(*dated[1:], all=True).order_by(*order)
        page = self.paginate_queryset(union)
        return self.get_paginated_response(self.get_serializer(self.items(page), many=True).data)

    def items(self, page: list[tuple]) -> list[dict]:
        records = {}
        for name in {item_type for _, item_type, _, _ in page}:
            ids = [pk for _, item_type, _, pk in page if item_type == name]
            queryset = ITEM_TYPES[name].objects.filter(pk__in=ids)
            if name == "statement":
                queryset = queryset.select_related("speaker")  # speaker
            records.update({(name, record.pk): record for record in queryset})
        items = []
        for _, name, _, pk in page:
            record = records[(name, pk)]
            items.append(
                {
                    "type": name,
                    "slug": record.slug,
                    "url": self.request.build_absolute_uri(
                        reverse(f"api:{name}-detail", kwargs={"slug": record.slug})
                    ),
                    "date": record.date,
                    "date_earliest": record.date_earliest,
                    "date_latest": record.date_latest,
                    "kind": record.kind,
                    "title": record.text if name == "statement" else record.title,
                    "speaker": record.speaker if name == "statement" else None,
                }
            )
        return items
