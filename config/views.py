"""Site-level views: JSON errors under /api/ for what no API view answers, the site's front door
(`/` and its favicon) and the JSON-LD context of the API."""

import math
import sys
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from config.api.exceptions import bad_request_reason

FAVICON = (Path(__file__).parent / "favicon.ico").read_bytes()

# schema.org is the vocabulary of every term the JSON-LD answers use; `@id` values and the
# article `url` are addresses, not text.
JSONLD_CONTEXT = {
    "@context": {
        "@vocab": "https://schema.org/",
        "url": {"@id": "https://schema.org/url", "@type": "@id"},
        "sameAs": {"@id": "https://schema.org/sameAs", "@type": "@id"},
        "eventStatus": {"@id": "https://schema.org/eventStatus", "@type": "@vocab"},
    }
}


def not_found(request, exception=None):
    """A JSON 404 under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": f"No API endpoint at {request.path[:200]!r}. See /api/docs/."}, status=404
        )
    return page_not_found(request, exception)


def bad_request(request, exception=None):
    """A JSON 400 under /api/ for what Django refuses before any view runs: a host not in
    ALLOWED_HOSTS, more query parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS, ..."""
    if request.path.startswith("/api/"):
        reason = bad_request_reason(exception) if exception else "Bad request."
        return JsonResponse({"detail": reason}, status=400)
    return defaults.bad_request(request, exception)


def waited_for_a_connection(error: BaseException | None) -> bool:
    """Whether the error is the database pool's timeout (no connection free within its wait),
    as psycopg_pool raises it or as Django wraps it."""
    while error is not None:
        if type(error).__name__ == "PoolTimeout":
            return True
        error = error.__cause__
    return False


def server_error(request):
    """A JSON 500 under /api/, Django's page elsewhere. Django has already logged the error with
    its traceback (the `django.request` logger); the answer says only that it happened.

    A request that found no free database connection in time (a burst past what the pool and
    the queue in front of it absorb, or the database down) is a 503 with `Retry-After`: the
    request was fine, the server busy."""
    if waited_for_a_connection(sys.exc_info()[1]):
        wait = math.ceil(settings.QUEUE_TIMEOUT / 2)
        response = JsonResponse(
            {"detail": "The server is busy: no database connection was free. Try again."},
            status=503,
        )
        response["Retry-After"] = str(wait)
        return response
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Internal server error. It has been logged; please try again later."},
            status=500,
        )
    return defaults.server_error(request)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request) -> HttpResponse:
    return HttpResponse(FAVICON, content_type="image/x-icon")


@require_safe
def jsonld_context(request) -> JsonResponse:
    """The JSON-LD context every `?format=jsonld` answer names."""
    return JsonResponse(JSONLD_CONTEXT, content_type="application/ld+json")
