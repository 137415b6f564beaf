"""What a model's search index holds, and how highlights are marked."""

import html
from dataclasses import dataclass

# The databases mark matched words with these private-use characters; `render_highlight` then
# escapes the text as HTML and turns them into <mark> tags, so a highlight is safe HTML whatever
# the stored text holds.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
MARK_START, MARK_END = "<mark>", "</mark>"


@dataclass(frozen=True)
class SearchIndex:
    """The columns of one table that are searched, each with its weight (A counts most, D
    least), and the column whose text a hit's highlight shows."""

    table: str
    columns: tuple[tuple[str, str], ...]
    highlight: str
    whole: bool = True  # mark the whole column (short texts), or cut a snippet (articles)
    snippet_words: int = 30


def render_highlight(marked: str | None) -> str | None:
    """Database output with sentinel marks -> HTML-escaped text with <mark>…</mark>."""
    if marked is None:
        return None
    plain = marked.replace(HIGHLIGHT_START, "\0start").replace(HIGHLIGHT_END, "\0end")
    return html.escape(plain, quote=False).replace("\0start", MARK_START).replace("\0end", MARK_END)
