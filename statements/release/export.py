"""The database written out as a release: `export_release()` writes it in the fixture layout
(`release_files()` says which file each record belongs to, derived from the data alone), so that
load then export changes nothing. It writes one file after the other, each file's records read
when it is written: its memory holds one file (and a place for each person), whatever the size
of the dataset.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path

from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import Collate

from events.fixture_files import write_fixture
from events.models import Event, Person, Place, Source, Topic
from statements.checks import check_dataset
from statements.models import Citation, Figure, Position, Statement, Wording
from statements.release.records import BATCH, ReleaseError, chunks, fixture_rows


def article_file(source: dict) -> str:
    """`000_2f07….txt` and slug `putin-…` make `000-putin-….json`; an ingested article (no
    seed file) makes `ingested-<slug>.json`."""
    if not source["seed_file"]:
        return f"ingested-{source['slug']}.json"
    return f"{source['seed_file'].split('_')[0]}-{source['slug']}.json"


def source_order(source: dict) -> tuple:
    """Seed files first, in their order; then ingested articles by slug."""
    return (not source["seed_file"], source["seed_file"] or "", source["slug"])


def export_release(directory: Path) -> list[Path]:
    """Write the database as a release into `directory`; return the files written.

    Refuses a database that breaks a rule of the dataset: a release is always sound. JSON files
    of an earlier release that the layout no longer produces are removed.
    """
    problems = check_dataset()
    if problems:
        raise ReleaseError(f"{len(problems)} problem(s) in the database", problems.lines())
    return write_release(directory)


def write_release(directory: Path) -> list[Path]:
    """Write the database in the fixture layout into `directory`, one file after the other,
    each as its records are read; remove the JSON files the layout no longer produces."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, objects in release_files():
        first = next(objects, None)
        if first is None:  # a file with nothing in it is not written
            continue
        write_fixture(directory / name, itertools.chain([first], objects))
        written.append(directory / name)
    for stale in set(directory.glob("*.json")) - set(written):
        stale.unlink()
    return written


def release_files() -> Iterator[tuple[str, Iterator[dict]]]:
    """Every file of the release, with its fixture objects in the order they are written; each
    file's objects are read when it is written, so that memory holds one file at a time.

    Topics, places and sources have a catalogue file each. A citation or a wording goes in its
    source's article file. A statement or figure goes in the article file of the first source
    that cites it (sources in `source_order`, then by the citation's start), and the positions
    coded from a statement go with it; an event or a person used by one article only goes in
    that article's file, and in `events.json` or `people.json` otherwise. Article files hold
    their records in the order the article first cites them; catalogue files sort by slug.
    """
    sources = sorted(Source.objects.values("pk", "slug", "seed_file"), key=source_order)
    rank = {source["pk"]: n for n, source in enumerate(sources)}
    people = defaultdict(dict)  # source pk -> {person pk: start} of the people of one article
    for person, (source, start) in _people_places(rank).items():
        if source is not None:
            people[source][person] = start
    in_articles = {person for placed in people.values() for person in placed}

    yield "topics.json", _objects(Topic, Topic.objects.order_by(_bytewise("slug")))
    yield "places.json", _objects(Place, Place.objects.order_by(_bytewise("slug")))
    everyone = fixture_rows(Person, Person.objects.order_by(_bytewise("slug")))
    yield (
        "people.json",
        (
            {"model": "events.person", "fields": fields}
            for pk, fields in everyone
            if pk not in in_articles
        ),
    )
    yield "sources.json", _objects_in_order(Source, [source["pk"] for source in sources])
    yield "events.json", _catalogue_events()
    for source in sources:
        yield article_file(source), _article(source["pk"], rank, people[source["pk"]])


def _bytewise(name: str):
    """A column to order by code point, as Python sorts, whatever the database's collation."""
    return Collate(name, "C") if connection.vendor == "postgresql" else F(name)


def _objects(model, queryset) -> Iterator[dict]:
    label = model._meta.label_lower
    return ({"model": label, "fields": fields} for _pk, fields in fixture_rows(model, queryset))


def _objects_in_order(model, pks: list[int]) -> Iterator[dict]:
    """The fixture objects of the records `pks`, in that order."""
    for chunk in chunks(pks):
        found = dict(fixture_rows(model, model.objects.filter(pk__in=chunk)))
        yield from ({"model": model._meta.label_lower, "fields": found[pk]} for pk in chunk)


def _first_citation(citations: Iterable[tuple], rank: dict[int, int]) -> tuple[int, int]:
    """(source pk, start) of the first of a record's citations, given as (…, source, start)."""
    _rank, start, source = min((rank[row[-2]], row[-1], row[-2]) for row in citations)
    return source, start


