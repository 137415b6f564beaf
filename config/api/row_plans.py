"""A serializer's fields turned into one SQL select list and the function that shapes its rows.

The row readers (config.api.rows) read records with no second declaration of their shape: the
plan walks the serializer's readable fields, in order, and takes everything else from the
models' `_meta`:
- a model field is a column of the record's table (`source` names it), its value converted as
  the serializer field would write it (`_cell`: text, numbers, booleans, dates, timestamps);
- a nested serializer of a foreign key is a join (a LEFT JOIN when the key may be null, and
  then null when it is), its fields columns of the joined table;
- a nested list (`many=True`) of a many-to-many or reverse foreign key relation is one column:
  the related rows aggregated as JSON by the database (`json_list`), in the related model's
  `Meta.ordering`, as the ORM's prefetch orders them;
- a `RecordURLField` is the record's address, built from its slug (`Addresses`);
- a `HighlightField` is the search's highlight of the record;
- anything else (a `SerializerMethodField`, a value the model does not store, a decimal) is
  declared beside its serializer as a `RowField` in the serializer's `row_fields`; a field the
  plan cannot read is an ImproperlyConfigured naming it, when the reader is first used.

The SQL is made once per process and database vendor; the shaping is compiled once into one
function whose body is a dict display of the row's values (`Plan.source`), as fast as the
hand-written readers it replaced: a page of statements is shaped in some 0.15 ms.
"""

import datetime
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connection
from django.db.models import F, OrderBy
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from config.api.addresses import Addresses, RecordURLField
from config.db.search.fields import HighlightField

# shape(row, addresses, highlight) -> the serializer's dict of the row
Shape = Callable[[Sequence, Addresses, str | None], dict]

TEXT = frozenset({"CharField", "TextField", "SlugField"})
INTEGER = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)


@dataclass(frozen=True)
class RowField:
    """How the row reader reads a field it cannot derive from the model, declared beside the
    serializer: `row_fields = {"name": RowField(["length({table}.text)"], int)}`. `columns` are
    SQL expressions over the record's table (`{table}` is its alias in the query); `value` makes
    the field's value of theirs (it receives one argument per column, as the database, or its
    JSON in a nested list, hands them back)."""

    columns: Sequence[str]
    value: Callable[..., Any]


def iso_date(value) -> str | None:
    """A DateField as REST framework writes it (SQLite may hand back the stored text)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def iso_timestamp(value) -> str | None:
    """A DateTimeField as REST framework writes it in UTC: ISO 8601 ending in Z, microseconds
    only when there are some. SQLite stores UTC without an offset, as text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def stored_time(value) -> datetime.datetime | None:
    """A DateTimeField read by a raw query as the ORM reads it: aware, in UTC. PostgreSQL gives
    it so; SQLite keeps the naive UTC time, handed back parsed or as text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def _as_date(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def json_list(columns: list[str], source: str, order: str) -> str:
    """SQL for a JSON array (as text) holding one JSON array of `columns` per row of `source`
    (`FROM ... WHERE ...`, correlated with the outer record), in `order`."""
    if connection.vendor == "postgresql":
        return (
            f"(SELECT coalesce(json_agg(json_build_array({', '.join(columns)}) ORDER BY {order}), "
            f"'[]')::text FROM {source})"
        )
    # SQLite's aggregates take no ORDER BY before 3.44: aggregate an ordered subquery
    names = [f"c{number}" for number in range(len(columns))]
    inner = ", ".join(f"{column} AS {name}" for column, name in zip(columns, names, strict=True))
    return (
        f"(SELECT json_group_array(json_array({', '.join(names)})) "
        f"FROM (SELECT {inner} FROM {source} ORDER BY {order}))"
    )


@dataclass
class Plan:
    """A record's query less its WHERE clause: `columns` and `joins` after `FROM table alias`;
    `shape(row, addresses, highlight)` makes the serializer's dict of a row whose first values
    are those columns. `source` is the shaping's Python, compiled once: a dict display of the
    row's values, as fast as one written by hand."""

    table: str
    alias: str
    columns: list[str]
    joins: list[str]
    source: str
    shape: Shape

    def sql(self, *extra: str) -> str:
        """SELECT the columns, then `extra` (the row's last values), FROM the table and joins."""
        select = ", ".join([*self.columns, *extra])
        return " ".join([f"SELECT {select} FROM {self.table} {self.alias}", *self.joins])


