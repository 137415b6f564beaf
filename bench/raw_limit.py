"""The raw limit: each benchmarked answer built by one hand-written SQL query and orjson.

For every request bench/api_bench.py times, a function here returns the same JSON document (the
same rows, fields, nesting and order, the same `count`, `next` and `previous`) from a single SQL
statement: the page of records with each nested list aggregated as JSON by the database, read
once, shaped into dicts and serialised with orjson. The benchmark checks that both documents are
equal before it times them, so the limit is the cost of the answer itself, without the ORM, DRF's
serializers or extra round trips.

LIMIT_INDEXES are the indexes these queries need; the benchmark creates any that is missing, so
the limit never pays for a missing index.
"""

import datetime
from dataclasses import dataclass, field

import orjson
from django.core import signing
from django.db import connection
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.db.search import render_highlight

BASE = "http://testserver/api/v1/"
PAGE_SIZE = 20
COUNT_CAP = 10_000  # config.api.pagination counts a page-number list up to this many matches
# what config.api.pagination signs into a cursor of the statement list in its default order
CURSOR_SALT, CURSOR_KEY = "parley.pagination.cursor", "/api/v1/statements/?date_earliest,slug,id"

# (name, table, columns on PostgreSQL, columns on SQLite). They are the indexes the migrations
# create (statements 0006 and 0016, events 0006 and 0014), under the same names, so that on a
# migrated database none is missing; on an older one the benchmark creates them. SQLite sorts
# NULLs first ascending and refuses NULLS FIRST in an index; PostgreSQL must be told.
LIMIT_INDEXES = [
    # the default order of statements (open starts first) with its unique tiebreakers
    # (then the interval's end: a date range counted from the index alone)
    ("statement_date_order", "statements_statement",
     "date_earliest NULLS FIRST, slug, id, date_latest", "date_earliest, slug, id, date_latest"),
    # ?ordering=-date: the reverse date order, id as the tiebreaker
    ("statement_date_desc_order", "statements_statement",
     "date_earliest DESC NULLS LAST, id", "date_earliest DESC, id"),
    # ?speaker= in the default order
    ("statement_speaker_order", "statements_statement",
     "speaker_id, date_earliest NULLS FIRST, slug, id", "speaker_id, date_earliest, slug, id"),
    ("event_date_order", "events_event",
     "date_earliest NULLS FIRST, slug, id, date_latest", "date_earliest, slug, id, date_latest"),
    # a date range that may overlap (date_match=overlaps), counted from the index alone
    ("statement_date_end", "statements_statement",
     "date_latest, date_earliest", "date_latest, date_earliest"),
    ("event_date_end", "events_event", "date_latest, date_earliest", "date_latest, date_earliest"),
]  # fmt: skip


def vendor_order(column: str, descending: bool = False) -> str:
    """`column` ascending with NULLs first, or descending with NULLs last, on both databases."""
    if connection.vendor == "postgresql":
        return f"{column} DESC NULLS LAST" if descending else f"{column} ASC NULLS FIRST"
    return f"{column} DESC" if descending else column  # SQLite's own NULL order


def nested(columns: str, source: str, order: str) -> str:
    """A JSON array (as text) of one JSON array per related row, in `order`."""
    if connection.vendor == "postgresql":
        return (
            f"(SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY {order}), '[]')::text "
            f"FROM {source})"
        )
    # SQLite 3.40 has no ORDER BY inside an aggregate: aggregate an ordered subquery
    names = [f"c{n}" for n in range(len(columns.split(", ")))]
    aliased = zip(columns.split(", "), names, strict=True)
    inner = ", ".join(f"{column} AS {name}" for column, name in aliased)
    return (
        f"(SELECT json_group_array(json_array({', '.join(names)})) "
        f"FROM (SELECT {inner} FROM {source} ORDER BY {order}))"
    )


