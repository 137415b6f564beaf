"""Every record's history and the change feed, both read from the history the models keep.

`HistoryMixin` gives a viewset `GET <type>/<slug>/history/`: the record's versions, newest
first, deleted records included. `ChangeFeedViewSet` is `GET /api/v1/changes/`: every create,
update and delete across all types in the order they happened, paged by an opaque cursor so a
mirror can poll it with `since` and stay in sync.
"""

import datetime
from functools import cache

import orjson
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.api.addresses import Addresses
from config.api.filters import parse_timestamp
from config.api.pagination import COUNT_CAP
from config.api.params import (
    PAGINATION_PARAMS,
    dump_cursor,
    given_params,
    load_cursor,
    page_size,
    refuse_unknown,
)
from config.api.renderers import JSON_ONLY
from config.api.row_plans import json_list, stored_time
from config.api.rows import history_table, page_keys
from config.api.schema import SLUG_PARAMETER
from config.db.history import (
    CHANGE_NAMES,
    is_tracked,
    m2m_history,
    m2m_relations,
    tracked_models,
)
from config.db.router import read_connection

HIDDEN = {"id"}  # the database's own key means nothing outside it


def chosen_name_sql(user_column: str) -> str:
    """SQL for the display name the editor whose id is in `user_column` chose
    (the user's `editor_profile`), read with the change it names; null without an editor."""
    profiles = get_user_model()._meta.get_field("editor_profile").related_model._meta.db_table
    return (
        f"CASE WHEN {user_column} IS NULL THEN NULL ELSE "
        f"(SELECT display_name FROM {profiles} WHERE user_id = {user_column}) END"
    )


def public_name(user_id: int | None, chosen: str | None) -> str | None:
    """How the public history names an editor: the display name they chose, or "editor
    <number>" without one; never their login, half of what a password guesser needs. None for
    loads and scripts, which have no editor."""
    if user_id is None:
        return None
    return chosen or f"editor {user_id}"


