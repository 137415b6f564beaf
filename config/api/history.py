"""Every record's history and the change feed, both read from the history the models keep.

`HistoryMixin` gives a viewset `GET <type>/<slug>/history/`: the record's versions, newest
first, deleted records included. `ChangeFeedViewSet` is `GET /api/v1/changes/`: every create,
update and delete across all types in the order they happened, paged by an opaque cursor so a
mirror can poll it with `since` and stay in sync.
"""

import base64
import binascii
import datetime
import json

from django.db.models import Prefetch, Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.api.filters import PAGINATION_PARAMS, given_params, parse_timestamp
from config.api.renderers import JSON_ONLY
from config.api.schema import SLUG_PARAMETER
from config.db.history import m2m_history, m2m_relations, tracked_models

HIDDEN = {"id"}  # the database's own key means nothing outside it


def history_queryset(model):
    """The model's historical rows with what `historical_fields` reads, in two queries."""
    foreign_keys = [field.name for field in model._meta.concrete_fields if field.is_relation]
    prefetches = [
        Prefetch(accessor, queryset=m2m_history(model, model._meta.get_field(name))
                 .objects.select_related(target).order_by(f"{target}__slug"))
        for name, accessor, target in m2m_relations(model)
    ]  # fmt: skip
    return (
        model.history.select_related("history_user", *foreign_keys)
        .prefetch_related(*prefetches)
        .order_by("-history_date", "-history_id")
    )


def historical_fields(row) -> dict:
    """The record's fields as they were in one version; relations by slug."""
    model = row.instance_type
    fields = {}
    for field in model._meta.concrete_fields:
        if field.name in HIDDEN or not hasattr(row, field.attname):  # a field history leaves out
            continue
        if field.is_relation:
            try:
                related = getattr(row, field.name)
            except field.related_model.DoesNotExist:  # deleted since: its slug is lost
                related = None
            fields[field.name] = related.slug if related is not None else None
        else:
            fields[field.name] = getattr(row, field.attname)
    for name, accessor, target in m2m_relations(model):
        fields[name] = [getattr(item, target).slug for item in getattr(row, accessor).all()]
    return fields


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Version number: 1 when created, then +1.")
    changed_at = serializers.DateTimeField(
        source="history_date", help_text="When the change was made."
    )
    changed_by = serializers.CharField(
        source="history_user.username",
        allow_null=True,
        default=None,
        help_text="Username of the editor who made it; null for loads and scripts.",
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

    def get_record(self, row) -> dict:
        return historical_fields(row)


def _only_paging(request) -> None:
    unknown = sorted(set(request.query_params) - PAGINATION_PARAMS)
    if unknown:
        allowed = ", ".join(sorted(PAGINATION_PARAMS))
        raise ValidationError(
            {name[:60]: [f"Unknown parameter. Allowed: {allowed}."] for name in unknown}
        )


class HistoryMixin:
    """Adds `GET <type>/<slug>/history/` to a viewset of records identified by slug."""

    @extend_schema(
        summary="Versions of one record",
        parameters=[SLUG_PARAMETER],
        responses=VersionSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], renderer_classes=JSON_ONLY)
    def history(self, request, slug=None):
        """Every version of the record, newest first: when, by whom, what changed, and the
        record's fields as they were. A deleted record keeps its history here."""
        _only_paging(request)
        model = self.queryset.model
        versions = history_queryset(model).filter(slug=slug)
        page = self.paginate_queryset(versions)
        if not page:
            name = model._meta.verbose_name
            raise NotFound(f"No {name} with slug {slug!r} has ever existed.")
        return self.get_paginated_response(VersionSerializer(page, many=True).data)


# --------------------------------------------------------------------------------------------
# The change feed
# --------------------------------------------------------------------------------------------

TYPES = {model._meta.model_name: model for model in tracked_models()}
MAX_PAGE_SIZE = 500


class ChangeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The record's type: statement, event, person, ...")
    slug = serializers.CharField(help_text="The record's slug.")
    change = serializers.ChoiceField(
        choices=["created", "updated", "deleted"], help_text="What happened to it."
    )
    changed_at = serializers.DateTimeField(help_text="When.")
    changed_by = serializers.CharField(
        allow_null=True, help_text="Username of the editor; null for loads and scripts."
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


def _encode_cursor(row_key: tuple) -> str:
    when, rank, history_id = row_key
    raw = json.dumps([when.isoformat(), rank, history_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(raw: str) -> tuple:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        when, rank, history_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return datetime.datetime.fromisoformat(when), int(rank), int(history_id)
    except (ValueError, TypeError, binascii.Error, UnicodeError) as error:
        raise ValidationError(
            {"cursor": ["Not a cursor of this feed: use the `next` link as it is given."]}
        ) from error


def _page_size(raw: str | None) -> int:
    if raw is None:
        return 100
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:9]) <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."]}
        )
    return int(raw)


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
        unknown = sorted(set(params) - {"since", "type", "cursor", "page_size", "format"})
        if unknown:
            raise ValidationError(
                {n[:60]: ["Unknown parameter. Allowed: cursor, page_size, since, type."]
                 for n in unknown}
            )  # fmt: skip
        since = _since(params.get("since"))
        types = params.getlist("type")
        wrong = [name for name in types if name not in TYPES]
        if wrong:
            allowed = ", ".join(sorted(TYPES))
            raise ValidationError(
                {"type": [f"Unknown type {wrong[0][:40]!r}. Allowed: {allowed}."]}
            )
        cursor = _decode_cursor(params["cursor"]) if params.get("cursor") else None
        size = _page_size(params.get("page_size"))
        rows = _changes(since, set(types), cursor, size + 1)
        page = rows[:size]
        next_url = None
        if len(rows) > size:
            next_url = replace_query_param(
                request.build_absolute_uri(), "cursor", _encode_cursor(page[-1][:3])
            )
        results = [_change(request, row) for _when, _rank, _id, row in page]
        return Response({"next": next_url, "results": results})


def _changes(since, types: set[str], cursor, limit: int) -> list[tuple]:
    rows = []
    for rank, (name, model) in enumerate(TYPES.items()):
        if types and name not in types:
            continue
        versions = model.history.select_related("history_user").only(
            "history_id", "history_date", "history_type", "history_user__username",
            "version", "slug",
        )  # fmt: skip
        if since is not None:
            versions = versions.filter(history_date__gte=since)
        if cursor is not None:
            versions = versions.filter(_after(cursor, rank))
        versions = versions.order_by("history_date", "history_id")[:limit]
        rows.extend((row.history_date, rank, row.history_id, row) for row in versions)
    rows.sort(key=lambda row: row[:3])
    return rows[:limit]


def _change(request, row) -> dict:
    name = row.instance_type._meta.model_name
    url = request.build_absolute_uri(reverse(f"api:{name}-detail", args=[row.slug]))
    return {
        "type": name,
        "slug": row.slug,
        "change": row.change,
        "changed_at": row.history_date,
        "changed_by": row.history_user.username if row.history_user else None,
        "version": row.version,
        "url": url,
        "history_url": f"{url}history/",
    }


def _after(cursor: tuple, rank: int) -> Q:
    """Rows of the table at `rank` that come after the cursor in (time, rank, id) order."""
    when, cursor_rank, history_id = cursor
    if rank < cursor_rank:
        return Q(history_date__gt=when)
    if rank > cursor_rank:
        return Q(history_date__gte=when)
    return Q(history_date__gt=when) | Q(history_date=when, history_id__gt=history_id)


def _since(raw: str | None):
    if raw is None:
        return None
    try:
        return parse_timestamp(raw)
    except ValueError as error:
        raise ValidationError({"since": [str(error)]}) from error
