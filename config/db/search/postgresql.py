"""PostgreSQL backend: a stored, weighted `tsvector` column with a GIN index, queried with
`websearch_to_tsquery`, ranked by `ts_rank`, highlighted by `ts_headline`.

The text search configuration is `parley_english`: PostgreSQL's `english` (its parser and stop
words) with the original Porter stemmer, which PostgreSQL ships as a Snowball language, in place
of Snowball's newer English stemmer. SQLite's FTS5 has only the Porter stemmer, and the two
stemmers disagree on common words (Snowball keeps `use`, Porter makes it `us`); with one stemmer
both databases give the same answers.

Each term of the parsed query becomes one `websearch_to_tsquery` call holding only letters,
digits, spaces and (for a phrase) the surrounding double quotes, and the calls are combined with
the tsquery operators `&&`, `||` and `!!`: the user's text is a bound parameter, never SQL or
tsquery syntax.
"""

from dataclasses import replace

from config.db.search.index import HIGHLIGHT_END, HIGHLIGHT_START, SearchIndex
from config.db.search.query import Alternatives, Phrase, SearchQuery

CONFIG = "parley_english"
VECTOR_COLUMN = "search_vector"


def _term(phrase: Phrase) -> tuple[str, list]:
    if len(phrase.words) == 1 and len(phrase.words[0]) < 3:
        # FTS5's Porter leaves words under three letters alone ("us" stays "us", as "used"
        # becomes); PostgreSQL's strips them ("us" -> "u"): ask for both lexemes
        return (
            f"(websearch_to_tsquery('{CONFIG}'::regconfig, %s) || to_tsquery('simple', %s))",
            [phrase.words[0], phrase.words[0]],
        )
    text = phrase.words[0] if len(phrase.words) == 1 else '"' + " ".join(phrase.words) + '"'
    return f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)", [text]


def _any(phrases: tuple[Phrase, ...]) -> tuple[str, list]:
    parts = [_term(phrase) for phrase in phrases]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def _phrases(group: Alternatives, synonyms: bool) -> tuple[Phrase, ...]:
    return group.expanded if synonyms else group.phrases


def tsquery(query: SearchQuery, ranking: bool = False, synonyms: bool = False) -> tuple[str, list]:
    """The tsquery of `query`: its terms as typed, or with their synonyms too (`synonyms`);
    for ranking, without its exclusions (ts_rank scores a query holding `!` as 0, and what is
    excluded is absent from every row ranked anyway). A query matching any of its terms joins
    them with `||`."""
    included = [_any(_phrases(group, synonyms)) for group in query.include]
    joiner = " || " if query.match == "any" else " && "
    sql = joiner.join(part for part, _ in included)
    params = [p for _, ps in included for p in ps]
    if query.exclude and not ranking:
        excluded = [_any(_phrases(group, synonyms)) for group in query.exclude]
        sql = f"({sql}) && !!({' || '.join(part for part, _ in excluded)})"
        params += [p for _, ps in excluded for p in ps]
    return f"({sql})", params


def vector(index: SearchIndex, table: str, connection) -> str:
    """`table` comes as the query names it: quoted, or a bare subquery alias. An index searched
    in some columns only keeps their words, told apart by weight (ts_filter)."""
    column = f"{table}.{connection.ops.quote_name(VECTOR_COLUMN)}"
    if index.searched:
        return f"ts_filter({column}, '{index.searched_weights}')"
    return column


def match(query: SearchQuery, index: SearchIndex, table: str, connection) -> tuple[str, list]:
    sql, params = tsquery(query, synonyms=True)
    return f"{vector(index, table, connection)} @@ {sql}", params


def squashed(rank_sql: str) -> str:
    """A rank >= 0 mapped into [0, 1), in the same order: r / (1 + r)."""
    return f"({rank_sql} / (1 + {rank_sql}))"


def rank(query: SearchQuery, index: SearchIndex, table: str, connection) -> tuple[str, list]:
    """ts_rank of the terms as typed. A row found only through a synonym ranks below every row
    that matches as typed (in -1..0); a row of a query matching any term ranks by how many of
    its terms it holds, then by ts_rank (that count plus a fraction)."""
    document = vector(index, table, connection)
    if query.match == "any":
        counted = [tsquery(replace(query, include=(group,), exclude=()), synonyms=True)
                   for group in query.include]  # fmt: skip
        held = " + ".join(f"({document} @@ {sql})::int" for sql, _ in counted)
        ranking, params = tsquery(query, ranking=True, synonyms=True)
        relevance = squashed(f"ts_rank({document}, {ranking})")
        return (
            f"({held} + {relevance})",
            [p for _, ps in counted for p in ps] + params + params,
        )
    typed, typed_params = tsquery(query, ranking=True)
    if not query.has_synonyms:
        return f"ts_rank({document}, {typed})", typed_params
    expanded, expanded_params = tsquery(query, ranking=True, synonyms=True)
    return (
        f"CASE WHEN {document} @@ {typed} THEN ts_rank({document}, {typed}) "
        f"ELSE {squashed(f'ts_rank({document}, {expanded})')} - 1 END",
        typed_params * 2 + expanded_params * 2,
    )


