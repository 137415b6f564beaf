"""Reading what an editor gives: a file's text, whether it is a web page, the publication
date, the headline."""

import datetime

from django.conf import settings

from config.db.dates import parse_partial_date
from statements.ingest.service.errors import IngestError, TooLarge


def max_bytes() -> int:
    return settings.INGEST_MAX_BYTES


def decode(data: bytes, name: str = "file") -> str:
    """The UTF-8 text of a file, exactly as given; a binary or over-large file is refused."""
    if len(data) > max_bytes():
        raise TooLarge(
            name, f"{len(data):,} bytes; an article may have at most {max_bytes():,} bytes."
        )
    if b"\x00" in data:
        raise IngestError(name, "This is a binary file (it holds NUL bytes), not a text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IngestError(
            name,
            f"Not UTF-8 text (byte {error.start} cannot be read): give the article's "
            "saved HTML or its plain text in UTF-8.",
        ) from error


def looks_like_html(text: str) -> bool:
    """A saved web page rather than a plain text: it opens with a tag or a doctype."""
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and ("<body" in head or "<head" in head or "<p" in head)
    )


def parse_published(value) -> tuple[str, datetime.date, str]:
    """The publication date as a partial ISO date, its last possible day and its precision."""
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise IngestError("published", "Give the publication date as YYYY-MM-DD (or YYYY-MM).")
    try:
        _earliest, latest, precision = parse_partial_date(value)
    except ValueError as error:
        raise IngestError("published", str(error)) from error
    return value, latest, precision


def first_line(text: str) -> str:
    """A plain text's headline: its first non-blank line."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
