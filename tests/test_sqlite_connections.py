"""config.sqlite: a connection a request closes waits for the next request, its schema read."""

import sqlite3

import pytest
from django.db import connections, transaction
from django.db.utils import ConnectionHandler

from config.settings import database
from config.sqlite import base


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests open their own databases, apart from the suite's."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def file_database(tmp_path):
    """A SQLite database in a file, as `make run` and `make serve` open one, with a table."""
    path = tmp_path / "kept.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE note (text TEXT)")
    connections = ConnectionHandler({"default": database(f"sqlite:///{path}")})
    yield connections["default"]
    connections["default"].close()
    base.close_idle()


def request(wrapper, sql="SELECT count(*) FROM note"):
    """A request's work: a query on a connection opened for it, then closed at its end (Django's
    `close_old_connections` on request_finished)."""
    with wrapper.cursor() as cursor:
        cursor.execute(sql)
        found = cursor.fetchone() if sql.startswith("SELECT") else None
    opened = wrapper.connection
    wrapper.close()
    return opened, found


def test_the_next_request_takes_the_connection_the_last_one_closed(file_database):
    assert file_database.settings_dict["ENGINE"] == "config.sqlite"

    first, _ = request(file_database)
    second, _ = request(file_database)

    assert second is first
    assert file_database.connection is None  # closed for Django, kept in the process


def test_a_connection_closed_inside_a_transaction_comes_back_rolled_back(file_database):
    file_database.connect()
    file_database.set_autocommit(False)
    with file_database.cursor() as cursor:
        cursor.execute("INSERT INTO note VALUES ('never committed')")
    left = file_database.connection
    file_database.close()  # a request that failed half-way through its writes

    file_database.set_autocommit(True)  # opens the next request's connection
    again, (count,) = request(file_database)

    assert again is left
    assert count == 0
    assert not again.in_transaction


def test_a_connection_closed_inside_an_atomic_block_is_closed_for_good(file_database):
    connections["kept-file"] = file_database  # for transaction.atomic, which names a database
    with transaction.atomic(using="kept-file"):
        file_database.ensure_connection()
        inside = file_database.connection
        file_database.close()

    del connections["kept-file"]
    following, _ = request(file_database)

    assert following is not inside
    assert not _is_open(inside)


def test_at_most_keep_connections_wait_per_database(file_database):
    handlers = [ConnectionHandler({"default": file_database.settings_dict}) for _ in range(6)]
    opened = [handler["default"] for handler in handlers]
    for wrapper in opened:  # six requests at once, each on its own connection
        wrapper.ensure_connection()
    raw = [wrapper.connection for wrapper in opened]
    for wrapper in opened:
        wrapper.close()

    kept = [connection for connection in raw if _is_open(connection)]

    assert len(kept) == base.KEEP
    assert len({id(connection) for connection in raw}) == 6


def test_a_database_in_memory_is_never_kept():
    wrapper = ConnectionHandler({"default": database("sqlite://:memory:")})["default"]
    request(wrapper, "CREATE TABLE note (text TEXT)")

    assert not any(key[1] == ":memory:" for key in base._idle)


def _is_open(connection) -> bool:
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return False
    return True


def test_sqlite_query_placeholders_kept_converted_read_as_django_reads_them(file_database):
    texts = ["50%", "%s", "a"]
    long_text = "x" * base.CONVERTED_LENGTH  # past the kept length: converted each time
    with file_database.cursor() as cursor:
        for text in texts:
            cursor.execute("INSERT INTO note (text) VALUES (%s)", [text])
        found = []
        for _ in range(2):  # converted, then from the kept ones
            cursor.execute(
                "SELECT text FROM note WHERE text LIKE '%%' || %s || '%%' OR text = %s "
                "ORDER BY text",
                ["%", "a"],
            )
            found.append([row[0] for row in cursor.fetchall()])
        cursor.execute(
            f"SELECT count(*) FROM note WHERE text != '{long_text}' AND text = %s", ["a"]
        )
        (long_count,) = cursor.fetchone()

    assert (found, long_count) == ([["%s", "50%", "a"]] * 2, 1)
