"""How lists are paged: by page number (the default) or by cursor (`?paging=cursor`).

Page numbers suit small results and jumping about. A page-number list counts its matches only
up to `COUNT_CAP` (a COUNT over at most that many rows, never the whole table): `count` is exact
below the cap, and page numbers reach the first `COUNT_CAP` records. Beyond that, or to walk a
large result at a cost that does not grow with depth, page by cursor: a keyset walk whose `next`
and `previous` links carry an opaque `cursor` holding the position of the page's edge record in
the list's ordering. Cursor pages carry no count.

Every page also names its neighbours in a `Link` header (rel="next" / rel="prev").
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.api.filters import link_rows
from config.api.params import (
    MAX_CURSOR_LENGTH,
    MAX_NUMBER,
    dump_cursor,
    given_params,
    load_cursor,
    page_size,
    positive_int,
)
from config.db.ordering import list_order
from config.db.search import Search, request_search, settle, top
from config.db.search.top import Kept, kept_ranking

MAX_PAGE = MAX_NUMBER
COUNT_CAP = 10_000


def search_outcome(search: Search | None) -> dict:
    """What a searched page says of its search: whether every term matched (`match`) and the
    corrected text it searched for instead (`suggestion`); nothing for a list not searched."""
    if search is None:
        return {}
    return {"match": search.match, "suggestion": search.suggestion}


def _link_header(next_url: str | None, previous_url: str | None) -> dict:
    links = [f'<{url}>; rel="{rel}"' for url, rel in ((next_url, "next"), (previous_url, "prev"))]
    kept = [link for link, url in zip(links, (next_url, previous_url), strict=True) if url]
    return {"Link": ", ".join(kept)} if kept else {}


def count_rows(rows: QuerySet) -> int:
    """`rows.count()` for a slice of keys, the same query: the ORM would rebuild the slice as an
    aggregation over a subquery for every page (80 µs of a first page of statements), when the
    count is a `COUNT(*)` around the slice's own SQL."""
    try:
        sql, params = rows.query.get_compiler(rows.db).as_sql()
    except EmptyResultSet:  # a filter that nothing matches: no query, as the ORM runs none
        return 0
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)
        return cursor.fetchone()[0]


