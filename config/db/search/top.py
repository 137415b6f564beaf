"""A common term's ranked list read from its kept ranking (`postgresql.top_schema_sql`).

Ranking a term held by a tenth of the records reads every one of them; a page of it is read
instead from `{table}_top`, where the best matches of the common terms are kept in the list's
order, when the answer is provably the same:

- the list is that search alone: one index, its match the only condition, ordered by rank then
  the model's order (no other filter, no `ordering`);
- the query is one term as typed (`postgresql.top_key`), and the kept ranking holds more rows of
  it than page numbers reach (`COUNT_CAP`): then every page is inside them, since a record that
  only matches through a synonym ranks below every one that matches as typed.

The count goes through one query either way (`count`); the page's keys are then read from the
kept ranking's index, and the page's rows (rank, highlight) computed for those keys only. On
SQLite, and for every other list, nothing changes.
"""

from dataclasses import dataclass

from django.db import connections
from django.db.models.expressions import RawSQL

from config.db.search import postgresql
from config.db.search.expressions import SearchMatch
from config.db.search.index import SearchIndex
from config.db.search.plan import Search


@dataclass(frozen=True)
class Kept:
    """The kept ranking a list can be read from: its index, the term, its database."""

    index: SearchIndex
    key: str
    using: str


def kept_ranking(queryset, search: Search | None) -> Kept | None:
    """The kept ranking that answers `queryset` exactly, if any (see the module's docstring)."""
    if search is None or len(search.indexes) != 1:
        return None
    index = search.indexes[0]
    using = queryset.db
    if connections[using].vendor != "postgresql" or index.searched or not index.keeps_top:
        return None
    key = postgresql.top_key(search.current)
    where = queryset.query.where.children
    ordering = ("-search_rank", *queryset.model._meta.ordering)
    if (
        key is None
        or len(where) != 1
        or not isinstance(getattr(where[0], "lhs", where[0]), SearchMatch)
        or tuple(queryset.query.order_by) != ordering
        or queryset.query.distinct
    ):
        return None
    return Kept(index, key, using)


def count(counted, kept: Kept, cap: int) -> tuple[int, bool]:
    """`counted` (the list's keys, cut at cap + 1) counted in one query, from the kept
    ranking when it holds more than `cap` rows of the term; and whether it did."""
    inner, params = counted.query.sql_with_params()
    count_sql = f"SELECT count(*) FROM ({inner}) AS capped"
    sql, key = postgresql.top_count_sql(kept.index, kept.key, count_sql, cap)
    with connections[kept.using].cursor() as cursor:
        cursor.execute(sql, [*params, key])
        total, rows = cursor.fetchone()
    return total, rows > cap


def page(queryset, kept: Kept, offset: int, limit: int):
    """The list's rows from `offset` on, at most `limit`: their keys read from the kept
    ranking, everything else computed for those rows alone, in the same query."""
    keys = RawSQL(postgresql.top_page_sql(kept.index), [kept.key, limit, offset])
    return queryset.filter(pk__in=keys)[:limit]


def refresh(documents: int, log=None, words: list[str] | None = None) -> dict[str, int]:
    """Keep ranked the terms of each table that keeps them: its words held by at least
    `documents` records (the vocabulary's counts), or `words` if given, each as typed;
    {table: rows kept}."""
    from django.db import connection

    from config.db.search import vocabulary
    from config.db.search.query import SearchSyntaxError, parse

    kept: dict[str, int] = {}
    if connection.vendor != "postgresql":
        return kept
    SearchWord = vocabulary._table()
    for model in vocabulary.indexed_models():
        index = vocabulary.search_index(model)
        if not index.keeps_top:
            continue
        counts: dict[str, int] = {}
        columns = [vocabulary.column_key(index, column) for column, _weight in index.columns]
        for word, held in SearchWord.objects.filter(column__in=columns).values_list(
            "word", "documents"
        ):
            counts[word] = counts.get(word, 0) + held
        queries = {}
        chosen = words or [word for word, held in counts.items() if held >= documents]
        for word in sorted(chosen):
            try:
                query = parse(word)
            except SearchSyntaxError:
                continue
            if postgresql.top_key(query) is not None:
                queries[postgresql.top_key(query)] = query
        _top, terms = postgresql.top_tables(index)
        kept[index.table] = 0
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {terms}")
            for key, query in queries.items():
                rows = postgresql.refresh_top(index, query, cursor)
                kept[index.table] += rows
                if log:
                    log(f"  {index.table}: {key}: {rows:,} rows kept")
    return kept
