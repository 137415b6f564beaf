"""`GET /api/v1/changes/`: every create, update and delete across all types in the order they
happened, paged by an opaque cursor so a mirror can poll it with `since` and stay in sync."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.api.addresses import Addresses
from config.api.filters import parse_timestamp
from config.api.history.versions import chosen_name_sql, public_name
from config.api.params import dump_cursor, given_params, load_cursor, page_size, refuse_unknown
from config.api.renderers import JSON_ONLY
from config.api.row_plans import stored_time
from config.api.rows import history_table
from config.db.history import CHANGE_NAMES, tracked_models
from config.db.router import read_connection

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
