"""The synonym list: terms that mean the same in this field, read from a data file.

`settings.SEARCH_SYNONYMS_FILE` (`fixtures/synonyms.txt`) holds one group a line, its terms
separated by commas (`ceasefire, truce`); `#` starts a comment. A term is a word or a few words
(`united states`). A search term that is one of them, in any English form (matched by its Porter
stem, as the index matches words), also finds the others (`config.db.search.query`).

The stemmer is Snowball's `porter`, the algorithm of the databases' own stemmers (PostgreSQL's
`parley_english` dictionary is generated from the same Snowball source; SQLite's FTS5 `porter`
tokenizer implements the same algorithm), so a word and its stem mean here what they mean there.
"""

import re
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

WORD_RE = re.compile(r"[^\W_]+")  # as config.db.search.query reads words
_stemmer = snowballstemmer.stemmer("porter")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Porter stem of a lowercase word (`ceasefires` -> `ceasefir`)."""
    return _stemmer.stemWord(word)


def stems(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(word) for word in words)


@cache
def read_groups(path: Path) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The groups of the file at `path`, each a tuple of terms (each a tuple of lowercase
    words); a line with fewer than two terms is an error in the data, refused at once."""
    groups = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        terms = tuple(
            words
            for words in (tuple(WORD_RE.findall(part.lower())) for part in content.split(","))
            if words
        )
        if len(terms) < 2:
            raise ImproperlyConfigured(
                f"{path}, line {number}: a synonym group needs two terms or more, separated by "
                "commas."
            )
        groups.append(terms)
    return tuple(groups)


@cache
def _index(path: Path) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Each term's stems -> every term of its groups."""
    index: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for group in read_groups(path):
        for term in group:
            index.setdefault(stems(term), []).extend(group)
    return {key: tuple(dict.fromkeys(terms)) for key, terms in index.items()}


def synonyms_of(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The other terms of the groups that hold `words` (in any English form); () if none."""
    found = _index(Path(settings.SEARCH_SYNONYMS_FILE)).get(stems(words), ())
    key = stems(words)
    return tuple(term for term in found if stems(term) != key)


@cache
def _phrase_terms(path: Path) -> frozenset[tuple[str, ...]]:
    return frozenset(stems(term) for group in read_groups(path) for term in group if len(term) > 1)


def phrase_terms() -> frozenset[tuple[str, ...]]:
    """The stems of the list's terms of several words (`united states`)."""
    return _phrase_terms(Path(settings.SEARCH_SYNONYMS_FILE))
