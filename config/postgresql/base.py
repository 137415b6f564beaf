"""Django's PostgreSQL backend, with a better check of pooled connections (settings.DATABASES),
and the search's kept rankings among the tables a flush empties.

psycopg_pool checks a connection before lending it. When the database has dropped every
connection (a restart, a failover, pg_terminate_backend), the pool finds them broken one at a
time as requests borrow them, and waits 1 s, then 2 s... before trying the next: the request
that meets the third broken one waits past the pool's timeout and fails. Here, the first broken
connection found has every idle one checked at once, and the broken ones replaced.
"""

from django.db.backends.postgresql import base, introspection
from psycopg_pool import ConnectionPool


def check_connection(connection) -> None:
    try:
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
