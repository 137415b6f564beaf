"""Dataset releases: the database written out as fixture files, and a release merged back in.

After the first load the database is the record; `fixtures/` is a release of it.

- `fixture_rows()` reads records as the fixture fields that stand for them (natural keys, no
  derived columns), so the database, a release and the last release loaded compare field by
  field. It reads rows, not model instances through Django's serializer (the same
  fields), `BATCH` at a time, each batch's relations in one query per relation:
  no query sends more than a few thousand parameters, whatever the size of the dataset
  (PostgreSQL refuses more than 65,535).
- `export_release()` writes the database in the fixture layout (`release_files()` says which
  file each record belongs to, derived from the data alone), so that load then export changes
  nothing. It writes one file after the other, each file's records read when it is written:
  its memory holds one file (and a place for each person), whatever the size of the dataset.
- `plan_merge()` compares three versions of each record, the release's, the database's and the
  last release loaded (`ReleaseBaseline`), a batch of records at a time: what only the release
  changed is taken, what only an editor changed is kept, and a field both changed differently
  is a conflict. The plan counts its changes and conflicts and keeps the first few of each
  (statements.checks.Findings); what it writes and what it deletes wait in the release's
  tables. `apply_merge()` writes a plan in one transaction, a model and a batch at a time, each
  record as one version in its history, recorded as its batch ends, and undoes everything if
  any rule of the dataset breaks: the refusal counts the broken rules and shows the first few
  of each kind. Its memory holds a batch, whatever the number of records it writes or deletes.
"""

import datetime
import decimal
import hashlib
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TextIO

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, models, transaction
from django.db.models import Count, F
from django.db.models.functions import Collate
from django.db.models.signals import pre_save

from config.db.history import m2m_history, m2m_relations, one_version_each, record_versions
from config.db.search import vocabulary
from events.fixture_files import fixture_paths, read_fixture, write_fixture
from events.models import Event, LoadedRelease, Person, Place, ReleaseBaseline, Source, Topic
from events.signals import bump_dataset_version
from statements.checks import SHOWN, Findings, check_dataset
from statements.dataset import DATASET_MODELS
from statements.models import (
    Citation,
    Figure,
    Position,
    Statement,
    Wording,
    citation_slug,
    position_slug,
    wording_slug,
)

LABELS = {model._meta.label_lower: model for model in DATASET_MODELS}
# columns the code derives on save: a release never carries them
DERIVED = {"date_precision", "text_sha256", "speaker_names", "created_at", "updated_at"}
# a date interval is carried only where it was set by hand; otherwise the date derives it
INTERVAL = ("date_earliest", "date_latest", "date_interval_explicit")
RELATIONS = {
    Event: ["places", "participants", "topics"],
    Statement: ["speaker", "occasion", "about", "topics", "places"],
    Figure: ["place", "topics"],
    Citation: ["source", "statement", "event", "figure"],
    Wording: ["statement", "source"],
    Position: ["statement", "holder"],
}

Key = tuple[str, str]  # (model label, slug)
# records read, compared or written at a time: a batch's query sends at most this many keys
BATCH = 2_000
ENCODER = DjangoJSONEncoder()


def chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class ReleaseError(Exception):
    """A release that cannot be merged: conflicts to settle, or records that break a rule."""

    def __init__(self, message: str, lines: list[str]):
        super().__init__(message)
        self.lines = lines


# --------------------------------------------------------------------------------------------
# Reading the database and a release
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the fixture field
    lookup: str  # what values_list() reads for it: a relation's slug through a join
    field: models.Field


def _columns(model) -> list[Column]:
    """The columns a fixture object carries, in the order Django's serializer writes them
    (its concrete fields, then its many-to-many relations), derived columns left out."""
    columns = []
    for column in model._meta.concrete_model._meta.local_fields:
        if not column.serialize or column.name in DERIVED:
            continue
        lookup = f"{column.name}__slug" if column.is_relation else column.name
        columns.append(Column(column.name, lookup, column))
    return columns


