"""From seed file to reference text, and from excerpt to offsets.

The reference text of a source is its seed file with the page furniture left out: each entry of
`Source.furniture` is an exact line of the seed file (found exactly once) that is dropped, and
the blank lines this leaves at the start and end are trimmed. Everything else is the seed file's
exact characters, so citation offsets can always be traced back to it.
"""

import difflib
from pathlib import Path

from django.conf import settings


def read_seed(seed_file: str) -> str:
    """The seed file's text, decoded as UTF-8 with its line endings untouched."""
    path = Path(settings.SEEDS_DIR) / seed_file
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def reference_text(raw: str, furniture: list[str]) -> str:
    """Drop the furniture lines from a seed text; ValueError if one is not there exactly once."""
    lines = raw.split("\n")
    for line in furniture:
        count = lines.count(line)
        if count != 1:
            raise ValueError(f"furniture line {line[:60]!r} is in the seed {count} times, not once")
    kept = [line for line in lines if line not in furniture]
    return "\n".join(kept).strip()


class AmbiguousExcerpt(ValueError):
    """The excerpt stands more than once in the text and nothing says which one is meant."""


def locate_excerpt(text: str, excerpt: str, hint: int | None = None) -> tuple[int, int]:
    """Find the offsets of an excerpt in a text.

    An excerpt found once is located. One found several times is ambiguous unless `hint` is the
    start of one of its occurrences. ValueError says why an excerpt cannot be located.
    """
    if not excerpt:
        raise ValueError("the excerpt is empty")
    starts = []
    position = text.find(excerpt)
    while position != -1:
        starts.append(position)
        position = text.find(excerpt, position + 1)
    if not starts:
        raise ValueError(f"excerpt not found in the text: {excerpt[:80]!r}")
    if len(starts) > 1 and hint not in starts:
        raise AmbiguousExcerpt(
            f"excerpt found {len(starts)} times (at {starts}); give the start of the one meant: "
            f"{excerpt[:80]!r}"
        )
    start = hint if len(starts) > 1 else starts[0]
    return start, start + len(excerpt)


# Typographic quotes and apostrophes, each matched to its plain form. The mapping is one
# character for one, so an offset in the mapped text is the same offset in the original.
PLAIN_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"',
                              "„": '"', "‟": '"', "«": '"', "»": '"'})  # fmt: skip


def find_excerpt(text: str, excerpt: str, hint: int | None = None) -> tuple[int, int]:
    """Locate a pasted excerpt, forgiving typographic against plain quotes and apostrophes.

    Returns the offsets of the passage, whose exact characters (`text[start:end]`) are what a
    citation stores. ValueError says why not, and quotes the nearest passage when there is one.
    """
    excerpt = excerpt.strip()
    if not excerpt:
        raise ValueError("the excerpt is empty")
    plain_text, plain_excerpt = text.translate(PLAIN_QUOTES), excerpt.translate(PLAIN_QUOTES)
    for haystack, needle in ((text, excerpt), (plain_text, plain_excerpt)):
        try:
            return locate_excerpt(haystack, needle, hint)
        except AmbiguousExcerpt:
            raise
        except ValueError:
            continue
    nearest = nearest_passage(plain_text, plain_excerpt)
    suggestion = (
        f" The nearest passage reads: {text[nearest[0] : nearest[1]]!r}." if nearest else ""
    )
    raise ValueError(f"the excerpt is not in the text.{suggestion}")


def nearest_passage(text: str, excerpt: str) -> tuple[int, int] | None:
    """The passage of the text, as long as the excerpt, around their longest common run."""
    matcher = difflib.SequenceMatcher(None, text, excerpt, autojunk=False)
    match = matcher.find_longest_match(0, len(text), 0, len(excerpt))
    if match.size < min(12, len(excerpt)):
        return None
    start = max(0, match.a - match.b)
    return start, min(len(text), start + len(excerpt))
