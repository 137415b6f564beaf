"""`GET <type>/<slug>/history/`: a record's versions, newest first, deleted records included."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from config.api.history.versions import VersionReader, version_reader
from config.api.pagination import COUNT_CAP
from config.api.params import PAGINATION_PARAMS, refuse_unknown
from config.api.renderers import JSON_ONLY
from config.api.rows import page_keys
from config.api.schema import SLUG_PARAMETER


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