def _people_places(rank: dict[int, int]) -> dict[int, tuple[int | None, int | None]]:
    """Where each person who speaks in a statement or takes part in an event goes: person pk ->
    (source pk, earliest start) when every such record of theirs is in that source's article
    file, (None, None) when they go in `people.json`. One pass over the citations of
    statements, one over those of events; memory holds one entry per person."""
    where = {}

    def seen(person: int, source: int | None, start: int | None) -> None:
        if person not in where:
            where[person] = (source, start)
        elif source is None or where[person][0] != source:
            where[person] = (None, None)
        else:
            where[person] = (source, min(where[person][1], start))

    of_statements = (
        Citation.objects.filter(statement__isnull=False)
        .order_by("statement_id")
        .values_list("statement_id", "statement__speaker_id", "source_id", "start")
    )
    for (_statement, speaker), citations in itertools.groupby(
        of_statements.iterator(chunk_size=BATCH), key=itemgetter(0, 1)
    ):
        seen(speaker, *_first_citation(citations, rank))
    uncited = Statement.objects.filter(citations__isnull=True)
    for speaker in uncited.values_list("speaker_id", flat=True).distinct():
        seen(speaker, None, None)

    participants = Event.participants.through.objects
    of_events = (
        Citation.objects.filter(event__isnull=False)
        .order_by("event_id")
        .values_list("event_id", "source_id", "start")
    )
    places = (
        (event, _event_place(list(citations)))
        for event, citations in itertools.groupby(
            of_events.iterator(chunk_size=BATCH), key=itemgetter(0)
        )
    )
    for chunk in chunks(places):
        place_of = dict(chunk)
        rows = participants.filter(event_id__in=list(place_of))
        for event, person in rows.values_list("event_id", "person_id"):
            seen(person, *place_of[event])
    uncited = participants.filter(event__citations__isnull=True)
    for person in uncited.values_list("person_id", flat=True).distinct():
        seen(person, None, None)
    return where


def _event_place(citations: list[tuple]) -> tuple[int | None, int | None]:
    """(source pk, earliest start) of an event all of whose citations are in one source;
    (None, None), `events.json`, for one cited by several sources or by none."""
    if len({row[-2] for row in citations}) != 1:
        return None, None
    return citations[0][-2], min(row[-1] for row in citations)


def _catalogue_events() -> Iterator[dict]:
    """`events.json`: events no article or several cite, then statements and figures nobody
    cites, then the positions coded from those statements; each by slug."""
    single_source = (
        Event.objects.annotate(sources=Count("citations__source", distinct=True))
        .filter(sources=1)
        .values("pk")
    )
    by_slug = _bytewise("slug")
    yield from _objects(Event, Event.objects.exclude(pk__in=single_source).order_by(by_slug))
    yield from _objects(
        Statement, Statement.objects.filter(citations__isnull=True).order_by(by_slug)
    )
    yield from _objects(Figure, Figure.objects.filter(citations__isnull=True).order_by(by_slug))
    yield from _objects(
        Position, Position.objects.filter(statement__citations__isnull=True).order_by(by_slug)
    )


def _article(source: int, rank: dict[int, int], people: dict[int, int]) -> Iterator[dict]:
    """The records of one source's article file in their order: its people, events,
    statements, figures, citations, wordings and positions, each group in the order the
    article first cites them. Memory holds this one file."""
    entries = []  # (group, order, label, fields)

    def add(model, group: int, rows: Iterable[tuple[int, dict]], order) -> list[tuple]:
        rows = list(rows)
        label = model._meta.label_lower
        entries.extend((group, order(pk, fields), label, fields) for pk, fields in rows)
        return rows

    def by_pk(model, pks: Iterable[int]) -> Iterator[tuple[int, dict]]:
        for chunk in chunks(pks):
            yield from fixture_rows(model, model.objects.filter(pk__in=chunk))

    add(Person, 0, by_pk(Person, people), lambda pk, fields: (people[pk], fields["slug"]))
    placed = {kind: _placed_in(source, kind, rank) for kind in ("event", "statement", "figure")}
    add(Event, 1, by_pk(Event, placed["event"]),
        lambda pk, fields: (placed["event"][pk] or 0, fields["slug"]))  # fmt: skip
    statements = add(Statement, 2, by_pk(Statement, placed["statement"]),
                     lambda pk, fields: (placed["statement"][pk] or 0, fields["slug"]))  # fmt: skip
    add(Figure, 3, by_pk(Figure, placed["figure"]),
        lambda pk, fields: (placed["figure"][pk] or 0, fields["slug"]))  # fmt: skip
    add(Citation, 4, fixture_rows(Citation, Citation.objects.filter(source_id=source)),
        lambda pk, fields: (fields["start"], fields["end"], fields["slug"]))  # fmt: skip
    add(Wording, 5, fixture_rows(Wording, Wording.objects.filter(source_id=source)),
        lambda pk, fields: (0, fields["slug"]))  # fmt: skip
    start_of = {fields["slug"]: placed["statement"][pk] for pk, fields in statements}
    positions = (
        row
        for chunk in chunks(placed["statement"])
        for row in fixture_rows(Position, Position.objects.filter(statement_id__in=chunk))
    )
    add(Position, 6, positions,
        lambda pk, fields: (start_of[fields["statement"][0]], fields["slug"]))  # fmt: skip
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    return ({"model": label, "fields": fields} for _g, _o, label, fields in entries)


def _placed_in(source: int, kind: str, rank: dict[int, int]) -> dict[int, int | None]:
    """The records of `kind` (event, statement or figure) that go in `source`'s article file,
    with the start of their first citation there: those it cites whose first citation is its
    (for an event: that only it cites)."""
    cited_here = Citation.objects.filter(source_id=source, **{f"{kind}__isnull": False})
    citations = (
        Citation.objects.filter(**{f"{kind}_id__in": cited_here.values(f"{kind}_id")})
        .order_by(f"{kind}_id")
        .values_list(f"{kind}_id", "source_id", "start")
    )
    placed = {}
    for pk, rows in itertools.groupby(citations, key=itemgetter(0)):
        rows = list(rows)
        first, start = _event_place(rows) if kind == "event" else _first_citation(rows, rank)
        if first == source:
            placed[pk] = start
    return placed
