"""The search language of `?q=`, parsed once for every database.

The syntax is the web-search one (PostgreSQL's `websearch_to_tsquery`), with a few additions:

- words: every word must match (`ceasefire talks`);
- `"a phrase"`: the words next to each other, in that order (an unclosed quote runs to the end);
- `OR` (any case) between two terms: either matches;
- `-word`, `-"a phrase"` or `NOT word` (`NOT` in capitals): leave out what matches it;
- `word*`: any word that starts with it (`cease*`), at least two letters before the `*`.

The user's text never reaches the database as syntax. It is read here into terms made only of
letters and digits, and each backend renders those terms in its own query language
(`config.db.search.postgresql`, `config.db.search.sqlite`), so both databases answer the same
question.

Normalisations make spellings meet:

- English stop words (PostgreSQL's list) are dropped outside phrases: PostgreSQL does not index
  them, so SQLite must not require them either;
- a word written with a hyphen (`cease-fire`), joined (`ceasefire`) or, for the compounds listed
  in COMPOUNDS, spaced (`cease fire`) is searched as "the joined word OR the two words in a row",
  which matches every spelling in the stored text on both databases;
- a word of the synonym list (`fixtures/synonyms.txt`, `config.db.search.synonyms`) also finds its
  synonyms, which rank after what matches as typed.

A prefix is expanded into the words of the index that start with it (`config.db.search.plan`), and
what a search falls back to when it finds nothing (corrected spellings, then any of its words)
is decided there too.
"""

import dataclasses
import re
from dataclasses import dataclass, field

from config.db.search.synonyms import phrase_terms, stems, synonyms_of

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

# Words that carry the question, not its subject: a search that finds nothing with every word
# falls back to any of them (`SearchQuery.any_words`), and these do not count there
# (`what did putin say about nato` ranks by putin and nato).
QUESTION_WORDS = frozenset(
    """say says said saying tell tells told think thinks thought know knows knew mean means
    meant would could might shall must also ever still really get gets got""".split()  # noqa: SIM905
)
# A text opening with one of these, or ending with `?`, is a question
QUESTION_OPENERS = frozenset(
    """what who whom whose which when where why how is are was were will would can could should
    do does did has have had""".split()  # noqa: SIM905
)
LONG_QUERY = 3  # terms: from this many on, a search that finds nothing falls back to any of them
MIN_PREFIX = 2  # letters before a `*`; one letter and a star is read as that letter
FORM_STEM = 4  # a shorter stem (`war`) starts too many other words to stand for its forms

WORD_RE = re.compile(r"[^\W_]+")  # letters and digits: what both databases' tokenizers keep
TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
PREFIX_RE = re.compile(r"([^\W_]+)\*+")


class SearchSyntaxError(ValueError):
    """The text cannot be read as a search; the message says why, for the 400 answer."""


