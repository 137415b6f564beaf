"""The bulk download: a CSV or NDJSON list is every matching record, streamed.

Asked for without a page parameter (`page`, `page_size`, `paging`, `cursor`), a list in CSV or
NDJSON is the whole filtered result, in the list's order, written as it is read: the records
are read in chunks of `CHUNK` (each chunk with its related records: one query per relation, or
one in all for the types read as rows, config.api.rows), serialized and sent, so memory stays the
same whatever the size of the result. With a page parameter it is that page, like JSON.
"""

from collections.abc import Iterator
from itertools import islice

from django.http import StreamingHttpResponse
from rest_framework.request import Request

from config.api.filters import given_params
from config.api.renderers import CSVRenderer, NDJSONRenderer
from config.db.search import request_search, settle

CHUNK = 500
PAGE_PARAMS = {"page", "page_size", "paging", "cursor"}


def chunks(iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class BulkExportMixin:
    """Streams CSV and NDJSON lists whole; everything else is the usual paged list."""

    @staticmethod
    def is_bulk(request: Request) -> bool:
        """A CSV or NDJSON list without a page parameter: the whole result, streamed."""
        return isinstance(request.accepted_renderer, CSVRenderer | NDJSONRenderer) and not (
            PAGE_PARAMS & set(given_params(request))
        )

    def bulk_records(self, queryset, chunk_size: int) -> Iterator[dict]:
        """The serialized records of `queryset`, read `chunk_size` at a time."""
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        for chunk in chunks(queryset.iterator(chunk_size=chunk_size), chunk_size):
            yield from serializer_class(chunk, many=True, context=context).data

    def list(self, request: Request, *args, **kwargs):
        if not self.is_bulk(request):
            return super().list(request, *args, **kwargs)
        renderer = request.accepted_renderer
        queryset = self.filter_queryset(self.get_queryset())
        settle(queryset, request_search(request))  # a search falls back as its list does

        def records() -> Iterator[dict]:
            return self.bulk_records(queryset, CHUNK)

        if isinstance(renderer, CSVRenderer):
            header = list(self.get_serializer_class()(context=self.get_serializer_context()).fields)
            body = renderer.rows(records(), header)
            content_type = "text/csv; charset=utf-8"
        else:
            body = (line for record in records() for line in renderer.lines([record]))
            content_type = renderer.media_type
        response = StreamingHttpResponse(body, content_type=content_type)
        response["Vary"] = "Accept"
        return response
