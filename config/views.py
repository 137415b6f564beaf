"""Site-level views: JSON errors under /api/ for what no API view answers, the site's front door
(`/` and its favicon) and the JSON-LD context of the API."""

from pathlib import Path

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


def server_error(request):
    """A JSON 500 under /api/, Django's page elsewhere. Django has already logged the error with
    its traceback (the `django.request` logger); the answer says only that it happened."""
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
