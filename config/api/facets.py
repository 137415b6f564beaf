"""Facet counts over a filtered list: what the list would hold with one more value.

Every count is the `count` the list itself answers with that value added to its query, so a
client can show the counts and follow one as a link:

- a parameter not given (`?topic=territory`, facet `speaker`): the records of the list that
  hold the value, what `&speaker=<slug>` answers;
- a parameter already given (facet `topic`): adding a value widens the list (either value
  matches), so a count is the list's own plus the records only that value adds; the values
  given count the list as it is;
- `issue` and `stance` hold of one and the same position, as in the list: under
  `?issue=territory` a stance counts the statements with a position on territory of that stance;
- `month`: the list with `date_from` and `date_to` set to the month (the first and last months
  of a range asked by the day keep its bounds), under the list's `date_match`. By default
  (`within`) a record counts in the month its whole interval lies in, and a year-precise record
  or an open start in none; with `overlaps` it counts in every month it may fall in. Months run
  over the data's span, from the first day any record is known to start to the last day one
  may end, within the range asked; a month that counts nothing is left out.

A facets answer has a time budget (`PARLEY_FACETS_TIME_LIMIT_MS`, 350 ms by default) for its
queries, run one after the other, each within what is left of it: the total and the months
first, then the facets of parameters not given, then those given (which count a wider list). A
query that cannot finish in time is cancelled by the database (PostgreSQL's `statement_timeout`,
SQLite's progress handler), its facet answers `null` and is named in `timed_out`, as are those
left no time. Every count given is exact; a
count is never estimated. (Datasette's `facet_time_limit_ms` does the same: no filter
combination can make a facets page the server's most expensive request.)

An answer with counts left out is counted again in the background, with a larger budget
(`PARLEY_FACETS_BACKGROUND_LIMIT_MS`, a minute), and kept for the dataset version it counted
(config.api.completion): the answer says `complete_later: true`, and the same request asked
again later, before any write, is answered complete from what was kept, with `timed_out` empty
(unless even that budget was not enough). `complete_later` is false when nothing is being
completed: the answer is complete, or the process's few places for background counts
(`PARLEY_FACETS_BACKGROUND_QUEUE`) are taken. An answer with counts left out carries
`Cache-Control: no-store`: no cache keeps it in place of the complete one.
"""

import datetime
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api.completion import completion_key, completions, dataset_version
from config.api.filters import StrictDjangoFilterBackend, date_match
from config.api.params import given_params
from config.api.renderers import JSON_ONLY
from config.db.router import read_connection
from config.db.search import request_search, settle


@dataclass(frozen=True)
class Facet:
    """One facet: its name (the list's filter parameter) and the model path it counts by.

    `related` facets count by a related record's slug and name (a foreign key or a
    many-to-many relation); the others by a field's value. `joint` names another facet whose
    parameter must hold of the same related row (a position's issue and its stance)."""

    name: str
    path: str
    related: bool = False
    joint: str = ""


def records_of(queryset: QuerySet) -> QuerySet:
    """The records of a filtered list, as a subquery: its joins and DISTINCT cannot inflate a
    count, and its ordering is dropped. A list with no filter is the table itself: its counts
    need no subquery."""
    if not queryset.query.where:
        return queryset.model.objects.all()
    return queryset.model.objects.filter(pk__in=queryset.order_by().values("pk"))


def facet_counts(filterset, facets: list[Facet], limit_ms: int) -> dict:
    """The facets of the list a validated FilterSet answers: one query for the total and the
    months, one per facet, and one for the names of the records a slug parameter was given,
    within `limit_ms` milliseconds (see the module)."""
    listed = filterset.qs
    records = records_of(listed)
    given = filterset.form.cleaned_data
    budget = Budget(limit_ms / 1000)
    spans = budget.run(lambda: month_spans(records))
    if spans is None:  # without the total no facet can be told
        names = ["count", *(facet.name for facet in facets), "month"]
        return dict.fromkeys(names) | {"timed_out": names}
    total = sum(count for _start, _end, count in spans)
    result: dict = {"count": total}
    timed_out = []
    paths = {facet.name: facet.path for facet in facets}
    # a given parameter's facet counts the list without it: usually the widest, so the last
    for facet in sorted(facets, key=lambda facet: bool(given.get(facet.name))):
        entries = budget.run(lambda facet=facet: facet_entries(filterset, facet, paths, total))
        result[facet.name] = entries
        if entries is None:
            timed_out.append(facet.name)
    result["month"] = month_counts(spans, given, date_match(filterset))
    names = [facet.name for facet in facets]
    result = {name: result[name] for name in ["count", *names, "month"]}  # the declared order
    result["timed_out"] = sorted(timed_out, key=names.index)
    return result


