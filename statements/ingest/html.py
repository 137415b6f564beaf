"""A saved news page to its article's text and metadata, with trafilatura.

trafilatura is made for news pages: it keeps the article's paragraphs (one a line, which the
pipeline reads as paragraphs), drops navigation, captions, sign-up boxes and credits, and reads
the title, byline and publication date from the page's metadata. readability-lxml, compared on
the same pages (docs/ingest.md), keeps the body as well but gives a title alone, and kept
newsletter boxes and photo credits that trafilatura dropped.

The text returned is the text an editor ingests; once stored it is never rewritten, so every
offset extraction proposes points into it.
"""

import datetime
from dataclasses import dataclass

import trafilatura
from trafilatura.settings import use_config

# no signal-based time limit: the extraction may run in a worker thread
CONFIG = use_config()
CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


class NotAnArticle(ValueError):
    """The page holds no article text an extractor can find."""


@dataclass(frozen=True)
class Article:
    text: str
    title: str = ""
    author: str = ""
    published: datetime.date | None = None


def article_from_html(html: str) -> Article:
    """The article of a news page; NotAnArticle when the page has none (a list, an error page)."""
    if not html or not html.strip():
        raise NotAnArticle("the HTML is empty")
    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        config=CONFIG,
    )
    text = (extracted.text or "").strip() if extracted else ""
    if not text:
        raise NotAnArticle("no article text found in the HTML")
    return Article(
        text=text,
        title=(extracted.title or "").strip(),
        author=(extracted.author or "").strip(),
        published=parse_date(extracted.date),
    )


def parse_date(value: str | None) -> datetime.date | None:
    """trafilatura's date (YYYY-MM-DD), or None when the page gives none."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
