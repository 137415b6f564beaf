"""Middleware of the API paths: errors as JSON, and conditional GET from the dataset version."""

import hashlib
import logging
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.exceptions import Throttled

from config.api.throttling import AnonRateThrottle
from events.models import DatasetVersion

API_PREFIX = "/api/"
DATA_PREFIX = "/api/v1/"  # what the dataset version covers; the schema and docs pages get
# content-hash ETags from Django's ConditionalGetMiddleware instead
logger = logging.getLogger("parley.api")
CACHE_PREFIX = "response:"
MAX_CACHED_BYTES = 2_000_000
KEPT_HEADERS = ("Content-Type", "Link", "Allow", "ETag")


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

    The ETag is the version (its number and time) and the representation asked for (scheme,
    host, path, query string, Accept): any write to the dataset, from any process, changes every
    ETag at once. A record's detail keeps the ETag its view gave it, the record's own version
    (config.api.preconditions), which If-Match compares and If-None-Match is answered against.
    With `PARLEY_RESPONSE_CACHE_SECONDS` set, whole answers (not the streamed bulk downloads)
    are also kept in the cache under their ETag, so a repeated request costs that one query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"} or not request.path.startswith(DATA_PREFIX):
            return self.get_response(request)
        version, changed_at = DatasetVersion.current()
        representation = "\n".join(
            (
                str(version),
                changed_at.isoformat() if changed_at else "",
                # the scheme and host too: an answer's links are absolute, built from them
                request.build_absolute_uri(),
                request.headers.get("Accept", ""),
            )
        )
        etag = f'"{version}-{hashlib.sha256(representation.encode()).hexdigest()[:20]}"'
        last_modified = int(changed_at.timestamp()) if changed_at else None
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = self.cached(etag) if request.method == "GET" else None
        if response is not None:
            # answered without the view, and so without the view's throttle: counted here
            throttled = self.throttled(request)
            if throttled is not None:
                return throttled
        else:
            response = self.get_response(request)
            if response.status_code != 200:
                return response
            if request.method == "GET":
                self.keep(etag, response)
        own = response.get("ETag")  # a record's own version, set by its view
        if own is None:
            response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        patch_vary_headers(response, ["Accept"])
        if own is not None and response.status_code == 200:
            # a conditional GET of a record is answered against the record's own version
            response = get_conditional_response(
                request, etag=own, last_modified=last_modified, response=response
            )
        return response

    @staticmethod
    def throttled(request) -> JsonResponse | None:
        throttle = AnonRateThrottle()
        if throttle.allow_request(request, None):
            return None
        wait = throttle.wait()
        response = JsonResponse({"detail": str(Throttled(wait).detail)}, status=429)
        if wait is not None:
            response["Retry-After"] = str(math.ceil(wait))
        return response

    @staticmethod
    def cached(etag: str) -> HttpResponse | None:
        if not settings.PARLEY_RESPONSE_CACHE_SECONDS:
            return None
        try:
            kept = cache.get(CACHE_PREFIX + etag)
        except Exception:  # a cache that is down slows answers; it must not fail them
            logger.exception("response cache unreachable")
            return None
        if kept is None:
            return None
        response = HttpResponse(kept["content"])
        for name, value in kept["headers"].items():
            response[name] = value
        return response

    @staticmethod
    def keep(etag: str, response) -> None:
        if (
            not settings.PARLEY_RESPONSE_CACHE_SECONDS
            or response.streaming
            or len(response.content) > MAX_CACHED_BYTES
        ):
            return
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        try:
            cache.set(
                CACHE_PREFIX + etag,
                {"content": response.content, "headers": headers},
                settings.PARLEY_RESPONSE_CACHE_SECONDS,
            )
        except Exception:  # as above: the answer is good without its cached copy
            logger.exception("response cache unreachable")
