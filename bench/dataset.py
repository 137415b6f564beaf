"""A synthetic dataset of realistic shape, of any size, written in bulk (bench/api_bench.py).

Shape, per N statements (the ratios of the curated dataset in fixtures/):

- the people, topics and places of fixtures/ (real names and aliases), plus 2,000 more people;
  speakers follow a Zipf law (s = 1.1: the top speaker says about one statement in seven),
  topics and places too (s = 1);
- dates from 2022-02-24 to 2026-10: 75% to the day, 17% to the month, 7% to the year and 1%
  with an open start (before the report), so month- and year-precise dates tie by the thousand;
- text: 8 to 40 words drawn from the vocabulary of the five reference texts, by rank
  (Zipf, s = 1), so common words match most statements and rare ones a few hundred;
- per statement 1.4 topics, 0.5 places, 0.25 events it is about, an occasion for 27%, one
  citation (a second for 15%), a canonical wording for each quote or fragment (35%) and a
  position for 40%;
- N/10 events with participants, topics, places and a citation each; N/1,000 sources of about
  6,000 characters, which every citation's offsets point into.

Rows are written with COPY (PostgreSQL) or executemany (SQLite) in batches, with explicit ids,
never through the ORM. On PostgreSQL the full-text GIN index is dropped during the load and built
once at the end; on SQLite the FTS5 triggers are, and the FTS5 table is rebuilt at the end.
"""

import datetime
import hashlib
import itertools
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from config.db.dates import parse_partial_date
from config.db.search import postgresql as pg_search
from config.db.search import sqlite as sqlite_search
from config.db.search import top
from config.db.search import vocabulary as search_words
from events.models import EventQuerySet
from statements.models import (
    Position,
    StatementQuerySet,
    citation_slug,
    position_slug,
    wording_slug,
)

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20_000
EXTRA_PEOPLE = 2_000
STAMP = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)  # created_at = updated_at
FIRST_DAY, LAST_DAY = datetime.date(2022, 2, 24), datetime.date(2026, 10, 31)
DATED = ["date", "date_precision", "date_earliest", "date_latest", "date_interval_explicit",
         "date_basis", "date_note"]  # fmt: skip
KINDS = ["paraphrase"] * 65 + ["fragment"] * 20 + ["quote"] * 15
EVENT_KINDS = ["call", "meeting", "talks", "summit", "strike", "proposal", "announcement",
               "agreement", "conference", "accusation", "military_advance", "leak"]  # fmt: skip
VENUES = ["", "", "", "Telegram", "press conference in Kyiv", "Valdai discussion club",
          "state television", "a briefing in Moscow", "the White House"]  # fmt: skip
SEARCHED = [StatementQuerySet.search_index, EventQuerySet.search_index]  # rebuilt after the load
VIAS = ["", "", "", "told Reuters", "TASS", "told journalists", "Interfax", "RIA Novosti"]


def fixture_records(model: str) -> list[dict]:
    """The fields of every `model` record in fixtures/, in file order."""
    records = []
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        for record in json.loads(path.read_text()):
            if record["model"] == model:
                records.append(record["fields"])
    return records


def vocabulary() -> list[str]:
    """The words of the five reference texts, most frequent first."""
    counts = Counter(
        word
        for source in fixture_records("events.source")
        for word in re.findall(r"[A-Za-z][a-z]+(?:'s)?", source["text"])
    )
    return [word for word, _count in counts.most_common()]