def facet_entries(filterset, facet: Facet, paths: dict, total: int) -> list[dict]:
    """One facet's entries, largest count first (see the module)."""
    listed = filterset.qs
    records = records_of(listed)
    given = filterset.form.cleaned_data
    chosen = list(given.get(facet.name) or [])
    joint = {}
    if facet.joint and given.get(facet.joint):
        joint = {f"{paths[facet.joint]}__in": list(given[facet.joint])}
    if chosen:
        # what the list without this parameter holds beyond the list: each value adds its
        # part of it (filter_queryset leaves out the parameter, and the one it is joint with)
        wider = filterset.filter_queryset(
            filterset.queryset.all(), frozenset({facet.name, facet.joint} - {""})
        )
        counted = records_of(wider).exclude(pk__in=listed.order_by().values("pk"))
    else:
        counted = records
    entries = value_counts(counted, facet, joint)
    if chosen:
        for entry in entries:
            entry["count"] += total
        entries += [entry | {"count": total} for entry in chosen_entries(chosen, facet)]
    entries.sort(key=lambda entry: (-entry["count"], entry_key(entry)))
    return entries


def value_counts(records: QuerySet, facet: Facet, joint: dict) -> list[dict]:
    """How many of `records` hold each value of the facet: one query. A record counts once per
    value, however many of its relations hold it (two positions rejecting, one statement)."""
    # the condition and the values in one filter() and one values(): they share the join, so a
    # joint parameter holds of the same related row as the value counted
    held = records.filter(**{f"{facet.path}__isnull": False}, **joint)
    counted = Count("pk", distinct=repeats(records.model, facet.path))
    if facet.related:
        slug, name = f"{facet.path}__slug", f"{facet.path}__name"
        rows = held.values_list(slug, name).annotate(count=counted).order_by()
        return [{"slug": slug, "name": name, "count": count} for slug, name, count in rows]
    rows = held.values_list(facet.path).annotate(count=counted).order_by()
    return [{"value": value, "count": count} for value, count in rows]


def repeats(model, path: str) -> bool:
    """Whether a record may reach one value of `path` by more than one row: only through a
    one-to-many step (a statement's positions). A foreign key gives one value, and a
    many-to-many relation's links are unique, so there the count needs no DISTINCT (which
    makes the database sort or hash every row it counts)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.one_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


class Budget:
    """The time a facets answer may spend in its queries, run one after the other: each may
    take what is left."""

    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def run(self, count: Callable[[], list]) -> list | None:
        """What `count` answers, or None when it could not finish in the time left."""
        left = self.deadline - time.monotonic()
        if left < 0.001:
            return None
        try:
            with time_limit(left):
                return count()
        except QueryTimedOut:
            return None


class QueryTimedOut(Exception):
    """The database cancelled a query at its time limit."""


@contextmanager
def time_limit(seconds: float):
    """Queries inside the block are cancelled by the database after `seconds` in all: raises
    QueryTimedOut, and the connection stays usable (on PostgreSQL, a savepoint). The limit is
    set on the connection the counts read through: a read replica's, when one is configured."""
    connection = read_connection()
    if connection.vendor == "postgresql":
        # a transaction of its own, or a savepoint in the caller's: a cancelled query aborts it
        nested = connection.in_atomic_block
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)",
                    [str(max(1, round(seconds * 1000)))],
                )
                before = cursor.fetchone()[0]
                yield
                if nested:  # the setting would last to the end of the caller's transaction
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [before])
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == "57014":  # query_canceled
                raise QueryTimedOut from error
            raise
    elif connection.vendor == "sqlite":
        deadline = time.monotonic() + seconds
        connection.ensure_connection()
        sqlite = connection.connection
        sqlite.set_progress_handler(lambda: time.monotonic() > deadline, 5_000)
        try:
            yield
        except OperationalError as error:
            if str(error) == "interrupted":
                raise QueryTimedOut from error
            raise
        finally:
            sqlite.set_progress_handler(None, 0)
    else:
        yield


def chosen_entries(chosen: list, facet: Facet) -> list[dict]:
    """The entries of the values the list was given: records for a slug filter (their names
    read in one query: the filter checked their slugs alone), else values."""
    if not facet.related:
        return [{"value": value} for value in chosen]
    model = type(chosen[0])
    rows = model.objects.filter(pk__in=[record.pk for record in chosen]).values_list("slug", "name")
    return [{"slug": slug, "name": name} for slug, name in rows]


def entry_key(entry: dict) -> str:
    return entry.get("slug", entry.get("value"))


def month_spans(records: QuerySet) -> list[tuple]:
    """The records counted by the months their interval starts and ends in, (first month or
    None for an open start, last month, count): one query, whatever the number of months."""
    rows = (
        records.annotate(start=TruncMonth("date_earliest"), end=TruncMonth("date_latest"))
        .values_list("start", "end")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return [(as_date(start), as_date(end), count) for start, end, count in rows]


def as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):  # SQLite's truncation, on some versions
        return value.date()
    return value


