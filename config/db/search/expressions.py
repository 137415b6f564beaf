"""Query expressions that compile to each database's full-text search.

Django compiles an expression with its `as_<vendor>` method when there is one, so querysets and
views stay the same on every database; a database without a backend here is refused clearly.

Each expression holds the `Search` (config.db.search.plan), not a fixed query: it compiles what the
search reads now (`search.current`), so a queryset run again after the search fell back runs
the fallback, and every queryset sharing the search (a list and its count, the four types of
`/search/`) agrees.
"""

from django.db import NotSupportedError
from django.db.models import BooleanField, Expression, F, FloatField, TextField

from config.db.search import postgresql, sqlite
from config.db.search.index import SearchIndex
from config.db.search.plan import Search
from config.db.search.query import SearchQuery


def unsupported(connection) -> NotSupportedError:
    return NotSupportedError(
        f"Full-text search runs on PostgreSQL and SQLite, not {connection.vendor}."
    )


class SearchExpression(Expression):
    """Base: holds the search and the index, and refers to the row by its primary key."""

    nothing = "NULL"  # the SQL when the query can match nothing (a prefix no word starts with)

    def __init__(self, index: SearchIndex, search: Search, output_field=None):
        super().__init__(output_field=output_field or self.output_field_class())
        self.index, self.search = index, search
        self.pk = F("pk")
        self.column = F(index.highlight)

    @property
    def query(self) -> SearchQuery:
        return self.search.current

    def get_source_expressions(self) -> list:
        return [self.pk, self.column]

    def set_source_expressions(self, expressions: list) -> None:
        self.pk, self.column = expressions

    def table(self, compiler) -> str:
        """The row's table as this query names it (a subquery's alias, such as U0, unquoted)."""
        return compiler.quote_name_unless_alias(self.pk.alias)

    def as_sql(self, compiler, connection):
        raise unsupported(connection)

    def as_postgresql(self, compiler, connection):
        if self.query.impossible:
            return self.nothing, []
        return self.postgresql(compiler, connection)

    def as_sqlite(self, compiler, connection):
        if self.query.impossible:
            return self.nothing, []
        pk_sql, pk_params = compiler.compile(self.pk)
        sql, params = self.sqlite(pk_sql)
        return sql, [*params, *pk_params]


class SearchMatch(SearchExpression):
    """True for rows that match the query."""

    output_field_class = BooleanField
    conditional = True
    nothing = "1 = 0"

    def postgresql(self, compiler, connection):
        return postgresql.match(self.query, self.index, self.table(compiler), connection)

    def sqlite(self, pk_sql: str):
        return sqlite.match(self.query, self.index, pk_sql)


class SearchRank(SearchExpression):
    """How well a row matches: higher is better; comparable within one query only."""

    output_field_class = FloatField

    def postgresql(self, compiler, connection):
        return postgresql.rank(self.query, self.index, self.table(compiler), connection)

    def sqlite(self, pk_sql: str):
        return sqlite.rank(self.query, self.index, pk_sql)


class SearchHighlight(SearchExpression):
    """The index's highlight column with the matched words between the sentinel marks."""

    output_field_class = TextField

    def postgresql(self, compiler, connection):
        column_sql, column_params = compiler.compile(self.column)
        document = postgresql.vector(self.index, self.table(compiler), connection)
        return postgresql.highlight(self.query, self.index, column_sql, column_params, document)

    def sqlite(self, pk_sql: str):
        return sqlite.highlight(self.query, self.index, pk_sql)


def highlight_sql(index: SearchIndex, search: Search, alias: str, connection) -> tuple[str, list]:
    """The highlight of the row named `alias` in a hand-written query, as SearchHighlight
    marks it: for a page's rows read by their keys (config.api.rows), so that it is computed
    for those rows alone. A sort under a LIMIT computes its rows' every column before cutting
    the page: SQLite highlighted each row that entered the page's heap, hundreds a page."""
    query = search.current
    if query.impossible:
        return "NULL", []
    if connection.vendor == "postgresql":
        column = f"{alias}.{connection.ops.quote_name(index.highlight)}"
        document = postgresql.vector(index, alias, connection)
        return postgresql.highlight(query, index, column, [], document)
    if connection.vendor == "sqlite":
        return sqlite.highlight(query, index, f"{alias}.id")
    raise unsupported(connection)


def scored_sql(index: SearchIndex, search: Search, connection) -> tuple[str, list]:
    """Every match of the index's table as (`hit`, its primary key; `score`, its rank as
    SearchRank computes it), read from the search index where it can be (SQLite's FTS5 table
    alone, no lookup of the record's row)."""
    query = search.current
    if query.impossible:
        return "SELECT NULL AS hit, NULL AS score WHERE 1 = 0", []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(index.table)
        condition, condition_params = postgresql.match(query, index, table, connection)
        score, score_params = postgresql.rank(query, index, table, connection)
        return (
            f"SELECT {table}.id AS hit, {score} AS score FROM {table} WHERE {condition}",
            [*score_params, *condition_params],
        )
    if connection.vendor == "sqlite":
        return sqlite.scored(query, index)
    raise unsupported(connection)


def matches_sql(index: SearchIndex, search: Search, connection) -> tuple[str, list]:
    """The primary key (`hit`) of every match of the index's table, as SearchMatch finds them."""
    query = search.current
    if query.impossible:
        return "SELECT NULL AS hit WHERE 1 = 0", []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(index.table)
        condition, params = postgresql.match(query, index, table, connection)
        return f"SELECT {table}.id AS hit FROM {table} WHERE {condition}", params
    if connection.vendor == "sqlite":
        return sqlite.matches(query, index)
    raise unsupported(connection)