def _plain(field: models.Field, value):
    """A column's value as the serializer's JSON gives it back: dates and times in ISO 8601,
    decimals as strings, JSON as it is, everything else as its text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.date | datetime.time | decimal.Decimal):
        return ENCODER.default(value)
    if isinstance(field, models.JSONField):
        return value
    return str(value)


def fixture_rows(model, queryset=None) -> Iterator[tuple[int, dict]]:
    """`model`'s records (or `queryset`'s, in its order) as (primary key, fixture fields):
    natural keys for relations, many-to-many relations as sorted natural keys, no derived
    columns, a date interval only where it was set by hand. The same fields Django's serializer
    gives (tests/test_release_rows.py holds them equal), read as rows: `BATCH` records at a
    time, each batch's many-to-many relations in one query per relation, with that batch's
    keys."""
    queryset = model.objects.order_by("slug") if queryset is None else queryset
    columns = _columns(model)
    many = [relation for relation in model._meta.local_many_to_many if relation.serialize]
    rows = queryset.values_list("pk", *(column.lookup for column in columns))
    for chunk in chunks(rows.iterator(chunk_size=BATCH)):
        pks = [row[0] for row in chunk]
        related = {relation.name: _related_slugs(relation, pks) for relation in many}
        for pk, *values in chunk:
            fields = {
                column.name: (
                    (None if value is None else [value])
                    if column.field.is_relation
                    else _plain(column.field, value)
                )
                for column, value in zip(columns, values, strict=True)
            }
            for relation in many:
                fields[relation.name] = related[relation.name].get(pk, [])
            _sort_relations(fields)
            if not fields.get("date_interval_explicit"):
                for name in INTERVAL:
                    fields.pop(name, None)
            yield pk, {"slug": fields["slug"]} | fields


def _related_slugs(field: models.ManyToManyField, pks: list[int]) -> dict[int, list[list[str]]]:
    """The natural keys a many-to-many relation gives each of the records `pks`."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    found = defaultdict(list)
    rows = through.objects.filter(**{f"{source}_id__in": pks})
    for pk, slug in rows.values_list(f"{source}_id", f"{target}__slug"):
        found[pk].append([slug])
    return found


def _sort_relations(fields: dict) -> None:
    """Many-to-many relations by slug, sorted: the same on every database and in every file."""
    for name, value in fields.items():
        if isinstance(value, list) and value and isinstance(value[0], list):
            fields[name] = sorted(value)


def fixture_objects(model, queryset=None) -> Iterator[dict]:
    """The fixture objects of `model`'s records (or of `queryset`'s)."""
    label = model._meta.label_lower
    for _pk, fields in fixture_rows(model, queryset):
        yield {"model": label, "fields": fields}


def _database_fields(keys: list[Key]) -> dict[Key, dict]:
    """The fixture fields of those of `keys` the database holds."""
    found = {}
    for label, group in itertools.groupby(sorted(keys), key=lambda key: key[0]):
        model = LABELS[label]
        slugs = [slug for _label, slug in group]
        for obj in fixture_objects(model, model.objects.filter(slug__in=slugs)):
            found[label, obj["fields"]["slug"]] = obj["fields"]
    return found


def _baseline_fields(keys: list[Key]) -> dict[Key, dict]:
    """The fields the last release loaded gave those of `keys` it held."""
    found = {}
    for label, group in itertools.groupby(sorted(keys), key=lambda key: key[0]):
        rows = ReleaseBaseline.objects.filter(model=label, key__in=[slug for _l, slug in group])
        found.update({(label, key): fields for key, fields in rows.values_list("key", "fields")})
    return found


