"""Partial-date ranges and timestamps."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from config.db.dates import parse_partial_date


class PartialDateField(forms.CharField):
    """A partial date, YYYY, YYYY-MM or YYYY-MM-DD, cleaned to its (earliest, latest) interval."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("strip", False)  # " 2024" is not a date, as the schema says
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            earliest, latest, _precision = parse_partial_date(value)
        except ValueError as error:
            raise ValidationError(
                "%(reason)s", code="invalid_partial_date", params={"reason": str(error)}
            ) from error
        return earliest, latest


DATE_MATCHES = [
    ("within", "within: the whole interval inside the range (certainly in it)"),
    ("overlaps", "overlaps: the interval overlaps the range (may be in it)"),
]
DEFAULT_DATE_MATCH = "within"


def date_bound(bound: str, day: datetime.date, match: str) -> Q:
    """The records a range bound keeps: the one rule of date filters, for lists, counts,
    facets and the timeline alike.

    `within` (the default) keeps what certainly falls in the range, its whole interval inside
    it: `date_from` keeps a start on or after the day (an open start, "said before the report,
    no telling when", may be earlier, so it is left out), `date_to` an end on or before it.
    `overlaps` keeps what may fall in it: `date_from` an end on or after the day, `date_to` a
    start on or before it, or an open start, which may be that early.
    """
    if match == "overlaps":
        if bound == "from":
            return Q(date_latest__gte=day)
        return Q(date_earliest__lte=day) | Q(date_earliest__isnull=True)
    if bound == "from":
        return Q(date_earliest__gte=day)
    # an interval starts no later than it ends (Dated.clean): saying so bounds the start too,
    # so a range is read from the start's index, not from every record before its end
    return Q(date_latest__lte=day, date_earliest__lte=day)


class DateRangeFilter(django_filters.Filter):
    """One bound of the date range, `date_from` or `date_to`, a partial date: `date_from=2024-11`
    starts the range on 1 November 2024, `date_to=2024-11` ends it on 30 November. What the
    range keeps, by `date_match`, is `date_bound`'s rule."""

    field_class = PartialDateField

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound
        kwargs.setdefault("field_name", "date")  # documents it as the string field it bounds
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value is None:
            return qs
        earliest, latest = value
        day = earliest if self.bound == "from" else latest
        return qs.filter(date_bound(self.bound, day, date_match(self.parent)))


def date_match(filterset) -> str:
    """The `date_match` a FilterSet was given, or the default."""
    return filterset.form.cleaned_data.get("date_match") or DEFAULT_DATE_MATCH


def parse_timestamp(raw: str) -> datetime.datetime:
    """An ISO 8601 date or date and time, as an aware datetime (UTC when no offset is given)."""
    text = raw.strip()
    try:
        value = parse_datetime(text) if text.isascii() else None
        if value is None and text.isascii() and parse_date(text) is not None:
            value = datetime.datetime.combine(parse_date(text), datetime.time())
    except ValueError as error:  # well formed, but no such day or hour
        raise ValueError(f"{raw[:40]!r} is not a valid time: {error}.") from error
    if value is None:
        raise ValueError(
            f"{raw[:40]!r} is not an ISO 8601 time: use e.g. 2025-03-01 or 2025-03-01T12:00:00Z."
        )
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    try:
        # in UTC: PostgreSQL refuses some offsets Python accepts (+22:09)
        return value.astimezone(datetime.UTC)
    except OverflowError as error:
        raise ValueError(f"{raw[:40]!r} is out of range once in UTC.") from error


class TimestampField(forms.Field):
    def to_python(self, value):
        if not value:
            return None
        if len(value) > 40:
            raise ValidationError("A time is at most 40 characters long.")
        try:
            return parse_timestamp(value)
        except ValueError as error:
            raise ValidationError("%(reason)s", params={"reason": str(error)}) from error


class TimestampFilter(django_filters.Filter):
    field_class = TimestampField
