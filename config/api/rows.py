"""Records read as rows: the lists and details of the large types built without model instances.

A serializer (`*/api/serializers.py`) defines a record's shape and, through drf-spectacular, its
schema. Serializing a page that way builds every record and every nested record as a model
instance, one prefetch query per relation, and some 3,000 serializer fields for a page of
statements: 10-25 ms of Python a page, against 1-4 ms for the page's whole SQL. For the types
whose lists run to a million rows (statements, events), a `RowReader` builds the same dicts from
one query instead: the records' own columns, and each nested list aggregated as JSON by the
database (`json_list`), read once and shaped here. `tests/test_rows.py` holds every record of the
dataset against its serializer, on SQLite and PostgreSQL.

`RowsMixin` gives a viewset its list, detail, bulk download and writes' answers through its
reader. Filtering, ordering and paging are unchanged: the page is still cut by the filtered
queryset, which now selects only the keys (`pk` and the ordering's columns) and hands them to
the reader.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

import orjson
from django.db import connection
from django.urls import get_script_prefix, reverse
from rest_framework.exceptions import NotFound

from config.api.export import keyset_walk
from config.api.params import PAGINATION_PARAMS, given_params
from config.api.preconditions import body_digest, entity_tag
from config.db.ordering import ordering_names
from config.db.router import read_connection
from config.db.search import Search, SearchIndex, render_highlight, request_search
from config.db.search.expressions import highlight_sql

PLACEHOLDER = "lookup-placeholder"


@cache
def _route(script_prefix: str, view_name: str) -> str:
    return reverse(view_name, kwargs={"slug": PLACEHOLDER})


def url_template(request, view_name: str) -> tuple[str, str]:
    """What comes before and after the slug in the absolute address of a record of `view_name`:
    the route reversed once per process (and script prefix), made absolute once per request."""
    templates = request.__dict__.setdefault("record_url_templates", {})
    if view_name not in templates:
        address = request.build_absolute_uri(_route(get_script_prefix(), view_name))
        templates[view_name] = tuple(address.rpartition(PLACEHOLDER)[::2])
    return templates[view_name]


@cache
def history_table(model) -> str:
    """The table of the model's history (reading `model.history` builds a manager each time)."""
    return model.history.model._meta.db_table


class Addresses:
    """Absolute record addresses for one request: `addresses("api:event-detail", slug)`."""

    def __init__(self, request):
        self.request = request

    def __call__(self, view_name: str, slug: str) -> str:
        before, after = url_template(self.request, view_name)
        # a slug holds nothing that a URL must escape
        return f"{before}{slug}{after}"


