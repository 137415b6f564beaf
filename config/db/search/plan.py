"""One search as it runs: the text as typed, then what it falls back to when it finds nothing.

A `Search` is made from the parsed text and handed to every queryset that searches (a list, or
the four types of `/search/` at once); their SQL is compiled from `search.current`. When a list
finds nothing, its paging (or its facets, or its download) calls `fall_back()` and runs the same
querysets again, which now compile to the next reading of the text:

1. as typed: every term must match (`match` "all");
2. its spelling corrected: each word the index does not hold (no word of the searched columns
   has its stem) replaced by the nearest word it does hold, within one or two edits
   (`config.db.search.vocabulary.nearest`); the corrected text is the answer's `suggestion`.
   A word that is the start of a word the index holds (`ceasef`, `negotia`) is being typed,
   not misspelt: it is left to the next reading;
3. other forms of its words: each word also matches the words that start with its stem
   (`threats` finds `threatened`, which the stemmer does not bring together);
4. for a question or a long query only, any of its words (`match` "any"), the question's own
   words left out (`QUESTION_WORDS`), ranked by how many of them a record holds, then by
   relevance.

A step is taken only when the one before found nothing, so a search that finds something as
typed costs no query more than it did. `prefix*` terms are expanded into the words of the index
that start with them, once, when the query is first compiled.
"""

import re

from config.db.search import vocabulary
from config.db.search.index import SearchIndex
from config.db.search.query import FORM_STEM, SearchQuery, parse
from config.db.search.synonyms import stem


class Search:
    """A parsed search and its fallbacks; `current` is what the databases run now."""

    def __init__(self, query: SearchQuery):
        self.typed = query
        self.match = query.match  # "all", or "any" once it fell back that far
        self.suggestion: str | None = None  # the corrected text, once it fell back to it
        self.columns: set[str] = set()  # the vocabulary's columns the searches read
        self.indexes: list[SearchIndex] = []  # the indexes it searches
        self._query = query
        self._expanded: SearchQuery | None = None
        self._steps = None

    def __repr__(self) -> str:
        return f"Search({self.typed.text!r}, match={self.match!r})"

    def searching(self, index: SearchIndex) -> "Search":
        """Note an index this search reads (its words are what suggestions come from)."""
        self.columns.update(vocabulary.searched_keys(index))
        if index not in self.indexes:
            self.indexes.append(index)
        return self

    @property
    def current(self) -> SearchQuery:
        """The query to run now, its `prefix*` terms expanded (one query, the first time)."""
        if self._expanded is None:
            query = self._query
            if query.prefixes:
                query = query.expand(vocabulary.starting_with(query.prefixes, self.columns))
            self._expanded = query
        return self._expanded

    def fall_back(self) -> bool:
        """Move to the next reading of the text; False when there is none left."""
        if self._steps is None:
            self._steps = self._readings()
        step = next(self._steps, None)
        if step is None:
            return False
        self._query, self.match, self.suggestion = step
        self._expanded = None
        return True

    def _readings(self):
        suggestion = self._corrected_text()
        corrected = parse(suggestion) if suggestion else None
        if corrected is not None:
            yield corrected, "all", suggestion
        query = corrected or self.typed
        forms = query.word_forms()
        if forms is not None:
            yield forms, "all", suggestion
        loose = (forms or query).any_words()
        if loose is not None:
            yield loose, "any", suggestion

    def _corrected_text(self) -> str | None:
        """The typed text with each word the index does not hold replaced by the nearest one
        it does; None when every word is held or none has a near neighbour."""
        words = {
            word
            for group in self.typed.include
            for phrase in group.phrases
            for word in phrase.words
            if not vocabulary.NUMBER_RE.search(word)
        }
        known = vocabulary.known_stems(self.columns, {stem(word) for word in words})
        unknown = {word for word in words if stem(word) not in known}
        # a word still being typed (`ceasef`) is the start of the word meant, not a misspelling
        # of a short one one or two edits away (`cases`): the word forms reading completes it
        long_enough = {word for word in unknown if len(stem(word)) >= FORM_STEM}
        unknown -= vocabulary.started(long_enough, self.columns)
        replacements = vocabulary.nearest(unknown, self.columns) if unknown else {}
        if not replacements:
            return None
        text = self.typed.text
        for word, replacement in replacements.items():
            pattern = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", re.IGNORECASE)
            text = pattern.sub(lambda found, new=replacement: _same_case(found[0], new), text)
        return text if text != self.typed.text else None


def _same_case(typed: str, word: str) -> str:
    """`word` written as `typed` was: in capitals, capitalised, or in lowercase."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def as_search(text: "str | SearchQuery | Search") -> Search:
    if isinstance(text, Search):
        return text
    return Search(parse(text) if isinstance(text, str) else text)


def request_search(request) -> Search | None:
    """The search the request's `q` made (set by the filter or the view that parsed it)."""
    return getattr(request, "parley_search", None)


def settle(queryset, search: Search | None) -> None:
    """Fall back until `queryset` finds something or no reading is left (one EXISTS query a
    step): for what does not count its matches anyway (facets, downloads, cursor pages)."""
    while search is not None and not queryset.exists() and search.fall_back():
        pass