def timestamp(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    return f"replace({column}, ' ', 'T') || 'Z'"


def date_text(column: str) -> str:
    return f"to_char({column}, 'YYYY-MM-DD')" if connection.vendor == "postgresql" else column


def url(kind: str, slug: str) -> str:
    return f"{BASE}{kind}/{slug}/"


def person(row) -> dict | None:
    if row is None or row[0] is None:
        return None
    return {"slug": row[0], "name": row[1], "kind": row[2], "url": url("people", row[0])}


def named(kind: str, row) -> dict:
    return {"slug": row[0], "name": row[1], "url": url(kind, row[0])}


def event_brief(row) -> dict | None:
    if row is None or row[0] is None:
        return None
    return {"slug": row[0], "title": row[1], "date": row[2], "url": url("events", row[0])}


def source_brief(slug, title, publisher, date) -> dict:
    return {"slug": slug, "name": title, "publisher": publisher, "date": date,
            "url": url("sources", slug)}  # fmt: skip


def citation_brief(row) -> dict:
    slug, excerpt, start, end, *source = row
    return {"slug": slug, "url": url("citations", slug), "source": source_brief(*source),
            "excerpt": excerpt, "start": start, "end": end}  # fmt: skip


CITATIONS = (
    'c.slug, c.excerpt, c.start, c."end", so.slug, so.title, so.publisher, so.date',
    "c.source_id, c.start, c.id",
)

STATEMENT_COLUMNS = f"""
    s.id, s.slug, s.speaker_label, s.kind, s.text, s.date, s.date_precision,
    {date_text("s.date_earliest")}, {date_text("s.date_latest")}, s.date_basis, s.date_note,
    s.venue, s.via, {timestamp("s.created_at")}, {timestamp("s.updated_at")},
    p.slug, p.name, p.kind, o.slug, o.title, o.date,
    {{about}}, {{topics}}, {{places}}, {{citations}}, {{wordings}}, {{positions}}
"""


def statement_nested() -> dict:
    return {
        "about": nested(
            "e.slug, e.title, e.date",
            "statements_statement_about a JOIN events_event e ON e.id = a.event_id "
            "WHERE a.statement_id = s.id",
            "e.date_earliest, e.slug, e.id",
        ),
        "topics": nested(
            "t.slug, t.name",
            "statements_statement_topics l JOIN events_topic t ON t.id = l.topic_id "
            "WHERE l.statement_id = s.id",
            "t.name, t.id",
        ),
        "places": nested(
            "pl.slug, pl.name",
            "statements_statement_places l JOIN events_place pl ON pl.id = l.place_id "
            "WHERE l.statement_id = s.id",
            "pl.name, pl.id",
        ),
        "citations": nested(
            CITATIONS[0],
            "statements_citation c JOIN events_source so ON so.id = c.source_id "
            "WHERE c.statement_id = s.id",
            CITATIONS[1],
        ),
        "wordings": nested(
            "w.text, w.canonical, so.slug, so.title, so.publisher, so.date",
            "statements_wording w JOIN events_source so ON so.id = w.source_id "
            "WHERE w.statement_id = s.id",
            "w.canonical DESC, w.source_id, w.id",
        ),
        "positions": nested(
            "po.issue, po.stance, po.excerpt, h.slug, h.name, h.kind",
            "statements_position po LEFT JOIN events_person h ON h.id = po.holder_id "
            "WHERE po.statement_id = s.id",
            "po.issue, po.id",
        ),
    }


def statement_dict(row, highlight=None) -> dict:
    (_id, slug, label, kind, text, date, precision, earliest, latest, basis, note, venue, via,
     created, updated, *speaker_and_occasion) = row[:21]  # fmt: skip
    about, topics, places, citations, wordings, positions = (
        orjson.loads(value) for value in row[21:27]
    )
    return {
        "slug": slug,
        "url": url("statements", slug),
        "speaker": person(speaker_and_occasion[:3]),
        "speaker_label": label,
        "kind": kind,
        "text": text,
        "date": date,
        "date_precision": precision,
        "date_earliest": earliest,
        "date_latest": latest,
        "date_basis": basis,
        "date_note": note,
        "venue": venue,
        "via": via,
        "occasion": event_brief(speaker_and_occasion[3:6]),
        "about": [event_brief(item) for item in about],
        "topics": [named("topics", item) for item in topics],
        "places": [named("places", item) for item in places],
        "citations": [citation_brief(item) for item in citations],
        "wordings": [
            {"source": source_brief(*item[2:]), "text": item[0], "canonical": bool(item[1])}
            for item in wordings
        ],
        "positions": [
            {
                "issue": item[0],
                "stance": item[1],
                "holder": person(item[3:]),
                "excerpt": item[2],
            }  # fmt: skip
            for item in positions
        ],
        "highlight": render_highlight(highlight) if highlight is not None else None,
        "created_at": created,
        "updated_at": updated,
    }


@dataclass(frozen=True)
class Words:
    """A searched word as the limit writes it by hand: its spellings (phrases) and the phrases
    the synonym list adds (fixtures/synonyms.txt), which rank after the spellings."""

    spellings: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    kept: bool = False  # PostgreSQL keeps its ranking (statements_statement_top)

    @property
    def term(self) -> str:
        return "|".join(self.spellings)


# the words the benchmark searches for, written out by hand (not by config.db.search)
WORDS = {
    "ceasefire": Words(("ceasefire", "cease fire"), ("truce", "cessation of hostilities")),
}


@dataclass
class Page:
    """A statement list request: its filter, order and page, as SQL."""

    path: str  # the request's path and query, for the next and previous links
    where: str = "TRUE"
    params: list = field(default_factory=list)
    order: str = ""
    number: int = 1
    search: Words | None = None  # ranked search: order by rank, with highlights
    # rows that stand one for one for the matches, counted in their place (a topic's links)
    counted: str = ""
    counted_params: list = field(default_factory=list)


def tsquery(phrases: tuple[str, ...]) -> tuple[str, list]:
    """PostgreSQL: any of these phrases, stemmed by the configuration every index uses."""
    parts = [
        "phraseto_tsquery('parley_english', %s)"
        if " " in phrase
        else "to_tsquery('parley_english', %s)"
        for phrase in phrases
    ]
    return "(" + " || ".join(parts) + ")", list(phrases)


def fts(phrases: tuple[str, ...]) -> str:
    """SQLite: any of these phrases, in FTS5's query language."""
    return "(" + " OR ".join(f'"{phrase}"' for phrase in phrases) + ")"


def statements_search_page(page: Page) -> bytes:
    """One page of a ranked search, as the API answers it, from one query: on PostgreSQL from
    the kept ranking when the word is kept, otherwise every match ranked by ts_rank; on SQLite
    every match ranked by bm25 (FTS5). What matches only through a synonym ranks below every
    match as typed (its rank squashed into -1..0), and is highlighted by what matched."""
    words, pg = page.search, connection.vendor == "postgresql"
    offset = (page.number - 1) * PAGE_SIZE
    expanded = words.spellings + words.synonyms
    order = "search_rank DESC, s.date_earliest, s.slug, s.id"
    marks = "'StartSel=\ue000, StopSel=\ue001, HighlightAll=true'"
    if pg and words.kept:
        typed, typed_params = tsquery(words.spellings)
        top = "statements_statement_top"
        sql = f"""
            SELECT (SELECT count(*) FROM (SELECT 1 FROM {top} WHERE term = %s
                    LIMIT {COUNT_CAP + 1}) AS capped) AS total,
                ts_headline('parley_english', s.text, q.typed, {marks}) AS highlight,
                {{columns}}
            FROM (SELECT record_id, rank AS search_rank FROM {top} WHERE term = %s
                  ORDER BY rank DESC, date_earliest, slug, record_id
                  LIMIT {PAGE_SIZE} OFFSET {offset}) AS k
            JOIN statements_statement s ON s.id = k.record_id
            CROSS JOIN (SELECT {typed} AS typed) AS q
            JOIN events_person p ON p.id = s.speaker_id
            LEFT JOIN events_event o ON o.id = s.occasion_id
            ORDER BY k.{order}
        """
        params = [words.term, words.term, *typed_params]
    elif pg:
        typed, typed_params = tsquery(words.spellings)
        every, every_params = tsquery(expanded)
        if words.synonyms:
            rank = (
                "CASE WHEN s.search_vector @@ q.typed THEN ts_rank(s.search_vector, q.typed) "
                "ELSE ts_rank(s.search_vector, q.every) / (1 + ts_rank(s.search_vector, "
                "q.every)) - 1 END"
            )
            highlight = (
                f"CASE WHEN s.search_vector @@ q.typed THEN ts_headline('parley_english', "
                f"s.text, q.typed, {marks}) ELSE ts_headline('parley_english', s.text, "
                f"q.every, {marks}) END"
            )
        else:
            rank = "ts_rank(s.search_vector, q.typed)"
            highlight = f"ts_headline('parley_english', s.text, q.typed, {marks})"
        sql = f"""
            WITH q AS MATERIALIZED (SELECT {typed} AS typed, {every} AS every)
            SELECT (SELECT count(*) FROM (SELECT 1 FROM statements_statement s, q
                    WHERE s.search_vector @@ q.every LIMIT {COUNT_CAP + 1}) AS capped) AS total,
                {highlight} AS highlight, {{columns}}
            FROM (SELECT s.*, {rank} AS search_rank FROM statements_statement s, q
                  WHERE s.search_vector @@ q.every
                  ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {offset}) AS s
            CROSS JOIN q
            JOIN events_person p ON p.id = s.speaker_id
            LEFT JOIN events_event o ON o.id = s.occasion_id
            ORDER BY {order.replace("search_rank", "s.search_rank")}
        """
        params = [*typed_params, *every_params]
    else:
        weights = ", ".join(str(weight) for weight in (1.0, 0.4, 0.4, 0.2, 0.2))
        typed, every = fts(words.spellings), fts(expanded)
        scores = (
            f"SELECT rowid AS hit, -bm25(statements_statement_fts, {weights}) AS score "
            "FROM statements_statement_fts WHERE statements_statement_fts MATCH %s"
        )
        if words.synonyms:
            # each match scored once: as typed, or (found through a synonym alone) with its
            # synonyms, by the query "every NOT typed", whose NOT phrases add 0 to its bm25
            ranked = (
                f"SELECT hit AS id, score AS search_rank FROM ({scores}) UNION ALL "
                f"SELECT hit AS id, score / (1 + score) - 1 FROM ({scores})"
            )
            ranked_params = [typed, f"{every} NOT {typed}"]
        else:
            ranked, ranked_params = (
                f"SELECT hit AS id, score AS search_rank FROM ({scores})",
                [typed],
            )
        marked = (
            "(SELECT highlight(statements_statement_fts, 0, '\ue000', '\ue001') "
            "FROM statements_statement_fts WHERE statements_statement_fts MATCH %s "
            "AND statements_statement_fts.rowid = s.id)"
        )
        highlight = f"coalesce({marked}, {marked})" if words.synonyms else marked
        highlight_params = [typed, every] if words.synonyms else [typed]
        sql = f"""
            SELECT (SELECT count(*) FROM (SELECT 1 FROM statements_statement_fts
                    WHERE statements_statement_fts MATCH %s LIMIT {COUNT_CAP + 1})) AS total,
                {highlight} AS highlight, {{columns}}
            FROM (SELECT s.*, r.search_rank FROM statements_statement s
                  JOIN ({ranked}) AS r ON r.id = s.id
                  ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {offset}) AS s
            JOIN events_person p ON p.id = s.speaker_id
            LEFT JOIN events_event o ON o.id = s.occasion_id
            ORDER BY {order.replace("search_rank", "s.search_rank")}
        """
        params = [every, *highlight_params, *ranked_params]
    sql = sql.replace("{columns}", STATEMENT_COLUMNS.format(**statement_nested()))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = rows[0][0] if rows else 0
    results = [statement_dict(row[2:], row[1]) for row in rows]
    return orjson.dumps({**links(page.path, page.number, total), "match": "all",
                         "suggestion": None, "results": results})  # fmt: skip


def statements_page(page: Page) -> bytes:
    """One page of the statement list, as the API answers it, from one query."""
    if page.search is not None:
        return statements_search_page(page)
    pg = connection.vendor == "postgresql"
    where, params = page.where if pg else page.where.replace("TRUE", "1"), list(page.params)
    order = page.order or f"{vendor_order('s.date_earliest')}, s.slug, s.id"
    offset = (page.number - 1) * PAGE_SIZE
    counted = page.counted or f"SELECT 1 FROM statements_statement s WHERE {where}"
    counted_params = page.counted_params if page.counted else params
    sql = f"""
        SELECT (SELECT count(*) FROM ({counted} LIMIT {COUNT_CAP + 1}) AS capped) AS total,
            NULL AS highlight,
            {STATEMENT_COLUMNS.format(**statement_nested())}
        FROM (SELECT 1) AS one
        LEFT JOIN (
            SELECT s.* FROM statements_statement s WHERE {where}
            ORDER BY {order} LIMIT {PAGE_SIZE} OFFSET {offset}
        ) s ON 1 = 1
        LEFT JOIN events_person p ON p.id = s.speaker_id
        LEFT JOIN events_event o ON o.id = s.occasion_id
        ORDER BY {order}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*counted_params, *params])
        rows = cursor.fetchall()
    total = rows[0][0]
    results = [statement_dict(row[2:], row[1]) for row in rows if row[2] is not None]
    return orjson.dumps({**links(page.path, page.number, total), "results": results})


def statements_cursor_page(path: str, position: list | None) -> bytes:
    """A page of `?paging=cursor` in the default order: the statements after `position`
    ([date_earliest, slug, id] of the previous page's last record), from one query."""
    where, params = "1 = 1", []
    if position is not None:
        # a row-value comparison: the order index is read from the position on. An open start
        # (NULL) sorts first, so a position with a date lies beyond every open start.
        assert position[0] is not None, "the limit walks from dated positions only"
        where, params = "(s.date_earliest, s.slug, s.id) > (%s, %s, %s)", list(position)
    order = f"{vendor_order('s.date_earliest')}, s.slug, s.id"
    sql = f"""
        SELECT {STATEMENT_COLUMNS.format(**statement_nested())}
        FROM (
            SELECT * FROM statements_statement s WHERE {where}
            ORDER BY {order} LIMIT {PAGE_SIZE + 1}
        ) s
        JOIN events_person p ON p.id = s.speaker_id
        LEFT JOIN events_event o ON o.id = s.occasion_id
        ORDER BY {order}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    shown = rows[:PAGE_SIZE]
    here = BASE.removesuffix("api/v1/") + path.lstrip("/")

    def link(row, backwards: bool) -> str:
        earliest = None if row[7] is None else str(row[7])
        payload = {"k": CURSOR_KEY, "v": [earliest, row[1], row[0]], "b": backwards}
        cursor = signing.dumps(payload, salt=CURSOR_SALT, compress=True)
        url = replace_query_param(remove_query_param(here, "page"), "paging", "cursor")
        return replace_query_param(url, "cursor", cursor)

    return orjson.dumps(
        {
            "next": link(shown[-1], False) if len(rows) > PAGE_SIZE else None,
            "previous": link(shown[0], True) if position is not None else None,
            "results": [statement_dict(row) for row in shown],
        }
    )


def links(path: str, number: int, total: int) -> dict:
    """`count`, `count_exact`, `next` and `previous` of a page, as config.api.pagination writes
    them from a count of at most COUNT_CAP + 1 rows."""
    here = BASE.removesuffix("api/v1/") + path.lstrip("/")
    count = min(total, COUNT_CAP)
    pages = max(1, -(-count // PAGE_SIZE))
    previous = None
    if number == 2:
        previous = remove_query_param(here, "page")
    elif number > 2:
        previous = replace_query_param(here, "page", number - 1)
    following = replace_query_param(here, "page", number + 1) if number < pages else None
    return {
        "count": count,
        "count_exact": total <= COUNT_CAP,
        "next": following,
        "previous": previous,
    }


def statement_detail(slug: str) -> bytes:
    columns = STATEMENT_COLUMNS.format(**statement_nested())
    sql = f"""
        SELECT {columns} FROM statements_statement s
        JOIN events_person p ON p.id = s.speaker_id
        LEFT JOIN events_event o ON o.id = s.occasion_id
        WHERE s.slug = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug])
        row = cursor.fetchone()
    return orjson.dumps(statement_dict(row))


