"""What every part of a release shares (its models by label, the batch size, the error it
refuses with), and the database's records as fixture fields.

`fixture_rows()` reads records as the fixture fields that stand for them (natural keys, no
derived columns), so the database, a release and the last release loaded compare field by
field. It reads rows, not model instances through Django's serializer (the same fields), `BATCH`
at a time, each batch's relations in one query per relation: no query sends more than a few
thousand parameters, whatever the size of the dataset (PostgreSQL refuses more than 65,535).
"""

import datetime
import decimal
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from events.models import Event, ReleaseBaseline
from statements.dataset import DATASET_MODELS
from statements.models import Citation, Figure, Position, Statement, Wording

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
