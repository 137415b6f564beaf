"""Filters by related records' slugs, and the relation's rows that count a list filtered so."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import In
from django.db.models.sql import Query
from django.urls import NoReverseMatch

from config.api.addresses import route
from config.db.slugs import SLUG_RE


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
        found = records_with(self.queryset, key, sorted(set(value)))
        keys = {str(getattr(record, key)) for record in found}
        for item in value:
            if str(item) not in keys:
                near = self.near(str(item)) if key == "slug" else []
                hint = f" Did you mean {' or '.join(near)}?" if near else self.listed()
                raise ValidationError(
                    self.error_messages["invalid_choice"] + hint,
                    code="invalid_choice",
                    params={"value": item},
                )
        return found

    def listed(self) -> str:
        """Where the records this filter takes are listed, with their slugs."""
        model = self.queryset.model
        try:
            where = route(f"api:{model._meta.model_name}-list")
        except NoReverseMatch:
            return ""
        return f" The {model._meta.verbose_name_plural} are listed at {where}."

    def near(self, slug: str, most: int = 3) -> list[str]:
        """Slugs of the records a slug that names none may have meant: those holding it
        (`putin` for `vladimir-putin`, `ceasefire` for `ceasefire-terms`), shortest first."""
        if len(slug) < 3:
            return []
        held = self.queryset.order_by().filter(slug__contains=slug).values_list("slug", flat=True)
        return sorted(held[:50], key=lambda found: (len(found), found))[:most]


def records_with(queryset: QuerySet, key: str, values: list) -> list:
    """The records of `queryset` whose field `key` is one of `values`, holding their primary key
    and that field alone, as `.filter(key__in=values).only(key)` gives them.

    Every filtered list asks this of each slug it is given. For a whole table (every slug
    filter's queryset) it is one plain query, whose SQL the ORM would otherwise build again for
    each request: some 100 µs of a filtered list's few hundred of Python. Any other queryset
    goes through the ORM."""
    model, query = queryset.model, queryset.query
    if key == "pk" or query.where or query.is_sliced or query.extra or query.annotations:
        return list(queryset.order_by().filter(**{f"{key}__in": values}).only(key))
    pk, field = model._meta.pk, model._meta.get_field(key)
    connection = connections[queryset.db]
    name = connection.ops.quote_name
    columns = sorted([pk, field], key=model._meta.concrete_fields.index)  # as from_db reads
    listed = ", ".join(name(column.column) for column in columns)
    marks = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {listed} FROM {name(model._meta.db_table)} "
            f"WHERE {name(field.column)} IN ({marks})",
            [field.get_db_prep_value(value, connection) for value in values],
        )
        rows = cursor.fetchall()
    names = [column.attname for column in columns]
    return [model.from_db(queryset.db, names, row) for row in rows]


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
