"""Django's SQLite backend, with the connections a process closes kept for its next requests.

SQLite reads a database's whole schema on a connection's first statement: about 0.9 ms for
Parley's tables, indexes and search triggers, more than most answers take to build. Django
closes the connection at the end of every request, and a connection kept open instead
(`CONN_MAX_AGE`) would belong to the request's thread, which both servers start afresh for
each request (runserver per client connection, the ASGI handler per request). So every
request opened a connection and read the schema again. Here a closed connection, rolled back,
waits in its process for the next request instead, at most `KEEP` of them per database.

A database in memory (the test suite's) is never closed by Django, so nothing is kept for it.
"""

import os
import threading
from functools import lru_cache

from django.db.backends.sqlite3 import base

KEEP = 4  # a server process serves a few requests at once (settings.CONCURRENT_REQUESTS)

_idle: dict[tuple, list] = {}
_lock = threading.Lock()


# the queries kept converted: the few a process runs again and again, none longer than this
# (a long list of values in a query is read once): a few megabytes at most
CONVERTED = 256
CONVERTED_LENGTH = 20_000


def qmark(query: str) -> str:
    """The query with Django's `%s` placeholders as SQLite's `?` (Django's conversion)."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


kept_qmark = lru_cache(maxsize=CONVERTED)(qmark)


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's, with each query's placeholders converted once per process: Django converts
    them with a regular expression on every execute, some 30 µs for a page's query of a few
    thousand characters, which a request runs again and again with other parameters."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return kept_qmark(query) if len(query) <= CONVERTED_LENGTH else qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _idle_key(self) -> tuple:
        # the process: a connection must not cross a fork; the file and its options, as opened
        # (built once per wrapper and settings: this runs at every request's start and end)
        name, options = self.settings_dict["NAME"], self.settings_dict["OPTIONS"]
        kept = self.__dict__.get("_idle_key_kept")
        if kept is None or kept[0] is not name or kept[1] is not options:
            described = tuple(sorted((key, repr(value)) for key, value in options.items()))
            kept = self._idle_key_kept = (name, options, described)
        return os.getpid(), name, kept[2]

    def get_new_connection(self, conn_params):
        if not self.is_in_memory_db():
            with _lock:
                idle = _idle.get(self._idle_key())
                if idle:
                    return idle.pop()
        return super().get_new_connection(conn_params)

    def _close(self):
        connection = self.connection
        # closed inside an atomic block, the wrapper keeps its connection until the block ends:
        # closed for good then, as Django does, rather than lent to another request meanwhile
        if connection is None or self.in_atomic_block or self.is_in_memory_db():
            return super()._close()
        with self.wrap_database_errors:
            if connection.in_transaction:  # autocommit off, work not committed: undone
                connection.rollback()
        with _lock:
            idle = _idle.setdefault(self._idle_key(), [])
            if len(idle) < KEEP:
                idle.append(connection)
                return None
        return super()._close()


def close_idle() -> None:
    """Close every connection kept by this process (a test that removes a database file)."""
    with _lock:
        kept = [connection for idle in _idle.values() for connection in idle]
        _idle.clear()
    for connection in kept:
        connection.close()