def events_page(number: int = 1) -> bytes:
    """The first page of events."""
    places = nested(
        "pl.slug, pl.name",
        "events_event_places l JOIN events_place pl ON pl.id = l.place_id WHERE l.event_id = e.id",
        "pl.name, pl.id",
    )
    participants = nested(
        "pe.slug, pe.name, pe.kind",
        "events_event_participants l JOIN events_person pe ON pe.id = l.person_id "
        "WHERE l.event_id = e.id",
        "pe.name, pe.id",
    )
    topics = nested(
        "t.slug, t.name",
        "events_event_topics l JOIN events_topic t ON t.id = l.topic_id WHERE l.event_id = e.id",
        "t.name, t.id",
    )
    citations = nested(
        CITATIONS[0],
        "statements_citation c JOIN events_source so ON so.id = c.source_id "
        "WHERE c.event_id = e.id",
        CITATIONS[1],
    )
    order = f"{vendor_order('e.date_earliest')}, e.slug, e.id"
    sql = f"""
        SELECT (SELECT count(*) FROM (SELECT 1 FROM events_event LIMIT {COUNT_CAP + 1}) AS capped),
            e.slug, e.title, e.summary, e.kind, e.status,
            e.date, e.date_precision, {date_text("e.date_earliest")}, {date_text("e.date_latest")},
            e.date_basis, e.date_note, e.end_date, {places}, {participants}, {topics},
            {citations}, {timestamp("e.created_at")}, {timestamp("e.updated_at")}
        FROM (SELECT * FROM events_event e ORDER BY {order} LIMIT {PAGE_SIZE}
              OFFSET {(number - 1) * PAGE_SIZE}) e
        ORDER BY {order}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    results = []
    for row in rows:
        (_total, slug, title, summary, kind, status, date, precision, earliest, latest, basis,
         note, end_date, places_json, participants_json, topics_json, citations_json, created,
         updated) = row  # fmt: skip
        results.append(
            {
                "slug": slug,
                "url": url("events", slug),
                "title": title,
                "summary": summary,
                "kind": kind,
                "status": status,
                "date": date,
                "date_precision": precision,
                "date_earliest": earliest,
                "date_latest": latest,
                "date_basis": basis,
                "date_note": note,
                "end_date": end_date,
                "places": [named("places", item) for item in orjson.loads(places_json)],
                "participants": [person(item) for item in orjson.loads(participants_json)],
                "topics": [named("topics", item) for item in orjson.loads(topics_json)],
                "citations": [citation_brief(item) for item in orjson.loads(citations_json)],
                "highlight": None,
                "created_at": created,
                "updated_at": updated,
            }
        )
    page = links(
        f"/api/v1/events/?page={number}" if number > 1 else "/api/v1/events/", number, rows[0][0]
    )
    return orjson.dumps({**page, "results": results})


def ensure_indexes() -> list[str]:
    """Create the limit's indexes that are missing; return their names."""
    created = []
    with connection.cursor() as cursor:
        for name, table, postgresql, sqlite in LIMIT_INDEXES:
            if name in connection.introspection.get_constraints(cursor, table):
                continue
            columns = postgresql if connection.vendor == "postgresql" else sqlite
            cursor.execute(f"CREATE INDEX {name} ON {table} ({columns})")
            created.append(name)
        if created:
            cursor.execute("ANALYZE")
    return created


