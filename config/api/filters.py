"""Filter pieces every app's FilterSets share: slugs, partial-date ranges, text search, ordering.

All of them validate before they touch the database, so bad input is a 400 naming the parameter
(a NUL byte or an over-long value never reaches a query).
"""

import copy
import datetime
import operator
from functools import lru_cache, reduce

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import In
from django.db.models.sql import Query
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError as APIValidationError

from config.api.params import PAGINATION_PARAMS, given_params, refuse_unknown
from config.db.dates import parse_partial_date
from config.db.ordering import list_order
from config.db.search import Search, SearchSyntaxError
from config.db.search import parse as parse_search
from config.db.slugs import SLUG_RE

COUNTRY_CODE_PATTERN = r"^[A-Za-z]{2}$"
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
# validators of plain-text filters, so that they refuse what the schema says they refuse
validate_slug_value = RegexValidator(SLUG_RE.pattern, "Not a slug (lowercase letters, digits, -).")
validate_country_code = RegexValidator(COUNTRY_CODE_PATTERN, "Not a two-letter country code.")
validate_language_tag = RegexValidator(LANGUAGE_TAG_PATTERN, "Not a language tag, e.g. en.")
MAX_SEARCH_LENGTH = 200


def checked_filters(view, request):
    """The view's FilterSet bound to the request, for a view that builds its own query from it
    (search, the timeline): checked as a list checks it, so bad input is a 400 naming it. Its
    queryset is not built; `filter_queryset` filters any queryset of the same columns."""
    backend = StrictDjangoFilterBackend()
    return backend.checked_filterset(request, view.get_queryset(), view, always=True)


def cleaned_filters(view, request) -> dict:
    """The view's filter values, cleaned (`checked_filters`)."""
    filterset = checked_filters(view, request)
    # a filter given no value has none (a FilterSet's form cleans only the filters given)
    return {name: filterset.form.cleaned_data.get(name) for name in filterset.base_filters}


def is_repeatable(filter_) -> bool:
    return isinstance(
        filter_,
        django_filters.MultipleChoiceFilter | django_filters.ModelMultipleChoiceFilter,
    )


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """Refuse query parameters the endpoint does not know, and single-valued parameters given
    twice, instead of silently ignoring them: `?speker=x` answering with every record, or
    `?ordering=-date&ordering=slug` quietly using one of the two, would be a wrong answer that
    looks right. Empty values count as absent (`given_params`)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.checked_filterset(request, queryset, view)
        return queryset if filterset is None else filterset.qs

    def checked_filterset(self, request, queryset, view, always: bool = False):
        """The view's FilterSet bound to the request's parameters, validated (a 400 names what
        is wrong). None when no filter is given and none is required, unless `always`: a
        FilterSet with no values is the queryset as is."""
        filterset_class = self.get_filterset_class(view, queryset)
        filters = filterset_class.base_filters if filterset_class else {}
        params = given_params(request)
        refuse_unknown(request, set(filters) | PAGINATION_PARAMS)
        repeated = sorted(
            name
            for name, values in params.lists()
            if len(values) > 1 and not (name in filters and is_repeatable(filters[name]))
        )
        if repeated:
            raise APIValidationError(
                {
                    name: [f"Given {len(params.getlist(name))} times; it takes one value."]
                    for name in repeated
                }
            )
        if filterset_class is None or (
            not always
            and not set(params) & set(filters)
            and not any(filter_.extra.get("required") for filter_ in filters.values())
        ):
            return None
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset

    def get_filterset_kwargs(self, request, queryset, view) -> dict:
        return {
            **super().get_filterset_kwargs(request, queryset, view),
            "data": given_params(request),
        }


class SlugMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Checks each value looks like a slug before asking the database whether it exists."""

    def clean(self, value):
        if not value and not self.required:
            # nothing given: no empty queryset to build for every slug filter of every request
            return []
        for item in value or []:
            if not SLUG_RE.match(item):
                # the value goes in params: the message is %-formatted later, and a value
                # holding "%" must not be read as a placeholder
                raise ValidationError(
                    "%(value)s is not a slug (lowercase letters, digits and hyphens).",
                    code="invalid_slug",
                    params={"value": repr(item[:60])},
                )
        return super().clean(value)

    def _check_values(self, value) -> list:
        """The records with these slugs, in one query of their keys alone: a filter needs
        nothing else of them (Django's own check builds whole, ordered records, and a queryset
        per value to test its type, which the slug pattern above has tested already)."""
        key = self.to_field_name or "pk"
        found = list(self.queryset.order_by().filter(**{f"{key}__in": set(value)}).only(key))
        keys = {str(getattr(record, key)) for record in found}
        for item in value:
            if str(item) not in keys:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return found


class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    """`?param=slug`, repeatable (`?param=a&param=b` matches either)."""

    field_class = SlugMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        return qs.filter(related_in(qs.model, self.field_name, list(value)))


def related_in(model, path: str, records: list) -> Q:
    """The condition "`path` leads to one of `records`", without a join in the outer query.

    Through a many-valued relation (topics, citations__source) it is a subquery on the
    relation's own table: a join would repeat a record once per match and need a DISTINCT,
    which sorts every matching row before the first page can be cut.
    """
    first, _, rest = path.partition(LOOKUP_SEP)
    field = model._meta.get_field(first)
    if field.many_to_many and not field.auto_created:  # a ManyToManyField of this model
        through = field.remote_field.through
        target = LOOKUP_SEP.join(filter(None, [field.m2m_reverse_field_name(), rest, "in"]))
        rows = through.objects.filter(**{target: records}).values(field.m2m_field_name())
    elif field.one_to_many:  # the other side of a foreign key (citations)
        target = LOOKUP_SEP.join([rest, "in"]) if rest else "pk__in"
        rows = field.related_model.objects.filter(**{target: records}).values(field.field.name)
    elif field.many_to_many:  # the other side of a ManyToManyField
        rows = model._base_manager.filter(**{f"{path}__in": records}).values("pk")
    else:  # a foreign key: one value per record, no subquery needed
        return Q(**{f"{path}__in": records})
    return Q(pk__in=rows)


