"""A dataset release (fixtures format) read as articles to score and what else is known.

`evaluate_ingest` scores extraction against curated records. For each article it needs the
article's text, its publication date, the records curated from it, and a `Known` built from
the rest of the release, so that the score measures finding, not remembering:

- people: every person except those only this article's records involve (in a release, those
  are the people of the article's own fixture file: fixtures/README.md, "layout");
- records: the statements, events and figures some other article also cites; a quote or
  fragment keeps only the wordings other articles print, so its own words are not given away;
- topics and places: all (they are the dataset's vocabulary, not the article's findings).
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from config.db.dates import parse_partial_date
from statements.ingest.lexicon import country_of
from statements.ingest.proposals import Known, KnownName, KnownPerson, KnownRecord


@dataclass
class Article:
    """One article to score: its text, date and the curated records with their citations."""

    slug: str
    text: str
    published: datetime.date
    precision: str  # "day", "month" or "year": how well the publication date is known
    statements: list[dict] = field(default_factory=list)  # fields + "citations" + "wordings"
    events: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # slugs only this article involves


def read_release(directory: Path) -> tuple[list[Article], list[dict]]:
    """The articles of a release and all its objects."""
    objects: list[dict] = []
    files = sorted(directory.glob("*.json"))
    people_by_file: dict[str, set[str]] = {}
    for path in files:
        with path.open(encoding="utf-8") as handle:
            loaded = json.load(handle)
        people_by_file[path.name] = {
            obj["fields"]["slug"] for obj in loaded if obj["model"] == "events.person"
        }
        objects += loaded
    by_model: dict[str, dict[str, dict]] = {}
    for obj in objects:
        by_model.setdefault(obj["model"], {})[obj["fields"]["slug"]] = obj["fields"]
    articles = []
    for slug, source in by_model.get("events.source", {}).items():
        earliest, latest, precision = parse_partial_date(source["date"])
        article = Article(slug, source["text"], latest, precision)
        # the article's own file is named after its source's slug ("001-<slug>.json")
        own_files = [name for name in people_by_file if name.endswith(f"-{slug}.json")]
        for name in own_files:
            article.people |= people_by_file[name]
        articles.append(article)
    by_slug = {article.slug: article for article in articles}
    wordings: dict[str, list[dict]] = {}
    for wording in by_model.get("statements.wording", {}).values():
        wordings.setdefault(wording["statement"][0], []).append(wording)
    for citation in by_model.get("statements.citation", {}).values():
        article = by_slug.get(citation["source"][0])
        for model, key, target in (
            ("statements.statement", "statement", "statements"),
            ("events.event", "event", "events"),
            ("statements.figure", "figure", "figures"),
        ):
            if citation.get(key):
                record = by_model[model][citation[key][0]]
                if article is None:
                    continue
                listed = getattr(article, target)
                entry = next((r for r in listed if r["slug"] == record["slug"]), None)
                if entry is None:
                    entry = dict(record, citations=[], wordings=wordings.get(record["slug"], []))
                    listed.append(entry)
                entry["citations"].append(citation)
    return articles, objects


def known_without(objects: list[dict], article: Article) -> Known:
    """What the release knows, less what this article alone contributed."""
    by_model: dict[str, list[dict]] = {}
    for obj in objects:
        by_model.setdefault(obj["model"], []).append(obj["fields"])
    cited_by: dict[tuple[str, str], set[str]] = {}
    for citation in by_model.get("statements.citation", []):
        for key in ("statement", "event", "figure"):
            if citation.get(key):
                cited_by.setdefault((key, citation[key][0]), set()).add(citation["source"][0])
    people = tuple(
        KnownPerson(
            p["slug"],
            p["name"],
            p["kind"],
            tuple(p.get("aliases") or ()),
            p.get("description", ""),
            p.get("affiliation", ""),
        )
        for p in by_model.get("events.person", [])
        if p["slug"] not in article.people
    )
    topics = tuple(
        KnownName(t["slug"], t["name"], tuple(topic_words(t.get("description", ""))))
        for t in by_model.get("events.topic", [])
    )
    places = tuple(KnownName(p["slug"], p["name"]) for p in by_model.get("events.place", []))
    wordings: dict[str, list[dict]] = {}
    for wording in by_model.get("statements.wording", []):
        wordings.setdefault(wording["statement"][0], []).append(wording)
    records = []
    for key, model in (("statement", "statements.statement"), ("event", "events.event"),
                       ("figure", "statements.figure")):  # fmt: skip
        for record in by_model.get(model, []):
            others = cited_by.get((key, record["slug"]), set()) - {article.slug}
            if not others:
                continue
            earliest, latest = interval(record)
            if key == "statement":
                if record["kind"] == "paraphrase":
                    text = record["text"]
                else:
                    text = " ".join(
                        w["text"]
                        for w in wordings.get(record["slug"], [])
                        if w["source"][0] != article.slug
                    )
                speaker = record["speaker"][0] if record.get("speaker") else None
            elif key == "event":
                text, speaker = f"{record['title']}. {record.get('summary', '')}", None
            else:
                text, speaker = f"{record['label']} {record.get('value') or ''}", None
            # an event's kind and status tell two events of alike words apart (matching.py)
            kind, status = "", ""
            if key == "event":
                kind, status = record.get("kind", ""), record.get("status", "occurred")
            records.append(
                KnownRecord(key, record["slug"], text, speaker, earliest, latest, kind, status)
            )
    return Known(people=people, topics=topics, places=places, records=tuple(records))


def interval(record: dict) -> tuple[datetime.date | None, datetime.date | None]:
    """A record's date interval as the code derives it: explicit ends, else the prefix's."""
    if record.get("date_interval_explicit"):
        earliest = record.get("date_earliest")
        latest = record.get("date_latest")
        return (
            datetime.date.fromisoformat(earliest) if earliest else None,
            datetime.date.fromisoformat(latest) if latest else None,
        )
    if not record.get("date"):
        return None, None
    earliest, latest, _ = parse_partial_date(record["date"])
    if record.get("end_date"):
        latest = parse_partial_date(record["end_date"])[1]
    return earliest, latest


ALLIANCES = {None, "nato", "eu", "un"}  # a topic word may name an alliance, not a country


def topic_words(description: str) -> list[str]:
    """The distinctive words of a topic's description: acronyms and capitalised names
    (ATACMS, Tomahawk, NATO), which name the topic on their own; a country's name or adjective
    ("Russian") names no topic, every article says it."""
    words = re.findall(r"\b[A-Z][\w-]{3,}\b", description)[1:]
    return sorted({word for word in words if country_of(word) in ALLIANCES})
