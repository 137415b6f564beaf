"""Paragraphs and sentences of an article, as offsets into its exact text.

Nothing here changes the text: every function returns (start, end) pairs into the string it was
given, so what extraction proposes can always be cut back out of it (`text[start:end]`).
"""

import re

from statements.ingest.lexicon import QUOTE_VERBS, split_words

# A full stop after one of these does not end a sentence ("Mr. Zelenskiy", "U.S. President").
ABBREVIATIONS = frozenset(
    split_words(
        "mr mrs ms dr prof gen col lt sgt capt maj rep sen gov st jr sr inc ltd co corp no vs "
        "etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m"
    )
)
SENTENCE_END = re.compile(r"[.!?]+")
# a name and a speech verb right after a closing mark: the attribution of the quote before it
ATTRIBUTION_AFTER = re.compile(
    r"[”’\"'»]+\s+(?:[A-Z][\w.’'-]*\s+){1,4}(?:"
    + "|".join(sorted(QUOTE_VERBS, key=len, reverse=True))
    + r")\b"
)
# what may follow a sentence's last mark before the space: closing quotes and brackets
CLOSERS = "”’\"')]»"
OPENERS = "“‘„‚\"'(«[–—-"


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The non-blank lines of the text, each trimmed of surrounding spaces."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def sentences(
    text: str, start: int, end: int, protected: list[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Split text[start:end] into sentences; a mark inside a protected span (a quotation) never
    ends one, so "Why? Because …" stays inside its quote, unless it is the quotation's last
    character and a capital follows ("… was “constructive.” The Kremlin said …"), or a quotation
    opening on one ("… “counts on the winter.” “They say …”")."""
    spans, begin = [], start
    for match in SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        if inside(match.start(), protected) and not (
            stop < end
            and text[stop] in CLOSERS
            and re.match(r"[”’\"'»]+\s+[“‘„\"«]?[A-Z]", text[stop:end])
            and not (match.group()[-1] in "?!" and ATTRIBUTION_AFTER.match(text, stop, end))
        ):
            continue  # "…?” asked Lavrov", "…!” Zelensky exclaimed": the quote's own sentence
        while stop < end and text[stop] in CLOSERS:
            stop += 1
        if stop < end and not text[stop].isspace():
            continue  # "2.5", "U.S.-Russia", "…said.Then" without a space is not a boundary
        following = text[stop:end].lstrip()
        if following and not (following[0].isupper() or following[0] in OPENERS):
            continue
        if match.group() == "." and is_abbreviation(text, match.start()):
            continue
        spans.append((begin, stop))
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append((begin, end))
    return spans


def is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` ends an abbreviation or an initial, not a sentence."""
    word = re.search(r"[\w.]*$", text[max(0, dot - 12) : dot]).group().lower()
    if len(word) == 1 and word.isalpha():
        # an initial ("John F. Kennedy"), unless a quotation opens after it: "wrote on X. “…"
        return not re.match(r"\.\s+[“‘\"«„]", text[dot : dot + 4])
    return word in ABBREVIATIONS


WORD = re.compile(r"[\w’'.-]+")


def words(fragment: str) -> list[str]:
    return [word.strip(".’'") for word in WORD.findall(fragment) if word.strip(".’'-")]
