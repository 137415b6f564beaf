"""The search language of `?q=`, parsed once for every database.

The syntax is the web-search one (PostgreSQL's `websearch_to_tsquery`):

- words: every word must match (`ceasefire talks`);
- `"a phrase"`: the words next to each other, in that order (an unclosed quote runs to the end);
- `OR` (any case) between two terms: either matches;
- `-word` or `-"a phrase"`: leave out what matches it.

The user's text never reaches the database as syntax. It is read here into terms made only of
letters and digits, and each backend renders those terms in its own query language
(`config.search.postgresql`, `config.search.sqlite`), so both databases answer the same question.

Two normalisations make spellings meet:

- English stop words (PostgreSQL's list) are dropped outside phrases: PostgreSQL does not index
  them, so SQLite must not require them either;
- a word written with a hyphen (`cease-fire`), joined (`ceasefire`) or, for the compounds listed
  in COMPOUNDS, spaced (`cease fire`) is searched as "the joined word OR the two words in a row",
  which matches every spelling in the stored text on both databases.
"""

import re
from dataclasses import dataclass

MAX_TERMS = 32  # beyond this a query is a paste, not a search

# PostgreSQL's english.stop (the Snowball list), which its `english` configuration leaves out of
# documents and queries alike.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()  # noqa: SIM905
)

# Words the articles write joined, hyphenated or spaced: a spaced query ("cease fire") finds the
# joined spelling only through this list; hyphenated and joined queries need no list.
COMPOUNDS = {
    "ceasefire": ("cease", "fire"),
    "peacekeeping": ("peace", "keeping"),
    "peacekeeper": ("peace", "keeper"),
    "peacekeepers": ("peace", "keepers"),
    "counteroffensive": ("counter", "offensive"),
    "longrange": ("long", "range"),
}
SPACED_COMPOUNDS = {parts: joined for joined, parts in COMPOUNDS.items()}
# plural of a listed compound ("ceasefires"): its parts with the last one in the plural
SPACED_COMPOUNDS.update(
    {(*parts[:-1], parts[-1] + "s"): joined + "s" for joined, parts in COMPOUNDS.items()}
)

WORD_RE = re.compile(r"[^\W_]+")  # letters and digits: what both databases' tokenizers keep
TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class SearchSyntaxError(ValueError):
    """The text holds nothing to search for; the message says why, for the 400 answer."""


@dataclass(frozen=True)
class Phrase:
    """Words that must stand next to each other, in this order (one word is a phrase of one)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Alternatives:
    """Any of these phrases matches (the spellings of one word, or terms joined by OR)."""

    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class SearchQuery:
    """Every `include` must match and no `exclude` may."""

    include: tuple[Alternatives, ...]
    exclude: tuple[Alternatives, ...]
    text: str  # what the user typed, kept for messages and logs

    @property
    def words(self) -> list[str]:
        return [
            word
            for group in (*self.include, *self.exclude)
            for phrase in group.phrases
            for word in phrase.words
        ]


def _spellings(chunk: str) -> Alternatives | None:
    """The ways one whitespace-free chunk of the query may be written in the text."""
    parts = tuple(word.lower() for word in WORD_RE.findall(chunk))
    if not parts:
        return None
    if len(parts) == 1:
        (word,) = parts
        if word in STOP_WORDS:
            return None
        if word in COMPOUNDS:
            return Alternatives((Phrase((word,)), Phrase(COMPOUNDS[word])))
        if word.endswith("s") and word[:-1] in COMPOUNDS:
            spaced = (*COMPOUNDS[word[:-1]][:-1], COMPOUNDS[word[:-1]][-1] + "s")
            return Alternatives((Phrase((word,)), Phrase(spaced)))
        return Alternatives((Phrase((word,)),))
    if re.fullmatch(r"[^\W_]+(?:-[^\W_]+)+", chunk):
        # cease-fire: the joined word, or the parts in a row (how both databases index a
        # hyphenated word in the stored text)
        return Alternatives((Phrase(("".join(parts),)), Phrase(parts)))
    # other punctuation inside a chunk (U.S., 3.5, Putin's): the parts in a row
    return Alternatives((Phrase(parts),))


def _phrase(text: str) -> Alternatives | None:
    words = tuple(word.lower() for word in WORD_RE.findall(text))
    if not words or all(word in STOP_WORDS for word in words):
        return None
    if len(words) == 1:
        return _spellings(words[0])
    if words in SPACED_COMPOUNDS:
        return _spellings(SPACED_COMPOUNDS[words])
    return Alternatives((Phrase(words),))


def _join_spaced_compounds(tokens: list[tuple[bool, str, bool]]) -> list[tuple[bool, str, bool]]:
    """`cease fire` typed as two words becomes one `ceasefire` token (with all its spellings)."""
    joined: list[tuple[bool, str, bool]] = []
    for token in tokens:
        negated, text, quoted = token
        if joined and not quoted and not negated:
            previous_negated, previous, previous_quoted = joined[-1]
            pair = (previous.lower(), text.lower())
            if not previous_quoted and pair in SPACED_COMPOUNDS:
                joined[-1] = (previous_negated, SPACED_COMPOUNDS[pair], False)
                continue
        joined.append(token)
    return joined


def parse(text: str) -> SearchQuery:
    """Read websearch-style text into a SearchQuery; SearchSyntaxError if nothing is left."""
    tokens: list[tuple[bool, str, bool]] = []  # (negated, text, quoted)
    for match in TOKEN_RE.finditer(text):
        negation, quoted, bare = match.groups()
        if bare is None:
            tokens.append((bool(negation), quoted, True))
        elif bare.startswith("-") and len(bare) > 1:
            tokens.append((True, bare[1:], False))
        else:
            tokens.append((False, bare, False))
    tokens = _join_spaced_compounds(tokens)

    include: list[list[Alternatives]] = []  # each inner list: terms joined by OR
    exclude: list[Alternatives] = []
    join_next = False
    for negated, token, quoted in tokens:
        if not quoted and not negated and token.lower() == "or":
            join_next = bool(include)
            continue
        term = _phrase(token) if quoted else _spellings(token)
        if term is None:
            continue  # punctuation or a stop word: nothing to match
        if negated:
            exclude.append(term)
        elif join_next:
            include[-1].append(term)
        else:
            include.append([term])
        join_next = False

    groups = tuple(
        Alternatives(tuple(phrase for term in terms for phrase in term.phrases))
        for terms in include
    )
    query = SearchQuery(include=groups, exclude=tuple(exclude), text=text)
    if not groups:
        raise SearchSyntaxError(
            "Nothing to search for: give at least one word that is not excluded with '-' "
            "and is not a common word such as 'the' (those are not indexed)."
        )
    if len(query.words) > MAX_TERMS:
        raise SearchSyntaxError(f"Too many words: at most {MAX_TERMS}.")
    return query
