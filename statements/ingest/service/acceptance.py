"""The writes that accepting one candidate makes: a new record, or a citation of one the
dataset holds."""

import datetime

from django.utils.text import slugify

from config.db.dates import parse_partial_date
from events.api.write_serializers import PersonWriteSerializer
from events.models import DateBasis, Event, Person
from statements.api.write_serializers import (
    CitationWriteSerializer,
    CitedEventWriteSerializer,
    FigureWriteSerializer,
    StatementWriteSerializer,
)
from statements.ingest.models import Candidate
from statements.ingest.service.errors import IngestError
from statements.ingest.service.writes import unique_slug
from statements.models import Figure, Statement, Wording

STATEMENT_KINDS = {"quote": "quote", "fragment": "fragment", "claim": "paraphrase"}


def target_of(candidate: Candidate) -> str:
    """statement, event or figure: what the candidate becomes."""
    return candidate.kind if candidate.kind in ("event", "figure") else "statement"


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