# --------------------------------------------------------------------------------------------
# The timeline, a record's history and the change feed
# --------------------------------------------------------------------------------------------


def timeline_page(path: str, where: str = "", params: tuple = (), number: int = 1) -> bytes:
    """A page of `/api/v1/timeline/` in its default order (open starts first, then by date;
    events before statements on a date, each by slug), from one query. `where` is the date
    condition on either table (alias x) with its `params`.

    Each table gives its first `offset + PAGE_SIZE` rows in that order, read off its date order
    index; the page is cut from their union, and each table's matches are counted up to the cap.
    """
    pg = connection.vendor == "postgresql"
    where = where or ("TRUE" if pg else "1")
    offset = (number - 1) * PAGE_SIZE
    reach = offset + PAGE_SIZE
    order = f"{vendor_order('x.date_earliest')}, x.slug"

    def branch(table: str, item_type: str, title: str, speaker: str) -> str:
        return (
            f"SELECT * FROM (SELECT x.date_earliest, '{item_type}' AS item_type, x.slug, x.date, "
            f"x.date_latest, x.kind, x.{title} AS title, {speaker} AS speaker_id FROM {table} x "
            f"WHERE {where} ORDER BY {order} LIMIT {reach}) AS {item_type}s"
        )

    def counted(table: str) -> str:
        return (
            f"(SELECT count(*) FROM (SELECT 1 FROM {table} x WHERE {where} "
            f"LIMIT {COUNT_CAP + 1}) AS capped)"
        )

    merged = f"{vendor_order('t.date_earliest')}, t.item_type, t.slug"
    sql = f"""
        SELECT {counted("events_event")} + {counted("statements_statement")},
            t.item_type, t.slug, t.date, {date_text("t.date_earliest")},
            {date_text("t.date_latest")}, t.kind, t.title, p.slug, p.name, p.kind
        FROM (SELECT 1) AS one
        LEFT JOIN (
            SELECT * FROM ({branch("events_event", "event", "title", "CAST(NULL AS bigint)")}
                UNION ALL {branch("statements_statement", "statement", "text", "x.speaker_id")})
                AS t
            ORDER BY {merged} LIMIT {PAGE_SIZE} OFFSET {offset}
        ) AS t ON 1 = 1
        LEFT JOIN events_person p ON p.id = t.speaker_id
        ORDER BY {merged}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params] * 4)
        rows = cursor.fetchall()
    kinds = {"event": "events", "statement": "statements"}
    results = [
        {
            "type": item_type,
            "slug": slug,
            "url": url(kinds[item_type], slug),
            "date": date,
            "date_earliest": earliest,
            "date_latest": latest,
            "kind": kind,
            "title": title,
            "speaker": person(speaker),
        }
        for _total, item_type, slug, date, earliest, latest, kind, title, *speaker in rows
        if item_type is not None
    ]
    return orjson.dumps({**links(path, number, rows[0][0]), "results": results})


def history_of_statement(slug: str) -> bytes:
    """`/api/v1/statements/<slug>/history/`: the statement's versions, newest first, each with
    its fields as they were, its speaker and occasion by slug and its places, topics and events
    (as that version left them) as lists of slugs, from one query."""

    def slugs(relation: str, column: str, table: str) -> str:
        return nested(
            "r.slug",
            f"statements_historicalstatement_{relation} l LEFT JOIN {table} r "
            f"ON r.id = l.{column} WHERE l.history_id = h.history_id",
            "r.slug",
        )

    sql = f"""
        SELECT (SELECT count(*) FROM (SELECT 1 FROM statements_historicalstatement
                WHERE slug = %s LIMIT {COUNT_CAP + 1}) AS capped),
            h.version, h.history_date, h.history_type, h.history_change_reason,
            h.created_at, h.updated_at, h.date, h.date_precision, h.date_earliest,
            h.date_latest, h.date_interval_explicit, h.date_basis, h.date_note, h.slug,
            sp.slug, h.speaker_label, h.kind, h.text, h.venue, h.via, oc.slug,
            {slugs("places", "place_id", "events_place")},
            {slugs("topics", "topic_id", "events_topic")},
            {slugs("about", "event_id", "events_event")}
        FROM statements_historicalstatement h
        LEFT JOIN events_person sp ON sp.id = h.speaker_id
        LEFT JOIN events_event oc ON oc.id = h.occasion_id
        WHERE h.slug = %s
        ORDER BY h.history_date DESC, h.history_id DESC
        LIMIT {PAGE_SIZE}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, slug])
        rows = cursor.fetchall()
    changes = {"+": "created", "~": "updated", "-": "deleted"}

    results = []
    for (_total, version, changed_at, change, reason, created, updated, date, precision,
         earliest, latest, explicit, basis, note, own_slug, speaker, label, kind, text, venue,
         via, occasion, places, topics, about) in rows:  # fmt: skip
        stamp = moment(changed_at).isoformat()
        results.append({
            "version": version,
            "changed_at": stamp.removesuffix("+00:00") + "Z" if stamp.endswith("+00:00") else stamp,
            "changed_by": None,  # the dataset's versions are loads: no editor
            "change": changes[change],
            "reason": reason,
            "record": {
                "created_at": moment(created),
                "updated_at": moment(updated),
                "date": date,
                "date_precision": precision,
                "date_earliest": earliest,
                "date_latest": latest,
                "date_interval_explicit": bool(explicit),
                "date_basis": basis,
                "date_note": note,
                "slug": own_slug,
                "speaker": speaker,
                "speaker_label": label,
                "kind": kind,
                "text": text,
                "venue": venue,
                "via": via,
                "occasion": occasion,
                "places": [item[0] for item in orjson.loads(places)],
                "topics": [item[0] for item in orjson.loads(topics)],
                "about": [item[0] for item in orjson.loads(about)],
            },
        })  # fmt: skip
    return orjson.dumps({**links(f"/api/v1/statements/{slug}/history/", 1, rows[0][0]),
                         "results": results})  # fmt: skip


