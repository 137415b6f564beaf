"""Ingest: an article in, a source and its candidates stored."""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from config.db.history import one_version_each
from events.models import DateBasis, Person, Source
from statements.ingest.extract import propose
from statements.ingest.html import NotAnArticle, article_from_html
from statements.ingest.known import known_from_database
from statements.ingest.models import Candidate
from statements.ingest.proposals import Proposal
from statements.ingest.service.errors import Conflict, IngestError, TooLarge, first_error
from statements.ingest.service.reading import first_line, max_bytes, parse_published
from statements.ingest.service.writes import recorded_as, unique_slug

# fewer words than this in a page's main text is a menu, an index or an error page
MIN_ARTICLE_WORDS = 30


@dataclass
class Ingested:
    """What `ingest()` did: the source (new, or the one already holding the text)."""

    source: Source
    created: bool
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why nothing was created, when so


def ingest(
    *,
    url: str,
    outlet: str,
    published=None,
    text: str | None = None,
    html: str | None = None,
    title: str = "",
    author: str = "",
    as_new_source: bool = False,
    allow_no_quotes: bool = False,
    editor=None,
) -> Ingested:
    """Store an article as a source and what extraction proposes from it as candidates.

    Give `text` (kept exactly as given: every offset points into it) or `html` (made text by
    statements.ingest.html, whose title, author and date fill what is not given). The same
    text again creates nothing and returns the source that holds it; a different text at an
    address a source already has is a Conflict unless `as_new_source`. A text that quotes
    nobody is refused unless `allow_no_quotes` (an article of reported speech only).
    """
    if (text is None) == (html is None):
        raise IngestError("text", "Give the article as text or as html, one of the two.")
    given = text if text is not None else html
    if len(given.encode("utf-8")) > max_bytes():
        raise TooLarge(
            "html" if html is not None else "text",
            f"The article is larger than {max_bytes():,} bytes, the most Parley ingests.",
        )
    if "\x00" in given:
        raise IngestError("text", "The article holds NUL characters: it is not a text.")
    if html is not None:
        try:
            article = article_from_html(html)
        except NotAnArticle as error:
            raise IngestError("html", f"Not an article: {error}.") from error
        text = article.text
        if len(text.split()) < MIN_ARTICLE_WORDS:
            raise IngestError(
                "html",
                f"Not an article: the page's main text is {len(text.split())} words "
                f"({text[:60]!r}); an article has at least {MIN_ARTICLE_WORDS}.",
            )
        title = title or article.title
        author = author or article.author
        if published in (None, "") and article.published is not None:
            published = article.published
    if not text.strip():
        raise IngestError("text", "The text is empty.")
    if published in (None, ""):
        raise IngestError("published", "Give the publication date (YYYY-MM-DD).")
    date, published_on, precision = parse_published(published)
    if not outlet or not outlet.strip():
        raise IngestError("outlet", "Give the outlet that published the article.")
    if not url or not url.strip():
        raise IngestError("url", "Give the article's address.")
    title = (title or first_line(text))[:300]

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    same_text = Source.objects.filter(text_sha256=digest).order_by("id").first()
    if same_text is not None:
        notes = [f"The same text (SHA-256 {digest[:12]}…) is already source {same_text.slug}."]
        if same_text.url == url:
            notes.append(f"Source {same_text.slug} has the same address, {url}.")
        return Ingested(source=same_text, created=False, notes=notes)
    at_url = Source.objects.filter(url=url).order_by("id").first()
    if at_url is not None and not as_new_source:
        raise Conflict(
            "url",
            f"Source {at_url.slug} already has the address {url} with a different text; ingest "
            'it as a new source (--as-new-source, or "as_new_source": true) to keep both.',
        )

    known = known_from_database()
    proposals = propose(text, published=published_on, known=known, precision=precision)
    quoted = any(proposal.kind in ("quote", "fragment") for proposal in proposals)
    if not quoted and not (allow_no_quotes and proposals):
        raise IngestError(
            "html" if html is not None else "text",
            "No quotation found: this text quotes nobody (no words between quotation marks); "
            "ingest an article of reported speech only with allow_no_quotes.",
        )

    return store(text, proposals, editor, title=title, outlet=outlet, author=author, url=url,
                 date=date)  # fmt: skip


def store(text: str, proposals: list[Proposal], editor, *, title: str, outlet: str, author: str,
          url: str, date: str) -> Ingested:  # fmt: skip
    """The source and its candidates, written in one transaction."""
    with transaction.atomic(), recorded_as(editor), one_version_each(reason="ingested"):
        source = Source(
            slug=unique_slug(Source, f"{outlet}-{date}-{' '.join(title.split()[:6])}", 80),
            title=title,
            publisher=outlet.strip()[:120],
            author=author.strip()[:200],
            url=url.strip(),
            date=date,
            date_basis=DateBasis.STATED,
            date_note="The publication date given at ingest, or read from the page.",
            seed_file=None,
            text=text,
        )
        try:
            source.full_clean(exclude=["date_precision", "text_sha256"])
        except DjangoValidationError as error:
            raise IngestError(*first_error(error)) from error
        source.save()
        slugs = {p.speaker.slug for p in proposals if p.speaker is not None and p.speaker.slug}
        people = {person.slug: person for person in Person.objects.filter(slug__in=slugs)}
        candidates = [candidate_from(proposal, source, people) for proposal in proposals]
        for candidate in candidates:
            # the database checks the constraints as the rows are inserted
            candidate.full_clean(exclude=["source"], validate_constraints=False)
        Candidate.objects.bulk_create(candidates)
    return Ingested(source=source, created=True, candidates=candidates)


def candidate_from(proposal: Proposal, source: Source, people: dict[str, Person]) -> Candidate:
    """The candidate that keeps a proposal; `people` are the known speakers by slug."""
    speaker = proposal.speaker
    person = people.get(speaker.slug) if speaker is not None and speaker.slug else None
    figure = proposal.figure or {}
    return Candidate(
        source=source,
        kind=proposal.kind,
        excerpt=proposal.excerpt,
        start=proposal.start,
        end=proposal.end,
        quote=proposal.quote,
        quote_spans=[list(span) for span in proposal.quote_spans],
        speaker=person,
        speaker_name=(speaker.name if speaker else "")[:200],
        speaker_kind=speaker.kind if speaker else "",
        speaker_label=((speaker.label or speaker.name) if speaker else "")[:200],
        date=proposal.date,
        date_earliest=proposal.date_earliest,
        date_latest=proposal.date_latest,
        date_basis=proposal.date_basis,
        date_note=proposal.date_note[:300],
        title=proposal.title[:200],
        event_kind=proposal.event_kind,
        status=proposal.status,
        value=figure.get("value"),
        value_max=figure.get("value_max"),
        unit=figure.get("unit") or "",
        qualifier=figure.get("qualifier") or "",
        words=(figure.get("words") or "")[:120],
        measure=(figure.get("measure") or "")[:100],
        topics=list(proposal.topics),
        places=list(proposal.places),
        confidence=max(0.0, min(1.0, proposal.confidence)),
        reason=proposal.reason[:300],
        matches=[
            {"type": m.type, "slug": m.slug, "score": round(m.score, 3), "reason": m.reason}
            for m in proposal.matches
        ],
    )
