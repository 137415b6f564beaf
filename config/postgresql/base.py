"""Django's PostgreSQL backend, with a better check of pooled connections (settings.DATABASES),
and the search's kept rankings among the tables a flush empties.

psycopg_pool checks a connection before lending it. When the database has dropped every
connection (a restart, a failover, pg_terminate_backend), the pool finds them broken one at a
time as requests borrow them, and waits 1 s, then 2 s... before trying the next: the request
that meets the third broken one waits past the pool's timeout and fails. Here, the first broken
connection found has every idle one checked at once, and the broken ones replaced.

psycopg_pool's check is a round trip to the server (an empty query) on every loan: at every
request's start, 0.1 to 0.2 ms with the server process asleep between requests. A connection
the server has dropped has said so on its socket (the server's last message, or the socket
closed), so an idle connection whose socket has nothing to read is lent without the round trip;
one with anything to read (a dropped one, or a notice) gets the full check.
"""

import select

from django.db.backends.postgresql import base, introspection
from psycopg import pq
from psycopg_pool import ConnectionPool

# anything to read, or the socket closed or in error
READABLE = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP


def quiet(connection) -> bool:
    """Whether the connection is open, idle outside a transaction, and the server has sent
    nothing since its last answer: what the pool's round trip would find out, from the socket."""
    if (
        connection.closed
        or connection.pgconn.status != pq.ConnStatus.OK
        or connection.pgconn.transaction_status != pq.TransactionStatus.IDLE
    ):
        return False
    poller = select.poll()
    poller.register(connection.pgconn.socket, READABLE)
    return not poller.poll(0)


def check_connection(connection) -> None:
    try:
        if not quiet(connection):
            ConnectionPool.check_connection(connection)
    except Exception:
        connection._pool.check()  # the pool it came from, as Django returns it there
        raise


class DatabaseIntrospection(introspection.DatabaseIntrospection):
    def django_table_names(self, only_existing=False, include_views=True) -> list[str]:
        """Django's tables and the search's kept rankings (config.db.search.top), which refer to
        the records they rank: a flush (TRUNCATE) refuses one table without the other."""
        from config.db.search import postgresql as search
        from config.db.search.vocabulary import indexed_models, search_index

        names = super().django_table_names(only_existing, include_views)
        indexes = [search_index(model) for model in indexed_models()]
        kept = [table for index in indexes if index.keeps_top for table in search.top_tables(index)]
        if only_existing:
            existing = set(self.table_names(include_views=include_views))
            kept = [table for table in kept if table in existing]
        return [*names, *kept]


class DatabaseWrapper(base.DatabaseWrapper):
    introspection_class = DatabaseIntrospection

    @property
    def pool(self):
        pool = super().pool
        if pool is not None:
            # psycopg_pool takes its check when it is built, and Django builds it with its own
            pool._check = check_connection
        return pool