class Release:
    """A release's records, read from its fixture files once into a table of this connection
    (`release_record`, temporary) and read back `BATCH` at a time: memory holds one file while
    it is read, and one batch after, whatever the size of the release. Use it as a context
    manager; the table goes with it.

    A merge's plan marks in the same table what it will write (`mark()`: the action, and the
    merged fields of an update), and the merge reads them back a model at a time (`changed()`).
    The records it deletes, which the release does not hold, wait in a second temporary table
    (`release_deletion`, `mark_deleted()`, read back by `deleted()`).
    """

    TABLE = "release_record"
    DELETIONS = "release_deletion"

    def __init__(self, directory: Path | None = None):
        self.directory = directory

    def __enter__(self) -> "Release":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.DELETIONS}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.TABLE} (n integer PRIMARY KEY, "
                "model varchar(60) NOT NULL, slug varchar(200) NOT NULL, fields text NOT NULL, "
                "action varchar(6), merged text, UNIQUE (model, slug))"
            )
            # a model's records in the release's order: what a merge writes, model by model
            cursor.execute(f"CREATE INDEX {self.TABLE}_model_n ON {self.TABLE} (model, n)")
            # in the order the plan marks them: a model's records by slug
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.DELETIONS} (n integer PRIMARY KEY, "
                "model varchar(60) NOT NULL, slug varchar(200) NOT NULL)"
            )
            cursor.execute(f"CREATE INDEX {self.DELETIONS}_model_n ON {self.DELETIONS} (model, n)")
        self.deletions = 0
        try:
            self._read()
        except BaseException:
            self._drop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self._drop()

    def _drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.DELETIONS}")

    def _read(self) -> None:
        """Every record of the release's files into the table, in the files' order."""
        count = 0
        for path in fixture_paths(self.directory):
            records = []
            for obj in read_fixture(path):
                if obj["model"] not in LABELS:
                    raise ReleaseError(f"{path.name}: unknown model {obj['model']!r}", [])
                fields = dict(obj["fields"])
                _sort_relations(fields)
                if not fields.get("slug"):
                    fields = {"slug": _slug_for_new(obj["model"], fields)} | fields
                records.append(((obj["model"], fields["slug"]), fields))
            seen = set()
            for key, _fields in records:
                if key in seen:
                    raise self._twice(path, key)
                seen.add(key)
            for chunk in chunks(records):
                rows = [
                    (count + n, label, slug, json.dumps(fields, ensure_ascii=False))
                    for n, ((label, slug), fields) in enumerate(chunk)
                ]
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.executemany(
                            f"INSERT INTO {self.TABLE} (n, model, slug, fields) "
                            "VALUES (%s, %s, %s, %s)",
                            rows,
                        )
                except IntegrityError:  # an earlier file holds one of these: which one
                    held = self._held([key for key, _fields in chunk])
                    raise self._twice(path, next(key for key, _f in chunk if key in held)) from None
                count += len(chunk)
        with connection.cursor() as cursor:
            # a temporary table has no statistics until it is analyzed: without them
            # PostgreSQL reads the whole table for each batch's lookup
            cursor.execute(f"ANALYZE {self.TABLE}")
        self.count = count

    @staticmethod
    def _twice(path: Path, key: Key) -> ReleaseError:
        return ReleaseError(f"{path.name}: {key[0]} {key[1]} is in the release twice", [])

    def _held(self, keys: Iterable[Key]) -> set[Key]:
        """Those of `keys` the release holds."""
        held = set()
        with connection.cursor() as cursor:
            for label, group in itertools.groupby(sorted(keys), key=itemgetter(0)):
                for chunk in chunks(slug for _label, slug in group):
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"SELECT slug FROM {self.TABLE} WHERE model = %s AND slug IN ({marks})",
                        [label, *chunk],
                    )
                    held.update((label, slug) for (slug,) in cursor.fetchall())
        return held

    def holds(self, label: str, slugs: list[str]) -> set[str]:
        """Those of `label`'s `slugs` the release holds."""
        return {slug for _label, slug in self._held((label, slug) for slug in slugs)}

    def batches(self) -> Iterator[list[tuple[Key, dict]]]:
        """The release's records, (key, fields), `BATCH` at a time, in the files' order."""
        for rows in self._pages("model, slug, fields", "", []):
            yield [((model, slug), json.loads(fields)) for _n, model, slug, fields in rows]

    def _pages(
        self, columns: str, where: str, params: list, table: str = TABLE
    ) -> Iterator[list[tuple]]:
        """The rows of `table` (n, then `columns`) that `where` keeps, `BATCH` at a time, in
        their order (the release's table: the files' order)."""
        after = -1
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"SELECT n, {columns} FROM {table} WHERE {where} n > %s "
                    f"ORDER BY n LIMIT {BATCH}",
                    [*params, after],
                )
                rows = cursor.fetchall()
                if not rows:
                    return
                after = rows[-1][0]
                yield rows

    def mark(self, writes: list[tuple[Key, str, dict | None]]) -> None:
        """Mark what a merge writes: each (key, "create" or "update", the fields an update
        writes; None: the release's own). A batch's creates are marked in one statement a
        model (a first load creates every record), its updates one by one."""
        creates = defaultdict(list)
        updates = []
        for (label, slug), action, merged in writes:
            if merged is None:
                creates[label, action].append(slug)
            else:
                updates.append((action, json.dumps(merged, ensure_ascii=False), label, slug))
        with transaction.atomic(), connection.cursor() as cursor:
            for (label, action), slugs in creates.items():
                marks = ", ".join(["%s"] * len(slugs))
                cursor.execute(
                    f"UPDATE {self.TABLE} SET action = %s WHERE model = %s AND slug IN ({marks})",
                    [action, label, *slugs],
                )
            if updates:
                cursor.executemany(
                    f"UPDATE {self.TABLE} SET action = %s, merged = %s "
                    "WHERE model = %s AND slug = %s",
                    updates,
                )

    def changed(self, label: str) -> Iterator[list[tuple[str, dict]]]:
        """The marked records of `label`, (slug, the fields to write), `BATCH` at a time, in
        the files' order."""
        marked = "model = %s AND action IS NOT NULL AND"
        for rows in self._pages("slug, COALESCE(merged, fields)", marked, [label]):
            yield [(slug, json.loads(fields)) for _n, slug, fields in rows]

    def mark_deleted(self, keys: list[Key]) -> None:
        """Mark records of the database, which the release does not hold, for deletion."""
        rows = [(self.deletions + n, label, slug) for n, (label, slug) in enumerate(keys)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.DELETIONS} (n, model, slug) VALUES (%s, %s, %s)", rows
            )
        self.deletions += len(rows)

    def deleted(self, label: str) -> Iterator[list[str]]:
        """The slugs of `label`'s records marked for deletion, `BATCH` at a time, in the order
        they were marked."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.DELETIONS}")  # as the release's table, once filled
        for rows in self._pages("slug", "model = %s AND", [label], self.DELETIONS):
            yield [slug for _n, slug in rows]

    def __len__(self) -> int:
        return self.count


def read_release(directory: Path | None = None) -> Release:
    """The release in `directory` (default fixtures/), to use as a context manager:
    `with read_release(directory) as release: plan_merge(release)`."""
    return Release(directory)


def release_digest(directory: Path | None = None) -> str:
    """SHA-256 over the release's files, names and bytes: the release's identity."""
    digest = hashlib.sha256()
    for path in fixture_paths(directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _slug_for_new(label: str, fields: dict) -> str:
    """A citation, wording or position added to a fixture by hand gets the slug the database
    would give it on creation (see their models' save())."""
    if label == "statements.citation":
        kind = next(name for name in ("statement", "event", "figure") if fields.get(name))
        return citation_slug(
            fields["source"][0], fields["start"], fields["end"], kind, fields[kind][0]
        )
    if label == "statements.wording":
        return wording_slug(fields["statement"][0], fields["source"][0])
    if label == "statements.position":
        return position_slug(fields["statement"][0], fields["issue"])
    raise ReleaseError(f"a {label} without a slug", [])


# --------------------------------------------------------------------------------------------
# Export: which file each record belongs to
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Merge: the release, the database and the last release loaded
# --------------------------------------------------------------------------------------------


@dataclass
class Conflict:
    model: str
    slug: str
    field: str
    database: object
    release: object

    def __str__(self) -> str:
        return (
            f"{self.model} {self.slug}: {self.field}: database {_show(self.database)}, "
            f"release {_show(self.release)}"
        )


CREATE, UPDATE, DELETE = "records to create", "records to update", "records to delete"


class MergePlan:
    """What a merge does: how many records it creates, updates and deletes, and the first
    `shown` of each (`changes`), its conflicts likewise (every one also written to `out`).
    The fields it writes and the keys of the records it deletes wait in the release's tables
    (`Release.mark()`, `Release.mark_deleted()`): memory holds neither, however large the
    release or the database."""

    def __init__(self, release: "Release", shown: int | None = SHOWN, out: TextIO | None = None):
        self.release = release
        self.changes = Findings(shown)
        self.conflicts = Findings(shown, out)

    def count(self, kind: str) -> int:
        return self.changes.counts.get(kind, 0)

    def summary(self) -> str:
        return (
            f"{self.count(CREATE)} to create, {self.count(UPDATE)} to update, "
            f"{self.count(DELETE)} to delete, {len(self.conflicts)} conflict(s)"
        )

    def lines(self) -> list[str]:
        """What the plan does, record by record: the first of each kind of change, then how
        many more, then its conflicts."""
        return self.changes.lines([CREATE, UPDATE, DELETE]) + self.conflicts.lines()

    def conflict(self, conflict: "Conflict") -> None:
        self.conflicts.add("conflicts", f"conflict {conflict}")

    def delete(self, keys: list[Key]) -> None:
        self.release.mark_deleted(keys)
        for label, slug in keys:
            self.changes.add(DELETE, f"delete {label} {slug}")


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


MISSING = object()


def plan_merge(
    release: Release,
    prefer: str | None = None,
    shown: int | None = SHOWN,
    out: TextIO | None = None,
) -> MergePlan:
    """Decide what merging `release` into the database does, changing nothing in the
    database: what it writes is marked in the release's table.

    `prefer` settles conflicts: "release" takes the release's value, "database" keeps the
    database's; with None, conflicts are only reported. The plan keeps the first `shown` of
    each kind of change and of the conflicts, and writes every conflict to `out`.
    """
    plan = MergePlan(release, shown, out)
    for batch in release.batches():  # the release's records, a batch at a time, in its order
        _plan_batch(plan, batch, prefer)
    # the database's records the release does not hold: removed, unless an editor made or
    # changed them since the last release
    for model in DATASET_MODELS:
        label = model._meta.label_lower
        slugs = model.objects.order_by("slug").values_list("slug", flat=True)
        for chunk in chunks(slugs.iterator(chunk_size=BATCH)):
            _plan_deletes(plan, label, chunk, prefer)
    return plan


# Each batch is planned in a function of its own, so that its records are let go before the
# next batch is read (a loop's variables would hold two batches at a time).


def _plan_batch(plan: MergePlan, batch: list[tuple[Key, dict]], prefer: str | None) -> None:
    """Plan a batch of the release's records; mark what it writes."""
    keys = [key for key, _fields in batch]
    current, baseline = _database_fields(keys), _baseline_fields(keys)
    writes = []
    for key, theirs in batch:
        write = _plan_record(plan, key, theirs, current.get(key), baseline.get(key), prefer)
        if write is not None:
            writes.append((key, *write))
    plan.release.mark(writes)


def _plan_deletes(plan: MergePlan, label: str, slugs: list[str], prefer: str | None) -> None:
    """Plan a batch of `label`'s records in the database: mark those the release no longer
    holds for deletion."""
    held = plan.release.holds(label, slugs)
    # an editor's own record (not in the last release) stays: only the others are read
    keys = [(label, slug) for slug in slugs if slug not in held]
    baseline = _baseline_fields(keys)
    current = _database_fields(list(baseline)) if baseline else {}
    deleted = []
    for key in (key for key in keys if key in baseline):
        if current[key] == baseline[key]:
            deleted.append(key)
        else:  # the release dropped a record an editor has changed since
            plan.conflict(Conflict(*key, "(record)", "changed", "removed"))
            if prefer == "release":
                deleted.append(key)
    plan.delete(deleted)


def _plan_record(
    plan: MergePlan, key: Key, theirs: dict, ours: dict | None, base: dict | None, prefer
) -> tuple[str, dict | None] | None:
    """Count in `plan` what merging the release's `theirs` into the database's `ours` does,
    given `base`, the last release's; return what to write, ("create", None: the release's
    fields) or ("update", the merged fields), or None."""
    if ours is None:
        if base is None:
            plan.changes.add(CREATE, f"create {key[0]} {key[1]}")
            return "create", None
        if theirs != base:  # an editor deleted what the release has changed since
            plan.conflict(Conflict(*key, "(record)", "deleted", "changed"))
            if prefer == "release":
                plan.changes.add(CREATE, f"create {key[0]} {key[1]}")
                return "create", None
        return None
    merged, taken = {}, []
    for name in dict.fromkeys([*ours, *theirs]):
        mine, new = ours.get(name, MISSING), theirs.get(name, MISSING)
        old = base.get(name, MISSING) if base is not None else MISSING
        if mine == new:
            merged[name] = mine
        elif base is not None and mine == old:
            merged[name] = new
            taken.append(name)
        elif base is not None and new == old:
            merged[name] = mine
        else:
            plan.conflict(Conflict(*key, name, _value(mine), _value(new)))
            merged[name] = new if prefer == "release" else mine
            if prefer == "release":
                taken.append(name)
    if not taken:
        return None
    plan.changes.add(UPDATE, f"update {key[0]} {key[1]}: {', '.join(taken)}")
    return "update", {k: v for k, v in merged.items() if v is not MISSING}


def _value(value):
    return None if value is MISSING else value


REFUSED = "records the release gives that cannot be written"


@transaction.atomic
def apply_merge(
    plan: MergePlan, reason: str, digest: str = "", errors: Findings | None = None
) -> None:
    """Write a plan: one version per record, all or nothing, and the release as the baseline
    (with its `digest`, what `load_dataset --if-empty` compares a release with). A database
    that holds records is written a batch at a time, each batch's versions recorded as it
    ends: memory holds one batch, whatever the number of records updated or deleted.

    What breaks a rule goes into `errors` (counted, a few of each kind kept: see Findings),
    and the merge is undone."""
    errors = Findings() if errors is None else errors
    ids = {model: SlugIds(model) for model in DATASET_MODELS}
    if not any(model.objects.exists() for model in DATASET_MODELS):
        # an empty database: the first load, in bulk
        _create_all(plan.release, ids, reason, errors)
        bump_dataset_version(DEFAULT_DB_ALIAS)  # bulk writes send no signal
    else:
        with one_version_each(reason=reason):
            for model in DATASET_MODELS:  # every model after the models it refers to
                label = model._meta.label_lower
                for batch in plan.release.changed(label):
                    for cache in ids.values():  # the keys one batch needs, not every key
                        cache.clear()
                    # read in one query per model, as a first load reads them
                    _look_up_relations(model, batch, ids)
                    ids[model].read(slug for slug, _fields in batch)
                    for slug, fields in batch:
                        try:
                            _write(model, fields, ids)
                        except (ValidationError, IntegrityError, KeyError) as error:
                            errors.extend(
                                REFUSED, (f"{label} {slug}: {msg}" for msg in _messages(error))
                            )
                    record_versions()
            for model in reversed(DATASET_MODELS):  # every model before those it refers to
                for slugs in plan.release.deleted(model._meta.label_lower):
                    model.objects.filter(slug__in=slugs).delete()
    check_dataset(errors)
    if errors:
        raise ReleaseError(
            f"the merge would break {len(errors)} rule(s); nothing changed", errors.lines()
        )
    ReleaseBaseline.objects.all().delete()
    for batch in plan.release.batches():
        ReleaseBaseline.objects.bulk_create(
            [
                ReleaseBaseline(model=label, key=slug, fields=fields)
                for (label, slug), fields in batch
            ],
            batch_size=BATCH,
        )
    LoadedRelease.objects.all().delete()
    LoadedRelease.objects.create(digest=digest)


class SlugIds(dict):
    """The primary keys of one model's records by slug, each read when first asked for: a
    merge touches a few records, and every slug of a million-record table would not fit."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def __missing__(self, slug: str) -> int:
        pk = self.model.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            raise KeyError(slug)
        self[slug] = pk
        return pk

    def read(self, slugs: Iterable[str]) -> None:
        """Read the primary keys of `slugs`, a query per `BATCH` of them."""
        for chunk in chunks(slugs):
            self.update(self.model.objects.filter(slug__in=chunk).values_list("slug", "pk"))

    def get(self, slug: str, default=None):
        try:
            return self[slug]
        except KeyError:
            return default


def _build(model, fields: dict, ids: dict, instance=None) -> tuple[models.Model, dict]:
    """Set a record's fields from its fixture fields; return it and its many-to-many ids.

    Relations are given by slug; `ids` maps each model's slugs to primary keys. The record is
    validated as the admin validates it, and its derived columns are filled.
    """
    instance = instance or model()
    relations = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            related = ids[field.related_model]
            relations[name] = [related[_slug_of(item)] for item in value]
        elif field.is_relation:
            related = ids[field.related_model]
            setattr(instance, field.attname, None if value is None else related[_slug_of(value)])
        else:
            setattr(instance, field.attname, field.to_python(value))
    if "date_interval_explicit" in {f.name for f in model._meta.fields}:
        instance.date_interval_explicit = bool(fields.get("date_interval_explicit"))
    # uniqueness and check constraints are the database's to refuse, when it is written
    instance.full_clean(validate_unique=False, validate_constraints=False)
    # what a save derives (date bounds, digests, search copies): bulk inserts send no signals
    pre_save.send(sender=model, instance=instance, raw=False, using=None, update_fields=None)
    return instance, relations


def _write(model, fields: dict, ids: dict) -> None:
    """Create or update one record, learning the primary key of a record it creates."""
    pk = ids[model].get(fields["slug"])
    existing = None if pk is None else model.objects.get(pk=pk)
    instance, relations = _build(model, fields, ids, existing)
    with transaction.atomic():
        instance.save()
        for name, values in relations.items():
            getattr(instance, name).set(values)
    ids[model][instance.slug] = instance.pk


def _create_all(release: Release, ids: dict, reason: str, errors: Findings) -> None:
    """Fill an empty database: each model `BATCH` records at a time, in bulk inserts, its
    history with it; a batch's relations are looked up in one query per related model."""
    for model in DATASET_MODELS:
        label = model._meta.label_lower
        for batch in release.changed(label):
            _look_up_relations(model, batch, ids)
            built = []
            for slug, fields in batch:
                try:
                    built.append(_build(model, fields, ids))
                except (ValidationError, KeyError) as error:
                    errors.extend(REFUSED, (f"{label} {slug}: {msg}" for msg in _messages(error)))
            if errors:
                continue  # every refused record of this model is reported; nothing is written
            try:
                with transaction.atomic():
                    _insert(model, built, reason)
            except IntegrityError as error:
                errors.extend(REFUSED, (f"{label}: {message}" for message in _messages(error)))
                return
        if errors:
            return  # later models would refer to records that are not there


def _look_up_relations(model, batch: list[tuple[str, dict]], ids: dict) -> None:
    """Read the primary keys of the records `batch` refers to into `ids`, each related model's
    in one query (forgetting the last batch's)."""
    wanted = defaultdict(set)
    for _slug, fields in batch:
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # refused as the record is built
            if not field.is_relation or value is None:
                continue
            items = value if field.many_to_many else [value]
            wanted[field.related_model].update(
                item[0] for item in items if isinstance(item, list) and len(item) == 1
            )
    for related, slugs in wanted.items():
        ids[related].clear()
        ids[related].read(slugs)


def _insert(model, built: list[tuple], reason: str) -> None:
    instances = [instance for instance, _relations in built]
    model.objects.bulk_create(instances, batch_size=BATCH)
    vocabulary.add_records(model, instances)  # what a save's signal would have added
    versions = model.history.bulk_history_create(
        instances, batch_size=BATCH, default_change_reason=reason
    )
    for name, _accessor, _target in m2m_relations(model):
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source_column, target_column = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = [
            through(**{f"{source_column}_id": instance.pk, f"{target_column}_id": pk})
            for instance, relations in built
            for pk in relations.get(name, [])
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
        history_model = m2m_history(model, field)
        version_of = {version.id: version for version in versions}
        history_model.objects.bulk_create(
            (
                history_model(
                    history=version_of[getattr(row, f"{source_column}_id")],
                    id=row.id,
                    **{
                        f"{source_column}_id": getattr(row, f"{source_column}_id"),
                        f"{target_column}_id": getattr(row, f"{target_column}_id"),
                    },
                )
                for row in rows
            ),
            batch_size=BATCH,
        )


def _slug_of(natural_key) -> str:
    if not isinstance(natural_key, list) or len(natural_key) != 1:
        raise ValidationError(f"{natural_key!r} is not a natural key: give it as [slug].")
    return natural_key[0]


def _messages(error: Exception) -> list[str]:
    if isinstance(error, KeyError):
        return [f"refers to {error.args[0]!r}, which is neither in the release nor the database"]
    if isinstance(error, IntegrityError):
        return [f"refused by the database: {error}"]
    if hasattr(error, "error_dict"):
        return [f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()]
    return error.messages


def merge_release(
    directory: Path | None = None, prefer: str | None = None, errors: Findings | None = None
) -> MergePlan:
    """Merge the release in `directory` (default fixtures/) into the database.

    Raises ReleaseError, changing nothing, when there are conflicts and no `prefer`, or when
    the result would break a rule of the dataset; `errors` says how many of each kind its
    message shows, and where every one is written (see Findings).
    """
    errors = Findings() if errors is None else errors
    with read_release(directory) as release:
        plan = plan_merge(release, prefer, errors.shown, errors.out)
        if plan.conflicts and prefer is None:
            raise ReleaseError(
                f"{len(plan.conflicts)} conflict(s) between the database and the release; "
                "nothing changed. Settle them with --prefer database or --prefer release.",
                plan.conflicts.lines(),
            )
        digest = release_digest(directory)
        apply_merge(plan, reason=f"release {digest[:12]}", digest=digest, errors=errors)
    return plan
