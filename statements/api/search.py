"""`GET /api/v1/search/?q=`: one ranked search across statements, events, sources and figures."""

from __future__ import annotations  # `list` below is also a method's name

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from config.api.filters import SEARCH_HELP, FullTextSearchFilter, cleaned_filters
from config.api.pagination import NumberedPagination
from config.api.renderers import JSON_ONLY
from config.api.rows import Addresses
from config.db.router import read_connection
from config.db.search import Search, SearchIndex, render_highlight
from config.db.search.expressions import matches_sql, scored_sql
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

    schema_summary = "Search every kind of record"
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
        indexes = [HIT_TYPES[name].objects.all().search_index for name in types]
        for index in indexes:
            query.searching(index)
        # one UNION of (type, id, rank) over the chosen types, counted and paged in the
        # database; then the page's rows, with their highlights, by type
        page = self.paginate_queryset(RankedHits(query, list(zip(types, indexes, strict=True))))
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


class RankedHits:
    """The matches of several types ranked together, as the paginator pages them: counted and
    cut into pages in the database, from the search indexes alone where they can answer
    (SQLite's FTS5 tables: a record's row is read for its page only). Each query is built
    when it runs, from what the search reads then (it may have fallen back)."""

    ordered = True  # best first, then type, then key

    def __init__(self, search: Search, types: list[tuple[str, SearchIndex]]):
        self.search, self.types = search, types

    def _union(self, part) -> tuple[str, list]:
        parts, params = [], []
        for name, index in self.types:
            sql, part_params = part(index, self.search, read_connection())
            parts.append(f"SELECT %s AS hit_type, h.* FROM ({sql}) AS h")
            params += [name, *part_params]
        return " UNION ALL ".join(parts), params

    def capped_count(self, limit: int) -> int:
        """How many hits there are, counting no more than `limit`."""
        union, params = self._union(matches_sql)
        with read_connection().cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({union} LIMIT {int(limit)}) AS capped", params)
            return cursor.fetchone()[0]

    def __getitem__(self, page: slice) -> list[tuple[str, int, float]]:
        union, params = self._union(scored_sql)
        limit, offset = int(page.stop - page.start), int(page.start)
        with read_connection().cursor() as cursor:
            cursor.execute(
                f"SELECT hit_type, hit, score FROM ({union}) AS hits "
                f"ORDER BY score DESC, hit_type, hit LIMIT {limit} OFFSET {offset}",
                params,
            )
            return [(name, key, float(score)) for name, key, score in cursor.fetchall()]
