"""Ranked full-text search, the same on PostgreSQL and SQLite.

    Statement.objects.search("ceasefire -Crimea")

A model opts in with a queryset class that names its SearchIndex (the columns searched and
their weights) and a migration that runs `CreateSearchIndex` for it. `search()` filters to the
matching rows, annotates `search_rank` (higher is better) and `search_highlight` (the matched
words marked; `render_highlight` turns it into HTML with <mark>…</mark>), and orders by rank.

- `query.py` reads the websearch syntax (words, "phrases", OR, -exclusions) into terms;
- `postgresql.py` renders them for a stored tsvector column with a GIN index;
- `sqlite.py` renders them for an FTS5 table kept in sync by triggers;
- `expressions.py` picks the backend when Django compiles the query.
"""

from django.db import models

from config.search.expressions import SearchHighlight, SearchMatch, SearchRank
from config.search.index import MARK_END, MARK_START, SearchIndex, render_highlight
from config.search.query import SearchQuery, SearchSyntaxError, parse

__all__ = [
    "MARK_END",
    "MARK_START",
    "SearchIndex",
    "SearchQuery",
    "SearchQuerySet",
    "SearchSyntaxError",
    "parse",
    "render_highlight",
]


class SearchQuerySet(models.QuerySet):
    """A queryset with `search(text)`; subclasses set `search_index`."""

    search_index: SearchIndex

    def search(self, text: str | SearchQuery) -> "SearchQuerySet":
        """Rows matching `text` (websearch syntax), best first; SearchSyntaxError if the text
        holds nothing to search for. Ties keep the model's default order."""
        query = parse(text) if isinstance(text, str) else text
        index = self.search_index
        return (
            self.filter(SearchMatch(index, query))
            .annotate(
                search_rank=SearchRank(index, query),
                search_highlight=SearchHighlight(index, query),
            )
            .order_by("-search_rank", *self.model._meta.ordering)
        )