# the change feed's tables, in the order that breaks a tie of time (config.api.history.TYPES)
CHANGE_TYPES = [
    ("topic", "events_historicaltopic", "topics"),
    ("place", "events_historicalplace", "places"),
    ("person", "events_historicalperson", "people"),
    ("source", "events_historicalsource", "sources"),
    ("event", "events_historicalevent", "events"),
    ("statement", "statements_historicalstatement", "statements"),
    ("figure", "statements_historicalfigure", "figures"),
    ("wording", "statements_historicalwording", "wordings"),
    ("position", "statements_historicalposition", "positions"),
    ("citation", "statements_historicalcitation", "citations"),
]
FEED_SIZE = 100  # config.api.history's default page size
FEED_SALT = "parley.pagination.cursor"


def changes_page(after: tuple | None = None) -> bytes:
    """A page of `/api/v1/changes/` (every type, oldest first): the first, or the one after
    `after` = (history_date, rank of the type, history_id), from one query. Each table gives
    its first rows after the position off its (history_date, history_id) index; the page is
    the first of their union in (time, rank, id) order."""
    pg = connection.vendor == "postgresql"
    branches, params = [], []
    for rank, (_name, table, _route) in enumerate(CHANGE_TYPES):
        where = "1 = 1"
        if after is not None:
            when, after_rank, history_id = after
            # SQLite keeps a time as the text of its naive UTC value
            stamp = when if pg else str(when.astimezone(datetime.UTC).replace(tzinfo=None))
            if rank < after_rank:
                where, extra = "history_date > %s", [stamp]
            elif rank > after_rank:
                where, extra = "history_date >= %s", [stamp]
            else:
                where = "history_date >= %s AND (history_date > %s OR history_id > %s)"
                extra = [stamp, stamp, history_id]
            params.extend(extra)
        branches.append(
            f"SELECT * FROM (SELECT history_date, {rank} AS rank, history_id, history_type, "
            f"history_user_id, version, slug FROM {table} WHERE {where} "
            f"ORDER BY history_date, history_id LIMIT {FEED_SIZE + 1}) AS t{rank}"
        )
    sql = " UNION ALL ".join(branches) + f" ORDER BY 1, 2, 3 LIMIT {FEED_SIZE + 1}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    changes = {"+": "created", "~": "updated", "-": "deleted"}
    results = []
    for when, rank, _history_id, change, _user, version, slug in rows[:FEED_SIZE]:
        name, _table, route = CHANGE_TYPES[rank]
        address = url(route, slug)
        results.append({
            "type": name,
            "slug": slug,
            "change": changes[change],
            "changed_at": moment(when),
            "changed_by": None,
            "version": version,
            "url": address,
            "history_url": f"{address}history/",
        })  # fmt: skip
    following = None
    if len(rows) > FEED_SIZE:
        when, rank, history_id = rows[FEED_SIZE - 1][:3]
        when = moment(when)
        following = replace_query_param(
            f"{BASE}changes/", "cursor", changes_cursor((when, rank, history_id))
        )
    return orjson.dumps({"next": following, "results": results})


