"""Behaviour a production deployment relies on: error answers, limits, lockout, probes, headers.

tests/test_server.py checks the same deployment through the real server (gunicorn.conf.py).
"""

import logging
import os
import re
import subprocess
import sys
import time

import pytest
from csp.constants import NONE, SELF
from csp.utils import build_policy
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import path
from rest_framework.views import APIView

from config.settings import BASE_DIR, redis_cache
from config.urls import urlpatterns as site_urlpatterns
from events.models import Topic
from tests.factories import SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


class BrokenView(APIView):
    """A view with a bug in it."""

    def get(self, request):
        raise RuntimeError("a bug")


# the site's routes and error handlers, plus one view that fails
urlpatterns = [*site_urlpatterns, path("api/v1/broken/", BrokenView.as_view())]
handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"


@pytest.mark.urls("tests.test_production")
def test_unhandled_error_is_a_json_500_logged_with_its_traceback(caplog):
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/broken/", HTTP_X_REQUEST_ID="bug-1")

    assert (response.status_code, response.json(), response["X-Request-ID"]) == (
        500,
        {"detail": "Internal server error. It has been logged; please try again later."},
        "bug-1",
    )
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert (record.levelname, record.getMessage(), record.exc_info[1].args) == (
        "ERROR",
        "Internal Server Error: /api/v1/broken/",
        ("a bug",),
    )


def test_disallowed_host_is_json_under_the_api(client):
    response = client.get("/api/v1/topics/", HTTP_HOST="evil.example")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "This server does not answer for the host named in the request."},
    )


def test_disallowed_host_is_django_page_outside_the_api(client):
    response = client.get("/healthz", HTTP_HOST="evil.example")

    assert (response.status_code, response["Content-Type"]) == (400, "text/html; charset=utf-8")


def test_too_many_query_parameters_is_json(client):
    query = "&".join(f"p{n}=1" for n in range(1001))

    response = client.get(f"/api/v1/topics/?{query}")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Too many query parameters."},
    )


@pytest.mark.parametrize("value", ["٢٠٢٤", "２０２４", "2024-١١"])
def test_date_filter_refuses_non_ascii_digits(client, value):
    response = client.get("/api/v1/statements/", {"date_from": value})

    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "Invalid input: date_from.",
            "errors": {
                "date_from": [f"{value!r} is not a partial date: use YYYY, YYYY-MM or YYYY-MM-DD"]
            },
        },
    )


@pytest.mark.parametrize(("param", "largest"), [("page", 999999999), ("page_size", 100)])
def test_page_parameters_refuse_non_ascii_digits(client, param, largest):
    response = client.get("/api/v1/topics/", {param: "٢"})

    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": f"Invalid input: {param}.",
            "errors": {param: [f"{param} must be a whole number from 1 to {largest}, not '٢'."]},
        },
    )


# ------------------------------------------------------------------------------------------------
# throttling
# ------------------------------------------------------------------------------------------------
THROTTLED_ADDRESS = "192.0.2.10"  # a documentation address, so no other test shares its count


@pytest.fixture
def throttle_key():
    key = f"throttle_anon_{THROTTLED_ADDRESS}"
    cache.delete(key)
    yield key
    cache.delete(key)


@override_settings(ANON_RATE="3/minute")
def test_throttle_answers_429_with_retry_after_past_the_rate(client, throttle_key):
    TopicFactory(slug="territory")
    statuses = [
        client.get("/api/v1/topics/", REMOTE_ADDR=THROTTLED_ADDRESS).status_code for _ in range(3)
    ]

    response = client.get("/api/v1/topics/", REMOTE_ADDR=THROTTLED_ADDRESS)
    other = client.get("/api/v1/topics/", REMOTE_ADDR="192.0.2.11")

    assert statuses == [200, 200, 200]
    assert (response.status_code, response["Retry-After"], response.json()) == (
        429,
        "60",
        {"detail": "Request was throttled. Expected available in 60 seconds."},
    )
    assert other.status_code == 200


