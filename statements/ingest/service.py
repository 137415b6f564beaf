"""The ingest service: an article in, a source and its candidates stored; a candidate accepted
or rejected by an editor.

`ingest()` is what `manage.py ingest_article` and `POST /api/v1/ingest/` call, `accept()` and
`reject()` what the candidates API and the admin's review page call. Every write here is one
transaction and one version in each changed record's history, under the editor's name; a
failure leaves the database as it was. An accepted candidate becomes its record through the
write API's own serializers (statements.api.write_serializers), so it keeps every rule the
admin and the API keep (statements.services, the models' `full_clean()`).
"""

import datetime
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from rest_framework.exceptions import ValidationError as APIValidationError
from simple_history.models import HistoricalRecords

from config.db.dates import parse_partial_date
from config.db.history import one_version_each
from events.api.write_serializers import PersonWriteSerializer
from events.models import DateBasis, Event, Person, Source
from statements.api.write_serializers import (
    CitationWriteSerializer,
    CitedEventWriteSerializer,
    FigureWriteSerializer,
    StatementWriteSerializer,
)
from statements.ingest.extract import propose
from statements.ingest.html import NotAnArticle, article_from_html
from statements.ingest.known import known_from_database
from statements.ingest.models import Candidate
from statements.ingest.proposals import Proposal
from statements.models import Figure, Statement, Wording

# fewer words than this in a page's main text is a menu, an index or an error page
MIN_ARTICLE_WORDS = 30
STATEMENT_KINDS = {"quote": "quote", "fragment": "fragment", "claim": "paraphrase"}


class IngestError(ValueError):
    """Input that cannot be ingested, or a review that cannot be done: `field` names what is
    wrong ("text", "published", …), `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


class TooLarge(IngestError):
    status = 413


class Conflict(IngestError):
    status = 409


@dataclass
class Ingested:
    """What `ingest()` did: the source (new, or the one already holding the text)."""

    source: Source
    created: bool
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why nothing was created, when so


# --------------------------------------------------------------------------------------------
# Reading what an editor gives
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Ingest
# --------------------------------------------------------------------------------------------


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


def first_error(error: DjangoValidationError) -> tuple[str, str]:
    """A model's first error as (field, message), for IngestError."""
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.message_dict.items()))
        return ("url" if name == "url" else name, " ".join(messages))
    return "non_field_errors", " ".join(error.messages)


def unique_slug(model, words: str, max_length: int) -> str:
    """A slug of the words not yet taken in `model` (-2, -3, … added when it is)."""
    base = slugify(words)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].strip("-") + suffix
    return slug


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


