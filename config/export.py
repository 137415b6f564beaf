"""The bulk download: a CSV or NDJSON list is every matching record, streamed.

Asked for without a page parameter (`page`, `page_size`, `paging`, `cursor`), a list in CSV or
NDJSON is the whole filtered result, in the list's order, written as it is read: the records
are read in chunks of `CHUNK` (each chunk with its related records, one query per relation),
serialized and sent, so memory stays the same whatever the size of the result. With a page
parameter it is that page, like JSON.
"""

from collections.abc import Iterator
from itertools import islice

from django.http import StreamingHttpResponse
from rest_framework.request import Request

from config.filters import given_params
from config.renderers import CSVRenderer, NDJSONRenderer

CHUNK = 500
PAGE_PARAMS = {"page", "page_size", "paging", "cursor"}


def _chunks(iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class BulkExportMixin:
    """Streams CSV and NDJSON lists whole; everything else is the usual paged list."""

    def list(self, request: Request, *args, **kwargs):
        renderer = request.accepted_renderer
        if not isinstance(renderer, CSVRenderer | NDJSONRenderer) or (
            PAGE_PARAMS & set(given_params(request))
        ):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()

        def records() -> Iterator[dict]:
            for chunk in _chunks(queryset.iterator(chunk_size=CHUNK), CHUNK):
                yield from serializer_class(chunk, many=True, context=context).data

        if isinstance(renderer, CSVRenderer):
            header = list(serializer_class(context=context).fields)
            body = renderer.rows(records(), header)
            content_type = "text/csv; charset=utf-8"
        else:
            body = (line for record in records() for line in renderer.lines([record]))
            content_type = renderer.media_type
        response = StreamingHttpResponse(body, content_type=content_type)
        response["Vary"] = "Accept"
        return response
