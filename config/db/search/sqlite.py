"""SQLite backend: an FTS5 table (porter stemmer) over the record's own columns, kept in sync
by triggers, ranked by `bm25`, highlighted by `highlight()` / `snippet()`.

The parsed query is written out in FTS5's query language with every word inside double quotes,
so no user text is ever read as an FTS5 operator or column filter. The FTS5 table stores no
copy of the text (`content=` the record's table): highlights come from the stored record.
"""

from dataclasses import replace

from config.db.search.index import HIGHLIGHT_END, HIGHLIGHT_START, SearchIndex
from config.db.search.query import Alternatives, Phrase, SearchQuery

TOKENIZER = "porter unicode61 remove_diacritics 0"  # PostgreSQL keeps accents too
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}  # ts_rank's default weights, for like ranks


def fts_table(index: SearchIndex) -> str:
    return f"{index.table}_fts"


def _phrase(phrase: Phrase) -> str:
    # words hold only letters and digits; doubling quotes keeps that safe should it ever change
    return '"' + " ".join(word.replace('"', '""') for word in phrase.words) + '"'


def _any(phrases: tuple[Phrase, ...]) -> str:
    return "(" + " OR ".join(_phrase(phrase) for phrase in phrases) + ")"


def fts_query(query: SearchQuery, index: SearchIndex | None = None, synonyms: bool = False) -> str:
    """The FTS5 query of `query`: its terms as typed, or with their synonyms too (`synonyms`).
    A query matching any of its terms joins them with OR."""

    def phrases(group: Alternatives) -> tuple[Phrase, ...]:
        return group.expanded if synonyms else group.phrases

    joiner = " OR " if query.match == "any" else " AND "
    text = joiner.join(_any(phrases(group)) for group in query.include)
    if query.exclude:
        excluded = " OR ".join(_any(phrases(group)) for group in query.exclude)
        text = f"({text}) NOT ({excluded})"
    if index and index.searched:  # a column filter: the other columns' words are not searched
        text = "{" + " ".join(index.searched) + "} : (" + text + ")"
    return text


def match(query: SearchQuery, index: SearchIndex, pk_sql: str) -> tuple[str, list]:
    fts = fts_table(index)
    return (
        f"{pk_sql} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)",
        [fts_query(query, index, synonyms=True)],
    )


def _per_row(select: str, index: SearchIndex, pk_sql: str) -> str:
    fts = fts_table(index)
    return f"(SELECT {select} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = {pk_sql})"


def _scores(index: SearchIndex) -> str:
    """Every match's score, from one FTS5 query (its text the one parameter). `LIMIT -1` (no
    limit) keeps SQLite from folding it into the row's lookup: it runs once."""
    fts = fts_table(index)
    weights = ", ".join(str(WEIGHTS[weight]) for _, weight in index.columns)
    # bm25 is lower for better matches; the API's rank is higher for better ones
    return (
        f"SELECT rowid AS hit, -bm25({fts}, {weights}) AS score FROM {fts} "
        f"WHERE {fts} MATCH %s LIMIT -1"
    )


def scored(query: SearchQuery, index: SearchIndex) -> tuple[str, list]:
    """Every match (`hit`, its rowid) with its `score`, from FTS5 alone: scored once, by one
    FTS5 query, and each row looks its score up by rowid (`rank`).

    A rank is needed for every matching row before the first page can be cut, and an FTS5
    auxiliary function runs only inside a MATCH query: scored row by row (one MATCH each), a
    common word's thousands of matches took seconds.

    The score is bm25 of the terms as typed. A row found only through a synonym ranks below
    every row that matches as typed (in -1..0); a row of a query matching any term ranks by how
    many of its terms it holds, then by bm25 (that count plus a fraction).
    """
    fts = fts_table(index)
    if query.match == "any":
        counted = " UNION ALL ".join(
            f"SELECT rowid AS hit FROM {fts} WHERE {fts} MATCH %s" for _ in query.include
        )
        scores = (
            f"SELECT e.hit AS hit, held.terms + e.score / (1 + e.score) AS score "
            f"FROM ({_scores(index)}) AS e JOIN (SELECT hit, count(*) AS terms FROM "
            f"({counted}) GROUP BY hit) AS held ON held.hit = e.hit LIMIT -1"
        )
        params = [fts_query(query, index, synonyms=True)] + [
            fts_query(replace(query, include=(group,), exclude=()), index, synonyms=True)
            for group in query.include
        ]
    elif query.has_synonyms:
        # each match scored once: the matches as typed by bm25 of the terms as typed, then
        # those found only through a synonym by bm25 of the terms with their synonyms. That
        # query is "(with synonyms) NOT (as typed)": bm25 sums over every phrase of the query,
        # and the phrases of the NOT side, absent from those rows, add exactly 0. (Scoring
        # every match twice and joining the two took twice as long.)
        typed = fts_query(query, index)
        scores = (
            f"SELECT hit, score FROM ({_scores(index)}) UNION ALL "
            f"SELECT hit, score / (1 + score) - 1 FROM ({_scores(index)})"
        )
        params = [typed, f"({fts_query(query, index, synonyms=True)}) NOT ({typed})"]
    else:
        scores, params = _scores(index), [fts_query(query, index)]
    return scores, params


def rank(query: SearchQuery, index: SearchIndex, pk_sql: str) -> tuple[str, list]:
    """The row's score (see `scored`), looked up by its rowid."""
    scores, params = scored(query, index)
    return f"(SELECT scored.score FROM ({scores}) AS scored WHERE scored.hit = {pk_sql})", params


def matches(query: SearchQuery, index: SearchIndex) -> tuple[str, list]:
    """The rowids (`hit`) of every match, from the FTS5 table alone."""
    fts = fts_table(index)
    return (
        f"SELECT rowid AS hit FROM {fts} WHERE {fts} MATCH %s",
        [fts_query(query, index, synonyms=True)],
    )


def highlight(query: SearchQuery, index: SearchIndex, pk_sql: str) -> tuple[str, list]:
    """highlight() (or snippet()) of the terms as typed; of what matched, for a row found only
    through a synonym or a query matching any term."""
    fts = fts_table(index)
    column = [name for name, _ in index.columns].index(index.highlight)
    marks = f"'{HIGHLIGHT_START}', '{HIGHLIGHT_END}'"
    select = (
        f"highlight({fts}, {column}, {marks})"
        if index.whole
        else f"snippet({fts}, {column}, {marks}, '…', {index.snippet_words})"
    )
    expanded = _per_row(select, index, pk_sql), [fts_query(query, index, synonyms=True)]
    if query.match == "any":
        return expanded
    typed = _per_row(select, index, pk_sql), [fts_query(query, index)]
    if not query.has_synonyms:
        return typed
    return f"coalesce({typed[0]}, {expanded[0]})", [*typed[1], *expanded[1]]


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
