"""The request limits, counted on the cache (Redis in production, shared by every worker; with
Redis gone the counts are lost and requests pass): every request per client, writes per token
besides, and admin logins per client.

A client is its address, or for IPv6 its /64: one host is given a whole /64, and would
otherwise have 2^64 addresses to spread its requests over.
"""

import ipaddress

from django.conf import settings
from rest_framework import throttling
from rest_framework.permissions import SAFE_METHODS


def client_key(address: str) -> str:
    """The address a client is counted by: an IPv4 address as it is (also when written as
    IPv6, `::ffff:192.0.2.1`), an IPv6 one as its /64 network."""
    try:
        parsed = ipaddress.ip_address(address.split("%")[0])  # without a zone (`fe80::1%eth0`)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's per-client throttle at settings.ANON_RATE (PARLEY_ANON_RATE, e.g. `600/minute`).

    The address is REMOTE_ADDR (REST_FRAMEWORK's NUM_PROXIES is 0): the server has put the
    client's address there when the request came through a trusted proxy. An over-limit request
    gets a 429 whose `Retry-After` header and `detail` say when to come back.
    """

    def get_rate(self) -> str | None:
        # read per request, not once at import as DRF's THROTTLE_RATES is; None lets all pass
        return settings.ANON_RATE

    def get_ident(self, request) -> str:
        return client_key(request.META.get("REMOTE_ADDR", ""))


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


class LoginRateThrottle(throttling.SimpleRateThrottle):
    """Admin login attempts per client at settings.LOGIN_RATE (PARLEY_LOGIN_RATE, `10/hour`),
    whatever the username: django-axes locks one (username, address) pair after a few wrong
    passwords, and this keeps one address from trying a new username each time, each attempt
    a password hash (~0.25 s of CPU). The login page itself (a page render, ~20 ms) is limited
    apart, at settings.LOGIN_PAGE_RATE (PARLEY_LOGIN_PAGE_RATE, `60/hour`)."""

    def __init__(self, page: bool = False):
        self.scope = "login_page" if page else "login"
        self.page = page
        super().__init__()

    def get_rate(self) -> str | None:
        return settings.LOGIN_PAGE_RATE if self.page else settings.LOGIN_RATE

    def get_cache_key(self, request, view) -> str:
        ident = client_key(request.META.get("REMOTE_ADDR", ""))
        return self.cache_format % {"scope": self.scope, "ident": ident}