class VersionReader:
    """Reads versions of one model's records, each shaped as VersionSerializer writes it, from
    one query: the version's own columns; its editor's display name (`public_name`); each
    relation by slug, the related record's or, when it has been deleted since, the slug its own
    history keeps last; each many-to-many relation as the version left it, a list of slugs in
    slug order (aggregated as JSON by the database). Values go through the database's
    converters, as the ORM's do. `page` reads a page of a record's versions with their count,
    `read` versions by history id (a cursor walk's page).
    """

    def __init__(self, model):
        self.model = model
        history = model.history.model
        self.table = history._meta.db_table
        self.slug_column = read_connection().ops.quote_name(history._meta.get_field("slug").column)
        self.fields = []  # (name, historical field, is a relation), in the record's order
        columns = []
        for field in model._meta.concrete_fields:
            try:
                kept = history._meta.get_field(field.name)
            except FieldDoesNotExist:  # a field history leaves out
                continue
            if field.name in HIDDEN:
                continue
            column = f"h.{read_connection().ops.quote_name(kept.column)}"
            if field.is_relation:
                columns.append(_slug_sql(field.related_model, column))
            else:
                columns.append(column)
            self.fields.append((field.name, kept, field.is_relation))
        self.relations = []
        for name, _accessor, _target in m2m_relations(model):
            field = model._meta.get_field(name)
            rows = m2m_history(model, field)._meta.db_table
            related = field.related_model
            target_column = f"l.{field.m2m_reverse_name()}"
            columns.append(json_list(
                [_slug_sql(related, target_column)],
                f"{rows} l LEFT JOIN {related._meta.db_table} r ON r.id = {target_column} "
                f"WHERE l.history_id = h.history_id",
                "r.slug",  # the related record's slug, as the ORM orders `{target}__slug`
            ))  # fmt: skip
            self.relations.append(name)
        self.columns = ", ".join([
            "h.history_id", "h.version", "h.history_date", "h.history_user_id", "h.history_type",
            "h.history_change_reason", chosen_name_sql("h.history_user_id"), *columns,
        ])  # fmt: skip

    @cached_property
    def converters(self) -> list[tuple]:
        """Per field, its name, the column the ORM reads it as and the converters it applies to
        the value as read (none for a relation, read as a slug)."""
        converted = []
        database = read_connection()
        for name, field, is_relation in self.fields:
            column = field.get_col("h")
            converters = [] if is_relation else (
                database.ops.get_db_converters(column) + field.get_db_converters(database)
            )  # fmt: skip
            converted.append((name, column, converters))
        return converted

    def read(self, keys: list[int]) -> list[dict]:
        """The versions `keys`, in that order."""
        if not keys:
            return []
        database = read_connection()
        sql = (
            f"SELECT {self.columns} FROM {self.table} h "
            f"WHERE h.history_id IN ({', '.join(['%s'] * len(keys))})"
        )
        with database.cursor() as cursor:
            cursor.execute(sql, list(keys))
            rows = {row[0]: row for row in cursor.fetchall()}
        return [self._version(rows[key], database) for key in keys if key in rows]

    def counted(self, cap: int) -> str:
        """SQL for the number of versions of the record whose slug is the parameter, counted up
        to `cap + 1`."""
        return (
            f"(SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {self.slug_column} = %s "
            f"LIMIT {cap + 1}) AS capped)"
        )

    def page(self, slug: str, window: slice, cap: int) -> tuple[int, list[dict]]:
        """The versions of the record `slug` in `window` of its history (newest first), and how
        many it has, counted up to `cap + 1`: from one query, the page's versions joined to the
        count (an empty page is one row of the count alone)."""
        versions = (
            f"SELECT * FROM {self.table} WHERE {self.slug_column} = %s "
            f"ORDER BY history_date DESC, history_id DESC "
            f"LIMIT {window.stop - window.start} OFFSET {window.start}"
        )
        sql = (
            f"SELECT {self.counted(cap)} AS total, {self.columns} FROM (SELECT 1) AS one "
            f"LEFT JOIN ({versions}) AS h ON 1 = 1 "
            f"ORDER BY h.history_date DESC, h.history_id DESC"
        )
        database = read_connection()
        with database.cursor() as cursor:
            cursor.execute(sql, [slug, slug])
            rows = cursor.fetchall()
        versions = [self._version(row[1:], database) for row in rows if row[1] is not None]
        return rows[0][0], versions

    def capped_count(self, slug: str, cap: int) -> int:
        """The record's number of versions, counted up to `cap + 1`."""
        with read_connection().cursor() as cursor:
            cursor.execute(f"SELECT {self.counted(cap)}", [slug])
            return cursor.fetchone()[0]

    def _version(self, row, database) -> dict:
        _key, version, when, user_id, change, reason, chosen_name, *values = row
        record = {}
        for (name, column, converters), value in zip(self.converters, values, strict=False):
            for converter in converters:
                value = converter(value, column, database)
            record[name] = value
        for name, value in zip(self.relations, values[len(self.fields) :], strict=True):
            record[name] = [item[0] for item in orjson.loads(value)]
        return {
            "version": version,
            "changed_at": CHANGED_AT.to_representation(stored_time(when)),
            "changed_by": public_name(user_id, chosen_name),
            "change": CHANGE_NAMES[change],
            "reason": reason,
            "record": record,
        }


CHANGED_AT = serializers.DateTimeField()  # writes `changed_at` as VersionSerializer does


def _slug_sql(model, key: str) -> str:
    """SQL for the slug of the record `key` (a column) of `model`: its own, or, when it has
    been deleted since, the last its history keeps (nothing for a model without a history)."""
    current = f"(SELECT slug FROM {model._meta.db_table} WHERE id = {key})"
    if not is_tracked(model):
        return current
    kept = (
        f"(SELECT v.slug FROM {history_table(model)} v WHERE v.id = {key} "
        f"ORDER BY v.history_date DESC, v.history_id DESC LIMIT 1)"
    )
    return f"coalesce({current}, {kept})"


def version_reader(model) -> VersionReader:
    """The model's reader, its SQL built once per process and database kind."""
    return _version_reader(model, read_connection().vendor)


@cache
def _version_reader(model, vendor: str) -> VersionReader:
    return VersionReader(model)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Version number: 1 when created, then +1.")
    changed_at = serializers.DateTimeField(
        source="history_date", help_text="When the change was made."
    )
    changed_by = serializers.SerializerMethodField(
        help_text='The editor who made it, by the display name they chose ("editor <number>" '
        "when they chose none), never their login; null for loads and scripts."
    )
    change = serializers.ChoiceField(
        choices=["created", "updated", "deleted"], help_text="What the change was."
    )
    reason = serializers.CharField(
        source="history_change_reason",
        allow_null=True,
        help_text="Why, where it was recorded (a release load names the release).",
    )
    record = serializers.SerializerMethodField(
        help_text="The record's fields as they were after the change (before it, for a "
        "deletion); related records by slug."
    )

    # the schema's types; the answer is written by VersionReader
    def get_changed_by(self, row) -> str | None:
        return row["changed_by"]

    def get_record(self, row) -> dict:
        return row["record"]