class CappedPaginator(Paginator):
    """Counts at most `COUNT_CAP + 1` rows: enough to know whether the count is exact."""

    cap = COUNT_CAP
    search: Search | None = None  # the list's search, which falls back when it finds nothing
    kept: Kept | None = None  # the kept ranking its pages are read from (config.db.search.top)

    @cached_property
    def matches(self) -> int:
        matches = self._capped_count()
        # a search that finds nothing falls back (config.db.search.plan), and the same queryset,
        # counted again, runs the fallback: no query more when the search finds something
        while matches == 0 and self.search is not None and self.search.fall_back():
            matches = self._capped_count()
        return matches

    def _capped_count(self) -> int:
        # no ORDER BY: a count needs none, and a sort under the LIMIT would read every row; only
        # the key: an annotation (a search's rank and highlight) would be computed for each row
        if hasattr(self.object_list, "capped_count"):  # a list that counts itself (/search/)
            return self.object_list.capped_count(self.cap + 1)
        counted = self.object_list.order_by().values("pk")[: self.cap + 1]
        links = link_rows(self.object_list)
        if links is not None:  # one slug filter alone: its link rows, one per record
            return links[: self.cap + 1].count()
        self.kept = kept_ranking(self.object_list, self.search)
        if self.kept is None:
            return count_rows(counted)
        # a common term's ranking may be kept (config.db.search.top): counted there when it is
        total, inside = top.count(counted, self.kept, self.cap)
        self.kept = self.kept if inside else None
        return total

    def page(self, number):
        read = getattr(self.object_list, "read", None)
        start = (int(number) - 1) * self.per_page
        if read is not None and 0 <= start <= self.cap:
            # a list that reads a page with its count, in one query (the timeline, a history):
            # `read(window, cap)` keeps the window's items for the slice below and returns the
            # count, over `cap` when there are more; then the number is validated as any
            self.matches = min(read(slice(start, start + self.per_page), self.cap), self.cap + 1)
            self.kept = None
        number = self.validate_number(number)  # counts first: that tells whether it is kept
        if self.kept is None:
            return super().page(number)
        # every page numbers reach lies inside the kept ranking: its keys come from there
        rows = top.page(self.object_list, self.kept, (number - 1) * self.per_page, self.per_page)
        return self._get_page(rows, number, self)

    @cached_property
    def count(self) -> int:
        return min(self.matches, self.cap)

    @property
    def count_exact(self) -> bool:
        return self.matches <= self.cap


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: 20 items a page by default, at most 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedPaginator
    page_query_description = (
        f"Page number, from 1. Page numbers reach the first {COUNT_CAP:,} records; "
        "`paging=cursor` walks any further."
    )
    page_size_query_description = "Items per page, from 1 to 100 (default 20)."
    search: Search | None = None

    def get_page_size(self, request) -> int:
        return page_size(request, self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        raw = given_params(request).get(self.page_query_param, "1")
        number = positive_int(self.page_query_param, raw)
        paginator = self.django_paginator_class(queryset, page_size)
        paginator.search = self.search = request_search(request)
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            if paginator.count_exact:
                message = (
                    f"page {number} does not exist: there are {paginator.num_pages} page(s) of "
                    f"{page_size} item(s)."
                )
            else:
                message = (
                    f"page {number} is past the first {paginator.cap} records, which page numbers "
                    "reach; walk further with paging=cursor."
                )
            raise NotFound(message) from error
        return list(self.page)

    def get_paginated_response(self, data) -> Response:
        next_url, previous_url = self.get_next_link(), self.get_previous_link()
        return Response(
            {
                "count": self.page.paginator.count,
                "count_exact": self.page.paginator.count_exact,
                **search_outcome(self.search),
                "next": next_url,
                "previous": previous_url,
                "results": data,
            },
            headers=_link_header(next_url, previous_url),
        )


def _ordering(queryset: QuerySet) -> list[tuple[str, bool]]:
    """The list's ordering as (field, descending) pairs, ending in the unique primary key.

    Lists sort a null (an open start) as the smallest value, in both directions
    (`config.api.filters.StableOrderingFilter`); the walk below compares the same way."""
    fields = []
    for item in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(item, str):
            fields.append((item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            fields.append((item.expression.name, item.descending))
        else:
            raise ValidationError({"paging": ["Cursor paging is not available in this order."]})
    if not fields or fields[-1][0] not in {"pk", queryset.model._meta.pk.name}:
        fields.append(("pk", False))
    return fields


def _value(record, field: str):
    if isinstance(record, dict):  # a row of keys (config.api.rows)
        value = record[field]
    else:
        value = record
        for part in field.split("__"):
            value = getattr(value, part)
    # a rank is a float, which JSON carries exactly; dates go as text
    return value if value is None or isinstance(value, int | str | float) else str(value)


def _equal(name: str, value) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


class CursorPagination(pagination.BasePagination):
    """A keyset walk: each page is the `page_size` records after (or before) the position in
    its cursor, found by a comparison on the ordering's columns, whatever the depth."""

    page_size = PageNumberPagination.page_size
    search: Search | None = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = PageNumberPagination().get_page_size(request)
        ordering = _ordering(queryset)
        # a cursor is good for the list and the ordering it was issued for, nothing else
        key = request.path + "?" + ",".join(f"{'-' if d else ''}{name}" for name, d in ordering)
        raw = given_params(request).get("cursor")
        position, backwards = load_cursor(raw, key) if raw else (None, False)
        self.search = search = request_search(request)
        if position is not None:
            settle(queryset, search)  # the walk goes on in the reading its first page found
            queryset = queryset.filter(self._beyond(ordering, position, backwards))
        # walking back reads the rows before the position in the reverse order, then flips them
        queryset = queryset.order_by(
            *(list_order(name, desc != backwards, queryset.model) for name, desc in ordering)
        )
        records = list(queryset[: page_size + 1])
        while not records and position is None and search is not None and search.fall_back():
            records = list(queryset[: page_size + 1])  # the same queryset runs the fallback
        more = len(records) > page_size
        records = records[:page_size]
        if backwards:
            records.reverse()
        has_next = more if not backwards else position is not None
        has_previous = position is not None if not backwards else more
        self.next_url = self._link(records[-1], ordering, key, False) if has_next else None
        self.previous_url = self._link(records[0], ordering, key, True) if has_previous else None
        if records == [] and position is not None:
            self.next_url = self.previous_url = None
        return records

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                **search_outcome(self.search),
                "next": self.next_url,
                "previous": self.previous_url,
                "results": data,
            },
            headers=_link_header(self.next_url, self.previous_url),
        )

    @staticmethod
    def _beyond(ordering, position: list, backwards: bool) -> Q:
        """Rows strictly after `position` in the ordering (before it when walking back)."""
        nothing = Q(pk__in=[])
        condition = nothing
        for depth, (name, descending) in enumerate(ordering):
            value = position[depth]
            equal = Q()
            for earlier, earlier_value in zip(ordering[:depth], position[:depth], strict=True):
                equal &= _equal(earlier[0], earlier_value)
            if descending != backwards:  # smaller values, and null is the smallest
                beyond = nothing if value is None else Q(**{f"{name}__lt": value})
                if value is not None:
                    beyond |= Q(**{f"{name}__isnull": True})
            else:  # greater values: any value is greater than null
                beyond = (
                    Q(**{f"{name}__isnull": False})
                    if value is None
                    else Q(**{f"{name}__gt": value})
                )
            condition |= equal & beyond
        # The first column's bound once more, on its own: inside the OR a database sees no
        # range of the index to start from and reads it from the top, page after page.
        name, descending = ordering[0]
        if position[0] is not None and descending == backwards:
            condition &= Q(**{f"{name}__gte": position[0]})
        return condition

    def _link(self, record, ordering, key: str, backwards: bool) -> str:
        cursor = dump_cursor(key, [_value(record, name) for name, _ in ordering], backwards)
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        url = replace_query_param(url, "paging", "cursor")
        return replace_query_param(url, "cursor", cursor)


class ParleyPagination(pagination.BasePagination):
    """Page numbers by default; `?paging=cursor` (or a `cursor`) walks by cursor."""

    display_page_controls = False
    cursor_walks = True

    def __init__(self):
        self.by_number = PageNumberPagination()
        self.by_cursor = CursorPagination()
        self.active = self.by_number

    def paginate_queryset(self, queryset, request, view=None):
        return self.choose(request).paginate_queryset(queryset, request, view)

    def choose(self, request) -> PageNumberPagination | CursorPagination:
        """Which of the two pages the request (the `paging` and `cursor` it gives, checked),
        kept as `active` for the response."""
        params = given_params(request)
        paging = params.get("paging", "cursor" if "cursor" in params else "page")
        if paging not in {"page", "cursor"}:
            raise ValidationError({"paging": ["paging is page or cursor."]})
        if paging == "cursor" and not self.cursor_walks:
            raise ValidationError({"paging": ["This list pages by page number only."]})
        if paging == "cursor" and "page" in params:
            raise ValidationError({"page": ["Page numbers do not apply with paging=cursor."]})
        if paging == "page" and "cursor" in params:
            raise ValidationError({"cursor": ["A cursor needs paging=cursor."]})
        self.active = self.by_cursor if paging == "cursor" else self.by_number
        return self.active

    def get_paginated_response(self, data) -> Response:
        return self.active.get_paginated_response(data)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return _page_parameters() + (_cursor_parameters() if self.cursor_walks else [])

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return _page_schema(schema)


class NumberedPagination(ParleyPagination):
    """Page numbers only: for a list of several types at once (search, the timeline), whose
    union has no single ordering a cursor could walk."""

    cursor_walks = False


def _parameter(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": schema,
    }


def _page_parameters() -> list[dict]:
    return [
        _parameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            PageNumberPagination.page_query_description,
        ),
        _parameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": PageNumberPagination.max_page_size},
            PageNumberPagination.page_size_query_description,
        ),
    ]


