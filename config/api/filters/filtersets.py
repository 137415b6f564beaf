"""The FilterSets every list's FilterSet starts from: any record's, and a dated record's."""

import copy
from functools import lru_cache

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from config.api.filters.dates import DATE_MATCHES, DateRangeFilter, TimestampFilter


class CopiedFilters(dict):
    """A FilterSet's filters that copy each filter rather than deep-copy it.

    django-filter deep-copies every declared filter for every request (their querysets,
    choices and options with them): most of the Python of a filtered list. A filter keeps no
    state of a request but its parent, its model and its form field, all set on the copy, so
    a copy of each filter and of its options (`extra`, which it writes into) is enough; a
    `method` is bound again, to the copy, as django-filter binds it to the filter it names.
    """

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, filter_ in self.items():
            copies[name] = clone = copy.copy(filter_)
            clone.extra = dict(filter_.extra)
            if filter_.method is not None:
                clone.method = filter_.method
        return copies


class RecordFilterSet(django_filters.FilterSet):
    """Base of every list's FilterSet: `updated_since`, for a mirror that polls."""

    updated_since = TimestampFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="ISO 8601 date or time (UTC unless an offset is given): keep records created "
        "or changed at or after it. Deletions are in /api/v1/changes/.",
    )

    def __init__(self, *args, **kwargs):
        # read by django-filter's __init__ for its copy of the filters (CopiedFilters)
        self.base_filters = CopiedFilters(type(self).base_filters)
        super().__init__(*args, **kwargs)
        del self.base_filters

    def get_form_class(self) -> type:
        """A form of the filters given a value and of those required, made once per FilterSet
        and set of names: a filter given nothing filters nothing, and cleaning the other dozen
        fields of every request (deep copies of their querysets and choices) was most of a
        filtered list's form work."""
        given = frozenset(self.data) if self.is_bound else frozenset(self.filters)
        names = tuple(
            name
            for name, filter_ in self.filters.items()
            if name in given or filter_.extra.get("required")
        )
        return _form_class(type(self), names)

    def filter_queryset(self, queryset: QuerySet, leave_out: frozenset = frozenset()) -> QuerySet:
        """The queryset filtered by every parameter given, but those in `leave_out`: a facet
        counts what one more value of its own parameter would add to the list
        (config.api.facets)."""
        for name, value in self.form.cleaned_data.items():
            if name not in leave_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


@lru_cache(maxsize=512)  # bounded: the names come from the query string
def _form_class(filterset_class: type, names: tuple[str, ...]) -> type:
    filters = filterset_class.base_filters
    fields = {name: filters[name].field for name in names}
    return type(f"{filterset_class.__name__}Form", (filterset_class._meta.form,), fields)


class DateRangeForm(forms.Form):
    """Refuses a date range that ends before it starts."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end[1] < start[0]:
            raise ValidationError({"date_to": "date_to is before date_from."})
        return cleaned


class DatedFilterSet(RecordFilterSet):
    """Base for the FilterSets of dated records: date_from / date_to over the date interval,
    matched as `date_match` says (config.api.filters.date_bound)."""

    date_from = DateRangeFilter(
        bound="from",
        help_text="Partial date (YYYY, YYYY-MM or YYYY-MM-DD): the range starts on its first "
        "day. By default keeps records whose whole date interval lies in the range "
        "(`date_match`).",
    )
    date_to = DateRangeFilter(
        bound="to",
        help_text="Partial date (YYYY, YYYY-MM or YYYY-MM-DD): the range ends on its last day "
        "(`date_to=2024` runs to 2024-12-31). By default keeps records whose whole date "
        "interval lies in the range (`date_match`).",
    )
    date_match = django_filters.ChoiceFilter(
        choices=DATE_MATCHES,
        method="keep",  # read by the two bounds (DateRangeFilter)
        empty_label=None,
        help_text="How `date_from` and `date_to` match a record's date interval: `within` (the "
        "default) keeps the records that certainly fall in the range, their whole interval "
        "inside it; `overlaps` adds those that may, their interval overlapping it (an open "
        "start, said before the report with no telling when, overlaps every earlier date).",
    )

    class Meta:
        form = DateRangeForm

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset
