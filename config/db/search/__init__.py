"""Ranked full-text search, the same on PostgreSQL and SQLite.

    Statement.objects.search("ceasefire -Crimea")

A model opts in with a queryset class that names its SearchIndex (the columns searched and
their weights) and a migration that runs `CreateSearchIndex` for it. `search()` filters to the
matching rows, annotates `search_rank` (higher is better) and `search_highlight` (the matched
words marked; `render_highlight` turns it into HTML with <mark>…</mark>), and orders by rank.

- `query.py` reads the websearch syntax (words, "phrases", OR, -exclusions, NOT, prefix*) into
  terms, with their synonyms (`synonyms.py`, the list in `fixtures/synonyms.txt`);
- `plan.py` holds one search as it runs: the text as typed, then its corrected spelling, then
  any of its words, each tried only when the one before found nothing (`vocabulary.py`: the
  words of the searched columns, which suggestions and `prefix*` come from);
- `postgresql.py` renders them for a stored tsvector column with a GIN index;
- `sqlite.py` renders them for an FTS5 table kept in sync by triggers;
- `expressions.py` picks the backend when Django compiles the query.
"""

from django.db import models

from config.db.search.expressions import SearchHighlight, SearchMatch, SearchRank
from config.db.search.index import MARK_END, MARK_START, SearchIndex, render_highlight
from config.db.search.plan import Search, as_search, request_search, settle
from config.db.search.query import SearchQuery, SearchSyntaxError, parse

__all__ = [
    "MARK_END",
    "MARK_START",
    "Search",
    "SearchIndex",
    "SearchQuery",
    "SearchQuerySet",
    "SearchSyntaxError",
    "parse",
    "render_highlight",
    "request_search",
    "settle",
]


class SearchQuerySet(models.QuerySet):
    """A queryset with `search(text)`; subclasses set `search_index`."""

    search_index: SearchIndex

    def search(self, text: "str | SearchQuery | Search") -> "SearchQuerySet":
        """Rows matching `text` (websearch syntax, or a parsed query or Search), best first;
        SearchSyntaxError if the text cannot be read. Ties keep the model's default order.
        Given a Search, the queryset follows it when it falls back (config.db.search.plan)."""
        index = self.search_index
        search = as_search(text).searching(index)
        return (
            self.filter(SearchMatch(index, search))
            .annotate(
                search_rank=SearchRank(index, search),
                search_highlight=SearchHighlight(index, search),
            )
            .order_by("-search_rank", *self.model._meta.ordering)
        )

    def highlighted(self, text: "str | SearchQuery | Search") -> "SearchQuerySet":
        """These rows with `search_highlight` as `search(text)` marks it, neither matched nor
        ranked again: for rows a search found already (a page of hits, ranked with it)."""
        index = self.search_index
        return self.annotate(
            search_highlight=SearchHighlight(index, as_search(text).searching(index))
        )
