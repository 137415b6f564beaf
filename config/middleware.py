"""Middleware of the API paths: errors as JSON, and conditional GET from the dataset version."""

import hashlib
import logging

from django.http import JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from events.models import DatasetVersion

API_PREFIX = "/api/"
DATA_PREFIX = "/api/v1/"  # what the dataset version covers; the schema and docs pages get
# content-hash ETags from Django's ConditionalGetMiddleware instead
logger = logging.getLogger("parley.api")


class JSONClientErrorsMiddleware:
    """A 4xx under /api/ that Django itself produced (a path that matches no route, a request
    it refuses as malformed) is answered in the API's error shape, whatever DEBUG says: with
    DEBUG on, Django would otherwise answer its HTML debug page. REST framework's own answers
    are already in that shape and pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or not 400 <= response.status_code < 500
            or hasattr(response, "accepted_renderer")  # a REST framework answer
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        if response.status_code == 404:
            detail = f"No API endpoint at {request.path[:200]!r}. See /api/docs/."
        else:
            detail = response.reason_phrase or "Bad request."
            detail = f"{detail}."
        logger.info(
            "%s %s answered %s: %s",
            request.method,
            request.path[:200],
            response.status_code,
            detail,
        )
        replacement = JsonResponse({"detail": detail}, status=response.status_code)
        for header in ("Allow", "Access-Control-Allow-Origin", "Vary"):
            if header in response:
                replacement[header] = response[header]
        return replacement


class DatasetVersionMiddleware:
    """`ETag` and `Last-Modified` on every successful GET under /api/v1/, from the dataset version
    (one query by primary key), and a 304 to a conditional GET before any view runs.

    The ETag is the version and the representation asked for (path, query string, Accept):
    any write to the dataset, from any process, changes every ETag at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"} or not request.path.startswith(DATA_PREFIX):
            return self.get_response(request)
        row = DatasetVersion.objects.filter(pk=DatasetVersion.ROW).values_list(
            "version", "changed_at"
        )
        version, changed_at = row.first() or (0, None)
        representation = "\n".join(
            (str(version), request.get_full_path(), request.headers.get("Accept", ""))
        )
        etag = f'"{version}-{hashlib.sha256(representation.encode()).hexdigest()[:20]}"'
        last_modified = int(changed_at.timestamp()) if changed_at else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            response = not_modified
        else:
            response = self.get_response(request)
            if response.status_code != 200:
                return response
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        patch_vary_headers(response, ["Accept"])
        return response
