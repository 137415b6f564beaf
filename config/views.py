"""Site-level views: JSON errors for API paths that match no route."""

from django.http import JsonResponse
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    """A JSON 404 under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": f"No API endpoint at {request.path[:200]!r}. See /api/docs/."}, status=404
        )
    return page_not_found(request, exception)