@contextmanager
def recorded_as(editor) -> Iterator[None]:
    """Record the history written inside the block under `editor` (when there is one and no
    request already names them), as the admin and the API record theirs."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    current = getattr(previous, "user", None)
    if editor is None or current == editor:
        yield
        return
    context.request = SimpleNamespace(user=editor)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


# --------------------------------------------------------------------------------------------
# Review
# --------------------------------------------------------------------------------------------

# what an editor may correct on accepting, by kind; anything else is refused by name
COMMON_CORRECTIONS = {"date", "date_basis", "date_note", "date_earliest", "date_latest",
                      "topics", "places", "match"}  # fmt: skip
CORRECTIONS = {
    "statement": COMMON_CORRECTIONS
    | {"text", "kind", "speaker", "speaker_name", "speaker_kind", "speaker_label", "venue",
       "via", "slug"},  # fmt: skip
    "event": COMMON_CORRECTIONS | {"title", "summary", "event_kind", "status", "end_date",
                                   "participants", "slug"},  # fmt: skip
    "figure": COMMON_CORRECTIONS | {"label", "measure", "value", "value_max", "unit",
                                    "qualifier", "words", "according_to", "place", "slug"},
}  # fmt: skip


def target_of(candidate: Candidate) -> str:
    """statement, event or figure: what the candidate becomes."""
    return candidate.kind if candidate.kind in ("event", "figure") else "statement"


def accept(candidate: Candidate, editor, corrections: dict | None = None) -> Candidate:
    """Write the candidate's record, as corrected, and mark it accepted by `editor`.

    A quote, fragment or claim becomes a statement cited by the candidate's excerpt (a quote
    split by its attribution one statement per quoted run, as the codebook has it, each with
    its wording); one the dataset already holds (`matches`) gets a wording and a citation
    instead. An event or figure the dataset holds gets a citation; otherwise it is created
    with it. `corrections` may change what the record will hold (`text`, `speaker`, `date`,
    …, by kind: CORRECTIONS) and `match` (a slug to cite, or null to create a new record).
    Raises IngestError (400), or Conflict (409) when the candidate is no longer pending.
    """
    corrections = dict(corrections or {})
    target = target_of(candidate)
    unknown = sorted(set(corrections) - CORRECTIONS[target])
    if unknown:
        raise IngestError(
            unknown[0],
            f"Not a correction for a {candidate.kind}. Allowed: "
            f"{', '.join(sorted(CORRECTIONS[target]))}.",
        )
    with transaction.atomic(), recorded_as(editor), one_version_each(reason="ingest accepted"):
        candidate = locked_pending(candidate)
        writer = Acceptance(candidate, corrections)
        try:
            writer.write()
        except APIValidationError as error:
            raise IngestError(*first_api_error(error.detail)) from error
        except DjangoValidationError as error:
            raise IngestError(*first_error(error)) from error
        candidate.review_status = Candidate.ReviewStatus.ACCEPTED
        candidate.reviewed_by = editor
        candidate.reviewed_at = timezone.now()
        candidate.records = writer.records
        candidate.save()
    return candidate


def accept_many(candidates, editor) -> tuple[list[Candidate], dict[int, IngestError]]:
    """Accept each candidate as proposed, each in its own transaction (what the admin's "accept
    the selected" does): the accepted ones, and why each other one was refused, by id."""
    accepted, refused = [], {}
    for candidate in candidates:
        try:
            accepted.append(accept(candidate, editor))
        except IngestError as error:
            refused[candidate.pk] = error
    return accepted, refused


def reject(candidate: Candidate, editor, reason: str) -> Candidate:
    """Mark the candidate rejected by `editor`, keeping it with `reason`."""
    if not isinstance(reason, str) or not reason.strip():
        raise IngestError("reason", "Say why the candidate is rejected.")
    if len(reason) > 300:
        raise IngestError("reason", "At most 300 characters.")
    with transaction.atomic():
        candidate = locked_pending(candidate)
        candidate.review_status = Candidate.ReviewStatus.REJECTED
        candidate.reject_reason = reason.strip()
        candidate.reviewed_by = editor
        candidate.reviewed_at = timezone.now()
        candidate.save()
    return candidate


def locked_pending(candidate: Candidate) -> Candidate:
    """The candidate read again under a row lock; Conflict unless it is still pending."""
    fresh = Candidate.objects.select_for_update().select_related("source").get(pk=candidate.pk)
    if fresh.review_status != Candidate.ReviewStatus.PENDING:
        raise Conflict(
            "review_status",
            f"Candidate {fresh.pk} was already {fresh.review_status}"
            f"{' by ' + fresh.reviewed_by.get_username() if fresh.reviewed_by else ''}; "
            "nothing was changed.",
        )
    return fresh


def first_api_error(detail, prefix: str = "") -> tuple[str, str]:
    """A serializer's first error as (field, message)."""
    if isinstance(detail, dict):
        name, value = next(iter(detail.items()))
        return first_api_error(value, prefix or str(name))
    if isinstance(detail, list) and detail:
        return first_api_error(detail[0], prefix)
    return prefix or "non_field_errors", str(detail)


class Acceptance:
    """The writes that accepting one candidate makes, through the write API's serializers."""

    def __init__(self, candidate: Candidate, corrections: dict):
        self.candidate = candidate
        self.source = candidate.source
        self.corrections = corrections
        self.records: list[dict] = []

    def write(self) -> None:
        target = target_of(self.candidate)
        matched = self.matched(target)
        if matched is not None:
            self.cite(target, matched)
            setattr(self.candidate, target, matched)
            return
        record = {"statement": self.new_statements, "event": self.new_event,
                  "figure": self.new_figure}[target]()  # fmt: skip
        setattr(self.candidate, target, record)

    def note(self, kind: str, slug: str) -> None:
        self.records.append({"type": kind, "slug": slug})

    # what is matched ------------------------------------------------------------------------

    def matched(self, target: str):
        """The record to cite rather than create: `match` corrected, else the best match."""
        model = {"statement": Statement, "event": Event, "figure": Figure}[target]
        if "match" in self.corrections:
            slug = self.corrections["match"]
            if slug is None:
                return None
            if not isinstance(slug, str) or not model.objects.filter(slug=slug).exists():
                raise IngestError("match", f"No {target} with slug {str(slug)[:100]!r}.")
            return model.objects.get(slug=slug)
        for match in self.candidate.matches:
            if match.get("type") == target:
                found = model.objects.filter(slug=match.get("slug")).first()
                if found is not None:
                    return found
        return None

    def cite(self, target: str, record) -> None:
        """A citation (and, for a quote or fragment, a wording) of a record the dataset holds."""
        if target == "statement" and record.kind in ("quote", "fragment"):
            for text in self.quoted_runs():
                if not record.wordings.filter(source=self.source).exists():
                    wording = Wording(statement=record, source=self.source, text=text)
                    wording.full_clean()
                    wording.save()
                    self.note("wording", wording.slug)
                break  # one wording per source and statement
        if record.citations.filter(source=self.source, start=self.candidate.start).exists():
            raise IngestError(
                "match", f"The {target} {record.slug} already cites this excerpt of the source."
            )
        body = {"source": self.source.slug, target: record.slug, **self.excerpt()}
        serializer = CitationWriteSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        citation = serializer.save()
        self.note("citation", citation.slug)

    # what is created ------------------------------------------------------------------------

    def excerpt(self) -> dict:
        return {
            "excerpt": self.candidate.excerpt,
            "start": self.candidate.start,
            "end": self.candidate.end,
        }

    def quoted_runs(self) -> list[str]:
        """A quote's or fragment's words: the corrected text, else each quoted run."""
        if "text" in self.corrections:
            return [self.corrections["text"]]
        return self.candidate.runs or [self.candidate.quote or self.candidate.excerpt]

    def dates(self, default_to_source: bool = False) -> dict:
        """The date fields of the record's body: the candidate's, as corrected."""
        fields = {}
        c = self.candidate
        date = self.corrections.get("date", c.date)
        if not date and default_to_source:
            return {"date": self.source.date, "date_basis": DateBasis.INFERRED,
                    "date_note": "As of the article's date."}  # fmt: skip
        fields["date"] = date
        fields["date_basis"] = self.corrections.get("date_basis", c.date_basis or "stated")
        fields["date_note"] = self.corrections.get("date_note", c.date_note)
        earliest = self.corrections.get("date_earliest", iso(c.date_earliest))
        latest = self.corrections.get("date_latest", iso(c.date_latest))
        try:
            low, high, _precision = parse_partial_date(date)
        except (TypeError, ValueError):
            return fields  # the serializer says what is wrong with the date
        if latest is not None and (earliest, latest) != (iso(low), iso(high)):
            fields.update(date_interval_explicit=True, date_earliest=earliest, date_latest=latest)
        return fields

    def suggestions(self) -> dict:
        return {
            "topics": self.corrections.get("topics", self.candidate.topics),
            "places": self.corrections.get("places", self.candidate.places),
        }

    def save(self, serializer_class, body: dict):
        serializer = serializer_class(data=body)
        serializer.is_valid(raise_exception=True)
        record = serializer.save()
        self.note(record._meta.model_name, record.slug)
        for citation in record.citations.all():
            self.note("citation", citation.slug)
        return record

    def speaker(self) -> Person:
        """The speaker: the slug corrected, the candidate's person, or a new person."""
        c, given = self.candidate, self.corrections
        if "speaker" in given:
            slug = given["speaker"]
            if slug is not None:
                person = Person.objects.filter(slug=slug).first() if isinstance(slug, str) else None
                if person is None:
                    raise IngestError("speaker", f"No person with slug {str(slug)[:100]!r}.")
                return person
        elif c.speaker is not None:
            return c.speaker
        name = given.get("speaker_name", c.speaker_name)
        kind = given.get("speaker_kind", c.speaker_kind or "person")
        if not name or not isinstance(name, str):
            raise IngestError("speaker", "No speaker proposed: give one (a person's slug).")
        if kind != "anonymous":
            # a named person or institution another acceptance has added meanwhile; an
            # anonymous source is never merged with another article's by its description
            same = Person.objects.filter(name__iexact=name.strip(), kind=kind).order_by("id")
            if same.exists():
                return same.first()
        body = {"slug": unique_slug(Person, name, 80), "name": name.strip(), "kind": kind}
        serializer = PersonWriteSerializer(data=body)
        serializer.is_valid(raise_exception=True)
        person = serializer.save()
        self.note("person", person.slug)
        # the article's other candidates proposing the same new speaker now propose this one
        Candidate.objects.filter(
            source=self.source,
            review_status=Candidate.ReviewStatus.PENDING,
            speaker__isnull=True,
            speaker_name=c.speaker_name,
            speaker_kind=c.speaker_kind,
        ).exclude(pk=c.pk).update(speaker=person)
        return person

    def new_statements(self) -> Statement:
        c, given = self.candidate, self.corrections
        kind = given.get("kind", STATEMENT_KINDS[c.kind])
        speaker = self.speaker()
        common = {
            "speaker": speaker.slug,
            "speaker_label": given.get("speaker_label", c.speaker_label or speaker.name),
            "kind": kind,
            **self.dates(default_to_source=False),
            **self.suggestions(),
            **{name: given[name] for name in ("venue", "via") if name in given},
            "citations": [{"source": self.source.slug, **self.excerpt()}],
        }
        texts = [given.get("text", c.excerpt)] if kind == "paraphrase" else self.quoted_runs()
        first = None
        for text in texts:
            words = " ".join(str(text).split()[:6])
            slug = given.get("slug") if first is None and "slug" in given else None
            slug = slug or unique_slug(Statement, f"{speaker.slug}-{common['date']}-{words}", 100)
            body = {**common, "slug": slug, "text": text}
            statement = self.save(StatementWriteSerializer, body)
            if kind != "paraphrase":
                wording = Wording(statement=statement, source=self.source, text=text,
                                  canonical=True)  # fmt: skip
                wording.full_clean()
                wording.save()
                self.note("wording", wording.slug)
            first = first or statement
        return first

    def new_event(self):
        c, given = self.candidate, self.corrections
        title = given.get("title", c.title or c.excerpt[:200])
        dates = self.dates()
        if not dates.get("date"):
            raise IngestError(
                "date",
                "The text gives this event no date: give one (YYYY, YYYY-MM or "
                "YYYY-MM-DD) to accept it.",
            )
        body = {
            "slug": given.get("slug") or unique_slug(Event, f"{dates['date']}-{title}", 100),
            "title": title,
            "summary": given.get("summary", c.excerpt),
            "kind": given.get("event_kind", c.event_kind or "other"),
            "status": given.get("status", c.status or "occurred"),
            **dates,
            **{name: given[name] for name in ("end_date", "participants") if name in given},
            **self.suggestions(),
            "citations": [{"source": self.source.slug, **self.excerpt()}],
        }
        return self.save(CitedEventWriteSerializer, body)

    def new_figure(self):
        c, given = self.candidate, self.corrections
        label = given.get("label", c.title or c.words or c.excerpt[:200])
        measure = given.get("measure", c.measure or slugify(str(label))[:100])
        dates = self.dates(default_to_source=True)
        body = {
            "slug": given.get("slug") or unique_slug(Figure, f"{measure}-{dates['date']}", 100),
            "measure": measure,
            "label": label,
            "value": given.get("value", number(c.value)),
            "value_max": given.get("value_max", number(c.value_max)),
            "unit": given.get("unit", c.unit),
            "qualifier": given.get("qualifier", c.qualifier or "exact"),
            "words": given.get("words", c.words),
            **{name: given[name] for name in ("according_to", "place") if name in given},
            **dates,
            "topics": self.suggestions()["topics"],
            "citations": [{"source": self.source.slug, **self.excerpt()}],
        }
        return self.save(FigureWriteSerializer, body)


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def number(value):
    """A stored decimal as the JSON number the write serializers take."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
