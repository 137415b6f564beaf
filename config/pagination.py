"""Page-number pagination that refuses bad page parameters instead of guessing."""

from django.core.paginator import InvalidPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

MAX_DIGITS = 9  # no dataset of ours has a billion pages; longer numbers are mistakes


def _positive_int(name: str, raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_DIGITS or int(raw) < 1:
        raise ValidationError(
            {
                name: [
                    f"{name} must be a whole number from 1 to {10**MAX_DIGITS - 1}, "
                    f"not {raw[:40]!r}."
                ]
            }
        )
    return int(raw)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: 20 items a page by default, at most 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = "Page number, from 1 (or `last`)."
    page_size_query_description = "Items per page, from 1 to 100 (default 20)."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _positive_int(self.page_size_query_param, raw)
        if size > self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"page_size may be at most {self.max_page_size}."]}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        raw = request.query_params.get(self.page_query_param, "1")
        number = (
            paginator.num_pages if raw in self.last_page_strings else _positive_int("page", raw)
        )
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise NotFound(
                f"page {number} does not exist: there are {paginator.num_pages} page(s) of "
                f"{page_size} item(s)."
            ) from error
        return list(self.page)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": "Number of records matching the query, over all pages.",
            "next": "Address of the next page, or null on the last page.",
            "previous": "Address of the previous page, or null on the first page.",
            "results": "The records of this page.",
        }
        for name, description in descriptions.items():
            paginated["properties"][name]["description"] = description
        return paginated
