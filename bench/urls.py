"""The benchmark's URLs: the application's own, and each raw limit served as a plain Django view.

`/api/v1/limit/<n>/` answers with the body of the `n`th registered limit (bench/raw_limit.py):
one hand-written query and orjson, returned by a Django function view. It sits under /api/v1/,
so it passes through the same middleware as the API's answers (the request log, security and
CORS headers, the dataset version's query and ETag) and the same handler. The difference
between it and the raw limit is what serving any answer costs; the difference between it and
the API is what the API's own code costs (REST framework, filters, paging, the ORM).
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import include, path

from config.urls import handler400, handler404, handler500  # noqa: F401 (the root's handlers)

LIMITS: list[Callable[[], bytes]] = []


def register(limit: Callable[[], bytes]) -> str:
    """The address that serves `limit`'s answer."""
    LIMITS.append(limit)
    return f"/api/v1/limit/{len(LIMITS) - 1}/"


def served_limit(request, number: int) -> HttpResponse:
    return HttpResponse(LIMITS[number](), content_type="application/json")


urlpatterns = [
    path("api/v1/limit/<int:number>/", served_limit),
    path("", include("config.urls")),
]