def plan(serializer_class, model) -> Plan:
    """The plan of `serializer_class`'s records of `model`, for the default database's SQL."""
    aliases = (f"t{number}" for number in itertools.count())
    alias = next(aliases)
    select = _Select(aliases, {"loads": orjson.loads}, "row")
    expression = _shape(serializer_class(), model, alias, select, "highlight", optional=False)
    source = f"def shape(row, addresses, highlight):\n    return {expression}\n"
    namespace = select.namespace
    exec(compile(source, f"<rows of {serializer_class.__qualname__}>", "exec"), namespace)
    return Plan(
        _quote(model._meta.db_table),
        alias,
        select.columns,
        select.joins,
        source,
        namespace["shape"],
    )


class _Select:
    """The select list and joins of one FROM: the record's query, or a nested list's subquery,
    whose rows are the list's JSON items. The shaping's Python names a row `row` (`item` in a
    nested list) and the objects it calls by their names in `namespace`."""

    def __init__(self, aliases: Iterator[str], namespace: dict, row: str):
        self.columns: list[str] = []
        self.joins: list[str] = []
        self.aliases = aliases  # unique across the whole query
        self.namespace = namespace
        self.row = row

    def value(self, sql: str) -> str:
        """The Python of a row's value of the column `sql` (added to the select list once)."""
        if sql not in self.columns:
            self.columns.append(sql)
        return f"{self.row}[{self.columns.index(sql)}]"

    def name(self, thing: Callable) -> str:
        """The name of `thing` in the shaping's Python."""
        name = f"_{len(self.namespace)}"
        self.namespace[name] = thing
        return name


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(alias: str, field) -> str:
    return f"{alias}.{_quote(field.column)}"


def _shape(serializer, model, alias: str, select: _Select, highlight: str, optional: bool) -> str:
    """The Python of the dict of `serializer`'s readable fields, in order, of a `model` record
    under `alias`; `highlight`: the Python of its highlight (`None` for a nested record);
    `optional`: the record is LEFT JOINed, so tables joined to it must be too."""
    hooks = getattr(serializer, "row_fields", {})
    items = [
        f"{name!r}: {_value(field, hooks.get(name), model, alias, select, highlight, optional)}"
        for name, field in serializer.fields.items()
        if not field.write_only
    ]
    return "{" + ", ".join(items) + "}"


def _value(field, hook: RowField | None, model, alias, select: _Select, highlight, optional) -> str:
    """The Python of one field's value."""
    if hook is not None:
        values = [select.value(sql.replace("{table}", alias)) for sql in hook.columns]
        return f"{select.name(hook.value)}({', '.join(values)})"
    if isinstance(field, HighlightField):
        return highlight
    if isinstance(field, RecordURLField) and field.lookup_field == "slug":
        slug = select.value(_column(alias, _model_field(field, model, "slug")))
        return f"addresses({field.view_name!r}, {slug})"
    if isinstance(field, serializers.ListSerializer):
        return _nested_list(field, model, alias, select)
    if isinstance(field, serializers.BaseSerializer):
        return _nested_record(field, model, alias, select, optional)
    model_field = _model_field(field, model, field.source)
    if model_field.is_relation:
        raise _unreadable(field, "a relation is read through a nested serializer")
    value = select.value(_column(alias, model_field))
    convert = _cell(field, model_field)
    if convert is None:
        return value
    call = f"{select.name(convert)}({value})"
    return call if not model_field.null else f"(None if {value} is None else {call})"


def _nested_record(field, model, alias: str, select: _Select, optional: bool) -> str:
    """A nested serializer of a foreign key: the related table joined, null when the key is."""
    key = _model_field(field, model, field.source)
    if not (key.concrete and (key.many_to_one or key.one_to_one)):
        raise _unreadable(field, "a nested record is read through a foreign key of the record")
    related = key.related_model
    _check_model(field, field, related)
    joined = next(select.aliases)
    optional = optional or key.null
    select.joins.append(
        f"{'LEFT JOIN' if optional else 'JOIN'} {_quote(related._meta.db_table)} {joined} "
        f"ON {_column(joined, key.target_field)} = {_column(alias, key)}"
    )
    shape = _shape(field, related, joined, select, "None", optional)
    if not key.null:
        return shape
    return f"(None if {select.value(_column(alias, key))} is None else {shape})"


