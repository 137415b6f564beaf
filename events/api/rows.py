"""Events read as rows (config.api.rows): the same dicts as EventSerializer, from one query.

The nested forms are built here once, as the Brief serializers write them, for the statements
app's reader too.
"""

from config.api.rows import Addresses, RowReader, iso_date, iso_timestamp, json_list

DATE_COLUMNS = ["date", "date_precision", "date_earliest", "date_latest", "date_basis", "date_note"]
# each nested citation: its own columns, then its source's (CitationBriefSerializer)
CITATION_COLUMNS = [
    "c.slug", "c.excerpt", "c.start", 'c."end"', "so.slug", "so.title", "so.publisher", "so.date",
]  # fmt: skip
CITATION_ORDER = "c.source_id, c.start, c.id"  # Citation's ordering


def dates(row) -> dict:
    """The six date fields (DATE_FIELDS), from their columns in DATE_COLUMNS' order."""
    date, precision, earliest, latest, basis, note = row
    return {
        "date": date,
        "date_precision": precision,
        "date_earliest": iso_date(earliest),
        "date_latest": iso_date(latest),
        "date_basis": basis,
        "date_note": note,
    }


def person_brief(item, addresses: Addresses) -> dict | None:
    if item is None or item[0] is None:
        return None
    slug, name, kind = item
    return {"slug": slug, "name": name, "kind": kind, "url": addresses("api:person-detail", slug)}


def named_brief(view_name: str, item, addresses: Addresses) -> dict:
    slug, name = item
    return {"slug": slug, "name": name, "url": addresses(view_name, slug)}


def event_brief(item, addresses: Addresses) -> dict | None:
    if item is None or item[0] is None:
        return None
    slug, title, date = item
    return {"slug": slug, "title": title, "date": date, "url": addresses("api:event-detail", slug)}


def source_brief(item, addresses: Addresses) -> dict:
    slug, title, publisher, date = item
    return {
        "slug": slug,
        "name": title,
        "publisher": publisher,
        "date": date,
        "url": addresses("api:source-detail", slug),
    }


def citation_brief(item, addresses: Addresses) -> dict:
    slug, excerpt, start, end, *source = item
    return {
        "slug": slug,
        "url": addresses("api:citation-detail", slug),
        "source": source_brief(source, addresses),
        "excerpt": excerpt,
        "start": start,
        "end": end,
    }


def citations_of(column: str, alias: str) -> str:
    """The citations whose `column` (statement_id, event_id, figure_id) is the record's."""
    return json_list(
        CITATION_COLUMNS,
        f"statements_citation c JOIN events_source so ON so.id = c.source_id "
        f"WHERE c.{column} = {alias}.id",
        CITATION_ORDER,
    )


def linked(
    alias: str, link_table: str, owner: str, target: str, table: str, columns: list[str]
) -> str:
    """The rows of `table` linked to the record (aliased `alias`) through a many-to-many
    `link_table`, in the target's ordering (name, id): topics, places, people."""
    return json_list(
        [f"t.{column}" for column in columns],
        f"{link_table} l JOIN {table} t ON t.id = l.{target} WHERE l.{owner} = {alias}.id",
        "t.name, t.id",
    )


def _event_nested() -> list[tuple[str, str]]:
    return [
        ("places", linked("e", "events_event_places", "event_id", "place_id", "events_place",
                          ["slug", "name"])),
        ("participants", linked("e", "events_event_participants", "event_id", "person_id",
                                "events_person", ["slug", "name", "kind"])),
        ("topics", linked("e", "events_event_topics", "event_id", "topic_id", "events_topic",
                          ["slug", "name"])),
        ("citations", citations_of("event_id", "e")),
    ]  # fmt: skip


def _event(row, nested: dict, addresses: Addresses, highlight: str | None) -> dict:
    slug, title, summary, kind, status, *rest = row
    date_row, (end_date, created, updated) = rest[:6], rest[6:]
    return {
        "slug": slug,
        "url": addresses("api:event-detail", slug),
        "title": title,
        "summary": summary,
        "kind": kind,
        "status": status,
        **dates(date_row),
        "end_date": end_date,
        "places": [named_brief("api:place-detail", item, addresses) for item in nested["places"]],
        "participants": [person_brief(item, addresses) for item in nested["participants"]],
        "topics": [named_brief("api:topic-detail", item, addresses) for item in nested["topics"]],
        "citations": [citation_brief(item, addresses) for item in nested["citations"]],
        "highlight": highlight,
        "created_at": iso_timestamp(created),
        "updated_at": iso_timestamp(updated),
    }


EVENTS = RowReader(
    table="events_event",
    alias="e",
    columns=[
        "e.slug",
        "e.title",
        "e.summary",
        "e.kind",
        "e.status",
        *(f"e.{column}" for column in DATE_COLUMNS),
        "e.end_date",
        "e.created_at",
        "e.updated_at",
    ],  # fmt: skip
    shape=_event,
    nested=_event_nested,
)