@override_settings(ANON_RATE="2/minute")
def test_throttle_ignores_forwarded_for_written_by_the_client(client, throttle_key):
    statuses = [
        client.get(
            "/api/v1/topics/", REMOTE_ADDR=THROTTLED_ADDRESS, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_schema_documents_the_throttled_answer(client):
    schema = client.get("/api/schema/?format=json").json()

    answer = schema["paths"]["/api/v1/statements/"]["get"]["responses"]["429"]

    assert answer["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


# ------------------------------------------------------------------------------------------------
# the cache failing open: Redis refusing connections (a real refusal, on a closed port)
# ------------------------------------------------------------------------------------------------
def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when this returns: connections are refused


@pytest.fixture
def redis_gone():
    with override_settings(
        CACHES={"default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")},
        ANON_RATE="1/minute",
        LOG_REPEAT_SECONDS=0,  # every ignored error logged: each test sees its own
    ):
        yield


def test_api_keeps_answering_unthrottled_when_redis_is_gone(redis_gone, client, caplog):
    TopicFactory(slug="territory")

    responses = [client.get("/api/v1/topics/") for _ in range(3)]

    assert [(r.status_code, [t["slug"] for t in r.json()["results"]]) for r in responses] == [
        (200, ["territory"])
    ] * 3
    ignored = [r for r in caplog.records if r.name == "parley.cache"]
    assert ignored
    assert {r.getMessage() for r in ignored} == {"Exception ignored"}


def test_readiness_names_the_cache_when_redis_is_gone(redis_gone, client):
    response = client.get("/readyz")

    assert (response.status_code, response.json()) == (
        503,
        {
            "status": "unavailable",
            "checks": {"database": "ok", "cache": "unreachable: ConnectionError"},
        },
    )


# ------------------------------------------------------------------------------------------------
# the PostgreSQL pool after the database dropped its connections
# ------------------------------------------------------------------------------------------------
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's")
def test_pool_replaces_every_dropped_connection_at_once():
    from psycopg_pool import ConnectionPool

    from config.postgresql.base import check_connection

    params = connection.settings_dict
    conninfo = (
        f"host={params['HOST']} port={params['PORT'] or 5432} user={params['USER']} "
        f"password={params['PASSWORD']} dbname={connection.settings_dict['NAME']}"
    )
    with ConnectionPool(conninfo, min_size=4, max_size=4, check=check_connection) as pool:
        pool.wait()
        lent = [pool.getconn() for _ in range(4)]
        pids = [conn.info.backend_pid for conn in lent]
        for conn in lent:
            pool.putconn(conn)
        with connection.cursor() as cursor:
            # each one gone when this returns (waiting up to 2 s), as after a restart: the pool
            # lends a connection whose socket is quiet without a round trip to the server
            cursor.execute(
                "SELECT pg_terminate_backend(pid, 2000) FROM unnest(%s::int[]) AS pid", [pids]
            )

        started = time.monotonic()
        with pool.connection(timeout=2) as conn:
            answer = conn.execute("SELECT 1").fetchone()
        waited = time.monotonic() - started

    # psycopg_pool's own check would wait 1 s, then 2 s, then give up at the third dropped one
    assert (answer, waited < 0.5) == ((1,), True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pool is PostgreSQL's")
def test_pool_checks_with_a_round_trip_only_a_connection_the_server_spoke_on():
    import psycopg

    from config.postgresql.base import check_connection, quiet

    params = connection.settings_dict
    conninfo = (
        f"host={params['HOST']} port={params['PORT'] or 5432} user={params['USER']} "
        f"password={params['PASSWORD']} dbname={connection.settings_dict['NAME']}"
    )
    with (
        psycopg.connect(conninfo, autocommit=True) as listening,
        psycopg.connect(conninfo, autocommit=True) as dropped,
    ):
        listening.execute("LISTEN parley_pool_check")
        idle = (quiet(listening), quiet(dropped))
        dropped.execute("NOTIFY parley_pool_check")  # a message the listener has not read
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 2000)", [dropped.info.backend_pid])
        time.sleep(0.2)  # the notification on its way
        spoken = (quiet(listening), quiet(dropped))
        check_connection(listening)  # the full check, which reads the message
        read = quiet(listening)

    assert (idle, spoken, read) == ((True, True), (False, False), True)


# ------------------------------------------------------------------------------------------------
# health probes
# ------------------------------------------------------------------------------------------------
def test_health_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_checks_database_migrations_and_cache(client):
    response = client.get("/readyz")

    # with Redis as the cache, a Redis without a memory limit adds a warning (tests/test_limits)
    body = response.json()
    assert (response.status_code, body["status"], body["checks"]) == (
        200,
        "ok",
        {"database": "ok", "cache": "ok"},
    )


# ------------------------------------------------------------------------------------------------
# request ids
# ------------------------------------------------------------------------------------------------
def test_request_id_is_taken_from_the_client_when_sane(client):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    refused = client.get("/healthz", HTTP_X_REQUEST_ID='bad id\n{"level": "ERROR"}')

    assert given["X-Request-ID"] == "abc-123"
    assert re.fullmatch(r"[0-9a-f]{32}", refused["X-Request-ID"])


def test_access_line_holds_method_path_status_duration_and_id(client, caplog):
    caplog.set_level(logging.INFO, logger="parley.access")

    client.get("/healthz", HTTP_X_REQUEST_ID="line-1")

    [record] = [r for r in caplog.records if r.name == "parley.access"]
    fields = {k: getattr(record, k) for k in ("method", "path", "status", "request_id")}
    assert fields == {"method": "GET", "path": "/healthz", "status": 200, "request_id": "line-1"}
    assert record.duration_ms >= 0


# ------------------------------------------------------------------------------------------------
# admin lockout (django-axes)
# ------------------------------------------------------------------------------------------------
def test_admin_login_locks_out_after_repeated_failures_until_reset(client, caplog):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "right-pass-123")
    login = "/admin/login/?next=/admin/"

    failures = [
        client.post(login, {"username": "editor", "password": f"wrong-{n}"}).status_code
        for n in range(5)
    ]
    locked = client.post(login, {"username": "editor", "password": "right-pass-123"})
    call_command("axes_reset_username", "editor", verbosity=0)
    after_reset = client.post(login, {"username": "editor", "password": "right-pass-123"})

    # four failed logins show the form again; the fifth locks the pair out
    assert failures == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert b"Account locked" in locked.content
    # logged at the fifth failure and again when the right password is refused
    lock = (
        'AXES: Locking out {username: "editor", ip_address: "127.0.0.1", '
        'path_info: "/admin/login/"}'
    )
    locks = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()]
    assert locks == [f"{lock} after repeated login failures."] * 2
    assert (after_reset.status_code, after_reset["Location"]) == (302, "/admin/")


