"""SQLite backend: an FTS5 table (porter stemmer) over the record's own columns, kept in sync
by triggers, ranked by `bm25`, highlighted by `highlight()` / `snippet()`.

The parsed query is written out in FTS5's query language with every word inside double quotes,
so no user text is ever read as an FTS5 operator or column filter. The FTS5 table stores no
copy of the text (`content=` the record's table): highlights come from the stored record.
"""

from config.search.index import HIGHLIGHT_END, HIGHLIGHT_START, SearchIndex
from config.search.query import Alternatives, Phrase, SearchQuery

TOKENIZER = "porter unicode61 remove_diacritics 0"  # PostgreSQL keeps accents too
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}  # ts_rank's default weights, for like ranks


def fts_table(index: SearchIndex) -> str:
    return f"{index.table}_fts"


def _phrase(phrase: Phrase) -> str:
    # words hold only letters and digits; doubling quotes keeps that safe should it ever change
    return '"' + " ".join(word.replace('"', '""') for word in phrase.words) + '"'


def _any(group: Alternatives) -> str:
    return "(" + " OR ".join(_phrase(phrase) for phrase in group.phrases) + ")"


def fts_query(query: SearchQuery, index: SearchIndex | None = None) -> str:
    text = " AND ".join(_any(group) for group in query.include)
    if query.exclude:
        text = f"({text}) NOT ({' OR '.join(_any(group) for group in query.exclude)})"
    if index and index.searched:  # a column filter: the other columns' words are not searched
        text = "{" + " ".join(index.searched) + "} : (" + text + ")"
    return text


def match(query: SearchQuery, index: SearchIndex, pk_sql: str) -> tuple[str, list]:
    fts = fts_table(index)
    return f"{pk_sql} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [fts_query(query, index)]


def _per_row(select: str, index: SearchIndex, pk_sql: str) -> str:
    fts = fts_table(index)
    return f"(SELECT {select} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = {pk_sql})"


def rank(query: SearchQuery, index: SearchIndex, pk_sql: str) -> tuple[str, list]:
    """Every match is scored once, by one FTS5 query, and each row looks its score up by rowid.

    A rank is needed for every matching row before the first page can be cut, and an FTS5
    auxiliary function runs only inside a MATCH query: scored row by row (one MATCH each), a
    common word's thousands of matches took seconds. `LIMIT -1` (no limit) keeps SQLite from
    folding the scoring query into the row's lookup; it runs once and gets an automatic index.
    """
    fts = fts_table(index)
    weights = ", ".join(str(WEIGHTS[weight]) for _, weight in index.columns)
    # bm25 is lower for better matches; the API's rank is higher for better ones
    scores = (
        f"SELECT rowid AS hit, -bm25({fts}, {weights}) AS score FROM {fts} "
        f"WHERE {fts} MATCH %s LIMIT -1"
    )
    sql = f"(SELECT scored.score FROM ({scores}) AS scored WHERE scored.hit = {pk_sql})"
    return sql, [fts_query(query, index)]


def highlight(query: SearchQuery, index: SearchIndex, pk_sql: str) -> tuple[str, list]:
    fts = fts_table(index)
    column = [name for name, _ in index.columns].index(index.highlight)
    marks = f"'{HIGHLIGHT_START}', '{HIGHLIGHT_END}'"
    select = (
        f"highlight({fts}, {column}, {marks})"
        if index.whole
        else f"snippet({fts}, {column}, {marks}, '…', {index.snippet_words})"
    )
    return _per_row(select, index, pk_sql), [fts_query(query, index)]


def schema_sql(index: SearchIndex) -> tuple[list[str], list[str]]:
    """SQL that creates the FTS5 table, its triggers and its contents, and SQL that drops them.

    Every statement is idempotent, so `ensure_triggers` can run it again after a migration that
    rebuilt the record's table (SQLite drops a table's triggers with it).
    """
    table, fts = index.table, fts_table(index)
    columns = [name for name, _ in index.columns]
    names = ", ".join(columns)
    new = ", ".join(f"new.{name}" for name in columns)
    old = ", ".join(f"old.{name}" for name in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    forwards = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='{TOKENIZER}')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    backwards = [
        f"DROP TRIGGER IF EXISTS {fts}_insert",
        f"DROP TRIGGER IF EXISTS {fts}_delete",
        f"DROP TRIGGER IF EXISTS {fts}_update",
        f"DROP TABLE IF EXISTS {fts}",
    ]
    return forwards, backwards


def missing_triggers(index: SearchIndex, cursor) -> bool:
    fts = fts_table(index)
    wanted = {f"{fts}_insert", f"{fts}_delete", f"{fts}_update"}
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [index.table]
    )
    return not wanted <= {name for (name,) in cursor.fetchall()}
