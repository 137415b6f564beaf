"""The filter backend every list uses, strict about the parameters it is given."""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import ValidationError as APIValidationError

from config.api.params import PAGINATION_PARAMS, given_params, refuse_unknown


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


def refusal(form) -> APIValidationError:
    """The 400 for a filter form's errors, each as Django words it (django-filter's
    `translate_validation`), and a choice that is not one of a fixed list names the list:
    `Select a valid choice. speaker is not one of the available choices. Allowed: date, -date,
    slug, -slug.` A record's slug is checked apart (config.api.filters.slugs)."""
    errors = {}
    for name, found in form.errors.as_data().items():
        field = form.fields.get(name)
        fixed = isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        )
        allowed = [str(value) for value, _label in field.choices if value] if fixed else []
        errors[name] = [
            ErrorDetail(
                error.message % (error.params or ())
                + (
                    f" Allowed: {', '.join(allowed)}."
                    if allowed and error.code == "invalid_choice"
                    else ""
                ),
                code=error.code,
            )
            for error in found
        ]
    return APIValidationError(errors)


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
            raise refusal(filterset.form)
        return filterset

    def get_filterset_kwargs(self, request, queryset, view) -> dict:
        return {
            **super().get_filterset_kwargs(request, queryset, view),
            "data": given_params(request),
        }
