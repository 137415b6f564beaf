"""The bulk download: a CSV, NDJSON or JSON-LD list is every matching record, streamed.

Asked for without a page parameter (`page`, `page_size`, `paging`, `cursor`), a list in CSV,
NDJSON or JSON-LD is the whole filtered result, in the list's order, written as it is read (a
JSON-LD list is one `ItemList` document of every record, `numberOfItems` at its end). The records
come in chunks of `CHUNK`, each read by a query of its own that starts after the last record of
the chunk before (the keyset walk of cursor pages), with its related records (one query per
relation, or one in all for the types read as rows, config.api.rows); each chunk is serialized and
sent as one block. So memory stays the same whatever the size of the result, no database cursor
stays open between chunks, and the database connection goes back (to the pool, under `make
serve`) while a block is sent: a client that reads slowly holds a socket, not a connection. An
order the walk cannot follow (a search's rank) reads through one cursor instead.

Under an ASGI server each block is made in the request's thread and awaited
(`BlockStreamingResponse`): Django's own streaming answer would first read a sync iterator to
its end, the whole download in memory before its first byte.
"""

from collections.abc import Callable, Iterator
from itertools import islice

from asgiref.sync import sync_to_async
from django.db import connections
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from config.api.pagination import CursorPagination, _ordering, _value
from config.api.params import PAGE_PARAMS, given_params
from config.api.renderers import CSVRenderer, JSONLDRenderer, NDJSONRenderer, csv_header
from config.db.ordering import list_order
from config.db.search import request_search, settle

CHUNK = 500


def chunks(iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def keyset_walk(queryset, size: int) -> tuple[Iterator[list], bool]:
    """`queryset` in lists of `size` records, and whether the walk leaves no cursor open
    between them (then the connection may be given back between chunks)."""
    try:
        ordering = _ordering(queryset)
    except ValidationError:  # ordered by an expression (a search's rank)
        return chunks(queryset.iterator(chunk_size=size), size), False
    ordered = queryset.order_by(*(list_order(name, d, queryset.model) for name, d in ordering))

    def walk() -> Iterator[list]:
        position = None
        while True:
            page = ordered
            if position is not None:
                page = ordered.filter(CursorPagination._beyond(ordering, position, False))
            records = list(page[:size])
            if records:
                yield records
            if len(records) < size:
                return
            position = [_value(records[-1], name) for name, _descending in ordering]

    return walk(), True


def release_connection() -> None:
    """Give the database connections back while a block is sent (the next chunk opens or
    borrows one again); inside a transaction (a test's) they must stay."""
    for opened in connections.all(initialized_only=True):
        if not opened.in_atomic_block:
            opened.close()


class BlockStreamingResponse(StreamingHttpResponse):
    """A streamed answer whose blocks an ASGI server sends as they are made: each is made by
    the sync iterator in the request's thread, awaited one at a time."""

    async def __aiter__(self):
        content = iter(self.streaming_content)
        next_block = sync_to_async(next, thread_sensitive=True)
        while (block := await next_block(content, None)) is not None:
            yield block


# the formats whose lists are streamed whole; a CSV or NDJSON answer is always a file to save,
# a JSON-LD one when it is the whole list (a page or a record is read in place)
STREAMED = (CSVRenderer, NDJSONRenderer, JSONLDRenderer)
DOWNLOADS = (CSVRenderer, NDJSONRenderer)


def download_name(model, request: Request, slug: str | None) -> str:
    """The file name of a download of a list (or of the record `slug`) of `model`:
    `parley-statements-412.csv`, where 412 is the dataset version the answer was read at (the
    number every write to the dataset grows by one, the first part of a list's ETag), so that
    two files of the same list read at different versions have different names."""
    version = getattr(request, "dataset_version", None)
    parts = ["parley", slugify(model._meta.verbose_name_plural), slug, version]
    return "-".join(str(part) for part in parts if part is not None) + (
        f".{request.accepted_renderer.format}"
    )


# what a streamed list is written with: its blocks, one per chunk of serialized records
# (whether it is the first), and its end, after `count` records (b"" when it has none)
Block = Callable[[list[dict], bool], bytes]
End = Callable[[int], bytes]


class BulkExportMixin:
    """Streams CSV, NDJSON and JSON-LD lists whole; everything else is the usual paged list. A
    list or record in CSV or NDJSON, and a whole list in JSON-LD, is a download:
    `Content-Disposition` gives its file name."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        download = isinstance(renderer, DOWNLOADS) or response.streaming
        if response.status_code == 200 and download:
            slug = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            name = download_name(self.queryset.model, request, slug)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @staticmethod
    def is_bulk(request: Request) -> bool:
        """A CSV, NDJSON or JSON-LD list without a page parameter: the whole result, streamed."""
        return isinstance(request.accepted_renderer, STREAMED) and not (
            PAGE_PARAMS & set(given_params(request))
        )

    def bulk_chunks(self, queryset, chunk_size: int) -> tuple[Iterator, bool]:
        """The serialized records of `queryset`, a chunk at a time (see `keyset_walk`)."""
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        walk, releasable = keyset_walk(queryset, chunk_size)
        serialized = (serializer_class(chunk, many=True, context=context).data for chunk in walk)
        return serialized, releasable

    def bulk_writer(self, request: Request) -> tuple[str, Block, End]:
        """The content type, blocks and end of the streamed list in the format asked for."""
        renderer = request.accepted_renderer
        if isinstance(renderer, CSVRenderer):
            fields = self.get_serializer_class()(context=self.get_serializer_context()).fields
            header = csv_header(fields, request)

            def block(chunk: list[dict], first: bool) -> bytes:
                return b"".join(islice(renderer.rows(chunk, header), 0 if first else 1, None))

            def end(count: int) -> bytes:
                return b"" if count else block([], True)  # an empty result is its header row

            return "text/csv; charset=utf-8", block, end
        if isinstance(renderer, JSONLDRenderer):
            start = renderer.item_list_start(request)

            def block(chunk: list[dict], first: bool) -> bytes:
                nodes = renderer.item_list_elements(chunk, self.jsonld_node, first)
                return start + nodes if first else nodes

            def end(count: int) -> bytes:
                return (b"" if count else start) + renderer.item_list_end(count)

            return renderer.media_type, block, end

        def lines(chunk: list[dict], first: bool) -> bytes:
            return b"".join(renderer.lines(chunk))

        return renderer.media_type, lines, lambda count: b""

    def list(self, request: Request, *args, **kwargs):
        if not self.is_bulk(request):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        settle(queryset, request_search(request))  # a search falls back as its list does
        records, releasable = self.bulk_chunks(queryset, CHUNK)
        content_type, block, end = self.bulk_writer(request)

        def body() -> Iterator[bytes]:
            count = 0
            for chunk in records:
                yield block(chunk, count == 0)
                count += len(chunk)
                if releasable:
                    release_connection()
            if last := end(count):
                yield last

        response = BlockStreamingResponse(body(), content_type=content_type)
        response["Vary"] = "Accept"
        return response