def iso_date(value) -> str | None:
    """A DateField as REST framework writes it (SQLite may hand back the stored text)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def iso_timestamp(value) -> str | None:
    """A DateTimeField as REST framework writes it in UTC: ISO 8601 ending in Z, microseconds
    only when there are some. SQLite stores UTC without an offset, as text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def stored_time(value) -> datetime.datetime | None:
    """A DateTimeField read by a raw query as the ORM reads it: aware, in UTC. PostgreSQL gives
    it so; SQLite keeps the naive UTC time, handed back parsed or as text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def json_list(columns: list[str], source: str, order: str) -> str:
    """SQL for a JSON array (as text) holding one JSON array of `columns` per row of `source`
    (`FROM ... WHERE ...`, correlated with the outer record), in `order`."""
    if connection.vendor == "postgresql":
        return (
            f"(SELECT coalesce(json_agg(json_build_array({', '.join(columns)}) ORDER BY {order}), "
            f"'[]')::text FROM {source})"
        )
    # SQLite's aggregates take no ORDER BY before 3.44: aggregate an ordered subquery
    names = [f"c{number}" for number in range(len(columns))]
    inner = ", ".join(f"{column} AS {name}" for column, name in zip(columns, names, strict=True))
    return (
        f"(SELECT json_group_array(json_array({', '.join(names)})) "
        f"FROM (SELECT {inner} FROM {source} ORDER BY {order}))"
    )


@dataclass
class RowReader:
    """Reads records of one table by primary key, each row shaped into the serializer's dict.

    `columns` are the SQL of the select list, in the order `shape` takes them; `joins` follow
    the record's table (aliased `alias`); `nested()` gives (name, SQL) pairs of `json_list`s,
    each read back into a list and passed to `shape` by name.
    `shape(row, nested, addresses, highlight)` returns the record's dict; `highlight` is the
    search's rendered highlight, or None when the list was not searched.
    """

    table: str
    alias: str
    columns: list[str]
    shape: Callable[..., dict]
    joins: str = ""
    nested: Callable[[], list[tuple[str, str]]] = list
    _sql: dict = field(default_factory=dict, repr=False)

    def select(self, *extra: str) -> tuple[str, list[str]]:
        """The query less its WHERE clause (its select list opening with the key, then `extra`),
        and the names of the nested lists; the columns are built once per database."""
        vendor = connection.vendor
        if vendor not in self._sql:
            nested = self.nested()
            columns = ", ".join([*self.columns, *(sql for _name, sql in nested)])
            self._sql[vendor] = (
                f"{columns} FROM {self.table} {self.alias} {self.joins}",
                [name for name, _sql in nested],
            )
        rest, names = self._sql[vendor]
        return f"SELECT {', '.join([f'{self.alias}.id', *extra])}, {rest}", names

    def read(
        self, keys: list, request, search: Search | None = None, index: SearchIndex | None = None
    ) -> list[dict]:
        """The records whose primary keys are `keys`, in that order; given the list's `search`
        (of this table's `index`), each with its highlight, computed in the same query for
        these records alone. A key whose record is gone (deleted since the page's keys were
        read) is left out."""
        if not keys:
            return []
        database = read_connection()
        marked, marked_params = (
            highlight_sql(index, search, self.alias, database)
            if search is not None and index is not None
            else ("NULL", [])
        )
        select, names = self.select(marked)
        if database.vendor == "postgresql":
            where, params = f"{self.alias}.id = ANY(%s)", [list(keys)]
        else:
            where, params = f"{self.alias}.id IN ({', '.join(['%s'] * len(keys))})", list(keys)
        with database.cursor() as cursor:
            cursor.execute(f"{select} WHERE {where}", [*marked_params, *params])
            rows = {row[0]: row for row in cursor.fetchall()}
        addresses = Addresses(request)
        records = []
        for key in keys:
            if key not in rows:
                continue
            _key, highlight, *rest = rows[key]
            shown = None if search is None else render_highlight(highlight) or ""
            records.append(self._record([key, *rest], names, addresses, shown))
        return records

    def read_slug(self, slug: str, request, history: str) -> tuple[int, int, dict] | None:
        """The record with this slug, its primary key and its latest version in its history
        (the table `history`: the ETag's parts, read in the same query); None when none."""
        version = f"(SELECT max(h.version) FROM {history} h WHERE h.id = {self.alias}.id)"
        select, names = self.select(version)
        with read_connection().cursor() as cursor:
            cursor.execute(f"{select} WHERE {self.alias}.slug = %s", [slug])
            row = cursor.fetchone()
        if row is None:
            return None
        key, version, *rest = row
        return key, version or 0, self._record([key, *rest], names, Addresses(request), None)

    def _record(self, row, names: list[str], addresses: Addresses, highlight) -> dict:
        count = len(self.columns) + 1
        nested = {name: orjson.loads(value) for name, value in zip(names, row[count:], strict=True)}
        return self.shape(row[1:count], nested, addresses, highlight)


def page_keys(queryset) -> list[str]:
    """What a page must select of each record: its key and the ordering's columns (the cursor
    walk reads its position from them). A search's highlight comes with the records."""
    return list(dict.fromkeys(["pk", *ordering_names(queryset)]))


class RowsMixin:
    """A viewset's list, detail, bulk download and writes' answers read through `row_reader`
    (see above); the serializer still defines the shape and the schema."""

    row_reader: RowReader

    def rows_of(self, queryset):
        """The filtered queryset as rows of keys, without the prefetches a serializer needs."""
        return queryset.prefetch_related(None).values(*page_keys(queryset))

    def records(self, rows: Iterable[dict]) -> list[dict]:
        search, index = request_search(self.request), self.queryset.search_index
        if search is not None and index not in search.indexes:
            search = None  # a search of another type's records
        return self.row_reader.read([row["pk"] for row in rows], self.request, search, index)

    def list(self, request, *args, **kwargs):
        if self.is_bulk(request):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(self.rows_of(queryset))
        return self.get_paginated_response(self.records(page))

    def bulk_chunks(self, queryset, chunk_size: int) -> tuple[Iterable, bool]:
        walk, releasable = keyset_walk(self.rows_of(queryset), chunk_size)
        return (self.records(chunk) for chunk in walk), releasable

    def detail_answer(self, request) -> tuple[dict, str]:
        if given_filters(request):
            # a filter on a detail (?speaker=) must still hold of the record, or it is a 404
            self.get_object()
        return self.answer(self.kwargs[self.lookup_field], request.accepted_renderer.format)

    def answer(self, slug: str, representation: str = "json", record=None) -> tuple[dict, str]:
        """The record with this slug and its ETag, read by the reader whether or not the
        record was read already (`record`, unused): a write answers as the GET that follows."""
        model = self.queryset.model
        found = self.row_reader.read_slug(slug, self.request, history_table(model))
        if found is None:
            raise NotFound(f"No {model._meta.verbose_name} with slug {slug!r}.")
        key, version, data = found
        digest = body_digest(data, self.request)
        return data, entity_tag(key, version, digest, representation)


def given_filters(request) -> bool:
    """Whether the request names a filter (anything but paging and format)."""
    return bool(set(given_params(request)) - PAGINATION_PARAMS)
