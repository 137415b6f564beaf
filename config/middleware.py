"""Middleware of the API paths: errors as JSON, and conditional GET from the dataset version;
the limit on admin logins per client; the Content-Security-Policy header, built once; and the
admin's messages, set up outside the API only."""

import hashlib
import logging
import math
import threading
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as BaseMessageMiddleware
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.middleware import http
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from rest_framework.exceptions import Throttled

from config.api.export import STREAMED
from config.api.pagination import PageNumberPagination, ParleyPagination
from config.api.throttling import AnonRateThrottle, LoginRateThrottle
from events.models import DatasetVersion

API_PREFIX = "/api/"
DATA_PREFIX = "/api/v1/"  # what the dataset version covers; the schema and docs pages get
# content-hash ETags from ConditionalGetMiddleware (Django's) instead
logger = logging.getLogger("parley.api")
# one editor's work in progress, behind a token: never answered from the dataset version nor
# kept (the version does not change when a candidate is reviewed, and a kept answer would be
# served to anyone)
PRIVATE_PREFIXES = ("/api/v1/candidates/", "/api/v1/ingest/")
# the answers kept under the earlier prefix carry ETags of the earlier digest of a record's body
# (config.api.preconditions): a write would refuse them until they expired
CACHE_PREFIX = "response:2:"
# parameters given their default value in a paged list, which ask for the same answer as no
# parameter at all (page 1 and paging=page are the defaults only without a cursor)
DEFAULT_PAGE_SIZE = ("page_size", str(PageNumberPagination.page_size))
DEFAULT_PAGE = {("page", "1"), ("paging", "page")}
KEPT_HEADERS = ("Content-Type", "Link", "Allow", "ETag")
# the request headers a conditional answer depends on: with none of them (most requests),
# Django's get_conditional_response() returns the answer it is given as it is
CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# the Last-Modified of the dataset's version, written once per version rather than per answer
last_modified_header = lru_cache(maxsize=16)(http_date)
# what django-csp's view decorators (csp_exempt, csp_update, csp_replace, csp) set on an answer
OWN_POLICY = tuple(
    f"_csp_{part}{mode}"
    for part in ("exempt", "config", "update", "replace")
    for mode in ("", "_ro")
)


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