def link_rows(queryset: QuerySet) -> QuerySet | None:
    """The rows of a relation's own table that stand one for one for the records of
    `queryset`, when its only condition is one slug filter's subquery (`related_in`) of a
    single value through links unique per (record, value), as a ManyToManyField's are.

    Counting them counts the list without looking each record up: `?topic=territory` counts
    the topic's link rows from their index, where counting the statements probed the table
    once per link. None when the list has any other condition (a search, a date, a second
    filter), several values (a record may be linked to more than one of them) or links that a
    record may hold twice (citations of one source): the list is counted as it is then.
    """
    query = queryset.query
    if query.distinct or query.combinator or query.where.negated:
        return None
    if sum(1 for count in query.alias_refcount.values() if count) != 1:
        return None  # a join: another table's condition
    children = query.where.children
    if len(children) != 1 or not isinstance(children[0], In):
        return None
    (condition,) = children
    inner = condition.rhs
    if (
        not isinstance(inner, Query)
        or getattr(condition.lhs, "target", None) != query.model._meta.pk
    ):
        return None
    links = inner.where.children
    if (
        len(inner.select) != 1
        or inner.where.negated
        or inner.distinct
        or len(links) != 1
        or not isinstance(links[0], In)
        or not isinstance(links[0].rhs, list | tuple)
        or len(links[0].rhs) != 1
        or sum(1 for count in inner.alias_refcount.values() if count) != 1
    ):
        return None
    column = inner.select[0].target
    if not column.is_relation or column.related_model is not query.model or column.null:
        return None  # each link must name one record of the list, which its key guarantees
    record, value = column.name, links[0].lhs.target.name
    unique = {frozenset(fields) for fields in inner.model._meta.unique_together} | {
        frozenset(constraint.fields) for constraint in inner.model._meta.total_unique_constraints
    }
    if frozenset((record, value)) not in unique:
        return None
    return QuerySet(model=inner.model, query=inner.chain()).order_by()


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


class SearchFilter(django_filters.CharFilter):
    """`?q=words`: every word must appear (case-insensitively) in one of the given fields.

    The fields are the record's own or reached through foreign keys, never through a
    many-valued relation, so no DISTINCT is needed.
    """

    def __init__(self, *args, search_fields: list[str], **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        for word in value.split() if value else []:
            matches = [Q(**{f"{field}__icontains": word}) for field in self.search_fields]
            qs = qs.filter(reduce(operator.or_, matches))
        return qs


SEARCH_HELP = (
    "Full-text search, best match first (unless `ordering` is given): English words match "
    'any form (`negotiate` finds negotiations); all words must match; `"a phrase"` in double '
    "quotes matches those words in a row; `OR` between two terms matches either; `-word` or "
    "`NOT word` leaves out records holding it; `word*` matches the words starting with it "
    "(`cease*`). Hyphenated, joined and spaced spellings meet (`cease-fire`, `ceasefire`, "
    "`cease fire`), every spelling of a speaker's name finds them (`Zelenskyy`), and a word "
    "of the synonym list finds its synonyms (`truce` finds ceasefire; `Kiev`, Kyiv), ranked "
    "after what matches as typed. When the text as typed finds nothing: a word one or two "
    "letters from a word of the index is corrected, and the answer's `suggestion` says what "
    "was searched for instead (`ceasfire` -> ceasefire); then other forms of its words are "
    "tried (`threats` finds threatened); then a question or a query of three words or more "
    "matches any of its words, most of them first, and the answer says `match: any`. Common "
    "words such as `the` are not indexed; a `NOT` with nothing after it is a 400."
)


class SearchQueryField(forms.CharField):
    """Search text, parsed into a SearchQuery; text with nothing to search for is refused."""

    def clean(self, value):
        value = super().clean(value)  # length, NUL bytes
        if not value:
            return None
        try:
            return parse_search(value)
        except SearchSyntaxError as error:
            raise ValidationError(
                "%(reason)s", code="invalid_search", params={"reason": str(error)}
            ) from error


class FullTextSearchFilter(django_filters.CharFilter):
    """`?q=`: ranked full-text search through the queryset's `search()` (config.db.search)."""

    field_class = SearchQueryField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        kwargs.setdefault("help_text", SEARCH_HELP)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value is None:
            return qs
        # one search a request: the paging, the facets and the download find it on the request
        # and make it fall back when the list finds nothing (config.db.search.plan), and every
        # queryset built from the same text (the facets build several) follows it
        request = self.parent.request if self.parent is not None else None
        search = getattr(request, "parley_search", None)
        if search is None or search.typed != value:
            search = Search(value)
            if request is not None:
                request.parley_search = search
        return qs.search(search)


class StableOrderingFilter(django_filters.OrderingFilter):
    """`?ordering=field` or `-field`; always ends in `id` so that pages are stable."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        if not all(value):
            raise APIValidationError({self.field_name: ["An empty field name in the ordering."]})
        fields = [
            self.ordering_expression(self.get_ordering_value(param), qs.model) for param in value
        ]
        return qs.order_by(*fields, "id")

    @staticmethod
    def ordering_expression(field: str, model):
        """A null (an open start, a missing value) sorts as the smallest value: first
        ascending, last descending, on every database (SQLite and PostgreSQL differ by
        default). Cursor paging compares the same way (`config.api.pagination`)."""
        return list_order(field.lstrip("-"), field.startswith("-"), model)


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