class HistoryMixin:
    """Adds `GET <type>/<slug>/history/` to a viewset of records identified by slug."""

    @extend_schema(
        parameters=[SLUG_PARAMETER],
        responses=VersionSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], renderer_classes=JSON_ONLY)
    def history(self, request, slug=None):
        """Every version of the record, newest first: when, by whom, what changed, and the
        record's fields as they were. A deleted record keeps its history here."""
        refuse_unknown(request, PAGINATION_PARAMS)
        model = self.queryset.model
        reader = version_reader(model)
        pages = self.paginator.choose(request)
        if pages is self.paginator.by_number:  # a page and its count, from one query
            page = pages.paginate_queryset(VersionPages(reader, slug), request, self)
        else:  # a cursor walk pages the keys, then reads their versions
            versions = model.history.filter(slug=slug).order_by("-history_date", "-history_id")
            keys = pages.paginate_queryset(versions.values(*page_keys(versions)), request, self)
            page = reader.read([row["pk"] for row in keys])
        if not page:
            name = model._meta.verbose_name
            raise NotFound(f"No {name} with slug {slug!r} has ever existed.")
        return self.get_paginated_response(page)


class VersionPages:
    """A record's versions, newest first, as the object list page numbers page
    (config.api.pagination.CappedPaginator): a page and the count read by one query."""

    def __init__(self, reader: VersionReader, slug: str):
        self.reader, self.slug = reader, slug
        self.read_window = (None, [])  # (start, versions) read with the count by `read`

    def read(self, window: slice, cap: int) -> int:
        count, versions = self.reader.page(self.slug, window, cap)
        self.read_window = (window.start, versions)
        return count

    def capped_count(self, limit: int) -> int:
        """Counted alone: for a page number past the cap, which is refused."""
        return self.reader.capped_count(self.slug, limit - 1)

    def __getitem__(self, window: slice) -> list[dict]:
        start, versions = self.read_window
        if start != window.start:  # every page numbers reach is read with its count
            _count, versions = self.reader.page(self.slug, window, COUNT_CAP)
        return versions[: window.stop - window.start]


# --------------------------------------------------------------------------------------------
# The change feed
# --------------------------------------------------------------------------------------------

TYPES = {model._meta.model_name: model for model in tracked_models()}
RANKED = list(TYPES)  # a type's rank breaks a tie of time in the feed
MAX_PAGE_SIZE = 500


class ChangeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The record's type: statement, event, person, ...")
    slug = serializers.CharField(help_text="The record's slug.")
    change = serializers.ChoiceField(
        choices=["created", "updated", "deleted"], help_text="What happened to it."
    )
    changed_at = serializers.DateTimeField(help_text="When.")
    changed_by = serializers.CharField(
        allow_null=True,
        help_text='The editor, by the display name they chose ("editor <number>" when they '
        "chose none), never their login; null for loads and scripts.",
    )
    version = serializers.IntegerField(help_text="The record's version after the change.")
    url = serializers.URLField(help_text="The record in the API (a 404 once it is deleted).")
    history_url = serializers.URLField(help_text="The record's versions.")


class ChangePageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True,
        help_text="The next page; null when the feed is caught up (poll again later with the "
        "last `changed_at` as `since`, or keep this cursor).",
    )
    results = ChangeSerializer(many=True, help_text="Changes, oldest first.")


FEED_PARAMS = {"since", "type", "cursor", "page_size", "format"}


def _dump_cursor(request, row_key: tuple) -> str:
    when, rank, history_id = row_key
    return dump_cursor(request.path, [when.isoformat(), rank, history_id])


def _load_cursor(request, raw: str) -> tuple:
    (when, rank, history_id), _backwards = load_cursor(raw, request.path)
    return datetime.datetime.fromisoformat(when), rank, history_id


