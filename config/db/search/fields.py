"""Serializer fields for search hits: the highlight and the rank, present only under `?q=`."""

from rest_framework import serializers

from config.db.search.index import render_highlight

HIGHLIGHT_HELP = (
    "When searching with `q`: the matched text as HTML, escaped, with every matched word "
    "between <mark> and </mark> (a whole short text, or a snippet of a long one); null "
    "otherwise."
)


class HighlightField(serializers.CharField):
    """Reads the `search_highlight` annotation of `.search()`; null without it (a record
    listed without `q`, or a detail)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "search_highlight")
        kwargs.setdefault("help_text", HIGHLIGHT_HELP)
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value) -> str:
        return render_highlight(value) or ""