# ------------------------------------------------------------------------------------------------
# Content-Security-Policy
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/", "/admin/login/", "/api/v1/"])
def test_html_pages_carry_a_policy_allowing_only_own_assets(client, page):
    response = client.get(page, HTTP_ACCEPT="text/html")

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert response.status_code == 200
    assert policy["default-src"] == "'self'"
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=]+')?", policy["script-src"])
    assert policy["object-src"] == policy["frame-ancestors"] == "'none'"


def test_redoc_start_up_script_carries_the_policy_nonce(client):
    response = client.get("/api/redoc/")

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_api_answers_carry_the_policy_django_csp_builds(client):
    built = build_policy()

    answers = [client.get(address) for address in ("/api/v1/", "/api/v1/nothing/", "/healthz")]

    assert [answer["Content-Security-Policy"] for answer in answers] == [built] * 3
    assert ["Content-Security-Policy-Report-Only" in answer for answer in answers] == [False] * 3


def test_policy_follows_settings_replaced_after_the_first_answer(client):
    client.get("/api/v1/")
    report_only = {"DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-reports/"}}
    policy = {"DIRECTIVES": {"default-src": [NONE]}, "EXCLUDE_URL_PREFIXES": ["/healthz"]}

    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only
    ):
        answer = client.get("/api/v1/")
        excluded = client.get("/healthz")

    assert answer["Content-Security-Policy"] == "default-src 'none'"
    assert answer["Content-Security-Policy-Report-Only"] == (
        "default-src 'self'; report-uri /csp-reports/"
    )
    assert "Content-Security-Policy" not in excluded


# ------------------------------------------------------------------------------------------------
# the admin's messages, outside the API only
# ------------------------------------------------------------------------------------------------
def test_admin_save_still_shows_its_message(admin_client):
    saved = admin_client.post(
        "/admin/events/topic/add/", {"slug": "grain", "name": "Grain"}, follow=True
    )

    topic = Topic.objects.get(slug="grain")
    assert [str(message) for message in saved.context["messages"]] == [
        f'The topic “<a href="/admin/events/topic/{topic.pk}/change/">Grain</a>” was added '
        "successfully."
    ]


def test_api_answers_set_up_no_message_storage(client):
    response = client.get("/api/v1/")

    assert (response.status_code, hasattr(response.wsgi_request, "_messages")) == (200, False)


# ------------------------------------------------------------------------------------------------
# excerpts only
# ------------------------------------------------------------------------------------------------
def test_source_detail_withholds_the_full_text_when_excerpts_only(client):
    SourceFactory(slug="an-article")
    with override_settings(EXCERPTS_ONLY=True):
        withheld = client.get("/api/v1/sources/an-article/").json()
    full = client.get("/api/v1/sources/an-article/").json()

    assert set(full) - set(withheld) == {"text", "furniture"}


