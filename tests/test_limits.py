"""The limits that hold per client and per process: refused writes and admin logins counted,
IPv6 clients by their /64, the request queue, the pool's timeout as a 503, /readyz kept for a
second and warning about an unbounded Redis, the response cache's keys and size, repeated errors
logged once a while.

tests/test_server.py checks the server's own limits (request heads and bodies timed out).
"""

import asyncio
import json
import logging
import socket
import subprocess
import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from psycopg_pool import ConnectionPool
from rest_framework.views import APIView

from config.api.throttling import client_key
from config.asgi import QueueingASGIHandler
from config.request_log import RepeatedErrorFilter
from config.settings import redis_cache
from config.urls import urlpatterns as site_urlpatterns
from tests.factories import StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

NEW_TOPIC = {"slug": "prisoner-exchange", "name": "Prisoner exchange"}
ADDRESS = "192.0.2.20"  # a documentation address: no other test counts against it


class PoolTimeoutView(APIView):
    """A view that asks a pool with no connection to give for one, as a burst would."""

    def get(self, request):
        pool = ConnectionPool("host=127.0.0.1 port=1", min_size=0, max_size=1, open=True)
        try:
            with pool.connection(timeout=0.2):
                pass  # never reached: the pool cannot connect, and times out
        finally:
            pool.close()


urlpatterns = [*site_urlpatterns, path("api/v1/busy/", PoolTimeoutView.as_view())]
handler500 = "config.views.server_error"


# ------------------------------------------------------------------------------------------------
# clients: addresses, refused writes, admin logins
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("", ""),
    ],
)
def test_client_key_is_the_address_or_the_ipv6_64(address, key):
    assert client_key(address) == key


@override_settings(ANON_RATE="3/minute")
def test_ipv6_addresses_of_one_64_share_one_limit(client):
    TopicFactory(slug="territory")
    host = "2001:db8:5:6:"

    statuses = [
        client.get("/api/v1/topics/", REMOTE_ADDR=f"{host}:{n}").status_code for n in range(1, 5)
    ]
    other = client.get("/api/v1/topics/", REMOTE_ADDR="2001:db8:5:7::1")

    assert (statuses, other.status_code) == ([200, 200, 200, 429], 200)


@override_settings(ANON_RATE="3/minute")
def test_writes_with_bad_tokens_count_against_the_client_and_then_get_429(client):
    statuses = [
        client.post(
            "/api/v1/topics/",
            NEW_TOPIC,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token guess{n}",
            REMOTE_ADDR=ADDRESS,
        ).status_code
        for n in range(4)
    ]
    read = client.get("/api/v1/topics/", REMOTE_ADDR=ADDRESS)

    # three refusals spent the minute's three requests: the fourth guess is never checked
    assert statuses == [401, 401, 401, 429]
    assert (read.status_code, read.json()["detail"][:24]) == (429, "Request was throttled. E")
    assert int(read["Retry-After"]) > 0


@override_settings(ANON_RATE="2/minute")
def test_writes_without_a_token_count_against_the_client(client):
    statuses = [
        client.post(
            "/api/v1/topics/", NEW_TOPIC, content_type="application/json", REMOTE_ADDR=ADDRESS
        ).status_code
        for _ in range(3)
    ]

    assert statuses == [401, 401, 429]


@override_settings(LOGIN_RATE="3/hour")
def test_admin_logins_are_limited_per_address_across_usernames(client):
    def attempt(n: int, address: str = ADDRESS):
        return client.post(
            "/admin/login/",
            {"username": f"guess-{n}", "password": "wrong", "next": "/admin/"},
            REMOTE_ADDR=address,
        )

    tried = [attempt(n).status_code for n in range(3)]
    refused = attempt(3)
    elsewhere = attempt(4, address="198.51.100.7")

    # each guess a new username, so django-axes (per username and address) never locks
    assert tried == [200, 200, 200]
    assert (refused.status_code, refused["Content-Type"]) == (429, "text/plain; charset=utf-8")
    assert refused.content.decode().startswith("Too many login attempts from this address.")
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert elsewhere.status_code == 200


