"""Facet counts over a filtered list: how many of its records have each value of a field.

Every count is the count the list itself would give with that value added as a filter, so a
client can show the counts and follow one as a link: `speaker` counts match `?speaker=<slug>`,
`kind` counts `?kind=<value>`, and a `month` count matches `?date_from=<month>&date_to=<month>`
(records whose date interval overlaps the month: a year-precise record counts in each month of
its year, so months may add up to more than `count`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from config.filters import given_params
from config.renderers import JSON_ONLY
from config.search import request_search, settle
from events.dates import parse_partial_date

MAX_MONTHS = 1200  # a century of months; a wider span is a data error, not a question


@dataclass(frozen=True)
class Facet:
    """One facet: its name (the list's filter parameter) and the model path it counts by.

    `related` facets count by a related record's slug and name (a foreign key or a
    many-to-many relation); the others by a field's value."""

    name: str
    path: str
    related: bool = False


def _months(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < MAX_MONTHS:
        start = datetime.date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        months.append((start, datetime.date(year, month, 1) - datetime.timedelta(days=1)))
    return months


def facet_counts(
    queryset: QuerySet,
    facets: list[Facet],
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> dict:
    """The facets of the records of `queryset`: one query for the total and the date span, one
    per facet and one for the months (only those from `date_from` to `date_to`, the range the
    list was asked for)."""
    # the filtered list as a subquery: its joins and DISTINCT cannot inflate a count
    records = queryset.model.objects.filter(pk__in=queryset.order_by().values("pk"))
    summary = records.aggregate(
        count=Count("pk"), first=Min("date_earliest"), last=Max("date_latest")
    )
    result: dict = {"count": summary["count"]}
    for facet in facets:
        if facet.related:
            slug, name = f"{facet.path}__slug", f"{facet.path}__name"
            rows = (
                records.filter(**{f"{facet.path}__isnull": False})
                .values_list(slug, name)
                .annotate(count=Count("pk", distinct=True))
                .order_by("-count", slug)
            )
            result[facet.name] = [
                {"slug": slug, "name": name, "count": count} for slug, name, count in rows
            ]
        else:
            # a record counts once per value, however many of its relations hold it (a
            # statement rejecting two issues counts once under `rejects`)
            rows = (
                records.filter(**{f"{facet.path}__isnull": False})
                .values_list(facet.path)
                .annotate(count=Count("pk", distinct=True))
                .order_by("-count", facet.path)
            )
            result[facet.name] = [{"value": value, "count": count} for value, count in rows]
    first = max(filter(None, [summary["first"], date_from]), default=None)
    last = min(filter(None, [summary["last"], date_to]), default=None)
    # records that all have an open start and no date_from: their months start at the last
    first = first or last
    months = _months(first, last) if summary["count"] and first and last else []
    overlaps = (
        records.aggregate(
            **{
                # an open start (null) may fall in any month up to its last day
                start.strftime("%Y-%m"): Count(
                    "pk",
                    filter=(Q(date_earliest__lte=end) | Q(date_earliest__isnull=True))
                    & Q(date_latest__gte=start),
                )
                for start, end in months
            }
        )
        if months
        else {}
    )
    result["month"] = [
        {"value": month, "count": count} for month, count in overlaps.items() if count
    ]
    return result


class ValueCountSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value, as the list's filter takes it.")
    count = serializers.IntegerField(help_text="Records of the list with that value.")


class SlugCountSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="Slug, as the list's filter takes it.")
    name = serializers.CharField(help_text="Display name.")
    count = serializers.IntegerField(help_text="Records of the list with that value.")


def facets_serializer(name: str, facets: list[Facet]) -> type[serializers.Serializer]:
    """The documented shape of a facets answer."""
    fields = {
        "count": serializers.IntegerField(help_text="Records matching the filters."),
        **{
            facet.name: (SlugCountSerializer if facet.related else ValueCountSerializer)(
                many=True,
                help_text=f"Counts by `{facet.name}`, largest first: each is the `count` of the "
                f"list with `{facet.name}=<value>` added.",
            )
            for facet in facets
        },
        "month": ValueCountSerializer(
            many=True,
            help_text="Counts by month (YYYY-MM), in date order: each is the `count` of the "
            "list with `date_from` and `date_to` set to that month (records whose date may "
            "fall in it, so a year-precise record counts in each month of its year).",
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
        queryset = self.filter_queryset(self.get_queryset())  # validates the parameters
        settle(queryset, request_search(request))  # a search falls back as its list does
        params = given_params(request)
        date_from = parse_partial_date(params["date_from"])[0] if "date_from" in params else None
        date_to = parse_partial_date(params["date_to"])[1] if "date_to" in params else None
        return Response(facet_counts(queryset, self.facet_fields, date_from, date_to))