def zipf(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights of `count` ranks, for random.choices(cum_weights=...)."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


class Writer:
    """Writes rows to one table at a time, with the fastest bulk path of the database."""

    def __init__(self):
        self.vendor = connection.vendor
        self.rows = Counter()

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with transaction.atomic(), connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.rows[table] += 1
            else:
                rows = list(rows)
                marks = ", ".join("?" for _ in columns)
                connection.connection.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    [tuple(self.sqlite_value(value) for value in row) for row in rows],
                )
                self.rows[table] += len(rows)

    @staticmethod
    def sqlite_value(value):
        # how Django stores them on SQLite: ISO text, without the time zone
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None).isoformat(sep=" ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value


class Generator:
    """Draws the records; every draw comes from one seeded random generator."""

    def __init__(self, statements: int, seed: int):
        self.statements = statements
        self.rng = random.Random(seed)
        self.words = vocabulary()
        self.word_weights = zipf(len(self.words), 1.0)
        self.days = (LAST_DAY - FIRST_DAY).days

    def choose(self, items: Sequence, weights: list[float], k: int = 1) -> list:
        return self.rng.choices(items, cum_weights=weights, k=k)

    def sentence(self, low: int, high: int) -> str:
        words = self.choose(self.words, self.word_weights, self.rng.randint(low, high))
        return " ".join(words)[:1].upper() + " ".join(words)[1:] + "."

    def dated(self) -> tuple:
        """The Dated columns (see DATED) of a random date of random precision."""
        day = FIRST_DAY + datetime.timedelta(days=self.rng.randrange(self.days))
        roll = self.rng.random()
        if roll < 0.01:  # said before the report, no telling how long before
            date = day.isoformat()[:7]
            return (date, "month", None, day, True, "before_report", "")
        date = (
            day.isoformat()
            if roll < 0.76
            else day.isoformat()[:7]
            if roll < 0.93
            else str(day.year)
        )
        earliest, latest, precision = parse_partial_date(date)
        return (date, precision, earliest, latest, False, "stated", "")

    def distinct(self, items: Sequence, weights: list[float], k: int) -> list:
        return list(dict.fromkeys(self.choose(items, weights, k)))


def reset_sequences(tables: Iterable[str]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT continues from the largest id by itself
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def search_indexes_off() -> None:
    """Drop what keeps the statements' and events' full-text indexes current row by row."""
    with connection.cursor() as cursor:
        for index in SEARCHED:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {index.table}_search")
                if index.keeps_top:  # no term is kept yet: top.refresh ranks them after
                    top_table, _terms = pg_search.top_tables(index)
                    cursor.execute(f"ALTER TABLE {index.table} DISABLE TRIGGER {top_table}_sync")
            else:
                fts = sqlite_search.fts_table(index)
                for suffix in ("insert", "delete", "update"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")


def search_indexes_on() -> None:
    """Build the full-text indexes once, over every row."""
    with connection.cursor() as cursor:
        for index in SEARCHED:
            if connection.vendor == "postgresql":
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(pg_search.schema_sql(index)[0][1])  # CREATE INDEX ... gin
                if index.keeps_top:
                    top_table, _terms = pg_search.top_tables(index)
                    cursor.execute(f"ALTER TABLE {index.table} ENABLE TRIGGER {top_table}_sync")
            else:
                for statement in sqlite_search.schema_sql(index)[0]:
                    cursor.execute(statement)  # triggers, then 'rebuild'


def build(statements: int, seed: int = 1, log=print) -> Counter:
    """Fill an empty, migrated database with `statements` statements and all around them."""
    gen = Generator(statements, seed)
    rng = gen.rng
    out = Writer()
    stamps = (STAMP, STAMP)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    search_indexes_off()

    topics = fixture_records("events.topic")
    out.write(
        "events_topic",
        ["id", "slug", "name", "description", "created_at", "updated_at"],
        ((n, t["slug"], t["name"], t["description"], *stamps) for n, t in enumerate(topics, 1)),
    )
    places = fixture_records("events.place")
    out.write(
        "events_place",
        [
            "id",
            "slug",
            "name",
            "kind",
            "country_code",
            "latitude",
            "longitude",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        (
            (
                n,
                p["slug"],
                p["name"],
                p["kind"],
                p["country_code"],
                p["latitude"],
                p["longitude"],
                *stamps,
            )  # fmt: skip
            for n, p in enumerate(places, 1)
        ),
    )
    # the fixtures' people, most quoted first, then more
    said = Counter(s["speaker"][0] for s in fixture_records("statements.statement"))
    people = sorted(fixture_records("events.person"), key=lambda p: -said[p["slug"]])
    people = list({p["slug"]: p for p in people}.values())
    for n in range(EXTRA_PEOPLE):
        people.append(
            {
                "slug": f"official-{n + 1:04d}",
                "name": f"Official {n + 1:04d}",
                "kind": "person",
                "aliases": [],
                "description": "A government official.",
                "affiliation": "",
                "country_code": "",
                "wikidata_id": "",
            }  # fmt: skip
        )
    out.write(
        "events_person",
        [
            "id",
            "slug",
            "name",
            "kind",
            "aliases",
            "description",
            "affiliation",
            "country_code",
            "wikidata_id",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        (
            (
                n,
                p["slug"],
                p["name"],
                p["kind"],
                json.dumps(p["aliases"]),
                p["description"],
                p["affiliation"],
                p["country_code"],
                p["wikidata_id"],
                *stamps,
            )  # fmt: skip
            for n, p in enumerate(people, 1)
        ),
    )
    person_ids = list(range(1, len(people) + 1))
    names = {n: " ".join([p["name"], *p["aliases"]]) for n, p in enumerate(people, 1)}
    labels = {  # the article's words for the speaker: a surname, or the whole description
        n: p["name"].split()[-1] if p["kind"] == "person" else p["name"]
        for n, p in enumerate(people, 1)
    }
    speaker_weights = zipf(len(people), 1.1)
    topic_ids, topic_weights = list(range(1, len(topics) + 1)), zipf(len(topics), 1.0)
    place_ids, place_weights = list(range(1, len(places) + 1)), zipf(len(places), 1.0)

    sources = []
    for n in range(max(statements // 1_000, 20)):
        text = " ".join(gen.sentence(8, 30) for _ in range(40))
        sources.append((n + 1, f"article-{n + 1:05d}", text))
    out.write(
        "events_source",
        [
            "id",
            *DATED,
            "slug",
            "title",
            "publisher",
            "author",
            "url",
            "language",
            "seed_file",
            "furniture",
            "text",
            "text_sha256",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        (
            (
                n,
                *gen.dated(),
                slug,
                gen.sentence(5, 12),
                rng.choice(["Reuters", "TASS", "AP"]),
                "",
                "",
                "en",
                f"{slug}.txt",
                "[]",
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                *stamps,
            )  # fmt: skip
            for n, slug, text in sources
        ),
    )

    def cite(target_type: str, target_slug: str, exclude: int = 0) -> tuple:
        source_id, source_slug, text = rng.choice(sources)
        while source_id == exclude:
            source_id, source_slug, text = rng.choice(sources)
        start = rng.randrange(len(text) - 200)
        end = start + rng.randint(60, 180)
        slug = citation_slug(source_slug, start, end, target_type, target_slug)
        return slug, source_id, text[start:end], start, end

    citation_ids = itertools.count(1)
    events = max(statements // 10, 10)
    event_rows, links = [], {"participants": [], "topics": [], "places": []}
    event_citations = []
    for n in range(1, events + 1):
        slug = f"event-{n:06d}"
        event_rows.append(
            (
                n,
                *gen.dated(),
                slug,
                gen.sentence(4, 9)[:-1],
                gen.sentence(12, 30),
                rng.choice(EVENT_KINDS),
                rng.choice(["occurred"] * 8 + ["planned", "proposed"]),
                "",
                *stamps,
            )  # fmt: skip
        )
        for person in gen.distinct(person_ids, speaker_weights, rng.randint(1, 3)):
            links["participants"].append((n, person))
        for topic in gen.distinct(topic_ids, topic_weights, rng.randint(1, 2)):
            links["topics"].append((n, topic))
        for place in gen.distinct(place_ids, place_weights, rng.randint(0, 1)):
            links["places"].append((n, place))
        event_citations.append((next(citation_ids), *cite("event", slug), None, n, *stamps))
    out.write(
        "events_event",
        [
            "id",
            *DATED,
            "slug",
            "title",
            "summary",
            "kind",
            "status",
            "end_date",
            "created_at",
            "updated_at",
        ],  # fmt: skip
        event_rows,
    )
    for relation, column in (("participants", "person_id"), ("topics", "topic_id"),
                             ("places", "place_id")):  # fmt: skip
        out.write(
            f"events_event_{relation}",
            ["id", "event_id", column],
            ((n, *row) for n, row in enumerate(links[relation], 1)),
        )
    citation_columns = ["id", "slug", "source_id", "excerpt", "start", "end", "statement_id",
                        "event_id", "created_at", "updated_at"]  # fmt: skip
    out.write("statements_citation", citation_columns, event_citations)
    log(f"  {len(people):,} people, {len(sources):,} sources, {events:,} events")

    link_ids = {relation: itertools.count(1) for relation in ("topics", "places", "about")}
    wording_ids, position_ids = itertools.count(1), itertools.count(1)
    issues, stances = Position.Issue.values, Position.Stance.values
    issue_weights = zipf(len(issues), 1.0)
    for first in range(1, statements + 1, BATCH):
        rows, topic_links, place_links, about_links = [], [], [], []
        citations, wordings, positions = [], [], []
        for n in range(first, min(first + BATCH, statements + 1)):
            speaker = gen.choose(person_ids, speaker_weights)[0]
            dated = gen.dated()
            slug = f"{people[speaker - 1]['slug'][:60]}-{dated[0]}-{n}"
            kind = rng.choice(KINDS)
            text = gen.sentence(8, 40)
            occasion = rng.randint(1, events) if rng.random() < 0.27 else None
            rows.append(
                (
                    n,
                    *dated,
                    slug,
                    labels[speaker],
                    kind,
                    text,
                    rng.choice(VENUES),
                    rng.choice(VIAS),
                    occasion,
                    speaker,
                    names[speaker],
                    *stamps,
                )  # fmt: skip
            )
            for topic in gen.distinct(topic_ids, topic_weights, rng.choice([1, 1, 1, 2, 2, 3])):
                topic_links.append((next(link_ids["topics"]), n, topic))
            if rng.random() < 0.4:
                for place in gen.distinct(place_ids, place_weights, rng.randint(1, 2)):
                    place_links.append((next(link_ids["places"]), n, place))
            if rng.random() < 0.25:
                about_links.append((next(link_ids["about"]), n, rng.randint(1, events)))
            first_citation = cite("statement", slug)
            citations.append((next(citation_ids), *first_citation, n, None, *stamps))
            if rng.random() < 0.15:
                second = cite("statement", slug, exclude=first_citation[1])
                citations.append((next(citation_ids), *second, n, None, *stamps))
            if kind != "paraphrase":
                source_slug = sources[first_citation[1] - 1][1]
                wordings.append(
                    (
                        next(wording_ids),
                        wording_slug(slug, source_slug),
                        n,
                        first_citation[1],
                        text,
                        True,
                        *stamps,
                    )  # fmt: skip
                )
            if rng.random() < 0.4:
                issue = gen.choose(issues, issue_weights)[0]
                holder = gen.choose(person_ids, speaker_weights)[0] if rng.random() < 0.1 else None
                positions.append(
                    (
                        next(position_ids),
                        position_slug(slug, issue),
                        n,
                        issue,
                        rng.choice(stances),
                        holder,
                        " ".join(text.split()[:6]),
                        *stamps,
                    )  # fmt: skip
                )
        out.write(
            "statements_statement",
            [
                "id",
                *DATED,
                "slug",
                "speaker_label",
                "kind",
                "text",
                "venue",
                "via",
                "occasion_id",
                "speaker_id",
                "speaker_names",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            rows,
        )
        out.write("statements_statement_topics", ["id", "statement_id", "topic_id"], topic_links)
        out.write("statements_statement_places", ["id", "statement_id", "place_id"], place_links)
        out.write("statements_statement_about", ["id", "statement_id", "event_id"], about_links)
        out.write("statements_citation", citation_columns, citations)
        out.write(
            "statements_wording",
            [
                "id",
                "slug",
                "statement_id",
                "source_id",
                "text",
                "canonical",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            wordings,
        )
        out.write(
            "statements_position",
            [
                "id",
                "slug",
                "statement_id",
                "issue",
                "stance",
                "holder_id",
                "excerpt",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            positions,
        )
        log(f"  {min(first + BATCH - 1, statements):,} statements")
    reset_sequences(out.rows)
    log("  building the full-text indexes")
    search_indexes_on()
    with connection.cursor() as cursor:
        # statistics for the planner; on PostgreSQL also the visibility map, as autovacuum would
        # set it in time, without which an index-only scan still reads every row's page
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    # what saves keep current and a bulk load does not: the search's vocabulary (suggestions,
    # prefix*) and, on PostgreSQL, the common words' kept rankings (config.db.search.top)
    log(f"  {search_words.rebuild():,} words in the search vocabulary")
    kept = top.refresh(settings.SEARCH_TOP_DOCUMENTS)
    log(f"  {sum(kept.values()):,} rows of common words' rankings kept")
    return out.rows


if __name__ == "__main__":
    sys.exit("run bench/api_bench.py, which builds the dataset when it needs one")