def moment(value) -> datetime.datetime:
    """A stored time as the API reads it: aware, in UTC (SQLite keeps it naive, or as text)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def changes_cursor(position: tuple) -> str:
    when, rank, history_id = position
    payload = {"k": "/api/v1/changes/", "v": [when.isoformat(), rank, history_id], "b": False}
    return signing.dumps(payload, salt=FEED_SALT, compress=True)


# /api/v1/search/: statements, events, sources and figures ranked together
# (type, table, bm25 weights on SQLite, highlighted column, whole column or a snippet)
HIT_TYPES = [
    ("statement", "statements_statement", "1.0, 0.4, 0.4, 0.2, 0.2", 0, True),
    ("event", "events_event", "1.0, 0.4", 1, True),
    ("source", "events_source", "1.0, 0.4, 0.4, 0.2", 3, False),
    ("figure", "statements_figure", "1.0, 0.4, 0.2", 0, True),
]


def search_hits_page(word: str, path: str) -> bytes:
    """The first page of `/search/?q=word` (one word, no synonym), as the API answers it, from
    one query: the matches of the four types counted (capped) and ranked in one union, the
    page's twenty read with their titles and highlights."""
    pg = connection.vendor == "postgresql"
    params: list = []
    if pg:
        matched = [f"SELECT %s, id FROM {table} WHERE search_vector @@ "
                   "to_tsquery('parley_english', %s)" for _, table, *_ in HIT_TYPES]  # fmt: skip
        ranked = [
            f"SELECT %s AS t, id, ts_rank(search_vector, to_tsquery('parley_english', %s))"
            f"::float8 AS rank FROM {table} WHERE search_vector @@ "
            "to_tsquery('parley_english', %s)"
            for _, table, *_ in HIT_TYPES
        ]
        for name, *_ in HIT_TYPES:
            params += [name, word]
        for name, *_ in HIT_TYPES:
            params += [name, word, word]
    else:
        matched = [f"SELECT %s, rowid FROM {table}_fts WHERE {table}_fts MATCH %s"
                   for _, table, *_ in HIT_TYPES]  # fmt: skip
        ranked = [
            f"SELECT %s AS t, rowid AS id, -bm25({table}_fts, {weights}) AS rank "
            f"FROM {table}_fts WHERE {table}_fts MATCH %s"
            for _, table, weights, *_ in HIT_TYPES
        ]
        for name, *_ in HIT_TYPES:
            params += [name, f'"{word}"']
        params += params
    marks = "StartSel=\ue000, StopSel=\ue001, "
    titles, highlights, joins = [], [], []
    for name, table, _weights, column, whole in HIT_TYPES:
        alias = f"h_{name}"
        joins.append(f"LEFT JOIN {table} {alias} ON k.t = '{name}' AND {alias}.id = k.id")
        text = {"statement": "text", "event": "summary", "source": "text", "figure": "label"}[name]
        if pg:
            options = marks + ("HighlightAll=true" if whole else "MaxWords=30, MinWords=10")
            marked = (f"ts_headline('parley_english', {alias}.{text}, "
                      f"to_tsquery('parley_english', %s), '{options}')")  # fmt: skip
        else:
            fts = f"{table}_fts"
            cut = (f"highlight({fts}, {column}, '\ue000', '\ue001')" if whole
                   else f"snippet({fts}, {column}, '\ue000', '\ue001', '…', 30)")  # fmt: skip
            marked = f"(SELECT {cut} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = k.id)"
        highlights.append(f"WHEN '{name}' THEN {marked}")
        title = {"statement": "sp.name || ': ' || h_statement.text", "event": "h_event.title",
                 "source": "h_source.title", "figure": "h_figure.label"}[name]  # fmt: skip
        titles.append(f"WHEN '{name}' THEN {title}")
    slug = "coalesce(" + ", ".join(f"h_{name}.slug" for name, *_ in HIT_TYPES) + ")"
    date = "coalesce(" + ", ".join(f"h_{name}.date" for name, *_ in HIT_TYPES) + ")"
    sql = f"""
        SELECT (SELECT count(*) FROM ({" UNION ALL ".join(matched)} LIMIT {COUNT_CAP + 1})
                AS capped) AS total,
            k.t, {slug}, {date}, CASE k.t {" ".join(titles)} END,
            CASE k.t {" ".join(highlights)} END, k.rank
        FROM (SELECT * FROM ({" UNION ALL ".join(ranked)}) AS u
              ORDER BY rank DESC, t, id LIMIT {PAGE_SIZE}) AS k
        {" ".join(joins)}
        LEFT JOIN events_person sp ON sp.id = h_statement.speaker_id
        ORDER BY k.rank DESC, k.t, k.id
    """
    # the highlights' parameters come in the select list, before the page's
    marked_params = [word if pg else f'"{word}"'] * len(HIT_TYPES)
    count_params = params[: 2 * len(HIT_TYPES)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*count_params, *marked_params, *params[2 * len(HIT_TYPES) :]])
        rows = cursor.fetchall()
    total = rows[0][0] if rows else 0
    results = [
        {"type": kind, "slug": slug, "url": url(f"{kind}s", slug), "title": title,
         "date": date, "highlight": render_highlight(marked) or "", "rank": rank}
        for _total, kind, slug, date, title, marked, rank in rows
    ]  # fmt: skip
    return orjson.dumps(
        {**links(path, 1, total), "match": "all", "suggestion": None, "results": results}
    )