def month_counts(spans: list[tuple], given: dict, match: str) -> list[dict]:
    """Each month's count from the months the records start and end in (see the module)."""
    if not spans:
        return []
    starts = [start for start, _end, _count in spans if start is not None]
    first = min(starts) if starts else min(end for _start, end, _count in spans)
    last = max(end for _start, end, _count in spans)
    if given.get("date_from"):
        first = max(first, given["date_from"][0].replace(day=1))
    if given.get("date_to"):
        last = min(last, given["date_to"][1].replace(day=1))
    # a record adds its count from its first month and takes it away after its last
    changes: dict[datetime.date, int] = {}
    for start, end, count in spans:
        if match == "overlaps":
            start, end = max(start or first, first), min(end, last)
        elif start != end:
            continue  # within: only a record whose whole interval lies in one month
        if start > end:
            continue
        changes[start] = changes.get(start, 0) + count
        after = next_month(end)
        changes[after] = changes.get(after, 0) - count
    counts, running, month = [], 0, first
    while month <= last:
        running += changes.get(month, 0)
        if running:
            counts.append({"value": month.strftime("%Y-%m"), "count": running})
        month = next_month(month)
    return counts


def next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


class ValueCountSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value, as the list's filter takes it.")
    count = serializers.IntegerField(
        help_text="The `count` of the list with this value added to its query."
    )


class SlugCountSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="Slug, as the list's filter takes it.")
    name = serializers.CharField(help_text="Display name.")
    count = serializers.IntegerField(
        help_text="The `count` of the list with this value added to its query."
    )


def facets_serializer(name: str, facets: list[Facet]) -> type[serializers.Serializer]:
    """The documented shape of a facets answer."""
    late = " Null when its count could not finish in the time allowed (`timed_out`)."
    fields = {
        "count": serializers.IntegerField(
            allow_null=True, help_text="Records matching the filters." + late
        ),
        **{
            facet.name: (SlugCountSerializer if facet.related else ValueCountSerializer)(
                many=True,
                allow_null=True,
                help_text=f"Counts by `{facet.name}`, largest first: each is the `count` of the "
                f"list with `{facet.name}=<value>` added to its query (given already, a value "
                "widens the list: either matches)." + late,
            )
            for facet in facets
        },
        "month": ValueCountSerializer(
            many=True,
            allow_null=True,
            help_text="Counts by month (YYYY-MM), in date order: each is the `count` of the "
            "list with `date_from` and `date_to` set to that month, under its `date_match` "
            "(by default, records whose whole interval lies in the month). Months run over the "
            "data's span, inside the range asked; months that count nothing are left out." + late,
        ),
        "timed_out": serializers.ListField(
            child=serializers.CharField(),
            help_text="The counts (`count`, a facet's name, `month`) the database could not "
            "finish in the time a facets answer is given (PARLEY_FACETS_TIME_LIMIT_MS): those "
            "are null, every other count is exact. See `complete_later`, or narrow the filters.",
        ),
        "complete_later": serializers.BooleanField(
            help_text="True when the counts named in `timed_out` are being counted in the "
            "background, with more time: the same request, asked again in a few seconds (up to "
            "a minute on a large dataset), answers them all with `timed_out` empty, until the "
            "next change to the dataset. False when there is nothing to complete, or no room "
            "to complete it now (asking again may find some)."
        ),
    }
    return type(name, (serializers.Serializer,), fields)


class FacetsMixin:
    """Adds `GET <list>/facets/`, taking the list's own filters; the viewset sets
    `facet_fields`."""

    facet_fields: list[Facet]

    @extend_schema(filters=True)
    @action(detail=False, pagination_class=None, renderer_classes=JSON_ONLY)
    def facets(self, request, *args, **kwargs):
        # validated as the list validates them: a 400 names a bad parameter
        filterset = StrictDjangoFilterBackend().checked_filterset(
            request, self.get_queryset(), self, always=True
        )
        version = getattr(request, "dataset_version", None)  # read by the middleware
        if version is None:
            version = dataset_version()
        key = completion_key(request.path, given_params(request), version)
        completed = cache.get(key)
        if completed is not None:
            return Response(completed)
        # a search falls back as its list does; every queryset of the facets shares that search
        settle(filterset.qs, request_search(request))
        answer = facet_counts(filterset, self.facet_fields, settings.FACETS_TIME_LIMIT_MS)
        if not answer["timed_out"]:
            return Response(answer | {"complete_later": False})
        limit_ms = settings.FACETS_BACKGROUND_LIMIT_MS
        answer["complete_later"] = completions.add(
            key, version, lambda: facet_counts(filterset, self.facet_fields, limit_ms)
        )
        return Response(answer, headers={"Cache-Control": "no-store"})