@override_settings(LOGIN_RATE="1/hour", LOGIN_PAGE_RATE="2/hour")
def test_admin_login_page_is_limited_apart_from_the_attempts(client):
    pages = [client.get("/admin/login/", REMOTE_ADDR=ADDRESS).status_code for _ in range(3)]
    attempt = client.post("/admin/login/", {"username": "a", "password": "b"}, REMOTE_ADDR=ADDRESS)

    assert (pages, attempt.status_code) == ([200, 200, 429], 200)


# ------------------------------------------------------------------------------------------------
# bursts: the queue in front of Django, the pool's timeout
# ------------------------------------------------------------------------------------------------
async def asgi_get(application, path: str) -> tuple[int, dict, bytes]:
    """One GET through the ASGI application, as the server passes it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"x-request-id", b"queued-1")],
        "client": ("192.0.2.30", 1234),
        "server": ("testserver", 80),
    }
    sent = {"status": None, "headers": {}, "body": b""}
    received = False

    async def receive() -> dict:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Future()  # the client stays
        return {}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        else:
            sent["body"] += message.get("body", b"")

    await application(scope, receive, send)
    return sent["status"], sent["headers"], sent["body"]


@pytest.mark.django_db(transaction=True)
@override_settings(CONCURRENT_REQUESTS=1, QUEUE_TIMEOUT=1)
def test_request_waits_its_turn_and_past_the_queue_timeout_gets_503():
    TopicFactory(slug="territory")
    application = QueueingASGIHandler()

    async def scenario():
        await asgi_get(application, "/api/v1/topics/")  # the loop's one slot, made
        slots = application.slots[asyncio.get_running_loop()]
        await slots.acquire()  # a request in progress, holding it
        timed_out = await asgi_get(application, "/api/v1/topics/")
        alive = await asgi_get(application, "/healthz")  # never queued
        asyncio.get_running_loop().call_later(0.3, slots.release)  # it finishes meanwhile
        waited = await asgi_get(application, "/api/v1/topics/")
        return timed_out, alive, waited

    (status, headers, body), alive, waited = asyncio.run(scenario())

    assert (status, headers["Retry-After"], headers["X-Request-ID"], json.loads(body)) == (
        503,
        "1",
        "queued-1",
        {"detail": "The server is busy: the request waited 1 s for its turn. Try again."},
    )
    assert alive[0] == 200
    assert (waited[0], [t["slug"] for t in json.loads(waited[2])["results"]]) == (
        200,
        ["territory"],
    )


@pytest.mark.urls("tests.test_limits")
def test_no_free_database_connection_is_a_503_with_retry_after():
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/busy/")

    assert (response.status_code, response["Retry-After"], response.json()) == (
        503,
        "5",
        {"detail": "The server is busy: no database connection was free. Try again."},
    )


# ------------------------------------------------------------------------------------------------
# /readyz
# ------------------------------------------------------------------------------------------------
def test_readiness_is_checked_once_a_second(client, django_assert_num_queries):
    client.get("/readyz")

    # nothing: the answer of a moment ago
    with django_assert_num_queries(0):
        again = client.get("/readyz")

    # with Redis as the cache, a Redis without a memory limit adds a warning (tested below)
    body = again.json()
    assert (again.status_code, body["status"], body["checks"]) == (
        200,
        "ok",
        {"database": "ok", "cache": "ok"},
    )


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server of the test's own on a free port, started with the options given."""
    started = []

    def start(*options: str) -> str:
        port = free_port()
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
                *options,
            ],
            stdout=subprocess.DEVNULL,
        )
        started.append(process)
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return f"redis://127.0.0.1:{port}/0"
            time.sleep(0.1)
        pytest.fail("redis-server did not start")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("options", "warnings"),
    [
        ((), ["Redis has no memory limit: set maxmemory and maxmemory-policy allkeys-lru"]),
        (
            ("--maxmemory", "64mb"),
            ["Redis's maxmemory-policy is noeviction: set allkeys-lru, so a full cache evicts"],
        ),
        (("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"), None),
    ],
    ids=["no-limit", "no-eviction", "as-expected"],
)
def test_readiness_warns_unless_redis_evicts_within_a_memory_limit(
    client, redis_server, options, warnings
):
    with override_settings(CACHES={"default": redis_cache(redis_server(*options))}):
        response = client.get("/readyz")

    expected = {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    if warnings:
        expected["warnings"] = warnings
    assert (response.status_code, response.json()) == (200, expected)


# ------------------------------------------------------------------------------------------------
# the response cache
# ------------------------------------------------------------------------------------------------
def test_one_question_asked_in_several_spellings_is_kept_once(
    api_client, settings, django_assert_num_queries
):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 60
    StatementFactory(slug="s-1")
    first = api_client.get("/api/v1/statements/?ordering=-date&q=&page_size=20")

    # the dataset version, once a request; every answer comes from the cache
    with django_assert_num_queries(3):
        spellings = [
            api_client.get(f"/api/v1/statements/?{query}")
            for query in (
                "q=&ordering=-date",
                "page=1&ordering=-date&q=",
                "q=&ordering=-date&paging=page",
            )
        ]

    assert [(r.status_code, r.content) for r in spellings] == [(200, first.content)] * 3


def test_a_value_other_than_the_default_is_another_question(api_client, settings):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 60
    StatementFactory(slug="s-1")
    api_client.get("/api/v1/statements/?page_size=20&page=1")

    with CaptureQueriesContext(connection) as other:
        response = api_client.get("/api/v1/statements/?page=1&page_size=21")

    assert response.status_code == 200
    assert len(other) > 1  # the list ran, not an answer kept for the default page


def test_an_answer_over_the_size_limit_is_not_kept(api_client, settings):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 60
    settings.RESPONSE_CACHE_MAX_BYTES = 100
    StatementFactory(slug="s-1")
    first = api_client.get("/api/v1/statements/")

    with CaptureQueriesContext(connection) as again:
        second = api_client.get("/api/v1/statements/")

    assert len(first.content) > 100
    assert (second.status_code, second.content) == (200, first.content)
    assert len(again) > 1  # the list ran again


# ------------------------------------------------------------------------------------------------
# logs
# ------------------------------------------------------------------------------------------------
@override_settings(LOG_REPEAT_SECONDS=60)
def test_a_repeated_error_is_logged_once_and_then_with_its_count(caplog):
    log = logging.getLogger("parley.test-repeats")
    repeats = RepeatedErrorFilter()
    log.addFilter(repeats)
    try:
        with caplog.at_level(logging.INFO, logger="parley.test-repeats"):
            for _ in range(5):
                try:
                    raise ConnectionError("Redis is gone")
                except ConnectionError:
                    log.exception("Exception ignored")
            log.error("another error")
            log.info("not an error")
            key = ("parley.test-repeats", "Exception ignored", "ConnectionError")
            repeats.seen[key] = (repeats.seen[key][0] - 60, repeats.seen[key][1])  # a minute on
            try:
                raise ConnectionError("Redis is gone")
            except ConnectionError:
                log.exception("Exception ignored")
    finally:
        log.removeFilter(repeats)

    assert [(r.levelname, r.getMessage(), getattr(r, "repeated", 0)) for r in caplog.records] == [
        ("ERROR", "Exception ignored", 0),
        ("ERROR", "another error", 0),
        ("INFO", "not an error", 0),
        ("ERROR", "Exception ignored (and 4 more like it since the last line)", 4),
    ]
