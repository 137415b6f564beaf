"""Statements read as rows (config.api.rows): the same dicts as StatementSerializer, from one
query."""

from config.api.rows import Addresses, RowReader, iso_timestamp, json_list
from events.api.rows import (
    DATE_COLUMNS,
    citation_brief,
    citations_of,
    dates,
    event_brief,
    linked,
    named_brief,
    person_brief,
    source_brief,
)


def _statement_nested() -> list[tuple[str, str]]:
    return [
        ("about", json_list(
            ["a.slug", "a.title", "a.date"],
            "statements_statement_about l JOIN events_event a ON a.id = l.event_id "
            "WHERE l.statement_id = s.id",
            "a.date_earliest, a.slug, a.id",  # Event's ordering
        )),
        ("topics", linked("s", "statements_statement_topics", "statement_id", "topic_id",
                          "events_topic", ["slug", "name"])),
        ("places", linked("s", "statements_statement_places", "statement_id", "place_id",
                          "events_place", ["slug", "name"])),
        ("citations", citations_of("statement_id", "s")),
        ("wordings", json_list(
            ["w.text", "w.canonical", "so.slug", "so.title", "so.publisher", "so.date"],
            "statements_wording w JOIN events_source so ON so.id = w.source_id "
            "WHERE w.statement_id = s.id",
            "w.canonical DESC, w.source_id, w.id",  # Wording's ordering
        )),
        ("positions", json_list(
            ["po.issue", "po.stance", "po.excerpt", "h.slug", "h.name", "h.kind"],
            "statements_position po LEFT JOIN events_person h ON h.id = po.holder_id "
            "WHERE po.statement_id = s.id",
            "po.issue, po.id",  # Position's ordering
        )),
    ]  # fmt: skip


def _statement(row, nested: dict, addresses: Addresses, highlight: str | None) -> dict:
    slug, label, kind, text, *rest = row
    date_row = rest[:6]
    venue, via, created, updated, *speaker_and_occasion = rest[6:]
    return {
        "slug": slug,
        "url": addresses("api:statement-detail", slug),
        "speaker": person_brief(speaker_and_occasion[:3], addresses),
        "speaker_label": label,
        "kind": kind,
        "text": text,
        **dates(date_row),
        "venue": venue,
        "via": via,
        "occasion": event_brief(speaker_and_occasion[3:], addresses),
        "about": [event_brief(item, addresses) for item in nested["about"]],
        "topics": [named_brief("api:topic-detail", item, addresses) for item in nested["topics"]],
        "places": [named_brief("api:place-detail", item, addresses) for item in nested["places"]],
        "citations": [citation_brief(item, addresses) for item in nested["citations"]],
        "wordings": [
            {
                "source": source_brief(item[2:], addresses),
                "text": item[0],
                "canonical": bool(item[1]),
            }
            for item in nested["wordings"]
        ],
        "positions": [
            {
                "issue": issue,
                "stance": stance,
                "holder": person_brief(holder, addresses),
                "excerpt": excerpt,
            }
            for issue, stance, excerpt, *holder in nested["positions"]
        ],
        "highlight": highlight,
        "created_at": iso_timestamp(created),
        "updated_at": iso_timestamp(updated),
    }


STATEMENTS = RowReader(
    table="statements_statement",
    alias="s",
    columns=[
        "s.slug",
        "s.speaker_label",
        "s.kind",
        "s.text",
        *(f"s.{column}" for column in DATE_COLUMNS),
        "s.venue",
        "s.via",
        "s.created_at",
        "s.updated_at",
        "p.slug",
        "p.name",
        "p.kind",
        "o.slug",
        "o.title",
        "o.date",
    ],  # fmt: skip
    joins="JOIN events_person p ON p.id = s.speaker_id "
    "LEFT JOIN events_event o ON o.id = s.occasion_id",
    shape=_statement,
    nested=_statement_nested,
)
