"""What a model's search index holds, and how highlights are marked."""

import dataclasses
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
    searched: tuple[str, ...] = ()  # only these columns are searched; all when empty
    # PostgreSQL keeps its common terms ranked (config.db.search.top; a dated list's table only)
    keeps_top: bool = False

    def only(self, *names: str, highlight: str) -> "SearchIndex":
        """The same index searched in some of its columns only, highlighting one of them whole.

        PostgreSQL tells the columns apart by their weights: a column left out may not share
        its weight with one searched."""
        weights = dict(self.columns)
        kept = {weights[name] for name in names}
        if any(weights[name] in kept for name in weights if name not in names):
            raise ValueError(f"{self.table}: a column left out shares a weight with {names}")
        return dataclasses.replace(self, searched=names, highlight=highlight, whole=True)

    @property
    def searched_weights(self) -> str:
        """The weights of the searched columns, as ts_filter takes them: `{a,b}`."""
        weights = dict(self.columns)
        return "{" + ",".join(sorted({weights[name].lower() for name in self.searched})) + "}"


def render_highlight(marked: str | None) -> str | None:
    """Database output with sentinel marks -> HTML-escaped text with <mark>…</mark>."""
    if marked is None:
        return None
    plain = marked.replace(HIGHLIGHT_START, "\0start").replace(HIGHLIGHT_END, "\0end")
    return html.escape(plain, quote=False).replace("\0start", MARK_START).replace("\0end", MARK_END)