@dataclass(frozen=True)
class Phrase:
    """Words that must stand next to each other, in this order (one word is a phrase of one)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Alternatives:
    """Any of these phrases matches (the spellings of one word, or terms joined by OR).

    `synonyms` are phrases that mean the same (the synonym list): they match too, but rank after
    the phrases as typed, and two terms are the same term whatever their synonyms. `prefixes`
    are `word*` terms still to be expanded into the words of the index (`expand`)."""

    phrases: tuple[Phrase, ...]
    synonyms: tuple[Phrase, ...] = field(default=(), compare=False)
    prefixes: tuple[str, ...] = ()

    @property
    def expanded(self) -> tuple[Phrase, ...]:
        return self.phrases + self.synonyms


@dataclass(frozen=True)
class SearchQuery:
    """Every `include` must match and no `exclude` may; with `match="any"`, at least one
    `include` must, and rows are ranked by how many do."""

    include: tuple[Alternatives, ...]
    exclude: tuple[Alternatives, ...]
    text: str  # what the user typed, kept for messages and logs
    match: str = "all"
    question: bool = False  # typed as a question (QUESTION_OPENERS, or ending with `?`)
    uses_or: bool = False  # the text says itself which terms may be missing

    @property
    def words(self) -> list[str]:
        return [
            word
            for group in (*self.include, *self.exclude)
            for phrase in group.phrases
            for word in phrase.words
        ] + [prefix for group in (*self.include, *self.exclude) for prefix in group.prefixes]

    @property
    def has_synonyms(self) -> bool:
        return any(group.synonyms for group in (*self.include, *self.exclude))

    @property
    def prefixes(self) -> set[str]:
        return {prefix for group in (*self.include, *self.exclude) for prefix in group.prefixes}

    @property
    def impossible(self) -> bool:
        """A term that can match nothing (a prefix no word of the index starts with)."""
        return any(not group.expanded for group in self.include)

    def typed(self) -> "SearchQuery":
        """The same query without its synonyms: what matches as typed."""
        return dataclasses.replace(
            self,
            include=tuple(Alternatives(group.phrases) for group in self.include),
            exclude=tuple(Alternatives(group.phrases) for group in self.exclude),
        )

    def expand(self, words_for: dict[str, tuple[str, ...]]) -> "SearchQuery":
        """Each `prefix*` replaced by the words that start with it (`words_for[prefix]`); an
        exclusion that expands to nothing is dropped."""

        def expanded(group: Alternatives) -> Alternatives:
            found = [Phrase((word,)) for prefix in group.prefixes for word in words_for[prefix]]
            phrases = tuple(dict.fromkeys([*group.phrases, *found]))
            return Alternatives(phrases, group.synonyms)

        return dataclasses.replace(
            self,
            include=tuple(expanded(group) for group in self.include),
            exclude=tuple(group for group in map(expanded, self.exclude) if group.expanded),
        )

    def word_forms(self) -> "SearchQuery | None":
        """The query with each word also matching the words that start with its stem
        (`threats` finds `threatened`, whose stem is longer), for words whose stem has
        FORM_STEM letters or more; None when no word has."""
        changed = False
        groups = []
        for group in self.include:
            extra = tuple(
                dict.fromkeys(
                    stem
                    for phrase in group.phrases
                    if len(phrase.words) == 1 and not any(c.isdigit() for c in phrase.words[0])
                    for stem in stems(phrase.words)
                    if len(stem) >= FORM_STEM and stem not in group.prefixes
                )
            )
            changed = changed or bool(extra)
            groups.append(dataclasses.replace(group, prefixes=group.prefixes + extra))
        return dataclasses.replace(self, include=tuple(groups)) if changed else None

    def any_words(self) -> "SearchQuery | None":
        """The query matching any of its terms (`match="any"`), without the words that only
        carry the question (QUESTION_WORDS) when others are left. Only a question or a long
        query (LONG_QUERY terms) is read so: two words typed together (`ceasefire
        negotiations`) mean both, and a text using OR has said which terms may be missing."""
        if len(self.include) < 2 or self.uses_or:
            return None
        if not self.question and len(self.include) < LONG_QUERY:
            return None
        meaningful = tuple(
            group
            for group in self.include
            if group.prefixes
            or not all(
                len(phrase.words) == 1 and phrase.words[0] in QUESTION_WORDS
                for phrase in group.phrases
            )
        )
        return dataclasses.replace(self, include=meaningful or self.include, match="any")


def _synonyms(phrases: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    """What the synonym list gives for a term written as any of `phrases`."""
    found: list[Phrase] = []
    for phrase in phrases:
        for synonym in synonyms_of(phrase.words):
            spelled = _phrase(" ".join(synonym), synonyms=False)
            found.extend(spelled.phrases if spelled else ())
    return tuple(dict.fromkeys(phrase for phrase in found if phrase not in phrases))


def _spellings(chunk: str, synonyms: bool = True) -> Alternatives | None:
    """The ways one whitespace-free chunk of the query may be written in the text."""
    parts = tuple(word.lower() for word in WORD_RE.findall(chunk))
    if not parts:
        return None
    if len(parts) == 1:
        (word,) = parts
        if word in STOP_WORDS:
            return None
        if word in COMPOUNDS:
            phrases: tuple[Phrase, ...] = (Phrase((word,)), Phrase(COMPOUNDS[word]))
        elif word.endswith("s") and word[:-1] in COMPOUNDS:
            spaced = (*COMPOUNDS[word[:-1]][:-1], COMPOUNDS[word[:-1]][-1] + "s")
            phrases = (Phrase((word,)), Phrase(spaced))
        else:
            phrases = (Phrase((word,)),)
    elif re.fullmatch(r"[^\W_]+(?:-[^\W_]+)+", chunk):
        # cease-fire: the joined word, or the parts in a row (how both databases index a
        # hyphenated word in the stored text)
        phrases = (Phrase(("".join(parts),)), Phrase(parts))
    else:
        # other punctuation inside a chunk (U.S., 3.5, Putin's): the parts in a row
        phrases = (Phrase(parts),)
    return Alternatives(phrases, _synonyms(phrases) if synonyms else ())


def _phrase(text: str, synonyms: bool = True) -> Alternatives | None:
    words = tuple(word.lower() for word in WORD_RE.findall(text))
    if not words or all(word in STOP_WORDS for word in words):
        return None
    if len(words) == 1:
        return _spellings(words[0], synonyms)
    if words in SPACED_COMPOUNDS:
        return _spellings(SPACED_COMPOUNDS[words], synonyms)
    phrases = (Phrase(words),)
    return Alternatives(phrases, _synonyms(phrases) if synonyms else ())


def _prefix(chunk: str) -> Alternatives | None:
    """`cease*`: a term of the words starting with `cease`, expanded later (`plan.Search`)."""
    match = PREFIX_RE.fullmatch(chunk)
    if match is None or len(match[1]) < MIN_PREFIX:
        return None
    return Alternatives((), prefixes=(match[1].lower(),))


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


def _join_synonym_phrases(tokens: list[tuple[bool, str, bool]]) -> list[tuple[bool, str, bool]]:
    """A term of several words of the synonym list typed as plain words in a row (`cessation of
    hostilities`, `united states`) becomes that phrase, which also finds its synonyms."""
    terms = phrase_terms()
    lengths = sorted({len(term) for term in terms}, reverse=True)
    joined: list[tuple[bool, str, bool]] = []
    position = 0
    while position < len(tokens):
        for length in lengths:
            run = tokens[position : position + length]
            plain = all(
                not negated and not quoted and WORD_RE.fullmatch(text)
                for negated, text, quoted in run
            )
            if len(run) == length and plain:
                words = tuple(text.lower() for _negated, text, _quoted in run)
                if stems(words) in terms:
                    joined.append((False, " ".join(words), True))
                    position += length
                    break
        else:
            joined.append(tokens[position])
            position += 1
    return joined


def _tokens(text: str) -> list[tuple[bool, str, bool]]:
    """(negated, text, quoted) for each term of the text; `NOT` negates the term after it."""
    tokens: list[tuple[bool, str, bool]] = []
    negate_next = False
    for match in TOKEN_RE.finditer(text):
        negation, quoted, bare = match.groups()
        if bare == "NOT":
            if negate_next:
                raise SearchSyntaxError("NOT twice in a row: write NOT once before the term.")
            negate_next = True
            continue
        if bare is None:
            tokens.append((negate_next or bool(negation), quoted, True))
        elif bare.startswith("-") and len(bare) > 1:
            tokens.append((True, bare[1:], False))
        else:
            tokens.append((negate_next, bare, False))
        negate_next = False
    if negate_next:
        raise SearchSyntaxError(
            "NOT must be followed by the word or phrase to leave out (energy NOT ceasefire)."
        )
    return _join_synonym_phrases(_join_spaced_compounds(tokens))


def parse(text: str) -> SearchQuery:
    """Read websearch-style text into a SearchQuery; SearchSyntaxError if it cannot be read or
    nothing is left to search for."""
    include: list[list[Alternatives]] = []  # each inner list: terms joined by OR
    exclude: list[Alternatives] = []
    join_next = False
    for negated, token, quoted in _tokens(text):
        if not quoted and not negated and token.lower() == "or":
            join_next = bool(include)
            continue
        term = _phrase(token) if quoted else (_prefix(token) or _spellings(token))
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
        Alternatives(
            tuple(phrase for term in terms for phrase in term.phrases),
            tuple(phrase for term in terms for phrase in term.synonyms),
            tuple(prefix for term in terms for prefix in term.prefixes),
        )
        for terms in include
    )
    first = WORD_RE.search(text)
    query = SearchQuery(
        include=groups,
        exclude=tuple(exclude),
        text=text,
        question=text.rstrip().endswith("?")
        or (first is not None and first[0].lower() in QUESTION_OPENERS),
        uses_or=any(len(terms) > 1 for terms in include),
    )
    if not groups:
        raise SearchSyntaxError(
            "Nothing to search for: give at least one word that is not excluded with '-' "
            "and is not a common word such as 'the' (those are not indexed)."
        )
    if len(query.words) > MAX_TERMS:
        raise SearchSyntaxError(f"Too many words: at most {MAX_TERMS}.")
    return query
