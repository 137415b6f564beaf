"""The orders of the lists, written once so that queries, the cursor walk and indexes agree.

A list sorts a null as the smallest value: an open start (null `date_earliest`: said before the
report, no telling when) comes first, as the earliest there is, on every database; PostgreSQL
would put NULLs last by default. An index serves an ORDER BY only when it sorts NULLs the same
way, so the models declare their indexes with these same expressions, as OrderIndex.
"""

from django.db import models
from django.db.models import F, OrderBy
from django.db.models.constants import LOOKUP_SEP


def list_order(name: str, descending: bool, model) -> OrderBy:
    """`name` as the lists order it: a null (an open start, a missing value) sorts as the
    smallest value, first ascending and last descending, on every database.

    A column that cannot be null is ordered without the NULLS modifier: PostgreSQL serves an
    ORDER BY from an index only when their NULL placements agree, and a plain index of a NOT
    NULL column (slug, id) places NULLs by default.
    """
    if not nullable(model, name):
        return F(name).desc() if descending else F(name).asc()
    return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_first=True)


def ordering_names(queryset) -> list[str]:
    """The names of the fields the queryset is ordered by (`date_earliest`, `search_rank`)."""
    names = []
    for item in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(item, str):
            names.append(item.lstrip("-"))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            names.append(item.expression.name)
    return names


def nullable(model, path: str) -> bool:
    """Whether the column at `path` (`slug`, `pk`, `statement__slug`) may hold a null. A name
    that is no field is an annotation: a search's rank, which every matching row has."""
    for name in path.split(LOOKUP_SEP):
        if name == "search_rank":
            return False
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if field.null:
            return True
        model = field.related_model or model
    return False


def date_order(descending: bool = False) -> OrderBy:
    """`date_earliest`, open starts first (or last, descending)."""
    if descending:
        return F("date_earliest").desc(nulls_last=True)
    return F("date_earliest").asc(nulls_first=True)


# The default order of every dated list, before its unique tiebreakers (slug, id)
DATE_ORDER = [date_order()]


class OrderIndex(models.Index):
    """An index on a list's order, NULLs placed as the order places them.

    SQLite refuses NULLS FIRST / NULLS LAST in CREATE INDEX, and sorts NULLs first ascending and
    last descending anyway: there the index is created without the modifiers.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = self.clone()
        plain.expressions = tuple(sqlite_order(expression) for expression in self.expressions)
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)


def sqlite_order(expression):
    if not isinstance(expression, OrderBy) or not (expression.nulls_first or expression.nulls_last):
        return expression
    sqlite_places_them = expression.nulls_last if expression.descending else expression.nulls_first
    if not sqlite_places_them:
        raise ValueError(f"SQLite cannot index {expression}: it sorts NULLs the other way")
    return OrderBy(expression.expression, descending=expression.descending)
