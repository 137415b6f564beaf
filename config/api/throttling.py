"""The request limits, counted on the cache (Redis in production, shared by every worker; with
Redis gone the counts are lost and requests pass): every request per client address, and
writes per token besides."""

from django.conf import settings
from rest_framework import throttling
from rest_framework.permissions import SAFE_METHODS


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's per-address throttle at settings.ANON_RATE (PARLEY_ANON_RATE, e.g. `600/minute`).

    The address is REMOTE_ADDR (REST_FRAMEWORK's NUM_PROXIES is 0): the server has put the
    client's address there when the request came through a trusted proxy. An over-limit request
    gets a 429 whose `Retry-After` header and `detail` say when to come back.
    """

    def get_rate(self) -> str | None:
        # read per request, not once at import as DRF's THROTTLE_RATES is; None lets all pass
        return settings.ANON_RATE


class WriteRateThrottle(throttling.SimpleRateThrottle):
    """Writes per token at settings.WRITE_RATE (PARLEY_WRITE_RATE, e.g. `60/minute`).

    Reads pass untouched (the address limit above counts them). A write is counted against the
    token it was made with, so one editor's script cannot starve another's; over the limit it
    gets a 429 with `Retry-After`, in the API's error shape.
    """

    scope = "write"

    def get_rate(self) -> str | None:
        return settings.WRITE_RATE

    def get_cache_key(self, request, view) -> str | None:
        if request.method in SAFE_METHODS or request.auth is None:
            return None  # a write without a token is refused before it is counted
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
