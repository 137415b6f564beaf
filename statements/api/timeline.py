"""`GET /api/v1/timeline/`: events and statements merged in date order, paged."""

from __future__ import annotations  # `list` below is also a method's name

import django_filters
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from config.api.addresses import Addresses
from config.api.filters import DatedFilterSet, checked_filters
from config.api.pagination import CappedPaginator, NumberedPagination, PageNumberPagination
from config.api.renderers import JSON_ONLY
from config.api.row_plans import iso_date
from config.db.router import read_connection
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


class MergedTimeline:
    """The timeline's records of each type, merged in date order, as a paginator's object list:
    counted up to a cap and sliced into pages, a page and its count read by one query.

    Each type's filtered queryset gives its first rows in the timeline's order, read off the
    type's date order index (`statement_date_order`, `event_date_order`: forwards, or backwards
    for `-date`); the page is cut from the union of those, which holds every record before the
    page's end. So neither type is sorted, whatever the filter, at any page numbers reach.
    """

    def __init__(self, querysets: dict[str, QuerySet], descending: bool):
        self.descending = descending
        self.read_window = (None, [])  # (start, items) read with the count by `read`
        # each type's filter as SQL, compiled once: the count and the page are written around
        # it (the timeline's filters are on the records' own columns: no join)
        self.conditions = {}
        database = read_connection()
        for name, queryset in querysets.items():
            query = queryset.query
            assert len(query.alias_map) <= 1, "the timeline filters on a type's own columns"
            try:
                where = query.get_compiler(connection=database).compile(query.where)
            except EmptyResultSet:
                where = ("1 = 0", [])
            except FullResultSet:  # no filter
                where = ("", [])
            self.conditions[name] = (where[0] or "1 = 1", list(where[1]))

    def counted(self, cap: int) -> tuple[str, list]:
        """SQL for the records of every type, each type counted up to `cap + 1`."""
        parts, params = [], []
        for name, (where, values) in self.conditions.items():
            parts.append(
                f"(SELECT count(*) FROM (SELECT 1 FROM {TABLES[name]} WHERE {where} "
                f"LIMIT {cap + 1}) AS capped)"
            )
            params.extend(values)
        return " + ".join(parts), params

    def capped_count(self, cap: int) -> int:
        sql, params = self.counted(cap)
        with read_connection().cursor() as cursor:
            cursor.execute(f"SELECT {sql}", params)
            return cursor.fetchone()[0]

    def read(self, window: slice, cap: int) -> int:
        """Read the items of `window` and count (as capped_count) in one query; keep the
        items for the paginator's slice; return the count."""
        total, params = self.counted(cap)
        page, page_params = self.page_sql(window)
        sql = (
            f"SELECT ({total}) AS total, page.* FROM (SELECT 1) AS one "
            f"LEFT JOIN ({page}) AS page ON 1 = 1 ORDER BY page.place"
        )
        with read_connection().cursor() as cursor:
            cursor.execute(sql, [*params, *page_params])
            rows = cursor.fetchall()
        # an empty page is one row of the count, without an item
        self.read_window = (window.start, [row[1:-1] for row in rows if row[1] is not None])
        return rows[0][0]

    def __getitem__(self, window: slice) -> list[tuple]:
        """The items from `window.start` to `window.stop` in the merged order, each as (type,
        slug, date, date_earliest, date_latest, kind, title, speaker's slug, name, kind)."""
        start, rows = self.read_window
        if start == window.start:  # read with the count (a last page may be cut shorter)
            return rows[: window.stop - window.start]
        sql, params = self.page_sql(window)
        with read_connection().cursor() as cursor:
            cursor.execute(sql, params)
            return [row[:-1] for row in cursor.fetchall()]

    def page_sql(self, window: slice) -> tuple[str, list]:
        """SQL for the items of `window`, in order, each ending with its place in the order."""
        if self.descending:
            order = "{0}date_earliest DESC NULLS LAST, {1}{0}slug DESC"
            item_type = "{0}item_type DESC, "
        else:
            order = "{0}date_earliest ASC NULLS FIRST, {1}{0}slug"
            item_type = "{0}item_type, "
        branches, params = [], []
        for name, (where, values) in self.conditions.items():
            table = TABLES[name]
            speaker = f"{table}.speaker_id" if name == "statement" else "CAST(NULL AS bigint)"
            columns = ", ".join(
                f"{table}.{column}"
                for column in ["date_earliest", "slug", "date", "date_latest", "kind"]
            )
            columns += f", {table}.{TITLES[name]} AS title"
            branches.append(
                f"SELECT '{name}' AS item_type, {name}s.* FROM (SELECT {columns}, "
                f"{speaker} AS speaker_key FROM {table} WHERE {where} "
                f"ORDER BY {order.format(f'{table}.', '')} LIMIT {window.stop}) AS {name}s"
            )
            params.extend(values)
        merged_order = order.format("{0}", item_type).format
        sql = (
            f"SELECT t.item_type, t.slug, t.date, t.date_earliest, t.date_latest, t.kind, "
            f"t.title, p.slug, p.name, p.kind, "
            f"row_number() OVER (ORDER BY {merged_order('t.')}) AS place FROM ("
            f"SELECT * FROM ({' UNION ALL '.join(branches)}) AS u "
            f"ORDER BY {merged_order('u.')} LIMIT {window.stop - window.start} "
            f"OFFSET {window.start}) AS t LEFT JOIN events_person p ON p.id = t.speaker_key "
            f"ORDER BY {merged_order('t.')}"
        )
        return sql, params


