"""Text search: a plain one over given fields, and the ranked full-text one."""

import operator
from functools import reduce

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from config.db.search import Search, SearchSyntaxError
from config.db.search import parse as parse_search

MAX_SEARCH_LENGTH = 200


class SearchFilter(django_filters.CharFilter):
    """`?q=words`: every word must appear (case-insensitively) in one of the given fields.

    The fields are the record's own or reached through foreign keys, never through a
    many-valued relation, so no DISTINCT is needed.
    """

    def __init__(self, *args, search_fields: list[str], **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        for word in value.split() if value else []:
            matches = [Q(**{f"{field}__icontains": word}) for field in self.search_fields]
            qs = qs.filter(reduce(operator.or_, matches))
        return qs


SEARCH_HELP = (
    "Full-text search, best match first (unless `ordering` is given): English words match "
    'any form (`negotiate` finds negotiations); all words must match; `"a phrase"` in double '
    "quotes matches those words in a row; `OR` between two terms matches either; `-word` or "
    "`NOT word` leaves out records holding it; `word*` matches the words starting with it "
    "(`cease*`). Hyphenated, joined and spaced spellings meet (`cease-fire`, `ceasefire`, "
    "`cease fire`), every spelling of a speaker's name finds them (`Zelenskyy`), and a word "
    "of the synonym list finds its synonyms (`truce` finds ceasefire; `Kiev`, Kyiv), ranked "
    "after what matches as typed. When the text as typed finds nothing: a word one or two "
    "letters from a word of the index is corrected, and the answer's `suggestion` says what "
    "was searched for instead (`ceasfire` -> ceasefire); then other forms of its words are "
    "tried (`threats` finds threatened); then a question or a query of three words or more "
    "matches any of its words, most of them first, and the answer says `match: any`. Common "
    "words such as `the` are not indexed; a `NOT` with nothing after it is a 400."
)


class SearchQueryField(forms.CharField):
    """Search text, parsed into a SearchQuery; text with nothing to search for is refused."""

    def clean(self, value):
        value = super().clean(value)  # length, NUL bytes
        if not value:
            return None
        try:
            return parse_search(value)
        except SearchSyntaxError as error:
            raise ValidationError(
                "%(reason)s", code="invalid_search", params={"reason": str(error)}
            ) from error


class FullTextSearchFilter(django_filters.CharFilter):
    """`?q=`: ranked full-text search through the queryset's `search()` (config.db.search)."""

    field_class = SearchQueryField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        kwargs.setdefault("help_text", SEARCH_HELP)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value is None:
            return qs
        # one search a request: the paging, the facets and the download find it on the request
        # and make it fall back when the list finds nothing (config.db.search.plan), and every
        # queryset built from the same text (the facets build several) follows it
        request = self.parent.request if self.parent is not None else None
        search = getattr(request, "parley_search", None)
        if search is None or search.typed != value:
            search = Search(value)
            if request is not None:
                request.parley_search = search
        return qs.search(search)
