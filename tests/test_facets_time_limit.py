"""The facets' time budget: a count the database cannot finish in its share is cancelled and
named, never estimated; the others stay exact."""

import pytest
from django.db import DatabaseError, connection, connections

from config.api.facets import QueryTimedOut, time_limit
from config.db.router import REPLICA, read_connection
from config.db.router import _wrote as wrote

pytestmark = pytest.mark.django_db

# a query that runs until it is stopped: about a billion rows counted
ENDLESS = {
    "postgresql": "SELECT count(*) FROM generate_series(1, 1000000000)",
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
    "WHERE i < 1000000000) SELECT count(*) FROM n",
}


def test_time_limit_cancels_a_query_past_it_and_the_connection_goes_on():
    with pytest.raises(QueryTimedOut), time_limit(0.05), connection.cursor() as cursor:
        cursor.execute(ENDLESS[connection.vendor])

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_time_limit_leaves_later_queries_unlimited():
    with time_limit(5), connection.cursor() as cursor:
        cursor.execute("SELECT 1")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            assert cursor.fetchone() == ("0",)


def test_time_limit_passes_other_errors_through():
    with pytest.raises(DatabaseError) as raised, time_limit(5), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")

    assert not isinstance(raised.value, QueryTimedOut)


@pytest.mark.parametrize("limit_ms", [10, 20, 40])
def test_facets_under_a_tight_budget_name_what_they_left_out(
    api_client, dataset, settings, limit_ms
):
    url = "/api/v1/statements/facets/?date_from=2024&date_match=overlaps"
    full = api_client.get(url).json()
    settings.FACETS_TIME_LIMIT_MS = limit_ms
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 0  # counted again, not answered from the cache

    tight = api_client.get(url).json()

    assert full["timed_out"] == []
    for name, value in tight.items():
        if name in ("timed_out", "complete_later"):
            continue
        # each count is either the exact one or left out and named
        if name in tight["timed_out"]:
            assert value is None
        else:
            assert value == full[name], name


def test_facets_with_no_time_left_answer_no_count(api_client, dataset, settings):
    settings.FACETS_TIME_LIMIT_MS = 0  # below what the setting allows: no query can run

    answer = api_client.get("/api/v1/events/facets/").json()

    assert answer["count"] is None
    assert set(answer["timed_out"]) == set(answer) - {"timed_out", "complete_later"}
    assert answer["complete_later"] is False  # background counts are off in the suite


# long enough to outlast a 50 ms limit, short enough to end if the limit were not applied
LONG = {
    "postgresql": "SELECT count(*) FROM generate_series(1, 30000000)",
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
    "WHERE i < 10000000) SELECT count(*) FROM n",
}


@pytest.fixture
def replica(settings):
    """A `replica` database, as DATABASE_REPLICA_URL configures one: a second connection to the
    test database, which the router then sends reads to."""
    settings.DATABASES = {**settings.DATABASES, REPLICA: dict(connection.settings_dict)}
    connections.settings[REPLICA] = dict(connection.settings_dict)
    connections[REPLICA].connect()  # opened here: the test case allows only its own aliases
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_time_limit_holds_on_the_replica_the_counts_read_from(replica):
    fresh = wrote.set(False)  # as a request starts: its reads go to the replica until it writes
    try:
        assert read_connection() is replica
        with pytest.raises(QueryTimedOut), time_limit(0.05), replica.cursor() as cursor:
            cursor.execute(LONG[replica.vendor])
    finally:
        wrote.reset(fresh)
