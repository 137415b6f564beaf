"""Site-level views: JSON errors under /api/ for what no API view answers."""

from django.http import JsonResponse
from django.views import defaults
from django.views.defaults import page_not_found


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
        reason = _BAD_REQUEST_REASONS.get(type(exception).__name__, "Bad request.")
        return JsonResponse({"detail": reason}, status=400)
    return defaults.bad_request(request, exception)


_BAD_REQUEST_REASONS = {
    "DisallowedHost": "This server does not answer for the host named in the request.",
    "TooManyFieldsSent": "Too many query parameters.",
}


def server_error(request):
    """A JSON 500 under /api/, Django's page elsewhere. Django has already logged the error with
    its traceback (the `django.request` logger); the answer says only that it happened."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Internal server error. It has been logged; please try again later."},
            status=500,
        )
    return defaults.server_error(request)