def highlight(
    query: SearchQuery, index: SearchIndex, column_sql: str, column_params: list, document: str
) -> tuple[str, list]:
    """ts_headline of the terms as typed; of what matched, for a row found only through a
    synonym or a query matching any term."""
    options = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, " + (
        "HighlightAll=true" if index.whole else f"MaxWords={index.snippet_words}, MinWords=10"
    )

    def headline(synonyms: bool) -> tuple[str, list]:
        sql, params = tsquery(query, synonyms=synonyms)
        return (
            f"ts_headline('{CONFIG}'::regconfig, {column_sql}, {sql}, %s)",
            [*column_params, *params, options],
        )

    if query.match == "any":
        return headline(synonyms=True)
    typed_sql, typed_params = headline(synonyms=False)
    if not query.has_synonyms:
        return typed_sql, typed_params
    expanded_sql, expanded_params = headline(synonyms=True)
    condition, condition_params = tsquery(query)
    return (
        f"CASE WHEN {document} @@ {condition} THEN {typed_sql} ELSE {expanded_sql} END",
        [*condition_params, *typed_params, *expanded_params],
    )


# The configuration every index and query uses (see the module's docstring); created once by
# the first search migration.
CONFIGURATION_SQL = [
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH DICTIONARY parley_porter (
                TEMPLATE = snowball, LANGUAGE = porter, StopWords = english
            );
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
                ALTER MAPPING REPLACE english_stem WITH parley_porter;
        END IF;
    END $$""",
]
CONFIGURATION_REVERSE_SQL = [
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS parley_porter",
]


def schema_sql(index: SearchIndex) -> tuple[list[str], list[str]]:
    """SQL that adds the weighted tsvector column and its GIN index, and SQL that removes them."""
    table = index.table
    document = " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, weight in index.columns
    )
    forwards = [
        f"ALTER TABLE {table} ADD COLUMN {VECTOR_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({document}) STORED",
        f"CREATE INDEX {table}_search ON {table} USING gin ({VECTOR_COLUMN})",
    ]
    backwards = [
        f"DROP INDEX IF EXISTS {table}_search",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {VECTOR_COLUMN}",
    ]
    return forwards, backwards


# The best matches of the most common terms, kept ranked (config.db.search.top). Ranking every
# match of a word held by a tenth of a million statements reads each of them from the table:
# most of a second. For the terms of `{table}_top_term` (the words held by many records:
# `manage.py refresh_search_top`), `{table}_top` holds the matches of the term as typed that
# come first in the list's order, down to the term's floor (the last of the first TOP_ROWS when
# it was refreshed), each with its ts_rank and the list's order columns, under an index in the
# list's order. A trigger keeps it current: a record saved is kept if it comes before the floor
# (so the kept rows stay exactly the list's first rows down to the floor); deletes cascade.
# For a dated list's table (a search orders it by rank, then date_earliest, slug and id).
TOP_ROWS = 11_000  # page numbers reach 10,000 records; the rest is room for deletes


def top_tables(index: SearchIndex) -> tuple[str, str]:
    return f"{index.table}_top", f"{index.table}_top_term"


def top_schema_sql(index: SearchIndex) -> tuple[list[str], list[str]]:
    top, terms = top_tables(index)
    table = index.table
    forwards = [
        f"CREATE TABLE {terms} (term text PRIMARY KEY, match_query tsquery NOT NULL, "
        "rank_query tsquery NOT NULL, floor_rank real NOT NULL, floor_date date, "
        "floor_slug varchar(100) NOT NULL, floor_id bigint NOT NULL)",
        f"CREATE TABLE {top} (term text NOT NULL REFERENCES {terms} (term) ON DELETE CASCADE, "
        f"record_id bigint NOT NULL REFERENCES {table} (id) ON DELETE CASCADE, "
        "rank real NOT NULL, date_earliest date, slug varchar(100) NOT NULL, "
        "PRIMARY KEY (term, record_id))",
        # a search's order: rank, then the model's order columns ascending as a search orders
        # them (PostgreSQL puts an open start, a null, last), then the key
        f"CREATE INDEX {top}_order ON {top} (term, rank DESC, date_earliest, slug, record_id)",
        f"CREATE INDEX {top}_record ON {top} (record_id)",
        # a record comes before the floor in the order: rank descending, then date (open
        # starts last), slug and id ascending
        f"""CREATE FUNCTION {top}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                DELETE FROM {top} WHERE record_id = OLD.id;
            END IF;
            INSERT INTO {top} (term, record_id, rank, date_earliest, slug)
                SELECT t.term, NEW.id, kept.rank, NEW.date_earliest, NEW.slug
                FROM {terms} t
                CROSS JOIN LATERAL (SELECT ts_rank(NEW.{VECTOR_COLUMN}, t.rank_query) AS rank)
                    AS kept
                WHERE NEW.{VECTOR_COLUMN} @@ t.match_query
                AND (kept.rank > t.floor_rank OR (kept.rank = t.floor_rank AND (
                    (NEW.date_earliest IS NOT NULL AND t.floor_date IS NULL)
                    OR NEW.date_earliest < t.floor_date
                    OR (NEW.date_earliest IS NOT DISTINCT FROM t.floor_date
                        AND (NEW.slug, NEW.id) <= (t.floor_slug, t.floor_id)))));
            RETURN NULL;
        END $$""",
        f"CREATE TRIGGER {top}_sync AFTER INSERT OR UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {top}_sync()",
    ]
    backwards = [
        f"DROP TRIGGER IF EXISTS {top}_sync ON {table}",
        f"DROP FUNCTION IF EXISTS {top}_sync()",
        f"DROP TABLE IF EXISTS {top}",
        f"DROP TABLE IF EXISTS {terms}",
    ]
    return forwards, backwards


def top_key(query: SearchQuery) -> str | None:
    """The key of a query that `{table}_top` can answer: one term (a word with its spellings,
    as typed), nothing excluded, every term required; None otherwise."""
    if len(query.include) != 1 or query.exclude or query.match != "all" or query.prefixes:
        return None
    return "|".join(" ".join(phrase.words) for phrase in query.include[0].phrases)


def refresh_top(index: SearchIndex, query: SearchQuery, cursor) -> int:
    """Keep the first TOP_ROWS matches of `query` ranked, in the list's order (a term with
    fewer matches is not kept: ranking them all is quick); return how many were kept."""
    rows = TOP_ROWS
    top, terms = top_tables(index)
    key = top_key(query)
    match_sql, match_params = tsquery(query)
    rank_sql, rank_params = tsquery(query, ranking=True)
    cursor.execute(f"DELETE FROM {terms} WHERE term = %s", [key])  # its rows go with it
    cursor.execute(
        f"SELECT s.id, ts_rank(s.{VECTOR_COLUMN}, q.rank_query) AS rank, s.date_earliest, "
        f"s.slug FROM {index.table} s, (SELECT {rank_sql} AS rank_query) AS q "
        f"WHERE s.{VECTOR_COLUMN} @@ {match_sql} "
        "ORDER BY rank DESC, s.date_earliest, s.slug, s.id LIMIT %s",
        [*rank_params, *match_params, rows],
    )
    kept = cursor.fetchall()
    if len(kept) < rows:
        return 0
    floor_id, floor_rank, floor_date, floor_slug = kept[-1]
    cursor.execute(
        f"INSERT INTO {terms} (term, match_query, rank_query, floor_rank, floor_date, "
        f"floor_slug, floor_id) VALUES (%s, {match_sql}, {rank_sql}, %s, %s, %s, %s)",
        [key, *match_params, *rank_params, floor_rank, floor_date, floor_slug, floor_id],
    )
    cursor.executemany(
        f"INSERT INTO {top} (term, record_id, rank, date_earliest, slug) "
        "VALUES (%s, %s, %s, %s, %s)",
        [(key, *row) for row in kept],
    )
    return len(kept)


def top_count_sql(index: SearchIndex, key: str, count_sql: str, cap: int) -> tuple[str, str]:
    """A capped count that reads `{table}_top` when it holds more than `cap` rows of the term
    (so does the list), and runs `count_sql` (the list's own capped count) otherwise; its
    second column says which (the number of the term's rows there, at most cap + 1)."""
    top, _terms = top_tables(index)
    return (
        f"SELECT CASE WHEN kept > {cap} THEN kept ELSE ({count_sql}) END, kept "
        f"FROM (SELECT count(*) AS kept FROM (SELECT 1 FROM {top} WHERE term = %s "
        f"LIMIT {cap + 1}) AS rows) AS top",
        key,
    )


def top_page_sql(index: SearchIndex) -> str:
    """The keys of one page of a term's matches, in the list's order (params: term, limit,
    offset)."""
    top, _terms = top_tables(index)
    return (
        f"SELECT record_id FROM {top} WHERE term = %s "
        "ORDER BY rank DESC, date_earliest, slug, record_id LIMIT %s OFFSET %s"
    )