class ContentTypeMiddleware:
    """Every answer with a body says what it is: REST framework drops the `Content-Type` of
    an answer whose rendering is empty (an NDJSON page with no records), and a client cannot
    tell an empty NDJSON page from a broken one without it. Only 204 and 304 have none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        renderer = getattr(response, "accepted_renderer", None)
        if (
            renderer is not None
            and "Content-Type" not in response
            and response.status_code not in {204, 304}
        ):
            charset = f"; charset={renderer.charset}" if renderer.charset else ""
            response["Content-Type"] = (
                f"{response.accepted_media_type or renderer.media_type}{charset}"
            )
        return response


class DatasetVersionMiddleware:
    """`ETag` and `Last-Modified` on every successful GET under /api/v1/, from the dataset version
    (one query by primary key), and a 304 to a conditional GET before any view runs.

    The ETag is the version (its number and time) and the representation asked for (scheme,
    host, path, query string, Accept): any write to the dataset, from any process, changes every
    ETag at once. A record's detail keeps the ETag its view gave it, the record's own version
    (config.api.preconditions), which If-Match compares and If-None-Match is answered against.
    With `PARLEY_RESPONSE_CACHE_SECONDS` set, whole answers (not the streamed bulk downloads)
    are also kept in the cache under their ETag, so a repeated request costs that one query.
    An answer marked `Cache-Control: no-store` by its view gets neither ETag nor a place in the
    cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in {"GET", "HEAD"}
            or not request.path.startswith(DATA_PREFIX)
            or request.path.startswith(PRIVATE_PREFIXES)
        ):
            return self.get_response(request)
        version, changed_at = DatasetVersion.current()
        request.dataset_version = version  # a download's file name carries it (config.api.export)
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
        # whole answers kept (PARLEY_RESPONSE_CACHE_SECONDS): the key resolves the path again
        caching = request.method == "GET" and bool(settings.PARLEY_RESPONSE_CACHE_SECONDS)
        key = cache_key(request, version, changed_at) if caching else ""
        last_modified = int(changed_at.timestamp()) if changed_at else None
        asks = conditional(request)
        response = (
            get_conditional_response(request, etag=etag, last_modified=last_modified)
            if asks
            else None
        )
        if response is None:
            response = self.cached(key) if caching else None
        if response is not None:
            # answered without the view, and so without the view's throttle: counted here
            throttled = self.throttled(request)
            if throttled is not None:
                return throttled
        else:
            response = self.get_response(request)
            if response.status_code != 200:
                return response
            if "no-store" in response.get("Cache-Control", ""):
                # an answer to give once (facets whose counts are still being completed): not
                # kept, and without the validators a conditional GET would be answered 304 from
                return response
            if caching:
                self.keep(key, response)
        own = response.get("ETag")  # a record's own version, set by its view
        if own is None:
            response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = last_modified_header(last_modified)
        patch_vary_headers(response, ["Accept"])
        if own is not None and response.status_code == 200 and asks:
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
    def cached(key: str) -> HttpResponse | None:
        if not settings.PARLEY_RESPONSE_CACHE_SECONDS:
            return None
        try:
            kept = cache.get(key)
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
    def keep(key: str, response) -> None:
        if (
            not settings.PARLEY_RESPONSE_CACHE_SECONDS
            or response.streaming
            or len(response.content) > settings.RESPONSE_CACHE_MAX_BYTES
        ):
            return
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        try:
            cache.set(
                key,
                {"content": response.content, "headers": headers},
                settings.PARLEY_RESPONSE_CACHE_SECONDS,
            )
        except Exception:  # as above: the answer is good without its cached copy
            logger.exception("response cache unreachable")