def _cursor_parameters() -> list[dict]:
    return [
        _parameter(
            "paging",
            {"type": "string", "enum": ["page", "cursor"]},
            "`page` (default): numbered pages with a count. `cursor`: a walk by the `next` "
            "and `previous` links, at the same cost at any depth, without a count.",
        ),
        _parameter(
            "cursor",
            {"type": "string", "pattern": r"^[-A-Za-z0-9_:.]+$", "maxLength": MAX_CURSOR_LENGTH},
            "Opaque position of a cursor walk: take it from a `next` or `previous` link, "
            "never build one.",
        ),
    ]


def _page_schema(schema: dict) -> dict:
    link = {"type": "string", "format": "uri", "nullable": True}
    return {
        "type": "object",
        "required": ["next", "previous", "results"],
        "properties": {
            "count": {
                "type": "integer",
                "minimum": 0,
                "description": f"Number of matches, exact up to {COUNT_CAP:,} (see "
                "`count_exact`); page-number pages only.",
            },
            "count_exact": {
                "type": "boolean",
                "description": f"False when more than {COUNT_CAP:,} records match and "
                "`count` is that cap; page-number pages only.",
            },
            "match": {
                "type": "string",
                "enum": ["all", "any"],
                "description": "Only when searching with `q`: `all` when every term matched; "
                "`any` when no record held them all and the results are the records holding "
                "any of them, most terms first.",
            },
            "suggestion": {
                "type": "string",
                "nullable": True,
                "description": "Only when searching with `q`: the corrected text that was "
                "searched for instead, when the text as typed found nothing and a word of it "
                "was one or two letters away from a word of the index (`ceasfire` -> "
                "`ceasefire`); null otherwise.",
            },
            "next": {**link, "description": "Address of the next page, or null on the last."},
            "previous": {
                **link,
                "description": "Address of the previous page, or null on the first.",
            },
            "results": {**schema, "description": "The records of this page."},
        },
    }
