"""Every format the API speaks, registered once in REST_FRAMEWORK.

- JSON (default) and NDJSON are written by orjson. A thin renderer of our own rather than
  drf-orjson-renderer: that package's fallback turns any type it does not know into `null`,
  a silent wrong answer; ours raises instead, and NDJSON and JSON-LD share the same `dumps`.
- CSV is djangorestframework-csv's table writer, fed one flat row per record (`csv_cell`), its
  columns the record's fields (`csv_header`), opening with a UTF-8 byte order mark.
- JSON-LD maps each record to schema.org with the mapping the view names (`jsonld_node`).

CSV, NDJSON and JSON-LD lists are streamed whole by `config.api.export`; these renderers also
write single records and pages, and refuse nothing: errors are always rendered as JSON
(`config.api.exceptions`).
"""

import csv
from decimal import Decimal
from typing import Any

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer
from rest_framework_csv.misc import Echo
from rest_framework_csv.renderers import CSVRenderer as LibraryCSVRenderer

LIST_SEPARATOR = ";"
# between the excerpts of a record's citations in its `excerpts` cell: none of them holds one
# today, and a spreadsheet shows each on a line of its own (the citations CSV has a row each)
EXCERPT_SEPARATOR = "\n"
# a spreadsheet (Excel) reads a CSV as UTF-8 only when it opens with the byte order mark;
# pandas and Python's "utf-8-sig" read it as such, and drop it
BOM = "\ufeff".encode()
# what a spreadsheet reads as the start of a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _default(value: Any) -> Any:
    """The types orjson leaves to us: numbers stored as Decimal, lazy translated strings."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data: Any, *, indent: bool = False) -> bytes:
    return orjson.dumps(data, default=_default, option=orjson.OPT_INDENT_2 if indent else 0)


class JSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None  # JSON is UTF-8 by definition (RFC 8259)

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        # indented when asked (`Accept: application/json; indent=2`), and in the browsable API,
        # which asks through the context: a page of records on one line is unreadable there
        indent = "indent" in (accepted_media_type or "") or bool(
            (renderer_context or {}).get("indent")
        )
        return dumps(data, indent=indent)


class NDJSONRenderer(BaseRenderer):
    """Newline-delimited JSON: one record per line. A list is streamed whole (config.api.export)."""

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return b"".join(self.lines(records_of(data)))

    @staticmethod
    def lines(records) -> list[bytes]:
        return [dumps(record) + b"\n" for record in records]


def records_of(data) -> list:
    """The records of a page (its `results`), or the one record of a detail."""
    if isinstance(data, dict) and "results" in data:
        return data["results"]
    return data if isinstance(data, list) else [data]


def csv_cell(value: Any) -> Any:
    """One CSV cell from one serialized field: nested records become their slug, lists are
    joined by `;`, a citation becomes `source[start:end]`, a wording the slug of the source that
    prints it, a position `issue:stance` (with `@holder` when it is not the speaker's own),
    null becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if {"source", "start", "end"} <= value.keys():
            return f"{value['source']['slug']}[{value['start']}:{value['end']}]"
        if {"source", "text", "canonical"} <= value.keys():
            return value["source"]["slug"]
        if {"issue", "stance"} <= value.keys():
            holder = f"@{value['holder']['slug']}" if value.get("holder") else ""
            return f"{value['issue']}:{value['stance']}{holder}"
        if "slug" in value:
            return value["slug"]
        raise TypeError(f"no CSV form for {sorted(value)}")
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(csv_cell(item)) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def neutralised(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+1`, `@SUM`,
    or a tab or carriage return before one) with a single quote put in front, as OWASP
    recommends: the spreadsheet then shows the text instead of running it. Numbers stay
    numbers; JSON and NDJSON keep the raw text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_header(fields, request) -> list[str]:
    """The CSV columns of records with these JSON fields, in their order: `excerpts` (the text
    of each citation) after `citations`, and `highlight` only in the answer to a search (`q`),
    the only one where it holds something."""
    searched = request is not None and bool(request.query_params.get("q"))
    columns = []
    for name in fields:
        if name != "highlight" or searched:
            columns.append(name)
        if name == "citations":
            columns.append("excerpts")
    return columns


class CSVRenderer(LibraryCSVRenderer):
    """One row per record, its columns those of `csv_header`; every text cell that would start
    a formula neutralised (`neutralised`); the UTF-8 byte order mark first."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def flatten_item(self, item: dict) -> dict:
        row = {name: neutralised(csv_cell(value)) for name, value in item.items()}
        if isinstance(item.get("citations"), list):
            excerpts = [citation["excerpt"] for citation in item["citations"]]
            row["excerpts"] = neutralised(EXCERPT_SEPARATOR.join(excerpts))
        return row

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        records = records_of(data)
        context = renderer_context or {}
        # the header row even when there is no record: the columns are the serializer's fields
        fields = list(records[0]) if records else list(context["view"].get_serializer().fields)
        header = csv_header(fields, context.get("request"))
        return BOM + super().render(records, accepted_media_type, {"header": header})

    def rows(self, records, header: list[str]):
        """CSV lines, header first (after the byte order mark), for a stream of serialized
        records (constant memory)."""
        writer = csv.writer(Echo())
        for number, row in enumerate(self.tablize(records, header=header)):
            line = writer.writerow(row).encode("utf-8")
            yield BOM + line if number == 0 else line


class JSONLDRenderer(BaseRenderer):
    """schema.org JSON-LD. A list is an `ItemList` of its records, `numberOfItems` last: of
    this page's records (its `next` and `previous` pages are in the `Link` header, as for every
    format), or of every record of the list when it is streamed whole (config.api.export),
    written block by block by `item_list_start`, `item_list_elements` and `item_list_end`."""

    media_type = "application/ld+json"
    format = "jsonld"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        context = renderer_context or {}
        view, request = context.get("view"), context.get("request")
        if isinstance(data, dict) and "results" in data:
            records = data["results"]
            return b"".join(
                (
                    self.item_list_start(request),
                    self.item_list_elements(records, view.jsonld_node, first=True),
                    self.item_list_end(len(records)),
                )
            )
        return dumps({"@context": self.context_url(request), **view.jsonld_node(data)})

    @staticmethod
    def context_url(request) -> str:
        return request.build_absolute_uri("/api/v1/context.jsonld")

    def item_list_start(self, request) -> bytes:
        """The list's opening, up to its first element: `@context`, `@type`, `@id` (the
        address it was asked at)."""
        head = {
            "@context": self.context_url(request),
            "@type": "ItemList",
            "@id": request.build_absolute_uri(),
        }
        return dumps(head)[:-1] + b',"itemListElement":['

    @staticmethod
    def item_list_elements(records, to_node, first: bool) -> bytes:
        """The nodes of these serialized records, each after a comma unless it is the list's
        very first."""
        nodes = b",".join(dumps(to_node(record)) for record in records)
        return nodes if first or not nodes else b"," + nodes

    @staticmethod
    def item_list_end(count: int) -> bytes:
        return b'],"numberOfItems":' + str(count).encode() + b"}"


# what answers that are not records (history, facets, the feed, search, the timeline) speak
JSON_ONLY = [JSONRenderer, BrowsableAPIRenderer]
