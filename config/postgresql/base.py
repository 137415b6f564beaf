"""Django's PostgreSQL backend, with a better check of pooled connections (settings.DATABASES).

psycopg_pool checks a connection before lending it. When the database has dropped every
connection (a restart, a failover, pg_terminate_backend), the pool finds them broken one at a
time as requests borrow them, and waits 1 s, then 2 s... before trying the next: the request
that meets the third broken one waits past the pool's timeout and fails. Here, the first broken
connection found has every idle one checked at once, and the broken ones replaced.
"""

from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


def check_connection(connection) -> None:
    try:
        ConnectionPool.check_connection(connection)
    except Exception:
        connection._pool.check()  # the pool it came from, as Django returns it there
        raise


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        if pool is not None:
            # psycopg_pool takes its check when it is built, and Django builds it with its own
            pool._check = check_connection
        return pool
