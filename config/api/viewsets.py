"""The base of the record viewsets: one record type each, looked up by slug."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.api.export import BulkExportMixin
from config.api.history import HistoryMixin
from config.api.preconditions import etag, with_version
from config.api.renderers import JSONLDRenderer
from config.api.schema import SLUG_PARAMETER
from config.db.slugs import SLUG_PATTERN

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class RecordViewSet(HistoryMixin, BulkExportMixin, viewsets.ReadOnlyModelViewSet):
    """Base of every record type's viewset: records identified by slug in their address, their
    history at `<slug>/history/`, bulk CSV and NDJSON, and JSON-LD (bulk too) where the type has
    a mapping (`jsonld_node`). A viewset adds writes (`WriteViewSetMixin`), row readers
    (`RowsMixin`) and facets (`FacetsMixin`) by naming them.

    A detail, and a write's answer, is `answer()`: the record through `detail_serializer_class`
    (by default `serializer_class`) and its ETag, from one query (`get_object()` reads the
    record's version with it)."""

    detail_serializer_class = None

    def get_renderers(self):
        # JSON-LD where the type has a schema.org mapping (`jsonld_node`)
        renderers = super().get_renderers()
        if getattr(self, "jsonld_node", None) is None:
            renderers = [r for r in renderers if not isinstance(r, JSONLDRenderer)]
        return renderers

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    @property
    def allowed_methods(self) -> list[str]:
        # a format's own address (`statements.csv`, `statements/<slug>.jsonld`) only reads: a
        # write goes to the record's address, and is refused (405) here, once the format is
        # known (`config.api.negotiation`)
        methods = super().allowed_methods
        if getattr(self, "kwargs", {}).get("format"):
            return [method for method in methods if method in READ_METHODS]
        return methods

    @extend_schema(parameters=[SLUG_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        """The record, with its version as a strong ETag: send it in If-Match to change it."""
        data, tag = self.detail_answer(request)
        return Response(data, headers={"ETag": tag})

    def detail_answer(self, request) -> tuple[dict, str]:
        """The record as the detail shows it, and its ETag."""
        slug = self.kwargs[self.lookup_field]
        return self.answer(slug, request.accepted_renderer.format, record=self.get_object())

    def answer(self, slug: str, representation: str = "json", record=None) -> tuple[dict, str]:
        """The record with this slug as its detail answers it, and its ETag. `record`, when
        given, is that record as `get_object()` read it, not read again."""
        if record is None:
            record = self.record_in(self.get_queryset(), slug)
        serializer = self.get_detail_serializer_class()
        data = serializer(record, context=self.get_serializer_context()).data
        return data, etag(record, data, self.request, representation)

    def get_detail_serializer_class(self):
        return self.detail_serializer_class or self.serializer_class

    def get_object(self):
        """The record the address names, its version read with it; a 404 naming the slug."""
        queryset = self.filter_queryset(self.get_queryset())
        record = self.record_in(queryset, self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, record)
        return record

    def record_in(self, queryset, slug: str):
        """The record of `queryset` with this slug and its version (`with_version`), or a 404."""
        try:
            return with_version(queryset).get(**{self.lookup_field: slug})
        except ObjectDoesNotExist as error:
            name = self.queryset.model._meta.verbose_name
            raise NotFound(f"No {name} with slug {slug!r}.") from error