def conditional(request) -> bool:
    """Whether the request has a conditional header (If-None-Match, If-Modified-Since...)."""
    meta = request.META
    return any(meta.get(name) for name in CONDITIONAL_HEADERS)


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's: an ETag from the content for an answer without one (the schema, the docs
    pages), and a 304 to a conditional GET. A request without a conditional header skips the
    comparison (the answer's Last-Modified parsed again, the request's headers read), which
    would return the answer unchanged."""

    def process_response(self, request, response):
        if request.method != "GET" or conditional(request):
            return super().process_response(request, response)
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        return response


def canonical_query(query_string: str, paged: bool) -> str:
    """The query string in one spelling for every way of asking the same question: parameters
    sorted by name (each one's values kept in their order, which `ordering` reads) and, in a
    paged list, those given their default value dropped. `?ordering=-date&page_size=20&q=x` and
    `?q=x&ordering=-date` are one answer in the cache, not two."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if paged:
        defaults = {DEFAULT_PAGE_SIZE}
        if all(name != "cursor" for name, _ in pairs):
            defaults |= DEFAULT_PAGE
        pairs = [pair for pair in pairs if pair not in defaults]
    pairs.sort(key=lambda pair: pair[0])  # stable: a parameter's values keep their order
    return urlencode(pairs)


def paged_list(request) -> bool:
    """Whether the request's view pages its answer the lists' way (config.api.pagination)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    if (getattr(view, "actions", None) or {}).get("get") != "list":
        return False  # a record, or another action
    view_class = getattr(view, "cls", None)
    initkwargs = getattr(view, "initkwargs", {})
    paginator = initkwargs.get("pagination_class", getattr(view_class, "pagination_class", None))
    return isinstance(paginator, type) and issubclass(paginator, ParleyPagination)


def may_stream(request) -> bool:
    """Whether the request asks for a format whose list is streamed whole without a page
    parameter (config.api.export), as the negotiation will read it: `?format=`, the format's
    address (`statements.csv`) or the Accept header. Its page parameters then ask for another
    answer even at their defaults: `?format=csv&page=1` is a page, `?format=csv` every record."""
    formats = {renderer.format for renderer in STREAMED}
    accept = request.headers.get("Accept", "")
    return (
        request.GET.get("format") in formats
        or request.path_info.rpartition(".")[2] in formats
        or any(renderer.media_type in accept for renderer in STREAMED)
    )


def cache_key(request, version: int, changed_at) -> str:
    """Where the response cache keeps the answer to this request: the dataset version, and the
    representation asked for (scheme, host, path, canonical query, Accept), hashed."""
    representation = "\n".join(
        (
            str(version),
            changed_at.isoformat() if changed_at else "",
            request.scheme,
            request.get_host(),
            request.path,
            canonical_query(
                request.META.get("QUERY_STRING", ""),
                paged_list(request) and not may_stream(request),
            ),
            request.headers.get("Accept", ""),
        )
    )
    return CACHE_PREFIX + hashlib.sha256(representation.encode()).hexdigest()


class MessageMiddleware(BaseMessageMiddleware):
    """Django's messages (the admin's notes after a save) outside /api/ only: no API answer
    carries one, and their storage, set up for every request, was 2% of a small answer's work.
    Without it, a page that reads messages finds none (`get_messages`)."""

    def process_request(self, request):
        if not request.path.startswith(API_PREFIX):
            super().process_request(request)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the policies of the settings built once, not on every
    answer: an answer whose page used no nonce and whose view changes nothing of the policy
    gets the same text each time, and django-csp builds it (and the report-only one) anew for
    each, a tenth of a small API answer's time. Any other answer is left to django-csp."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.kept: dict[str, tuple] = {}

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in OWN_POLICY
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in {404, 500}:
            return response  # Django's debug pages, which django-csp leaves alone
        for header, name in (
            (HEADER, "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            config = getattr(settings, name, None)
            policy = self.policy(name, config)
            prefixes = tuple((config or {}).get("EXCLUDE_URL_PREFIXES") or ())
            excluded = request.path_info.startswith(prefixes)
            if policy and header not in response and not excluded:
                response[header] = policy
        # as django-csp: a nonce asked for after the header is written is an error
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def policy(self, name: str, config: dict | None) -> str:
        """The policy of setting `name`, built again only when the setting is another object
        (a test overrides it)."""
        kept = self.kept.get(name)
        if kept is None or kept[0] is not config:
            kept = self.kept[name] = (config, build_policy(report_only=name.endswith("_ONLY")))
        return kept[1]


class LoginRateMiddleware:
    """Admin login attempts (POSTs to the login page) limited per client across every username,
    and views of the login page apart (config.api.throttling.LoginRateThrottle), answered 429 with
    `Retry-After` before the password is hashed or the page rendered. django-axes still locks a
    (username, address) pair after a few wrong passwords.

    And one login checked at a time per process: a password hash takes a core for a quarter of
    a second or more, and the process serves only a few requests at once (config.asgi); a
    second attempt meanwhile gets a 429 with `Retry-After: 1` (not counted) instead of a second
    core and a second of the process's places. Editors sign in rarely; a collision costs a retry.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None
        self.checking = threading.Lock()

    def __call__(self, request):
        if self.login_path is None:
            self.login_path = reverse("admin:login")
        if request.path != self.login_path:
            return self.get_response(request)
        attempt = request.method == "POST"
        if attempt and not self.checking.acquire(blocking=False):
            # not counted: nothing was tried
            return self.refusal("Another login is being checked. Try again in a second.", 1)
        try:
            throttle = LoginRateThrottle(page=not attempt)
            if not throttle.allow_request(request, None):
                wait = math.ceil(throttle.wait() or 1)
                logger.warning(
                    "admin login refused: over %s from %s",
                    throttle.rate,
                    request.META.get("REMOTE_ADDR", ""),
                )
                return self.refusal(
                    f"Too many login attempts from this address. Try again in {wait} seconds.",
                    wait,
                )
            return self.get_response(request)
        finally:
            if attempt:
                self.checking.release()

    @staticmethod
    def refusal(text: str, wait: int) -> HttpResponse:
        response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(wait)
        return response