def test_source_search_leaves_the_withheld_texts_out_when_excerpts_only(client):
    SourceFactory(slug="an-article", title="Talks in Riyadh", text="A confidential paragraph.")
    searches = [
        "/api/v1/sources/?q=confidential",
        "/api/v1/search/?q=confidential&type=source",
        "/api/v1/sources/?q=riyadh",
        "/api/v1/search/?q=riyadh&type=source",
    ]
    with override_settings(EXCERPTS_ONLY=True):
        withheld = [client.get(url).json()["results"] for url in searches]
    full = [client.get(url).json()["results"] for url in searches]

    found = [[(hit["slug"], hit["highlight"]) for hit in results] for results in withheld]
    # the text is not searched, and a highlight shows the title instead of a snippet of it
    assert found == [
        [],
        [],
        [("an-article", "Talks in <mark>Riyadh</mark>")],
        [("an-article", "Talks in <mark>Riyadh</mark>")],
    ]
    assert [[hit["slug"] for hit in results] for results in full] == [["an-article"]] * 4
    assert full[0][0]["highlight"] == "A <mark>confidential</mark> paragraph."


# ------------------------------------------------------------------------------------------------
# settings read from the environment (a fresh interpreter each)
# ------------------------------------------------------------------------------------------------
PRODUCTION_ENV = {
    # the production environment the README documents
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Q2" * 10,
    "DJANGO_ALLOWED_HOSTS": "api.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://api.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
}


def run_env() -> dict:
    """This process's environment less every Django and Parley setting."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PARLEY_")) and k not in {"DEBUG", "SECRET_KEY"}
    }


def run(*args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env={**run_env(), "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


SETUP = "import django; django.setup(); from django.conf import settings; "


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (1 silenced).",
    )


def test_debug_is_off_unless_asked_for():
    result = run("-c", SETUP + "print(settings.DEBUG)", **PRODUCTION_ENV)

    assert (result.returncode, result.stdout.strip()) == (0, "False")


def test_production_refuses_to_start_without_allowed_hosts():
    result = run("-c", SETUP, DJANGO_SECRET_KEY=PRODUCTION_ENV["DJANGO_SECRET_KEY"])

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_admin_path_comes_from_the_environment():
    code = SETUP + "from django.urls import reverse; print(reverse('admin:index'))"

    moved = run("-c", code, PARLEY_ADMIN_PATH="editors/desk/", **PRODUCTION_ENV)
    refused = run("-c", code, PARLEY_ADMIN_PATH="../x", **PRODUCTION_ENV)

    assert (moved.returncode, moved.stdout.strip()) == (0, "/editors/desk/")
    assert "PARLEY_ADMIN_PATH must be path segments ending in '/'" in refused.stderr


def test_malformed_rate_is_refused_at_start():
    result = run("-c", SETUP, PARLEY_ANON_RATE="lots", **PRODUCTION_ENV)

    assert "PARLEY_ANON_RATE must be a count per period, e.g. 600/minute, or off; not 'lots'" in (
        result.stderr
    )


def test_malformed_write_rate_is_refused_at_start():
    result = run("-c", SETUP, PARLEY_WRITE_RATE="many", **PRODUCTION_ENV)

    assert "PARLEY_WRITE_RATE must be a count per period, e.g. 60/minute, or off; not 'many'" in (
        result.stderr
    )


@override_settings(ANON_RATE="2/minute")
def test_conditional_gets_answered_before_the_view_are_throttled_too(client, throttle_key):
    TopicFactory(slug="territory")
    etag = client.get("/api/v1/topics/", REMOTE_ADDR=THROTTLED_ADDRESS)["ETag"]

    again = client.get("/api/v1/topics/", REMOTE_ADDR=THROTTLED_ADDRESS, HTTP_IF_NONE_MATCH=etag)
    over = client.get("/api/v1/topics/", REMOTE_ADDR=THROTTLED_ADDRESS, HTTP_IF_NONE_MATCH=etag)

    assert (again.status_code, over.status_code, over["Retry-After"]) == (304, 429, "60")


def test_malformed_login_rate_is_refused_at_start():
    result = run("-c", SETUP, PARLEY_LOGIN_RATE="20", **PRODUCTION_ENV)

    assert "PARLEY_LOGIN_RATE must be a count per period, e.g. 10/hour, or off; not '20'" in (
        result.stderr
    )
