"""The request limit: every client is anonymous, counted per address on the cache (Redis in
production, shared by every worker; with Redis gone the counts are lost and requests pass)."""

from django.conf import settings
from rest_framework import throttling


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's per-address throttle at settings.ANON_RATE (PARLEY_ANON_RATE, e.g. `600/minute`).

    The address is REMOTE_ADDR (REST_FRAMEWORK's NUM_PROXIES is 0): the server has put the
    client's address there when the request came through a trusted proxy. An over-limit request
    gets a 429 whose `Retry-After` header and `detail` say when to come back.
    """

    def get_rate(self) -> str | None:
        # read per request, not once at import as DRF's THROTTLE_RATES is; None lets all pass
        return settings.ANON_RATE
