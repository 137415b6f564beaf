"""Ordering that keeps pages stable."""

import django_filters
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError as APIValidationError

from config.db.ordering import list_order


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