def _nested_list(field, model, alias: str, select: _Select) -> str:
    """A nested list (`many=True`): the related rows as one JSON column, each row an item."""
    if select.row != "row":
        raise _unreadable(field, "a list nested in a nested list is not read as rows")
    relation = _model_field(field, model, field.source)
    related = relation.related_model
    if relation.one_to_many:  # a reverse foreign key: the related rows point at the record
        key = relation.field
        inner = next(select.aliases)
        source = f"{_quote(related._meta.db_table)} {inner}"
        where = f"{_column(inner, key)} = {_column(alias, key.target_field)}"
        tied = key.column  # the same in every item: no use in the ordering
    elif relation.many_to_many:
        # a forward field's rel, or the reverse relation itself, holds the through model
        rel = relation.remote_field if relation.concrete else relation
        names = [rel.field.m2m_field_name(), rel.field.m2m_reverse_field_name()]
        owner, target = [rel.through._meta.get_field(name) for name in names][
            :: 1 if relation.concrete else -1
        ]
        link, inner = next(select.aliases), next(select.aliases)
        source = (
            f"{_quote(rel.through._meta.db_table)} {link} "
            f"JOIN {_quote(related._meta.db_table)} {inner} "
            f"ON {_column(inner, target.target_field)} = {_column(link, target)}"
        )
        where = f"{_column(link, owner)} = {_column(alias, owner.target_field)}"
        tied = None
    else:
        raise _unreadable(field, "a nested list is read through a to-many relation")
    child = field.child
    _check_model(field, child, related)
    items = _Select(select.aliases, select.namespace, "item")
    shape = _shape(child, related, inner, items, "None", optional=False)
    sql = json_list(
        items.columns,
        " ".join([source, *items.joins, "WHERE", where]),
        _order(related, inner, tied),
    )
    return f"[{shape} for item in loads({select.value(sql)})]"


def _order(model, alias: str, tied: str | None) -> str:
    """ORDER BY of a nested list: the model's `Meta.ordering` (as the ORM's prefetch orders it),
    less the column `tied` that is the same for all its items."""
    terms = []
    for item in model._meta.ordering or ["pk"]:
        if isinstance(item, str):
            name, descending, nulls = item.lstrip("-"), item.startswith("-"), ""
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
            nulls = " NULLS FIRST" if item.nulls_first else " NULLS LAST" if item.nulls_last else ""
        else:
            name = ""
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is None or not field.concrete or (field.is_relation and name != field.attname):
            raise ImproperlyConfigured(
                f"{model.__name__}'s ordering {item!r} is not read as rows: order nested "
                "records by their own columns"
            )
        if field.column != tied:
            terms.append(f"{_column(alias, field)}{' DESC' if descending else ''}{nulls}")
    return ", ".join(terms or [_column(alias, model._meta.pk)])


def _cell(field, model_field) -> Callable | None:
    """How a column's value, as the database (or its JSON, in a nested list) hands it back,
    becomes what the serializer field writes; None when it already is. REST framework's own
    fields over the usual columns are done here directly; any other field writes the value the
    model would hold."""
    kind = model_field.get_internal_type()
    writes = type(field).to_representation
    if kind in TEXT:
        if writes in (
            serializers.CharField.to_representation,
            serializers.ChoiceField.to_representation,
        ):
            return None
        python = None
    elif kind in INTEGER:
        if writes is serializers.IntegerField.to_representation:
            return None
        python = None
    elif kind == "BooleanField":
        # SQLite hands back 0 and 1, and so does its JSON
        if writes is serializers.BooleanField.to_representation:
            return bool
        python = bool
    elif kind == "DateField":
        if writes is serializers.DateField.to_representation and _iso(field, "DATE_FORMAT"):
            return iso_date
        python = _as_date
    elif kind == "DateTimeField":
        if (
            writes is serializers.DateTimeField.to_representation
            and _iso(field, "DATETIME_FORMAT")
            and settings.TIME_ZONE == "UTC"
        ):
            return iso_timestamp
        python = stored_time
    else:
        raise _unreadable(field, f"its column is a {kind}, which rows do not read")
    represent = field.to_representation
    if python is None:
        return represent
    return lambda value: represent(python(value))


def _iso(field, setting: str) -> bool:
    written = getattr(field, "format", getattr(api_settings, setting))
    return isinstance(written, str) and written.lower() == ISO_8601


def _model_field(field, model, name: str):
    if name == "*":
        raise _unreadable(field, "it is made of the whole record, not of a column")
    if "." in name:
        raise _unreadable(field, f"its source {name!r} is not a field of {model.__name__}")
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        raise _unreadable(field, f"{model.__name__} has no field {name!r}") from None


def _check_model(field, serializer, model) -> None:
    """A nested `serializer` (`field`, or the child of the list `field`) of a ModelSerializer
    must be of the related model."""
    declared = getattr(getattr(serializer, "Meta", None), "model", None)
    if declared is not None and declared is not model:
        raise _unreadable(field, f"it serializes {declared.__name__}, not {model.__name__}")


def _unreadable(field, reason: str) -> ImproperlyConfigured:
    owner = type(field.parent).__name__ if field.parent is not None else "?"
    return ImproperlyConfigured(
        f"{owner}.{field.field_name} is not read as rows: {reason}. Declare it in "
        f"{owner}.row_fields (config.api.row_plans.RowField)."
    )
