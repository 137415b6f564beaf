"""`GET /api/v1/search/?q=`: one ranked search across statements, events, sources and figures."""

from __future__ import annotations  # `list` below is also a method's name

import django_filters
from django.db.models import CharField, QuerySet, Value
from rest_framework import mixins, serializers, viewsets

from config.api.filters import SEARCH_HELP, FullTextSearchFilter, cleaned_filters
from config.api.pagination import NumberedPagination
from config.api.renderers import JSON_ONLY
from config.api.rows import Addresses
from config.db.search import Search, render_highlight
from config.db.search.fields import HighlightField
from events.models import Event, Source
from statements.models import Figure, Statement

HIT_TYPES = {
    "statement": Statement,
    "event": Event,
    "source": Source,
    "figure": Figure,
}


# what each type's hit shows beside its highlight: slug, date, then its title's parts (joined
# by ": ")
HIT_COLUMNS = {
    "statement": ("slug", "date", "search_highlight", "speaker__name", "text"),
    "event": ("slug", "date", "search_highlight", "title"),
    "source": ("slug", "date", "search_highlight", "title"),
    "figure": ("slug", "date", "search_highlight", "label"),
}


class SearchFilterSet(django_filters.FilterSet):
    """The parameters of the cross-type search; they only validate here (see SearchViewSet)."""

    q = FullTextSearchFilter(required=True, help_text="Words to find (required). " + SEARCH_HELP)
    type = django_filters.MultipleChoiceFilter(
        choices=[(name, name) for name in HIT_TYPES],
        method="keep",
        help_text="Only hits of this type: statement, event, source or figure (repeatable: "
        "either matches). Default: all four.",
    )

    class Meta:
        model = Statement
        fields = []

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=list(HIT_TYPES), help_text="What was found: statement, event, source or figure."
    )
    slug = serializers.SlugField(help_text="The record's slug.")
    url = serializers.URLField(help_text="The record in the API.")
    title = serializers.CharField(
        help_text="A statement's speaker and text, an event's or source's title, a figure's label."
    )
    date = serializers.CharField(
        help_text="The record's partial date (YYYY, YYYY-MM or YYYY-MM-DD)."
    )
    highlight = HighlightField(
        help_text="The matched text as HTML, escaped, with every matched word between <mark> "
        "and </mark>: a statement's text, an event's summary, a snippet of a source's text, a "
        "figure's label."
    )
    rank = serializers.FloatField(
        source="search_rank", help_text="Relevance: higher is better; compare within one answer."
    )


class SearchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Search statements, events, sources and figures at once, best match first.

    Each hit names its type, slug, address, title, date, relevance (`rank`) and a `highlight`
    of the matched words. Hits of equal rank come in type and then slug order.
    """

    renderer_classes = JSON_ONLY
    pagination_class = NumberedPagination

    filterset_class = SearchFilterSet
    serializer_class = SearchHitSerializer
    queryset = Statement.objects.none()  # the filter backend validates the parameters on it

    def list(self, request, *args, **kwargs):
        filters = cleaned_filters(self, request)  # a 400 for bad parameters, before any query
        # one search for the four types: when their union finds nothing, the paging makes it
        # fall back, and every type's part of the union follows (config.db.search.plan)
        self.query = query = request.parley_search = Search(filters["q"])
        types = filters["type"] or list(HIT_TYPES)

        # one UNION of (type, id, rank) over the chosen types, paged in the database; counted
        # as a UNION of the keys alone (a count needs no rank); then the page's rows, with
        # their highlights, by type
        matches = [HIT_TYPES[name].objects.search(query).order_by() for name in types]
        ranked = [
            found.annotate(hit_type=Value(name, output_field=CharField())).values_list(
                "hit_type", "pk", "search_rank"
            )
            for name, found in zip(types, matches, strict=True)
        ]
        self.counted = union([found.values_list("pk") for found in matches])
        page = self.paginate_queryset(union(ranked).order_by("-search_rank", "hit_type", "pk"))
        return self.get_paginated_response(self.hits(page))

    def hits(self, page: list[tuple[str, int, float]]) -> list[dict]:
        """The page's hits as the serializer writes them, from one query of rows per type:
        what a hit shows and its highlight, computed for the page's records alone (the rank
        comes with the page)."""
        rows = {}
        for name in {hit_type for hit_type, _, _ in page}:
            model = HIT_TYPES[name]
            ids = [pk for hit_type, pk, _ in page if hit_type == name]
            found = model.objects.filter(pk__in=ids).order_by().highlighted(self.query)
            rows.update(
                {(name, row[0]): row for row in found.values_list("pk", *HIT_COLUMNS[name])}
            )
        addresses = Addresses(self.request)
        hits = []
        for name, pk, rank in page:
            if (name, pk) not in rows:
                continue  # deleted since the page was read
            _pk, slug, date, highlight, *title = rows[(name, pk)]
            hits.append(
                {
                    "type": name,
                    "slug": slug,
                    "url": addresses(f"api:{name}-detail", slug),
                    "title": ": ".join(title),
                    "date": date,
                    "highlight": render_highlight(highlight) or "",
                    "rank": rank,
                }
            )
        return hits


def union(querysets: list[QuerySet]) -> QuerySet:
    return querysets[0].union(*querysets[1:], all=True)