@extend_schema(
    summary="Every change, in order",
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            description="Only changes made at or after this ISO 8601 time (a date, or a date "
            "and time; UTC when no offset is given).",
            examples=[],
        ),
        OpenApiParameter(
            "type",
            str,
            enum=sorted(TYPES),
            many=True,
            explode=True,
            description="Only changes to records of this type (repeatable: either matches).",
        ),
        OpenApiParameter(
            "cursor", str, description="Where to go on from: the `next` link carries it."
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description=f"Changes per page, from 1 to {MAX_PAGE_SIZE} (default 100).",
        ),
    ],
    responses=ChangePageSerializer,
)
class ChangeFeedViewSet(viewsets.ViewSet):
    """Every create, update and delete of every record, oldest first.

    Deletions stay in the feed as tombstones. Page with the `next` link (an opaque cursor whose
    cost does not grow with depth); a mirror polls with `since` or keeps the last cursor.
    """

    response_is_one_page = True  # for the schema: the answer is one page object, not a list
    renderer_classes = JSON_ONLY

    def list(self, request):
        params = given_params(request)
        refuse_unknown(request, FEED_PARAMS)
        since = _since(params.get("since"))
        types = params.getlist("type")
        wrong = [name for name in types if name not in TYPES]
        if wrong:
            allowed = ", ".join(sorted(TYPES))
            raise ValidationError(
                {"type": [f"Unknown type {wrong[0][:40]!r}. Allowed: {allowed}."]}
            )
        cursor = _load_cursor(request, params["cursor"]) if params.get("cursor") else None
        size = page_size(request, 100, MAX_PAGE_SIZE)
        rows = _changes(since, set(types), cursor, size + 1)
        page = rows[:size]
        next_url = None
        if len(rows) > size:
            next_url = replace_query_param(
                request.build_absolute_uri(), "cursor", _dump_cursor(request, page[-1][:3])
            )
        addresses = Addresses(request)
        results = [_change(addresses, row) for row in page]
        return Response({"next": next_url, "results": results})


def _changes(since, types: set[str], cursor, limit: int) -> list[tuple]:
    """The first `limit` changes after the cursor (and at or after `since`), as (time, rank of
    the type, history id, change, editor's id, version, slug, editor's chosen name), from one
    query: each type's table gives its first `limit` rows in its feed order index
    (config.db.history), and the page is the first `limit` of their union in (time, rank, id)
    order, each change's editor named after the cut."""
    adapt = read_connection().ops.adapt_datetimefield_value  # SQLite compares stored text
    branches, params = [], []
    for rank, (name, model) in enumerate(TYPES.items()):
        if types and name not in types:
            continue
        conditions = []
        if since is not None:
            conditions.append("history_date >= %s")
            params.append(adapt(since))
        if cursor is not None:
            condition, values = _after(cursor, rank)
            conditions.append(condition)
            params.extend(adapt(value) if isinstance(value, datetime.datetime) else value
                          for value in values)  # fmt: skip
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        branches.append(
            f"SELECT * FROM (SELECT history_date, {rank} AS type_rank, history_id, history_type, "
            f"history_user_id, version, slug FROM {history_table(model)} {where} "
            f"ORDER BY history_date, history_id LIMIT {limit}) AS changes_{rank}"
        )
    page = " UNION ALL ".join(branches) + f" ORDER BY 1, 2, 3 LIMIT {limit}"
    sql = (
        f"SELECT c.*, {chosen_name_sql('c.history_user_id')} FROM ({page}) AS c "
        f"ORDER BY c.history_date, c.type_rank, c.history_id"
    )
    with read_connection().cursor() as database:
        database.execute(sql, params)
        return [(stored_time(when), *rest) for when, *rest in database.fetchall()]


def _change(addresses: Addresses, row: tuple) -> dict:
    when, rank, _history_id, change, user_id, version, slug, chosen_name = row
    name = RANKED[rank]
    url = addresses(f"api:{name}-detail", slug)
    return {
        "type": name,
        "slug": slug,
        "change": CHANGE_NAMES[change],
        "changed_at": when,
        "changed_by": public_name(user_id, chosen_name),
        "version": version,
        "url": url,
        "history_url": f"{url}history/",
    }


def _after(cursor: tuple, rank: int) -> tuple[str, list]:
    """Rows of the table at `rank` that come after the cursor in (time, rank, id) order, as
    SQL and its parameters. The time's bound is also stated alone, so that the order index is
    entered at the cursor's time, not read from its start."""
    when, cursor_rank, history_id = cursor
    if rank < cursor_rank:
        return "history_date > %s", [when]
    if rank > cursor_rank:
        return "history_date >= %s", [when]
    return "history_date >= %s AND (history_date > %s OR history_id > %s)", [when, when, history_id]


def _since(raw: str | None):
    if raw is None:
        return None
    try:
        return parse_timestamp(raw)
    except ValueError as error:
        raise ValidationError({"since": [str(error)]}) from error