TABLES = {"event": "events_event", "statement": "statements_statement"}
TITLES = {"event": "title", "statement": "text"}  # each branch names its column `title`


class TimelinePaginator(CappedPaginator):
    """Counts a MergedTimeline, each type up to the cap."""

    def _capped_count(self) -> int:
        self.kept = None  # no search, no kept ranking
        return min(self.object_list.capped_count(self.cap), self.cap + 1)


class TimelinePages(PageNumberPagination):
    django_paginator_class = TimelinePaginator


class TimelinePagination(NumberedPagination):
    def __init__(self):
        super().__init__()
        self.by_number = self.active = TimelinePages()


def speaker_brief(speaker: list, addresses: Addresses) -> dict | None:
    """A statement's speaker as PersonBriefSerializer writes it, from its slug, name and kind;
    None for an event (no speaker)."""
    slug, name, kind = speaker
    if slug is None:
        return None
    return {"slug": slug, "name": name, "kind": kind, "url": addresses("api:person-detail", slug)}


class TimelineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Events and statements in one list, in date order, under the same date filters.

    Ordered by the first day each date may be (`date_earliest`), so a month-precise date comes
    before the days of that month, and an open start ("said before the report") before all.
    """

    schema_summary = "Events and statements in date order"
    renderer_classes = JSON_ONLY
    pagination_class = TimelinePagination

    filterset_class = TimelineFilterSet
    serializer_class = TimelineItemSerializer
    queryset = Statement.objects.none()  # the filter backend validates the parameters on it

    def list(self, request, *args, **kwargs):
        filterset = checked_filters(self, request)  # a 400 for bad parameters, before any query
        given = filterset.form.cleaned_data
        types = given.get("type") or list(ITEM_TYPES)
        # the one FilterSet, validated once, filters each type (its filters are on the dates)
        filtered = {
            name: filterset.filter_queryset(ITEM_TYPES[name].objects.all())
            for name in ITEM_TYPES
            if name in types
        }
        page = self.paginate_queryset(MergedTimeline(filtered, given.get("ordering") == "-date"))
        return self.get_paginated_response(self.items(page))

    def items(self, page: list[tuple]) -> list[dict]:
        """The page's rows shaped as TimelineItemSerializer writes them."""
        addresses = Addresses(self.request)
        return [
            {
                "type": name,
                "slug": slug,
                "url": addresses(f"api:{name}-detail", slug),
                "date": date,
                "date_earliest": iso_date(earliest),
                "date_latest": iso_date(latest),
                "kind": kind,
                "title": title,
                "speaker": speaker_brief(speaker, addresses),
            }
            for name, slug, date, earliest, latest, kind, title, *speaker in page
        ]
