"""Records read as rows: the lists and details of the large types built without model instances.

A serializer (`*/api/serializers.py`) defines a record's shape and, through drf-spectacular, its
schema. Serializing a page that way builds every record and every nested record as a model
instance, one prefetch query per relation, and some 3,000 serializer fields for a page of
statements: 10-25 ms of Python a page, against 1-4 ms for the page's whole SQL. For the types
whose lists run to a million rows (statements, events), a `RowReader` builds the same dicts from
one query instead: the records' own columns, and each nested list aggregated as JSON by the
database, read once and shaped here. The reader has no declaration of its own: its query and
its shaping are derived from the serializer's fields and the models' `_meta`
(config.api.row_plans), so a field added to the serializer is read with no second edit.
`tests/test_rows.py` holds every record of the dataset against its serializer, on SQLite and
PostgreSQL.

`RowsMixin` gives a viewset its list, detail, bulk download and writes' answers through its
reader. Filtering, ordering and paging are unchanged: the page is still cut by the filtered
queryset, which now selects only the keys (`pk` and the ordering's columns) and hands them to
the reader.
"""

from collections.abc import Iterable
from functools import cache

from django.db import connection
from rest_framework.exceptions import NotFound

from config.api.addresses import Addresses
from config.api.export import keyset_walk
from config.api.params import PAGINATION_PARAMS, given_params
from config.api.preconditions import body_digest, entity_tag
from config.api.row_plans import Plan, plan
from config.db.ordering import ordering_names
from config.db.router import read_connection
from config.db.search import Search, SearchIndex, render_highlight, request_search
from config.db.search.expressions import highlight_sql


@cache
def history_table(model) -> str:
    """The table of the model's history (reading `model.history` builds a manager each time)."""
    return model.history.model._meta.db_table


class RowReader:
    """Reads records of a serializer's model by primary key, each row shaped into the
    serializer's dict. The plan (config.api.row_plans: the SQL and the shaping) is made from the
    serializer once per process and database vendor, when the reader is first used."""

    def __init__(self, serializer_class):
        self.serializer_class = serializer_class
        self.model = serializer_class.Meta.model
        self._plans: dict[str, Plan] = {}

    def __repr__(self) -> str:
        return f"RowReader({self.serializer_class.__name__})"

    @property
    def plan(self) -> Plan:
        vendor = connection.vendor
        if vendor not in self._plans:
            self._plans[vendor] = plan(self.serializer_class, self.model)
        return self._plans[vendor]

    def _key(self, plan: Plan) -> str:
        return f"{plan.alias}.{connection.ops.quote_name(self.model._meta.pk.column)}"

    def read(
        self, keys: list, request, search: Search | None = None, index: SearchIndex | None = None
    ) -> list[dict]:
        """The records whose primary keys are `keys`, in that order; given the list's `search`
        (of this table's `index`), each with its highlight, computed in the same query for
        these records alone. A key whose record is gone (deleted since the page's keys were
        read) is left out."""
        if not keys:
            return []
        plan = self.plan
        key = self._key(plan)
        database = read_connection()
        marked, marked_params = (
            highlight_sql(index, search, plan.alias, database)
            if search is not None and index is not None
            else ("NULL", [])
        )
        if database.vendor == "postgresql":
            where, params = f"{key} = ANY(%s)", [list(keys)]
        else:
            where, params = f"{key} IN ({', '.join(['%s'] * len(keys))})", list(keys)
        with database.cursor() as cursor:
            # the highlight and the key last: the row's first values are the plan's columns
            cursor.execute(f"{plan.sql(marked, key)} WHERE {where}", [*marked_params, *params])
            rows = {row[-1]: row for row in cursor.fetchall()}
        addresses = Addresses(request)
        shape = plan.shape
        records = []
        for found in keys:
            row = rows.get(found)
            if row is None:
                continue
            highlight = None if search is None else render_highlight(row[-2]) or ""
            records.append(shape(row, addresses, highlight))
        return records

    def read_slug(self, slug: str, request, history: str) -> tuple[int, int, dict] | None:
        """The record with this slug, its primary key and its latest version in its history
        (the table `history`: the ETag's parts, read in the same query); None when none."""
        plan = self.plan
        key = self._key(plan)
        version = f"(SELECT max(h.version) FROM {history} h WHERE h.id = {key})"
        with read_connection().cursor() as cursor:
            cursor.execute(f"{plan.sql(key, version)} WHERE {plan.alias}.slug = %s", [slug])
            row = cursor.fetchone()
        if row is None:
            return None
        return row[-2], row[-1] or 0, plan.shape(row, Addresses(request), None)


@cache
def reader_of(serializer_class) -> RowReader:
    """The one reader of a serializer's records in this process."""
    return RowReader(serializer_class)


def page_keys(queryset) -> list[str]:
    """What a page must select of each record: its key and the ordering's columns (the cursor
    walk reads its position from them). A search's highlight comes with the records."""
    return list(dict.fromkeys(["pk", *ordering_names(queryset)]))


class RowsMixin:
    """A viewset's list, detail, bulk download and writes' answers read through the reader of
    its `serializer_class` (see above); the serializer still makes the schema and is the
    reader's one declaration of the records' shape."""

    @property
    def row_reader(self) -> RowReader:
        return reader_of(self.serializer_class)

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
